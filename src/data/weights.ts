// Class weights for imbalanced classes: 'balanced' gives class c the weight n / (k · n_c)
// (scikit-learn's formula: every class then carries the same total weight), or the caller gives
// one weight per class. Sample weights follow: w_i = classWeight[y_i] (× a given sample weight).

import { ValidationError } from '../errors.js';

/** 'balanced', one weight per class index, or weights by class index / label. */
export type ClassWeight = 'balanced' | ArrayLike<number> | Readonly<Record<string | number, number>>;

/**
 * One weight per class 0..k−1 from class indices y.
 * @example classWeights(Int32Array.from([0, 0, 0, 1]), 2, 'balanced') // Float64Array [0.667, 2]
 */
export function classWeights(y: ArrayLike<number>, k: number, spec: ClassWeight, arg = 'classWeight', names?: readonly (string | number)[]): Float64Array {
  const w = new Float64Array(k);
  if (spec === 'balanced') {
    const counts = new Float64Array(k);
    for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
    for (let c = 0; c < k; c++) w[c] = counts[c]! > 0 ? y.length / (k * counts[c]!) : 0;
    return w;
  }
  if (spec === null || typeof spec !== 'object') throw new ValidationError(arg, `expected 'balanced', an array of ${k} weights or an object of weights by class, got ${JSON.stringify(spec)}`);
  if (Array.isArray(spec) || ArrayBuffer.isView(spec)) {
    const a = spec as ArrayLike<number>;
    if (a.length !== k) throw new ValidationError(arg, `has ${a.length} weights, expected one per class (${k})`);
    for (let c = 0; c < k; c++) w[c] = a[c]!;
  } else {
    w.fill(1);
    const index = new Map<string, number>();
    (names ?? Array.from({ length: k }, (_, c) => c)).forEach((n, c) => index.set(String(n), c));
    for (const [key, v] of Object.entries(spec as Record<string, number>)) {
      const c = index.get(key);
      if (c === undefined) throw new ValidationError(arg, `names the class ${JSON.stringify(key)}, which is not one of the classes (${[...index.keys()].slice(0, 12).map((s) => JSON.stringify(s)).join(', ')})`);
      w[c] = v;
    }
  }
  for (let c = 0; c < k; c++) {
    const v = w[c]!;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(arg, `the weight of class ${names ? JSON.stringify(names[c]) : c} is ${String(v)}, expected a finite number ≥ 0`);
  }
  if (w.every((v) => v === 0)) throw new ValidationError(arg, 'gives every class the weight 0');
  return w;
}

/** w_i = classWeight[y_i] · sampleWeight_i (either may be absent); checks the sample weights. */
export function sampleWeights(y: ArrayLike<number> | undefined, n: number, perClass?: Float64Array, given?: ArrayLike<number>, arg = 'sampleWeight'): Float32Array {
  const w = new Float32Array(n).fill(1);
  if (given !== undefined) {
    if (given.length !== n) throw new ValidationError(arg, `has ${given.length} weights, expected one per row (${n})`);
    for (let i = 0; i < n; i++) {
      const v = given[i]!;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(arg, `${arg}[${i}] is ${String(v)}, expected a finite number ≥ 0`);
      w[i] = v;
    }
  }
  if (perClass && y) for (let i = 0; i < n; i++) w[i]! *= perClass[y[i]!]!;
  return w;
}
