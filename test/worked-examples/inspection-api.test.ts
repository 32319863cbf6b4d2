// The notes' worked networks through the public inspection API (trace, gradientCheck, unroll,
// reshape), against the notes' own formulas evaluated here in float64 (seed 004: the [3-5-5-4]
// sigmoid network with K one-hot outputs, J(Θ) with λ/2m, backpropagation's δ terms and D,
// gradient checking with ε = 1e-4, thetaVec = [Theta1(:); Theta2(:); Theta3(:)]; seed 002: the
// 3-3-1 and 2-3-2-1 networks). Nothing expected here comes from the library.
import { describe, expect, it } from 'vitest';
import { dense, gradientCheck, reshape, Sequential, unroll, ValidationError, batchNorm } from '../../src/index.js';
import { kernelBackends, testRng } from '../helpers/backends.js';
import { hadamard, matVec, outer, sigmoid, transpose, zeros } from './notes.js';

type Theta = number[][]; // s(l+1) × (s(l) + 1), bias column 0
const withBias = (a: number[]) => [1, ...a];

function randomThetas(sizes: number[], seed: number): Theta[] {
  const r = testRng(seed);
  return sizes.slice(1).map((out, l) => Array.from({ length: out }, () => Array.from({ length: sizes[l]! + 1 }, () => Math.fround(2 * r() - 1))));
}

function forwardProp(Ts: Theta[], x: number[]): number[][] {
  const a = [x];
  for (const T of Ts) a.push(matVec(T, withBias(a[a.length - 1]!)).map(sigmoid));
  return a;
}

/** J(Θ) = −(1/m) Σ_i Σ_k [y log h + (1 − y) log(1 − h)] + (λ/2m) Σ Θ² (bias column excluded). */
function costJ(Ts: Theta[], X: number[][], Y: number[][], lambda: number): number {
  let J = 0;
  X.forEach((x, i) => forwardProp(Ts, x).pop()!.forEach((h, k) => { const y = Y[i]![k]!; J -= y * Math.log(h) + (1 - y) * Math.log(1 - h); }));
  const reg = Ts.reduce((s, T) => s + T.reduce((t, row) => t + row.slice(1).reduce((u, v) => u + v * v, 0), 0), 0);
  return J / X.length + (lambda / (2 * X.length)) * reg;
}

/** δ(L) = a(L) − y, δ(l) = (Θ(l))ᵀδ(l+1) .* a(l)(1 − a(l)); Δ(l) += δ(l+1)(a(l))ᵀ; D = Δ/m + (λ/m)Θ (j ≠ 0: J's gradient). Also the δ terms per example. */
function backprop(Ts: Theta[], X: number[][], Y: number[][], lambda: number) {
  const Delta = Ts.map((T) => zeros(T.length, T[0]!.length));
  const deltas: number[][][] = Ts.map(() => []);
  X.forEach((x, i) => {
    const a = forwardProp(Ts, x);
    const L = a.length;
    const delta: number[][] = new Array(L);
    delta[L - 1] = a[L - 1]!.map((v, k) => v - Y[i]![k]!);
    for (let l = L - 2; l >= 1; l--) delta[l] = hadamard(matVec(transpose(Ts[l]!), delta[l + 1]!).slice(1), a[l]!.map((v) => v * (1 - v)));
    for (let l = 0; l < Ts.length; l++) {
      const upd = outer(delta[l + 1]!, withBias(a[l]!));
      Delta[l] = Delta[l]!.map((row, r) => row.map((v, c) => v + upd[r]![c]!));
      deltas[l]!.push(delta[l + 1]!);
    }
  });
  const m = X.length;
  return { D: Delta.map((Dl, l) => Dl.map((row, r) => row.map((v, j) => v / m + (j === 0 ? 0 : (lambda / m) * Ts[l]![r]![j]!)))), deltas };
}

/** Octave's [Theta1(:); Theta2(:); …]: column-major. */
const thetaVecOf = (Ts: Theta[]) => Ts.flatMap((T) => T[0]!.flatMap((_, c) => T.map((row) => row[c]!)));

function sigmoidNet(sizes: number[], Ts: Theta[], backend = kernelBackends()[0]!) {
  const m = new Sequential({ inputSize: sizes[0]!, seed: 1, backend, layers: sizes.slice(1).map((s) => dense(s, { activation: 'sigmoid' })) });
  m.setWeights(Ts.map((T) => ({ W: T.flatMap((r) => r.slice(1)), b: T.map((r) => r[0]!) })));
  return m;
}

