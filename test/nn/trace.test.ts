// model.trace against an independent float64 forward and backward pass written here from the
// definitions (z = a·Wᵀ + b, a = f(z); δ(L) from the loss, ∂J/∂W = δᵀ·a_prev + (λ/m)W, ∂J/∂b =
// colsum δ, ∂J/∂x = δ·W, δ(l−1) = ∂J/∂x ⊙ f'(z)): in float64 to 1e-12, in float32 on every backend
// to float32 rounding. The notes' layout Θ = [b | W], JS-owned outputs, restored state, errors.
import { describe, expect, it } from 'vitest';
import { batchNorm, dense, dropout, Sequential, sgd, ValidationError, NotFittedError, type LayerSpec } from '../../src/index.js';
import type { Backend } from '../../src/backend.js';
import { kernelBackends, testRng } from '../helpers/backends.js';

type Act = 'sigmoid' | 'tanh' | 'relu' | 'identity' | 'softmax';
const F: Record<Exclude<Act, 'softmax'>, [(z: number) => number, (z: number) => number]> = {
  sigmoid: [(z) => 1 / (1 + Math.exp(-z)), (z) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); }],
  tanh: [(z) => Math.tanh(z), (z) => 1 - Math.tanh(z) ** 2],
  relu: [(z) => (z >= 0 ? z : 0), (z) => (z >= 0 ? 1 : 0)],
  identity: [(z) => z, () => 1],
};

interface L64 { W: number[]; b: number[]; out: number; inp: number; act: Act }
type Loss = 'categoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';

/** Forward and backward in float64: per layer z, a, δ, dW, db, dx; and J. */
function oracle(layers: L64[], X: number[][], Y: number[][], loss: Loss, l2: number) {
  const m = X.length;
  const zs: number[][][] = [];
  const as: number[][][] = [X];
  for (const L of layers) {
    const prev = as[as.length - 1]!;
    const z = prev.map((x) => Array.from({ length: L.out }, (_, o) => x.reduce((s, xi, i) => s + L.W[o * L.inp + i]! * xi, L.b[o]!)));
    let a: number[][];
    if (L.act === 'softmax') a = z.map((r) => { const mx = Math.max(...r); const e = r.map((v) => Math.exp(v - mx)); const s = e.reduce((p, q) => p + q, 0); return e.map((v) => v / s); });
    else a = z.map((r) => r.map(F[L.act as Exclude<Act, 'softmax'>][0]));
    zs.push(z);
    as.push(a);
  }
  const n = layers.length;
  const A = as[n]!;
  let J = 0;
  let delta: number[][];
  if (loss === 'categoricalCrossentropy') {
    A.forEach((r, i) => r.forEach((p, k) => { J -= Y[i]![k]! * Math.log(p); }));
    delta = A.map((r, i) => r.map((p, k) => (p - Y[i]![k]!) / m));
  } else if (loss === 'binaryCrossentropy') {
    A.forEach((r, i) => r.forEach((p, k) => { const y = Y[i]![k]!; J -= y * Math.log(p) + (1 - y) * Math.log(1 - p); }));
    delta = A.map((r, i) => r.map((p, k) => (p - Y[i]![k]!) / m));
  } else {
    A.forEach((r, i) => r.forEach((p, k) => { J += (p - Y[i]![k]!) ** 2; }));
    const d = F[layers[n - 1]!.act as Exclude<Act, 'softmax'>][1];
    delta = A.map((r, i) => r.map((p, k) => ((2 * (p - Y[i]![k]!)) / m) * d(zs[n - 1]![i]![k]!)));
  }
  J /= m;
  J += (l2 / (2 * m)) * layers.reduce((s, L) => s + L.W.reduce((t, w) => t + w * w, 0), 0);
  const out: { z: number[]; a: number[]; delta: number[]; dW: number[]; db: number[]; dx: number[] }[] = new Array(n);
  for (let l = n - 1; l >= 0; l--) {
    const L = layers[l]!;
    const prev = as[l]!;
    const dW = Array.from({ length: L.out * L.inp }, (_, q) => {
      const o = Math.floor(q / L.inp), i = q % L.inp;
      return delta.reduce((s, r, row) => s + r[o]! * prev[row]![i]!, 0) + (l2 / m) * L.W[q]!;
    });
    const db = Array.from({ length: L.out }, (_, o) => delta.reduce((s, r) => s + r[o]!, 0));
    const dx = delta.map((r) => Array.from({ length: L.inp }, (_, i) => r.reduce((s, d, o) => s + d * L.W[o * L.inp + i]!, 0)));
    out[l] = { z: zs[l]!.flat(), a: as[l + 1]!.flat(), delta: delta.flat(), dW, db, dx: dx.flat() };
    if (l > 0) {
      const d = F[layers[l - 1]!.act as Exclude<Act, 'softmax'>][1];
      delta = dx.map((r, row) => r.map((v, i) => v * d(zs[l - 1]![row]![i]!)));
    }
  }
  return { J, layers: out };
}

