// logSoftmax and softmaxJacobian against float64 formulas written here and central differences;
// the exp activation on the notes' seed 003 §3 problem 2 (ŷ_i = Σ_j α_j e^{z_ij}, squared error)
// by hand derivation; model.inputGradient against central differences of J in the inputs.
import { describe, expect, it } from 'vitest';
import { dense, logSoftmax, Sequential, softmaxJacobian, ValidationError } from '../../src/index.js';
import { kernelBackends, testRng } from '../helpers/backends.js';

const softmax64 = (z: number[]) => { const e = z.map(Math.exp); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); };

describe('logSoftmax', () => {
  it('is log(softmax(z)) of the direct float64 formula, per vector and per row', () => {
    const r = testRng(1);
    for (const n of [1, 2, 3, 7]) {
      const z = Array.from({ length: n }, () => r() * 10 - 5);
      const want = softmax64(z).map(Math.log);
      Array.from(logSoftmax(z)).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-14));
    }
    const Z = [[1, 2, 3], [-1, 0, 4]];
    const out = logSoftmax(Z);
    expect([out.rows, out.cols]).toEqual([2, 3]);
    Z.forEach((row, i) => softmax64(row).forEach((p, j) => expect(Math.abs(out.data[i * 3 + j]! - Math.log(p))).toBeLessThan(1e-14)));
    expect(logSoftmax({ data: [1, 2, 3, -1, 0, 4], rows: 2, cols: 3 }).data).toEqual(out.data);
  });

  it('stays finite where exp overflows: logits near 1000 (the notes: no saturation), shift invariance', () => {
    const a = Array.from(logSoftmax([1000, 999, 0]));
    const b = Array.from(logSoftmax([1, 0, -999]));
    a.forEach((v, i) => { expect(Number.isFinite(v)).toBe(true); expect(Math.abs(v - b[i]!)).toBeLessThan(1e-12); });
    expect(a[2]).toBeCloseTo(-1000 - Math.log1p(Math.exp(-1)), 10);
    expect(Array.from(logSoftmax([1000, 0]))).toEqual([0, -1000]);
  });

  it('its derivative δ_ij − s_j matches central differences', () => {
    const z = [0.3, -1.2, 2, 0.7];
    const s = softmax64(z);
    const h = 1e-6;
    for (let j = 0; j < z.length; j++) {
      const plus = z.slice(); plus[j]! += h;
      const minus = z.slice(); minus[j]! -= h;
      const [lp, lm] = [logSoftmax(plus), logSoftmax(minus)];
      for (let i = 0; i < z.length; i++) expect(Math.abs((lp[i]! - lm[i]!) / (2 * h) - ((i === j ? 1 : 0) - s[j]!))).toBeLessThan(1e-8);
    }
  });

  it('refuses empty or non-finite input', () => {
    expect(() => logSoftmax([])).toThrow(ValidationError);
    expect(() => logSoftmax([1, NaN])).toThrow(/z: value 1 is NaN/);
    expect(() => logSoftmax([[1, Infinity]])).toThrow(ValidationError);
  });
});

describe('softmaxJacobian', () => {
  it('J_ij = s_i(δ_ij − s_j) equals central differences of softmax; symmetric, rows sum to 0; stable at 1000', () => {
    const z = [0.5, -0.25, 1.5];
    const J = softmaxJacobian(z);
    expect([J.rows, J.cols]).toEqual([3, 3]);
    const h = 1e-6;
    for (let j = 0; j < 3; j++) {
      const plus = z.slice(); plus[j]! += h;
      const minus = z.slice(); minus[j]! -= h;
      const [sp, sm] = [softmax64(plus), softmax64(minus)];
      for (let i = 0; i < 3; i++) {
        expect(Math.abs(J.data[i * 3 + j]! - (sp[i]! - sm[i]!) / (2 * h))).toBeLessThan(1e-9);
        expect(J.data[i * 3 + j]).toBeCloseTo(J.data[j * 3 + i]!, 15);
      }
      expect(Math.abs(J.data.slice(j * 3, j * 3 + 3).reduce((a, b) => a + b, 0))).toBeLessThan(1e-16);
    }
    expect(Array.from(softmaxJacobian([0, 0]).data)).toEqual([0.25, -0.25, -0.25, 0.25]);
    const big = softmaxJacobian([1000, 1000]);
    expect(Array.from(big.data)).toEqual([0.25, -0.25, -0.25, 0.25]);
  });
});

