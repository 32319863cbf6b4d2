// Packing for the GEMM driver. A block (rows i0..i0+mc, depth p0..p0+kc) becomes strips of h = 5
// or 4 rows: a strip holds, for each p, its h values A[i, p] (h floats), rows past m zero-filled.
// B block (columns j0..j0+nc, depth p0..p0+kc) becomes panels of 8 columns: panel t holds, for
// each p, B[p, j0+8t+0..8] (8 floats), columns past n zero-filled. Sources are row-major f32:
//   A "normal" m×k (lda = k), A "transposed" stored k×m (A^T, lda = m);
//   B "kn" stored k×n (nn, tn), B "nk" stored n×k (W of nt).
// All sizes in floats, pointers in bytes; reads stay inside the source rows named above.

@inline
function transpose4x4Store(dst: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  // rows r0..r3 (4 consecutive depths of 4 rows) -> columns: dst + q·stride gets [r0[q], r1[q], r2[q], r3[q]]
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // r0[2] r1[2] r0[3] r1[3]
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t2, 0, 2));
  v128.store(dst + stride, i64x2.shuffle(t0, t2, 1, 3));
  v128.store(dst + 2 * stride, i64x2.shuffle(t1, t3, 0, 2));
  v128.store(dst + 3 * stride, i64x2.shuffle(t1, t3, 1, 3));
}

/** Gathers `rows` source rows (stride ld floats) at depth p0..p0+kc into an interleaved block of
 *  `width` floats per depth (rows ≥ `rows` zero). Used for A (width 5 or 4) and W of nt (width 8). */
export function packRowsInterleaved(dst: usize, src: usize, ld: i32, rows: i32, width: i32, p0: i32, kc: i32): void {
  const dstStride = <usize>width << 2;
  let r = 0;
  // 4 rows at a time: transpose 4×4 blocks (4 rows × 4 depths).
  for (; r + 4 <= rows; r += 4) {
    const s0 = src + ((<usize>r * ld + p0) << 2);
    const s1 = s0 + (<usize>ld << 2), s2 = s1 + (<usize>ld << 2), s3 = s2 + (<usize>ld << 2);
    let d = dst + (<usize>r << 2);
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      const o = <usize>p << 2;
      transpose4x4Store(d, dstStride, v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o));
      d += dstStride << 2;
    }
    for (; p < kc; p++) {
      const o = <usize>p << 2;
      store<f32>(d, load<f32>(s0 + o));
      store<f32>(d, load<f32>(s1 + o), 4);
      store<f32>(d, load<f32>(s2 + o), 8);
      store<f32>(d, load<f32>(s3 + o), 12);
      d += dstStride;
    }
  }
  for (; r < width; r++) {
    let d = dst + (<usize>r << 2);
    if (r < rows) {
      const s = src + ((<usize>r * ld + p0) << 2);
      for (let p = 0; p < kc; p++) {
        store<f32>(d, load<f32>(s + (<usize>p << 2)));
        d += dstStride;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        store<f32>(d, 0);
        d += dstStride;
      }
    }
  }
}

/** Copies `cols` contiguous floats of each depth row p0..p0+kc (row stride ld floats) into a
 *  block of `width` floats per depth (columns ≥ `cols` zero). For A^T strips (tn) and kn B panels. */
export function packColsContiguous(dst: usize, src: usize, ld: i32, cols: i32, width: i32, p0: i32, kc: i32): void {
  const dstStride = <usize>width << 2;
  const srcStride = <usize>ld << 2;
  let s = src + (<usize>p0 * ld << 2);
  let d = dst;
  if (cols == 8 && width == 8) {
    for (let p = 0; p < kc; p++) {
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      s += srcStride; d += 32;
    }
  } else if (cols == 5 && width == 5) {
    for (let p = 0; p < kc; p++) {
      v128.store(d, v128.load(s));
      store<f32>(d, load<f32>(s, 16), 16);
      s += srcStride; d += 20;
    }
  } else {
    for (let p = 0; p < kc; p++) {
      let c = 0;
      for (; c < cols; c++) store<f32>(d + (<usize>c << 2), load<f32>(s + (<usize>c << 2)));
      for (; c < width; c++) store<f32>(d + (<usize>c << 2), 0);
      s += srcStride; d += dstStride;
    }
  }
}

/** Two full 8-column panels of a kn B block at once (columns 0..16 of each depth row p0..p0+kc,
 *  row stride ld floats): panel 0 at dst, panel 1 at dst + 32·kc bytes, each as
 *  packColsContiguous(…, 8, 8, …) writes it. One pass reads each row's 64 bytes together: with
 *  the panels packed one by one, a row stride that is a multiple of 4 KB (n = 1024, 2048, 4096)
 *  maps every row of a panel to the same L1 set, so the line is gone before the second panel
 *  needs its other half (tn 10×1024×128 ran at 59 % of the probe, 10×1000×128 at 82 %). */
export function packColsContiguousPair(dst: usize, src: usize, ld: i32, p0: i32, kc: i32): void {
  const srcStride = <usize>ld << 2;
  let s = src + (<usize>p0 * ld << 2);
  let d = dst;
  const second = <usize>kc << 5;
  for (let p = 0; p < kc; p++) {
    const v0 = v128.load(s), v1 = v128.load(s, 16), v2 = v128.load(s, 32), v3 = v128.load(s, 48);
    v128.store(d, v0);
    v128.store(d, v1, 16);
    v128.store(d + second, v2);
    v128.store(d + second, v3, 16);
    s += srcStride; d += 32;
  }
}
