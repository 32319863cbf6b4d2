// GEMM_SKIP_ZEROS (assembly/gemm/sparse.ts) against the dense driver on the backward GEMMs of
// 784-256-128-10 at batch 128, hot, with a given fraction of A (dZ) zero; prints µs best/median of
// 15 × 20 calls, the ratio dense/skip and how many outputs differ bit-wise (must be 0).
//   node --import ./bench/ts-loader.mjs bench/skip-zeros.ts [relaxed|simd]
import { setFlagsFromString } from 'node:v8';
import { createBackendSync } from '../src/backend.js';
setFlagsFromString('--experimental-wasm-relaxed-simd');
const binary = (process.argv[2] ?? 'relaxed') as 'relaxed' | 'simd';
const b = createBackendSync({ binary, threads: 1 });
const k = b.k as any, a = b.arena;
let s = 1; const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
function mat(n: number, zero: number) { const p = a.alloc(n * 4); const v = a.views.f32; for (let i = 0; i < n; i++) v[(p >> 2) + i] = r() < zero ? 0 : r() - 0.5; return p; }
function run(name: string, layout: 'tn' | 'nn', m: number, n: number, kk: number, zero: number) {
  const A = mat(m * kk, zero), B = mat(kk * n, 0), C0 = a.alloc(m * n * 4), C1 = a.alloc(m * n * 4);
  const wb = k.f32_gemm_work_bytes(m, n, kk), w = a.alloc(wb + 64), W = (w + 63) & ~63;
  const f = layout === 'tn' ? k.f32_gemm_tn : k.f32_gemm_nn;
  const time = (C: number, flags: number) => { const ts: number[] = []; for (let rep = 0; rep < 15; rep++) { const t0 = performance.now(); for (let i = 0; i < 20; i++) f(A, B, C, m, n, kk, flags, W); ts.push((performance.now() - t0) / 20 * 1000); } ts.sort((x, y) => x - y); return ts; };
  const d = time(C0, 0), sp = time(C1, 4);
  const v = a.views.f32; let diff = 0; for (let i = 0; i < m * n; i++) if (Object.is(v[(C0 >> 2) + i], v[(C1 >> 2) + i]) === false) diff++;
  const flops = 2 * m * n * kk;
  console.log(`${name} ${layout} ${m}x${n}x${kk} zeros ${zero}: dense ${d[0]!.toFixed(1)}/${d[7]!.toFixed(1)} us (${(flops / d[0]! / 1e3).toFixed(1)} GF), skip ${sp[0]!.toFixed(1)}/${sp[7]!.toFixed(1)} us, ratio ${(d[0]! / sp[0]!).toFixed(2)}, bit diffs ${diff}`);
}
for (const z of [0.5, 0.3, 0]) {
  run('dW1', 'tn', 256, 784, 128, z);
  run('dW2', 'tn', 128, 256, 128, z);
  run('dX2', 'nn', 128, 256, 128, z);
}