// The notes' networks: [3-5-5-4] with m = 5 one-hot examples (pedestrian, truck, car, motorcycle, truck); 002's 3-3-1 and 2-3-2-1.
const r0 = testRng(12);
const NETS = [
  { name: '004 [3-5-5-4], K = 4 one-hot outputs', sizes: [3, 5, 5, 4], Ts: randomThetas([3, 5, 5, 4], 11),
    X: Array.from({ length: 5 }, () => [0, 0, 0].map(() => Math.fround(2 * r0() - 1))), Y: [0, 3, 1, 2, 3].map((c) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0))) },
  { name: '002 3-3-1', sizes: [3, 3, 1], Ts: [[[-1, 0.5, -0.2, 0.1], [0.3, -0.4, 0.8, 0.6], [0.2, 0.9, -0.5, -0.7]], [[0.4, -1.2, 0.7, 1.0]]].map((T) => T.map((r) => r.map(Math.fround))),
    X: [[1, 2, 3], [-0.5, 0.25, 1], [0, 0, 0]], Y: [[0], [1], [1]] },
  { name: '002 2-3-2-1', sizes: [2, 3, 2, 1], Ts: [[[0.1, 0.4, -0.3], [-0.2, 0.6, 0.5], [0.3, -0.8, 0.2]], [[0.05, 0.7, -0.4, 0.9], [-0.1, -0.6, 0.3, 0.2]], [[0.2, 1.1, -0.7]]].map((T) => T.map((r) => r.map(Math.fround))),
    X: [[0.5, -1], [1.5, 0.3], [-0.7, 0.8]].map((x) => x.map(Math.fround)), Y: [[1], [0], [1]] }, // inputs as the library holds them (float32)
];

describe('the notes\' networks through trace and gradientCheck', () => {
  for (const net of NETS) {
    for (const lambda of [0, 0.7]) {
      it(`${net.name}, λ = ${lambda}: trace's J and D = ∂J/∂Θ (notes' layout) are the notes' J(Θ) and backpropagation's D; m·δ are the δ terms`, () => {
        const model = sigmoidNet(net.sizes, net.Ts);
        model.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda });
        const t = model.trace(net.X, net.Y, { layout: 'notes', precision: 'float64' });
        const J = costJ(net.Ts, net.X, net.Y, lambda);
        expect(Math.abs(t.loss! - J) / J).toBeLessThan(1e-13);
        const { D, deltas } = backprop(net.Ts, net.X, net.Y, lambda);
        const m = net.X.length;
        t.layers.forEach((lt, l) => {
          expect(Array.from(lt.Theta!.data)).toEqual(net.Ts[l]!.flat());
          const want = D[l]!.flat();
          lt.dTheta!.data.forEach((v, q) => expect(Math.abs(v - want[q]!)).toBeLessThan(1e-13));
          const dl = deltas[l]!.flat();
          lt.delta!.data.forEach((v, q) => expect(Math.abs(m * v - dl[q]!)).toBeLessThan(1e-13));
        });
        model.dispose();
      });

      it(`${net.name}, λ = ${lambda}: gradientCheck in float64 with the notes' ε = 1e-4 — relative error ≤ 1e-7; numeric is the Octave loop on J(Θ), analytic is DVec`, () => {
        const model = sigmoidNet(net.sizes, net.Ts);
        model.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: lambda });
        const EPSILON = 1e-4;
        const check = gradientCheck(model, net.X, net.Y, { precision: 'float64', epsilon: EPSILON });
        expect([check.precision, check.epsilon]).toEqual(['float64', EPSILON]);
        expect(check.maxRelativeError).toBeLessThanOrEqual(1e-7);
        expect(check.overallRelativeError).toBeLessThanOrEqual(1e-7);
        // the notes' loop, on the notes' J, over θ in the library's unrolled order
        const theta = Array.from(model.getParams(), Number);
        const J = (t: number[]) => costJ(reshape(t, net.sizes).map((l) => Array.from(l.b!, (b, r) => [b, ...l.W!.subarray(r * (l.W!.length / l.b!.length), (r + 1) * (l.W!.length / l.b!.length))])), net.X, net.Y, lambda);
        const gradApprox = theta.map((_, i) => {
          const plus = theta.slice(); plus[i]! += EPSILON;
          const minus = theta.slice(); minus[i]! -= EPSILON;
          return (J(plus) - J(minus)) / (2 * EPSILON);
        });
        gradApprox.forEach((g, i) => expect(Math.abs(check.numeric[i]! - g), `θ_${i}`).toBeLessThan(1e-10));
        const DVec = unroll(backprop(net.Ts, net.X, net.Y, lambda).D.map((T) => ({ W: T.flatMap((r) => r.slice(1)), b: T.map((r) => r[0]!) })));
        DVec.forEach((d, i) => expect(Math.abs(check.analytic[i]! - d)).toBeLessThan(1e-13));
        check.relativeError.forEach((e, i) => {
          const [a, n] = [check.analytic[i]!, check.numeric[i]!];
          expect(e).toBeCloseTo(Math.abs(a - n) / (Math.abs(a) + Math.abs(n)), 15);
        });
        model.dispose();
      });
    }
  }

  for (const backend of kernelBackends()) {
    it(`float32 (${backend.binary}): both vectors come back, ε = 1e-4 drowns in float32 rounding where float64 does not`, () => {
      const net = NETS[0]!;
      const model = sigmoidNet(net.sizes, net.Ts, backend);
      model.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd', l2: 0.7 });
      const f32 = gradientCheck(model, net.X, net.Y, { epsilon: 1e-4 });
      const f64 = gradientCheck(model, net.X, net.Y, { epsilon: 1e-4, precision: 'float64' });
      expect(f32.precision).toBe('float32');
      expect(f32.numeric).toHaveLength(model.paramCount);
      expect(f32.maxRelativeError).toBeLessThan(3e-2);
      expect(f32.maxRelativeError).toBeGreaterThan(100 * f64.maxRelativeError);
      f32.analytic.forEach((a, i) => expect(Math.abs(a - f64.analytic[i]!)).toBeLessThan(1e-5));
      // maxPerTensor: unchecked entries are NaN, the others checked
      const sub = gradientCheck(model, net.X, net.Y, { maxPerTensor: 3, precision: 'float64' });
      expect(sub.checked).toBe(3 * 6);
      expect(Array.from(sub.numeric).filter((v) => !Number.isNaN(v))).toHaveLength(18);
      expect(() => gradientCheck(model, net.X, net.Y, { precision: 'double' as 'float64' })).toThrow(ValidationError);
      model.dispose();
    });
  }
});

