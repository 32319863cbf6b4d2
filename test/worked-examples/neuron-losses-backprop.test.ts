// Worked examples of the lecture notes "Neural Network (NN) and More: BackProp" (seed
// 001_1dffa8df0e29065e): logistic regression as one neuron, the activation table with derivatives,
// softmax + cross-entropy and its gradient ŷ − y, the two hand-derived backpropagations (squared
// error regression MLP, binary cross-entropy MLP), mini-batch SGD, monitoring statistics, the
// Xavier initialization experiment, batch normalization and dropout at test time.
import { describe, expect, it } from 'vitest';
import { batchNorm, dense, dropout, Sequential, sgd, ValidationError } from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';
import {
  add, dsigmoid, expectClose, f32, f32m, flat, handSet, hadamard, matVec, normalStream, outer, sigmoid, softmax, sub, transpose,
  type Layer,
} from './notes.js';

const stats = (v: ArrayLike<number>) => {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i]!;
  mean /= v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(q / v.length) };
};

for (const backend of kernelBackends()) {
  describe(`lecture notes 001: one neuron, the activation table and softmax with cross-entropy (${backend.binary})`, () => {
    it('logistic regression as one neuron: z = β0 + β1x1 + β2x2, ŷ = e^z / (1 + e^z)', () => {
      const beta = f32([-1, 2, -0.5]);
      const m = handSet(backend, 2, [dense(1, { activation: 'sigmoid' })], [{ W: [[beta[1]!, beta[2]!]], b: [beta[0]!] }]);
      const X = [[0, 0], [1, 1], [0.25, -2], [3, 1]];
      const z = X.map(([x1, x2]) => beta[0]! + beta[1]! * x1! + beta[2]! * x2!);
      expectClose(m.predict(X).data, z.map((v) => Math.exp(v) / (1 + Math.exp(v))));
      m.dispose();
    });

    it('activation table: logistic f\' = f(1 − f), tanh = 2/(1 + e^(−2x)) − 1 with f\' = 1 − f², ReLU with f\'(0) = 1, binary step untrainable', () => {
      // Derivative probe: one unit f(w·x + b) with w = 1, b = 0 and squared error against y = f(x) − 0.5
      // gives ∂E/∂b = 2(f(x) − y)·f'(x) = f'(x).
      const table: Record<string, { f: (x: number) => number; df: (x: number) => number }> = {
        sigmoid: { f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)) },
        tanh: { f: (x) => 2 / (1 + Math.exp(-2 * x)) - 1, df: (x) => 1 - (2 / (1 + Math.exp(-2 * x)) - 1) ** 2 },
        relu: { f: (x) => (x < 0 ? 0 : x), df: (x) => (x < 0 ? 0 : 1) },
      };
      for (const [name, { f, df }] of Object.entries(table)) {
        const m = handSet(backend, 1, [dense(1, { activation: name as 'sigmoid' })], [{ W: [[1]], b: [0] }]);
        m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
        for (const x of [-2, -0.5, 0, 0.5, 2]) {
          expect(m.predict([[x]]).data[0], `${name}(${x})`).toBeCloseTo(f(x), 6);
          const g = m.lossAndGradients([[x]], [f(x) - 0.5]).grads[0]!.b![0]!;
          expect(g, `${name}'(${x})`).toBeCloseTo(df(x), 5);
        }
        m.dispose();
      }
      // Binary step: f = 1 for x ≥ 0, f' = 0 for x ≠ 0 and undefined at 0, so backpropagation cannot
      // train through it; the library says so instead of returning zero gradients.
      const s = handSet(backend, 1, [dense(1, { activation: 'step' })], [{ W: [[1]], b: [0] }]);
      s.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      expect(Array.from(s.predict([[-1], [0], [1]]).data)).toEqual([0, 1, 1]);
      expect(() => s.lossAndGradients([[0]], [1])).toThrow(ValidationError);
      s.dispose();
    });

    it('softmax layer + cross-entropy: E = −Σ_j y_j ln ŷ_j and ∂E/∂z_i = ŷ_i − y_i', () => {
      const z = [2, 1, 0.1];
      const m = handSet(backend, 1, [dense(3, { activation: 'softmax' })], [{ W: [[0], [0], [0]], b: z }]);
      m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
      const yhat = softmax(z);
      expectClose(m.predict([[0]]).data, yhat);
      for (const k of [0, 1, 2]) {
        const y = [0, 1, 2].map((j) => (j === k ? 1 : 0));
        const { loss, grads } = m.lossAndGradients([[0]], [k]);
        expect(loss).toBeCloseTo(-Math.log(yhat[k]!), 6);
        // z = W·x + b, so ∂E/∂b = ∂E/∂z
        expectClose(grads[0]!.b!, sub(yhat, y), 1e-5);
      }
      m.dispose();
    });

    it('logistic is softmax with two classes: e^z1/(e^z1 + e^z0) = 1/(1 + e^−(z1 − z0)); adding one constant to both logits changes nothing', () => {
      const W = f32m([[0.4, -1.2], [-0.3, 0.9]]);
      const b = f32([0.25, -0.75]);
      const two = handSet(backend, 2, [dense(2, { activation: 'softmax' })], [{ W, b }]);
      // the same classifier as one sigmoid unit with w = w1 − w0, b = b1 − b0
      const one = handSet(backend, 2, [dense(1, { activation: 'sigmoid' })], [{ W: [sub(W[1]!, W[0]!)], b: [b[1]! - b[0]!] }]);
      const shifted = handSet(backend, 2, [dense(2, { activation: 'softmax' })], [{ W, b: b.map((v) => v + 10) }]);
      const X = [[1, 2], [-1, 0.5], [0, 0], [3, -2]];
      const p2 = two.predict(X).data;
      const p1 = one.predict(X).data;
      const ps = shifted.predict(X).data;
      X.forEach(([x1, x2], i) => {
        const z0 = W[0]![0]! * x1! + W[0]![1]! * x2! + b[0]!;
        const z1 = W[1]![0]! * x1! + W[1]![1]! * x2! + b[1]!;
        expect(p2[2 * i + 1]).toBeCloseTo(1 / (1 + Math.exp(-(z1 - z0))), 6);
        expect(p1[i]).toBeCloseTo(p2[2 * i + 1]!, 6);
        expect(ps[2 * i + 1]).toBeCloseTo(p2[2 * i + 1]!, 5); // float32 logits near 10 carry ~1e-6 absolute rounding
      });
      for (const mm of [two, one, shifted]) mm.dispose();
    });
  });

  describe(`lecture notes 001: backpropagation worked by hand (${backend.binary})`, () => {
    it('2-2-1 regression MLP with E = (y − ŷ)²: ∂E/∂w1 = −2(y − ŷ)·w5·h1(1 − h1)·x1 and every local gradient of the table', () => {
      // f1: z1 = x1·w1 + x2·w3 + b1, z2 = x1·w2 + x2·w4 + b2; f2: h = sigmoid(z); f3: ŷ = h1·w5 + h2·w6 + b3;
      // f4: E = (y − ŷ)². In the library's W[out×in]: W_H = [[w1, w3], [w2, w4]], W_O = [[w5, w6]].
      // The notes' table prints ∂E/∂ŷ = −2(ŷ − y); the chain they then expand uses −2(y − ŷ), which is
      // right: ∂(y − ŷ)²/∂ŷ = −2(y − ŷ) = 2(ŷ − y).
      const [w1, w2, w3, w4, w5, w6, b1, b2, b3] = f32([0.15, -0.25, 0.2, 0.3, 0.4, -0.45, 0.35, -0.1, 0.6]);
      const m = handSet(backend, 2, [dense(2, { activation: 'sigmoid' }), dense(1)],
        [{ W: [[w1!, w3!], [w2!, w4!]], b: [b1!, b2!] }, { W: [[w5!, w6!]], b: [b3!] }]);
      m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' }); // one sample, one output: E = (ŷ − y)² exactly
      const [x1, x2, y] = [0.05, 0.1, 0.01];
      const z1 = x1 * w1! + x2 * w3! + b1!, z2 = x1 * w2! + x2 * w4! + b2!;
      const h1 = sigmoid(z1), h2 = sigmoid(z2);
      const yhat = h1 * w5! + h2 * w6! + b3!;
      const dEdy = -2 * (y - yhat);
      const { loss, grads } = m.lossAndGradients([[x1, x2]], [y]);
      expect(loss).toBeCloseTo((y - yhat) ** 2, 6);
      expectClose(grads[0]!.W!, [dEdy * w5! * h1 * (1 - h1) * x1, dEdy * w5! * h1 * (1 - h1) * x2,
        dEdy * w6! * h2 * (1 - h2) * x1, dEdy * w6! * h2 * (1 - h2) * x2]); // w1, w3, w2, w4
      expectClose(grads[0]!.b!, [dEdy * w5! * h1 * (1 - h1), dEdy * w6! * h2 * (1 - h2)]);
      expectClose(grads[1]!.W!, [dEdy * h1, dEdy * h2]); // ∂ŷ/∂w5 = h1
      expectClose(grads[1]!.b!, [dEdy]);
      m.dispose();
    });

    it('binary classification MLP (z1 = W1ᵀx, h1 = σ(z1), z2 = w2ᵀh1, ŷ = σ(z2)): ∂E/∂w2 = (ŷ − y)·h1, ∂E/∂W1 = (ŷ − y)·w2 ⊙ h1(1 − h1) ⊗ x', () => {
      // The notes' W1 is [in × hidden] (z1 = W1ᵀx); the library's W is its transpose. No biases in
      // the notes' model: they are set to 0 here and their gradients are not part of the example.
      const W1 = f32m([[0.5, -0.3, 0.8], [0.2, 0.7, -0.6]]); // 2 inputs × 3 hidden
      const w2 = f32([1.1, -0.9, 0.4]);
      const m = handSet(backend, 2, [dense(3, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })],
        [{ W: transpose(W1), b: [0, 0, 0] }, { W: [w2], b: [0] }]);
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
      for (const [x, y] of [[[1, 2], 1], [[-0.5, 0.3], 0]] as [number[], number][]) {
        const h1 = matVec(transpose(W1), x).map(sigmoid);
        const yhat = sigmoid(h1.reduce((s, h, j) => s + w2[j]! * h, 0));
        // ∂E/∂ŷ · ∂ŷ/∂z2 = (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y
        const dz2 = ((yhat - y) / (yhat * (1 - yhat))) * (yhat * (1 - yhat));
        const { loss, grads } = m.lossAndGradients([x], [y]);
        expect(loss).toBeCloseTo(-y * Math.log(yhat) - (1 - y) * Math.log(1 - yhat), 6);
        expectClose(grads[1]!.W!, h1.map((h) => dz2 * h));
        const dW1 = outer(x, hadamard(w2.map((w) => dz2 * w), h1.map((h) => h * (1 - h)))); // [in × hidden], as W1
        expectClose(grads[0]!.W!, flat(transpose(dW1)));
      }
      m.dispose();
    });

    it('mini-batch SGD: for each batch forward, backward, W ← W − η·∂E/∂W; the epoch loss is the mean over its batches', () => {
      const L1: Layer = { W: f32m([[0.3, -0.6], [0.8, 0.1], [-0.4, 0.5]]), b: f32([0.1, 0, -0.2]) };
      const L2: Layer = { W: f32m([[0.7, -0.2, 0.5]]), b: f32([0.05]) };
      const X = [[0.5, 1], [-1, 0.2], [0.3, -0.7], [1.5, 0.5], [-0.2, -1.1], [0.9, 0.4]];
      const y = [0.5, -0.3, 0.1, 0.9, -0.8, 0.4];
      const eta = 0.1, B = 2;
      const m = handSet(backend, 2, [dense(3, { activation: 'tanh' }), dense(1)], [L1, L2]);
      m.compile({ loss: 'meanSquaredError', optimizer: sgd({ learningRate: eta }) });
      const history = m.fitSync(X, y, { epochs: 1, batchSize: B, shuffle: false });
      // float64 twin of the same three steps
      let W1 = L1.W.map((r) => [...r]), b1 = [...L1.b], W2 = L2.W.map((r) => [...r]), b2 = [...L2.b];
      let lossSum = 0;
      for (let start = 0; start < X.length; start += B) {
        const gW1 = W1.map((r) => r.map(() => 0)), gb1 = b1.map(() => 0), gW2 = W2.map((r) => r.map(() => 0)), gb2 = [0];
        for (let i = start; i < start + B; i++) {
          const a1 = add(matVec(W1, X[i]!), b1).map(Math.tanh);
          const yhat = add(matVec(W2, a1), b2)[0]!;
          lossSum += (yhat - y[i]!) ** 2;
          const d2 = (2 * (yhat - y[i]!)) / B;
          const d1 = a1.map((a, j) => W2[0]![j]! * d2 * (1 - a * a));
          gb2[0]! += d2;
          a1.forEach((a, j) => { gW2[0]![j]! += d2 * a; });
          d1.forEach((d, j) => { gb1[j]! += d; X[i]!.forEach((x, k) => { gW1[j]![k]! += d * x; }); });
        }
        W1 = W1.map((r, j) => r.map((w, k) => w - eta * gW1[j]![k]!));
        b1 = b1.map((v, j) => v - eta * gb1[j]!);
        W2 = W2.map((r, j) => r.map((w, k) => w - eta * gW2[j]![k]!));
        b2 = b2.map((v, j) => v - eta * gb2[j]!);
      }
      const w = m.getWeights();
      expectClose(w[0]!.W!, flat(W1));
      expectClose(w[0]!.b!, b1);
      expectClose(w[1]!.W!, flat(W2));
      expectClose(w[1]!.b!, b2);
      expect(history.loss[0]).toBeCloseTo(lossSum / X.length, 5);
      m.dispose();
    });

    it('monitoring: per-layer activation mean/std and weight-gradient statistics of a batch', () => {
      const L1: Layer = { W: f32m([[0.3, -0.6], [0.8, 0.1], [-0.4, 0.5]]), b: f32([0.1, 0, -0.2]) };
      const L2: Layer = { W: f32m([[0.7, -0.2, 0.5]]), b: f32([0.05]) };
      const X = [[0.5, 1], [-1, 0.2], [0.3, -0.7], [1.5, 0.5]];
      const y = [0.5, -0.3, 0.1, 0.9];
      const m = handSet(backend, 2, [dense(3, { activation: 'tanh' }), dense(1)], [L1, L2]);
      m.compile({ loss: 'meanSquaredError', optimizer: sgd({ learningRate: 0.01 }) });
      const { grads } = m.lossAndGradients(X, y); // at the weights the epoch starts from
      const h = m.fitSync(X, y, { epochs: 1, batchSize: X.length, shuffle: false, diagnostics: true });
      const layer0 = h.diagnostics[0]!.layers[0]!;
      const A1 = X.flatMap((x) => add(matVec(L1.W, x), L1.b).map(Math.tanh));
      const s = stats(A1);
      expect(layer0.activation.mean).toBeCloseTo(s.mean, 5);
      expect(layer0.activation.std).toBeCloseTo(s.std, 5);
      const g = stats(grads[0]!.W!);
      expect(layer0.weightGradient.mean).toBeCloseTo(g.mean, 5);
      expect(layer0.weightGradient.std).toBeCloseTo(g.std, 5);
      m.dispose();
    });
  });

  describe(`lecture notes 001: batch normalization and dropout (${backend.binary})`, () => {
    it('batch norm in training: x̂ = (x − E[x]) / √(Var[x] + ε) over the batch, y = γ·x̂ + β', () => {
      // BN first, then an identity dense layer W = I, b = 0, squared error against T: the loss and the
      // dense layer's gradient (2/m)·Σ_i (y_i − t_i)·y_iᵀ expose the normalized batch exactly.
      // The notes' formula has no ε; the library adds ε (1e-5 by default) to the variance.
      const X = [[1, 10], [2, 14], [4, 9], [7, 11], [6, 16]];
      const T = [[0.5, -1], [0, 0.2], [1, 1], [-0.5, 0.3], [0.2, 0]];
      const gamma = f32([2, 0.5]), betaV = f32([3, -1]);
      const eps = 1e-5;
      const m = new Sequential({ inputSize: 2, layers: [batchNorm({ epsilon: eps }), dense(2)], seed: 1, backend });
      m.setWeights([{ gamma: Float32Array.from(gamma), beta: Float32Array.from(betaV) }, { W: Float32Array.of(1, 0, 0, 1), b: Float32Array.of(0, 0) }]);
      m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      const n = X.length;
      const Y = X.map((r) => r.map(() => 0));
      for (let j = 0; j < 2; j++) {
        const mean = X.reduce((s, r) => s + r[j]!, 0) / n;
        const variance = X.reduce((s, r) => s + (r[j]! - mean) ** 2, 0) / n;
        X.forEach((r, i) => { Y[i]![j] = gamma[j]! * (r[j]! - mean) / Math.sqrt(variance + eps) + betaV[j]!; });
      }
      const { loss, grads } = m.lossAndGradients(X, T);
      const R = Y.map((r, i) => sub(r, T[i]!));
      expect(loss).toBeCloseTo(R.reduce((s, r) => s + r[0]! ** 2 + r[1]! ** 2, 0) / n, 5);
      const dW = [0, 1].flatMap((j) => [0, 1].map((k) => (2 / n) * R.reduce((s, r, i) => s + r[j]! * Y[i]![k]!, 0)));
      expectClose(grads[1]!.W!, dW, 1e-4);
      m.dispose();
    });

    it('dropout at test time: no units are dropped (inverted dropout scales in training), predictions equal the plain network', () => {
      const L1: Layer = { W: f32m([[0.3, -0.6], [0.8, 0.1], [-0.4, 0.5]]), b: f32([0.1, 0, -0.2]) };
      const L2: Layer = { W: f32m([[0.7, -0.2, 0.5]]), b: f32([0.05]) };
      const withDrop = handSet(backend, 2, [dense(3, { activation: 'relu' }), dropout(0.5), dense(1)], [L1, L2]);
      const plain = handSet(backend, 2, [dense(3, { activation: 'relu' }), dense(1)], [L1, L2]);
      const X = [[0.5, 1], [-1, 0.2], [0.3, -0.7]];
      expect(Array.from(withDrop.predict(X).data)).toEqual(Array.from(plain.predict(X).data));
      withDrop.dispose();
      plain.dispose();
    });
  });
}

