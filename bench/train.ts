// Training and inference benchmark: Fashion-MNIST (from /usr/share/datasets/fashion-mnist when
// installed, same-shaped synthetic data otherwise), 784-256-128-10 ReLU/softmax, batch 128.
//
//   npm run bench:train                 # throughput per binary, accuracy run, inference
//   npm run bench:train -- --json       # one JSON object per line
//   npm run bench:train -- --quick      # fewer samples (smoke run)
//   npm run bench:train -- --fused      # also SGD with the step inside the dW GEMMs (optimizer.fuse)
//   npm run bench:train -- --threads 2  # 1 vs 2 threads, same binary; --batch 32,128,512 (default)
//   npm run bench:train -- --only sweep # batch / width / depth scale sweep (bench/train-sweep.ts; --sweep width)
//
// Figures: samples/s best and median over several timed epochs of one fit (after a warm-up
// epoch; each epoch's own time, as history.samplesPerSec reports it), per backend and binary, and
// the fraction of the binary's peak probe that samples/s × FLOPs per sample makes; a profile of
// the step (--only profile: every kernel call timed, bench/train-profile.ts); test accuracy after 15 epochs of Adam; predict() throughput at batch 1024 and
// single-sample latency (median of many calls). Not a test: nothing here asserts a timing.

import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { cpus } from 'node:os';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const { createBackendSync, dense, Sequential, sgd, adam, readIdxImages, readIdxLabels } = await import('../src/index.js');
const { BINARIES, BINARY_NAMES } = await import('../src/wasm/binaries.js');
const { quantize } = await import('../src/interop/index.js');
const { peakProbe, better } = await import('./probe.js');
const { profile, flopsPerSample } = await import('./train-profile.js');
type Backend = ReturnType<typeof createBackendSync>;
type Matrix = { data: Float32Array; rows: number; cols: number };

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const argValue = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = argValue('--only'); // throughput | profile | accuracy | inference | sweep
const threadsArg = argValue('--threads');

const DIR = '/usr/share/datasets/fashion-mnist';
function loadData(): { Xtr: Matrix; ytr: Int32Array; Xte: Matrix; yte: Int32Array; source: string } {
  if (existsSync(`${DIR}/train-images-idx3-ubyte.gz`)) {
    return {
      Xtr: readIdxImages(`${DIR}/train-images-idx3-ubyte.gz`, { normalize: true }),
      ytr: readIdxLabels(`${DIR}/train-labels-idx1-ubyte.gz`),
      Xte: readIdxImages(`${DIR}/t10k-images-idx3-ubyte.gz`, { normalize: true }),
      yte: readIdxLabels(`${DIR}/t10k-labels-idx1-ubyte.gz`),
      source: 'fashion-mnist',
    };
  }
  // Same shape, learnable: each class is a noisy prototype.
  let s = 12345;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const protos = Array.from({ length: 10 }, () => Float32Array.from({ length: 784 }, () => r()));
  const make = (n: number) => {
    const X = new Float32Array(n * 784);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(r() * 10);
      y[i] = c;
      for (let j = 0; j < 784; j++) X[i * 784 + j] = Math.min(1, Math.max(0, protos[c]![j]! + 0.5 * (r() - 0.5)));
    }
    return { X: { data: X, rows: n, cols: 784 }, y };
  };
  const tr = make(60000);
  const te = make(10000);
  return { Xtr: tr.X, ytr: tr.y, Xte: te.X, yte: te.y, source: 'synthetic (fashion-mnist not installed)' };
}

function subset(X: Matrix, y: Int32Array, n: number): [Matrix, Int32Array] {
  n = Math.min(n, X.rows);
  return [{ data: X.data.subarray(0, n * X.cols), rows: n, cols: X.cols }, y.subarray(0, n)];
}

function makeModel(backend: Backend, seed = 1) {
  return new Sequential({
    inputSize: 784, seed, backend,
    layers: [dense(256, { activation: 'relu' }), dense(128, { activation: 'relu' }), dense(10, { activation: 'softmax' })],
  });
}

const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const rows: Record<string, unknown>[] = [];
function emit(row: Record<string, unknown>, text: string): void {
  rows.push(row);
  if (json) console.log(JSON.stringify(row));
  else console.log(text);
}

