// Initializers: the spread each one promises (Glorot & Bengio 2010, He et al. 2015, LeCun 1998),
// checked on large layers against the formula; seeded; biases zero; zeros gives identical units.
import { describe, expect, it } from 'vitest';
import { dense, Sequential, type InitName } from '../../src/index.js';

const FAN_IN = 400;
const FAN_OUT = 300;

function weights(init: InitName, seed = 3, extra: object = {}): Float32Array {
  const m = new Sequential({ inputSize: FAN_IN, seed, layers: [dense(FAN_OUT, { init, ...extra })] });
  const w = m.getWeights()[0]!;
  expect(Array.from(w.b!).every((v) => v === 0)).toBe(true);
  m.dispose();
  return w.W!;
}

function stats(w: Float32Array) {
  let s = 0, s2 = 0, max = 0;
  for (const v of w) { s += v; s2 += v * v; max = Math.max(max, Math.abs(v)); }
  const mean = s / w.length;
  return { mean, std: Math.sqrt(s2 / w.length - mean * mean), maxAbs: max };
}

const CASES: [InitName, 'uniform' | 'normal', number][] = [
  ['xavier', 'uniform', Math.sqrt(6 / (FAN_IN + FAN_OUT))],
  ['xavierNormal', 'normal', Math.sqrt(2 / (FAN_IN + FAN_OUT))],
  ['he', 'normal', Math.sqrt(2 / FAN_IN)],
  ['heUniform', 'uniform', Math.sqrt(6 / FAN_IN)],
  ['lecun', 'normal', Math.sqrt(1 / FAN_IN)],
  ['lecunUniform', 'uniform', Math.sqrt(3 / FAN_IN)],
  ['uniform', 'uniform', 0.12],
  ['normal', 'normal', 0.1],
];

describe('initializers', () => {
  for (const [init, kind, scale] of CASES) {
    it(`${init}: ${kind} with ${kind === 'uniform' ? 'limit' : 'std'} ${scale.toFixed(4)}`, () => {
      const s = stats(weights(init));
      // 120,000 draws: the std estimate is within ~1 % (5 standard errors ≈ 2 %).
      const std = kind === 'uniform' ? scale / Math.sqrt(3) : scale;
      expect(Math.abs(s.std / std - 1)).toBeLessThan(0.02);
      expect(Math.abs(s.mean)).toBeLessThan(0.02 * std);
      if (kind === 'uniform') {
        expect(s.maxAbs).toBeLessThanOrEqual(scale);
        expect(s.maxAbs).toBeGreaterThan(0.999 * scale);
      }
    });
  }

  it('uniform takes its ε from initEpsilon', () => {
    expect(stats(weights('uniform', 1, { initEpsilon: 0.5 })).maxAbs).toBeGreaterThan(0.499);
  });

  it('the same seed gives the same weights, another seed other weights', () => {
    expect(weights('he', 9)).toEqual(weights('he', 9));
    expect(weights('he', 9)).not.toEqual(weights('he', 10));
  });

  it('relu-like layers default to He, others to Xavier', () => {
    const he = stats(new Sequential({ inputSize: FAN_IN, seed: 1, layers: [dense(FAN_OUT, { activation: 'relu' })] }).getWeights()[0]!.W!);
    const xa = stats(new Sequential({ inputSize: FAN_IN, seed: 1, layers: [dense(FAN_OUT, { activation: 'tanh' })] }).getWeights()[0]!.W!);
    expect(Math.abs(he.std / Math.sqrt(2 / FAN_IN) - 1)).toBeLessThan(0.02);
    expect(Math.abs(xa.std / Math.sqrt(2 / (FAN_IN + FAN_OUT)) - 1)).toBeLessThan(0.02);
  });

  it('zeros: every unit computes the same thing and gets the same gradient, so they never differ (symmetry)', () => {
    const m = new Sequential({ inputSize: 3, seed: 1, layers: [dense(4, { activation: 'tanh', init: 'zeros' }), dense(2, { activation: 'softmax', init: 'zeros' })] }).compile();
    m.fitSync([[1, 2, 3], [-1, 0, 2], [0.5, -2, 1]], [0, 1, 1], { epochs: 20, batchSize: 3 });
    const W = m.getWeights()[0]!.W!;
    for (let unit = 1; unit < 4; unit++) for (let i = 0; i < 3; i++) expect(W[unit * 3 + i]).toBe(W[i]);
    m.dispose();
  });

  it('rejects unknown initializers by name', () => {
    // @ts-expect-error: not an initializer
    expect(() => dense(3, { init: 'glorious' })).toThrow(/unknown initializer "glorious"/);
  });
});