function maxRel(actual: ArrayLike<number>, expected: readonly number[], floor: number): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor));
  return worst;
}

const CASES: { name: string; sizes: number[]; acts: Act[]; loss: Loss; l2: number }[] = [
  { name: 'tanh-relu-softmax, cross-entropy, L2', sizes: [4, 6, 5, 3], acts: ['tanh', 'relu', 'softmax'], loss: 'categoricalCrossentropy', l2: 0.3 },
  { name: 'sigmoid ×3, K sigmoid outputs with binary cross-entropy (the notes\' one-vs-all network)', sizes: [3, 5, 5, 4], acts: ['sigmoid', 'sigmoid', 'sigmoid'], loss: 'binaryCrossentropy', l2: 0.7 },
  { name: 'relu-tanh, squared error through a tanh output', sizes: [2, 4, 2], acts: ['relu', 'tanh'], loss: 'meanSquaredError', l2: 0 },
  { name: 'identity output, squared error', sizes: [3, 4, 1], acts: ['sigmoid', 'identity'], loss: 'meanSquaredError', l2: 0.1 },
];

function setup(c: (typeof CASES)[number], seed: number) {
  const r = testRng(seed);
  const f = (s = 1) => Math.fround((2 * r() - 1) * s);
  const layers: L64[] = c.sizes.slice(1).map((out, l) => ({
    out, inp: c.sizes[l]!, act: c.acts[l]!,
    W: Array.from({ length: out * c.sizes[l]! }, () => f()), b: Array.from({ length: out }, () => f(0.5)),
  }));
  const m = 7;
  const X = Array.from({ length: m }, () => Array.from({ length: c.sizes[0]! }, () => f(2)));
  const K = c.sizes[c.sizes.length - 1]!;
  const Y = X.map((_, i) => Array.from({ length: K }, (_, k) => (c.loss === 'meanSquaredError' ? f() : c.loss === 'categoricalCrossentropy' ? (k === i % K ? 1 : 0) : (r() < 0.5 ? 1 : 0))));
  // relu's kink: no pre-activation closer to 0 than 1e-3 (the derivative jumps there)
  const ex = oracle(layers, X, Y, c.loss, c.l2);
  layers.forEach((L, l) => {
    if (L.act !== 'relu') return;
    for (const z of ex.layers[l]!.z) if (Math.abs(z) < 1e-3) throw new Error(`seed ${seed}: a relu pre-activation at ${z}`);
  });
  return { layers, X, Y, ex };
}

function build(backend: Backend, c: (typeof CASES)[number], layers: L64[]) {
  const specs: LayerSpec[] = layers.map((L) => dense(L.out, { activation: L.act }));
  const model = new Sequential({ inputSize: c.sizes[0]!, layers: specs, seed: 1, backend });
  model.setWeights(layers.map((L) => ({ W: L.W, b: L.b })));
  model.compile({ loss: c.loss, optimizer: 'sgd', l2: c.l2 });
  return model;
}