const data = loadData();
// --only sweep / --sweep batch|width|depth: the scale sweep (bench/train-sweep.ts) instead of the table.
if (only === 'sweep' || args.includes('--sweep')) {
  const { runTrainSweep } = await import('./train-sweep.js');
  await runTrainSweep(args, data);
  process.exit(0);
}
/** Useful FLOPs of one training sample of 784-256-128-10 (forward, dW of every layer, dX of layers 2-3). */
const FLOPS = flopsPerSample([784, 256, 128, 10]);
/** The table's single-threaded release binaries, then the TS twin. */
const backends: { name: string; make: () => Backend }[] = [
  ...BINARY_NAMES.filter((n) => !BINARIES[n].debug && !('sharedMaxPages' in BINARIES[n]))
    .map((binary) => ({ name: binary, make: () => createBackendSync({ binary }) })),
  { name: 'js', make: () => createBackendSync({ backend: 'js' }) },
];

if (!json && !threadsArg) {
  console.log(`simdnet training benchmark — Node ${process.versions.node}, V8 ${process.versions.v8}, ${cpus()[0]?.model ?? 'cpu'}, 1 thread`);
  console.log(`data: ${data.source}; model 784-256-128-10 ReLU/softmax, batch 128\n`);
}

if (!threadsArg && (!only || only === 'throughput')) {
  for (const b of backends) {
    const backend = b.make();
    const isJs = b.name === 'js';
    const probeBefore = isJs ? undefined : peakProbe(backend, quick ? 3 : 7);
    const n = quick ? (isJs ? 1024 : 8192) : (isJs ? 4096 : 60000);
    const runs = quick ? 2 : isJs ? 3 : 5;
    const [X, y] = subset(data.Xtr, data.ytr, n);
    // The optimizer step as its own pass (the default), then, for the binaries, inside the dW GEMMs (--fused).
    for (const fuse of isJs || !args.includes('--fused') ? [false] : [false, true]) {
      const model = makeModel(backend).compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
      model.session.optimizer.fuse = fuse;
      // One fit of a warm-up epoch (JIT, memory growth) + `runs` timed ones: each epoch's own time
      // (history.samplesPerSec), without fitSync's per-call setup (validation, one-hot, the copy into the arena).
      const rates = model.fitSync(X, y, { epochs: runs + 1, batchSize: 128 }).samplesPerSec.slice(1);
      const best = Math.max(...rates);
      const med = median(rates);
      const { accuracy } = model.evaluate(data.Xte, data.yte);
      const peak = isJs ? undefined : better(probeBefore!, peakProbe(backend, quick ? 3 : 7)).best;
      const useful = (x: number) => (x * FLOPS) / 1e9;
      const ofPeak = peak ? `; ${useful(best).toFixed(1)} GFLOPS useful = ${((100 * useful(best)) / peak).toFixed(1)} % of the ${peak.toFixed(1)} GFLOPS peak probe (best), ${((100 * useful(med)) / peak).toFixed(1)} % (median)` : '';
      emit({ workload: fuse ? 'train-sgd-fused' : 'train-sgd', backend: isJs ? 'js' : 'wasm', binary: b.name, threads: 1, batchSize: 128, samples: n, runs, samplesPerSecBest: Math.round(best), samplesPerSec: Math.round(med), testAccuracy: accuracy, epochs: runs + 1,
        flopsPerSample: FLOPS, ...(peak ? { peakGflops: +peak.toFixed(2), fractionOfPeakBest: +(useful(best) / peak).toFixed(4), fractionOfPeak: +(useful(med) / peak).toFixed(4) } : {}) },
        `train SGD lr 0.1${fuse ? '*' : ' '} ${b.name.padEnd(8)} ${Math.round(med).toLocaleString('en-US').padStart(8)} samples/s median, ${Math.round(best).toLocaleString('en-US').padStart(8)} best  (${runs} epochs of ${n} samples${ofPeak})`);
      model.dispose();
    }
  }
  if (args.includes('--fused')) console.log('  * the optimizer step inside the dW GEMMs (optimizer.fuse = true, f32_gemm_tn_step)');
}

