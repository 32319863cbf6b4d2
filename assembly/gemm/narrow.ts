// f32-gemm-nt narrow, wasm SIMD (relaxed binary only, see driver.ts): Z[m×n] (=|+=) X[m×k]·W[n×k]ᵀ
// + bias[n] (then ReLU) for a dense layer of few units, n ≤ NARROW_N = 16. The 8-column panels of
// the blocked driver pad n = 10 to 16 columns, pack all of X into row strips, and send every tile
// of the last panel through the scratch tile; here X is read in place (each x[i, p] a load-splat
// from its row), W's depth block is packed transposed once (Wt: for each p, W[0..n, p] then zeros
// to nv = ⌈n/4⌉ vectors, packRowsInterleaved), and one tile of R rows × nv vectors covers the
// whole width: (R, nv) = (6, 1), (4, 2), (3, 3), (2, 4), at most 12 accumulators, so that the
// accumulators, the nv loaded Wt vectors and the R splats (V8 loads them all at the loop's top)
// fit x64's 16 vector registers. The 6×1 and 4×2 tiles, with registers to spare, read X four
// depths at a time (one vector load per row, lane shuffles for the splats; load-splats for a depth
// tail); for 3×3 and 2×4 that spilled (bench/README.md, 2026-12-03).
// Rows past m in the last tile re-read row 0 and are not stored;
// only the n valid columns of a row are read (C, bias) or written (loadN / storeN).
// Bit-identical to the blocked driver: each output starts at 0 (or C) + bias, then one madd per
// p = 0..k−1 in order (depth blocks as the driver's, through C, which is exact), ReLU (pmax) last.

import { madd } from '../simd';
import { loadN, storeN } from '../eltwise/lanes';
import { INIT_BIAS, INIT_C } from './kernel';
import { packRowsInterleaved } from './pack';

/** Widest n the narrow kernels take. */
export const NARROW_N: i32 = 16;

@inline
function initVec(c: usize, bias: usize, rem: i32, init: i32): v128 {
  let v = f32x4.splat(0);
  if (init & INIT_C) v = loadN(c, <usize>rem);
  if (init & INIT_BIAS) v = f32x4.add(v, loadN(bias, <usize>rem));
  return v;
}

@inline
function outVec(c: usize, v: v128, rem: i32, relu: bool): void {
  storeN(c, relu ? f32x4.pmax(v, f32x4.splat(0)) : v, <usize>rem);
}

/** Valid floats (1–4) of vector q of a row of `cols` columns. */
@inline
function lanes(cols: i32, q: i32): i32 {
  return min(4, cols - 4 * q);
}