describe('unroll / reshape in both layouts', () => {
  it('004 unrolling: 10-10-10-1 gives 231 values; thetaVec = [Theta1(:); Theta2(:); Theta3(:)] and Theta1 = reshape(thetaVec(1:110), 10, 11)', () => {
    const sizes = [10, 10, 10, 1];
    const Ts = randomThetas(sizes, 5);
    const model = sigmoidNet(sizes, Ts);
    const thetaVec = unroll(model, { layout: 'notes' });
    expect(Array.from(thetaVec)).toEqual(thetaVecOf(Ts));
    expect(thetaVec).toHaveLength(231);
    const octaveReshape = (v: ArrayLike<number>, rows: number, cols: number) => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => v[c * rows + r]!));
    expect(octaveReshape(thetaVec.subarray(0, 110), 10, 11)).toEqual(Ts[0]);
    const back = reshape(thetaVec, sizes, { layout: 'notes' });
    back.forEach((l, i) => {
      expect(Array.from(l.b!)).toEqual(Ts[i]!.map((r) => r[0]!));
      expect(Array.from(l.W!)).toEqual(Ts[i]!.flatMap((r) => r.slice(1)));
    });
    // simdnet's layout is getParams'; reshape with the model as template, setWeights takes the result
    expect(Array.from(unroll(model))).toEqual(Array.from(model.getParams()));
    const other = new Sequential({ inputSize: 10, seed: 99, layers: sizes.slice(1).map((s) => dense(s, { activation: 'sigmoid' })) });
    other.setWeights(reshape(unroll(model), other));
    expect(other.getParams()).toEqual(model.getParams());
    other.setWeights(reshape(thetaVec, sizes, { layout: 'notes' }));
    expect(other.getParams()).toEqual(model.getParams());
    // the gradient vector DVec unrolls the same way
    model.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
    const { grads, gradVector } = model.lossAndGradients([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], [1]);
    expect(Array.from(unroll(grads))).toEqual(Array.from(gradVector));
    model.dispose();
    other.dispose();
  });

  it('round trips on random vectors; batch norm and prelu tensors in simdnet order; the notes\' layout refuses them', () => {
    const model = new Sequential({ inputSize: 4, seed: 3, layers: [dense(3, { activation: 'prelu' }), batchNorm(), dense(2, { activation: 'softmax' })] });
    const r = testRng(8);
    const v = Array.from({ length: model.paramCount }, () => r() - 0.5);
    const w = reshape(v, model);
    expect(w.map((l) => Object.keys(l))).toEqual([['W', 'b', 'slope'], ['gamma', 'beta'], ['W', 'b']]);
    expect(Array.from(unroll(w))).toEqual(v);
    model.setWeights(w.map((l, i) => (i === 1 ? { ...l, runningMean: [0, 0, 0], runningVar: [1, 1, 1] } : l)));
    expect(Array.from(model.getParams())).toEqual(v.map(Math.fround));
    expect(Array.from(unroll(model))).toEqual(v.map(Math.fround));
    expect(() => unroll(model, { layout: 'notes' })).toThrow(/weights\[0\]: the notes' layout has one Θ = \[b \| W\] per dense layer; this layer holds W, b, slope/);
    const sizes = [3, 4, 2];
    const u = Array.from({ length: 4 * 4 + 2 * 5 }, () => r());
    expect(Array.from(unroll(reshape(u, sizes, { layout: 'notes' }), { layout: 'notes' }))).toEqual(u);
    expect(() => reshape(u.slice(1), sizes)).toThrow(/theta: has 25 values, the layers hold 26/);
    expect(() => reshape([...u.slice(1), NaN], sizes)).toThrow(/theta: value 25 is NaN/);
    expect(() => reshape(u, [3])).toThrow(/sizes: expected at least two/);
    expect(() => unroll(model, { layout: 'column' as 'notes' })).toThrow(/layout: expected 'simdnet' or 'notes'/);
    model.dispose();
  });
});