if (!threadsArg && (!only || only === 'profile')) {
  // Where the step's time goes, per binary (the wrapper times each kernel call; JS glue is the rest of the plain step).
  for (const b of backends.filter((x) => x.name !== 'js')) {
    const backend = b.make();
    const before = peakProbe(backend, quick ? 3 : 7);
    const n = quick ? 8192 : 30000;
    const [X, y] = subset(data.Xtr, data.ytr, n);
    const model = makeModel(backend).compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
    const models = new Map<Backend, ReturnType<typeof makeModel>>();
    const run = (bk: Backend): { steps: number; ms: number } => {
      let m = models.get(bk);
      if (!m) {
        m = bk === backend ? model : makeModel(bk).compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
        models.set(bk, m);
      }
      const h = m.fitSync(X, y, { epochs: 1, batchSize: 128 });
      return { steps: Math.ceil(n / 128), ms: h.time[0]! * 1000 };
    };
    const { rows: prof, stepUs } = profile(backend, run, quick ? 2 : 5);
    const peak = better(before, peakProbe(backend, quick ? 3 : 7)).best;
    const rate = 128 / (stepUs / 1e6);
    const pct = (100 * rate * FLOPS) / 1e9 / peak;
    emit({ workload: 'train-profile', binary: b.name, batchSize: 128, stepMicros: +stepUs.toFixed(1), samplesPerSec: Math.round(rate), peakGflops: +peak.toFixed(2), flopsPerSample: FLOPS, fractionOfPeak: +(pct / 100).toFixed(4),
      rows: prof.map((r) => ({ ...r, usPerStep: +r.usPerStep.toFixed(2), gflops: r.gflops === undefined ? undefined : +r.gflops.toFixed(1) })) },
      `\nprofile ${b.name}: step ${stepUs.toFixed(0)} µs (batch 128, best of 5 epochs of ${n}) = ${Math.round(rate).toLocaleString('en-US')} samples/s × ${(FLOPS / 1e6).toFixed(3)} MFLOP = ${(pct).toFixed(1)} % of the ${peak.toFixed(1)} GFLOPS peak probe\n`
      + prof.map((r) => `  ${r.what.padEnd(40)} ${r.usPerStep.toFixed(1).padStart(8)} µs ${(100 * r.usPerStep / stepUs).toFixed(1).padStart(5)} %${r.gflops ? `  ${r.gflops.toFixed(1).padStart(5)} GFLOPS (${(100 * r.gflops / peak).toFixed(0)} % of peak)` : ''}${r.calls && Math.round(r.calls) !== 1 ? `  ×${Math.round(r.calls)}` : ''}`).join('\n'));
    for (const m of models.values()) m.dispose();
  }
}

if (!threadsArg && (!only || only === 'accuracy')) {
  const backend = createBackendSync({ binary: 'relaxed' });
  const epochs = quick ? 2 : 15;
  const [X, y] = quick ? subset(data.Xtr, data.ytr, 10000) : [data.Xtr, data.ytr];
  const model = makeModel(backend, 7).compile({ loss: 'categoricalCrossentropy', optimizer: adam({ learningRate: 1e-3 }) });
  const t0 = performance.now();
  const h = model.fitSync(X, y, { epochs, batchSize: 128 });
  const secs = (performance.now() - t0) / 1000;
  const { accuracy } = model.evaluate(data.Xte, data.yte);
  emit({ workload: 'train-adam-accuracy', backend: 'wasm', binary: 'relaxed', threads: 1, batchSize: 128, epochs, testAccuracy: accuracy, trainLoss: h.loss.at(-1), seconds: secs, samplesPerSec: Math.round(X.rows * epochs / secs) },
    `accuracy  Adam 1e-3 relaxed   ${epochs} epochs: test accuracy ${(100 * accuracy!).toFixed(2)}% (train loss ${h.loss.at(-1)!.toFixed(4)}, ${secs.toFixed(1)} s)`);
  model.dispose();
}

