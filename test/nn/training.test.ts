import { describe, expect, it } from 'vitest';
import {
  adam, createBackendSync, dense, DivergenceError, dropout, batchNorm, loadDigits, sgd, Sequential, StandardScaler, trainTestSplit,
  ValidationError,
} from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [0, 1, 1, 0];

describe('convergence', () => {
  for (const backend of kernelBackends()) {
    it(`XOR with a 2-4-1 sigmoid network (${backend.binary})`, () => {
      const model = new Sequential({ inputSize: 2, seed: 3, backend, layers: [dense(4, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })] });
      model.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 2, momentum: 0.9 }) });
      const h = model.fitSync(XOR_X, XOR_Y, { epochs: 500, batchSize: 4 });
      expect(h.loss[h.loss.length - 1]).toBeLessThan(0.05);
      expect(Array.from(model.predictClasses(XOR_X))).toEqual(XOR_Y);
      model.dispose();
    });
  }

  it('XOR with the minimal 2-2-1 sigmoid network: most seeds solve it (2-2-1 has known local minima)', () => {
    let solved = 0;
    for (let seed = 0; seed < 20; seed++) {
      const model = new Sequential({ inputSize: 2, seed, layers: [dense(2, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })] });
      model.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 2, momentum: 0.9 }) });
      const h = model.fitSync(XOR_X, XOR_Y, { epochs: 1000, batchSize: 4 });
      if (Array.from(model.predictClasses(XOR_X)).join() === XOR_Y.join()) {
        solved++;
        expect(h.loss[h.loss.length - 1]).toBeLessThan(0.05);
      }
      model.dispose();
    }
    expect(solved).toBeGreaterThanOrEqual(12);
  });

  it('digits, 75/25 stratified split, standardized, 64-64-10 reaches ≥ 97% test accuracy', () => {
    const { X, y } = loadDigits();
    const split = trainTestSplit(X, y, { testSize: 0.25, stratify: true, seed: 0 });
    const scaler = new StandardScaler().fit(split.XTrain);
    const Xtr = scaler.transform(split.XTrain);
    const Xte = scaler.transform(split.XTest);
    const model = new Sequential({ inputSize: 64, seed: 0, layers: [dense(64, { activation: 'relu' }), dense(10, { activation: 'softmax' })] });
    model.compile({ loss: 'categoricalCrossentropy', optimizer: adam({ learningRate: 1e-3 }), l2: 1e-4 });
    const h = model.fitSync(Xtr, split.yTrain, { epochs: 60, batchSize: 32 });
    const { accuracy } = model.evaluate(Xte, split.yTest);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0]!);
    model.dispose();
  });
});

