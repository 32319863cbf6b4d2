// Worked examples of the notes "Neural Networks – Representation" and "– Learning" (seed
// 004_c695f9f21573f5e7): Θ(j) of size s(j+1) × (s(j) + 1) and its indexing, K sigmoid outputs with
// one-hot targets, the regularized cost J(Θ) with λ/2m, backpropagation with δ terms on a
// [3-5-5-4] network, unrolling Θ(1), Θ(2), Θ(3) into one vector, gradient checking by two-sided
// differences with ε = 1e-4, random initialization in ±ε (and why not zeros), the whole recipe,
// and the single-neuron-per-layer chain rule with C0 = (a(L) − y)². The AND / OR / NOT / XNOR
// tables are in test/nn/handset.test.ts.
import { describe, expect, it } from 'vitest';
import { dense, gradientCheck, Sequential, sgd } from '../../src/index.js';
import { kernelBackends, testRng } from '../helpers/backends.js';
import { dsigmoid, expectClose, flat, handSet, hadamard, matVec, outer, sigmoid, transpose, zeros } from './notes.js';

type Theta = number[][]; // s(j+1) × (s(j) + 1), bias column 0

const withBias = (a: number[]) => [1, ...a];

/** Random Θ matrices for the layer sizes, float32-exact, from the test's own generator. */
function randomThetas(sizes: number[], seed: number, scale = 1): Theta[] {
  const r = testRng(seed);
  return sizes.slice(1).map((out, l) => Array.from({ length: out }, () =>
    Array.from({ length: sizes[l]! + 1 }, () => Math.fround((2 * r() - 1) * scale))));
}

const toLayers = (Ts: Theta[]) => Ts.map((T) => ({ W: T.map((r) => r.slice(1)), b: T.map((r) => r[0]!) }));
const sigmoidNet = (backend: ReturnType<typeof kernelBackends>[number], sizes: number[], Ts: Theta[]) =>
  handSet(backend, sizes[0]!, sizes.slice(1).map((s) => dense(s, { activation: 'sigmoid' })), toLayers(Ts));

/** a(1) = x, z(l+1) = Θ(l)·[1; a(l)], a(l+1) = g(z(l+1)). */
function forwardProp(Ts: Theta[], x: number[]): number[][] {
  const a = [x];
  for (const T of Ts) a.push(matVec(T, withBias(a[a.length - 1]!)).map(sigmoid));
  return a;
}

/** J(Θ) = −(1/m) Σ_i Σ_k [y log h + (1 − y) log(1 − h)] + (λ/2m) Σ_l Σ_i Σ_j (Θ_ji(l))², bias column excluded. */
function costJ(Ts: Theta[], X: number[][], Y: number[][], lambda: number): number {
  const m = X.length;
  let J = 0;
  X.forEach((x, i) => {
    const h = forwardProp(Ts, x).pop()!;
    h.forEach((hk, k) => { const y = Y[i]![k]!; J -= y * Math.log(hk) + (1 - y) * Math.log(1 - hk); });
  });
  J /= m;
  const reg = Ts.reduce((s, T) => s + T.reduce((t, row) => t + row.slice(1).reduce((u, v) => u + v * v, 0), 0), 0);
  return J + (lambda / (2 * m)) * reg;
}

/** Backpropagation as in the notes: δ(L) = a(L) − y, δ(l) = (Θ(l))ᵀδ(l+1) .* a(l)(1 − a(l)), Δ(l) += δ(l+1)·(a(l))ᵀ. */
function backprop(Ts: Theta[], X: number[][], Y: number[][], regOfBias: (lambda: number, m: number) => number, lambda: number): Theta[] {
  const Delta = Ts.map((T) => zeros(T.length, T[0]!.length));
  X.forEach((x, i) => {
    const a = forwardProp(Ts, x);
    const L = a.length; // layers 1..L are a[0..L−1]
    const delta: number[][] = new Array(L);
    delta[L - 1] = a[L - 1]!.map((v, k) => v - Y[i]![k]!);
    for (let l = L - 2; l >= 1; l--) {
      const back = matVec(transpose(Ts[l]!), delta[l + 1]!).slice(1); // drop the bias row
      delta[l] = hadamard(back, a[l]!.map((v) => v * (1 - v)));
    }
    // (no δ(1): layer 1 is the input)
    for (let l = 0; l < Ts.length; l++) {
      const upd = outer(delta[l + 1]!, withBias(a[l]!));
      Delta[l] = Delta[l]!.map((row, r) => row.map((v, c) => v + upd[r]![c]!));
    }
  });
  const m = X.length;
  const c = regOfBias(lambda, m);
  return Delta.map((Dl, l) => Dl.map((row, r) => row.map((v, j) => v / m + (j === 0 ? 0 : c * Ts[l]![r]![j]!))));
}

