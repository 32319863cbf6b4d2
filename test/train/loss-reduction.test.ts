// compile({ l2Scale, reduction }) and the two squared errors, against hand derivations and the
// float64 reference cost of test/helpers/refnet.ts (written from the definitions, not the library).
import { describe, expect, it } from 'vitest';
import { dense, LOSSES, Sequential, sgd, ValidationError, type LayerSpec } from '../../src/index.js';
import { meanSquaredError } from '../../src/metrics/index.js';
import { normRelError, refCost, refNumericGradient, type RefOptions, type RefWeights } from '../helpers/refnet.js';

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

const toRef = (m: Sequential): RefWeights => m.getWeights().map((w) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Float64Array.from(v)])));

describe('squaredError: Σ over the outputs, reduced over the rows; the metric meanSquaredError averages over both', () => {
  // One identity unit layer, W = [[1, 2], [0, −1]], b = [0.5, 0]; rows x = (1, 0) and (0, 1), targets (1, 1) and (0, 0):
  // z = (1.5, 0) and (2.5, −1); squared errors (0.25 + 1) and (6.25 + 1): L_1 = 1.25, L_2 = 7.25.
  const W = [1, 2, 0, -1];
  const b = [0.5, 0];
  const X = [[1, 0], [0, 1]];
  const Y = { data: Float32Array.of(1, 1, 0, 0), rows: 2, cols: 2 };
  const build = (o: object) => {
    const m = new Sequential({ inputSize: 2, seed: 1, backend: 'js', layers: [dense(2)] }).compile({ optimizer: 'sgd', ...o });
    m.setWeights([{ W, b }]);
    return m;
  };

  it("mean: J = (1/m)·Σ_i L_i = 4.25; its gradient ∂J/∂W = (2/m)·Σ_i (z_i − y_i)·x_iᵀ", () => {
    const m = build({ loss: 'squaredError' });
    const { loss, grads } = m.lossAndGradients(X, Y);
    expect(loss).toBeCloseTo(4.25, 6);
    expect(m.evaluate(X, Y).loss).toBeCloseTo(4.25, 6);
    // (z − y) = (0.5, −1) and (2.5, −1); (2/2)·Σ (z − y)·xᵀ: row 1 adds x = (1, 0), row 2 x = (0, 1).
    expect(Array.from(grads[0]!.W!)).toEqual([0.5, 2.5, -1, -1]);
    expect(Array.from(grads[0]!.b!)).toEqual([3, -2]);
    // The metric averages over the K = 2 outputs too: 4.25 / 2.
    expect(meanSquaredError(Y, m.predict(X))).toBeCloseTo(2.125, 6);
    m.dispose();
  });

  it("sum: J = Σ_i L_i = 8.5 (the notes' 003 L = Σ_i L_i), its gradient m times the mean's", () => {
    const m = build({ loss: 'squaredError', reduction: 'sum' });
    const { loss, grads } = m.lossAndGradients(X, Y);
    expect(loss).toBeCloseTo(8.5, 6);
    expect(m.evaluate(X, Y).loss).toBeCloseTo(8.5, 6);
    expect(Array.from(grads[0]!.W!)).toEqual([1, 5, -2, -2]);
    expect(Array.from(grads[0]!.b!)).toEqual([6, -4]);
    m.dispose();
  });

  it("sum with L2: J = Σ_i L_i + (λ/2)·ΣW², ∂J/∂W gains λ·W (λ = 0.5, ΣW² = 6)", () => {
    const m = build({ loss: 'squaredError', reduction: 'sum', l2: 0.5 });
    const { loss, grads } = m.lossAndGradients(X, Y);
    expect(loss).toBeCloseTo(8.5 + 0.25 * 6, 6);
    expect(m.evaluate(X, Y).loss).toBeCloseTo(10, 6);
    expect(Array.from(grads[0]!.W!)).toEqual([1.5, 6, -2, -2.5]);
    expect(Array.from(grads[0]!.b!)).toEqual([6, -4]); // biases are never regularized
    m.dispose();
  });

  it("'meanSquaredError' is the same loss under its former name: the same weights bit for bit; LOSSES lists it once", () => {
    expect(LOSSES).toContain('squaredError');
    expect(LOSSES).not.toContain('meanSquaredError');
    const r = rand(3);
    const Xs = { data: Float32Array.from({ length: 40 * 3 }, r), rows: 40, cols: 3 };
    const ys = { data: Float32Array.from({ length: 40 * 2 }, r), rows: 40, cols: 2 };
    const run = (loss?: 'squaredError' | 'meanSquaredError') => {
      const m = new Sequential({ inputSize: 3, seed: 5, backend: 'js', layers: [dense(4, { activation: 'tanh' }), dense(2)] }).compile({ loss, optimizer: sgd({ learningRate: 0.05 }) });
      m.fitSync(Xs, ys, { epochs: 3, batchSize: 8 });
      const w = m.getParams();
      const name = m.compiled!.loss;
      m.dispose();
      return { w, name };
    };
    const a = run('squaredError');
    const b2 = run('meanSquaredError');
    const c = run();
    expect(b2.w).toEqual(a.w);
    expect(c.w).toEqual(a.w);
    expect(c.name).toBe('squaredError'); // the default for an identity output
    expect(b2.name).toBe('meanSquaredError'); // kept as given, so existing model files read back the same
  });
});