/** n ≤ 4: 6 rows × 1 vector. */
function tile6x4(kc: i32, x: usize, lda: usize, mr: i32, b: usize, c: usize, ldc: usize, cols: i32, init: i32, bias: usize, relu: bool): void {
  const x1 = mr > 1 ? x + lda : x, x2 = mr > 2 ? x + 2 * lda : x, x3 = mr > 3 ? x + 3 * lda : x, x4 = mr > 4 ? x + 4 * lda : x, x5 = mr > 5 ? x + 5 * lda : x;
  const c1 = mr > 1 ? c + ldc : c, c2 = mr > 2 ? c + 2 * ldc : c, c3 = mr > 3 ? c + 3 * ldc : c, c4 = mr > 4 ? c + 4 * ldc : c, c5 = mr > 5 ? c + 5 * ldc : c;
  const r0 = lanes(cols, 0);
  let c0x0 = initVec(c, bias, r0, init);
  let c1x0 = initVec(c1, bias, r0, init);
  let c2x0 = initVec(c2, bias, r0, init);
  let c3x0 = initVec(c3, bias, r0, init);
  let c4x0 = initVec(c4, bias, r0, init);
  let c5x0 = initVec(c5, bias, r0, init);
  let o: usize = 0;
  const end4 = <usize>(kc & ~3) << 2, end = <usize>kc << 2;
  while (o < end4) {
    const vx0 = v128.load(x + o), vx1 = v128.load(x1 + o), vx2 = v128.load(x2 + o), vx3 = v128.load(x3 + o), vx4 = v128.load(x4 + o), vx5 = v128.load(x5 + o);
    let vb0 = v128.load(b);
    let xs = i32x4.shuffle(vx0, vx0, 0, 0, 0, 0); c0x0 = madd(xs, vb0, c0x0);
    xs = i32x4.shuffle(vx1, vx1, 0, 0, 0, 0); c1x0 = madd(xs, vb0, c1x0);
    xs = i32x4.shuffle(vx2, vx2, 0, 0, 0, 0); c2x0 = madd(xs, vb0, c2x0);
    xs = i32x4.shuffle(vx3, vx3, 0, 0, 0, 0); c3x0 = madd(xs, vb0, c3x0);
    xs = i32x4.shuffle(vx4, vx4, 0, 0, 0, 0); c4x0 = madd(xs, vb0, c4x0);
    xs = i32x4.shuffle(vx5, vx5, 0, 0, 0, 0); c5x0 = madd(xs, vb0, c5x0);
    vb0 = v128.load(b, 16);
    xs = i32x4.shuffle(vx0, vx0, 1, 1, 1, 1); c0x0 = madd(xs, vb0, c0x0);
    xs = i32x4.shuffle(vx1, vx1, 1, 1, 1, 1); c1x0 = madd(xs, vb0, c1x0);
    xs = i32x4.shuffle(vx2, vx2, 1, 1, 1, 1); c2x0 = madd(xs, vb0, c2x0);
    xs = i32x4.shuffle(vx3, vx3, 1, 1, 1, 1); c3x0 = madd(xs, vb0, c3x0);
    xs = i32x4.shuffle(vx4, vx4, 1, 1, 1, 1); c4x0 = madd(xs, vb0, c4x0);
    xs = i32x4.shuffle(vx5, vx5, 1, 1, 1, 1); c5x0 = madd(xs, vb0, c5x0);
    vb0 = v128.load(b, 32);
    xs = i32x4.shuffle(vx0, vx0, 2, 2, 2, 2); c0x0 = madd(xs, vb0, c0x0);
    xs = i32x4.shuffle(vx1, vx1, 2, 2, 2, 2); c1x0 = madd(xs, vb0, c1x0);
    xs = i32x4.shuffle(vx2, vx2, 2, 2, 2, 2); c2x0 = madd(xs, vb0, c2x0);
    xs = i32x4.shuffle(vx3, vx3, 2, 2, 2, 2); c3x0 = madd(xs, vb0, c3x0);
    xs = i32x4.shuffle(vx4, vx4, 2, 2, 2, 2); c4x0 = madd(xs, vb0, c4x0);
    xs = i32x4.shuffle(vx5, vx5, 2, 2, 2, 2); c5x0 = madd(xs, vb0, c5x0);
    vb0 = v128.load(b, 48);
    xs = i32x4.shuffle(vx0, vx0, 3, 3, 3, 3); c0x0 = madd(xs, vb0, c0x0);
    xs = i32x4.shuffle(vx1, vx1, 3, 3, 3, 3); c1x0 = madd(xs, vb0, c1x0);
    xs = i32x4.shuffle(vx2, vx2, 3, 3, 3, 3); c2x0 = madd(xs, vb0, c2x0);
    xs = i32x4.shuffle(vx3, vx3, 3, 3, 3, 3); c3x0 = madd(xs, vb0, c3x0);
    xs = i32x4.shuffle(vx4, vx4, 3, 3, 3, 3); c4x0 = madd(xs, vb0, c4x0);
    xs = i32x4.shuffle(vx5, vx5, 3, 3, 3, 3); c5x0 = madd(xs, vb0, c5x0);
    o += 16; b += 64;
  }
  while (o < end) {
    const vb0 = v128.load(b);
    let xs = v128.load32_splat(x + o); c0x0 = madd(xs, vb0, c0x0);
    xs = v128.load32_splat(x1 + o); c1x0 = madd(xs, vb0, c1x0);
    xs = v128.load32_splat(x2 + o); c2x0 = madd(xs, vb0, c2x0);
    xs = v128.load32_splat(x3 + o); c3x0 = madd(xs, vb0, c3x0);
    xs = v128.load32_splat(x4 + o); c4x0 = madd(xs, vb0, c4x0);
    xs = v128.load32_splat(x5 + o); c5x0 = madd(xs, vb0, c5x0);
    o += 4; b += 16;
  }
  outVec(c, c0x0, r0, relu);
  if (mr > 1) outVec(c1, c1x0, r0, relu);
  if (mr > 2) outVec(c2, c2x0, r0, relu);
  if (mr > 3) outVec(c3, c3x0, r0, relu);
  if (mr > 4) outVec(c4, c4x0, r0, relu);
  if (mr > 5) outVec(c5, c5x0, r0, relu);
}