describe('determinism and backends', () => {
  const data = (() => {
    const { X, y } = loadDigits();
    return { X: { data: X.data.slice(0, 200 * 64), rows: 200, cols: 64 }, y: Array.from(y.slice(0, 200)) };
  })();
  const make = (backend?: ReturnType<typeof createBackendSync>) => new Sequential({
    inputSize: 64, seed: 42, backend,
    layers: [dense(32, { activation: 'relu' }), dropout(0.2), batchNorm(), dense(10, { activation: 'softmax' })],
  }).compile({ optimizer: adam({ learningRate: 1e-2 }), l2: 1e-3 });

  it('same seed, same backend: identical weights bit for bit', () => {
    const a = make();
    const b = make();
    a.fitSync(data.X, data.y, { epochs: 3, batchSize: 16 });
    b.fitSync(data.X, data.y, { epochs: 3, batchSize: 16 });
    expect(a.getParams()).toEqual(b.getParams());
    a.dispose();
    b.dispose();
  });

  it('WASM and pure-TS backends agree within tolerance after an epoch', () => {
    const [js, wasm] = [createBackendSync({ backend: 'js' }), createBackendSync({ backend: 'wasm', binary: 'simd' })];
    const a = make(js);
    const b = make(wasm);
    expect(a.getParams()).toEqual(b.getParams()); // same initialization on both
    a.fitSync(data.X, data.y, { epochs: 1, batchSize: 16 });
    b.fitSync(data.X, data.y, { epochs: 1, batchSize: 16 });
    const pa = a.getParams();
    const pb = b.getParams();
    let worst = 0;
    for (let i = 0; i < pa.length; i++) worst = Math.max(worst, Math.abs(pa[i]! - pb[i]!));
    expect(worst).toBeLessThan(1e-3);
    a.dispose();
    b.dispose();
  });

  it('predictions do not depend on batch size or sample order', () => {
    const m = make();
    m.fitSync(data.X, data.y, { epochs: 1 });
    const full = m.predict(data.X).data;
    // bit for bit: every GEMM path (packed, and the unpacked one for ≤ 4 rows) sums each output in the same order
    for (const batchSize of [7, 3, 1]) expect(m.predict(data.X, { batchSize }).data).toEqual(full);
    const rev = { data: new Float32Array(200 * 64), rows: 200, cols: 64 };
    for (let r = 0; r < 200; r++) rev.data.set(data.X.data.subarray(r * 64, r * 64 + 64), (199 - r) * 64);
    const pr = m.predict(rev).data;
    for (let r = 0; r < 200; r++) for (let j = 0; j < 10; j++) expect(pr[(199 - r) * 10 + j]).toBe(full[r * 10 + j]!);
    m.dispose();
  });

  it('save → load → identical predictions (also across backends)', async () => {
    const m = make();
    m.fitSync(data.X, data.y, { epochs: 2 });
    const path = `${process.env.TMPDIR ?? '/tmp'}/simdnet-test-${process.pid}.json`;
    await m.save(path);
    const back = await Sequential.load(path);
    expect(back.predict(data.X).data).toEqual(m.predict(data.X).data);
    const viaJson = Sequential.fromJSON(JSON.stringify(m.toJSON()), { backend: 'js' });
    const pj = viaJson.predict(data.X).data;
    const pm = m.predict(data.X).data;
    for (let i = 0; i < pm.length; i++) expect(pj[i]).toBeCloseTo(pm[i]!, 4);
    for (const x of [m, back, viaJson]) x.dispose();
  });
});

