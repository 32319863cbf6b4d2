// q8: int8 inference kernels. Z[m×n] = dequant(Xq[m×k]·Wq[n×k]ᵀ + corr) with per-channel weight
// scales and a per-tensor activation scale (src/nn/quantize.ts chooses them).
// Values: weights q_w ∈ [−127, 127]; activations q_x ∈ [0, 127] (x = s·(q_x − zp), zp 0 or 64),
// so every product and every pairwise sum is exact on every engine (see below). Accumulation is
// int32 (exact: |Σ| ≤ k·127·127 < 2³¹ for k < 133,000); corr[j] = −zp·Σ_p q_w[j,p].
// Epilogue, in f32 without fusing (the same bits on every engine and in the TS twin):
// y = f32(acc + corr[j])·scale[j] + bias[j] (scale[j] = s_x·s_w[j]), ReLU (bit 0 of flags), then
// either stored as f32 Z (row stride n), or (Q8_REQUANT) quantized for the next layer:
// q = clamp(nearest(y·invOut), −zpOut, 127 − zpOut) + zpOut, round half to even.
// Layouts (kPad = k rounded up to 16, nPad = n rounded up to 4; padding zero):
//   relaxed binary: 1 byte per value; `i16x8.relaxed_dot_i8x16_i7x16_s(w, x)` (16 products of signed
//     w and 7-bit x, pairwise summed to i16), widened to i32 and added (see dot()). Engines may read x's
//     bytes as signed or unsigned and may saturate or wrap the i16 sums; with x ∈ [0, 127] (top bit
//     clear) and |w| ≤ 127 the pair sums stay within ±32,258 < 2¹⁵, so the result is exact on all.
//   baseline binary: 2 bytes per value (i16, widened once: weights at pack time, activations when
//     quantized); `i32x4.dot_i16x8_s`, exact.
// Activations: rows of kPad values. Weights: nPad rows of kPad values (packed in TS: src/interop/quantize.ts).
// GEMM: 2×4 tiles (two X rows × four W rows: 8 i32x4 accumulators, 6 loads per 16 bytes), X in
// blocks of rows that stay in L1 while every W tile passes; an odd last row runs a 1×4 tile; the
// n % 4 columns of the last tile are computed on zero rows and not stored.

import { checkDims, checkRegion } from '../checks';

export const Q8_RELU: i32 = 1;
export const Q8_REQUANT: i32 = 4;

const EB: i32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 2;

@inline
function kPadOf(k: i32): i32 {
  return (k + 15) & ~15;
}

/** Bytes per stored value in this binary's layouts (1: relaxed, 2: baseline). */
export function q8_value_bytes(): i32 {
  return EB;
}

@inline
function q8_row_bytes(k: i32): i32 {
  return kPadOf(k) * EB;
}

@inline
function q8_weights_bytes(n: i32, k: i32): i32 {
  return ((n + 3) & ~3) * kPadOf(k) * EB;
}

@inline
function storeValue(p: usize, v: i32): void {
  if (EB == 1) store<i8>(p, <i8>v);
  else store<i16>(p, <i16>v);
}

/** Quantizes X[m×k] (f32, row-major) into activation rows: clamp(nearest(x·inv), −zp, 127 − zp) + zp. */
export function q8_quantize_rows(xPtr: usize, qPtr: usize, m: i32, k: i32, inv: f32, zp: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && k >= 0 && zp >= 0 && zp <= 127, 'q8_quantize_rows: m and k must be >= 0, zp in [0, 127]');
    checkRegion(xPtr, <usize>(max(m, 0) * max(k, 0)) << 2, 4, 'q8_quantize_rows: X must be 4-byte aligned and inside the memory');
    checkRegion(qPtr, <usize>(max(m, 0) * q8_row_bytes(max(k, 0))), 1, 'q8_quantize_rows: the rows must be inside the memory');
  }
  const kp = kPadOf(k);
  const vinv = f32x4.splat(inv);
  const vlo = f32x4.splat(<f32>-zp), vhi = f32x4.splat(<f32>(<i32>127 - zp));
  const vzp = i32x4.splat(zp);
  for (let i = 0; i < m; i++) {
    const x = xPtr + <usize>i * <usize>k * 4;
    const q = qPtr + <usize>(i * kp * EB);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const v = f32x4.min(f32x4.max(f32x4.mul(v128.load(x + <usize>(p << 2)), vinv), vlo), vhi);
      storeLanes4(q + <usize>(p * EB), i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(v)), vzp));
    }
    for (; p < k; p++) {
      const v = min(max(load<f32>(x + <usize>(p << 2)) * inv, <f32>-zp), <f32>(<i32>127 - zp));
      storeValue(q + <usize>(p * EB), <i32>nearest<f32>(v) + zp);
    }
    for (; p < kp; p++) storeValue(q + <usize>(p * EB), 0);
  }
}