describe('lecture notes 001: Xavier initialization, W = randn(fan_in, fan_out)/√fan_in, ten tanh layers of 500 units', () => {
  // The notes print the mean and std of each layer's tanh outputs for input data N(0, 1) (1000
  // samples × 500 features). The notes' initializer N(0, 1/fan_in) is the library's 'lecun'. The
  // figures are random, so they are reproduced within 2%; three of the printed lines are off:
  // - "hidden layer 6 ... std 0.222116" breaks the monotone decay (0.3209 → ? → 0.2734): the
  //   experiment gives ≈ 0.293 there (0.29 in repeated float64 runs too), a typo for 0.29…;
  // - the last line, "hidden layer 9 ... std 0.228008", is the tenth layer's value: layer 9 is
  //   ≈ 0.2396 and the line for layer 10 is missing (nine hidden lines are printed for ten layers).
  const printed = [0.627953, 0.486051, 0.407723, 0.357108, 0.320917, 0.222116, 0.273387, 0.254935, 0.228008];

  it('reproduces the per-layer standard deviations (and means ≈ 0)', () => {
    const backend = kernelBackends()[kernelBackends().length - 1]!; // the SIMD binary: 2.5 GFLOP
    const N = 1000, D = 500;
    const rnd = normalStream(2022);
    let H: Float32Array = new Float32Array(N * D).map(() => rnd());
    const input = stats(H);
    expect(input.std).toBeCloseTo(1, 1);
    const stds: number[] = [];
    for (let l = 0; l < 10; l++) {
      const layer = new Sequential({ inputSize: D, layers: [dense(D, { activation: 'tanh', init: 'lecun' })], seed: 100 + l, backend });
      H = layer.predict({ data: H, rows: N, cols: D }).data;
      layer.dispose();
      const s = stats(H);
      expect(Math.abs(s.mean)).toBeLessThan(0.01);
      stds.push(s.std);
    }
    [0, 1, 2, 3, 4, 6, 7].forEach((l) => expect(Math.abs(stds[l]! / printed[l]! - 1), `layer ${l + 1}`).toBeLessThan(0.02));
    // layer 6: between its neighbours, ≈ 0.293, not the printed 0.222116
    expect(stds[5]).toBeGreaterThan(stds[6]!);
    expect(stds[5]).toBeLessThan(stds[4]!);
    expect(Math.abs(stds[5]! - 0.293)).toBeLessThan(0.006);
    // the printed last line matches layer 10, and layer 9 sits between layers 8 and 10
    expect(Math.abs(stds[9]! / printed[8]! - 1)).toBeLessThan(0.02);
    expect(stds[8]).toBeLessThan(stds[7]!);
    expect(stds[8]).toBeGreaterThan(stds[9]!);
  });
});
