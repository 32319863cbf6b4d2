// q8: int8 inference kernels. Z[m×n] = dequant(Xq[m×k]·Wq[n×k]ᵀ + corr) with per-channel weight
// scales and a per-tensor activation scale (src/interop/quantize.ts chooses them).
// Values: weights q_w ∈ [−127, 127]; activations q_x ∈ [0, 127] (x = s·(q_x − zp), zp 0 or 64),
// so every product and every pairwise sum is exact on every engine (see dot()). Accumulation is
// int32 (exact: |Σ| ≤ k·127·127 < 2³¹ for k < 133,000); corr[j] = −zp·Σ_p q_w[j,p].
// Epilogue, in f32 without fusing (the same bits on every engine and in the TS twin):
// y = f32(acc + corr[j])·scale[j] + bias[j] (scale[j] = s_x·s_w[j]), ReLU (bit 0 of flags), then
// either stored as f32 Z (row stride n), or (Q8_REQUANT) quantized for the next layer:
// q = clamp(nearest(y·invOut), −zpOut, 127 − zpOut) + zpOut, round half to even.
//
// Layouts. A group is 4 bytes: 4 values on the relaxed binary (1 byte each), 2 on the baseline
// binary (i16 each, widened once: weights at pack time, activations when quantized). kPad = k
// rounded up to 4 values; padding is zero (activation padding may hold any value in [0, 127]: the
// weights there are zero).
//   activations: panels of ROWS rows (3 relaxed, 4 baseline; m rounded up to whole panels); in a
//     panel, group g of row r at 4·ROWS·g + 4·r.
//   weights (packed in TS, src/interop/quantize-layout.ts): panels of 8 output channels (n rounded
//     up to 8); in a panel, group g of channel c at 32·g + 4·c.
// GEMM: 3×8 tiles on the relaxed binary, 4×8 on the baseline one (one activation panel × one weight panel): per group, two weight vectors (4
// channels each) and three row broadcasts (v128.load32_splat) feed 6 dots into 6 i32x4 accumulators
// whose lanes are 4 output channels, so no horizontal sums. The 1-2 rows of a last, partial panel
// run a 1×8 tile each (rows past m are neither computed nor written); channels past n are zero
// weights. Why 3 rows: V8 (11.3, x64) loads all of a
// step's broadcasts before its dots, and 4 rows (8 accumulators + 2 weights + 4 broadcasts + ones +
// a temporary) need 16 xmm registers where it allocates 15: it spilled an accumulator (a
// store-to-load round trip every step). 4 rows with one 16-byte load and i32x4.shuffle broadcasts
// do not spill but ran at 1.22 cycles per dot, 3 rows at 1.11 (bench/README.md, int8 inference).

import { checkDims, checkRegion } from '../checks';

export const Q8_RELU: i32 = 1;
export const Q8_REQUANT: i32 = 4;

const EB: i32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 2;
/** Rows of an activation panel; a group of the panel is ROWS·4 bytes. Baseline: 4 (8 accumulators,
 *  2 weights, 4 broadcasts and a temporary fit V8's 15 xmm registers without the ones vector). */
const ROWS: i32 = ASC_FEATURE_RELAXED_SIMD ? 3 : 4;
/** 1.5·2²³: for |v| ≤ 2²², v + MAGIC rounds v to an integer, half to even (as f32x4.nearest), and
 *  the sum's bits are 0x4B400000 + that integer. */
const MAGIC: f32 = 12582912.0;
const MAGIC_BITS: i32 = 0x4b400000;
/** i16 ones for i32x4.dot_i16x8_s (the pairwise widening), read from memory so that it is loaded
 *  once into a register instead of being rebuilt at each use. */
const ONES: usize = memory.data<i16>([1, 1, 1, 1, 1, 1, 1, 1], 16);

@inline
function kPadOf(k: i32): i32 {
  return (k + 3) & ~3;
}

/** Bytes per stored value in this binary's layouts (1: relaxed, 2: baseline). */
export function q8_value_bytes(): i32 {
  return EB;
}

/** clamp(nearest(v·inv), −zp, 127 − zp) + zp per lane, as i32 (nearest by MAGIC: same bits). */
@inline
function quantize4(v: v128, vinv: v128, vlo: v128, vhi: v128, vbias: v128): v128 {
  const c = f32x4.pmin(f32x4.pmax(f32x4.mul(v, vinv), vlo), vhi);
  return i32x4.sub(f32x4.add(c, f32x4.splat(MAGIC)), vbias);
}

