// The seeded PRNG of simdnet: xoshiro128** (Blackman & Vigna 2018) on a 4×u32 state, seeded by
// splitmix32. The same state can be written into the arena (writeState) so a WASM kernel or its TS
// twin continues the very same stream, and read back afterwards (readState).

import { ValidationError } from './errors.js';

/** One xoshiro128** step on the 4 words s[o..o+3] (in place); returns the 32-bit output. */
export function xoshiroNext(s: Uint32Array, o: number): number {
  const s0 = s[o]!, s1 = s[o + 1]!, s2 = s[o + 2]!, s3 = s[o + 3]!;
  const x = Math.imul(s1, 5);
  const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  s[o + 1] = s1 ^ n2;
  s[o] = s0 ^ n3;
  s[o + 2] = n2 ^ t;
  s[o + 3] = (n3 << 11) | (n3 >>> 21);
  return result;
}

/** (next >>> 8)·2^-24 ∈ [0, 1): the same float the kernels compute in f32 (exactly representable). */
export function xoshiroUniform(s: Uint32Array, o: number): number {
  return (xoshiroNext(s, o) >>> 8) * 5.9604644775390625e-8;
}

/** splitmix32 (Steele, Lea & Flood's SplitMix with 32-bit murmur3 finalizer constants). */
function splitmix32(seed: number): () => number {
  let z = seed >>> 0;
  return () => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    return (t ^ (t >>> 16)) >>> 0;
  };
}

/**
 * Seeded random numbers, identical on every backend.
 * @example const rng = new Rng(42); const u = rng.uniform(); rng.shuffle(indices);
 */
export class Rng {
  private readonly s = new Uint32Array(4);

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new ValidationError('seed', `must be a finite number, got ${seed}`);
    const sm = splitmix32(Math.floor(seed) >>> 0 ^ Math.floor(seed / 4294967296));
    for (let i = 0; i < 4; i++) this.s[i] = sm();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Next 32-bit output as an unsigned integer. */
  nextU32(): number {
    return xoshiroNext(this.s, 0);
  }

  /** Uniform in [0, 1) with 24 random bits, equal to what the kernels draw. */
  uniform(): number {
    return xoshiroUniform(this.s, 0);
  }

  uniformRange(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Normal deviate by Box–Muller (two uniforms per value, no cached spare: the state says it all). */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Unbiased integer in [0, n) for 1 ≤ n ≤ 2^32 (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new ValidationError('n', `Rng.int takes an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place: for i from the end, j = int(i + 1), swap. int()'s remainders are taken in
   *  doubles: ⌊x / n⌋ rounded is the quotient or one more (then x − q·n < 0, put back by + n) and q·n < 2^33 is
   *  exact, so the j's are int()'s; 2.5–4× faster than V8's `%` here (a fit shuffles its rows every epoch). */
  shuffle<T extends Int32Array | number[]>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const n = i + 1;
      let r = 4294967296 - Math.floor(4294967296 / n) * n; // 2^32 mod n
      if (r < 0) r += n;
      let x: number;
      do x = xoshiroNext(this.s, 0); while (x >= 4294967296 - r);
      let j = x - Math.floor(x / n) * n;
      if (j < 0) j += n;
      const v = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = v;
    }
    return arr;
  }

  /** A copy of the 4 state words. */
  state(): Uint32Array {
    return this.s.slice();
  }

  setState(s: ArrayLike<number>): void {
    if (s.length !== 4) throw new ValidationError('s', `setState expects 4 words, got ${s.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = s[i]! >>> 0;
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) throw new ValidationError('s', 'setState: the all-zero state is invalid');
  }

  /** Copies the state to 16 bytes at byte pointer ptr of a u32 view (for a kernel's rngPtr). */
  writeState(u32: Uint32Array, ptr: number): void {
    u32.set(this.s, ptr >>> 2);
  }

  /** Takes the state back from the arena after kernels advanced it. */
  readState(u32: Uint32Array, ptr: number): void {
    this.setState(u32.subarray(ptr >>> 2, (ptr >>> 2) + 4));
  }
}
