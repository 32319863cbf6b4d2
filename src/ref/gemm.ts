// Pure-TS twin of the GEMM kernels (assembly/gemm): same names, byte pointers into one memory,
// row-major f32. Written to be fair rather than literal: nt computes dot products, 2×2 outputs
// per pass (all four operand rows walk contiguously), tn and nn are row updates (i-p-j order, the innermost loop
// streams four rows of B into a row of C). Sums are carried in f64 inside a dot product and
// rounded to f32 when stored; results agree with the SIMD kernels to rounding, not bit for bit
// (colsum excepted: same order, same f32 roundings). Needs no scratch: work bytes are 0.

import { GEMM_ACCUMULATE, GEMM_OVERWRITE, GEMM_RELU, type GemmAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

/** relu that keeps NaN (matches f32x4.pmax(x, 0) in the SIMD kernels). */
function finish(c: Float32Array, o: number, n: number, relu: boolean): void {
  if (!relu) return;
  for (let j = 0; j < n; j++) if (c[o + j]! < 0) c[o + j] = 0;
}

/** Stores a finished dot product s at index zi (+ bias[bi], + the old value when accumulating). */
function put(f: Float32Array, zi: number, s: number, bias: boolean, bi: number, acc: boolean): void {
  if (bias) s += f[bi]!;
  if (acc) s += f[zi]!;
  f[zi] = s;
}

/** C row (n floats at co) += Σ_p a_p·B[p, :] over B[k×n] at b0, four depths per pass over the row;
 *  a_p = f[aBase + p·aStride] (A's row or column, read in place: no accessor call per element). */
function rankUpdates(f: Float32Array, co: number, n: number, k: number, aBase: number, aStride: number, b0: number): void {
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const ap = aBase + p * aStride;
    const x0 = f[ap]!, x1 = f[ap + aStride]!, x2 = f[ap + 2 * aStride]!, x3 = f[ap + 3 * aStride]!;
    const r0 = b0 + p * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    for (let j = 0; j < n; j++) {
      f[co + j] += x0 * f[r0 + j]! + x1 * f[r1 + j]! + x2 * f[r2 + j]! + x3 * f[r3 + j]!;
    }
  }
  for (; p < k; p++) {
    const x = f[aBase + p * aStride]!, r = b0 + p * n;
    for (let j = 0; j < n; j++) f[co + j] += x * f[r + j]!;
  }
}

export function makeGemmRef(v: Views): GemmAbi {
  const k: GemmAbi = {
    f32_gemm_nt(xPtr, wPtr, biasPtr, zPtr, m, n, k, flags, _workPtr) {
      if (m <= 0 || n <= 0) return;
      const f = v.f32;
      const x0 = xPtr >>> 2, w0 = wPtr >>> 2, b0 = biasPtr >>> 2, z0 = zPtr >>> 2;
      const acc = (flags & GEMM_ACCUMULATE) !== 0;
      const relu = (flags & GEMM_RELU) !== 0;
      const bias = biasPtr !== 0;
      // 2×2 outputs per pass: four loads feed four multiply-adds. An odd last row or column is
      // computed twice (as its own pair) and stored once.
      for (let i = 0; i < m; i += 2) {
        const i1 = i + 1 < m ? i + 1 : i;
        const xa = x0 + i * k, xb = x0 + i1 * k;
        const za = z0 + i * n, zb = z0 + i1 * n;
        for (let j = 0; j < n; j += 2) {
          const j1 = j + 1 < n ? j + 1 : j;
          const wa = w0 + j * k, wb = w0 + j1 * k;
          let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
          for (let p = 0; p < k; p++) {
            const xap = f[xa + p]!, xbp = f[xb + p]!, wap = f[wa + p]!, wbp = f[wb + p]!;
            s00 += xap * wap; s01 += xap * wbp;
            s10 += xbp * wap; s11 += xbp * wbp;
          }
          put(f, za + j, s00, bias, b0 + j, acc);
          if (j1 !== j) put(f, za + j1, s01, bias, b0 + j1, acc);
          if (i1 !== i) {
            put(f, zb + j, s10, bias, b0 + j, acc);
            if (j1 !== j) put(f, zb + j1, s11, bias, b0 + j1, acc);
          }
        }
        finish(f, za, n, relu);
        if (i1 !== i) finish(f, zb, n, relu);
      }
    },

    f32_gemm_tn(aPtr, bPtr, cPtr, m, n, k, flags, _workPtr) {
      if (m <= 0 || n <= 0) return;
      const f = v.f32;
      const a0 = aPtr >>> 2, b0 = bPtr >>> 2, c0 = cPtr >>> 2;
      const acc = (flags & GEMM_ACCUMULATE) !== 0;
      for (let i = 0; i < m; i++) {
        const co = c0 + i * n;
        if (!acc) f.fill(0, co, co + n);
        rankUpdates(f, co, n, k, a0 + i, m, b0);
        finish(f, co, n, (flags & GEMM_RELU) !== 0);
      }
    },

    f32_gemm_tn_step(aPtr, bPtr, cPtr, pPtr, vPtr, hPtr, m, n, depth, workPtr) {
      k.f32_gemm_tn(aPtr, bPtr, cPtr, m, n, depth, GEMM_OVERWRITE, workPtr);
      if (m <= 0 || n <= 0) return;
      // The twins of f32_axpy, f32_sgd_step and f32_momentum_step, element by element (src/ref/eltwise.ts, optim.ts).
      const f = v.f32, h = hPtr >>> 3;
      const lr = v.f64[h]!, mu = v.f64[h + 1]!, decay = v.scalar(v.f64[h + 2]!);
      const c0 = cPtr >>> 2, p0 = pPtr >>> 2, s0 = vPtr >>> 2;
      for (let i = 0; i < m * n; i++) {
        if (decay !== 0) f[c0 + i] = decay * f[p0 + i]! + f[c0 + i]!;
        const g = f[c0 + i]!;
        if (vPtr) {
          const vi = Math.fround(mu * f[s0 + i]! + g);
          f[s0 + i] = vi;
          f[p0 + i] = f[p0 + i]! - lr * vi;
        } else {
          f[p0 + i] = f[p0 + i]! - lr * g;
        }
      }
    },

    f32_gemm_nn(aPtr, bPtr, cPtr, m, n, k, flags, _workPtr) {
      if (m <= 0 || n <= 0) return;
      const f = v.f32;
      const a0 = aPtr >>> 2, b0 = bPtr >>> 2, c0 = cPtr >>> 2;
      const acc = (flags & GEMM_ACCUMULATE) !== 0;
      for (let i = 0; i < m; i++) {
        const co = c0 + i * n;
        const ao = a0 + i * k;
        if (!acc) f.fill(0, co, co + n);
        rankUpdates(f, co, n, k, ao, 1, b0);
        finish(f, co, n, (flags & GEMM_RELU) !== 0);
      }
    },

    f32_gemm_work_bytes(_m, _n, _k) {
      return 0;
    },

    f32_colsum(aPtr, outPtr, m, n, flags) {
      if (n <= 0) return;
      const f = v.f32;
      const a0 = aPtr >>> 2, o0 = outPtr >>> 2;
      if ((flags & GEMM_ACCUMULATE) === 0) f.fill(0, o0, o0 + n);
      for (let i = 0; i < m; i++) {
        const ao = a0 + i * n;
        for (let j = 0; j < n; j++) f[o0 + j] += f[ao + j]!;
      }
      finish(f, o0, n, (flags & GEMM_RELU) !== 0);
    },
  };
  return k;
}
