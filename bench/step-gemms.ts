// The GEMMs of one training step of 784-256-128-10 at batch 128 (forward nt, dW tn, dX nn per
// layer, the SGD steps and the batch gather between them), called in the order the fit calls them
// on the raw kernels, each call timed: the cache state is the training step's, not a hot loop's.
// Beside it, each GEMM alone repeated (hot caches, as bench:gemm). Binaries from --wasm-dir A,B
// (default build/) run alternately in one process, so two builds can be compared.
//   node --import ./bench/ts-loader.mjs bench/step-gemms.ts [--wasm-dir dirA,dirB] [--binary relaxed] [--rounds 9] [--fused] [--dz-zeros 0.5]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { createBackendSync, type Backend } from '../src/backend.js';
import { median, peakProbe } from './probe.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const args = process.argv.slice(2);
const arg = (n: string) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const dirs = (arg('--wasm-dir') ?? 'build').split(',');
const binary = (arg('--binary') ?? 'relaxed') as 'relaxed' | 'simd';
const rounds = Number(arg('--rounds') ?? 9);
/** --fused: W's SGD step inside the dW GEMM (f32_gemm_tn_step), dX first, as fit does with optimizer.fuse. */
const fused = args.includes('--fused');
/** --dz-zeros f: that fraction of the hidden layers' dZ is 0, as a ReLU leaves it (about half in training; GEMM_SKIP_ZEROS). */
const dzZeros = Number(arg('--dz-zeros') ?? 0);
const N = 60000, B = 128, sizes = [784, 256, 128, 10];

type K = Record<string, (...a: number[]) => number>;
interface Side { name: string; b: Backend; k: K; run: () => Map<string, number> }

function side(dir: string): Side {
  const b = createBackendSync({ binary, threads: 1, wasm: new Uint8Array(readFileSync(join(dir, `${binary}.wasm`))) } as never);
  const k = b.k as unknown as K;
  const a = b.arena;
  const f32 = () => a.views.f32;
  const fill = (p: number, n: number, s: number) => { const v = f32(); let x = s; for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; v[(p >>> 2) + i] = (x / 2 ** 32 - 0.5) * 0.1; } };
  const xAll = a.alloc(N * 784 * 4); fill(xAll, N * 784, 1);
  const idx = a.alloc(N * 4);
  const perm = new Int32Array(N).map((_, i) => i);
  for (let i = N - 1; i > 0; i--) { const j = (i * 7919 + 13) % (i + 1); [perm[i], perm[j]] = [perm[j]!, perm[i]!]; }
  new Int32Array(a.views.f32.buffer, idx, N).set(perm);
  const L = sizes.length - 1;
  const W: number[] = [], dW: number[] = [], bias: number[] = [], db: number[] = [], Z: number[] = [], dZ: number[] = [], dX: number[] = [];
  let work = 0;
  for (let l = 0; l < L; l++) {
    const i = sizes[l]!, o = sizes[l + 1]!;
    W.push(a.alloc(o * i * 4)); fill(W[l]!, o * i, 10 + l); dW.push(a.alloc(o * i * 4));
    bias.push(a.alloc(o * 4)); fill(bias[l]!, o, 20 + l); db.push(a.alloc(o * 4));
    Z.push(a.alloc(B * o * 4)); dZ.push(a.alloc(B * o * 4)); fill(dZ[l]!, B * o, 30 + l); dX.push(a.alloc(B * i * 4));
    if (l < L - 1) for (let e = 0, x = 77 + l; e < B * o; e++) { x = (x * 1103515245 + 12345) >>> 0; if (x / 2 ** 32 < dzZeros) f32()[(dZ[l]! >>> 2) + e] = 0; }
    work = Math.max(work, k.f32_gemm_work_bytes!(B, o, i), k.f32_gemm_work_bytes!(o, i, B), k.f32_gemm_work_bytes!(B, i, o));
  }
  const wp = a.alloc(work + 64), wk = (wp + 63) & ~63;
  const xb = a.alloc(B * 784 * 4);
  const hyper = a.alloc(24);
  a.views.f64.set([1e-9, 0, 0], hyper >>> 3);
  let step = 0;
  const times = new Map<string, number>();
  const t = (key: string, f: () => void) => { const t0 = performance.now(); f(); times.set(key, (times.get(key) ?? 0) + performance.now() - t0); };
  const run = () => {
    times.clear();
    const steps = N / B | 0;
    const t0 = performance.now();
    for (let s = 0; s < steps; s++, step++) {
      t('gather', () => k.f32_gather_rows!(xAll, idx + ((step * B) % (N - B)) * 4, xb, B, 784));
      let inp = xb;
      const ins: number[] = [];
      for (let l = 0; l < L; l++) {
        ins.push(inp);
        t(`nt ${l + 1}`, () => k.f32_gemm_nt!(inp, W[l]!, bias[l]!, Z[l]!, B, sizes[l + 1]!, sizes[l]!, 0, wk));
        inp = Z[l]!;
      }
      for (let l = L - 1; l >= 0; l--) {
        const i = sizes[l]!, o = sizes[l + 1]!;
        if (l > 0) t(`nn ${l + 1}`, () => k.f32_gemm_nn!(dZ[l]!, W[l]!, dX[l]!, B, i, o, 4, wk)); // GEMM_SKIP_ZEROS, as dense.ts
        if (fused) t(`tn ${l + 1}+step`, () => k.f32_gemm_tn_step!(dZ[l]!, ins[l]!, dW[l]!, W[l]!, 0, hyper, o, i, B, wk));
        else t(`tn ${l + 1}`, () => k.f32_gemm_tn!(dZ[l]!, ins[l]!, dW[l]!, o, i, B, 4, wk));
        t('colsum', () => k.f32_colsum!(dZ[l]!, db[l]!, B, o, 0));
      }
      t('sgd', () => { for (let l = 0; l < L; l++) { if (!fused) k.f32_sgd_step!(W[l]!, dW[l]!, sizes[l]! * sizes[l + 1]!, 1e-9); k.f32_sgd_step!(bias[l]!, db[l]!, sizes[l + 1]!, 1e-9); } });
    }
    times.set('step', performance.now() - t0);
    for (const [key, v] of times) times.set(key, v * 1000 / steps);
    return new Map(times);
  };
  return { name: dir, b, k, run };
}