/** Four i32 lanes (each in [0, 127]) stored as four values of this binary's width. */
@inline
function storeLanes4(p: usize, q: v128): void {
  const h = i16x8.narrow_i32x4_s(q, q);
  if (EB == 1) v128.store32_lane(p, i8x16.narrow_i16x8_u(h, h), 0);
  else v128.store64_lane(p, h, 0);
}

/** acc + the 4-product sums of w·x per i32 lane. Relaxed: the i16x8 relaxed dot (pair sums, exact for
 *  x's top bit clear and |w| ≤ 127) widened by extadd: Node 20's V8 (11.3) returns 2·dot and drops
 *  acc for i32x4.relaxed_dot_i8x16_i7x16_add_s (measured: (5, 7, c = 1000) gave 280, not 1140), so
 *  the fused form is not used; test/kernels/q8.test.ts holds both binaries to the integer reference. */
@inline
function dot(w: v128, x: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(w, x)));
  return i32x4.add(acc, i32x4.dot_i16x8_s(w, x));
}

/** Lanes = the totals of a0, a1, a2, a3. */
@inline
function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = i32x4.add(i32x4.shuffle(a0, a1, 0, 4, 1, 5), i32x4.shuffle(a0, a1, 2, 6, 3, 7));
  const t1 = i32x4.add(i32x4.shuffle(a2, a3, 0, 4, 1, 5), i32x4.shuffle(a2, a3, 2, 6, 3, 7));
  return i32x4.add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

/** Dequantizes the four column totals of one row at columns j..j+3 and stores what flags say. */
@inline
function epilogue(acc: v128, j: i32, n: i32, corrPtr: usize, scalePtr: usize, biasPtr: usize, out: usize, flags: i32, inv: f32, zp: i32): void {
  const o = <usize>(j << 2);
  let y = f32x4.convert_i32x4_s(i32x4.add(acc, v128.load(corrPtr + o)));
  y = f32x4.add(f32x4.mul(y, v128.load(scalePtr + o)), v128.load(biasPtr + o));
  if (flags & Q8_RELU) y = f32x4.pmax(y, f32x4.splat(0));
  const cols = min(4, n - j);
  if (flags & Q8_REQUANT) {
    y = f32x4.min(f32x4.max(f32x4.mul(y, f32x4.splat(inv)), f32x4.splat(<f32>-zp)), f32x4.splat(<f32>(<i32>127 - zp)));
    const q = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.nearest(y)), i32x4.splat(zp));
    // All four lanes: an activation row has room up to n rounded to 16, and the next layer's
    // weights are zero past n (a padding value there multiplies 0).
    storeLanes4(out + <usize>(j * EB), q);
    return;
  }
  const d = out + o;
  if (cols == 4) { v128.store(d, y); return; }
  store<f32>(d, f32x4.extract_lane(y, 0));
  if (cols > 1) store<f32>(d, f32x4.extract_lane(y, 1), 4);
  if (cols > 2) store<f32>(d, f32x4.extract_lane(y, 2), 8);
}

/**
 * One int8 dense layer on m rows. xq: activation rows (q8_row_bytes(k) apart); w: packed weights;
 * corr (i32), scale and bias (f32): nPad values each (padding zero). Output: f32 Z[m×n], or with
 * Q8_REQUANT the next layer's activation rows (q8_row_bytes(n) apart; n rounded up to 4 values written).
 */
