// Pure-TS twin of assembly/reduce: sums in f64, first maximum per row, moments.
import type { ReduceAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

function maxOf(f: Float32Array, o: number, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, f[o + i]!);
  return m;
}

export function makeReduceRef(v: Views): ReduceAbi {
  return {
    f32_sum(ptr, n) {
      const f = v.f32;
      const o = ptr >>> 2;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[o + i]!;
      return s;
    },
    f32_sumsq(ptr, n) {
      const f = v.f32;
      const o = ptr >>> 2;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[o + i]! * f[o + i]!;
      return s;
    },
    f32_max(ptr, n) {
      return maxOf(v.f32, ptr >>> 2, n);
    },
    f32_argmax_rows(aPtr, outPtr, m, n) {
      const f = v.f32;
      const out = v.i32;
      for (let r = 0; r < m; r++) {
        const o = (aPtr >>> 2) + r * n;
        const best = maxOf(f, o, n);
        let idx = 0;
        for (let j = 0; j < n; j++) if (f[o + j] === best) { idx = j; break; }
        out[(outPtr >>> 2) + r] = idx;
      }
    },
    f32_moments(ptr, n, outPtr) {
      const f = v.f32;
      const o = ptr >>> 2;
      let s = 0, q = 0, mn = Infinity, mx = -Infinity, zeros = 0;
      for (let i = 0; i < n; i++) {
        const x = f[o + i]!;
        s += x;
        q += x * x;
        mn = Math.min(mn, x);
        mx = Math.max(mx, x);
        if (x === 0) zeros++;
      }
      const d = v.f64;
      const p = outPtr >>> 3;
      d[p] = s; d[p + 1] = q; d[p + 2] = mn; d[p + 3] = mx; d[p + 4] = zeros;
    },
  };
}
