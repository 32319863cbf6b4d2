// A/B of the output layer's GEMMs (few units) between builds, hot loops in one process, alternating.
//   node --import ./bench/ts-loader.mjs bench/narrow-ab.ts --wasm-dir A,B [--shapes nt:128x10x128,...] [--rounds 7]
// Prints µs per call best / median per build and shape, and each build's peak probe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { createBackendSync } from '../src/backend.js';
import { median, peakProbe } from './probe.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const args = process.argv.slice(2);
const arg = (n: string) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const dirs = (arg('--wasm-dir') ?? 'build').split(',');
const rounds = Number(arg('--rounds') ?? 7);
const shapes = (arg('--shapes') ?? 'nt:128x10x128,tnstep:10x128x128,nn:128x128x10').split(',').map((s) => {
  const [l, d] = s.split(':'); const [m, n, k] = d!.split('x').map(Number); return { l: l!, m: m!, n: n!, k: k! };
});
const sides = dirs.map((dir) => {
  const b = createBackendSync({ binary: 'relaxed', threads: 1, wasm: new Uint8Array(readFileSync(join(dir, 'relaxed.wasm'))) } as never);
  const k = b.k as unknown as Record<string, (...a: number[]) => void>;
  const a = b.arena;
  const buf = (n: number) => { const p = a.alloc(n * 4); const v = a.views.f32; for (let i = 0; i < n; i++) v[(p >>> 2) + i] = Math.sin(i) * 0.1; return p; };
  const calls = shapes.map(({ l, m, n, k: d }) => {
    const A = buf(m * d + d * m), B = buf(n * d + d * n), C = buf(m * n), P = buf(m * n), bias = buf(n), h = a.alloc(24);
    a.views.f64.set([1e-9, 0, 0], h >>> 3);
    const wb = (k.f32_gemm_work_bytes as unknown as (...x: number[]) => number)(m, n, d);
    const w0 = a.alloc(wb + 64), w = (w0 + 63) & ~63;
    if (l === 'nt') return () => k.f32_gemm_nt!(A, B, bias, C, m, n, d, 0, w);
    if (l === 'tn') return () => k.f32_gemm_tn!(A, B, C, m, n, d, 0, w);
    if (l === 'tnstep') return () => k.f32_gemm_tn_step!(A, B, C, P, 0, h, m, n, d, w);
    return () => k.f32_gemm_nn!(A, B, C, m, n, d, 0, w);
  });
  return { dir, b, calls };
});
const time = (f: () => void) => { const reps = 2000; const t0 = performance.now(); for (let i = 0; i < reps; i++) f(); return (performance.now() - t0) * 1000 / reps; };
const res = sides.map(() => shapes.map(() => [] as number[]));
for (const s of sides) for (const c of s.calls) time(c);
for (let r = 0; r < rounds; r++) for (let i0 = 0; i0 < sides.length; i0++) {
  const i = r % 2 ? sides.length - 1 - i0 : i0;
  sides[i]!.calls.forEach((c, j) => res[i]![j]!.push(time(c)));
}
const probes = sides.map((s) => peakProbe(s.b).best);
console.log(`Node ${process.versions.node}, relaxed, ${rounds} rounds × 2000 calls; µs per call best / median, % of probe from best`);
sides.forEach((s, i) => {
  console.log(`${s.dir}: probe ${probes[i]!.toFixed(1)} GFLOPS`);
  shapes.forEach((sh, j) => {
    const xs = res[i]![j]!, best = Math.min(...xs), fl = 2 * sh.m * sh.n * sh.k;
    console.log(`  ${`${sh.l} ${sh.m}x${sh.n}x${sh.k}`.padEnd(22)} ${best.toFixed(2).padStart(7)} ${median(xs).toFixed(2).padStart(7)}  ${(fl / best / 1e3 / probes[i]! * 100).toFixed(1)} %`);
  });
});
