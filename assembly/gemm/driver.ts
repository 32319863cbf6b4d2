// The GEMM driver shared by the nt, tn and nn layouts: C[m×n] (=|+=) A·B (+ bias), relu last.
// GotoBLAS-style loops: columns in NC blocks, depth in KC blocks (B block packed into 8-column
// panels), rows in MC blocks (A block packed into strips of 5 rows, then of 4, so that m needs
// no padding rows), then the 5×8 or 4×8 micro-kernel over every (panel, strip). Full tiles are
// computed in place; edge tiles (rows past m or columns past n) in a scratch tile at the start
// of the work buffer, copied back row by row, so C is never read or written outside its m×n
// floats. Work buffer layout (64-byte aligned): [scratch tile 5×8][A block ≤ MC×KC][B block
// ≤ NC×KC], see gemmWorkBytes.

import { f32_ukernel_4x8, f32_ukernel_5x8, INIT_BIAS, INIT_C, INIT_C_BIAS, INIT_ZERO } from './kernel';
import { checkDims, checkRegion, spanBytes } from '../checks';
import { packColsContiguous, packColsContiguousPair, packRowsInterleaved } from './pack';
import { stepTile } from './step';
import { gemmNtNarrow, NARROW_N } from './narrow';
import { SKIP_MC, skipWorkBytes, skipZerosRows } from './sparse';

/** Rows of the main micro-kernel tile (f32_ukernel_5x8; f32_ukernel_4x8 completes m, see fiveRowSpan). */
export const MR: i32 = 5;
/** Columns of the micro-kernel tile (two f32x4). */
export const NR: i32 = 8;
/** Depth block: a B panel (KC×8, 8 KB) stays in L1 while every A strip of the block streams past it. */
export const KC: i32 = 256;
/** Row block: the packed A block (MC×KC, 160 KB) stays in L2 across all column panels. */
export const MC: i32 = MR * 32;
/** Column block: bounds the packed B block (NC×KC, 512 KB) and so the work buffer. */
export const NC: i32 = 512;

export const GEMM_RELU: i32 = 1;
export const GEMM_ACCUMULATE: i32 = 2;
/** A's zero terms may be skipped when A is mostly zeros (sparse.ts): the same result unless B holds inf or NaN where A is 0. */
export const GEMM_SKIP_ZEROS: i32 = 4;

const TILE_BYTES: usize = 192;

@inline
function align64(x: usize): usize {
  return (x + 63) & ~(<usize>63);
}

@inline
function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}

function aBlockBytes(m: i32, k: i32): usize {
  return align64(<usize>roundUp(min(m, MC), MR) * <usize>min(k, KC) << 2);
}

function bBlockBytes(n: i32, k: i32): usize {
  return align64(<usize>roundUp(min(n, NC), NR) * <usize>min(k, KC) << 2);
}

export function gemmWorkBytes(m: i32, n: i32, k: i32): usize {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  const dense = TILE_BYTES + aBlockBytes(m, k) + bBlockBytes(n, k);
  return ASC_FEATURE_RELAXED_SIMD ? max(dense, skipWorkBytes(m, k)) : dense;
}

/** The micro-kernel for a strip of h rows (5 or 4). */
@inline
function ukernel(h: i32, kc: i32, a: usize, b: usize, c: usize, ldc: usize, init: i32, biasPtr: usize, relu: bool,
  p: usize = 0, v: usize = 0, hPtr: usize = 0): void {
  if (h == MR) f32_ukernel_5x8(kc, a, b, c, ldc, init, biasPtr, relu, p, v, hPtr);
  else f32_ukernel_4x8(kc, a, b, c, ldc, init, biasPtr, relu, p, v, hPtr);
}

/**
 * Rows of the 5-row strips at the start of a block of mc rows; 4-row strips follow. m = 5a + 4b
 * exactly whenever b = 4m mod 5 fits (every mc ≥ 12, and 4, 5, 8, 9, 10): no zero-padded rows
 * (m = 128 → 24 strips of 5 + 2 of 4, m = 32 → 4 + 3). Otherwise (mc = 1–3, 6, 7, 11) all strips
 * have 4 rows and the last is padded: never more rows than roundUp(mc, 5), as aBlockBytes assumes.
 */
