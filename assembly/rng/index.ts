// Random fills from the xoshiro128** state at rngPtr (see xoshiro.ts); the state advances in memory.
// out[i] = lo + (hi − lo)·u_i, computed in f32 without fusing, so the TS twin matches bit for bit.

import { rngLoad, rngStore, rngUniform } from './xoshiro';

export function f32_rand_uniform(rngPtr: usize, outPtr: usize, n: i32, lo: f32, hi: f32): void {
  rngLoad(rngPtr);
  const span = hi - lo;
  for (let i = 0; i < n; i++) store<f32>(outPtr + (<usize>i << 2), lo + span * rngUniform());
  rngStore(rngPtr);
}
