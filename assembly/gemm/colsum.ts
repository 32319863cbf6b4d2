// out[n] (=|+=) Σ_i A[i, :] over the m rows of row-major A[m×n] (db = colsum(dZ)), then relu when
// GEMM_RELU. Rows are summed in order 0..m-1 from out (accumulate) or 0, one f32 rounding per
// add, so the result equals the pure-TS twin bit for bit. Columns go 16, then 4 at a time
// (f32x4 accumulators), then one at a time; nothing is read past row ends.

import { GEMM_ACCUMULATE, GEMM_RELU } from './driver';
import { checkDims, checkRegion, spanBytes } from '../checks';

export function colsum(aPtr: usize, outPtr: usize, m: i32, n: i32, flags: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && n >= 0, 'f32_colsum: m and n must be >= 0');
    checkRegion(aPtr, spanBytes(m, n, n), 4, 'f32_colsum: A must be 4-byte aligned and inside the memory');
    checkRegion(outPtr, <usize>max(n, 0) << 2, 4, 'f32_colsum: out must be 4-byte aligned and inside the memory');
  }
  if (n <= 0) return;
  const acc = (flags & GEMM_ACCUMULATE) != 0;
  const relu = (flags & GEMM_RELU) != 0;
  const lda = <usize>n << 2;
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const o = outPtr + (<usize>j << 2);
    let s0 = acc ? v128.load(o) : zero, s1 = acc ? v128.load(o, 16) : zero;
    let s2 = acc ? v128.load(o, 32) : zero, s3 = acc ? v128.load(o, 48) : zero;
    let a = aPtr + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      s0 = f32x4.add(s0, v128.load(a)); s1 = f32x4.add(s1, v128.load(a, 16));
      s2 = f32x4.add(s2, v128.load(a, 32)); s3 = f32x4.add(s3, v128.load(a, 48));
      a += lda;
    }
    if (relu) { s0 = f32x4.pmax(s0, zero); s1 = f32x4.pmax(s1, zero); s2 = f32x4.pmax(s2, zero); s3 = f32x4.pmax(s3, zero); }
    v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
  }
  for (; j + 4 <= n; j += 4) {
    const o = outPtr + (<usize>j << 2);
    let s = acc ? v128.load(o) : zero;
    let a = aPtr + (<usize>j << 2);
    for (let i = 0; i < m; i++) { s = f32x4.add(s, v128.load(a)); a += lda; }
    if (relu) s = f32x4.pmax(s, zero);
    v128.store(o, s);
  }
  for (; j < n; j++) {
    const o = outPtr + (<usize>j << 2);
    let s: f32 = acc ? load<f32>(o) : 0;
    let a = aPtr + (<usize>j << 2);
    for (let i = 0; i < m; i++) { s += load<f32>(a); a += lda; }
    if (relu && s < 0) s = 0;
    store<f32>(o, s);
  }
}