/** Stores four i32 lanes (values in [0, 127]) as one group (relaxed) or two (baseline: the second a panel group further). */
@inline
function storeValues4(p: usize, q: v128): void {
  const h = i16x8.narrow_i32x4_s(q, q);
  if (EB == 1) v128.store32_lane(p, i8x16.narrow_i16x8_u(h, h), 0);
  else {
    v128.store32_lane(p, h, 0);
    v128.store32_lane(p, h, 1, ROWS * 4);
  }
}

@inline
function mPadOf(m: i32): i32 {
  return (m + ROWS - 1) / ROWS * ROWS;
}

/**
 * Quantizes X[m×k] (f32, row-major) into activation panels: clamp(nearest(x·inv), −zp, 127 − zp) + zp.
 * Writes m rounded up to 3 rows and k rounded up to 4 values (padding zero). Returns 1 when X holds a
 * value that is not finite (NaN or ±∞; what it was quantized to is then meaningless), else 0.
 */
export function q8_quantize_rows(xPtr: usize, qPtr: usize, m: i32, k: i32, inv: f32, zp: i32): i32 {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && k >= 0 && zp >= 0 && zp <= 127, 'q8_quantize_rows: m and k must be >= 0, zp in [0, 127]');
    checkRegion(xPtr, <usize>(max(m, 0) * max(k, 0)) << 2, 4, 'q8_quantize_rows: X must be 4-byte aligned and inside the memory');
    checkRegion(qPtr, <usize>(mPadOf(max(m, 0)) * kPadOf(max(k, 0)) * EB), 4, 'q8_quantize_rows: the panels must be 4-byte aligned and inside the memory');
  }
  const kb = kPadOf(k) * EB; // bytes of one row = groups · 4
  const vinv = f32x4.splat(inv);
  const vlo = f32x4.splat(<f32>-zp), vhi = f32x4.splat(<f32>(<i32>127 - zp));
  const vbias = i32x4.splat(MAGIC_BITS - zp);
  let bad = i32x4.splat(0);
  const mPad = mPadOf(m);
  for (let i = 0; i < mPad; i++) {
    const x = xPtr + <usize>i * <usize>k * 4;
    const q = qPtr + <usize>(i / ROWS) * <usize>(kb * ROWS) + <usize>(i % ROWS << 2);
    let p = 0;
    if (i < m) {
      for (; p + 4 <= k; p += 4) {
        const v = v128.load(x + <usize>(p << 2));
        bad = v128.or(bad, f32x4.sub(v, v)); // +0 for a finite value, NaN otherwise
        storeValues4(q + <usize>(p * EB * ROWS), quantize4(v, vinv, vlo, vhi, vbias));
      }
      if (p < k) {
        // the last 1-3 values, then zeros to the group's end
        let v = f32x4.splat(0);
        v = f32x4.replace_lane(v, 0, load<f32>(x + <usize>(p << 2)));
        if (p + 1 < k) v = f32x4.replace_lane(v, 1, load<f32>(x + <usize>(p << 2), 4));
        if (p + 2 < k) v = f32x4.replace_lane(v, 2, load<f32>(x + <usize>(p << 2), 8));
        bad = v128.or(bad, f32x4.sub(v, v));
        let qv = quantize4(v, vinv, vlo, vhi, vbias);
        qv = v128.and(qv, i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(k - p))); // zero past k
        storeValues4(q + <usize>(p * EB * ROWS), qv);
        p += 4;
      }
    }
    for (; p < kPadOf(k); p += 4) storeValues4(q + <usize>(p * EB * ROWS), i32x4.splat(0));
  }
  return v128.any_true(bad) ? 1 : 0;
}

/** acc + the 4-product sums of w·x per i32 lane. Relaxed: the i16x8 relaxed dot (pair sums, exact for
 *  x's top bit clear and |w| ≤ 127), widened by a dot with ones (the same pmaddwd V8 emits for
 *  extadd_pairwise, without its constant load). Node 20's V8 (11.3) returns 2·dot and drops acc for
 *  i32x4.relaxed_dot_i8x16_i7x16_add_s (measured: (5, 7, c = 1000) gave 280, not 1140), so the fused
 *  form is not used; test/kernels/q8.test.ts holds both binaries to the integer reference. */
