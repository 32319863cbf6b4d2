// simdnet runner of the peer benchmark. One process per (binary, threads):
//   node --import ./bench/ts-loader.mjs bench/peers/simdnet.ts --binary simd|relaxed|js [--threads N] [--quick]
// Cold start lives in cold-simdnet.mjs (plain node, the built package, no TypeScript loader).
// Rows go to stdout as `@@row {json}` (see common.mjs).

import { setFlagsFromString } from 'node:v8';
// @ts-ignore plain ESM helper shared with the JavaScript runners
import * as C from './common.mjs';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const binary = C.argValue('--binary', 'relaxed') as 'simd' | 'relaxed' | 'js';
const threads = Number(C.argValue('--threads', '1'));
const system = binary === 'js' ? 'simdnet-ts' : `simdnet-wasm-${binary}`;

const lib = await import('../../src/index.js');
const { quantize } = await import('../../src/interop/index.js');
const { createBackendSync, dense, Sequential, sgd, adam } = lib;
type Backend = ReturnType<typeof createBackendSync>;

let shared: Backend | undefined;
/** One backend per process (with threads, one worker pool), created on first use. */
function makeBackend(): Backend {
  if (shared) return shared;
  const opts: Record<string, unknown> = binary === 'js' ? { backend: 'js' } : { binary };
  if (threads > 1) opts.threads = threads;
  const b = createBackendSync(opts as never);
  if (threads > 1) {
    const info = (lib as unknown as { backendInfo?: (b?: Backend) => { threadCount?: number } }).backendInfo;
    const count = (b as unknown as { threadCount?: number }).threadCount ?? info?.(b)?.threadCount ?? 1;
    const why = (b as unknown as { threadWhy?: string }).threadWhy ?? 'no multi-threaded kernels in this build';
    if (count < threads) throw new Error(`simdnet runs ${count} thread(s), ${threads} asked: ${why}`);
  }
  return (shared = b);
}

function makeModel(backend: Backend, seed = 1) {
  return new Sequential({
    inputSize: 784, seed, backend,
    layers: [dense(256, { activation: 'relu' }), dense(128, { activation: 'relu' }), dense(10, { activation: 'softmax' })],
  });
}

const S = C.SIZES;
const base = { system, threads };

if (binary !== 'js' && threads === 1 && C.wanted.includes('train')) {
  // The machine's 128-bit limit for this binary (bench/probe.ts), so RESULTS.md can state each ratio next to it.
  const row = { ...base, workload: 'peak-probe', metric: 'GFLOPS', note: 'f32_peak_probe: 12 independent f32x4 chains' };
  await C.guard(row, async () => {
    const { peakProbe } = await import('../probe.js');
    const b = makeBackend();
    const first = peakProbe(b), again = peakProbe(b);
    C.emit({ ...row, values: [first.best, again.best] });
  });
}

if (C.wanted.includes('gemm')) {
  for (const shape of S.gemmShapes) {
    for (const layout of S.gemmLayouts) {
      const [m, n, k] = shape;
      const row = { ...base, workload: `gemm-${layout}-${m}x${n}x${k}`, metric: 'GFLOPS' };
      await C.guard(row, async () => {
        const b = makeBackend();
        const K = b.k;
        const aPtr = b.arena.alloc(m * k * 4), bPtr = b.arena.alloc(n * k * 4), cPtr = b.arena.alloc(m * n * 4);
        const biasPtr = b.arena.alloc(n * 4), workPtr = b.arena.alloc(K.f32_gemm_work_bytes(m, n, k));
        b.arena.views.f32.set(C.randomF32(m * k, 1), aPtr >>> 2);
        b.arena.views.f32.set(C.randomF32(n * k, 2), bPtr >>> 2);
        b.arena.views.f32.fill(0, biasPtr >>> 2, (biasPtr >>> 2) + n);
        // nt computes A·Bᵀ (+ bias, zero here): the dense forward; tn Aᵀ·B: dW; nn A·B: dX.
        const run = layout === 'nt' ? () => K.f32_gemm_nt(aPtr, bPtr, biasPtr, cPtr, m, n, k, 0, workPtr)
          : layout === 'tn' ? () => K.f32_gemm_tn(aPtr, bPtr, cPtr, m, n, k, 0, workPtr)
            : () => K.f32_gemm_nn(aPtr, bPtr, cPtr, m, n, k, 0, workPtr);
        C.emit({ ...row, values: await C.timeGemm(run, shape) });
        for (const p of [aPtr, bPtr, cPtr, biasPtr, workPtr]) b.arena.free(p);
      });
    }
  }
}

