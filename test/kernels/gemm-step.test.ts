// f32_gemm_tn_step: dW = dZᵀ·X with the SGD or momentum step of W in the GEMM's epilogue (training
// with sgd() or momentum(), src/train/epoch.ts). Two truths:
// - the unfused chain on the same backend (f32_gemm_tn, f32_axpy for the L2 term, f32_sgd_step or
//   f32_momentum_step), which it must equal bit for bit: fit promises the same weights either way;
// - a float64 recomputation from the formulas (dW exact, then g = dW + decay·W, v = mu·v + g, W −= lr·v),
//   within the GEMM's error bound (k+3)·2⁻²⁴ relative to Σ|a·b| + |decay·W|, times lr, plus 2 ulps.
// Shapes cross every tile edge (5-row strips, 8-column panels) and, on the 2-thread backend of the
// suite, every row and column split.

import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { get, kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { expectGuard, putGuarded } from './util.js';

const U = 2 ** -24;
const SHAPES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [5, 8, 4], [7, 9, 13], [13, 33, 5], [33, 17, 31], [64, 40, 128], [10, 128, 33], [0, 4, 4], [4, 4, 0],
  // depth past one block (KC = 256: the step runs on the last one), rows past one row block (MC = 160)
  [12, 16, 300], [171, 24, 9]];

function hyper(b: Backend, lr: number, mu: number, decay: number): number {
  const ptr = b.arena.alloc(24);
  b.arena.views.f64.set([lr, mu, decay], ptr >>> 3);
  return ptr;
}

describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('f32_gemm_tn_step on %s', (_name, b) => {
  const k = b.k;
  for (const [m, n, depth] of SHAPES) {
    for (const momentum of [false, true]) {
      for (const decay of [0, 0.01]) {
        it(`${m}×${n}×${depth}, ${momentum ? 'momentum' : 'sgd'}, decay ${decay}`, () => {
          const seed = m * 1000 + n * 10 + depth;
          const A = randomArray(depth * m, seed), B = randomArray(depth * n, seed + 1);
          const W0 = randomArray(m * n, seed + 2), V0 = randomArray(m * n, seed + 3, -0.1, 0.1);
          const lr = 0.05, mu = 0.9;
          const work = b.arena.alloc(Math.max(64, k.f32_gemm_work_bytes(m, n, depth)));
          const pa = put(b, A), pb = put(b, B);
          // fused
          const c1 = putGuarded(b, new Float32Array(m * n)), w1 = putGuarded(b, W0), v1 = momentum ? putGuarded(b, V0) : 0;
          const h = hyper(b, lr, mu, decay);
          k.f32_gemm_tn_step(pa, pb, c1, w1, v1, h, m, n, depth, work);
          // unfused, on the same backend
          const c2 = put(b, new Float32Array(m * n)), w2 = put(b, W0), v2 = put(b, V0);
          k.f32_gemm_tn(pa, pb, c2, m, n, depth, 0, work);
          if (decay) k.f32_axpy(w2, c2, m * n, decay);
          if (momentum) k.f32_momentum_step(w2, c2, v2, m * n, lr, mu);
          else k.f32_sgd_step(w2, c2, m * n, lr);
          const [gF, wF, vF] = [get(b, c1, m * n), get(b, w1, m * n), momentum ? get(b, v1, m * n) : undefined];
          expect(Array.from(gF), 'gradient').toEqual(Array.from(get(b, c2, m * n)));
          expect(Array.from(wF), 'weights').toEqual(Array.from(get(b, w2, m * n)));
          if (vF) expect(Array.from(vF), 'velocity').toEqual(Array.from(get(b, v2, m * n)));
          expectGuard(b, c1, m * n);
          expectGuard(b, w1, m * n);
          if (v1) expectGuard(b, v1, m * n);
          // float64 truth
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let g = 0, scale = 0;
              for (let p = 0; p < depth; p++) { const t = A[p * m + i]! * B[p * n + j]!; g += t; scale += Math.abs(t); }
              const w = W0[i * n + j]!;
              g += decay * w;
              scale += Math.abs(decay * w);
              const v = momentum ? mu * V0[i * n + j]! + g : g;
              const wNew = w - lr * v;
              const at = i * n + j;
              const tolG = 1.01 * (depth + 3) * U * scale + 2 * U * Math.abs(g);
              expect(Math.abs(gF[at]! - g), `g[${i},${j}]`).toBeLessThanOrEqual(tolG);
              if (vF) expect(Math.abs(vF[at]! - v), `v[${i},${j}]`).toBeLessThanOrEqual(tolG + 4 * U * (Math.abs(mu * V0[at]!) + Math.abs(v)));
              const tolV = tolG + 4 * U * (Math.abs(mu * V0[at]!) + Math.abs(v));
              expect(Math.abs(wF[at]! - wNew), `W[${i},${j}]`).toBeLessThanOrEqual(lr * tolV + 4 * U * (Math.abs(w) + Math.abs(wNew)));
            }
          }
          for (const p of [work, pa, pb, c1, w1, v1, h, c2, w2, v2]) if (p) b.arena.free(p);
        });
      }
    }
  }
});
