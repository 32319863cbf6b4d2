// The GEMM driver packs a kn B block (tn and nn: B stored k×n) two 8-column panels per pass over
// its rows (pack.ts packColsContiguousPair), which keeps power-of-two row strides (n = 1024, 4096)
// from evicting a row's cache line between its two halves. The packed panels must be the ones the
// single-panel packing writes: every column of C is checked against a float64 reference, and any
// block of columns computed alone (f32_gemm_{tn,nn}_ld on 8 columns: no pair) must equal the
// same columns of the whole GEMM bit for bit (the summation order depends on k only).

import { describe, expect, it } from 'vitest';
import { GEMM_ACCUMULATE } from '../../src/kernels/abi.js';
import type { ThreadExports } from '../../src/threads/kernels.js';
import { get, kernelBackends, put, randomArray } from '../helpers/backends.js';

const U = 2 ** -24;
type Shape = [m: number, n: number, k: number];
// n = 1024 and 2048: 4 KB and 8 KB row strides; 1000: pairs and no pair in one block; 520: a second
// column block of 8; 24: one pair and one single panel; 17: one pair and a 1-column tail.
const SHAPES: Shape[] = [[10, 1024, 128], [16, 2048, 40], [7, 1000, 33], [13, 520, 300], [5, 24, 9], [6, 17, 5]];
const SLICES: [j0: number, w: number][] = [[0, 8], [8, 8], [16, 3], [8, 16], [1, 8]];

const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

for (const bk of kernelBackends().filter((b) => typeof (b.k as Partial<ThreadExports>).f32_gemm_tn_ld === 'function')) {
  const k = bk.k as unknown as ThreadExports;
  describe(`GEMM kn B packed in panel pairs on ${bk.binary}`, () => {
    for (const layout of ['tn', 'nn'] as const) {
      it(`${layout}: C against float64, column blocks alone bit-identical to the whole (n up to 2048)`, () => {
        for (const [m, n, kk] of SHAPES) {
          const a = randomArray(m * kk, m + n), b = randomArray(kk * n, kk), c0 = randomArray(m * n, 7);
          const aPtr = put(bk, a), bPtr = put(bk, b), cPtr = put(bk, c0), sPtr = put(bk, c0);
          const workPtr = bk.arena.alloc(k.f32_gemm_work_bytes(m, n, kk));
          if (layout === 'tn') k.f32_gemm_tn(aPtr, bPtr, cPtr, m, n, kk, GEMM_ACCUMULATE, workPtr);
          else k.f32_gemm_nn(aPtr, bPtr, cPtr, m, n, kk, GEMM_ACCUMULATE, workPtr);
          const got = get(bk, cPtr, m * n);
          let worst = 0;
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let v = c0[i * n + j]!, s = Math.abs(v);
              for (let p = 0; p < kk; p++) {
                const x = (layout === 'tn' ? a[p * m + i]! : a[i * kk + p]!) * b[p * n + j]!;
                v += x; s += Math.abs(x);
              }
              worst = Math.max(worst, Math.abs(got[i * n + j]! - v) / (s || 1));
            }
          }
          expect(worst, `${layout} ${m}×${n}×${kk}`).toBeLessThanOrEqual(1.01 * (kk + 3) * U);
          for (const [j0, w] of SLICES) {
            if (j0 + w > n) continue;
            bk.arena.views.f32.set(c0, sPtr >>> 2);
            const sw = bk.arena.alloc(k.f32_gemm_work_bytes(m, w, kk));
            const bj = bPtr + 4 * j0, cj = sPtr + 4 * j0;
            if (layout === 'tn') k.f32_gemm_tn_ld(aPtr, bj, cj, m, w, kk, m, n, n, GEMM_ACCUMULATE, sw);
            else k.f32_gemm_nn_ld(aPtr, bj, cj, m, w, kk, n, n, GEMM_ACCUMULATE, sw);
            bk.arena.free(sw);
            const alone = get(bk, sPtr, m * n), whole: number[] = [], part: number[] = [];
            for (let i = 0; i < m; i++) {
              whole.push(...bits(got.subarray(i * n + j0, i * n + j0 + w)));
              part.push(...bits(alone.subarray(i * n + j0, i * n + j0 + w)));
            }
            expect(part, `${layout} ${m}×${n}×${kk} columns ${j0}..${j0 + w}`).toEqual(whole);
          }
          for (const q of [aPtr, bPtr, cPtr, sPtr, workPtr]) bk.arena.free(q);
        }
      });
    }
  });
}
