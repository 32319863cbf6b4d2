// Pure-TS twin of assembly/eltwise/basic.ts.
import type { EltwiseAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

export function makeEltwiseRef(v: Views): EltwiseAbi {
  return {
    f32_fill(ptr, n, value) {
      v.f32.fill(value, ptr >>> 2, (ptr >>> 2) + n);
    },
    f32_copy(dstPtr, srcPtr, n) {
      v.f32.copyWithin(dstPtr >>> 2, srcPtr >>> 2, (srcPtr >>> 2) + n);
    },
    f32_add(aPtr, bPtr, outPtr, n) {
      const f = v.f32;
      const a = aPtr >>> 2, b = bPtr >>> 2, o = outPtr >>> 2;
      for (let i = 0; i < n; i++) f[o + i] = f[a + i]! + f[b + i]!;
    },
    f32_mul(aPtr, bPtr, outPtr, n) {
      const f = v.f32;
      const a = aPtr >>> 2, b = bPtr >>> 2, o = outPtr >>> 2;
      for (let i = 0; i < n; i++) f[o + i] = f[a + i]! * f[b + i]!;
    },
    f32_scale(xPtr, outPtr, n, alpha) {
      const f = v.f32;
      const x = xPtr >>> 2, o = outPtr >>> 2;
      const a = v.scalar(alpha);
      for (let i = 0; i < n; i++) f[o + i] = f[x + i]! * a;
    },
    f32_axpy(xPtr, yPtr, n, alpha) {
      const f = v.f32;
      const x = xPtr >>> 2, y = yPtr >>> 2;
      const a = v.scalar(alpha);
      for (let i = 0; i < n; i++) f[y + i] = a * f[x + i]! + f[y + i]!;
    },
    f32_gather_rows(srcPtr, idxPtr, dstPtr, rows, cols) {
      const f = v.f32;
      const idx = v.i32;
      const s = srcPtr >>> 2, d = dstPtr >>> 2, ix = idxPtr >>> 2;
      for (let r = 0; r < rows; r++) {
        const from = s + idx[ix + r]! * cols;
        f.copyWithin(d + r * cols, from, from + cols);
      }
    },
  };
}
