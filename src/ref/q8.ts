// Pure-TS twin of assembly/q8 (int8 inference): the same integer arithmetic and the same f32
// roundings (Math.fround after each operation, round half to even), so its outputs equal the
// binaries' bit for bit. Layout: one byte per value (the relaxed binary's), rows of kPad = k
// rounded up to 16 values; packed weights nPad = n rounded up to 4 rows of kPad.

import type { Q8Abi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

const Q8_RELU = 1;
const Q8_REQUANT = 4;
const kPadOf = (k: number) => (k + 15) & ~15;
const fr = Math.fround;

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

/** Installed on a TS backend by simdnet/interop (src/interop/quantize.ts), not by createRefKernels. */
export function makeQ8Ref(v: Views): Q8Abi {
  return {
    q8_value_bytes: () => 1,
    q8_quantize_rows(xPtr, qPtr, m, k, inv, zp) {
      const f = v.f32, u8 = v.u8;
      const kp = kPadOf(k), x0 = xPtr >>> 2;
      for (let i = 0; i < m; i++) {
        for (let p = 0; p < k; p++) u8[qPtr + i * kp + p] = quantizeValue(f[x0 + i * k + p]!, inv, zp);
        for (let p = k; p < kp; p++) u8[qPtr + i * kp + p] = 0;
      }
    },
    q8_gemm_nt(xqPtr, wPtr, corrPtr, scalePtr, biasPtr, outPtr, m, n, k, flags, inv, zp) {
      if (m <= 0 || n <= 0) return;
      const f = v.f32, i32 = v.i32, u8 = v.u8;
      const i8 = new Int8Array(u8.buffer, u8.byteOffset, u8.length);
      const kp = kPadOf(k);
      const requant = (flags & Q8_REQUANT) !== 0;
      const outRow = requant ? kPadOf(n) : n;
      for (let i = 0; i < m; i++) {
        const x = xqPtr + i * kp;
        for (let j = 0; j < n; j++) {
          const w = wPtr + j * kp;
          let acc = i32[(corrPtr >>> 2) + j]!;
          for (let p = 0; p < k; p++) acc += i8[w + p]! * u8[x + p]!;
          let y = fr(fr(fr(acc) * f[(scalePtr >>> 2) + j]!) + f[(biasPtr >>> 2) + j]!);
          if ((flags & Q8_RELU) !== 0 && y < 0) y = 0;
          if (requant) u8[outPtr + i * outRow + j] = quantizeValue(y, inv, zp); // (the binaries also write up to n rounded to 4)
          else f[(outPtr >>> 2) + i * outRow + j] = y;
        }
      }
    },
  };
}