for (const backend of kernelBackends()) {
  describe(`exp activation and inputGradient (${backend.binary})`, () => {
    it('seed 003 §3 problem 2: ŷ_i = Σ_j α_j e^{z_ij}, L = Σ_i (y_i − ŷ_i)²: loss, ∂L/∂α, ∂L/∂W, ∂L/∂b and ∂L/∂x by hand', () => {
      const f = (v: number[]) => v.map(Math.fround);
      const W = [f([0.2, -0.1]), f([-0.3, 0.2]), f([0.1, 0.1])];
      const b = f([0.5, -0.2, 0.3]); // positive pre-activations too: no elu detour needed
      const alpha = f([1.5, -0.5, 2]);
      const X = [[0.5, -1], [1, 1], [-1, 0.25], [0.2, 0.8]];
      const y = [0.8, 0.3, 1.1, 0.5];
      const N = X.length;
      const m = new Sequential({ inputSize: 2, seed: 1, backend, layers: [dense(3, { activation: 'exp' }), dense(1)] });
      m.setWeights([{ W: W.flat(), b }, { W: alpha, b: [0] }]);
      m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      const Z = X.map((x) => W.map((row, j) => row[0]! * x[0]! + row[1]! * x[1]! + b[j]!));
      const U = Z.map((r) => r.map(Math.exp));
      const yhat = U.map((u) => u.reduce((s, v, j) => s + alpha[j]! * v, 0));
      const close = (a: number, e: number) => expect(Math.abs(a - e)).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(e)));
      Array.from(m.predict(X).data).forEach((v, i) => close(v, yhat[i]!));
      const dyhat = yhat.map((v, i) => 2 * (v - y[i]!));
      const dZ = U.map((u, i) => u.map((e, j) => dyhat[i]! * alpha[j]! * e)); // ∂L/∂u_ij = ∂L/∂ŷ_i·α_j, ∂u/∂z = e^z
      const { loss, grads } = m.lossAndGradients(X, y);
      close(loss * N, yhat.reduce((s, v, i) => s + (y[i]! - v) ** 2, 0));
      alpha.forEach((_, j) => close(grads[1]!.W![j]! * N, dyhat.reduce((s, d, i) => s + d * U[i]![j]!, 0)));
      W.forEach((row, j) => row.forEach((_, k) => close(grads[0]!.W![j * 2 + k]! * N, dZ.reduce((s, d, i) => s + d[j]! * X[i]![k]!, 0))));
      b.forEach((_, j) => close(grads[0]!.b![j]! * N, dZ.reduce((s, d) => s + d[j]!, 0)));
      const g = m.inputGradient(X, y);
      expect([g.rows, g.cols]).toEqual([4, 2]);
      X.forEach((_, i) => [0, 1].forEach((k) => close(g.data[i * 2 + k]! * N, dZ[i]!.reduce((s, d, j) => s + d * W[j]![k]!, 0))));
      m.dispose();
    });

    it('exp saturates at the largest float32 instead of overflowing to Infinity', () => {
      const m = new Sequential({ inputSize: 1, seed: 1, backend, layers: [dense(1, { activation: 'exp' })] });
      m.setWeights([{ W: [1], b: [0] }]);
      const p = Array.from(m.predict([[0], [1], [-1], [88], [100], [1e4], [-1e4]]).data);
      expect(p[0]).toBe(1);
      expect(Math.abs(p[1]! - Math.E) / Math.E).toBeLessThan(1e-6);
      expect(Math.abs(p[2]! - 1 / Math.E) * Math.E).toBeLessThan(1e-6);
      expect(Math.abs(p[3]! - Math.exp(88)) / Math.exp(88)).toBeLessThan(1e-6);
      expect(p.slice(4, 6)).toEqual([3.4028234663852886e38, 3.4028234663852886e38]);
      expect(p[6]).toBe(0);
      m.dispose();
    });

    it('inputGradient = central differences of J in each input (float64), with L2 and a softmax output', () => {
      const m = new Sequential({ inputSize: 3, seed: 6, backend, layers: [dense(5, { activation: 'exp' }), dense(4, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] });
      m.compile({ optimizer: 'sgd', l2: 0.3 });
      const r = testRng(2);
      const X = Array.from({ length: 4 }, () => [0, 0, 0].map(() => Math.fround(r() - 0.5)));
      const y = [0, 2, 1, 2];
      const g = m.inputGradient(X, y, { precision: 'float64' });
      expect(g.data).toBeInstanceOf(Float64Array);
      const J = (Xp: number[][]) => m.trace(Xp, y, { precision: 'float64' }).loss!;
      const h = 2 ** -14;
      X.forEach((row, i) => row.forEach((_, k) => {
        const plus = X.map((q) => q.slice()); plus[i]![k]! += h;
        const minus = X.map((q) => q.slice()); minus[i]![k]! -= h;
        expect(Math.abs(g.data[i * 3 + k]! - (J(plus) - J(minus)) / (2 * h))).toBeLessThan(1e-8);
      }));
      const g32 = m.inputGradient(X, y);
      g32.data.forEach((v, q) => expect(Math.abs(v - g.data[q]!)).toBeLessThan(1e-5));
      expect(() => m.inputGradient(X, undefined as unknown as number[])).toThrow(/y: is missing/);
      m.dispose();
    });
  });
}