const data = C.wanted.some((w: string) => w !== 'gemm') ? C.loadData() : undefined;

if (C.wanted.includes('train') && data) {
  const n = binary === 'js' ? S.trainSamples.slow : S.trainSamples.fast;
  const row = { ...base, workload: 'train-sgd', metric: 'samples/s', note: `${n}-sample subset per run` };
  await C.guard(row, async () => {
    const [X, y] = C.subset(data.Xtr, data.ytr, n);
    const model = makeModel(makeBackend()).compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: S.sgdLr }) });
    // One fit: a warm-up epoch (JIT, memory growth), then trainRuns timed epochs, each timed by the fit
    // itself (history.samplesPerSec: shuffle + steps), as the PyTorch runner times an epoch of its loop.
    // fitSync's per-call setup (validating X, one-hot targets, copying X into the arena) is outside.
    const values = model.fitSync(X, y, { epochs: S.trainRuns + 1, batchSize: S.batch }).samplesPerSec.slice(1);
    C.emit({ ...row, values, note: `${row.note}; epochs of one fit (history.samplesPerSec)` });
    model.dispose();
  });
}

if (C.wanted.includes('accuracy') && data) {
  const row = { ...base, workload: 'accuracy-adam', metric: 'test accuracy' };
  await C.guard(row, async () => {
    const [X, y] = C.subset(data.Xtr, data.ytr, S.accuracyTrainRows);
    const values: number[] = [];
    const int8: number[] = [];
    let secs = 0;
    for (const seed of S.accuracySeeds as number[]) {
      const model = makeModel(makeBackend(), seed).compile({ loss: 'categoricalCrossentropy', optimizer: adam({ learningRate: S.adamLr }) });
      const t0 = performance.now();
      model.fitSync(X, y, { epochs: S.accuracyEpochs, batchSize: S.batch });
      secs += (performance.now() - t0) / 1000;
      values.push(C.argmaxAccuracy(model.predict(data.Xte).data, data.yte));
      // int8 copy of the same trained model, calibrated on 2,000 training rows (max-abs)
      const q = quantize(model, { calibration: C.subset(data.Xtr, data.ytr, 2000)[0] });
      int8.push(C.argmaxAccuracy(q.predict(data.Xte).data, data.yte));
      q.dispose();
      model.dispose();
    }
    C.emit({ ...row, values, note: `${S.accuracyEpochs} epochs × ${X.rows} rows, ${(secs / values.length).toFixed(1)} s per seed; seeds ${S.accuracySeeds.join(',')}; He-normal hidden, Xavier output (simdnet defaults)` });
    const delta = int8.map((v, i) => ((v - values[i]!) * 100).toFixed(2)).join(', ');
    C.emit({ ...base, workload: 'accuracy-int8', metric: 'test accuracy', values: int8, note: `the same models quantized (int8 weights per channel, activations max-abs on 2,000 training rows); int8 − f32 per seed: ${delta} points` });
  });
}

if (C.wanted.includes('inference') && data) {
  const backend = makeBackend();
  const model = makeModel(backend).compile();
  const [X] = C.subset(data.Xte, data.yte, 1024);
  await C.guard({ ...base, workload: 'infer-b1024', metric: 'samples/s' }, async () => {
    C.emit({ ...base, workload: 'infer-b1024', metric: 'samples/s', values: await C.timeThroughput(() => model.predict(X)) });
  });
  await C.guard({ ...base, workload: 'infer-b1', metric: 'latency µs' }, async () => {
    const one = { data: X.data.subarray(0, 784), rows: 1, cols: 784 };
    const calls = binary === 'js' ? Math.ceil(S.latencyCalls / 4) : S.latencyCalls;
    C.emit({ ...base, workload: 'infer-b1', metric: 'latency µs', values: await C.timeLatency(() => model.predict(one), calls) });
  });
  if (binary !== 'js') {
    await C.guard({ ...base, workload: 'infer-int8-b1024', metric: 'samples/s' }, async () => {
      const q = quantize(model, { calibration: C.subset(data.Xtr, data.ytr, 2000)[0] });
      C.emit({ ...base, workload: 'infer-int8-b1024', metric: 'samples/s', values: await C.timeThroughput(() => q.predict(X)), note: 'int8 model of the same network (quantize(), calibration 2,000 training rows)' });
      q.dispose();
    });
  }
  model.dispose();
}
(shared as unknown as { dispose?: () => void } | undefined)?.dispose?.();
process.exit(0); // a worker pool would keep the process alive