/** 5 ≤ n ≤ 8: 4 rows × 2 vectors. */
function tile4x8(kc: i32, x: usize, lda: usize, mr: i32, b: usize, c: usize, ldc: usize, cols: i32, init: i32, bias: usize, relu: bool): void {
  const x1 = mr > 1 ? x + lda : x, x2 = mr > 2 ? x + 2 * lda : x, x3 = mr > 3 ? x + 3 * lda : x;
  const c1 = mr > 1 ? c + ldc : c, c2 = mr > 2 ? c + 2 * ldc : c, c3 = mr > 3 ? c + 3 * ldc : c;
  const r1 = lanes(cols, 1);
  let c0x0 = initVec(c, bias, 4, init), c0x1 = initVec(c + 16, bias + 16, r1, init);
  let c1x0 = initVec(c1, bias, 4, init), c1x1 = initVec(c1 + 16, bias + 16, r1, init);
  let c2x0 = initVec(c2, bias, 4, init), c2x1 = initVec(c2 + 16, bias + 16, r1, init);
  let c3x0 = initVec(c3, bias, 4, init), c3x1 = initVec(c3 + 16, bias + 16, r1, init);
  let o: usize = 0;
  const end4 = <usize>(kc & ~3) << 2, end = <usize>kc << 2;
  while (o < end4) {
    const vx0 = v128.load(x + o), vx1 = v128.load(x1 + o), vx2 = v128.load(x2 + o), vx3 = v128.load(x3 + o);
    let vb0 = v128.load(b), vb1 = v128.load(b, 16);
    let xs = i32x4.shuffle(vx0, vx0, 0, 0, 0, 0); c0x0 = madd(xs, vb0, c0x0); c0x1 = madd(xs, vb1, c0x1);
    xs = i32x4.shuffle(vx1, vx1, 0, 0, 0, 0); c1x0 = madd(xs, vb0, c1x0); c1x1 = madd(xs, vb1, c1x1);
    xs = i32x4.shuffle(vx2, vx2, 0, 0, 0, 0); c2x0 = madd(xs, vb0, c2x0); c2x1 = madd(xs, vb1, c2x1);
    xs = i32x4.shuffle(vx3, vx3, 0, 0, 0, 0); c3x0 = madd(xs, vb0, c3x0); c3x1 = madd(xs, vb1, c3x1);
    vb0 = v128.load(b, 32); vb1 = v128.load(b, 48);
    xs = i32x4.shuffle(vx0, vx0, 1, 1, 1, 1); c0x0 = madd(xs, vb0, c0x0); c0x1 = madd(xs, vb1, c0x1);
    xs = i32x4.shuffle(vx1, vx1, 1, 1, 1, 1); c1x0 = madd(xs, vb0, c1x0); c1x1 = madd(xs, vb1, c1x1);
    xs = i32x4.shuffle(vx2, vx2, 1, 1, 1, 1); c2x0 = madd(xs, vb0, c2x0); c2x1 = madd(xs, vb1, c2x1);
    xs = i32x4.shuffle(vx3, vx3, 1, 1, 1, 1); c3x0 = madd(xs, vb0, c3x0); c3x1 = madd(xs, vb1, c3x1);
    vb0 = v128.load(b, 64); vb1 = v128.load(b, 80);
    xs = i32x4.shuffle(vx0, vx0, 2, 2, 2, 2); c0x0 = madd(xs, vb0, c0x0); c0x1 = madd(xs, vb1, c0x1);
    xs = i32x4.shuffle(vx1, vx1, 2, 2, 2, 2); c1x0 = madd(xs, vb0, c1x0); c1x1 = madd(xs, vb1, c1x1);
    xs = i32x4.shuffle(vx2, vx2, 2, 2, 2, 2); c2x0 = madd(xs, vb0, c2x0); c2x1 = madd(xs, vb1, c2x1);
    xs = i32x4.shuffle(vx3, vx3, 2, 2, 2, 2); c3x0 = madd(xs, vb0, c3x0); c3x1 = madd(xs, vb1, c3x1);
    vb0 = v128.load(b, 96); vb1 = v128.load(b, 112);
    xs = i32x4.shuffle(vx0, vx0, 3, 3, 3, 3); c0x0 = madd(xs, vb0, c0x0); c0x1 = madd(xs, vb1, c0x1);
    xs = i32x4.shuffle(vx1, vx1, 3, 3, 3, 3); c1x0 = madd(xs, vb0, c1x0); c1x1 = madd(xs, vb1, c1x1);
    xs = i32x4.shuffle(vx2, vx2, 3, 3, 3, 3); c2x0 = madd(xs, vb0, c2x0); c2x1 = madd(xs, vb1, c2x1);
    xs = i32x4.shuffle(vx3, vx3, 3, 3, 3, 3); c3x0 = madd(xs, vb0, c3x0); c3x1 = madd(xs, vb1, c3x1);
    o += 16; b += 128;
  }
  while (o < end) {
    const vb0 = v128.load(b), vb1 = v128.load(b, 16);
    let xs = v128.load32_splat(x + o); c0x0 = madd(xs, vb0, c0x0); c0x1 = madd(xs, vb1, c0x1);
    xs = v128.load32_splat(x1 + o); c1x0 = madd(xs, vb0, c1x0); c1x1 = madd(xs, vb1, c1x1);
    xs = v128.load32_splat(x2 + o); c2x0 = madd(xs, vb0, c2x0); c2x1 = madd(xs, vb1, c2x1);
    xs = v128.load32_splat(x3 + o); c3x0 = madd(xs, vb0, c3x0); c3x1 = madd(xs, vb1, c3x1);
    o += 4; b += 32;
  }
  outVec(c, c0x0, 4, relu); outVec(c + 16, c0x1, r1, relu);
  if (mr > 1) { outVec(c1, c1x0, 4, relu); outVec(c1 + 16, c1x1, r1, relu); }
  if (mr > 2) { outVec(c2, c2x0, 4, relu); outVec(c2 + 16, c2x1, r1, relu); }
  if (mr > 3) { outVec(c3, c3x0, 4, relu); outVec(c3 + 16, c3x1, r1, relu); }
}

