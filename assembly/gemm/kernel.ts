// f32-gemm-5x8 micro-kernel, wasm SIMD (f32x4), splat variant: C[5×8] = init + Apack·Bpack.
// Apack holds, for each depth p, the 5 values A[0..5, p] (20 bytes per p); Bpack holds, for each p,
// the 8 values B[p, 0..8] (32 bytes per p). Both are packed by pack.ts and zero-padded, so the
// kernel always computes a full tile; C rows are ldc bytes apart and must hold 5×8 valid floats
// (edge tiles go through a scratch tile, see driver.ts). Init bits: INIT_C loads the current C,
// INIT_BIAS adds bias[0..8] to every row (zeros when neither). relu: pmax(x, 0) before the store,
// which keeps NaN. madd is mul + add, or relaxed_madd in the relaxed binary (simd.ts).
// 5×8 rather than XNNPACK's 4×8: 10 accumulators cover the 4-cycle FMA latency at 2 FMA/cycle
// with slack; 6×8 needs 17 live vectors and spills (x64 has 16). Figures in bench/README.md.
// Accumulators are named cRxLLLL: row R, lanes (columns) LLLL.
// p ≠ 0: the optimizer step of step.ts on the finished tile, from the accumulators still in registers
// (the last depth block of f32_gemm_tn_step): P (and v when ≠ 0) have C's layout at the tile's offset.

import { madd } from '../simd';
import { STEP_DECAY, STEP_LR, STEP_MU, stepVec } from './step';

export const INIT_ZERO = 0;
export const INIT_BIAS = 1;
export const INIT_C = 2;
/** C + bias (accumulate with a bias). */
export const INIT_C_BIAS = 3;

