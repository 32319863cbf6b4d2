// Pure-TS twin of assembly/q8 (int8 inference): the same integer arithmetic and the same f32
// roundings (Math.fround after each operation, round half to even), so its outputs equal the
// binaries' bit for bit. Layout (assembly/q8's header; here one byte per value, the relaxed
// binary's): groups of 4 bytes; activations in panels of 3 rows (group g of row r at 12·g + 4·r;
// 4 rows on the baseline binary),
// weights in panels of 8 channels (group g of channel c at 32·g + 4·c); k rounded up to 4 values.

import type { Q8Abi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

const Q8_RELU = 1;
const Q8_REQUANT = 4;
const fr = Math.fround;

/** k rounded up to the 4 values the layouts pad a row to. */
export const q8KPad = (k: number): number => (k + 3) & ~3;
/** Rows of an activation panel (assembly/q8's ROWS): 3 for 1-byte values, 4 for 2-byte ones. */
export const q8PanelRows = (eb: number): number => (eb === 1 ? 3 : 4);
/** m rounded up to whole panels. */
export const q8MPad = (m: number, eb: number): number => Math.ceil(m / q8PanelRows(eb)) * q8PanelRows(eb);

/** Byte offset of activation value p of row i (depth k) from the panels' start, eb bytes per value. */
export function q8ActOffset(eb: number, k: number, i: number, p: number): number {
  const per = 4 / eb, R = q8PanelRows(eb); // values per group
  return Math.floor(i / R) * q8KPad(k) * eb * R + Math.floor(p / per) * 4 * R + (i % R) * 4 + (p % per) * eb;
}

/** Byte offset of weight p of output channel j (depth k) from the packed weights' start. */
export function q8WeightOffset(eb: number, k: number, j: number, p: number): number {
  const per = 4 / eb;
  return (j >> 3) * q8KPad(k) * eb * 8 + Math.floor(p / per) * 32 + (j & 7) * 4 + (p % per) * eb;
}

/** Round half to even (f32x4.nearest). */
export function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** clamp(nearest(x·inv), −zp, 127 − zp) + zp, in f32 as the kernels do. */
export function quantizeValue(x: number, inv: number, zp: number): number {
  const v = Math.min(Math.max(fr(x * fr(inv)), -zp), 127 - zp);
  return roundEven(v) + zp;
}

/** Installed on a TS backend by simdnet/interop (src/interop/quantize-layout.ts), not by createRefKernels. */
export function makeQ8Ref(v: Views): Q8Abi {
  return {
    q8_value_bytes: () => 1,
    q8_quantize_rows(xPtr, qPtr, m, k, inv, zp) {
      const f = v.f32, u8 = v.u8;
      const kp = q8KPad(k), x0 = xPtr >>> 2;
      let bad = 0;
      for (let i = 0; i < q8MPad(m, 1); i++) {
        for (let p = 0; p < kp; p++) {
          const x = i < m && p < k ? f[x0 + i * k + p]! : 0;
          if (!Number.isFinite(x)) bad = 1;
          u8[qPtr + q8ActOffset(1, k, i, p)] = i < m && p < k ? quantizeValue(x, inv, zp) : 0;
        }
      }
      return bad;
    },
    q8_gemm_nt(xqPtr, wPtr, corrPtr, scalePtr, biasPtr, outPtr, m, n, k, flags, inv, zp) {
      if (m <= 0 || n <= 0) return;
      const f = v.f32, i32 = v.i32, u8 = v.u8;
      const i8 = new Int8Array(u8.buffer, u8.byteOffset, u8.length);
      const requant = (flags & Q8_REQUANT) !== 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = i32[(corrPtr >>> 2) + j]!;
          for (let p = 0; p < k; p++) acc += i8[wPtr + q8WeightOffset(1, k, j, p)]! * u8[xqPtr + q8ActOffset(1, k, i, p)]!;
          let y = fr(fr(fr(acc) * f[(scalePtr >>> 2) + j]!) + f[(biasPtr >>> 2) + j]!);
          if ((flags & Q8_RELU) !== 0 && y < 0) y = 0;
          // (the binaries also write the next layer's padding values, up to n rounded to 4)
          if (requant) u8[outPtr + q8ActOffset(1, n, i, j)] = quantizeValue(y, inv, zp);
          else f[(outPtr >>> 2) + i * n + j] = y;
        }
      }
    },
  };
}