/** 9 ≤ n ≤ 12: 3 rows × 3 vectors. */
function tile3x12(kc: i32, x: usize, lda: usize, mr: i32, b: usize, c: usize, ldc: usize, cols: i32, init: i32, bias: usize, relu: bool): void {
  const x1 = mr > 1 ? x + lda : x, x2 = mr > 2 ? x + 2 * lda : x;
  const c1 = mr > 1 ? c + ldc : c, c2 = mr > 2 ? c + 2 * ldc : c;
  const r2 = lanes(cols, 2);
  let c0x0 = initVec(c, bias, 4, init), c0x1 = initVec(c + 16, bias + 16, 4, init), c0x2 = initVec(c + 32, bias + 32, r2, init);
  let c1x0 = initVec(c1, bias, 4, init), c1x1 = initVec(c1 + 16, bias + 16, 4, init), c1x2 = initVec(c1 + 32, bias + 32, r2, init);
  let c2x0 = initVec(c2, bias, 4, init), c2x1 = initVec(c2 + 16, bias + 16, 4, init), c2x2 = initVec(c2 + 32, bias + 32, r2, init);
  let o: usize = 0;
  const end = <usize>kc << 2;
  while (o < end) {
    const vb0 = v128.load(b), vb1 = v128.load(b, 16), vb2 = v128.load(b, 32);
    let xs = v128.load32_splat(x + o); c0x0 = madd(xs, vb0, c0x0); c0x1 = madd(xs, vb1, c0x1); c0x2 = madd(xs, vb2, c0x2);
    xs = v128.load32_splat(x1 + o); c1x0 = madd(xs, vb0, c1x0); c1x1 = madd(xs, vb1, c1x1); c1x2 = madd(xs, vb2, c1x2);
    xs = v128.load32_splat(x2 + o); c2x0 = madd(xs, vb0, c2x0); c2x1 = madd(xs, vb1, c2x1); c2x2 = madd(xs, vb2, c2x2);
    o += 4; b += 48;
  }
  outVec(c, c0x0, 4, relu); outVec(c + 16, c0x1, 4, relu); outVec(c + 32, c0x2, r2, relu);
  if (mr > 1) { outVec(c1, c1x0, 4, relu); outVec(c1 + 16, c1x1, 4, relu); outVec(c1 + 32, c1x2, r2, relu); }
  if (mr > 2) { outVec(c2, c2x0, 4, relu); outVec(c2 + 16, c2x1, 4, relu); outVec(c2 + 32, c2x2, r2, relu); }
}

