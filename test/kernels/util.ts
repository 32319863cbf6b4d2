// Shared pieces of the kernel tests: the awkward lengths, output buffers guarded by sentinels,
// and the relative-error measure. (Imported by test/kernels/*.test.ts; not a test itself; the f64
// oracles are in test/helpers/oracle.ts.)
import { expect } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { get, put } from '../helpers/backends.js';

export const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 9, 31, 33, 63, 65, 127, 1000];
export const SENTINEL = -123456.75;
const GUARD = 4;

/** An output buffer of n floats followed by GUARD sentinels (all prefilled with the sentinel). */
export function outBuf(b: Backend, n: number): number {
  return put(b, new Float32Array(n + GUARD).fill(SENTINEL));
}

/** Puts values followed by sentinels, so an in-place kernel's guard can be checked too. */
export function putGuarded(b: Backend, values: ArrayLike<number>): number {
  const a = new Float32Array(values.length + GUARD).fill(SENTINEL);
  a.set(values);
  return put(b, a);
}

export function expectGuard(b: Backend, ptr: number, n: number): void {
  const g = get(b, ptr + n * 4, GUARD);
  for (let i = 0; i < GUARD; i++) expect(g[i], `sentinel ${i} past ${n} floats`).toBe(SENTINEL);
}

export function expectUnchanged(b: Backend, ptr: number, values: Float32Array): void {
  const now = get(b, ptr, values.length);
  expect(Array.from(now)).toEqual(Array.from(values));
}

/** max over i of |a_i − e_i| / max(|e_i|, floor); NaN mismatch → Infinity. */
export function relErr(actual: ArrayLike<number>, expected: ArrayLike<number>, floor: number): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(a) || Number.isNaN(e)) { if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity; continue; }
    if (a === e) continue;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), floor);
    if (!(err <= worst)) worst = err;
  }
  return worst;
}