export function f32_ukernel_5x8(kc: i32, a: usize, b: usize, c: usize, ldc: usize, init: i32, biasPtr: usize, relu: bool,
  p: usize = 0, v: usize = 0, hPtr: usize = 0): void {
  let c0x0123 = f32x4.splat(0), c0x4567 = f32x4.splat(0);
  let c1x0123 = c0x0123, c1x4567 = c0x0123, c2x0123 = c0x0123, c2x4567 = c0x0123, c3x0123 = c0x0123, c3x4567 = c0x0123;
  let c4x0123 = c0x0123, c4x4567 = c0x0123;
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc;
  if (init & INIT_C) {
    c0x0123 = v128.load(c); c0x4567 = v128.load(c, 16);
    c1x0123 = v128.load(c1); c1x4567 = v128.load(c1, 16);
    c2x0123 = v128.load(c2); c2x4567 = v128.load(c2, 16);
    c3x0123 = v128.load(c3); c3x4567 = v128.load(c3, 16);
    c4x0123 = v128.load(c4); c4x4567 = v128.load(c4, 16);
  }
  if (init & INIT_BIAS) {
    const vbias0123 = v128.load(biasPtr), vbias4567 = v128.load(biasPtr, 16);
    c0x0123 = f32x4.add(c0x0123, vbias0123); c0x4567 = f32x4.add(c0x4567, vbias4567);
    c1x0123 = f32x4.add(c1x0123, vbias0123); c1x4567 = f32x4.add(c1x4567, vbias4567);
    c2x0123 = f32x4.add(c2x0123, vbias0123); c2x4567 = f32x4.add(c2x4567, vbias4567);
    c3x0123 = f32x4.add(c3x0123, vbias0123); c3x4567 = f32x4.add(c3x4567, vbias4567);
    c4x0123 = f32x4.add(c4x0123, vbias0123); c4x4567 = f32x4.add(c4x4567, vbias4567);
  }
  // Rows 0-3 of A come as one vector and are splat by lane shuffles, row 4 by a load-splat: V8
  // schedules every load of the loop body at its top, so four load-splats would keep 15 vectors
  // live and spill; shuffles are placed next to their use (14 live: 10 accumulators, 2 B, A, splat).
  const bEnd = b + (<usize>kc << 5);
  while (b < bEnd) {
    const vb0123 = v128.load(b), vb4567 = v128.load(b, 16);
    const va0123 = v128.load(a);
    let va = i32x4.shuffle(va0123, va0123, 0, 0, 0, 0);
    c0x0123 = madd(va, vb0123, c0x0123); c0x4567 = madd(va, vb4567, c0x4567);
    va = i32x4.shuffle(va0123, va0123, 1, 1, 1, 1);
    c1x0123 = madd(va, vb0123, c1x0123); c1x4567 = madd(va, vb4567, c1x4567);
    va = i32x4.shuffle(va0123, va0123, 2, 2, 2, 2);
    c2x0123 = madd(va, vb0123, c2x0123); c2x4567 = madd(va, vb4567, c2x4567);
    va = i32x4.shuffle(va0123, va0123, 3, 3, 3, 3);
    c3x0123 = madd(va, vb0123, c3x0123); c3x4567 = madd(va, vb4567, c3x4567);
    va = v128.load32_splat(a, 16);
    c4x0123 = madd(va, vb0123, c4x0123); c4x4567 = madd(va, vb4567, c4x4567);
    a += 20; b += 32;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    c0x0123 = f32x4.pmax(c0x0123, zero); c0x4567 = f32x4.pmax(c0x4567, zero);
    c1x0123 = f32x4.pmax(c1x0123, zero); c1x4567 = f32x4.pmax(c1x4567, zero);
    c2x0123 = f32x4.pmax(c2x0123, zero); c2x4567 = f32x4.pmax(c2x4567, zero);
    c3x0123 = f32x4.pmax(c3x0123, zero); c3x4567 = f32x4.pmax(c3x4567, zero);
    c4x0123 = f32x4.pmax(c4x0123, zero); c4x4567 = f32x4.pmax(c4x4567, zero);
  }
  if (p) {
    const vnlr = f32x4.splat(-<f32>load<f64>(hPtr, STEP_LR)), vmu = f32x4.splat(<f32>load<f64>(hPtr, STEP_MU));
    const fdecay = <f32>load<f64>(hPtr, STEP_DECAY), vdecay = f32x4.splat(fdecay), decay = fdecay != 0;
    const p1 = p + ldc, p2 = p1 + ldc, p3 = p2 + ldc;
    const v1 = v ? v + ldc : 0, v2 = v ? v1 + ldc : 0, v3 = v ? v2 + ldc : 0;
    c0x0123 = stepVec(c0x0123, p, v, 0, vnlr, vmu, vdecay, decay); c0x4567 = stepVec(c0x4567, p, v, 16, vnlr, vmu, vdecay, decay);
    c1x0123 = stepVec(c1x0123, p1, v1, 0, vnlr, vmu, vdecay, decay); c1x4567 = stepVec(c1x4567, p1, v1, 16, vnlr, vmu, vdecay, decay);
    c2x0123 = stepVec(c2x0123, p2, v2, 0, vnlr, vmu, vdecay, decay); c2x4567 = stepVec(c2x4567, p2, v2, 16, vnlr, vmu, vdecay, decay);
    c3x0123 = stepVec(c3x0123, p3, v3, 0, vnlr, vmu, vdecay, decay); c3x4567 = stepVec(c3x4567, p3, v3, 16, vnlr, vmu, vdecay, decay);
    const p4 = p3 + ldc, v4 = v ? v3 + ldc : 0;
    c4x0123 = stepVec(c4x0123, p4, v4, 0, vnlr, vmu, vdecay, decay); c4x4567 = stepVec(c4x4567, p4, v4, 16, vnlr, vmu, vdecay, decay);
  }
  v128.store(c, c0x0123); v128.store(c, c0x4567, 16);
  v128.store(c1, c1x0123); v128.store(c1, c1x4567, 16);
  v128.store(c2, c2x0123); v128.store(c2, c2x4567, 16);
  v128.store(c3, c3x0123); v128.store(c3, c3x4567, 16);
  v128.store(c4, c4x0123); v128.store(c4, c4x4567, 16);
}

/** The 4-row twin of f32_ukernel_5x8 (Apack: 16 bytes per p), for strips that make m an exact sum
 *  of 5- and 4-row strips (see driver.ts): same operations per element, so the same results. */
