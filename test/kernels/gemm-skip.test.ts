// GEMM_SKIP_ZEROS (assembly/gemm/sparse.ts, relaxed binary): the backward GEMMs on dZ, which a ReLU
// leaves about half zeros, leave out A's zero terms. Truths:
// - the dense driver on the same backend (flags without the bit), bit for bit: the sparse sums are
//   the dense sums with the zero terms left out, and adding 0·b changes nothing for finite b;
// - a float64 recomputation within the GEMM bound (k+2)·2⁻²⁴·Σ|a·b|;
// - the one documented difference, which also shows the relaxed binary took the sparse path: an
//   inf in B where A is 0 gives NaN densely (0·inf) and is left out when skipping.
// Shapes cross the list blocks (depth 128, rows 256), the 32-column chunks and their narrow tail,
// and a first row block dense enough for the dense driver next to a sparse one.

import { describe, expect, it } from 'vitest';
import { GEMM_ACCUMULATE, GEMM_SKIP_ZEROS } from '../../src/kernels/abi.js';
import type { Backend } from '../../src/backend.js';
import { get, kernelSuiteBackends, put, randomArray, testRng } from '../helpers/backends.js';
import { expectGuard, putGuarded } from './util.js';

const U = 2 ** -24;
const SHAPES: [number, number, number][] = [[1, 1, 1], [5, 7, 3], [33, 31, 17], [64, 96, 128], [40, 130, 129], [300, 40, 70], [12, 33, 300], [257, 65, 10]];

/** A k×m (tn) or m×k (nn) matrix with about `zeros` of its entries 0 (−0 among them). */
function sparse(n: number, zeros: number, seed: number): Float32Array {
  const a = randomArray(n, seed), r = testRng(seed + 99);
  for (let i = 0; i < n; i++) if (r() < zeros) a[i] = r() < 0.5 ? 0 : -0;
  return a;
}

function run(b: Backend, layout: 'tn' | 'nn', A: Float32Array, B: Float32Array, C0: Float32Array, m: number, n: number, depth: number, flags: number): Float32Array {
  const k = b.k;
  const work = b.arena.alloc(Math.max(64, k.f32_gemm_work_bytes(m, n, depth)));
  const pa = put(b, A), pb = put(b, B), pc = putGuarded(b, C0);
  if (layout === 'tn') k.f32_gemm_tn(pa, pb, pc, m, n, depth, flags, work);
  else k.f32_gemm_nn(pa, pb, pc, m, n, depth, flags, work);
  expectGuard(b, pc, m * n);
  const out = get(b, pc, m * n).slice();
  for (const p of [work, pa, pb, pc]) b.arena.free(p);
  return out;
}

const aAt = (layout: 'tn' | 'nn', A: Float32Array, m: number, depth: number, i: number, p: number) => (layout === 'tn' ? A[p * m + i]! : A[i * depth + p]!);

