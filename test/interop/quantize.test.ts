// quantize(): the int8 model against independent truths.
// - Error bound, derived by hand for one dense layer z = W·x + b with x̂ = s_x·q_x (|x − x̂| ≤ s_x/2
//   inside the range) and ŵ = s_w[j]·q_w (|w − ŵ| ≤ s_w[j]/2):
//   |z_j − ẑ_j| ≤ Σ_p (|w_jp|·s_x/2 + |x_p|·s_w[j]/2 + s_x·s_w[j]/4) + f32 rounding (≤ 1e-5 relative),
//   checked against a float64 z, on a bound that is far from vacuous.
// - Accuracy: digits (64-64-10 ReLU, 97 % in f32) keeps its test accuracy within 0.3 points.
// - Backends: the same model on the TS twin and the WASM binary: same classes, probabilities to 1e-6
//   (the int8 layers' bits are equal: test/kernels/q8.test.ts; the f32 softmax agrees to rounding).
// - Files: toJSON/fromJSON and save/load give the same bits; corrupt fields are named.
// - Memory: dispose() returns the arena to where it was.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adam, batchNorm, createBackendSync, dense, loadDigits, ModelFormatError, Sequential, StandardScaler, trainTestSplit, ValidationError } from '../../src/index.js';
import { quantize, QuantizedModel } from '../../src/interop/index.js';
import { kernelBackends, randomArray } from '../helpers/backends.js';

const accuracy = (pred: Int32Array, y: ArrayLike<number>) => pred.reduce((s, p, i) => s + (p === y[i] ? 1 : 0), 0) / pred.length;

describe('quantize(): one dense layer within the derived error bound', () => {
  for (const [signed, label] of [[false, 'inputs ≥ 0 (zero point 0)'], [true, 'inputs of both signs (zero point 64)']] as const) {
    it(label, () => {
      const inSize = 45, units = 7, rows = 50;
      const model = new Sequential({ inputSize: inSize, seed: 3, layers: [dense(units, { activation: 'identity' })] });
      const X = { data: randomArray(rows * inSize, 9, signed ? -2 : 0, 2), rows, cols: inSize };
      const q = quantize(model, { calibration: X });
      const L = q.layers[0]!;
      expect(L.inputZeroPoint).toBe(signed ? 64 : 0);
      const { W, b } = model.getWeights()[0]!;
      const got = q.predict(X).data;
      const sx = L.inputScale;
      let worstRatio = 0, slack = 0;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < units; j++) {
          let z = b![j]!, bound = 0, mag = Math.abs(b![j]!);
          const sw = L.weightScale[j]!;
          for (let p = 0; p < inSize; p++) {
            const w = W![j * inSize + p]!, x = X.data[i * inSize + p]!;
            z += w * x;
            bound += Math.abs(w) * sx / 2 + Math.abs(x) * sw / 2 + sx * sw / 4;
            mag += Math.abs(w * x);
          }
          bound += 1e-5 * mag;
          const err = Math.abs(got[i * units + j]! - z);
          worstRatio = Math.max(worstRatio, err / bound);
          slack = Math.max(slack, bound / mag);
        }
      }
      expect(worstRatio).toBeLessThanOrEqual(1);
      expect(slack).toBeLessThan(0.05); // the bound is a few % of Σ|w·x|: the check has teeth
      q.dispose();
      model.dispose();
    });
  }
});

