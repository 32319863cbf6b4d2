// Worked examples of the CS 539 lecture notes on vectorization, backpropagation and softmax
// regression (seed 002_e4a7ad2d35107bc3): forward propagation with Θ holding a bias column,
// δ terms with the accumulated Δ and the regularized average gradient D, gradient-descent epochs,
// the negative log-likelihood of softmax outputs, the softmax-regression chain rule with its
// Jacobian, softmax regression trained one instance at a time, and the fully connected network's
// ∂L/∂a(1).
import { describe, expect, it } from 'vitest';
import { dense, Sequential, setWarningHandler, sgd, SoftmaxRegression } from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';
import {
  add, addM, expectClose, f32m, flat, handSet, hadamard, matVec, oneHotRow, outer, scaleM, sigmoid, softmax, sub, transpose,
  zeros, type Layer,
} from './notes.js';

/** Θ(l) with its bias column first (the notes' layout) → the library's { W, b }. */
const fromTheta = (Theta: number[][]): Layer => ({ W: Theta.map((r) => r.slice(1)), b: Theta.map((r) => r[0]!) });
/** Add a0 = 1. */
const withBias = (a: number[]) => [1, ...a];

for (const backend of kernelBackends()) {
  describe(`lecture notes 002: vectorized forward propagation and backpropagation (${backend.binary})`, () => {
    // The 3-3-1 network of the notes: Θ(1) is 3×4, Θ(2) is 1×4 (bias column 0).
    const Theta1 = f32m([[-1, 0.5, -0.2, 0.1], [0.3, -0.4, 0.8, 0.6], [0.2, 0.9, -0.5, -0.7]]);
    const Theta2 = f32m([[0.4, -1.2, 0.7, 1.0]]);
    const net331 = () => handSet(backend, 3, [dense(3, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })],
      [fromTheta(Theta1), fromTheta(Theta2)]);

    it('z(2) = Θ(1)·x (x0 = 1), a(2) = g(z(2)), add a0(2) = 1, z(3) = Θ(2)·a(2), h_Θ(x) = a(3) = g(z(3))', () => {
      const m = net331();
      const X = [[1, 2, 3], [-0.5, 0.25, 1], [0, 0, 0]];
      const expected = X.map((x) => {
        const a2 = matVec(Theta1, withBias(x)).map(sigmoid);
        // the component form: a1(2) = g(Θ10 x0 + Θ11 x1 + Θ12 x2 + Θ13 x3)
        expect(a2[0]).toBeCloseTo(sigmoid(Theta1[0]![0]! + Theta1[0]![1]! * x[0]! + Theta1[0]![2]! * x[1]! + Theta1[0]![3]! * x[2]!), 12);
        return sigmoid(matVec(Theta2, withBias(a2))[0]!);
      });
      expectClose(m.predict(X).data, expected);
      m.dispose();
    });

    it('∂cost/∂Θ(2) = (a(3) − y)·a(2) and ∂cost/∂Θ(1) = (a(3) − y)·Θ(2)·a(2)(1 − a(2))·x for one instance', () => {
      // The notes print ∂cost/∂Θ(2) as "(a3 − y)/(a3(1 − a3)) · a2 · (a3 − y)": the middle factor
      // ∂a3/∂z3 = a3(1 − a3) became a second (a3 − y). The product of the three factors is (a3 − y)·a2.
      const m = net331();
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
      const x = [1, 2, 3];
      const y = 0;
      const a2 = matVec(Theta1, withBias(x)).map(sigmoid);
      const a3 = sigmoid(matVec(Theta2, withBias(a2))[0]!);
      const dCostDa3 = (a3 - y) / (a3 * (1 - a3));
      const { grads } = m.lossAndGradients([x], [y]);
      const dTheta2 = withBias(a2).map((a) => dCostDa3 * a3 * (1 - a3) * a); // = (a3 − y)·[1, a2]
      expectClose([grads[1]!.b![0]!, ...grads[1]!.W!], dTheta2);
      const d2 = a2.map((a, j) => (a3 - y) * Theta2[0]![j + 1]! * a * (1 - a));
      expectClose(grads[0]!.W!, flat(outer(d2, x)));
      expectClose(grads[0]!.b!, d2);
      m.dispose();
    });

    // L = 4 layers (2-3-2-1, sigmoid), three training instances.
    const T1 = f32m([[0.1, 0.4, -0.3], [-0.2, 0.6, 0.5], [0.3, -0.8, 0.2]]);
    const T2 = f32m([[0.05, 0.7, -0.4, 0.9], [-0.1, -0.6, 0.3, 0.2]]);
    const T3 = f32m([[0.2, 1.1, -0.7]]);
    const X = [[0.5, -1], [1.5, 0.3], [-0.7, 0.8]];
    const Y = [1, 0, 1];
    const net4 = () => handSet(backend, 2, [dense(3, { activation: 'sigmoid' }), dense(2, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })],
      [fromTheta(T1), fromTheta(T2), fromTheta(T3)]);

    /** The notes' algorithm: Δ(l) += δ(l+1)·a(l)ᵀ over the instances, then D(l) = Δ(l)/n + λΘ(l) for j ≠ 0. */
    function notesD(Thetas: number[][][], lambda: number): number[][][] {
      const Delta = Thetas.map((T) => zeros(T.length, T[0]!.length));
      for (let i = 0; i < X.length; i++) {
        const a1 = X[i]!;
        const z2 = matVec(Thetas[0]!, withBias(a1)); const a2 = z2.map(sigmoid);
        const z3 = matVec(Thetas[1]!, withBias(a2)); const a3 = z3.map(sigmoid);
        const z4 = matVec(Thetas[2]!, withBias(a3)); const a4 = z4.map(sigmoid);
        const d4 = sub(a4, [Y[i]!]); // δ(4) = a(4) − y
        // δ(l) = (Θ(l))ᵀ δ(l+1) .* g'(z(l)), without the bias row; g'(z) = a(1 − a)
        const d3 = hadamard(matVec(transpose(Thetas[2]!), d4).slice(1), a3.map((a) => a * (1 - a)));
        const d2 = hadamard(matVec(transpose(Thetas[1]!), d3).slice(1), a2.map((a) => a * (1 - a)));
        // (no δ(1))
        Delta[0] = addM(Delta[0]!, outer(d2, withBias(a1)));
        Delta[1] = addM(Delta[1]!, outer(d3, withBias(a2)));
        Delta[2] = addM(Delta[2]!, outer(d4, withBias(a3)));
      }
      return Delta.map((Dl, l) => Dl.map((row, r) => row.map((v, j) => v / X.length + (j === 0 ? 0 : lambda * Thetas[l]![r]![j]!))));
    }
    const asTheta = (g: Record<string, Float32Array>, rows: number) =>
      Array.from({ length: rows }, (_, r) => [g.b![r]!, ...Array.from(g.W!.subarray(r * (g.W!.length / rows), (r + 1) * (g.W!.length / rows)))]);

    it('δ(4) = a(4) − y, δ(3) = Θ(3)ᵀδ(4) .* g\'(z(3)), δ(2) = …, Δ(l) += δ(l+1)·a(l)ᵀ, D(l) = Δ(l)/n (λ = 0)', () => {
      const m = net4();
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
      const D = notesD([T1, T2, T3], 0);
      const { grads } = m.lossAndGradients(X, Y);
      [3, 2, 1].forEach((rows, l) => expectClose(flat(asTheta(grads[l]!, rows)), flat(D[l]!)));
      m.dispose();
    });

    it('the regularized D(l) = Δ(l)/n + λΘ(l) (j ≠ 0) is the library\'s gradient with l2 = λ·n; with l2 = λ it is Δ/n + (λ/n)Θ, the gradient of (λ/2n)ΣΘ²', () => {
      // The notes' D adds λΘ, while the cost J(Θ) of the same course carries (λ/2m)ΣΘ², whose
      // gradient is (λ/m)Θ: the two are one λ rescaled by m. The library follows the cost.
      const lambda = 0.1;
      const n = X.length;
      const m = net4();
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda * n });
      const D = notesD([T1, T2, T3], lambda);
      let grads = m.lossAndGradients(X, Y).grads;
      [3, 2, 1].forEach((rows, l) => expectClose(flat(asTheta(grads[l]!, rows)), flat(D[l]!)));
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda });
      const Dcost = notesD([T1, T2, T3], lambda / n);
      grads = m.lossAndGradients(X, Y).grads;
      [3, 2, 1].forEach((rows, l) => expectClose(flat(asTheta(grads[l]!, rows)), flat(Dcost[l]!)));
      m.dispose();
    });

    it('training by gradient descent: each epoch accumulates Δ over all instances, then Θ(l) := Θ(l) − α·D(l)', () => {
      const lambda = 0.05, alpha = 0.8, n = X.length;
      const m = net4();
      m.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: alpha }), l2: lambda * n });
      m.fitSync(X, Y, { epochs: 3, batchSize: n, shuffle: false });
      let Thetas = [T1, T2, T3];
      for (let epoch = 0; epoch < 3; epoch++) {
        const D = notesD(Thetas, lambda);
        Thetas = Thetas.map((T, l) => addM(T, scaleM(D[l]!, -alpha)));
      }
      const w = m.getWeights();
      [3, 2, 1].forEach((rows, l) => expectClose(flat(asTheta(w[l]!, rows)), flat(Thetas[l]!), 1e-5));
      m.dispose();
    });
  });

  describe(`lecture notes 002: softmax regression (${backend.binary})`, () => {
    it('negative log-likelihood −log a_y: outputs (.4, .2, .1, …, .1) give −log .1 for label 3 and −log .4 for label 1', () => {
      // The notes show a1 = .4, a2 = .2, a3 = .1 and a_c = .1 with the middle elided; c = 5 with
      // a4 = .2 completes them to a distribution. Labels are 1-based in the notes, 0-based here.
      const a = [0.4, 0.2, 0.1, 0.2, 0.1];
      const m = handSet(backend, 1, [dense(5, { activation: 'softmax' })], [{ W: a.map(() => [0]), b: a.map(Math.log) }]);
      m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
      expectClose(m.predict([[0]]).data, a, 1e-6);
      expect(m.lossAndGradients([[0]], [2]).loss).toBeCloseTo(-Math.log(0.1), 6); // 2.302585
      expect(m.lossAndGradients([[0]], [0]).loss).toBeCloseTo(-Math.log(0.4), 6); // 0.916291
      m.dispose();
    });

    it('chain rule: ∂L/∂z = ∂L/∂a × ∂a/∂z with ∂L/∂a = (0, …, −1/a_y, …, 0) and ∂a_i/∂z_j = a_i(1 − a_i) or −a_i·a_j; ∂L/∂W = (∂L/∂z)ᵀ × x, ∂L/∂b = ∂L/∂z', () => {
      const W = f32m([[0.2, -0.1, 0.4, 0.0], [-0.3, 0.5, 0.1, 0.2], [0.1, 0.3, -0.6, 0.4]]); // c × p = 3 × 4
      const b = [0.1, -0.2, 0.05].map(Math.fround);
      const x = [1, 0.5, -1, 2];
      const y = 1;
      const m = handSet(backend, 4, [dense(3, { activation: 'softmax' })], [{ W, b }]);
      m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
      const a = softmax(add(matVec(W, x), b));
      const dLda = a.map((ai, i) => (i === y ? -1 / ai : 0));
      const J = a.map((ai, i) => a.map((aj, j) => (i === j ? ai * (1 - ai) : -ai * aj)));
      // row vector (1×c) times the c×c Jacobian: sum over the paths through a_1 … a_c
      const dLdz = a.map((_, j) => dLda.reduce((s, g, i) => s + g * J[i]![j]!, 0));
      expectClose(dLdz, sub(a, oneHotRow(y, 3)), 1e-12);
      const { grads } = m.lossAndGradients([x], [y]);
      expectClose(grads[0]!.W!, flat(outer(dLdz, x)));
      expectClose(grads[0]!.b!, dLdz);
      m.dispose();
    });

    it('trained per instance: for each epoch, for each (x, y): forward, backward, W ← W − α·∂L/∂W, b ← b − α·∂L/∂b', () => {
      const Xs = [[1, 0.5], [-0.5, 1], [0.3, -1.2], [2, 1]];
      const ys = [0, 1, 2, 0];
      const alpha = 0.5;
      const m = new Sequential({ inputSize: 2, layers: [dense(3, { activation: 'softmax' })], seed: 1, backend });
      m.setWeights([{ W: new Float32Array(6), b: new Float32Array(3) }]); // W = 0, b = 0
      m.compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: alpha }) });
      m.fitSync(Xs, ys, { epochs: 3, batchSize: 1, shuffle: false });
      let W = zeros(3, 2), b = [0, 0, 0];
      for (let epoch = 0; epoch < 3; epoch++) {
        Xs.forEach((x, i) => {
          const dz = sub(softmax(add(matVec(W, x), b)), oneHotRow(ys[i]!, 3));
          W = addM(W, scaleM(outer(dz, x), -alpha));
          b = b.map((v, j) => v - alpha * dz[j]!);
        });
      }
      const w = m.getWeights()[0]!;
      expectClose(w.W!, flat(W));
      expectClose(w.b!, b);
      // prediction: the class with the largest a_k
      expect(Array.from(m.predictClasses(Xs))).toEqual(Xs.map((x) => { const a = softmax(add(matVec(W, x), b)); return a.indexOf(Math.max(...a)); }));
      m.dispose();
    });

    it('weight matrix W is c by p and b has length c (10 digit classes from p = 64 pixels)', () => {
      const m = new Sequential({ inputSize: 64, layers: [dense(10, { activation: 'softmax' })], seed: 3, backend });
      const w = m.getWeights()[0]!;
      expect(w.W!.length).toBe(10 * 64);
      expect(w.b!.length).toBe(10);
      expect(m.paramCount).toBe(650);
      m.dispose();
    });
  });

  describe(`lecture notes 002: a fully connected network's forward pass and gradients (${backend.binary})`, () => {
    it('∂L/∂a(1) = ∂L/∂z(2) × ∂z(2)/∂a(1), where ∂z(2)/∂a(1) is W(2) (c by h)', () => {
      const W1 = f32m([[0.3, -0.2, 0.5], [0.1, 0.4, -0.3], [-0.6, 0.2, 0.1], [0.25, 0.25, -0.5]]); // h × p = 4 × 3
      const b1 = [0.1, -0.1, 0.2, 0].map(Math.fround);
      const W2 = f32m([[0.5, -0.4, 0.3, 0.2], [-0.1, 0.6, -0.2, 0.4], [0.3, 0.1, 0.5, -0.7]]); // c × h = 3 × 4
      const b2 = [0, 0.1, -0.1].map(Math.fround);
      const x = [1, -2, 0.5];
      const y = 2;
      for (const act of ['identity', 'sigmoid'] as const) {
        const m = handSet(backend, 3, [dense(4, { activation: act }), dense(3, { activation: 'softmax' })], [{ W: W1, b: b1 }, { W: W2, b: b2 }]);
        m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
        const z1 = add(matVec(W1, x), b1);
        const a1 = act === 'identity' ? z1 : z1.map(sigmoid);
        const dLdz2 = sub(softmax(add(matVec(W2, a1), b2)), oneHotRow(y, 3));
        const dLda1 = a1.map((_, k) => dLdz2.reduce((s, g, j) => s + g * W2[j]![k]!, 0)); // (1×c)·(c×h)
        const dLdz1 = act === 'identity' ? dLda1 : hadamard(dLda1, a1.map((a) => a * (1 - a)));
        const { grads } = m.lossAndGradients([x], [y]);
        expectClose(grads[0]!.b!, dLdz1); // ∂z(1)/∂b(1) = 1
        expectClose(grads[0]!.W!, flat(outer(dLdz1, x)));
        m.dispose();
      }
    });
  });
}