function fiveRowSpan(mc: i32): i32 {
  const fours = (4 * mc) % 5;
  return 4 * fours <= mc ? mc - 4 * fours : 0;
}

/** An edge tile: mr ≤ MR valid rows, nr ≤ 8 valid columns of C at c. The scratch tile holds the
 *  valid part of C (or zeros), the kernel runs on it, the valid part is copied back. */
function edgeTile(h: i32, kc: i32, a: usize, b: usize, c: usize, ldc: usize, mr: i32, nr: i32, init: i32, biasPtr: usize, relu: bool, tile: usize): void {
  if (nr == NR) {
    // Row tail only (m not a multiple of MR): whole rows move as vectors; bias has 8 valid floats.
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

/** k = 0: C = (accumulate ? C : 0) + bias, then relu (C rows ldc floats apart). */
function gemmNoDepth(biasPtr: usize, cPtr: usize, ldc: i32, m: i32, n: i32, flags: i32): void {
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

/**
 * C[m×n] (=|+=) A·B + bias. aTrans: A stored k×m (A^T), else m×k. bTrans: B stored n×k (B^T, the
 * W of nt), else k×n. Natural row strides.
 */
export function gemm(aPtr: usize, aTrans: bool, bPtr: usize, bTrans: bool, biasPtr: usize, cPtr: usize,
  m: i32, n: i32, k: i32, flags: i32, workPtr: usize): void {
  gemmLd(aPtr, aTrans, aTrans ? m : k, bPtr, bTrans, bTrans ? k : n, biasPtr, cPtr, n, m, n, k, flags, workPtr);
}

/**
 * gemm() with leading dimensions (row strides in floats): A rows lda apart, B rows ldb apart, C
 * rows ldc apart. The thread pool computes blocks of rows or columns of C in place with it; the
 * blocking depends on k only, so every element is summed in the same order whatever the block.
 * pPtr ≠ 0: the optimizer step fused into the epilogue (step.ts): each finished tile of C (its last
 * depth block) updates, from registers, the same block of P (and of the velocity v when vPtr ≠ 0), both with C's layout, from the three
 * numbers at hPtr.
 */
export function gemmLd(aPtr: usize, aTrans: bool, lda: i32, bPtr: usize, bTrans: bool, ldb: i32, biasPtr: usize,
  cPtr: usize, ldc: i32, m: i32, n: i32, k: i32, flags: i32, workPtr: usize, pPtr: usize = 0, vPtr: usize = 0, hPtr: usize = 0): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && n >= 0 && k >= 0, 'f32_gemm: m, n and k must be >= 0');
    checkDims(lda >= (aTrans ? m : k) && ldb >= (bTrans ? k : n) && ldc >= n, 'f32_gemm: a leading dimension is shorter than its row');
    checkRegion(aPtr, aTrans ? spanBytes(k, m, lda) : spanBytes(m, k, lda), 4, 'f32_gemm: A must be 4-byte aligned and inside the memory');
    checkRegion(bPtr, bTrans ? spanBytes(n, k, ldb) : spanBytes(k, n, ldb), 4, 'f32_gemm: B must be 4-byte aligned and inside the memory');
    checkRegion(cPtr, spanBytes(m, n, ldc), 4, 'f32_gemm: C must be 4-byte aligned and inside the memory');
    checkRegion(biasPtr, biasPtr ? <usize>n << 2 : 0, 4, 'f32_gemm: bias must be 4-byte aligned and inside the memory');
    checkRegion(pPtr, pPtr ? spanBytes(m, n, ldc) : 0, 4, 'f32_gemm_tn_step: P must be 4-byte aligned with C\'s layout inside the memory');
    checkRegion(vPtr, vPtr ? spanBytes(m, n, ldc) : 0, 4, 'f32_gemm_tn_step: v must be 4-byte aligned with C\'s layout inside the memory');
    checkRegion(hPtr, pPtr ? 24 : 0, 8, 'f32_gemm_tn_step: hPtr must be 8-byte aligned with 3 f64 inside the memory');
    checkRegion(workPtr, gemmWorkBytes(m, n, k), 64, 'f32_gemm: workPtr must be 64-byte aligned with f32_gemm_work_bytes(m, n, k) bytes inside the memory');
  }
  if (m <= 0 || n <= 0) return;
  const ldcBytes = <usize>ldc << 2;
  if (k <= 0) {
    gemmNoDepth(biasPtr, cPtr, ldc, m, n, flags);
    if (pPtr) stepTile(cPtr, pPtr, vPtr, ldcBytes, m, n, hPtr);
    return;
  }
  const acc = (flags & GEMM_ACCUMULATE) != 0;
  const relu = (flags & GEMM_RELU) != 0;
  // Relaxed binary only, as narrow.ts: the browser bundle's simd.wasm has no room for it (120 KB gzip budget).
  if (ASC_FEATURE_RELAXED_SIMD && (flags & GEMM_SKIP_ZEROS) != 0 && !bTrans && !biasPtr && !relu) {
    // Zero-skipping by blocks of C rows; a block whose A is dense runs the dense driver (same sums).
    const ldaBytes = <usize>lda << 2;
    for (let ic = 0; ic < m; ic += SKIP_MC) {
      const mc = min(SKIP_MC, m - ic);
      const a = aTrans ? aPtr + (<usize>ic << 2) : aPtr + <usize>ic * ldaBytes;
      const off = <usize>ic * ldcBytes;
      const p = pPtr ? pPtr + off : 0, v = vPtr ? vPtr + off : 0;
      if (!skipZerosRows(a, aTrans, lda, bPtr, ldb, cPtr + off, ldc, mc, n, k, acc, workPtr, p, v, hPtr)) {
        gemmLd(a, aTrans, lda, bPtr, false, ldb, 0, cPtr + off, ldc, mc, n, k, flags & ~GEMM_SKIP_ZEROS, workPtr, p, v, hPtr);
      }
    }
    return;
  }
  const tile = workPtr;
  const aPack = workPtr + TILE_BYTES;
  const bPack = aPack + aBlockBytes(m, k);
  // Depth blocks of equal size (784 → 4×196, not 3×256 + 16): no short block pays the per-tile cost alone.
  const kBlocks = (k + KC - 1) / KC;
  const kStep = (k + kBlocks - 1) / kBlocks;
  const firstInit = acc ? (biasPtr ? INIT_C_BIAS : INIT_C) : (biasPtr ? INIT_BIAS : INIT_ZERO);
  // A dense layer of few units (nt, n ≤ 16): X in place, one tile across the width (narrow.ts).
  // Relaxed binary only: the browser bundle's simd.wasm has no room for it; same results either way.
  if (ASC_FEATURE_RELAXED_SIMD && bTrans && !aTrans && n <= NARROW_N) {
    gemmNtNarrow(aPtr, lda, bPtr, ldb, biasPtr, cPtr, ldc, m, n, k, kStep, firstInit, relu, bPack);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      const init = pc == 0 ? firstInit : INIT_C;
      const reluNow = relu && pc + kc == k;
      const stepNow = pPtr != 0 && pc + kc == k;
      // B block → panels of 8 columns (kn B: two full panels per pass over the rows).
      for (let jr = 0; jr < nc; jr += NR) {
        const nr = min(NR, nc - jr);
        const dst = bPack + (<usize>jr * <usize>kc << 2);
        if (bTrans) packRowsInterleaved(dst, bPtr + (<usize>(jc + jr) * <usize>ldb << 2), ldb, nr, NR, pc, kc);
        else if (jr + 2 * NR <= nc) { packColsContiguousPair(dst, bPtr + (<usize>(jc + jr) << 2), ldb, pc, kc); jr += NR; }
        else packColsContiguous(dst, bPtr + (<usize>(jc + jr) << 2), ldb, nr, NR, pc, kc);
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        // A block → strips of 5 rows, then of 4.
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
            const off = c - cPtr;
            if (mr == h && nr == NR) {
              if (stepNow) ukernel(h, kc, a, b, c, ldcBytes, init, bias, reluNow, pPtr + off, vPtr ? vPtr + off : 0, hPtr);
              else ukernel(h, kc, a, b, c, ldcBytes, init, bias, reluNow);
            } else {
              edgeTile(h, kc, a, b, c, ldcBytes, mr, nr, init, bias, reluNow, tile);
              if (stepNow) stepTile(c, pPtr + off, vPtr ? vPtr + off : 0, ldcBytes, mr, nr, hPtr);
            }
            ir += h;
          }
        }
      }
    }
  }
}
