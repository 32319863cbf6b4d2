// Bias initializers: zeros by default, the notes' U(±ε) on the bias column, constants; seeded,
// kept by toJSON/fromJSON (re-initializing a loaded model draws the same biases), bad input refused.
import { describe, expect, it } from 'vitest';
import { dense, Sequential, ValidationError } from '../../src/index.js';

const UNITS = 3000;

function biases(options: Parameters<typeof dense>[1], seed = 5): Float32Array {
  const m = new Sequential({ inputSize: 2, seed, layers: [dense(UNITS, { activation: 'sigmoid', ...options })] });
  const b = m.getWeights()[0]!.b!;
  m.dispose();
  return b;
}

describe('dense({ biasInitializer })', () => {
  it("default and 'zeros' start every bias at 0", () => {
    expect(biases({}).every((v) => v === 0)).toBe(true);
    expect(biases({ biasInitializer: 'zeros' }).every((v) => v === 0)).toBe(true);
    expect(biases({ biasInitializer: { type: 'zeros' } }).every((v) => v === 0)).toBe(true);
  });

  it("'uniform' draws U(±initEpsilon): inside the interval, mean ≈ 0 and std ≈ ε/√3 (5-σ bounds of the sample moments)", () => {
    for (const eps of [0.12, 1]) {
      const b = biases({ init: 'uniform', initEpsilon: eps, biasInitializer: 'uniform' });
      let s = 0, s2 = 0, max = 0;
      for (const v of b) { s += v; s2 += v * v; max = Math.max(max, Math.abs(v)); }
      const n = b.length;
      const mean = s / n;
      const varTrue = (eps * eps) / 3;
      expect(max).toBeLessThanOrEqual(eps);
      expect(max).toBeGreaterThan(0.99 * eps);
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(varTrue / n));
      // Var of v² for U(±ε) is ε⁴/5 − ε⁴/9 = 4ε⁴/45
      expect(Math.abs(s2 / n - varTrue)).toBeLessThan(5 * Math.sqrt((4 * eps ** 4) / 45 / n));
    }
    const e = biases({ biasInitializer: { type: 'uniform', epsilon: 0.5 } });
    expect(Math.max(...Array.from(e, Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...Array.from(e, Math.abs))).toBeGreaterThan(0.49);
  });

  it('a constant fills every bias with it (a number or { type: constant, value })', () => {
    expect(biases({ biasInitializer: 0.25 }).every((v) => v === 0.25)).toBe(true);
    expect(biases({ biasInitializer: { type: 'constant', value: -2 } }).every((v) => v === -2)).toBe(true);
  });

  it('is seeded: same seed, same biases; another seed, others', () => {
    const a = biases({ biasInitializer: 'uniform' }, 9);
    expect(biases({ biasInitializer: 'uniform' }, 9)).toEqual(a);
    expect(biases({ biasInitializer: 'uniform' }, 10)).not.toEqual(a);
  });

  it('is serialized: the spec survives toJSON/fromJSON, and initialize() on the loaded model redraws the same values', () => {
    const m = new Sequential({ inputSize: 3, seed: 11, layers: [dense(4, { activation: 'tanh', biasInitializer: { type: 'uniform', epsilon: 0.3 } }), dense(1, { activation: 'sigmoid', biasInitializer: 0.5 })] });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.layers[0].biasInitializer).toEqual({ type: 'uniform', epsilon: 0.3 });
    expect(json.layers[1].biasInitializer).toEqual({ type: 'constant', value: 0.5 });
    const before = m.getWeights();
    const back = Sequential.fromJSON(json);
    back.setWeights(before.map((w) => ({ ...w, b: new Float32Array(w.b!.length) })));
    back.initialize();
    const after = back.getWeights();
    expect(after[0]!.b).toEqual(before[0]!.b);
    expect(after[1]!.b).toEqual(Float32Array.of(0.5));
    expect(after[0]!.W).toEqual(before[0]!.W);
    // a zeros layer writes no entry (older files read the same)
    expect('biasInitializer' in new Sequential({ inputSize: 1, layers: [dense(1)] }).toJSON().layers[0]!).toBe(false);
    m.dispose();
    back.dispose();
  });

  it('refuses bad values, naming the argument', () => {
    const bad: [unknown, RegExp][] = [
      ['ones', /biasInitializer.*expected 'zeros', 'uniform'/],
      [Number.NaN, /biasInitializer.*finite number/],
      [{ type: 'uniform', epsilon: -1 }, /biasInitializer\.epsilon.*ε > 0/],
      [{ type: 'uniform', eps: 1 }, /biasInitializer\.eps.*not an option/],
      [{ type: 'constant' }, /biasInitializer\.value.*finite number/],
      [{ type: 'normal' }, /biasInitializer/],
    ];
    for (const [v, re] of bad) {
      expect(() => dense(2, { biasInitializer: v as never })).toThrow(ValidationError);
      expect(() => dense(2, { biasInitializer: v as never })).toThrow(re);
    }
  });
});
