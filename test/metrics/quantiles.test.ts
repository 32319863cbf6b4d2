// Quantiles (Hyndman & Fan definition 7) against NumPy's published results, the defining
// property P(X ≤ q_p) ≥ p ≥ P(X < q_p) on random data, and the order statistics that fit() records
// in its per-layer diagnostics against the layer's activations recomputed in float64.
import { describe, expect, it } from 'vitest';
import { dense, fiveNumbers, quantiles, quantileSorted, Sequential, sgd, ValidationError } from '../../src/index.js';
import { Rng } from '../../src/rng.js';

describe('quantiles', () => {
  it('matches numpy.percentile (linear interpolation) on small hand cases', () => {
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) = [1.75, 2.5, 3.25]
    expect(quantiles([4, 2, 1, 3], [0.25, 0.5, 0.75])).toEqual([1.75, 2.5, 3.25]);
    // numpy.percentile([3, 1, 4, 1, 5], [0, 25, 50, 75, 100]) = [1, 1, 3, 4, 5]
    expect(fiveNumbers([3, 1, 4, 1, 5])).toEqual({ min: 1, q1: 1, median: 3, q3: 4, max: 5 });
    // numpy.percentile([10, 20], 10) = 11; one value is every quantile of itself
    expect(quantileSorted([10, 20], 0.1)).toBeCloseTo(11, 12);
    expect(quantiles([7], [0, 0.3, 1])).toEqual([7, 7, 7]);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
  });

  it('splits random data at the requested fractions and stays within [min, max]', () => {
    const rng = new Rng(5);
    const v = Float32Array.from({ length: 1001 }, () => rng.normal(0, 3));
    const ps = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1];
    const q = quantiles(v, ps, new Float64Array(2000));
    ps.forEach((p, i) => {
      const below = v.filter((x) => x < q[i]!).length / v.length;
      const atMost = v.filter((x) => x <= q[i]!).length / v.length;
      expect(atMost).toBeGreaterThanOrEqual(p - 1e-12);
      expect(below).toBeLessThanOrEqual(p + 1e-12);
    });
    expect(q[0]).toBe(Math.min(...v));
    expect(q[6]).toBe(Math.max(...v));
  });

  it('rejects a p outside [0, 1], NaN values and a short scratch', () => {
    expect(() => quantiles([1, 2], [1.5])).toThrow(ValidationError);
    expect(() => quantiles([1, 2], [1.5])).toThrow(/p: expected a probability in \[0, 1\], got 1\.5/);
    expect(() => quantiles([1, NaN], [0.5])).toThrow(/values: value 1 is NaN/);
    expect(() => fiveNumbers([1, 2, 3], new Float64Array(2))).toThrow(/scratch: has 2 elements, expected at least 3/);
  });
});

describe('fit diagnostics record order statistics of each layer', () => {
  it('min, quartiles and max of a layer\'s activations equal those of its output recomputed in float64', () => {
    // One full batch: the recorded activations are those of X under the weights before the step.
    const rng = new Rng(2);
    const X = Array.from({ length: 37 }, () => [rng.normal(0, 1), rng.normal(0, 1), rng.normal(0, 1)]);
    const y = Int32Array.from(X, (r) => (r[0]! + r[1]! > 0 ? 1 : 0));
    const model = new Sequential({ inputSize: 3, seed: 4, backend: 'js', layers: [dense(6, { activation: 'relu' }), dense(2, { activation: 'softmax' })] });
    model.compile({ optimizer: sgd({ learningRate: 0.1 }) });
    const [{ W, b }] = model.getWeights() as { W: Float32Array; b: Float32Array }[];
    const h = model.fitSync(X, y, { epochs: 1, batchSize: X.length, diagnostics: true });
    const acts: number[] = [];
    for (const r of X) for (let j = 0; j < 6; j++) {
      let z = b![j]!;
      for (let i = 0; i < 3; i++) z += W![j * 3 + i]! * r[i]!;
      acts.push(Math.max(0, z));
    }
    acts.sort((a, c) => a - c);
    const q = (p: number) => { const t = (acts.length - 1) * p; const lo = Math.floor(t); return acts[lo]! + (t - lo) * ((acts[lo + 1] ?? acts[lo]!) - acts[lo]!); };
    const s = h.diagnostics[0]!.layers[0]!.activation;
    expect(s.min).toBeCloseTo(acts[0]!, 5);
    expect(s.q1).toBeCloseTo(q(0.25), 5);
    expect(s.median).toBeCloseTo(q(0.5), 5);
    expect(s.q3).toBeCloseTo(q(0.75), 5);
    expect(s.max).toBeCloseTo(acts[acts.length - 1]!, 5);
    const out = h.diagnostics[0]!.layers[1]!.activation;
    expect(out.min).toBeGreaterThanOrEqual(0);
    expect(out.max).toBeLessThanOrEqual(1);
    model.dispose();
  });
});
