// f32-gemm-nt-direct, wasm SIMD: Z[m×n] = X[m×k]·W[n×k]ᵀ + bias[n] (optional ReLU) for a few
// rows (m ≤ 4 is where it pays), WITHOUT packing. The packed GEMM copies all of W into panels on
// every call, which for one sample costs more than the arithmetic; here W is read once, in place.
// Bit-identical to the packed kernel: lanes hold 4 output columns, each accumulated in the same
// order with the same madd (bias, or C + bias, first; then p = 0..k−1; ReLU last), so a row's
// prediction does not depend on the batch it came in. W columns are formed by 4×4 transposes of
// four W rows, 16 columns at a time (four independent chains hide the madd latency); the k % 4
// and n % 4 tails gather lanes one by one (never reading past W).
// Flags: bit 0 ReLU, bit 1 accumulate into Z (as f32_gemm_nt). Row-major, 4-byte aligned.

import { madd } from '../simd';
import { checkDims, checkRegion, spanBytes } from '../checks';
import { GEMM_ACCUMULATE, GEMM_RELU } from './driver';

/** Lanes of column j..j+3 at depth p, for rows that exist (cols ≤ 4); missing lanes are 0. */
@inline
function gatherColumn(w: usize, rowBytes: usize, p: i32, cols: i32): v128 {
  const o = <usize>p << 2;
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(w + o));
  if (cols > 1) v = f32x4.replace_lane(v, 1, load<f32>(w + rowBytes + o));
  if (cols > 2) v = f32x4.replace_lane(v, 2, load<f32>(w + 2 * rowBytes + o));
  if (cols > 3) v = f32x4.replace_lane(v, 3, load<f32>(w + 3 * rowBytes + o));
  return v;
}

@inline
function initLanes(zPtr: usize, biasPtr: usize, cols: i32, flags: i32): v128 {
  let c = f32x4.splat(0);
  if (flags & GEMM_ACCUMULATE) {
    c = f32x4.replace_lane(c, 0, load<f32>(zPtr));
    if (cols > 1) c = f32x4.replace_lane(c, 1, load<f32>(zPtr, 4));
    if (cols > 2) c = f32x4.replace_lane(c, 2, load<f32>(zPtr, 8));
    if (cols > 3) c = f32x4.replace_lane(c, 3, load<f32>(zPtr, 12));
  }
  if (biasPtr) {
    let b = f32x4.splat(0);
    b = f32x4.replace_lane(b, 0, load<f32>(biasPtr));
    if (cols > 1) b = f32x4.replace_lane(b, 1, load<f32>(biasPtr, 4));
    if (cols > 2) b = f32x4.replace_lane(b, 2, load<f32>(biasPtr, 8));
    if (cols > 3) b = f32x4.replace_lane(b, 3, load<f32>(biasPtr, 12));
    c = f32x4.add(c, b);
  }
  return c;
}

@inline
function storeLanes(zPtr: usize, c: v128, cols: i32, flags: i32): void {
  let v = c;
  if (flags & GEMM_RELU) v = f32x4.pmax(v, f32x4.splat(0));
  if (cols == 4) { v128.store(zPtr, v); return; }
  store<f32>(zPtr, f32x4.extract_lane(v, 0));
  if (cols > 1) store<f32>(zPtr, f32x4.extract_lane(v, 1), 4);
  if (cols > 2) store<f32>(zPtr, f32x4.extract_lane(v, 2), 8);
}

/** One X row (x) against W rows j..j+cols−1 starting at w; result lanes into z. */
@inline
function rowBlock(x: usize, w: usize, rowBytes: usize, k: i32, z: usize, biasPtr: usize, cols: i32, flags: i32): void {
  let c = initLanes(z, biasPtr, cols, flags);
  let p = 0;
  if (cols == 4) for (; p + 4 <= k; p += 4) c = step4(x, <usize>p << 2, w, rowBytes, c);
  for (; p < k; p++) c = madd(v128.load32_splat(x + (<usize>p << 2)), gatherColumn(w, rowBytes, p, cols), c);
  storeLanes(z, c, cols, flags);
}