@inline
function dot(w: v128, x: v128, acc: v128, ones: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(w, x), ones));
  return i32x4.add(acc, i32x4.dot_i16x8_s(w, x));
}

/** Dequantizes the four channel totals j..j+3 of one row and stores what flags say. */
@inline
function epilogue(acc: v128, j: i32, n: i32, corrPtr: usize, scalePtr: usize, biasPtr: usize, out: usize, flags: i32, inv: f32, zp: i32): void {
  const o = <usize>(j << 2);
  let y = f32x4.convert_i32x4_s(i32x4.add(acc, v128.load(corrPtr + o)));
  y = f32x4.add(f32x4.mul(y, v128.load(scalePtr + o)), v128.load(biasPtr + o));
  if (flags & Q8_RELU) y = f32x4.pmax(y, f32x4.splat(0));
  if (flags & Q8_REQUANT) {
    // `out` is the row's place in the next layer's panel; channels j..j+3 are its values j..j+3
    storeValues4(out + <usize>(j * EB * ROWS), quantize4(y, f32x4.splat(inv), f32x4.splat(<f32>-zp), f32x4.splat(<f32>(<i32>127 - zp)), i32x4.splat(MAGIC_BITS - zp)));
    return;
  }
  const d = out + o;
  const cols = n - j;
  if (cols >= 4) { v128.store(d, y); return; }
  store<f32>(d, f32x4.extract_lane(y, 0));
  if (cols > 1) store<f32>(d, f32x4.extract_lane(y, 1), 4);
  if (cols > 2) store<f32>(d, f32x4.extract_lane(y, 2), 8);
}

/**
 * One int8 dense layer on m rows. xq: activation panels of depth k; w: packed weights; corr (i32),
 * scale and bias (f32): n rounded up to 8 values each (padding zero). Output: f32 Z[m×n], or with
 * Q8_REQUANT the next layer's activation panels (depth n: m rows, n rounded up to 4 values written).
 */