/** 13 ≤ n ≤ 16: 2 rows × 4 vectors. */
function tile2x16(kc: i32, x: usize, lda: usize, mr: i32, b: usize, c: usize, ldc: usize, cols: i32, init: i32, bias: usize, relu: bool): void {
  const x1 = mr > 1 ? x + lda : x;
  const c1 = mr > 1 ? c + ldc : c;
  const r3 = lanes(cols, 3);
  let c0x0 = initVec(c, bias, 4, init), c0x1 = initVec(c + 16, bias + 16, 4, init), c0x2 = initVec(c + 32, bias + 32, 4, init), c0x3 = initVec(c + 48, bias + 48, r3, init);
  let c1x0 = initVec(c1, bias, 4, init), c1x1 = initVec(c1 + 16, bias + 16, 4, init), c1x2 = initVec(c1 + 32, bias + 32, 4, init), c1x3 = initVec(c1 + 48, bias + 48, r3, init);
  let o: usize = 0;
  const end = <usize>kc << 2;
  while (o < end) {
    const vb0 = v128.load(b), vb1 = v128.load(b, 16), vb2 = v128.load(b, 32), vb3 = v128.load(b, 48);
    let xs = v128.load32_splat(x + o); c0x0 = madd(xs, vb0, c0x0); c0x1 = madd(xs, vb1, c0x1); c0x2 = madd(xs, vb2, c0x2); c0x3 = madd(xs, vb3, c0x3);
    xs = v128.load32_splat(x1 + o); c1x0 = madd(xs, vb0, c1x0); c1x1 = madd(xs, vb1, c1x1); c1x2 = madd(xs, vb2, c1x2); c1x3 = madd(xs, vb3, c1x3);
    o += 4; b += 64;
  }
  outVec(c, c0x0, 4, relu); outVec(c + 16, c0x1, 4, relu); outVec(c + 32, c0x2, 4, relu); outVec(c + 48, c0x3, r3, relu);
  if (mr > 1) { outVec(c1, c1x0, 4, relu); outVec(c1 + 16, c1x1, 4, relu); outVec(c1 + 32, c1x2, 4, relu); outVec(c1 + 48, c1x3, r3, relu); }
}


/** Rows of the tile for nv vectors. */
@inline
function tileRows(nv: i32): i32 {
  return nv == 1 ? 6 : nv == 2 ? 4 : nv == 3 ? 3 : 2;
}

/**
 * The nt GEMM for 1 ≤ n ≤ NARROW_N, k ≥ 1 (driver.ts gemmLd dispatches): X rows lda floats apart,
 * W rows ldw, Z rows ldc. wt: room for n rounded up to 8 × kStep floats (the driver's B block).
 * firstInit: the init bits of the first depth block (later ones add to C).
 */
export function gemmNtNarrow(x: usize, lda: i32, w: usize, ldw: i32, biasPtr: usize, c: usize, ldc: i32,
  m: i32, n: i32, k: i32, kStep: i32, firstInit: i32, relu: bool, wt: usize): void {
  const nv = (n + 3) >> 2;
  const rows = tileRows(nv);
  const ldaBytes = <usize>lda << 2, ldcBytes = <usize>ldc << 2;
  for (let pc = 0; pc < k; pc += kStep) {
    const kc = min(kStep, k - pc);
    const init = pc == 0 ? firstInit : INIT_C;
    const reluNow = relu && pc + kc == k;
    packRowsInterleaved(wt, w, ldw, n, nv << 2, pc, kc);
    const xb = x + (<usize>pc << 2);
    for (let i = 0; i < m; i += rows) {
      const mr = min(rows, m - i);
      const xi = xb + <usize>i * ldaBytes, ci = c + <usize>i * ldcBytes;
      if (nv == 1) tile6x4(kc, xi, ldaBytes, mr, wt, ci, ldcBytes, n, init, biasPtr, reluNow);
      else if (nv == 2) tile4x8(kc, xi, ldaBytes, mr, wt, ci, ldcBytes, n, init, biasPtr, reluNow);
      else if (nv == 3) tile3x12(kc, xi, ldaBytes, mr, wt, ci, ldcBytes, n, init, biasPtr, reluNow);
      else tile2x16(kc, xi, ldaBytes, mr, wt, ci, ldcBytes, n, init, biasPtr, reluNow);
    }
  }
}