if (!threadsArg && (!only || only === 'inference')) {
  for (const b of backends) {
    const backend = b.make();
    const model = makeModel(backend).compile();
    const isJs = b.name === 'js';
    const [X] = subset(data.Xte, data.yte, 1024);
    const runs = quick ? 3 : isJs ? 5 : 20;
    model.predict(X);
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      model.predict(X);
      rates.push(1024 / ((performance.now() - t0) / 1000));
    }
    const one = { data: X.data.subarray(0, 784), rows: 1, cols: 784 };
    const calls = quick ? 200 : isJs ? 300 : 3000;
    for (let i = 0; i < 200; i++) model.predict(one);
    const lat: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) model.predict(one);
      lat.push(((performance.now() - t0) * 1000) / calls);
    }
    emit({ workload: 'inference', backend: isJs ? 'js' : 'wasm', binary: b.name, threads: 1, batch1024SamplesPerSec: Math.round(median(rates)), batch1024Best: Math.round(Math.max(...rates)), latencyMicros: +median(lat).toFixed(2), latencyBestMicros: +Math.min(...lat).toFixed(2) },
      `inference ${b.name.padEnd(8)} batch 1024: ${Math.round(median(rates)).toLocaleString('en-US').padStart(8)} samples/s median (${Math.round(Math.max(...rates)).toLocaleString('en-US')} best); batch 1: ${median(lat).toFixed(1)} µs median (${Math.min(...lat).toFixed(1)} best)`);
    if (!isJs) {
      // int8 copy of the same network (quantize(): per-channel int8 weights, max-abs activation scales on 2,000 rows)
      const q = quantize(model, { calibration: subset(data.Xtr, data.ytr, 2000)[0] });
      for (let r = 0; r < 3; r++) q.predict(X);
      const qr: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        q.predict(X);
        qr.push(1024 / ((performance.now() - t0) / 1000));
      }
      for (let i = 0; i < 200; i++) q.predict(one);
      const qlat: number[] = [];
      for (let rep = 0; rep < 5; rep++) {
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) q.predict(one);
        qlat.push(((performance.now() - t0) * 1000) / calls);
      }
      emit({ workload: 'inference-int8', backend: 'wasm', binary: b.name, threads: 1, batch1024SamplesPerSec: Math.round(median(qr)), batch1024Best: Math.round(Math.max(...qr)), vsF32Median: +(median(qr) / median(rates)).toFixed(2), latencyMicros: +median(qlat).toFixed(2), latencyBestMicros: +Math.min(...qlat).toFixed(2) },
        `inference ${b.name.padEnd(8)} int8 batch 1024: ${Math.round(median(qr)).toLocaleString('en-US').padStart(8)} samples/s median (${Math.round(Math.max(...qr)).toLocaleString('en-US')} best), ×${(median(qr) / median(rates)).toFixed(2)} the f32 path; batch 1: ${median(qlat).toFixed(1)} µs median (${Math.min(...qlat).toFixed(1)} best)`);
      q.dispose();
    }
    model.dispose();
  }
}

