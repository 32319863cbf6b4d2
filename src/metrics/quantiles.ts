// Order statistics of a set of values: quantiles by linear interpolation between order
// statistics (Hyndman & Fan's definition 7, NumPy's and R's default: for n sorted values x₀..x₍ₙ₋₁₎
// the p-quantile is x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋₊₁ − x_⌊h⌋) with h = (n − 1)·p), and the five-number
// summary built on it. Every quantile lies in [min, max] of its values, so a band drawn between
// two of them never leaves the range of the data (a mean ± std band can).

import { ValidationError } from '../errors.js';

/** min, quartiles and max of a set of values. */
export interface FiveNumbers { min: number; q1: number; median: number; q3: number; max: number }

/** The p-quantile (0 ≤ p ≤ 1) of values already sorted ascending; NaN for no values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new ValidationError('p', `expected a probability in [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < n ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/**
 * Quantiles of values (any order; NaN is not allowed). `scratch` (length ≥ values.length) avoids
 * allocating the sorted copy.
 * @example quantiles([1, 2, 3, 4], [0.25, 0.5]); // [1.75, 2.5]
 */
export function quantiles(values: ArrayLike<number>, ps: readonly number[], scratch?: Float64Array | Float32Array): number[] {
  const sorted = sortedCopy(values, scratch);
  return ps.map((p) => quantileSorted(sorted, p));
}

/**
 * Minimum, first quartile, median, third quartile and maximum.
 * @example fiveNumbers([3, 1, 4, 1, 5]); // { min: 1, q1: 1, median: 3, q3: 4, max: 5 }
 */
export function fiveNumbers(values: ArrayLike<number>, scratch?: Float64Array | Float32Array): FiveNumbers {
  const s = sortedCopy(values, scratch);
  if (s.length === 0) return { min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN };
  return { min: s[0]!, q1: quantileSorted(s, 0.25), median: quantileSorted(s, 0.5), q3: quantileSorted(s, 0.75), max: s[s.length - 1]! };
}

function sortedCopy(values: ArrayLike<number>, scratch?: Float64Array | Float32Array): Float64Array | Float32Array {
  const n = values.length;
  if (scratch && scratch.length < n) throw new ValidationError('scratch', `has ${scratch.length} elements, expected at least ${n}`);
  const s = scratch ? scratch.subarray(0, n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) throw new ValidationError('values', `value ${i} is NaN; quantiles need numbers`);
    s[i] = v;
  }
  return s.sort();
}