export function f32_ukernel_4x8(kc: i32, a: usize, b: usize, c: usize, ldc: usize, init: i32, biasPtr: usize, relu: bool,
  p: usize = 0, v: usize = 0, hPtr: usize = 0): void {
  let c0x0123 = f32x4.splat(0), c0x4567 = f32x4.splat(0);
  let c1x0123 = c0x0123, c1x4567 = c0x0123, c2x0123 = c0x0123, c2x4567 = c0x0123, c3x0123 = c0x0123, c3x4567 = c0x0123;
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (init & INIT_C) {
    c0x0123 = v128.load(c); c0x4567 = v128.load(c, 16);
    c1x0123 = v128.load(c1); c1x4567 = v128.load(c1, 16);
    c2x0123 = v128.load(c2); c2x4567 = v128.load(c2, 16);
    c3x0123 = v128.load(c3); c3x4567 = v128.load(c3, 16);
  }
  if (init & INIT_BIAS) {
    const vbias0123 = v128.load(biasPtr), vbias4567 = v128.load(biasPtr, 16);
    c0x0123 = f32x4.add(c0x0123, vbias0123); c0x4567 = f32x4.add(c0x4567, vbias4567);
    c1x0123 = f32x4.add(c1x0123, vbias0123); c1x4567 = f32x4.add(c1x4567, vbias4567);
    c2x0123 = f32x4.add(c2x0123, vbias0123); c2x4567 = f32x4.add(c2x4567, vbias4567);
    c3x0123 = f32x4.add(c3x0123, vbias0123); c3x4567 = f32x4.add(c3x4567, vbias4567);
  }
  const bEnd = b + (<usize>kc << 5);
  while (b < bEnd) {
    const vb0123 = v128.load(b), vb4567 = v128.load(b, 16);
    const va0123 = v128.load(a);
    let va = i32x4.shuffle(va0123, va0123, 0, 0, 0, 0);
    c0x0123 = madd(va, vb0123, c0x0123); c0x4567 = madd(va, vb4567, c0x4567);
    va = i32x4.shuffle(va0123, va0123, 1, 1, 1, 1);
    c1x0123 = madd(va, vb0123, c1x0123); c1x4567 = madd(va, vb4567, c1x4567);
    va = i32x4.shuffle(va0123, va0123, 2, 2, 2, 2);
    c2x0123 = madd(va, vb0123, c2x0123); c2x4567 = madd(va, vb4567, c2x4567);
    va = i32x4.shuffle(va0123, va0123, 3, 3, 3, 3);
    c3x0123 = madd(va, vb0123, c3x0123); c3x4567 = madd(va, vb4567, c3x4567);
    a += 16; b += 32;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    c0x0123 = f32x4.pmax(c0x0123, zero); c0x4567 = f32x4.pmax(c0x4567, zero);
    c1x0123 = f32x4.pmax(c1x0123, zero); c1x4567 = f32x4.pmax(c1x4567, zero);
    c2x0123 = f32x4.pmax(c2x0123, zero); c2x4567 = f32x4.pmax(c2x4567, zero);
    c3x0123 = f32x4.pmax(c3x0123, zero); c3x4567 = f32x4.pmax(c3x4567, zero);
  }
  if (p) {
    const vnlr = f32x4.splat(-<f32>load<f64>(hPtr, STEP_LR)), vmu = f32x4.splat(<f32>load<f64>(hPtr, STEP_MU));
    const fdecay = <f32>load<f64>(hPtr, STEP_DECAY), vdecay = f32x4.splat(fdecay), decay = fdecay != 0;
    const p1 = p + ldc, p2 = p1 + ldc, p3 = p2 + ldc;
    const v1 = v ? v + ldc : 0, v2 = v ? v1 + ldc : 0, v3 = v ? v2 + ldc : 0;
    c0x0123 = stepVec(c0x0123, p, v, 0, vnlr, vmu, vdecay, decay); c0x4567 = stepVec(c0x4567, p, v, 16, vnlr, vmu, vdecay, decay);
    c1x0123 = stepVec(c1x0123, p1, v1, 0, vnlr, vmu, vdecay, decay); c1x4567 = stepVec(c1x4567, p1, v1, 16, vnlr, vmu, vdecay, decay);
    c2x0123 = stepVec(c2x0123, p2, v2, 0, vnlr, vmu, vdecay, decay); c2x4567 = stepVec(c2x4567, p2, v2, 16, vnlr, vmu, vdecay, decay);
    c3x0123 = stepVec(c3x0123, p3, v3, 0, vnlr, vmu, vdecay, decay); c3x4567 = stepVec(c3x4567, p3, v3, 16, vnlr, vmu, vdecay, decay);
  }
  v128.store(c, c0x0123); v128.store(c, c0x4567, 16);
  v128.store(c1, c1x0123); v128.store(c1, c1x4567, 16);
  v128.store(c2, c2x0123); v128.store(c2, c2x4567, 16);
  v128.store(c3, c3x0123); v128.store(c3, c3x4567, 16);
}