describe.each(kernelSuiteBackends().map((b) => [b.binary + (b.threadCount > 1 ? ' ×2' : ''), b] as const))('GEMM_SKIP_ZEROS on %s', (_name, b) => {
  for (const layout of ['tn', 'nn'] as const) {
    for (const [m, n, depth] of SHAPES) {
      for (const zeros of [0.5, 0.95, 1, 0.1]) {
        it(`${layout} ${m}×${n}×${depth}, ${zeros * 100} % zeros: the dense result bit for bit, and float64 within the bound`, () => {
          const seed = m * 7919 + n * 31 + depth + zeros * 1000;
          const A = sparse(m * depth, zeros, seed), B = randomArray(depth * n, seed + 1), C0 = randomArray(m * n, seed + 2);
          for (const acc of [0, GEMM_ACCUMULATE]) {
            const dense = run(b, layout, A, B, C0, m, n, depth, acc);
            const skip = run(b, layout, A, B, C0, m, n, depth, acc | GEMM_SKIP_ZEROS);
            expect(skip.every((v, i) => Object.is(v, dense[i]))).toBe(true);
          }
          const skip = run(b, layout, A, B, C0, m, n, depth, GEMM_SKIP_ZEROS);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0, scale = 0;
              for (let p = 0; p < depth; p++) { const t = aAt(layout, A, m, depth, i, p) * B[p * n + j]!; s += t; scale += Math.abs(t); }
              expect(Math.abs(skip[i * n + j]! - s)).toBeLessThanOrEqual((depth + 2) * U * scale);
            }
          }
        });
      }
    }

    it(`${layout}: a dense first row block (dense driver) next to a sparse one gives the dense result`, () => {
      const m = 300, n = 50, depth = 64;
      const A = sparse(m * depth, 0.6, 5);
      // rows 0..255 of C (A's columns for tn, rows for nn) made dense: that block runs densely, rows 256.. sparsely
      for (let i = 0; i < 256; i++) for (let p = 0; p < depth; p++) {
        const at = layout === 'tn' ? p * m + i : i * depth + p;
        if (A[at] === 0) A[at] = 0.25;
      }
      const B = randomArray(depth * n, 6), C0 = new Float32Array(m * n);
      const dense = run(b, layout, A, B, C0, m, n, depth, 0);
      expect(Array.from(run(b, layout, A, B, C0, m, n, depth, GEMM_SKIP_ZEROS))).toEqual(Array.from(dense));
    });

    it(`${layout}: NaN in A is a nonzero (kept); an inf in B where A is 0 is left out only when skipping (relaxed binary)`, () => {
      const m = 24, n = 40, depth = 32;
      const A = sparse(m * depth, 0.7, 11), B = randomArray(depth * n, 12), C0 = new Float32Array(m * n);
      // C row 3: only A(3, 5) is nonzero, and it is NaN; C row 4: A is 0 all along, and B[7][2] is inf
      for (let p = 0; p < depth; p++) {
        A[layout === 'tn' ? p * m + 3 : 3 * depth + p] = p === 5 ? NaN : 0;
        A[layout === 'tn' ? p * m + 4 : 4 * depth + p] = 0;
      }
      B[7 * n + 2] = Infinity;
      const skip = run(b, layout, A, B, C0, m, n, depth, GEMM_SKIP_ZEROS);
      const dense = run(b, layout, A, B, C0, m, n, depth, 0);
      for (let j = 0; j < n; j++) expect(skip[3 * n + j]).toBeNaN();
      expect(dense[4 * n + 2]).toBeNaN();
      if (b.binary.includes('relaxed')) expect(skip[4 * n + 2]).toBe(0);
      else expect(skip[4 * n + 2]).toBeNaN(); // simd.wasm has the dense driver only (bundle budget)
      // column 2 differs wherever A(i, 7) is 0 (all of the inf's terms); every other column is the dense result
      for (let i = 0; i < m * n; i++) if (i % n !== 2) expect(Object.is(skip[i], dense[i])).toBe(true);
    });
  }

  it('f32_gemm_tn_step skips dZ\'s zeros with the unfused step\'s results bit for bit (SGD, momentum, L2; depth past a list block)', () => {
    const k = b.k;
    for (const [m, n, depth] of [[256, 784, 128], [40, 70, 200], [9, 33, 5]] as const) {
      for (const [mu, decay] of [[0, 0], [0.9, 0], [0.9, 0.01]] as const) {
        const A = sparse(depth * m, 0.5, m + n), B = randomArray(depth * n, 2), W0 = randomArray(m * n, 3), V0 = randomArray(m * n, 4, -0.1, 0.1);
        const work = b.arena.alloc(Math.max(64, k.f32_gemm_work_bytes(m, n, depth)));
        const pa = put(b, A), pb = put(b, B);
        const h = b.arena.alloc(24);
        b.arena.views.f64.set([0.05, mu, decay], h >>> 3);
        const c1 = putGuarded(b, new Float32Array(m * n)), w1 = putGuarded(b, W0), v1 = mu ? putGuarded(b, V0) : 0;
        k.f32_gemm_tn_step(pa, pb, c1, w1, v1, h, m, n, depth, work);
        const c2 = put(b, new Float32Array(m * n)), w2 = put(b, W0), v2 = put(b, V0);
        k.f32_gemm_tn(pa, pb, c2, m, n, depth, 0, work);
        if (decay) k.f32_axpy(w2, c2, m * n, decay);
        if (mu) k.f32_momentum_step(w2, c2, v2, m * n, 0.05, mu);
        else k.f32_sgd_step(w2, c2, m * n, 0.05);
        expect(Array.from(get(b, c1, m * n)), 'gradient').toEqual(Array.from(get(b, c2, m * n)));
        expect(Array.from(get(b, w1, m * n)), 'weights').toEqual(Array.from(get(b, w2, m * n)));
        if (v1) expect(Array.from(get(b, v1, m * n)), 'velocity').toEqual(Array.from(get(b, v2, m * n)));
        expectGuard(b, c1, m * n);
        expectGuard(b, w1, m * n);
        for (const p of [work, pa, pb, h, c1, w1, c2, w2, v2, ...(v1 ? [v1] : [])]) b.arena.free(p);
      }
    }
  });
});
