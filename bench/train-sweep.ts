// bench:train's scale sweep (issue 18, item 6): training and inference samples/s, useful GFLOPS
// and the fraction of the peak probe at every point of the batch (784-256-128-10), width
// (784-H-H-10, batch 128) and depth (784-256×D-10, batch 128) sweeps, per binary and thread
// count. The points, shapes and FLOP formula are in bench/sweep.ts.
//
//   npm run bench:train -- --only sweep                 every axis, relaxed + simd, 1 and 2 threads
//   npm run bench:train -- --sweep width --points 2048,4096 --binary relaxed --threads 1
//   npm run bench:train -- --only sweep --quick --json
//
// Each training point: one calibration epoch (also the JIT warm-up) sizes the epoch to ~0.35 s
// (0.1 s --quick), then one fit of a warm-up + 4 (2) timed epochs; best and median of the
// timed epochs' own samples/s (history.samplesPerSec). SGD lr 0.01 on Fashion-MNIST (or the
// same-shaped synthetic set). Inference: predict() on `batch` rows, 5 (3) samples of ≥ 60 ms
// (20 ms). The probe runs before and after; the better one counts. Nothing here asserts a timing.

import { cpus } from 'node:os';
import { createBackendSync, dense, Sequential, sgd } from '../src/index.js';
import { better, median, peakProbe, type Probe } from './probe.js';
import { profile } from './train-profile.js';
import { inferFlopsPerSample, parseSweepArgs, sweepPoint, SWEEP_POINTS, samplesPerEpoch, trainFlopsPerSample, type SweepPoint } from './sweep.js';

type Backend = ReturnType<typeof createBackendSync>;
type Matrix = { data: Float32Array; rows: number; cols: number };

interface Row {
  workload: 'sweep-train' | 'sweep-inference'; axis: string; point: number; sizes: string; batchSize: number;
  binary: string; threads: number; samples: number; runs: number;
  samplesPerSecBest: number; samplesPerSec: number; flopsPerSample: number; gflopsBest: number; gflopsMedian: number;
  peakGflops: number; fractionOfPeakBest: number; fractionOfPeak: number; backoffs?: number; fused?: boolean;
}

function makeModel(backend: Backend, sizes: readonly number[], fused = false) {
  const hidden = sizes.slice(1, -1);
  const model = new Sequential({
    inputSize: sizes[0]!, seed: 1, backend,
    layers: [...hidden.map((h) => dense(h, { activation: 'relu' })), dense(sizes.at(-1)!, { activation: 'softmax' })],
  }).compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.01 }) });
  model.session.optimizer.fuse = fused;
  return model;
}

function rowsOf(X: Matrix, y: Int32Array, n: number): [Matrix, Int32Array] {
  return [{ data: X.data.subarray(0, n * X.cols), rows: n, cols: X.cols }, y.subarray(0, n)];
}

