// model.statistics and fit's diagnostics against a sort-based oracle written here (quantiles by
// their definition: the sorted values, h = (n − 1)·p, linear interpolation), over layer values
// recomputed in float64 from the weights; fit at learning rate 0 measures and trains nothing.
import { describe, expect, it } from 'vitest';
import { dense, Sequential, sgd, summaryStats } from '../../src/index.js';
import { kernelBackends, testRng } from '../helpers/backends.js';

function oracleStats(values: readonly number[]) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const q = (p: number) => { const h = (n - 1) * p; const lo = Math.floor(h); return lo + 1 < n ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!; };
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { mean, std, min: s[0]!, q1: q(0.25), median: q(0.5), q3: q(0.75), max: s[n - 1]!, zeroFraction: s.filter((v) => v === 0).length / n };
}

function expectStats(got: ReturnType<typeof summaryStats>, values: readonly number[], tol: number, what: string) {
  const want = oracleStats(values);
  for (const k of Object.keys(want) as (keyof typeof want)[]) {
    expect(Math.abs(got[k] - want[k]), `${what}.${k}: ${got[k]} vs ${want[k]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[k])));
  }
}

describe('summaryStats', () => {
  it('numpy.percentile hand cases and random data against the sort-based oracle', () => {
    // numpy: mean 2.8, std 1.6 (population), percentile([3,1,4,1,5], [25, 50, 75]) = [1, 3, 4]
    const s = summaryStats([3, 1, 4, 1, 5]);
    expect([s.min, s.q1, s.median, s.q3, s.max]).toEqual([1, 1, 3, 4, 5]);
    expect(s.mean).toBeCloseTo(2.8, 14);
    expect(s.std).toBeCloseTo(1.6, 14);
    const r = testRng(3);
    for (const n of [1, 2, 7, 100, 1001]) {
      const v = Array.from({ length: n }, () => (r() < 0.2 ? 0 : r() * 6 - 3));
      expectStats(summaryStats(Float32Array.from(v)), Array.from(Float32Array.from(v)), 1e-12, `n=${n}`);
    }
  });
});

for (const backend of kernelBackends()) {
  describe(`model.statistics (${backend.binary})`, () => {
    const r = testRng(9);
    const X = Array.from({ length: 30 }, () => [r() * 4 - 2, r() * 4 - 2, r() * 4 - 2]);
    const y = X.map((x) => (x[0]! + x[1]! * x[2]! > 0 ? 1 : 0));
    const model = new Sequential({ inputSize: 3, seed: 2, backend, layers: [dense(8, { activation: 'relu' }), dense(4, { activation: 'tanh' }), dense(2, { activation: 'softmax' })] });
    model.compile({ optimizer: sgd({ learningRate: 0 }), l2: 0.05 });
    const w = model.getWeights();
    // float64 forward from the weights
    const fwd = (Wt: Float32Array, b: Float32Array, A: number[][], f: (z: number) => number) => {
      const out = b.length, inp = Wt.length / out;
      const Z = A.map((a) => Array.from({ length: out }, (_, o) => a.reduce((s, v, i) => s + v * Wt[o * inp + i]!, b[o]!)));
      return { Z, A: Z.map((row) => row.map(f)) };
    };
    const l1 = fwd(w[0]!.W!, w[0]!.b!, X, (z) => Math.max(0, z));
    const l2 = fwd(w[1]!.W!, w[1]!.b!, l1.A, Math.tanh);

    it('activations and pre-activations per layer: mean, std, min, quartiles, max of the float64 forward; a ReLU layer never below 0', () => {
      const st = model.statistics(X);
      expect(st.layers).toHaveLength(3);
      expect(st.layers[0]!.activationFunction).toBe('relu');
      expectStats(st.layers[0]!.preActivation!, l1.Z.flat(), 1e-5, 'L0 z');
      expectStats(st.layers[0]!.activation, l1.A.flat(), 1e-5, 'L0 a');
      expectStats(st.layers[1]!.preActivation!, l2.Z.flat(), 1e-5, 'L1 z');
      expectStats(st.layers[1]!.activation, l2.A.flat(), 1e-5, 'L1 a');
      expect(st.layers[0]!.activation.min).toBeGreaterThanOrEqual(0);
      expect(st.layers[0]!.activation.q1).toBeGreaterThanOrEqual(0);
      expect(st.layers[0]!.gradient).toBeUndefined();
      const dead = l1.A[0]!.filter((_, j) => l1.A.every((row) => row[j] === 0)).length / 8;
      expect(st.layers[0]!.deadFraction).toBe(dead);
    });

    it('with targets: δ, weight, bias and input gradients against the sort-based oracle of the trace\'s values, and lossAndGradients\' gradients', () => {
      const st = model.statistics(X, y, { precision: 'float64' });
      const t = model.trace(X, y, { precision: 'float64' });
      const { grads, loss } = model.lossAndGradients(X, y);
      expect(st.loss).toBeCloseTo(loss, 5);
      st.layers.forEach((s, l) => {
        const lt = t.layers[l]!;
        expectStats(s.gradient!, Array.from(lt.delta!.data), 1e-12, `L${l} δ`);
        expectStats(s.weightGradient!, Array.from(lt.dW!.data), 1e-12, `L${l} dW`);
        expectStats(s.biasGradient!, Array.from(lt.db!), 1e-12, `L${l} db`);
        expectStats(s.inputGradient!, Array.from(lt.dx!.data), 1e-12, `L${l} dx`);
        // and the float32 gradients of the model itself
        expectStats(s.weightGradient!, Array.from(grads[l]!.W!), 1e-4, `L${l} dW (float32)`);
        expectStats(s.biasGradient!, Array.from(grads[l]!.b!), 1e-4, `L${l} db (float32)`);
      });
    });

    it('fit at learning rate 0: diagnostics of the one full batch (pre-activations, bias gradients included), weights unchanged', () => {
      const { grads } = model.lossAndGradients(X, y);
      const h = model.fitSync(X, y, { epochs: 2, batchSize: X.length, shuffle: false, diagnostics: true });
      expect(model.getWeights()).toEqual(w);
      expect(h.diagnostics).toHaveLength(2);
      for (const d of h.diagnostics) {
        const [d0, d1] = d.layers;
        expectStats(d0!.preActivation, l1.Z.flat(), 1e-5, 'fit L0 z');
        expectStats(d0!.activation, l1.A.flat(), 1e-5, 'fit L0 a');
        expectStats(d1!.preActivation, l2.Z.flat(), 1e-5, 'fit L1 z');
        expectStats(d0!.biasGradient, Array.from(grads[0]!.b!), 1e-5, 'fit L0 db');
        expectStats(d1!.weightGradient, Array.from(grads[1]!.W!), 1e-5, 'fit L1 dW');
      }
      expect(h.loss[0]).toBe(h.loss[1]);
    });
  });
}
