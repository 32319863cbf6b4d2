// The GEMM driver with leading dimensions, for the thread pool (src/threads/): a thread computes a
// block of rows or columns of C in place, reading its operands inside larger row-major matrices.
//   C[m×n] (row stride ldc) (=|+=) op(A)·op(B) + bias[n], relu last;
//   A: m×k with row stride lda, or (aTrans) stored k×m with row stride lda;
//   B: k×n with row stride ldb, or (bTrans) stored n×k with row stride ldb.
// With lda, ldb, ldc equal to the natural strides this is gemm() of assembly/gemm/driver.ts. The
// loops, blocking (NC, equal-size KC depth blocks, MC, strips of 5 rows then of 4), packing and
// micro-kernels are that driver's, in the same order, and the depth blocks depend on k only:
// every element of C is summed exactly as the single-threaded GEMM sums it, so row and column
// splits are bit-identical. Keep this file in step with driver.ts.
// workPtr: f32_gemm_work_bytes(m, n, k) bytes, 64-byte aligned, laid out as the driver's.
// Edge tiles go through its first 192 bytes; C is never touched outside its m×n block.

import { f32_ukernel_4x8, f32_ukernel_5x8, INIT_BIAS, INIT_C, INIT_C_BIAS, INIT_ZERO } from '../gemm/kernel';
import { packColsContiguous, packRowsInterleaved } from '../gemm/pack';
import { GEMM_ACCUMULATE, GEMM_RELU, KC, MC, MR, NC, NR } from '../gemm/driver';

const TILE_BYTES: usize = 192;

@inline
function align64(x: usize): usize {
  return (x + 63) & ~(<usize>63);
}

@inline
function ukernel(h: i32, kc: i32, a: usize, b: usize, c: usize, ldc: usize, init: i32, biasPtr: usize, relu: bool): void {
  if (h == MR) f32_ukernel_5x8(kc, a, b, c, ldc, init, biasPtr, relu);
  else f32_ukernel_4x8(kc, a, b, c, ldc, init, biasPtr, relu);
}

/** Rows of the 5-row strips at the start of a block of mc rows; 4-row strips follow (driver.ts). */
function fiveRowSpan(mc: i32): i32 {
  const fours = (4 * mc) % 5;
  return 4 * fours <= mc ? mc - 4 * fours : 0;
}

function edgeTile(h: i32, kc: i32, a: usize, b: usize, c: usize, ldc: usize, mr: i32, nr: i32, init: i32, biasPtr: usize, relu: bool, tile: usize): void {
  if (nr == NR) {
    const zero = f32x4.splat(0);
    for (let r = 0; r < MR; r++) {
      const t = tile + (<usize>r << 5);
      const cr = c + <usize>r * ldc;
      const load = r < mr && (init & INIT_C) != 0;
      v128.store(t, load ? v128.load(cr) : zero);
      v128.store(t, load ? v128.load(cr, 16) : zero, 16);
    }
    ukernel(h, kc, a, b, tile, 32, INIT_C | (init & INIT_BIAS), biasPtr, relu);
    for (let r = 0; r < mr; r++) {
      const t = tile + (<usize>r << 5);
      const cr = c + <usize>r * ldc;
      v128.store(cr, v128.load(t));
      v128.store(cr, v128.load(t, 16), 16);
    }
    return;
  }
  for (let r = 0; r < MR; r++) {
    const t = tile + (<usize>r << 5);
    const cr = c + <usize>r * ldc;
    for (let j = 0; j < NR; j++) {
      let v: f32 = 0;
      if (r < mr && j < nr) {
        if (init & INIT_C) v = load<f32>(cr + (<usize>j << 2));
        if (init & INIT_BIAS) v += load<f32>(biasPtr + (<usize>j << 2));
      }
      store<f32>(t + (<usize>j << 2), v);
    }
  }
  ukernel(h, kc, a, b, tile, 32, INIT_C, 0, relu);
  for (let r = 0; r < mr; r++) {
    const t = tile + (<usize>r << 5);
    const cr = c + <usize>r * ldc;
    for (let j = 0; j < nr; j++) store<f32>(cr + (<usize>j << 2), load<f32>(t + (<usize>j << 2)));
  }
}

function noDepth(biasPtr: usize, cPtr: usize, ldc: i32, m: i32, n: i32, flags: i32): void {
  const acc = (flags & GEMM_ACCUMULATE) != 0;
  const relu = (flags & GEMM_RELU) != 0;
  for (let i = 0; i < m; i++) {
    const cr = cPtr + (<usize>i * <usize>ldc << 2);
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      let v: f32 = acc ? load<f32>(cr + o) : 0;
      if (biasPtr) v += load<f32>(biasPtr + o);
      if (relu && v < 0) v = 0;
      store<f32>(cr + o, v);
    }
  }
}

export function gemmLd(aPtr: usize, aTrans: bool, lda: i32, bPtr: usize, bTrans: bool, ldb: i32, biasPtr: usize,
  cPtr: usize, ldc: i32, m: i32, n: i32, k: i32, flags: i32, workPtr: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) { noDepth(biasPtr, cPtr, ldc, m, n, flags); return; }
  const acc = (flags & GEMM_ACCUMULATE) != 0;
  const relu = (flags & GEMM_RELU) != 0;
  const tile = workPtr;
  const aPack = workPtr + TILE_BYTES;
  const bPack = aPack + align64(<usize>((min(m, MC) + MR - 1) / MR * MR) * <usize>min(k, KC) << 2);
  const ldcBytes = <usize>ldc << 2;
  const kBlocks = (k + KC - 1) / KC;
  const kStep = (k + kBlocks - 1) / kBlocks;
  const firstInit = acc ? (biasPtr ? INIT_C_BIAS : INIT_C) : (biasPtr ? INIT_BIAS : INIT_ZERO);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      const init = pc == 0 ? firstInit : INIT_C;
      const reluNow = relu && pc + kc == k;
      for (let jr = 0; jr < nc; jr += NR) {
        const nr = min(NR, nc - jr);
        const dst = bPack + (<usize>jr * <usize>kc << 2);
        if (bTrans) packRowsInterleaved(dst, bPtr + (<usize>(jc + jr) * <usize>ldb << 2), ldb, nr, NR, pc, kc);
        else packColsContiguous(dst, bPtr + (<usize>(jc + jr) << 2), ldb, nr, NR, pc, kc);
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const five = fiveRowSpan(mc);
        for (let ir = 0; ir < mc;) {
          const h = ir < five ? MR : 4;
          const mr = min(h, mc - ir);
          const dst = aPack + (<usize>ir * <usize>kc << 2);
          if (aTrans) packColsContiguous(dst, aPtr + (<usize>(ic + ir) << 2), lda, mr, h, pc, kc);
          else packRowsInterleaved(dst, aPtr + (<usize>(ic + ir) * <usize>lda << 2), lda, mr, h, pc, kc);
          ir += h;
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const b = bPack + (<usize>jr * <usize>kc << 2);
          const bias = biasPtr ? biasPtr + (<usize>(jc + jr) << 2) : 0;
          for (let ir = 0; ir < mc;) {
            const h = ir < five ? MR : 4;
            const mr = min(h, mc - ir);
            const a = aPack + (<usize>ir * <usize>kc << 2);
            const c = cPtr + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (mr == h && nr == NR) ukernel(h, kc, a, b, c, ldcBytes, init, bias, reluNow);
            else edgeTile(h, kc, a, b, c, ldcBytes, mr, nr, init, bias, reluNow, tile);
            ir += h;
          }
        }
      }
    }
  }
}