export async function runTrainSweep(args: readonly string[], data: { Xtr: Matrix; ytr: Int32Array; source: string }): Promise<void> {
  const o = parseSweepArgs(args);
  const epochSeconds = o.quick ? 0.1 : 0.35;
  /** --quick: one batch may make an epoch (width 4096: 0.33 s a batch). */
  const minBatches = o.quick ? 1 : 2;
  const timedEpochs = o.quick ? 2 : 4;
  const inferSamples = o.quick ? 3 : 5;
  const inferMs = o.quick ? 20 : 60;
  const t0 = performance.now();
  const single = new Map(o.binaries.map((b) => [b, createBackendSync({ binary: b })]));
  const probes = new Map<string, Probe>([...single].map(([b, be]) => [b, peakProbe(be, o.quick ? 3 : 7)]));
  const configs = o.binaries.flatMap((binary) => o.threads.map((threads) => ({
    binary, threads, backend: threads === 1 ? single.get(binary)! : createBackendSync({ binary, threads }),
  })));
  const backoffsSeen = new Map<Backend, number>();
  const backoffs = (b: Backend): number => {
    const total = (b.k as { pool?: { backoffs: number } }).pool?.backoffs ?? 0;
    const d = total - (backoffsSeen.get(b) ?? 0);
    backoffsSeen.set(b, total);
    return d;
  };
  const points: SweepPoint[] = o.axes.flatMap((axis) => (o.points ?? SWEEP_POINTS[axis]).map((v) => sweepPoint(axis, v)));
  const measured: (Omit<Row, 'peakGflops' | 'fractionOfPeakBest' | 'fractionOfPeak'>)[] = [];
  for (const p of points) {
    const trainF = trainFlopsPerSample(p.sizes), inferF = inferFlopsPerSample(p.sizes);
    for (const c of configs) {
      const model = makeModel(c.backend, p.sizes, o.fused);
      const peak = probes.get(c.binary)!.best * c.threads;
      // Calibration epoch (JIT warm-up, memory growth): sizes the timed epochs.
      const guess = (0.3 * peak * 1e9) / trainF;
      const [Xc, yc] = rowsOf(data.Xtr, data.ytr, samplesPerEpoch(guess, o.quick ? 0.05 : 0.1, p.batch, data.Xtr.rows, 1));
      const rate0 = model.fitSync(Xc, yc, { epochs: 1, batchSize: p.batch }).samplesPerSec[0]!;
      const n = samplesPerEpoch(rate0, epochSeconds, p.batch, data.Xtr.rows, minBatches);
      const [X, y] = rowsOf(data.Xtr, data.ytr, n);
      backoffs(c.backend);
      const rates = model.fitSync(X, y, { epochs: timedEpochs + 1, batchSize: p.batch }).samplesPerSec.slice(1);
      const base = { axis: p.axis, point: p.value, sizes: p.sizes.join('-'), batchSize: p.batch, binary: c.binary, threads: c.threads };
      const best = Math.max(...rates), med = median(rates);
      measured.push({ workload: 'sweep-train', ...base, ...(o.fused ? { fused: true } : {}), samples: n, runs: timedEpochs, samplesPerSecBest: best, samplesPerSec: med,
        flopsPerSample: trainF, gflopsBest: (best * trainF) / 1e9, gflopsMedian: (med * trainF) / 1e9, backoffs: backoffs(c.backend) });
      // Inference on `batch` rows of the same data.
      const [Xi] = rowsOf(data.Xtr, data.ytr, p.batch);
      const warmEnd = performance.now() + inferMs;
      while (performance.now() < warmEnd) model.predict(Xi);
      const ir: number[] = [];
      for (let s = 0; s < inferSamples; s++) {
        let calls = 0;
        const s0 = performance.now();
        let s1 = s0;
        do { model.predict(Xi); calls++; s1 = performance.now(); } while (s1 - s0 < inferMs);
        ir.push((calls * p.batch * 1000) / (s1 - s0));
      }
      const ib = Math.max(...ir), im = median(ir);
      measured.push({ workload: 'sweep-inference', ...base, samples: p.batch, runs: inferSamples, samplesPerSecBest: ib, samplesPerSec: im,
        flopsPerSample: inferF, gflopsBest: (ib * inferF) / 1e9, gflopsMedian: (im * inferF) / 1e9, backoffs: backoffs(c.backend) });
      model.dispose();
      if (o.profile) printProfile(c.backend, p, n, `${c.binary}×${c.threads}`, o.quick, o.fused);
      process.stderr.write(`  ${p.axis} ${p.value} ${c.binary}×${c.threads}: train ${Math.round(med)} samples/s, predict ${Math.round(im)}\n`);
    }
  }
  for (const [b, be] of single) probes.set(b, better(probes.get(b)!, peakProbe(be, o.quick ? 3 : 7)));
  const rows: Row[] = measured.map((r) => {
    const peak = probes.get(r.binary)!.best * r.threads;
    return { ...r, peakGflops: +(peak / r.threads).toFixed(2), fractionOfPeakBest: +(r.gflopsBest / peak).toFixed(4), fractionOfPeak: +(r.gflopsMedian / peak).toFixed(4),
      samplesPerSecBest: Math.round(r.samplesPerSecBest), samplesPerSec: Math.round(r.samplesPerSec), gflopsBest: +r.gflopsBest.toFixed(2), gflopsMedian: +r.gflopsMedian.toFixed(2) };
  });
  if (o.json) {
    for (const r of rows) console.log(JSON.stringify(r));
  } else {
    console.log(`simdnet scale sweep — Node ${process.versions.node}, V8 ${process.versions.v8}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}; data: ${data.source}; SGD lr 0.01${o.fused ? ', step fused into the dW GEMMs (optimizer.fuse)' : ''}`);
    console.log(`peak probe (one thread, better of before/after): ${[...probes].map(([b, p]) => `${b} ${p.best.toFixed(1)} GFLOPS`).join(', ')}; 2 threads are quoted against 2 × the probe`);
    console.log('FLOPs per sample: training 6·Σ n_{l-1}·n_l − 2·n_0·n_1 (forward + dW every layer + dX below the first), inference 2·Σ n_{l-1}·n_l\n');
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    for (const axis of o.axes) {
      console.log(`${axis} sweep`);
      console.log(`${'point'.padEnd(6)}${'network'.padEnd(22)}${'batch'.padStart(6)} ${'binary×thr'.padEnd(11)}${'train med'.padStart(10)}${'best'.padStart(9)}${'GFLOPS'.padStart(7)}${'%probe'.padStart(7)}${'(med)'.padStart(6)}${'infer med'.padStart(11)}${'%probe'.padStart(7)}`);
      for (const r of rows.filter((x) => x.axis === axis && x.workload === 'sweep-train')) {
        const inf = rows.find((x) => x.workload === 'sweep-inference' && x.axis === axis && x.point === r.point && x.binary === r.binary && x.threads === r.threads)!;
        const net = r.sizes.length > 21 ? `${r.sizes.slice(0, 12)}…${r.sizes.slice(-6)}` : r.sizes;
        console.log(`${String(r.point).padEnd(6)}${net.padEnd(22)}${String(r.batchSize).padStart(6)} ${`${r.binary}×${r.threads}`.padEnd(11)}${fmt(r.samplesPerSec).padStart(10)}${fmt(r.samplesPerSecBest).padStart(9)}`
          + `${r.gflopsBest.toFixed(1).padStart(7)}${(100 * r.fractionOfPeakBest).toFixed(1).padStart(7)}${(100 * r.fractionOfPeak).toFixed(0).padStart(6)}${fmt(inf.samplesPerSec).padStart(11)}${(100 * inf.fractionOfPeakBest).toFixed(1).padStart(7)}`
          + `${r.backoffs || inf.backoffs ? `  ${(r.backoffs ?? 0) + (inf.backoffs ?? 0)} back-offs to 1 thread` : ''}`);
      }
      console.log('');
    }
    console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  for (const c of configs) if (c.threads !== 1) c.backend.dispose();
  for (const be of single.values()) be.dispose();
}

/** Where one training step of this point goes on this binary (bench/train-profile.ts), on stdout. */
function printProfile(backend: Backend, p: SweepPoint, n: number, binary: string, quick: boolean, fused: boolean): void {
  const models = new Map<Backend, ReturnType<typeof makeModel>>();
  const run = (bk: Backend) => {
    let m = models.get(bk);
    if (!m) { m = makeModel(bk, p.sizes, fused); models.set(bk, m); }
    const X = { data: new Float32Array(n * p.sizes[0]!).map((_, i) => ((i * 2654435761) >>> 0) / 2 ** 32), rows: n, cols: p.sizes[0]! };
    const y = Int32Array.from({ length: n }, (_, i) => i % p.sizes.at(-1)!);
    const h = m.fitSync(X, y, { epochs: 1, batchSize: p.batch });
    return { steps: Math.ceil(n / p.batch), ms: h.time[0]! * 1000 };
  };
  const { rows, stepUs } = profile(backend, run, quick ? 2 : 4);
  for (const m of models.values()) m.dispose();
  const flops = p.batch * trainFlopsPerSample(p.sizes);
  console.log(`profile ${p.axis} ${p.value} (${p.sizes.join('-')}, batch ${p.batch}) ${binary}: step ${stepUs.toFixed(1)} µs, ${(flops / (stepUs * 1e3)).toFixed(1)} GFLOPS useful`);
  for (const r of rows) {
    if (r.usPerStep < 0.01 * stepUs && r.group !== 'js') continue;
    console.log(`  ${r.what.padEnd(40)} ${r.usPerStep.toFixed(1).padStart(9)} µs ${(100 * r.usPerStep / stepUs).toFixed(1).padStart(5)} %${r.gflops ? `  ${r.gflops.toFixed(1).padStart(5)} GFLOPS` : ''}${r.calls && Math.round(r.calls) !== 1 ? `  ×${Math.round(r.calls)}` : ''}`);
  }
}