describe('trace against an independent float64 forward/backward', () => {
  CASES.forEach((c, ci) => {
    it(`float64: ${c.name} — z, a, δ, ∂J/∂W, ∂J/∂b, ∂J/∂x and J to 1e-12`, () => {
      const { layers, X, Y, ex } = setup(c, 40 + ci);
      const model = build(kernelBackends()[0]!, c, layers);
      const t = model.trace(X, Y, { precision: 'float64' });
      expect(t.precision).toBe('float64');
      expect(t.training).toBe(true);
      expect(Math.abs(t.loss! - ex.J) / ex.J).toBeLessThan(1e-12);
      t.layers.forEach((lt, l) => {
        const e = ex.layers[l]!;
        expect(lt.z!.data).toBeInstanceOf(Float64Array);
        expect([lt.z!.rows, lt.z!.cols, lt.dx!.rows, lt.dx!.cols, lt.dW!.rows, lt.dW!.cols]).toEqual([X.length, layers[l]!.out, X.length, layers[l]!.inp, layers[l]!.out, layers[l]!.inp]);
        for (const [name, got, want] of [['z', lt.z!.data, e.z], ['a', lt.a.data, e.a], ['delta', lt.delta!.data, e.delta], ['dW', lt.dW!.data, e.dW], ['db', lt.db!, e.db], ['dx', lt.dx!.data, e.dx]] as const) {
          expect(maxRel(got, want, 1e-3), `layer ${l} ${name}`).toBeLessThan(1e-12);
        }
        expect(Array.from(lt.W!.data)).toEqual(layers[l]!.W);
        expect(Array.from(lt.grads!.W!)).toEqual(Array.from(lt.dW!.data));
      });
      expect(t.output.data).toEqual(t.layers[t.layers.length - 1]!.a.data);
      model.dispose();
    });

    for (const backend of kernelBackends()) {
      it(`float32 (${backend.binary}): ${c.name} — within float32 rounding, and equal to lossAndGradients`, () => {
        const { layers, X, Y, ex } = setup(c, 40 + ci);
        const model = build(backend, c, layers);
        const t = model.trace(X, Y);
        expect(t.precision).toBe('float32');
        expect(Math.abs(t.loss! - ex.J) / ex.J).toBeLessThan(1e-5);
        t.layers.forEach((lt, l) => {
          const e = ex.layers[l]!;
          expect(lt.a.data).toBeInstanceOf(Float32Array);
          for (const [name, got, want] of [['z', lt.z!.data, e.z], ['a', lt.a.data, e.a], ['delta', lt.delta!.data, e.delta], ['dW', lt.dW!.data, e.dW], ['db', lt.db!, e.db], ['dx', lt.dx!.data, e.dx]] as const) {
            expect(maxRel(got, want, 1e-2), `layer ${l} ${name}`).toBeLessThan(2e-4);
          }
        });
        const { loss, grads } = model.lossAndGradients(X, Y);
        expect(t.loss).toBe(loss);
        grads.forEach((g, l) => { expect(t.layers[l]!.dW!.data).toEqual(g.W); expect(t.layers[l]!.db).toEqual(g.b); });
        model.dispose();
      });
    }
  });

  it("layout 'notes': Θ = [b | W] and D = ∂J/∂Θ with the bias column first; m·δ is the notes' per-example δ, δ(L) = a(L) − y", () => {
    const c = CASES[1]!;
    const { layers, X, Y, ex } = setup(c, 41);
    const model = build(kernelBackends()[0]!, c, layers);
    const t = model.trace(X, Y, { layout: 'notes', precision: 'float64' });
    expect(t.layout).toBe('notes');
    t.layers.forEach((lt, l) => {
      const L = layers[l]!;
      expect(lt.W).toBeUndefined();
      expect([lt.Theta!.rows, lt.Theta!.cols, lt.dTheta!.rows, lt.dTheta!.cols]).toEqual([L.out, L.inp + 1, L.out, L.inp + 1]);
      for (let r = 0; r < L.out; r++) {
        expect(lt.Theta!.data[r * (L.inp + 1)]).toBe(L.b[r]);
        expect(Math.abs(lt.dTheta!.data[r * (L.inp + 1)]! - ex.layers[l]!.db[r]!)).toBeLessThan(1e-13);
        for (let i = 0; i < L.inp; i++) {
          expect(lt.Theta!.data[r * (L.inp + 1) + i + 1]).toBe(L.W[r * L.inp + i]);
          expect(Math.abs(lt.dTheta!.data[r * (L.inp + 1) + i + 1]! - ex.layers[l]!.dW[r * L.inp + i]!)).toBeLessThan(1e-13);
        }
      }
    });
    const last = t.layers[t.layers.length - 1]!;
    const m = X.length;
    last.delta!.data.forEach((d, q) => expect(Math.abs(m * d - (last.a.data[q]! - Y[Math.floor(q / 4)]![q % 4]!))).toBeLessThan(1e-14));
    model.dispose();
  });
});