const sides = dirs.map(side);
// The real fit on the same binary (Fashion-MNIST when present), epochs alternating with the raw steps.
const lib = await import('../src/index.js');
const DIR = '/usr/share/datasets/fashion-mnist';
const images = lib.readIdxImages(`${DIR}/train-images-idx3-ubyte.gz`, { normalize: true });
const labels = lib.readIdxLabels(`${DIR}/train-labels-idx1-ubyte.gz`);
const fitRows = 30000;
const X = { data: images.data.subarray(0, fitRows * 784), rows: fitRows, cols: 784 };
const y = labels.subarray(0, fitRows);
const fitModels = sides.map((s) => new lib.Sequential({ inputSize: 784, seed: 1, backend: s.b, layers: [lib.dense(256, { activation: 'relu' }), lib.dense(128, { activation: 'relu' }), lib.dense(10, { activation: 'softmax' })] })
  .compile({ loss: 'categoricalCrossentropy', optimizer: lib.sgd({ learningRate: 0.1 }) }));
for (const m of fitModels) m.session.optimizer.fuse = fused;
const fitRates = sides.map(() => [] as number[]);
const fitEpoch = (i: number) => { fitRates[i]!.push(...fitModels[i]!.fitSync(X, y, { epochs: 2, batchSize: 128 }).samplesPerSec); };
sides.forEach((_, i) => fitEpoch(i));
sides.forEach((_, i) => { fitRates[i]!.length = 0; });
const flops: Record<string, number> = {};
for (let l = 0; l < 3; l++) { const m = 2 * B * sizes[l]! * sizes[l + 1]!; flops[`nt ${l + 1}`] = m; flops[`tn ${l + 1}`] = m; flops[`tn ${l + 1}+step`] = m; flops[`nn ${l + 1}`] = m; }
const probes = sides.map((s) => peakProbe(s.b).best);
for (const s of sides) s.run();
const res = sides.map(() => [] as Map<string, number>[]);
for (let r = 0; r < rounds; r++) for (let i = 0; i < sides.length; i++) { const j = r % 2 ? sides.length - 1 - i : i; res[j]!.push(sides[j]!.run()); fitEpoch(j); }
probes.forEach((p, i) => { probes[i] = Math.max(p, peakProbe(sides[i]!.b).best); });
const stepFlops = 1.007e6 * B;
console.log(`Node ${process.versions.node}, ${binary}, ${rounds} rounds of ${N / B | 0} steps; µs per step best / median, GFLOPS from best, % of probe`);
const keys = [...res[0]![0]!.keys()];
for (let i = 0; i < sides.length; i++) {
  const fr = fitRates[i]!;
  console.log(`${sides[i]!.name}: probe ${probes[i]!.toFixed(1)} GFLOPS; real fit ${Math.round(Math.max(...fr))} best / ${Math.round(median(fr))} median samples/s = ${(Math.max(...fr) * 1.007e-3 / probes[i]! * 100).toFixed(1)} % / ${(median(fr) * 1.007e-3 / probes[i]! * 100).toFixed(1)} % of probe`);
  for (const key of keys) {
    const xs = res[i]!.map((m) => m.get(key)!);
    const best = Math.min(...xs), med = median(xs);
    const fl = key === 'step' ? stepFlops : flops[key];
    const g = fl ? ` ${(fl / best / 1e3).toFixed(1)} GFLOPS ${(fl / best / 1e3 / probes[i]! * 100).toFixed(1)} %` : '';
    console.log(`  ${key.padEnd(8)} ${best.toFixed(1).padStart(8)} ${med.toFixed(1).padStart(8)}${g}`);
  }
}