/** Four columns at depth p..p+3 of the W rows starting at w, as column vectors, madd'ed into c. */
@inline
function step4(x: usize, o: usize, w: usize, rowBytes: usize, c: v128): v128 {
  const r0 = v128.load(w + o), r1 = v128.load(w + rowBytes + o), r2 = v128.load(w + 2 * rowBytes + o), r3 = v128.load(w + 3 * rowBytes + o);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  let v = madd(v128.load32_splat(x + o), v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), c);
  v = madd(v128.load32_splat(x + o + 4), v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), v);
  v = madd(v128.load32_splat(x + o + 8), v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), v);
  return madd(v128.load32_splat(x + o + 12), v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), v);
}

/** 16 columns (four independent accumulator chains, so the madd latency overlaps). */
@inline
function rowBlock16(x: usize, w: usize, rowBytes: usize, k: i32, z: usize, biasPtr: usize, flags: i32): void {
  const wb = rowBytes << 2; // four W rows
  const b1 = biasPtr ? biasPtr + 16 : 0, b2 = biasPtr ? biasPtr + 32 : 0, b3 = biasPtr ? biasPtr + 48 : 0;
  let c0 = initLanes(z, biasPtr, 4, flags), c1 = initLanes(z + 16, b1, 4, flags);
  let c2 = initLanes(z + 32, b2, 4, flags), c3 = initLanes(z + 48, b3, 4, flags);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const o = <usize>p << 2;
    c0 = step4(x, o, w, rowBytes, c0);
    c1 = step4(x, o, w + wb, rowBytes, c1);
    c2 = step4(x, o, w + 2 * wb, rowBytes, c2);
    c3 = step4(x, o, w + 3 * wb, rowBytes, c3);
  }
  for (; p < k; p++) {
    const xs = v128.load32_splat(x + (<usize>p << 2));
    c0 = madd(xs, gatherColumn(w, rowBytes, p, 4), c0);
    c1 = madd(xs, gatherColumn(w + wb, rowBytes, p, 4), c1);
    c2 = madd(xs, gatherColumn(w + 2 * wb, rowBytes, p, 4), c2);
    c3 = madd(xs, gatherColumn(w + 3 * wb, rowBytes, p, 4), c3);
  }
  storeLanes(z, c0, 4, flags); storeLanes(z + 16, c1, 4, flags);
  storeLanes(z + 32, c2, 4, flags); storeLanes(z + 48, c3, 4, flags);
}

export function f32_gemm_nt_direct(xPtr: usize, wPtr: usize, biasPtr: usize, zPtr: usize, m: i32, n: i32, k: i32, flags: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && n >= 0 && k >= 0, 'f32_gemm_nt_direct: m, n and k must be >= 0');
    checkRegion(xPtr, spanBytes(m, k, k), 4, 'f32_gemm_nt_direct: X must be 4-byte aligned and inside the memory');
    checkRegion(wPtr, spanBytes(n, k, k), 4, 'f32_gemm_nt_direct: W must be 4-byte aligned and inside the memory');
    checkRegion(zPtr, spanBytes(m, n, n), 4, 'f32_gemm_nt_direct: Z must be 4-byte aligned and inside the memory');
    checkRegion(biasPtr, biasPtr ? <usize>n << 2 : 0, 4, 'f32_gemm_nt_direct: bias must be 4-byte aligned and inside the memory');
  }
  if (m <= 0 || n <= 0) return;
  const rowBytes = <usize>k << 2;
  const zRow = <usize>n << 2;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const w = wPtr + <usize>j * rowBytes;
    const bias = biasPtr ? biasPtr + (<usize>j << 2) : 0;
    for (let i = 0; i < m; i++) rowBlock16(xPtr + <usize>i * rowBytes, w, rowBytes, k, zPtr + <usize>i * zRow + (<usize>j << 2), bias, flags);
  }
  for (; j < n; j += 4) {
    const cols = min(4, n - j);
    const w = wPtr + <usize>j * rowBytes;
    const bias = biasPtr ? biasPtr + (<usize>j << 2) : 0;
    for (let i = 0; i < m; i++) {
      rowBlock(xPtr + <usize>i * rowBytes, w, rowBytes, k, zPtr + <usize>i * zRow + (<usize>j << 2), bias, cols, flags);
    }
  }
}