describe('reduction: sum is m times the mean, gradients included (float64 reference)', () => {
  const cases: [string, LayerSpec, RefOptions['loss']][] = [
    ['softmax + categorical cross-entropy', dense(3, { activation: 'softmax' }), 'categoricalCrossentropy'],
    ['sigmoid + binary cross-entropy', dense(3, { activation: 'sigmoid' }), 'binaryCrossentropy'],
    ['tanh output + squared error', dense(3, { activation: 'tanh' }), 'squaredError'],
  ];
  it.each(cases)('%s, λ = 0.3', (_name, out, loss) => {
    const r = rand(11);
    const rows = 6;
    const specs = [dense(4, { activation: 'sigmoid' }), out];
    const m = new Sequential({ inputSize: 2, seed: 2, backend: 'js', layers: specs }).compile({ loss, reduction: 'sum', l2: 0.3 });
    const X = Float32Array.from({ length: rows * 2 }, r);
    const Y = new Float32Array(rows * 3);
    for (let i = 0; i < rows; i++) for (let j = 0; j < 3; j++) Y[i * 3 + j] = loss === 'squaredError' ? r() : loss === 'categoricalCrossentropy' ? Number(j === i % 3) : Number(r() > 0);
    const w = toRef(m);
    const opts: RefOptions = { loss, l2: 0.3, reduction: 'sum' };
    const { loss: J, gradVector } = m.lossAndGradients({ data: X, rows, cols: 2 }, { data: Y, rows, cols: 3 });
    const Jref = refCost(m.layers, w, X, rows, 2, Y, opts);
    expect(Math.abs(J - Jref) / Jref).toBeLessThan(1e-6);
    // The reference's sum is m times its mean, so this also pins the two reductions to each other.
    expect(Jref).toBeCloseTo(rows * refCost(m.layers, w, X, rows, 2, Y, { ...opts, reduction: 'mean' }), 10);
    const g = refNumericGradient(m.layers, w, X, rows, 2, Y, opts);
    expect(normRelError(gradVector, g)).toBeLessThan(1e-5);
    m.dispose();
  });
});

describe("l2Scale: the m of a step's L2 term", () => {
  const N = 12;
  const B = 4;
  const r = rand(7);
  const X = Float32Array.from({ length: N * 3 }, r);
  const y = Int32Array.from({ length: N }, (_, i) => i % 2);
  const Y = Float32Array.from({ length: N * 2 }, (_, k) => Number(k % 2 === y[k >> 1]));
  const specs = [dense(5, { activation: 'tanh' }), dense(2, { activation: 'softmax' })];
  const lambda = 0.8;

  it.each(['batch', 'dataset'] as const)("%s: three SGD steps equal the float64 reference's, each on (1/B)·Σ loss + (λ/2n)·ΣW² (n = B or N)", (scale) => {
    const eta = 0.5;
    const m = new Sequential({ inputSize: 3, seed: 9, backend: 'js', layers: specs }).compile({ optimizer: sgd({ learningRate: eta }), l2: lambda, l2Scale: scale });
    const w = toRef(m);
    const flat = (ws: RefWeights) => ws.flatMap((t) => ['W', 'b'].map((k) => t[k]!));
    for (let s = 0; s < N / B; s++) {
      const Xb = X.subarray(s * B * 3, (s + 1) * B * 3);
      const Yb = Y.subarray(s * B * 2, (s + 1) * B * 2);
      const g = refNumericGradient(specs, w, Xb, B, 3, Yb, { loss: 'categoricalCrossentropy', l2: lambda, l2Rows: scale === 'batch' ? B : N });
      let at = 0;
      for (const t of flat(w)) for (let i = 0; i < t.length; i++) t[i]! -= eta * g[at++]!;
    }
    m.fitSync({ data: X, rows: N, cols: 3 }, y, { epochs: 1, batchSize: B, shuffle: false });
    const got = m.getParams();
    const want = Float64Array.from(flat(w).flatMap((t) => Array.from(t)));
    expect(normRelError(got, want)).toBeLessThan(1e-5);
    m.dispose();
  });

  it("history.loss and evaluate on the same weights (learning rate 0): equal with 'dataset'; with 'batch' apart by exactly (λ/2)·ΣW²·(N/B − 1)/N", () => {
    const run = (scale: 'batch' | 'dataset') => {
      const m = new Sequential({ inputSize: 3, seed: 9, backend: 'js', layers: specs }).compile({ optimizer: sgd({ learningRate: 0 }), l2: lambda, l2Scale: scale });
      const h = m.fitSync({ data: X, rows: N, cols: 3 }, y, { epochs: 2, batchSize: B });
      const ev = m.evaluate({ data: X, rows: N, cols: 3 }, y).loss;
      const ref = refCost(specs, toRef(m), X, N, 3, Y, { loss: 'categoricalCrossentropy', l2: lambda });
      let sq = 0;
      for (const w of m.getWeights()) for (const v of w.W!) sq += v * v;
      m.dispose();
      return { h: h.loss, ev, ref, sq };
    };
    const d = run('dataset');
    expect(Math.abs(d.ev - d.ref) / d.ref).toBeLessThan(1e-6); // evaluate is the notes' J over the N rows
    for (const l of d.h) expect(Math.abs(l - d.ev) / d.ev).toBeLessThan(1e-6);
    const b = run('batch');
    expect(b.ev).toBe(d.ev); // evaluate does not depend on l2Scale
    // Each of the N/B steps adds (λ/2B)·ΣW² where the notes' J adds (λ/2N)·ΣW²; averaged over the rows (weight B/N each).
    const gap = (lambda / 2) * b.sq * (1 / B - 1 / N);
    for (const l of b.h) expect(Math.abs(l - (b.ev + gap)) / b.ev).toBeLessThan(1e-6);
  });

  it("reduction 'sum' + 'dataset': history.loss is the epoch's total, Σ_i loss_i + (λ/2)·ΣW², = evaluate at learning rate 0", () => {
    const m = new Sequential({ inputSize: 3, seed: 9, backend: 'js', layers: specs }).compile({ optimizer: sgd({ learningRate: 0 }), l2: lambda, l2Scale: 'dataset', reduction: 'sum' });
    const h = m.fitSync({ data: X, rows: N, cols: 3 }, y, { epochs: 1, batchSize: B });
    const ev = m.evaluate({ data: X, rows: N, cols: 3 }, y).loss;
    const ref = refCost(specs, toRef(m), X, N, 3, Y, { loss: 'categoricalCrossentropy', l2: lambda, reduction: 'sum' });
    expect(Math.abs(ev - ref) / ref).toBeLessThan(1e-6);
    expect(Math.abs(h.loss[0]! - ev) / ev).toBeLessThan(1e-6);
    m.dispose();
  });
});