describe('trace: forward only, ownership, state, errors', () => {
  const backend = kernelBackends()[kernelBackends().length - 1]!;

  it('without targets: inference values (predict\'s outputs), relu pre-activations kept negative (no fused relu), no gradients', () => {
    const model = new Sequential({ inputSize: 3, seed: 5, backend, layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    const X = [[1, -2, 0.5], [-1, 0.3, 2], [0.2, 0.2, -0.7]];
    const t = model.trace(X);
    expect(t.training).toBe(false);
    expect(t.loss).toBeUndefined();
    expect(t.output.data).toEqual(model.predict(X).data);
    const { z, a, delta, dx } = t.layers[0]!;
    expect(delta).toBeUndefined();
    expect(dx).toBeUndefined();
    expect(Math.min(...z!.data)).toBeLessThan(0);
    const { W, b } = model.getWeights()[0]!;
    z!.data.forEach((v, q) => {
      const [r, o] = [Math.floor(q / 8), q % 8];
      const want = X[r]!.reduce((s, x, i) => s + x * W![o * 3 + i]!, b![o]!);
      expect(v).toBeCloseTo(want, 5);
      expect(a.data[q]).toBe(Math.max(0, v));
    });
    model.dispose();
  });

  it('outputs are plain arrays JavaScript owns: training afterwards does not change them', () => {
    const model = new Sequential({ inputSize: 2, seed: 3, backend, layers: [dense(4, { activation: 'tanh' }), dense(1, { activation: 'sigmoid' })] });
    model.compile({ optimizer: sgd({ learningRate: 0.5 }) });
    const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [0, 1, 1, 0];
    const t = model.trace(X, y);
    const copies = t.layers.map((l) => [Float32Array.from(l.a.data), Float32Array.from(l.dW!.data)]);
    expect(t.layers[0]!.a.data.buffer).not.toBe(backend.memory.buffer);
    model.fitSync(X, y, { epochs: 20, batchSize: 4 });
    t.layers.forEach((l, i) => { expect(l.a.data).toEqual(copies[i]![0]); expect(l.dW!.data).toEqual(copies[i]![1]); });
    expect(model.trace(X, y).layers[0]!.dW!.data).not.toEqual(copies[0]![1]);
    model.dispose();
  });

  it('batch norm and dropout: training-mode values, the same on every call; running statistics and predictions untouched', () => {
    const model = new Sequential({ inputSize: 3, seed: 8, backend, layers: [batchNorm(), dense(5, { activation: 'relu' }), dropout(0.5), dense(2, { activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd' });
    const X = [[1, 2, 3], [0, -1, 2], [3, 0.5, -1], [2, 2, 2]];
    const y = [0, 1, 1, 0];
    const before = model.getWeights();
    const p0 = model.predict(X).data;
    const t1 = model.trace(X, y);
    const t2 = model.trace(X, y);
    expect(t1.layers.map((l) => l.type)).toEqual(['batchNorm', 'dense', 'dropout', 'dense']);
    t1.layers.forEach((l, i) => { expect(l.a.data).toEqual(t2.layers[i]!.a.data); expect(l.dx!.data).toEqual(t2.layers[i]!.dx!.data); });
    // batch norm in training: every column of its output has mean β = 0 over the batch
    const bn = t1.layers[0]!.a;
    for (let j = 0; j < 3; j++) expect(Math.abs([0, 1, 2, 3].reduce((s, r) => s + bn.data[r * 3 + j]!, 0))).toBeLessThan(1e-5);
    // dropout: each output is 0 or 2× its input, and its input gradient is the mask times the output gradient
    const [inA, outA] = [t1.layers[1]!.a.data, t1.layers[2]!.a.data];
    outA.forEach((v, q) => expect(v === 0 || Math.abs(v - 2 * inA[q]!) < 1e-6).toBe(true));
    expect(Object.keys(t1.layers[0]!.grads!)).toEqual(['gamma', 'beta']);
    expect(model.getWeights()).toEqual(before);
    expect(model.predict(X).data).toEqual(p0);
    model.dispose();
  });

  it('∂J/∂x of the first layer matches central differences of J in the inputs (float64)', () => {
    const model = new Sequential({ inputSize: 3, seed: 4, backend, layers: [dense(4, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', l2: 0.2 });
    const X = [[0.3, -0.2, 0.9], [1.1, 0.4, -0.6]];
    const y = [2, 0];
    const dx = model.trace(X, y, { precision: 'float64' }).layers[0]!.dx!;
    const h = 1e-5;
    const J = (Xp: number[][]) => model.trace(Xp, y, { precision: 'float64' }).loss!;
    X.forEach((row, r) => row.forEach((_, i) => {
      const plus = X.map((q) => q.slice()); plus[r]![i] = Math.fround(plus[r]![i]! + h);
      const minus = X.map((q) => q.slice()); minus[r]![i] = Math.fround(minus[r]![i]! - h);
      const num = (J(plus) - J(minus)) / (plus[r]![i]! - minus[r]![i]!);
      expect(Math.abs(dx.data[r * 3 + i]! - num)).toBeLessThan(1e-8);
    }));
    model.dispose();
  });

  it('bad options and inputs are refused with the argument named', () => {
    const model = new Sequential({ inputSize: 2, seed: 1, backend, layers: [dense(2, { activation: 'softmax' })] });
    expect(() => model.trace([[1, 2]], [0])).toThrow(NotFittedError);
    model.compile();
    expect(() => model.trace([[1, 2]], [0], { layout: 'octave' as 'notes' })).toThrow(/layout: expected 'simdnet' or 'notes', got "octave"/);
    expect(() => model.trace([[1, 2]], [0], { precision: 'float16' as 'float64' })).toThrow(/precision: expected 'float32' or 'float64'/);
    expect(() => model.trace([[1, 2]], [0], { training: false })).toThrow(ValidationError);
    expect(() => model.trace([[1, 2, 3]])).toThrow(/X: has 3 columns, the model expects 2/);
    expect(() => model.trace([[1, 2]], [5])).toThrow(ValidationError);
    model.dispose();
  });
});
