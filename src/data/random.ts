// A small seeded PRNG for splits and shuffles (mulberry32: 32-bit state, period 2^32), kept local
// so data splits stay reproducible whatever the library's main generator does.

import { ValidationError } from '../errors.js';

export interface SplitRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T;
}

/** A generator from `seed` (an integer; default: a random seed from Math.random). */
export function splitRandom(seed?: number, argName = 'seed'): SplitRandom {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new ValidationError(argName, `expected an integer, got ${String(seed)}`);
  }
  let state = (seed ?? Math.floor(Math.random() * 4294967296)) >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(uniform() * n);
  return {
    uniform,
    int,
    shuffle(a) {
      for (let i = a.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      return a;
    },
  };
}