describe('compile options: files, checkpoints and bad values', () => {
  const make = () => new Sequential({ inputSize: 2, seed: 1, backend: 'js', layers: [dense(2, { activation: 'softmax' })] });

  it('a model file keeps l2Scale and reduction, and has neither key at the defaults (files as before)', () => {
    const m = make().compile({ l2: 0.1, l2Scale: 'dataset', reduction: 'sum' });
    const json = m.toJSON();
    expect(json.compile).toMatchObject({ l2Scale: 'dataset', reduction: 'sum' });
    const back = Sequential.fromJSON(JSON.stringify(json));
    expect(back.compiled).toMatchObject({ l2: 0.1, l2Scale: 'dataset', reduction: 'sum' });
    const plain = make().compile({ l2: 0.1 });
    expect(Object.keys(plain.toJSON().compile!).sort()).toEqual(['l2', 'loss', 'optimizer']);
    expect(plain.compiled).toMatchObject({ l2Scale: 'batch', reduction: 'mean' });
    for (const x of [m, back, plain]) x.dispose();
  });

  it('unknown values are refused, naming the option, the choices and what came', () => {
    const m = make();
    expect(() => m.compile({ l2Scale: 'rows' as never })).toThrow(ValidationError);
    expect(() => m.compile({ l2Scale: 'rows' as never })).toThrow(/l2Scale: expected 'batch' or 'dataset', got "rows"/);
    expect(() => m.compile({ reduction: 'avg' as never })).toThrow(/reduction: expected 'mean' or 'sum', got "avg"/);
    m.dispose();
  });

  it("a data source refuses reduction 'sum' and l2Scale 'dataset' with L2 (its size and sums are unknown up front)", async () => {
    const source = { *[Symbol.iterator]() { yield { X: [[0, 1]], y: [1] }; } };
    const s = make().compile({ reduction: 'sum' });
    await expect(s.fit(source, { epochs: 1 })).rejects.toThrow(/reduction: 'sum' needs matrices/);
    const d = make().compile({ l2: 0.1, l2Scale: 'dataset' });
    await expect(d.fit(source, { epochs: 1 })).rejects.toThrow(/l2Scale: 'dataset' needs the training set's size/);
    s.dispose();
    d.dispose();
  });

  it('a checkpoint of another l2Scale is refused, naming it', () => {
    const X = [[0, 1], [1, 0]];
    const y = [1, 0];
    let saved: unknown;
    const a = make().compile({ l2: 0.1, l2Scale: 'dataset' });
    a.fitSync(X, y, { epochs: 1, checkpoint: { onSave: (c) => { saved = c; } } });
    const b = make().compile({ l2: 0.1 });
    expect(() => b.fitSync(X, y, { epochs: 2, resumeFrom: saved as never })).toThrow(/l2Scale/);
    a.dispose();
    b.dispose();
  });
});