describe('lecture notes 002: the SoftmaxRegression estimator runs the same gradient-descent epochs', () => {
  it("solver 'gd' from W = 0, b = 0: W ← W − α·(Δ/n + (λ/n)·W), b ← b − α·Δ_b/n (λ of the cost, as l2 in Sequential)", () => {
    const Xs = [[1, 0.5], [-0.5, 1], [0.3, -1.2], [2, 1], [-1, -0.4]];
    const ys = [0, 1, 2, 0, 1];
    const alpha = 0.3, lambda = 0.4, n = Xs.length;
    const warnings: string[] = [];
    const previous = setWarningHandler((w) => { warnings.push(w.message); });
    let est: SoftmaxRegression;
    try {
      est = new SoftmaxRegression({ solver: 'gd', maxIter: 2, learningRate: alpha, l2: lambda, tol: 0 }).fit(Xs, ys);
    } finally {
      setWarningHandler(previous);
    }
    expect(warnings).toHaveLength(1); // two iterations do not converge, and it says so
    let W = zeros(3, 2), b = [0, 0, 0];
    for (let epoch = 0; epoch < 2; epoch++) {
      let DW = zeros(3, 2);
      let Db = [0, 0, 0];
      Xs.forEach((x, i) => {
        const d = sub(softmax(add(matVec(W, x), b)), oneHotRow(ys[i]!, 3));
        DW = addM(DW, outer(d, x));
        Db = add(Db, d);
      });
      W = addM(W, scaleM(addM(scaleM(DW, 1 / n), scaleM(W, lambda / n)), -alpha));
      b = b.map((v, j) => v - alpha * Db[j]! / n);
    }
    expectClose(flat(est!.coef!), flat(W));
    expectClose(est!.intercept!, b);
  });
});