// --threads N: each thread count beside one thread, on the same binary (relaxed SIMD).
if (threadsArg) {
  const counts = [...new Set([1, ...threadsArg.split(',').map(Number)])].sort((a, b) => a - b);
  const batches = (argValue('--batch') ?? '32,128,512').split(',').map(Number);
  const binary = 'relaxed' as const;
  const made = counts.map((t) => createBackendSync({ binary, threads: t }));
  if (!json) {
    console.log(`simdnet training benchmark — Node ${process.versions.node}, V8 ${process.versions.v8}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, threads ${counts.join(' vs ')}`);
    console.log(`data: ${data.source}; model 784-256-128-10 ReLU/softmax, SGD; ${made.map((b) => `${b.threadCount}: ${b.binary}`).join(', ')}\n`);
  }
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(8);
  /** Back-offs to one thread so far (the pool does it while other processes hold the cores). */
  const seen = new Map<Backend, number>();
  const backoffCount = (b: Backend): number => {
    const total = (b.k as { pool?: { backoffs: number } }).pool?.backoffs ?? 0;
    const d = total - (seen.get(b) ?? 0);
    seen.set(b, total);
    return d;
  };
  if (!only || only === 'throughput') {
    for (const batchSize of batches) {
      const n = quick ? 8192 : batchSize < 128 ? 20000 : 60000;
      const runs = quick ? 3 : 5;
      const [X, y] = subset(data.Xtr, data.ytr, n);
      const models = made.map((b) => makeModel(b).compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.05 }) }));
      // One block of epochs per thread count: interleaving single epochs leaves the other core
      // idle for a whole epoch, and the first steps after that run measurably slower.
      const rates = models.map((m) => m.fitSync(X, y, { epochs: runs + 1, batchSize }).samplesPerSec.slice(1)); // epoch 0: warm-up
      const base = { best: Math.max(...rates[0]!), median: median(rates[0]!) };
      models.forEach((m, i) => {
        const best = Math.max(...rates[i]!), med = median(rates[i]!);
        const backoffs = backoffCount(made[i]!);
        emit({ workload: 'train-sgd', backend: 'wasm', binary: made[i]!.binary, threads: made[i]!.threadCount, batchSize, samples: n, runs, samplesPerSecBest: Math.round(best), samplesPerSec: Math.round(med), speedupBest: +(best / base.best).toFixed(2), speedupMedian: +(med / base.median).toFixed(2), backoffs },
          `train SGD batch ${String(batchSize).padEnd(4)} ${made[i]!.threadCount} thread(s) ${fmt(med)} samples/s median, ${fmt(best)} best  (×${(med / base.median).toFixed(2)} median, ×${(best / base.best).toFixed(2)} best; ${runs} epochs of ${n}${backoffs ? `; ${backoffs} back-offs to 1 thread: machine busy` : ''})`);
        m.dispose();
      });
    }
  }
  if (only === 'profile') {
    // Where the step's time goes on each thread count (the caller's view: a split kernel's row is its whole call, barrier included).
    for (const backend of made) {
      const n = quick ? 8192 : 30000;
      const [X, y] = subset(data.Xtr, data.ytr, n);
      const models = new Map<Backend, ReturnType<typeof makeModel>>();
      const run = (bk: Backend): { steps: number; ms: number } => {
        let m = models.get(bk);
        if (!m) { m = makeModel(bk).compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.05 }) }); models.set(bk, m); }
        const h = m.fitSync(X, y, { epochs: 1, batchSize: 128 });
        return { steps: Math.ceil(n / 128), ms: h.time[0]! * 1000 };
      };
      const { rows: prof, stepUs } = profile(backend, run, quick ? 2 : 5);
      emit({ workload: 'train-profile', binary: backend.binary, threads: backend.threadCount, batchSize: 128, stepMicros: +stepUs.toFixed(1), samplesPerSec: Math.round(128 / (stepUs / 1e6)),
        rows: prof.map((r) => ({ ...r, usPerStep: +r.usPerStep.toFixed(2), gflops: r.gflops === undefined ? undefined : +r.gflops.toFixed(1) })) },
        `\nprofile ${backend.threadCount} thread(s): step ${stepUs.toFixed(0)} µs (batch 128, best of ${quick ? 2 : 5} epochs of ${n}) = ${Math.round(128 / (stepUs / 1e6)).toLocaleString('en-US')} samples/s\n`
        + prof.map((r) => `  ${r.what.padEnd(40)} ${r.usPerStep.toFixed(1).padStart(8)} µs ${(100 * r.usPerStep / stepUs).toFixed(1).padStart(5)} %${r.gflops ? `  ${r.gflops.toFixed(1).padStart(5)} GFLOPS` : ''}${r.calls && Math.round(r.calls) !== 1 ? `  ×${Math.round(r.calls)}` : ''}`).join('\n'));
      for (const m of models.values()) m.dispose();
    }
  }
  if (!only || only === 'inference') {
    const models = made.map((b) => makeModel(b).compile());
    const [X] = subset(data.Xte, data.yte, 1024);
    const runs = quick ? 5 : 30;
    const rates = models.map((m) => {
      for (let i = 0; i < 5; i++) m.predict(X);
      const r: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        m.predict(X);
        r.push(1024 / ((performance.now() - t0) / 1000));
      }
      return r;
    });
    const one = { data: X.data.subarray(0, 784), rows: 1, cols: 784 };
    models.forEach((m, i) => {
      for (let j = 0; j < 200; j++) m.predict(one);
      const lat: number[] = [];
      for (let rep = 0; rep < 5; rep++) {
        const t0 = performance.now();
        for (let j = 0; j < 2000; j++) m.predict(one);
        lat.push(((performance.now() - t0) * 1000) / 2000);
      }
      const best = Math.max(...rates[i]!), med = median(rates[i]!);
      emit({ workload: 'inference', backend: 'wasm', binary: made[i]!.binary, threads: made[i]!.threadCount, batch1024SamplesPerSec: Math.round(med), batch1024Best: Math.round(best), latencyMicros: +median(lat).toFixed(2), latencyBestMicros: +Math.min(...lat).toFixed(2) },
        `inference batch 1024, ${made[i]!.threadCount} thread(s): ${fmt(med)} samples/s median, ${fmt(best)} best; batch 1: ${median(lat).toFixed(1)} µs median (${Math.min(...lat).toFixed(1)} best)`);
      m.dispose();
    });
  }
  for (const b of made) b.dispose();
}
