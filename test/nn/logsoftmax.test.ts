// The logSoftmax output activation (issue 17 item 7) and its loss, negativeLogLikelihood, against
// float64 formulas written here: a = z − log Σ e^z of the model's own logits, J = −(1/m)·Σ y·a.
// Gradients are checked by central differences in test/nn/gradients.test.ts.

import { beforeAll, describe, expect, it } from 'vitest';
import { dense, ready, Sequential, ValidationError } from '../../src/index.js';
import { kernelBackends, testRng } from '../helpers/backends.js';

beforeAll(async () => { await ready(); });

function logSoftmax64(z: ArrayLike<number>, rows: number, K: number): Float64Array {
  const out = new Float64Array(rows * K);
  for (let r = 0; r < rows; r++) {
    let mx = -Infinity;
    for (let j = 0; j < K; j++) mx = Math.max(mx, z[r * K + j]!);
    let s = 0;
    for (let j = 0; j < K; j++) s += Math.exp(z[r * K + j]! - mx);
    for (let j = 0; j < K; j++) out[r * K + j] = z[r * K + j]! - mx - Math.log(s);
  }
  return out;
}

const rng = testRng(4);
const ROWS = 23;
const X = { data: Float32Array.from({ length: ROWS * 3 }, () => 4 * rng() - 2), rows: ROWS, cols: 3 };
const y = Int32Array.from({ length: ROWS }, (_, i) => (X.data[i * 3]! + X.data[i * 3 + 1]! > 0 ? (X.data[i * 3 + 2]! > 0 ? 2 : 1) : 0));

for (const backend of kernelBackends()) {
  describe(`logSoftmax output (${backend.binary})`, () => {
    it('predict gives z − log Σ e^z of the logits (float64 formula), finite where log(softmax) in float32 is −∞', () => {
      const m = new Sequential({ inputSize: 3, seed: 2, backend, layers: [dense(5, { activation: 'tanh' }), dense(4, { activation: 'logSoftmax' })] });
      const Z = m.predictLogits(X);
      const A = m.predict(X);
      const want = logSoftmax64(Z.data, ROWS, 4);
      for (let i = 0; i < want.length; i++) expect(Math.abs(A.data[i]! - want[i]!)).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(want[i]!)));
      // scale the output weights by 1000: logits differ by hundreds, e^(−hundreds) underflows float32
      const w = m.getWeights();
      w[1]!.W = w[1]!.W!.map((v) => v * 1000);
      m.setWeights(w);
      const big = m.predict(X).data;
      const wantBig = logSoftmax64(m.predictLogits(X).data, ROWS, 4);
      expect(Math.min(...wantBig)).toBeLessThan(-200);
      for (let i = 0; i < big.length; i++) {
        expect(Number.isFinite(big[i]!)).toBe(true);
        expect(Math.abs(big[i]! - wantBig[i]!)).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(wantBig[i]!)));
      }
      expect(Array.from(m.predictClasses(X))).toEqual(Array.from({ length: ROWS }, (_, r) => { let k = 0; for (let j = 1; j < 4; j++) if (wantBig[r * 4 + j]! > wantBig[r * 4 + k]!) k = j; return k; }));
      m.dispose();
    });

    it('compile() pairs it with negativeLogLikelihood: J = −(1/m)·Σ y·a, from the predictions in float64; training lowers it', () => {
      const m = new Sequential({ inputSize: 3, seed: 5, backend, layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'logSoftmax' })] });
      m.compile({ optimizer: 'adam' });
      expect(m.compiled!.loss).toBe('negativeLogLikelihood');
      const nll = () => { const A = m.predict(X).data; let J = 0; for (let r = 0; r < ROWS; r++) J -= A[r * 3 + y[r]!]!; return J / ROWS; };
      const before = nll();
      expect(m.evaluate(X, y).loss).toBeCloseTo(before, 5);
      const h = m.fitSync(X, y, { epochs: 40, batchSize: 8 });
      expect(h.loss[h.loss.length - 1]!).toBeLessThan(h.loss[0]!);
      const after = nll();
      expect(after).toBeLessThan(before);
      expect(m.evaluate(X, y).loss).toBeCloseTo(after, 5);
      // the outputs stay log-probabilities after training steps (Σ e^a = 1 per row)
      const A = m.predict(X).data;
      for (let r = 0; r < ROWS; r++) expect(Math.exp(A[r * 3]!) + Math.exp(A[r * 3 + 1]!) + Math.exp(A[r * 3 + 2]!)).toBeCloseTo(1, 5);
      m.dispose();
    });
  });
}

describe('logSoftmax: where it cannot go', () => {
  it('only the last layer, at least 2 units, only with negativeLogLikelihood', () => {
    expect(() => new Sequential({ inputSize: 3, layers: [dense(4, { activation: 'logSoftmax' }), dense(2)] })).toThrow(/logSoftmax is an output activation; use it on the last layer only/);
    expect(() => new Sequential({ inputSize: 3, layers: [dense(1, { activation: 'logSoftmax' })] })).toThrow(/a logSoftmax output needs at least 2 units/);
    const m = new Sequential({ inputSize: 3, layers: [dense(3, { activation: 'logSoftmax' })] });
    expect(() => m.compile({ loss: 'categoricalCrossentropy' })).toThrow(ValidationError);
    expect(() => m.compile({ loss: 'categoricalCrossentropy' })).toThrow(/categoricalCrossentropy needs a softmax output layer, the last layer has logSoftmax/);
    expect(() => m.compile({ loss: 'squaredError' })).toThrow(/squaredError with a logSoftmax output is not supported; use negativeLogLikelihood/);
    const s = new Sequential({ inputSize: 3, layers: [dense(3, { activation: 'softmax' })] });
    expect(() => s.compile({ loss: 'negativeLogLikelihood' })).toThrow(/negativeLogLikelihood needs a logSoftmax output layer, the last layer has softmax/);
    m.dispose();
    s.dispose();
  });
});
