// GEMM benchmark: GFLOPS (2·m·n·k / time, packing included) of f32_gemm_nt / _tn / _nn on the
// simd and relaxed binaries and the pure-TS twin, best and median of several timed runs after a
// warm-up, as a fraction of this machine's 128-bit SIMD peak (f32_peak_probe, measured with the
// same binary: mul + add pipes for simd, fused pipes for relaxed). Single thread.
//   npm run bench:gemm                  table
//   npm run bench:gemm -- --json        one JSON object per line (per layout, shape and binary)
//   npm run bench:gemm -- --binary simd,js --layout nt   a subset
//   npm run bench:gemm -- --quick       fewer runs
//   npm run bench:gemm -- --wasm-dir D  take simd.wasm / relaxed.wasm from D instead of build/
//   npm run bench:gemm -- --threads 2   split each GEMM over 2 threads (threads binaries, worker pool)
//   npm run bench:gemm -- --sweep       the scale sweep: every training GEMM of bench:train's batch /
//                                       width / depth sweeps (bench/sweep.ts) and squares 64…4096
//                                       (--sweep batch,width a subset; --quick: squares ≤ 1024)
//   npm run bench:gemm -- --shape nt:128x16x784,tn:10x1000x128   given layouts and shapes only

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackendSync, type Backend } from '../src/backend.js';
import { BINARIES, BINARY_NAMES, type BinaryName } from '../src/wasm/binaries.js';
import { detectFeatures } from '../src/wasm/features.js';
import { median, peakProbe } from './probe.js';
import { gemmSweepShapes, parseShapes, parseSweepArgs, SQUARES, type Layout, type Shape } from './sweep.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const wasmDirIdx = args.indexOf('--wasm-dir');
const wasmDir = wasmDirIdx >= 0 ? args[wasmDirIdx + 1] : undefined;
const only = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1]!.split(',') : undefined; };
const onlyBinaries = only('--binary');
const onlyLayouts = only('--layout') as Layout[] | undefined;
const threadsIdx = args.indexOf('--threads');
const threads = threadsIdx >= 0 ? Number(args[threadsIdx + 1]) : 1;
/** --sweep: the scale sweep's shapes per layout, with the sweep points each comes from; --shape: the given ones. */
const sweep = args.includes('--sweep')
  ? gemmSweepShapes(parseSweepArgs(args.filter((a, i) => a !== '--threads' && args[i - 1] !== '--threads')).axes, SQUARES.filter((s) => !quick || s <= 1024))
  : only('--shape') ? parseShapes(only('--shape')!) : undefined;

const CUBES: Shape[] = [[128, 128, 128], [256, 256, 256], [512, 512, 512]];
/** MLP 784 → 256 → 128 at batch 128: forward nt (m=batch, n=out, k=in), backward tn (dW: m=out,
 *  n=in, k=batch) and nn (dX: m=batch, n=in, k=out). */
const MLP: Record<Layout, Shape[]> = {
  nt: [[128, 256, 784], [128, 128, 256]],
  tn: [[256, 784, 128], [128, 256, 128]],
  nn: [[128, 784, 256], [128, 256, 128]],
};

/** One JSON line per measurement; peakGflops is this binary's probe (absent for the TS twin). */
interface Row { layout: Layout; m: number; n: number; k: number; binary: string; gflopsBest: number; gflopsMedian: number; threads: number; peakGflops?: number; from?: string[] }

function out(line: string): void {
  if (!json) console.log(line);
}

function backendFor(binary: BinaryName | 'js'): Backend {
  if (binary === 'js') return createBackendSync({ backend: 'js' });
  const spec = BINARIES[binary];
  const file = threads > 1 && 'threaded' in spec ? spec.threaded : binary;
  if (wasmDir) return createBackendSync({ binary, threads, wasm: new Uint8Array(readFileSync(join(wasmDir, `${file}.wasm`))) });
  return createBackendSync({ binary, threads });
}

function fillRandom(b: Backend, ptr: number, n: number, seed: number): void {
  const f = b.arena.views.f32;
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[(ptr >>> 2) + i] = s / 2 ** 31 - 1;
  }
}


/** Times one GEMM: each sample repeats the call until ≥ minMs elapsed, so tiny shapes are measurable. */
function timeGemm(b: Backend, layout: Layout, [m, n, k]: Shape, samples: number, minMs: number, warmReps = 2): { best: number; median: number } {
  const aLen = m * k, bLen = n * k;
  const aPtr = b.arena.alloc(aLen * 4), bPtr = b.arena.alloc(bLen * 4), cPtr = b.arena.alloc(m * n * 4);
  const biasPtr = b.arena.alloc(n * 4);
  const workPtr = b.arena.alloc(b.k.f32_gemm_work_bytes(m, n, k));
  fillRandom(b, aPtr, aLen, 1); fillRandom(b, bPtr, bLen, 2); fillRandom(b, biasPtr, n, 3);
  const K = b.k;
  const run = layout === 'nt' ? () => K.f32_gemm_nt(aPtr, bPtr, biasPtr, cPtr, m, n, k, 0, workPtr)
    : layout === 'tn' ? () => K.f32_gemm_tn(aPtr, bPtr, cPtr, m, n, k, 0, workPtr)
      : () => K.f32_gemm_nn(aPtr, bPtr, cPtr, m, n, k, 0, workPtr);
  const flop = 2 * m * n * k;
  // Warm-up: tier-up to optimized code and settle caches.
  const warmEnd = performance.now() + Math.max(minMs, 50);
  let reps = 0;
  while (reps < warmReps || (performance.now() < warmEnd && warmReps > 1)) { run(); reps++; }
  const rates: number[] = [];
  for (let s = 0; s < samples; s++) {
    let calls = 0;
    const t0 = performance.now();
    let t1 = t0;
    do { run(); calls++; t1 = performance.now(); } while (t1 - t0 < minMs);
    rates.push((flop * calls) / ((t1 - t0) * 1e6));
  }
  for (const p of [aPtr, bPtr, cPtr, biasPtr, workPtr]) b.arena.free(p);
  return { best: Math.max(...rates), median: median(rates) };
}


