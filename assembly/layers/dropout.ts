// Inverted dropout over n floats: u_i ~ U[0,1) from the xoshiro128** state at rngPtr (one draw per
// element, in order; the state advances in memory), mask_i = u_i ≥ p ? 1/(1−p) : 0 written to
// maskPtr, y = x ⊙ mask. p = 0 gives mask 1 and y = x. Scalar (the stream is sequential), all in
// f32 so the TS twin reproduces the mask bit for bit.

import { rngLoad, rngStore, rngUniform } from '../rng/xoshiro';

export function f32_dropout_fwd(xPtr: usize, maskPtr: usize, yPtr: usize, n: i32, p: f32, rngPtr: usize): void {
  const keep: f32 = p < 1 ? <f32>1 / (<f32>1 - p) : 0;
  rngLoad(rngPtr);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const mask: f32 = rngUniform() >= p ? keep : 0;
    store<f32>(maskPtr + o, mask);
    store<f32>(yPtr + o, load<f32>(xPtr + o) * mask);
  }
  rngStore(rngPtr);
}
