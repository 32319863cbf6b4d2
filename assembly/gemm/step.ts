// The optimizer step fused into the weight-gradient GEMM: f32_gemm_tn computes dW = dZᵀ·X tile by
// tile, and once a tile's last depth block is summed, the micro-kernel (kernel.ts) updates the same
// 5×8 (or 4×8) block of W (plain SGD, or momentum with its velocity) from the accumulators still in
// registers, instead of a second pass over W and dW; edge tiles go through stepTile below after the
// scratch tile is copied back (placements measured: bench/README.md). Per element, in this order, exactly the operations of the unfused path
// (f32_axpy for the L2 term, then f32_sgd_step or f32_momentum_step), so results are bit-identical
// to it on every binary:
//   g = C + decay·P (only when decay ≠ 0), stored back to C (the gradient block keeps the full gradient);
//   momentum: v = mu·v + g, P = P − lr·v;   SGD (vPtr = 0): P = P − lr·g.
// The numbers come from a block of three f64 at hPtr (8-byte aligned): lr, mu, decay, written by the
// optimizer and rounded to f32 here as the f32 arguments of the unfused kernels are.
// P and v have C's layout (rows ldc floats apart).

import { madd } from '../simd';
import { loadN, storeN } from '../eltwise/lanes';

/** Slots (bytes) of the hyperparameter block at hPtr. */
export const STEP_LR: usize = 0;
export const STEP_MU: usize = 8;
export const STEP_DECAY: usize = 16;

/** One vector of the step at byte offset `at` of P and v: returns the gradient (with the L2 term) to store in C. */
@inline
export function stepVec(g: v128, p: usize, v: usize, at: usize, vnlr: v128, vmu: v128, vdecay: v128, decay: bool): v128 {
  const vp = v128.load(p + at);
  if (decay) g = madd(vdecay, vp, g);
  if (v) {
    const vv = madd(vmu, v128.load(v + at), g);
    v128.store(v + at, vv);
    v128.store(p + at, madd(vnlr, vv, vp));
  } else {
    v128.store(p + at, madd(vnlr, g, vp));
  }
  return g;
}

/** One vector (rem = 4) or tail (1–3 floats) of the update at byte offset `at` of C, P and v. */
@inline
function stepLanes(c: usize, p: usize, v: usize, at: usize, rem: usize, vnlr: v128, vmu: v128, vdecay: v128, decay: bool): void {
  const vp = loadN(p + at, rem);
  let g = loadN(c + at, rem);
  if (decay) {
    g = madd(vdecay, vp, g);
    storeN(c + at, g, rem);
  }
  if (v) {
    const vv = madd(vmu, loadN(v + at, rem), g);
    storeN(v + at, vv, rem);
    storeN(p + at, madd(vnlr, vv, vp), rem);
  } else {
    storeN(p + at, madd(vnlr, g, vp), rem);
  }
}

/** The update of an mr×nr block of C (gradient) and of P, v at the same offsets (see above). */
@inline
export function stepTile(c: usize, p: usize, v: usize, ldcBytes: usize, mr: i32, nr: i32, hPtr: usize): void {
  const vnlr = f32x4.splat(-<f32>load<f64>(hPtr, STEP_LR));
  const vmu = f32x4.splat(<f32>load<f64>(hPtr, STEP_MU));
  const fdecay = <f32>load<f64>(hPtr, STEP_DECAY);
  const vdecay = f32x4.splat(fdecay);
  const decay = fdecay != 0;
  if (nr == 8) {
    // A whole tile: two vectors per row, no tail logic.
    for (let r = 0; r < mr; r++) {
      const o = <usize>r * ldcBytes;
      stepLanes(c, p, v, o, 4, vnlr, vmu, vdecay, decay);
      stepLanes(c, p, v, o + 16, 4, vnlr, vmu, vdecay, decay);
    }
    return;
  }
  for (let r = 0; r < mr; r++) {
    const o = <usize>r * ldcBytes;
    for (let j = 0; j < nr; j += 4) {
      stepLanes(c, p, v, o + (<usize>j << 2), <usize>min(4, nr - j), vnlr, vmu, vdecay, decay);
    }
  }
}