describe('quantize(): digits', () => {
  const { X, y } = loadDigits();
  const split = trainTestSplit(X, y, { testSize: 0.25, stratify: true, seed: 0 });
  const scaler = new StandardScaler().fit(split.XTrain);
  const Xtr = scaler.transform(split.XTrain), Xte = scaler.transform(split.XTest);

  it('test accuracy within 0.3 points of float32, on the TS twin and the WASM binary alike', () => {
    for (const backend of kernelBackends()) {
      const model = new Sequential({ inputSize: 64, seed: 0, backend, layers: [dense(64, { activation: 'relu' }), dense(10, { activation: 'softmax' })] });
      model.compile({ optimizer: adam({ learningRate: 1e-3 }), l2: 1e-4 }).fitSync(Xtr, split.yTrain, { epochs: 60, batchSize: 32 });
      const f32 = accuracy(model.predictClasses(Xte), split.yTest);
      const q = quantize(model, { calibration: Xtr });
      const i8 = accuracy(q.predictClasses(Xte), split.yTest);
      expect(f32).toBeGreaterThanOrEqual(0.97);
      expect(Math.abs(i8 - f32)).toBeLessThanOrEqual(0.003);
      expect(q.layers[0]!.inputZeroPoint).toBe(64); // standardized: both signs
      expect(q.layers[1]!.inputZeroPoint).toBe(0); // after ReLU
      const p = q.predictProba(Xte);
      for (let i = 0; i < p.rows; i++) expect(Math.abs(p.data.subarray(i * 10, i * 10 + 10).reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-5);
      // the same int8 model on every backend: the int8 layers give the same bits (test/kernels/q8.test.ts);
      // the f32 softmax after them agrees to rounding, as the f32 kernels do; the same classes
      const mine = q.predict(Xte).data, classes = q.predictClasses(Xte);
      for (const other of kernelBackends()) {
        const r = QuantizedModel.fromJSON(JSON.stringify(q.toJSON()), other);
        const theirs = r.predict(Xte).data;
        let worst = 0;
        for (let i = 0; i < mine.length; i++) worst = Math.max(worst, Math.abs(theirs[i]! - mine[i]!));
        expect(worst).toBeLessThan(1e-6);
        expect(r.predictClasses(Xte)).toEqual(classes);
        r.dispose();
      }
      q.dispose();
      model.dispose();
    }
  });
});

describe('quantize(): files, validation, memory', () => {
  const make = () => {
    const m = new Sequential({ inputSize: 10, seed: 2, layers: [dense(9, { activation: 'tanh' }), dense(6, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    const X = { data: randomArray(40 * 10, 4, -1, 1), rows: 40, cols: 10 };
    return { m, X, q: quantize(m, { calibration: X, percentile: 99.9 }) };
  };

  it('toJSON → fromJSON and save → load give the same bits; a tanh layer runs in f32 between int8 layers', () => {
    const { m, X, q } = make();
    expect(q.calibration).toEqual({ method: 'percentile', percentile: 99.9, rows: 40 });
    expect(q.layers.map((l) => l.inputZeroPoint)).toEqual([64, 64, 0]);
    const want = q.predict(X).data;
    const back = QuantizedModel.fromJSON(q.toJSON());
    expect(back.predict(X).data).toEqual(want);
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-int8-'));
    try {
      const path = join(dir, 'm.int8.json');
      q.save(path);
      const loaded = QuantizedModel.load(path);
      expect(loaded.predict(X).data).toEqual(want);
      expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe('simdnet.int8');
      loaded.dispose();
    } finally { rmSync(dir, { recursive: true, force: true }); }
    // close to the f32 model (3 layers: not a bound, a sanity check that it is the same function)
    const f = m.predict(X).data;
    for (let i = 0; i < f.length; i++) expect(Math.abs(want[i]! - f[i]!)).toBeLessThan(0.05);
    back.dispose(); q.dispose(); m.dispose();
  });

  it('corrupt files are refused, naming the field', () => {
    const { m, q } = make();
    const good = q.toJSON();
    const bad = (edit: (j: any) => void) => { const j = JSON.parse(JSON.stringify(good)); edit(j); return () => QuantizedModel.fromJSON(j); };
    expect(bad((j) => { j.version = 2; })).toThrow(/version 2, this simdnet reads version 1/);
    expect(bad((j) => { j.format = 'x'; })).toThrow(ModelFormatError);
    expect(bad((j) => { j.layers[1].inSize = 8; })).toThrow(/layers\[1\]\.inSize is 8, expected 9/);
    expect(bad((j) => { j.layers[0].inputZeroPoint = 3; })).toThrow(/layers\[0\]\.inputZeroPoint is 3, expected 0 or 64/);
    expect(bad((j) => { j.layers[0].inputScale = 0; })).toThrow(/layers\[0\]\.inputScale is 0, expected a positive number/);
    expect(bad((j) => { j.layers[2].weights = btoa('abc'); })).toThrow(/layers\[2\]\.weights holds 3 values, expected units × inSize = 18/);
    expect(bad((j) => { j.layers[2].weights = btoa(String.fromCharCode(...new Array(18).fill(128))); })).toThrow(/weights\[0\] is −128/);
    expect(bad((j) => { j.layers[1].bias = btoa('\0\0\xc0\x7f'.repeat(6)); })).toThrow(/layers\[1\]\.bias\[0\] is null, expected a finite number/);
    expect(bad((j) => { j.layers[0].activation = 'prelu'; })).toThrow(/prelu is not supported/);
    expect(() => QuantizedModel.fromJSON('{')).toThrow(/not valid JSON/);
    q.dispose(); m.dispose();
  });

  it('bad options and unsupported layers are refused with their names', () => {
    const m = new Sequential({ inputSize: 4, seed: 1, layers: [dense(3, { activation: 'relu' }), dense(2, { activation: 'softmax' })] });
    expect(() => quantize(m, {} as never)).toThrow(/options\.calibration/);
    expect(() => quantize(m, { calibration: [[1, 2, 3]] })).toThrow(/has 3 columns, the model expects 4/);
    expect(() => quantize(m, { calibration: [[1, 2, NaN, 4]] })).toThrow(ValidationError);
    expect(() => quantize(m, { calibration: [[1, 2, 3, 4]], percentile: 50 })).toThrow(/options\.percentile.*\[90, 100\], got 50/);
    const bn = new Sequential({ inputSize: 4, seed: 1, layers: [dense(3), batchNorm(), dense(2, { activation: 'softmax' })] });
    expect(() => quantize(bn, { calibration: [[1, 2, 3, 4]] })).toThrow(/layers\[1\].*batchNorm layer is not supported/);
    const pr = new Sequential({ inputSize: 4, seed: 1, layers: [dense(3, { activation: 'prelu' }), dense(2, { activation: 'softmax' })] });
    expect(() => quantize(pr, { calibration: [[1, 2, 3, 4]] })).toThrow(/layers\[0\]\.activation.*prelu is not supported/);
    const q = quantize(m, { calibration: [[1, 2, 3, 4], [0, 1, 0, 1]] });
    expect(() => q.predict([[1, 2]])).toThrow(/row 0 has 2 columns, the model expects 4/);
    expect(() => q.predict({ data: new Float32Array([1, 2, Infinity, 4]), rows: 1, cols: 4 })).toThrow(/row 0, column 2 is Infinity/);
    q.dispose();
    expect(() => q.predict([[1, 2, 3, 4]])).toThrow(/disposed/);
    bn.dispose(); pr.dispose(); m.dispose();
  });

  it('a row\'s outputs do not depend on the batch (panel tails, chunks); a non-finite value past the first chunk is named', () => {
    for (const backend of kernelBackends()) {
      const m = new Sequential({ inputSize: 19, seed: 5, backend, layers: [dense(13, { activation: 'relu' }), dense(11, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
      const rows = 1100;
      const X = { data: randomArray(rows * 19, 8, -1, 3), rows, cols: 19 };
      const q = quantize(m, { calibration: X });
      const all = q.predict(X).data;
      for (const batchSize of [1, 2, 4, 7, 1024]) expect(q.predict(X, { batchSize }).data).toEqual(all);
      const one = q.predict({ data: X.data.subarray(5 * 19, 6 * 19), rows: 1, cols: 19 }).data;
      expect(one).toEqual(all.subarray(5 * 3, 6 * 3));
      const bad = Float32Array.from(X.data);
      bad[1050 * 19 + 4] = NaN; // in the second chunk of 1024 rows
      expect(() => q.predict({ data: bad, rows, cols: 19 })).toThrow(/row 1050, column 4 is NaN, expected a finite number/);
      bad[1050 * 19 + 4] = 1; bad[3 * 19] = -Infinity;
      expect(() => q.predictClasses({ data: bad, rows, cols: 19 })).toThrow(/row 3, column 0 is -Infinity/);
      q.dispose(); m.dispose();
    }
  });

  it('dispose() returns every byte to the arena', () => {
    const backend = createBackendSync({ binary: 'simd' });
    const live = backend.arena.liveBytes, count = backend.arena.liveCount;
    const m = new Sequential({ inputSize: 30, seed: 1, backend, layers: [dense(20, { activation: 'relu' }), dense(5, { activation: 'softmax' })] });
    const X = { data: randomArray(300 * 30, 1, 0, 1), rows: 300, cols: 30 };
    const q = quantize(m, { calibration: X });
    q.predict(X); q.predict(X, { batchSize: 7 });
    q.dispose(); m.dispose();
    expect(backend.arena.liveBytes).toBe(live);
    expect(backend.arena.liveCount).toBe(count);
  });
});