/** The library's { W, b } → Θ with the bias column first. */
const asTheta = (w: Record<string, Float32Array>): Theta => {
  const rows = w.b!.length;
  const cols = w.W!.length / rows;
  return Array.from({ length: rows }, (_, r) => [w.b![r]!, ...Array.from(w.W!.subarray(r * cols, (r + 1) * cols))]);
};

// The [3-5-5-4] network of the δ-term walk-through, m = 5 examples with one-hot targets.
const SIZES = [3, 5, 5, 4];
const Ts0 = randomThetas(SIZES, 11);
const r0 = testRng(12);
const X0 = Array.from({ length: 5 }, () => [0, 0, 0].map(() => 2 * r0() - 1));
const classes = [0, 3, 1, 2, 3]; // pedestrian, truck, car, motorcycle, truck
const Y0 = classes.map((c) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0)));

for (const backend of kernelBackends()) {
  describe(`lecture notes 004: layer sizes, Θ(j) shapes and indices, multiclass outputs (${backend.binary})`, () => {
    it('Θ(j) has s(j+1) × (s(j) + 1) entries: 101 → 21 units is 21 × 102; the 3-3-1 network has Θ(1) 3×4 and Θ(2) 1×4', () => {
      const big = new Sequential({ inputSize: 101, layers: [dense(21, { activation: 'sigmoid' })], seed: 1, backend });
      expect(big.paramCount).toBe(21 * 102);
      big.dispose();
      const small = new Sequential({ inputSize: 3, layers: [dense(3, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })], seed: 1, backend });
      expect(small.paramCount).toBe(3 * 4 + 1 * 4);
      const w = small.getWeights();
      expect([w[0]!.W!.length + w[0]!.b!.length, w[1]!.W!.length + w[1]!.b!.length]).toEqual([12, 4]);
      small.dispose();
    });

    it('Θ_ji(1): j is the unit of layer 2 mapped to, i the unit of layer 1 mapped from (i = 0 the bias); σ(W·a + b) has one bias per unit of the next layer', () => {
      // W[out×in] row-major: Θ_ji = W[(j − 1)·s1 + (i − 1)], Θ_j0 = b[j − 1]. The notes' matrix form
      // indexes the bias vector (and the result) up to n, the size of the current layer: both have
      // k entries, one per neuron of the next layer.
      const T: Theta = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
      T[0]![3] = 1; // Θ13(1)
      T[1]![0] = 0.25; // Θ20(1), the bias of unit 2
      const m = handSet(backend, 3, [dense(3)], toLayers([T]));
      expect(Array.from(m.predict([[7, 8, 9]]).data)).toEqual([9, 0.25, 0]);
      m.dispose();
    });

    it('multiclass outputs: h_Θ(x) ∈ R⁴ with y one of [1,0,0,0], [0,1,0,0], [0,0,1,0], [0,0,0,1] (pedestrian, car, motorcycle, truck)', () => {
      const m = sigmoidNet(backend, SIZES, Ts0);
      const H = m.predict(X0);
      expect(H.cols).toBe(4);
      expectClose(H.data, X0.flatMap((x) => forwardProp(Ts0, x).pop()!));
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
      // the targets are one-hot rows, one logistic output per class
      expect(m.lossAndGradients(X0, Y0).loss).toBeCloseTo(costJ(Ts0, X0, Y0, 0), 5);
      m.dispose();
    });
  });

  describe(`lecture notes 004: regularized cost, backpropagation, unrolling, gradient checking and initialization (${backend.binary})`, () => {
    it('the regularized cost J(Θ) = −(1/m)ΣΣ[y log h + (1 − y) log(1 − h)] + (λ/2m)ΣΣΣ Θ², without the bias terms', () => {
      const m = sigmoidNet(backend, SIZES, Ts0);
      for (const lambda of [0, 1.2]) {
        m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda });
        const J = costJ(Ts0, X0, Y0, lambda);
        expect(m.lossAndGradients(X0, Y0).loss).toBeCloseTo(J, 5);
        expect(m.evaluate(X0, Y0).loss).toBeCloseTo(J, 5);
      }
      m.dispose();
    });

    it('one example: δ(4) = a(4) − y (4×1), δ(3) = (Θ(3))ᵀδ(4) .* a(3)(1 − a(3)) (5×4 · 4×1), δ(2); ∂J/∂Θ_ij(l) = a_j(l)·δ_i(l+1)', () => {
      const m = sigmoidNet(backend, SIZES, Ts0);
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
      const x = X0[1]!;
      const y = Y0[1]!;
      const a = forwardProp(Ts0, x);
      const d4 = a[3]!.map((v, k) => v - y[k]!);
      expect(d4).toHaveLength(4);
      const ThetaT3 = transpose(Ts0[2]!.map((r) => r.slice(1))); // (Θ(3))ᵀ without the bias: 5 × 4
      expect([ThetaT3.length, ThetaT3[0]!.length]).toEqual([5, 4]);
      const d3 = hadamard(matVec(ThetaT3, d4), a[2]!.map((v) => v * (1 - v)));
      const d2 = hadamard(matVec(transpose(Ts0[1]!.map((r) => r.slice(1))), d3), a[1]!.map((v) => v * (1 - v)));
      const { grads } = m.lossAndGradients([x], [y]);
      const deltas = [d2, d3, d4];
      deltas.forEach((d, l) => {
        const expected = d.map((di) => withBias(a[l]!).map((aj) => aj * di)); // a_j(l)·δ_i(l+1), j = 0 is the bias
        expectClose(flat(asTheta(grads[l]!)), flat(expected));
      });
      m.dispose();
    });

    it('m examples: Δ(l) := Δ(l) + δ(l+1)(a(l))ᵀ, D(l) = Δ(l)/m plus the regularization of j ≠ 0; the library\'s λ follows J(Θ)', () => {
      // J's penalty (λ/2m)ΣΘ² has the gradient (λ/m)Θ. The notes' D adds λΘ instead: that D is the
      // library's gradient for l2 = λ·m (the same λ/m mismatch as in seed 002).
      const lambda = 1.2;
      const m = sigmoidNet(backend, SIZES, Ts0);
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda });
      const D = backprop(Ts0, X0, Y0, (l, mm) => l / mm, lambda);
      let grads = m.lossAndGradients(X0, Y0).grads;
      D.forEach((Dl, l) => expectClose(flat(asTheta(grads[l]!)), flat(Dl)));
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda * X0.length });
      const Dprinted = backprop(Ts0, X0, Y0, (l) => l, lambda);
      grads = m.lossAndGradients(X0, Y0).grads;
      Dprinted.forEach((Dl, l) => expectClose(flat(asTheta(grads[l]!)), flat(Dl)));
      m.dispose();
    });

    it('unrolling: s1 = 10, s2 = 10, s3 = 1 gives Θ(1), Θ(2) ∈ R^10×11 and Θ(3) ∈ R^1×11, 231 values; thetaVec(1:110) is Θ(1)', () => {
      // The library unrolls per layer W (row-major) then b; Octave's [Theta1(:); Theta2(:); Theta3(:)]
      // is column-major with the bias column first. Both put Θ(1) in the first 110 entries.
      const m = new Sequential({ inputSize: 10, seed: 5, backend,
        layers: [dense(10, { activation: 'sigmoid' }), dense(10, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })] });
      expect(m.paramCount).toBe(110 + 110 + 11);
      const theta = m.getParams();
      expect(theta).toHaveLength(231);
      const w = m.getWeights();
      expect(Array.from(theta.subarray(0, 110))).toEqual([...w[0]!.W!, ...w[0]!.b!]);
      expect(Array.from(theta.subarray(220))).toEqual([...w[2]!.W!, ...w[2]!.b!]);
      // to Octave's thetaVec and back with reshape(thetaVec(1:110), 10, 11)
      const thetaVec = w.flatMap((l) => { const T = asTheta(l); return T[0]!.flatMap((_, c) => T.map((row) => row[c]!)); });
      const reshape = (v: number[], rows: number, cols: number) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => v[c * rows + r]!));
      expect(reshape(thetaVec.slice(0, 110), 10, 11)).toEqual(asTheta(w[0]!));
      expect(reshape(thetaVec.slice(110, 220), 10, 11)).toEqual(asTheta(w[1]!));
      expect(reshape(thetaVec.slice(220, 231), 1, 11)).toEqual(asTheta(w[2]!));
      // and setParams reads the same layout; the gradient vector DVec is unrolled the same way
      const changed = Float32Array.from(theta);
      changed[100] = 0.5; // b(1)_0 = Θ(1)_10
      m.setParams(changed);
      expect(asTheta(m.getWeights()[0]!)[0]![0]).toBe(0.5);
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
      const { grads, gradVector } = m.lossAndGradients([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], [1]);
      expect(Array.from(gradVector)).toEqual(grads.flatMap((g) => [...g.W!, ...g.b!]));
      m.dispose();
    });

    it('gradient checking: gradApprox(i) = (J(θ + ε·e_i) − J(θ − ε·e_i)) / 2ε with ε = 1e-4 agrees with DVec from backpropagation', () => {
      const lambda = 0.5;
      const m = sigmoidNet(backend, SIZES, Ts0);
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda });
      const { gradVector } = m.lossAndGradients(X0, Y0);
      const EPSILON = 1e-4;
      // (1) the notes' loop on the notes' J, in float64, over the unrolled θ (library layout)
      const theta = Array.from(m.getParams(), Number);
      const J = (t: number[]) => {
        const Ts: Theta[] = [];
        let off = 0;
        for (let l = 0; l < 3; l++) {
          const out = SIZES[l + 1]!, inn = SIZES[l]!;
          const W = Array.from({ length: out }, (_, r) => t.slice(off + r * inn, off + (r + 1) * inn));
          off += out * inn;
          const b = t.slice(off, off + out);
          off += out;
          Ts.push(W.map((row, r) => [b[r]!, ...row]));
        }
        return costJ(Ts, X0, Y0, lambda);
      };
      const gradApprox = theta.map((_, i) => {
        const thetaPlus = theta.slice(); thetaPlus[i]! += EPSILON;
        const thetaMinus = theta.slice(); thetaMinus[i]! -= EPSILON;
        return (J(thetaPlus) - J(thetaMinus)) / (2 * EPSILON);
      });
      expectClose(gradVector, gradApprox, 1e-4, 1e-2);
      // (2) the same loop through the library's own J (float32: ε = 1e-4 leaves ~1e-3 of rounding)
      const numeric = theta.map((_, i) => {
        const plus = Float32Array.from(theta); plus[i]! += EPSILON;
        const minus = Float32Array.from(theta); minus[i]! -= EPSILON;
        m.setParams(plus);
        const jp = m.lossAndGradients(X0, Y0).loss;
        m.setParams(minus);
        const jm = m.lossAndGradients(X0, Y0).loss;
        return (jp - jm) / (2 * EPSILON);
      });
      m.setParams(theta);
      numeric.forEach((g, i) => expect(Math.abs(g - gradVector[i]!), `θ_${i}`).toBeLessThan(5e-3)); // "up to a few decimal places"
      // (3) the library's gradientCheck with the notes' ε
      const check = gradientCheck(m, X0, Y0, { epsilon: EPSILON });
      expect(check.maxRelativeError).toBeLessThan(2e-2);
      m.dispose();
    });

    it('random initialization: every Θ in [−ε, ε] (ε = 0.12), not all equal; the library starts biases at 0', () => {
      // rand(10, 11)·(2ε) − ε in the course's code; the notes' text says "between 0 and 1, then scale
      // by epsilon". Symmetry is broken by the weights alone, so the library keeps biases at 0.
      const eps = 0.12;
      const m = new Sequential({ inputSize: 100, seed: 9, backend, layers: [dense(100, { activation: 'sigmoid', init: 'uniform', initEpsilon: eps })] });
      const { W, b } = m.getWeights()[0]!;
      let min = Infinity, max = -Infinity, sum = 0;
      for (const v of W!) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
      expect(min).toBeGreaterThanOrEqual(-eps);
      expect(max).toBeLessThanOrEqual(eps);
      expect(min).toBeLessThan(-0.99 * eps);
      expect(max).toBeGreaterThan(0.99 * eps);
      expect(Math.abs(sum / W!.length)).toBeLessThan(0.005);
      expect(new Set(W).size).toBeGreaterThan(9000);
      expect(Array.from(b!).every((v) => v === 0)).toBe(true);
      m.dispose();
    });

    it('initializing every Θ to the same value fails: all hidden units compute the same thing, after any number of updates', () => {
      const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
      const y = [1, 0, 0, 1];
      for (const init of ['zeros', 'uniform'] as const) {
        const m = new Sequential({ inputSize: 2, seed: 4, backend, layers: [dense(3, { activation: 'sigmoid', init }), dense(1, { activation: 'sigmoid', init })] });
        m.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 1 }) });
        m.fitSync(X, y, { epochs: 50, batchSize: 4, shuffle: false });
        const [W1, W2] = [m.getWeights()[0]!.W!, m.getWeights()[1]!.W!];
        const unitsEqual = [1, 2].every((u) => Math.abs(W1[2 * u]! - W1[0]!) < 1e-6 && Math.abs(W1[2 * u + 1]! - W1[1]!) < 1e-6 && Math.abs(W2[u]! - W2[0]!) < 1e-6);
        expect(unitsEqual, init).toBe(init === 'zeros');
        m.dispose();
      }
    });

    it('putting it together: random init, forward, J, backprop checked numerically, then gradient descent lowers J and learns XNOR', () => {
      const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
      const y = [1, 0, 0, 1];
      const m = new Sequential({ inputSize: 2, seed: 3, backend, layers: [dense(4, { activation: 'sigmoid', init: 'uniform', initEpsilon: 1 }), dense(1, { activation: 'sigmoid', init: 'uniform', initEpsilon: 1 })] });
      m.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 2 }) });
      expect(gradientCheck(m, X, y, { epsilon: 1e-3 }).maxRelativeError).toBeLessThan(2e-2);
      const h = m.fitSync(X, y, { epochs: 3000, batchSize: 4, shuffle: false });
      expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0]! / 10);
      expect(Array.from(m.predictClasses(X))).toEqual(y);
      m.dispose();
    });
  });

  describe(`lecture notes 004: chain rule with one neuron per layer, C0 = (a(L) − y)² (${backend.binary})`, () => {
    it('∂C0/∂w(L) = a(L−1)·σ\'(z(L))·2(a(L) − y), ∂C0/∂b(L) = σ\'(z(L))·2(a(L) − y), ∂C0/∂a(L−1) = w(L)·σ\'(z(L))·2(a(L) − y), ∂C/∂w(L) the average over the n examples', () => {
      // The notes write the cost "C0 = L(a(L) − y)²"; the derivation that follows is of (a(L) − y)²,
      // which is the library's squared error for one output (no ½).
      const [w1, b1, wL, bL] = [0.8, -0.3, -1.4, 0.6].map(Math.fround) as [number, number, number, number];
      const m = handSet(backend, 1, [dense(1, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })], [{ W: [[w1]], b: [b1] }, { W: [[wL]], b: [bL] }]);
      m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      const xs = [0.5, -1, 2];
      const ys = [0.2, 0.9, 0.4];
      const per = xs.map((x, k) => {
        const zPrev = w1 * x + b1; const aPrev = sigmoid(zPrev);
        const zL = wL * aPrev + bL; const aL = sigmoid(zL);
        const dC = 2 * (aL - ys[k]!);
        const dCdaPrev = wL * dsigmoid(zL) * dC;
        return { C: (aL - ys[k]!) ** 2, dwL: aPrev * dsigmoid(zL) * dC, dbL: dsigmoid(zL) * dC, dbPrev: dCdaPrev * dsigmoid(zPrev), dwPrev: dCdaPrev * dsigmoid(zPrev) * x };
      });
      const one = m.lossAndGradients([[xs[0]!]], [ys[0]!]);
      expect(one.loss).toBeCloseTo(per[0]!.C, 6);
      expectClose([one.grads[1]!.W![0]!, one.grads[1]!.b![0]!, one.grads[0]!.b![0]!, one.grads[0]!.W![0]!], [per[0]!.dwL, per[0]!.dbL, per[0]!.dbPrev, per[0]!.dwPrev]);
      const all = m.lossAndGradients(xs.map((x) => [x]), ys);
      const avg = (k: 'C' | 'dwL' | 'dbL' | 'dbPrev' | 'dwPrev') => per.reduce((s, p) => s + p[k], 0) / xs.length;
      expect(all.loss).toBeCloseTo(avg('C'), 6);
      expectClose([all.grads[1]!.W![0]!, all.grads[1]!.b![0]!, all.grads[0]!.b![0]!, all.grads[0]!.W![0]!], [avg('dwL'), avg('dbL'), avg('dbPrev'), avg('dwPrev')]);
      m.dispose();
    });
  });
}