export function q8_gemm_nt(xqPtr: usize, wPtr: usize, corrPtr: usize, scalePtr: usize, biasPtr: usize, outPtr: usize,
  m: i32, n: i32, k: i32, flags: i32, inv: f32, zp: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && n >= 0 && k >= 0 && zp >= 0 && zp <= 127, 'q8_gemm_nt: m, n and k must be >= 0, zp in [0, 127]');
    const nPad = <usize>((max(n, 0) + 3) & ~3) << 2;
    checkRegion(xqPtr, <usize>(max(m, 0) * q8_row_bytes(max(k, 0))), 16, 'q8_gemm_nt: the activation rows must be 16-byte aligned and inside the memory');
    checkRegion(wPtr, <usize>q8_weights_bytes(max(n, 0), max(k, 0)), 16, 'q8_gemm_nt: the weights must be 16-byte aligned and inside the memory');
    checkRegion(corrPtr, nPad, 16, 'q8_gemm_nt: corr must be 16-byte aligned with n rounded up to 4 values');
    checkRegion(scalePtr, nPad, 16, 'q8_gemm_nt: scale must be 16-byte aligned with n rounded up to 4 values');
    checkRegion(biasPtr, nPad, 16, 'q8_gemm_nt: bias must be 16-byte aligned with n rounded up to 4 values');
    const outBytes: usize = flags & Q8_REQUANT ? <usize>(max(m, 0) * q8_row_bytes(max(n, 0))) : <usize>(max(m, 0) * max(n, 0)) << 2;
    checkRegion(outPtr, outBytes, flags & Q8_REQUANT ? 1 : 4, 'q8_gemm_nt: the output must be aligned and inside the memory');
  }
  if (m <= 0 || n <= 0) return;
  const rowBytes = <usize>(kPadOf(k) * EB);
  const outRow: usize = flags & Q8_REQUANT ? <usize>(kPadOf(n) * EB) : <usize>n << 2;
  // Rows per block: the block (≤ 24 KB) stays in L1 while all W tiles stream past it.
  const block = max(2, min(64, <i32>(<usize>24576 / rowBytes)) & ~1);
  for (let i0 = 0; i0 < m; i0 += block) {
    const i1 = min(m, i0 + block);
    for (let j = 0; j < n; j += 4) {
      const w0 = wPtr + <usize>j * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
      let i = i0;
      for (; i + 2 <= i1; i += 2) {
        const x0 = xqPtr + <usize>i * rowBytes, x1 = x0 + rowBytes;
        let a00 = i32x4.splat(0), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (let o: usize = 0; o < rowBytes; o += 16) {
          const vx0 = v128.load(x0 + o), vx1 = v128.load(x1 + o);
          let vw = v128.load(w0 + o);
          a00 = dot(vw, vx0, a00); a10 = dot(vw, vx1, a10);
          vw = v128.load(w1 + o);
          a01 = dot(vw, vx0, a01); a11 = dot(vw, vx1, a11);
          vw = v128.load(w2 + o);
          a02 = dot(vw, vx0, a02); a12 = dot(vw, vx1, a12);
          vw = v128.load(w3 + o);
          a03 = dot(vw, vx0, a03); a13 = dot(vw, vx1, a13);
        }
        epilogue(hsum4(a00, a01, a02, a03), j, n, corrPtr, scalePtr, biasPtr, outPtr + <usize>i * outRow, flags, inv, zp);
        epilogue(hsum4(a10, a11, a12, a13), j, n, corrPtr, scalePtr, biasPtr, outPtr + <usize>(i + 1) * outRow, flags, inv, zp);
      }
      if (i < i1) {
        const x0 = xqPtr + <usize>i * rowBytes;
        let a00 = i32x4.splat(0), a01 = a00, a02 = a00, a03 = a00;
        for (let o: usize = 0; o < rowBytes; o += 16) {
          const vx0 = v128.load(x0 + o);
          a00 = dot(v128.load(w0 + o), vx0, a00); a01 = dot(v128.load(w1 + o), vx0, a01);
          a02 = dot(v128.load(w2 + o), vx0, a02); a03 = dot(v128.load(w3 + o), vx0, a03);
        }
        epilogue(hsum4(a00, a01, a02, a03), j, n, corrPtr, scalePtr, biasPtr, outPtr + <usize>i * outRow, flags, inv, zp);
      }
    }
  }
}
