// xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018) with
// its 4×u32 state at rngPtr (16 bytes, words s0..s3 in order). Kernels load the state into
// module globals, draw, and store it back, so the stream continues across calls and matches
// src/rng.ts word for word. uniform = (next >>> 8)·2^-24 ∈ [0, 1), exact in f32.

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

@inline
export function rngLoad(ptr: usize): void {
  s0 = load<u32>(ptr);
  s1 = load<u32>(ptr, 4);
  s2 = load<u32>(ptr, 8);
  s3 = load<u32>(ptr, 12);
}

@inline
export function rngStore(ptr: usize): void {
  store<u32>(ptr, s0);
  store<u32>(ptr, s1, 4);
  store<u32>(ptr, s2, 8);
  store<u32>(ptr, s3, 12);
}

@inline
export function rngNext(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

@inline
export function rngUniform(): f32 {
  return <f32>(rngNext() >>> 8) * <f32>5.9604644775390625e-8;
}
