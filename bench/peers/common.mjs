// Shared by every JavaScript runner of the peer benchmark: the workload sizes, Fashion-MNIST
// (or same-shaped synthetic data), timing helpers, and the row protocol.
//
// A runner prints one line per figure, `@@row {json}`, on stdout; anything else a library prints
// is ignored by run.mjs. A row carries the raw per-run values (`values`) or an `error` message;
// run.mjs computes median/min/max.

import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const args = process.argv.slice(2);
export const quick = args.includes('--quick');
export function argValue(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}
/** Workloads this process should run (comma list after --workloads), all when absent. */
export const wanted = (argValue('--workloads', 'gemm,train,accuracy,inference')).split(',');

/** Every size in one place, so the runners cannot drift apart. */
export const SIZES = {
  gemmShapes: [[256, 256, 256], [128, 784, 256]],
  gemmLayouts: ['nn', 'tn', 'nt'], // plain A·B, Aᵀ·B, A·Bᵀ
  gemmSamples: quick ? 3 : 7,
  gemmMinMs: quick ? 25 : 100,
  batch: 128,
  sgdLr: 0.1,
  /** Samples per timed training run, by speed class; each run is one pass over that subset. */
  trainSamples: { fast: quick ? 4096 : 60000, medium: quick ? 1024 : 8192, slow: quick ? 512 : 2048, tiny: quick ? 64 : 256, micro: quick ? 16 : 64 },
  trainRuns: quick ? 2 : 5,
  accuracyEpochs: quick ? 1 : 3,
  /** Seeds of the accuracy run (tfjs-wasm, ~25× slower to train, takes the first two). */
  accuracySeeds: quick ? [7] : [7, 8, 9],
  accuracyTrainRows: quick ? 10000 : 60000,
  adamLr: 1e-3,
  inferRuns: quick ? 3 : 9,
  latencyCalls: quick ? 100 : 400,
  latencyReps: quick ? 3 : 15,
};

// The harness subtracts this process's own CPU time from the machine's busy time during the job,
// which leaves the cores other work took meanwhile (the "contended" flag of RESULTS.md).
process.on('exit', () => {
  const u = process.cpuUsage();
  console.log('@@cpu ' + JSON.stringify({ seconds: (u.user + u.system) / 1e6 }));
});

export function emit(row) {
  console.log('@@row ' + JSON.stringify(row));
}
export function emitError(base, err) {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  emit({ ...base, error: msg.split('\n')[0].slice(0, 300) });
}
/** Runs fn; on a throw the figure becomes an error row instead of a blank. */
export async function guard(base, fn) {
  try {
    await fn();
  } catch (err) {
    emitError(base, err);
  }
}

export const now = () => performance.now();

const isThenable = (x) => x !== null && typeof x === 'object' && typeof x.then === 'function';

/** Calls fn until `until()` says stop; awaits only when fn is async, so sync kernels pay no microtask. */
async function repeat(fn, async_, until) {
  let r = 0;
  if (async_) { do { await fn(); r++; } while (!until(r)); } else { do { fn(); r++; } while (!until(r)); }
  return r;
}

/** GFLOPS samples of one GEMM call: each sample repeats it until ≥ minMs, after a warm-up. */
export async function timeGemm(run, [m, n, k], sync = async () => {}) {
  const flop = 2 * m * n * k;
  const async_ = isThenable(run());
  const warmEnd = now() + Math.max(SIZES.gemmMinMs, 50);
  await repeat(run, async_, (r) => r >= 2 && now() >= warmEnd);
  await sync();
  const values = [];
  for (let s = 0; s < SIZES.gemmSamples; s++) {
    const t0 = now();
    const reps = await repeat(run, async_, () => now() - t0 >= SIZES.gemmMinMs);
    await sync();
    values.push((flop * reps) / ((now() - t0) / 1000) / 1e9);
  }
  return values;
}

/** Batch-1 latency in µs: `reps` means over `calls` back-to-back predictions each. */
export async function timeLatency(predictOne, calls = SIZES.latencyCalls) {
  const async_ = isThenable(predictOne());
  await repeat(predictOne, async_, (r) => r >= Math.min(200, calls));
  const values = [];
  for (let rep = 0; rep < SIZES.latencyReps; rep++) {
    const t0 = now();
    await repeat(predictOne, async_, (r) => r >= calls);
    values.push(((now() - t0) * 1000) / calls);
  }
  return values;
}

/** Batch throughput in samples/s, one call per run. */
export async function timeThroughput(predictBatch, rows = 1024, runs = SIZES.inferRuns) {
  await predictBatch();
  await predictBatch();
  const values = [];
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    await predictBatch();
    values.push(rows / ((now() - t0) / 1000));
  }
  return values;
}

export function argmaxAccuracy(probs, labels, classes = 10) {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (probs[i * classes + j] > probs[i * classes + best]) best = j;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

const DIR = '/usr/share/datasets/fashion-mnist';

function readIdx(path) {
  const buf = gunzipSync(readFileSync(path));
  const dims = buf[3];
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  return { shape, bytes: buf.subarray(4 + 4 * dims) };
}

function images(path) {
  const { shape, bytes } = readIdx(path);
  const X = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) X[i] = bytes[i] / 255;
  return { data: X, rows: shape[0], cols: shape[1] * shape[2] };
}

function labels(path) {
  return Int32Array.from(readIdx(path).bytes);
}

/** Fashion-MNIST scaled to [0, 1], or the synthetic stand-in bench/train.ts uses (same generator). */
export function loadData() {
  if (existsSync(`${DIR}/train-images-idx3-ubyte.gz`)) {
    return {
      Xtr: images(`${DIR}/train-images-idx3-ubyte.gz`), ytr: labels(`${DIR}/train-labels-idx1-ubyte.gz`),
      Xte: images(`${DIR}/t10k-images-idx3-ubyte.gz`), yte: labels(`${DIR}/t10k-labels-idx1-ubyte.gz`),
      source: 'fashion-mnist',
    };
  }
  let s = 12345;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const protos = Array.from({ length: 10 }, () => Float32Array.from({ length: 784 }, () => r()));
  const make = (n) => {
    const X = new Float32Array(n * 784);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(r() * 10);
      y[i] = c;
      for (let j = 0; j < 784; j++) X[i * 784 + j] = Math.min(1, Math.max(0, protos[c][j] + 0.5 * (r() - 0.5)));
    }
    return { X: { data: X, rows: n, cols: 784 }, y };
  };
  const tr = make(60000);
  const te = make(10000);
  return { Xtr: tr.X, ytr: tr.y, Xte: te.X, yte: te.y, source: 'synthetic (fashion-mnist not installed)' };
}

export function subset(X, y, n) {
  n = Math.min(n, X.rows);
  return [{ data: X.data.subarray(0, n * X.cols), rows: n, cols: X.cols }, y.subarray(0, n)];
}

/** Deterministic uniform(-1, 1) fill. */
export function randomF32(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Cold-start mode: the runner measures import → first prediction and exits. */
export const coldStart = args.includes('--cold-start');
export function emitColdStart(system, tImport0, tPredicted, extra = {}) {
  emit({ workload: 'cold-start', system, threads: 1, metric: 'ms import→first prediction', values: [tPredicted - tImport0], ...extra });
}