describe('fit loop behaviour', () => {
  const { X, y } = loadDigits();
  const X300 = { data: X.data.slice(0, 300 * 64).map((v) => v / 16), rows: 300, cols: 64 };
  const y300 = Array.from(y.slice(0, 300));

  it('history has per-epoch loss, accuracy, validation figures and time', () => {
    const m = new Sequential({ inputSize: 64, seed: 1, layers: [dense(16, { activation: 'relu' }), dense(10, { activation: 'softmax' })] }).compile();
    const seen: number[] = [];
    const h = m.fitSync(X300, y300, { epochs: 4, validationSplit: 0.2, callbacks: { onEpochEnd: (e) => { seen.push(e); } } });
    expect(seen).toEqual([0, 1, 2, 3]);
    for (const key of ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'time'] as const) expect(h[key]).toHaveLength(4);
    expect(h.valAccuracy.every((a) => a >= 0 && a <= 1)).toBe(true);
    m.dispose();
  });

  it('early stopping restores the best weights', () => {
    const m = new Sequential({ inputSize: 64, seed: 1, layers: [dense(64, { activation: 'relu' }), dense(10, { activation: 'softmax' })] })
      .compile({ optimizer: adam({ learningRate: 0.05 }) });
    const h = m.fitSync(X300, y300, { epochs: 60, validationSplit: 0.3, earlyStopping: { patience: 2, restoreBestWeights: true } });
    expect(h.stoppedEarly).toBe(true);
    const best = Math.min(...h.valLoss);
    expect(h.valLoss[h.bestEpoch]).toBe(best);
    m.dispose();
  });

  it('async fit yields to the event loop while training', async () => {
    const m = new Sequential({ inputSize: 64, seed: 1, layers: [dense(64, { activation: 'relu' }), dense(10, { activation: 'softmax' })] }).compile();
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    await m.fit(X300, y300, { epochs: 30, batchSize: 8, yieldEvery: 5 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    m.dispose();
  });

  it('divergence stops with an error and keeps finite weights', () => {
    const big = { data: X300.data.map((v) => v * 1e4), rows: 300, cols: 64 };
    const m = new Sequential({ inputSize: 64, seed: 1, layers: [dense(32, { activation: 'relu' }), dense(1)] }).compile({ loss: 'meanSquaredError', optimizer: sgd({ learningRate: 10 }) });
    const target = y300.map((v) => v * 1000);
    expect(() => m.fitSync(big, target, { epochs: 20 })).toThrow(DivergenceError);
    expect(() => m.fitSync(big, target, { epochs: 20 })).toThrow(/smaller learning rate/);
    expect(m.getParams().every(Number.isFinite)).toBe(true);
    m.dispose();
  });

  it('refuses a step activation in a trained layer, explaining why', () => {
    const m = new Sequential({ inputSize: 2, seed: 1, layers: [dense(2, { activation: 'step' }), dense(1, { activation: 'sigmoid' })] }).compile();
    expect(() => m.fitSync(XOR_X, XOR_Y, { epochs: 1 })).toThrow(/zero gradient/);
    m.dispose();
  });

  it('bad input gets clear errors', () => {
    const m = new Sequential({ inputSize: 64, seed: 1, layers: [dense(10, { activation: 'softmax' })] });
    expect(() => m.evaluate(X300, y300)).toThrow(/compile/);
    m.compile();
    expect(() => m.fitSync([[1, 2]], [0])).toThrow(/1 columns?, the model expects 64|2 columns, the model expects 64/);
    expect(() => m.fitSync(X300, y300.slice(1))).toThrow(/299 labels, X has 300 rows/);
    expect(() => m.fitSync(X300, y300.map((v) => v + 5))).toThrow(ValidationError);
    expect(() => m.fitSync(X300, y300, { batchSize: 0 })).toThrow(/batchSize/);
    const withNaN = { data: X300.data.slice(), rows: 300, cols: 64 };
    withNaN.data[65] = NaN;
    expect(() => m.fitSync(withNaN, y300)).toThrow(/row 1, column 1/);
    m.dispose();
  });
});

describe('memory', () => {
  it('training allocates nothing per step: arena flat across epochs, dispose returns it', () => {
    const { X, y } = loadDigits();
    const arena = createBackendSync({ binary: 'simd' });
    const top0 = arena.arena.top;
    const m = new Sequential({ inputSize: 64, seed: 1, backend: arena, layers: [dense(32, { activation: 'relu' }), dropout(0.1), dense(10, { activation: 'softmax' })] }).compile();
    const tops: number[] = [];
    const live: number[] = [];
    m.fitSync(X, y, { epochs: 4, callbacks: { onEpochEnd: () => { tops.push(arena.arena.top); live.push(arena.arena.liveBytes); } } });
    expect(new Set(tops).size).toBe(1);
    expect(new Set(live).size).toBe(1);
    m.dispose();
    expect(arena.arena.top).toBe(top0);
    expect(arena.arena.liveCount).toBe(0);
  });

  it('creating and disposing 10,000 models leaves the arena where it started', () => {
    const b = createBackendSync({ binary: 'simd' });
    const top0 = b.arena.top;
    for (let i = 0; i < 10_000; i++) {
      const m = new Sequential({ inputSize: 8, seed: i, backend: b, layers: [dense(4, { activation: 'tanh' }), batchNorm(), dense(2, { activation: 'softmax' })] }).compile();
      if (i % 1000 === 0) m.predict([[1, 2, 3, 4, 5, 6, 7, 8]]);
      m.dispose();
    }
    expect(b.arena.top).toBe(top0);
    expect(b.arena.liveCount).toBe(0);
  });
});
