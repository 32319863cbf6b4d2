// The tests' float64 oracle for activations: one definition per activation name of the public
// API, written from the formulas (not from src/), shared by the kernel tests (test/kernels/) and
// the network oracle (refnet.ts). Keyed by ActivationName, so a new activation does not typecheck
// until its definition is written here.

import type { ActivationName } from '../../src/nn/activations.js';

/** erf(x) in f64: the series 2/√π·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3···(2n+1)) for |x| ≤ 3, 1 − erfc beyond. */
export function erf64(x: number): number {
  if (Math.abs(x) > 3) return Math.sign(x) * (1 - erfc64(Math.abs(x)));
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/** erfc(z) for z ≥ 3 by its continued fraction e^{−z²}/√π · 1/(z + 1/2/(z + 1/(z + 3/2/(z + ...)))) (relative accuracy in the tail). */
export function erfc64(z: number): number {
  let f = z;
  for (let k = 60; k >= 1; k--) f = z + (k / 2) / f;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}

/** Φ(x), the standard normal CDF, in f64 (relative accuracy in the left tail). */
export function phi64(x: number): number {
  if (x >= -3 * Math.SQRT2) return 0.5 * (1 + erf64(x / Math.SQRT2));
  return 0.5 * erfc64(-x / Math.SQRT2);
}

export const sigmoid64 = (x: number): number => 1 / (1 + Math.exp(-x));

/** Stable log(1 + eˣ). */
const softplus64 = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

export interface ActivationOracle {
  /** f(x) with the activation's parameters a (alpha), b (beta) and the unit (column) index. prelu: a is the unit's slope; rrelu: its inference form. */
  f(x: number, a: number, b: number, unit: number): number;
  /** Points where f' jumps: finite-difference checks keep their inputs away from them. */
  kinks: readonly number[];
}

const O = (f: ActivationOracle['f'], kinks: readonly number[] = []): ActivationOracle => ({ f, kinks });

export const ACTIVATION_ORACLE: Record<Exclude<ActivationName, 'softmax' | 'logSoftmax'>, ActivationOracle> = {
  identity: O((x) => x),
  linear: O((x) => x),
  step: O((x) => (x >= 0 ? 1 : 0), [0]),
  sigmoid: O((x) => sigmoid64(x)),
  tanh: O((x) => Math.tanh(x)),
  arctan: O((x) => Math.atan(x)),
  relu: O((x) => Math.max(x, 0), [0]),
  leakyRelu: O((x, a) => (x >= 0 ? x : a * x), [0]),
  prelu: O((x, a) => (x >= 0 ? x : a * x), [0]),
  rrelu: O((x, a, b) => (x >= 0 ? x : ((a + b) / 2) * x), [0]),
  elu: O((x, a) => (x > 0 ? x : a * Math.expm1(x)), [0]),
  softsign: O((x) => x / (1 + Math.abs(x))),
  softplus: O((x, _a, b) => softplus64(b * x) / b),
  mish: O((x) => x * Math.tanh(softplus64(x))),
  isru: O((x, a) => x / Math.sqrt(1 + a * x * x)),
  isrlu: O((x, a) => (x >= 0 ? x : x / Math.sqrt(1 + a * x * x)), [0]),
  sqnl: O((x) => (x > 2 ? 1 : x >= 0 ? x - (x * x) / 4 : x >= -2 ? x + (x * x) / 4 : -1), [-2, 0, 2]),
  bipolarRelu: O((x, _a, _b, unit) => (unit % 2 === 0 ? Math.max(x, 0) : Math.min(x, 0)), [0]),
  gelu: O((x) => x * phi64(x)),
  silu: O((x) => x * sigmoid64(x)),
  exp: O((x) => Math.min(Math.exp(x), 3.4028234663852886e38)),
};

/** Z = X·Wᵀ (+ b) (+ Z0 when flags & 2) (relu when flags & 1) in f64, X m×k and W n×k row-major, and per output
 *  Σ|x·w| + |b| + |z0|, the scale of an f32 GEMM's rounding error: the oracle of the nt GEMM tests. */
export function ntReference64(x: Float32Array, w: Float32Array, b: Float32Array | null, z0: Float32Array, m: number, n: number, k: number, flags: number) {
  const out = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, a = 0;
    for (let p = 0; p < k; p++) { s += x[i * k + p]! * w[j * k + p]!; a += Math.abs(x[i * k + p]! * w[j * k + p]!); }
    if (b) { s += b[j]!; a += Math.abs(b[j]!); }
    if (flags & 2) { s += z0[i * n + j]!; a += Math.abs(z0[i * n + j]!); }
    if (flags & 1) s = Math.max(0, s);
    out[i * n + j] = s;
    scale[i * n + j] = a;
  }
  return { out, scale };
}