export function q8_gemm_nt(xqPtr: usize, wPtr: usize, corrPtr: usize, scalePtr: usize, biasPtr: usize, outPtr: usize,
  m: i32, n: i32, k: i32, flags: i32, inv: f32, zp: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && n >= 0 && k >= 0 && zp >= 0 && zp <= 127, 'q8_gemm_nt: m, n and k must be >= 0, zp in [0, 127]');
    const mPad = <usize>mPadOf(max(m, 0)), nPad = <usize>((max(n, 0) + 7) & ~7);
    checkRegion(xqPtr, mPad * <usize>(kPadOf(max(k, 0)) * EB), 16, 'q8_gemm_nt: the activation panels must be 16-byte aligned and inside the memory');
    checkRegion(wPtr, nPad * <usize>(kPadOf(max(k, 0)) * EB), 16, 'q8_gemm_nt: the weights must be 16-byte aligned and inside the memory');
    checkRegion(corrPtr, nPad << 2, 16, 'q8_gemm_nt: corr must be 16-byte aligned with n rounded up to 8 values');
    checkRegion(scalePtr, nPad << 2, 16, 'q8_gemm_nt: scale must be 16-byte aligned with n rounded up to 8 values');
    checkRegion(biasPtr, nPad << 2, 16, 'q8_gemm_nt: bias must be 16-byte aligned with n rounded up to 8 values');
    const outBytes: usize = flags & Q8_REQUANT ? mPad * <usize>(kPadOf(max(n, 0)) * EB) : <usize>(max(m, 0) * max(n, 0)) << 2;
    checkRegion(outPtr, outBytes, flags & Q8_REQUANT ? 4 : 4, 'q8_gemm_nt: the output must be 4-byte aligned and inside the memory');
  }
  if (m <= 0 || n <= 0) return;
  const groups = kPadOf(k) * EB >> 2;
  const aPanel = <usize>(groups * ROWS * 4), wPanel = <usize>groups << 5;
  const requant = (flags & Q8_REQUANT) != 0;
  // the next layer's panels (requant) or Z's rows
  const outPanel: usize = requant ? <usize>(kPadOf(n) * EB * ROWS) : 0;
  const outRow: usize = requant ? 4 : <usize>n << 2;
  const ones = v128.load(ONES);
  let i = 0;
  for (; i + ROWS <= m; i += ROWS) {
    const xPanel = xqPtr + <usize>(i / ROWS) * aPanel;
    const out0 = requant ? outPtr + <usize>(i / ROWS) * outPanel : outPtr + <usize>i * outRow;
    for (let j = 0; j < n; j += 8) {
      let xp = xPanel, wp = wPtr + <usize>(j >> 3) * wPanel;
      let a0x0123 = i32x4.splat(0), a0x4567 = a0x0123, a1x0123 = a0x0123, a1x4567 = a0x0123, a2x0123 = a0x0123, a2x4567 = a0x0123;
      let a3x0123 = a0x0123, a3x4567 = a0x0123;
      const wEnd = wp + wPanel;
      for (; wp < wEnd; wp += 32) {
        const vb0123 = v128.load(wp), vb4567 = v128.load(wp, 16);
        let va = v128.load32_splat(xp);
        a0x0123 = dot(vb0123, va, a0x0123, ones); a0x4567 = dot(vb4567, va, a0x4567, ones);
        va = v128.load32_splat(xp, 4);
        a1x0123 = dot(vb0123, va, a1x0123, ones); a1x4567 = dot(vb4567, va, a1x4567, ones);
        va = v128.load32_splat(xp, 8);
        a2x0123 = dot(vb0123, va, a2x0123, ones); a2x4567 = dot(vb4567, va, a2x4567, ones);
        if (ROWS == 4) {
          va = v128.load32_splat(xp, 12);
          a3x0123 = dot(vb0123, va, a3x0123, ones); a3x4567 = dot(vb4567, va, a3x4567, ones);
        }
        xp += ROWS * 4;
      }
      const two = j + 4 < n;
      epilogue(a0x0123, j, n, corrPtr, scalePtr, biasPtr, out0, flags, inv, zp);
      if (two) epilogue(a0x4567, j + 4, n, corrPtr, scalePtr, biasPtr, out0, flags, inv, zp);
      epilogue(a1x0123, j, n, corrPtr, scalePtr, biasPtr, out0 + outRow, flags, inv, zp);
      if (two) epilogue(a1x4567, j + 4, n, corrPtr, scalePtr, biasPtr, out0 + outRow, flags, inv, zp);
      epilogue(a2x0123, j, n, corrPtr, scalePtr, biasPtr, out0 + 2 * outRow, flags, inv, zp);
      if (two) epilogue(a2x4567, j + 4, n, corrPtr, scalePtr, biasPtr, out0 + 2 * outRow, flags, inv, zp);
      if (ROWS == 4) {
        epilogue(a3x0123, j, n, corrPtr, scalePtr, biasPtr, out0 + 3 * outRow, flags, inv, zp);
        if (two) epilogue(a3x4567, j + 4, n, corrPtr, scalePtr, biasPtr, out0 + 3 * outRow, flags, inv, zp);
      }
    }
  }
  // the last 1-2 rows (a batch of one: a third of the work of a whole panel), a 1×8 tile per row
  for (; i < m; i++) {
    const xRow = xqPtr + <usize>(i / ROWS) * aPanel + <usize>(i % ROWS << 2);
    const out0 = requant ? outPtr + <usize>(i / ROWS) * outPanel + <usize>(i % ROWS << 2) : outPtr + <usize>i * outRow;
    for (let j = 0; j < n; j += 8) {
      let xp = xRow, wp = wPtr + <usize>(j >> 3) * wPanel;
      let a0x0123 = i32x4.splat(0), a0x4567 = a0x0123;
      for (let g = 0; g < groups; g++) {
        const va = v128.load32_splat(xp);
        a0x0123 = dot(v128.load(wp), va, a0x0123, ones); a0x4567 = dot(v128.load(wp, 16), va, a0x4567, ones);
        xp += ROWS * 4; wp += 32;
      }
      epilogue(a0x0123, j, n, corrPtr, scalePtr, biasPtr, out0, flags, inv, zp);
      if (j + 4 < n) epilogue(a0x4567, j + 4, n, corrPtr, scalePtr, biasPtr, out0, flags, inv, zp);
    }
  }
}