function main(): void {
  const f = detectFeatures();
  const cpu = (() => {
    try {
      return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
    } catch { return 'unknown CPU'; }
  })();
  out(`simdnet GEMM benchmark — Node ${process.versions.node}, V8 ${process.versions.v8}, ${cpu}, ${threads > 1 ? `${threads} threads (peak probe: one thread)` : 'single thread'}`);
  // The table's single-threaded release binaries (the threads build is picked through `threaded`), then the TS twin.
  const release = BINARY_NAMES.filter((n) => !BINARIES[n].debug && !('sharedMaxPages' in BINARIES[n]));
  const binaries: (BinaryName | 'js')[] = [...release, 'js' as const].filter((x) => (x !== 'relaxed' || f.relaxedSimd) && (!onlyBinaries || onlyBinaries.includes(x)) && (threads === 1 || x !== 'js') && (!sweep || x !== 'js'));
  const layouts: Layout[] = onlyLayouts ?? ['nt', 'tn', 'nn'];
  const rows: Row[] = [];
  const peaks: Record<string, number> = {};
  const tsRate = new Map<string, number>();
  for (const binary of binaries) {
    const b = backendFor(binary);
    // The probe runs before and after the shapes and the better figure counts: other work on the
    // machine lowers a probe, never raises it.
    const before = binary !== 'js' ? peakProbe(b, quick ? 3 : 7) : undefined;
    const measured: { layout: Layout; shape: Shape; best: number; median: number; from?: string[] }[] = [];
    for (const layout of layouts) {
      if (sweep) {
        for (const { shape, from } of sweep[layout]) {
          // Calls of ≥ 1 s (4096³) run once for warm-up and twice timed; smaller ones 3-9 samples of ≥ 10 ms.
          const secs = (2 * shape[0] * shape[1] * shape[2]) / 40e9;
          const samples = secs > 1 ? 2 : secs > 0.1 ? 3 : quick ? 5 : 9;
          measured.push({ layout, shape, from, ...timeGemm(b, layout, shape, samples, quick ? 5 : 10, secs > 1 ? 1 : 2) });
        }
        continue;
      }
      const shapes = binary === 'js' ? [[256, 256, 256] as Shape, ...MLP[layout]] : [...CUBES, ...MLP[layout]];
      for (const shape of shapes) {
        const samples = binary === 'js' ? 5 : quick ? 9 : 25;
        // Short samples, many of them: on a shared machine some land in a quiet time slice (best),
        // the median shows the contention.
        const minMs = binary === 'js' ? 100 : 10;
        measured.push({ layout, shape, ...timeGemm(b, layout, shape, samples, minMs) });
      }
    }
    if (before) {
      const after = peakProbe(b, quick ? 3 : 7);
      const p = after.best > before.best ? after : before;
      peaks[binary] = p.best;
      const how = binary === 'relaxed' ? '12 independent relaxed_madd chains' : '6 f32x4.mul + 6 f32x4.add independent chains';
      out(`\n[${binary}] peak probe (${how}): best ${p.best.toFixed(1)} GFLOPS, median ${p.median.toFixed(1)}`);
    } else {
      out('\n[js] pure-TS twin (fewer runs, no 128³/512³)');
    }
    out(`${'layout'.padEnd(7)}${'m×n×k'.padEnd(16)}${'best'.padStart(8)}${'median'.padStart(9)}${'% peak'.padStart(9)}`);
    for (const { layout, shape, best, median: med, from } of measured) {
      const key = `${layout} ${shape.join('x')}`;
      if (binary === 'js') tsRate.set(key, best);
      const peak = peaks[binary];
      const row: Row = { layout, m: shape[0], n: shape[1], k: shape[2], binary, gflopsBest: best, gflopsMedian: med, threads: b.threadCount };
      if (peak) row.peakGflops = peak;
      if (from) row.from = from;
      rows.push(row);
      if (json) console.log(JSON.stringify(row));
      const pct = peak ? `${((100 * best) / peak).toFixed(0)}%` : '';
      const what = from ? `  ${from.slice(0, 3).join(', ')}${from.length > 3 ? ` +${from.length - 3}` : ''}` : '';
      out(`${layout.padEnd(7)}${shape.join('×').padEnd(16)}${best.toFixed(1).padStart(8)}${med.toFixed(1).padStart(9)}${pct.padStart(9)}${what}`);
    }
    b.dispose();
  }
  if (tsRate.size && !json) {
    out('\nWASM best vs pure-TS best (same shape):');
    for (const row of rows) {
      if (row.binary === 'js') continue;
      const ts = tsRate.get(`${row.layout} ${row.m}x${row.n}x${row.k}`);
      if (ts) out(`  ${row.binary.padEnd(8)}${row.layout.padEnd(4)}${`${row.m}×${row.n}×${row.k}`.padEnd(14)}${(row.gflopsBest / ts).toFixed(1)}×  (TS ${ts.toFixed(2)} GFLOPS)`);
    }
  }
}

main();
