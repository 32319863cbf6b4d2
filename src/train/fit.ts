// The training loop: mini-batch gradient descent with seeded shuffling, validation, early
// stopping, callbacks, divergence detection and optional per-layer diagnostics. Written once as
// a generator: fitSync runs it straight through, fit awaits a macrotask at each yield point so
// progress shows and pages stay responsive. Inside an epoch nothing is allocated per step.

import type { Matrix, MatrixLike } from '../data/matrix.js';
import type { ClassWeight } from '../data/weights.js';
import { DivergenceError, ValidationError } from '../errors.js';
import { Rng } from '../rng.js';
import { DenseRuntime } from '../nn/layers.js';
import type { Sequential } from '../nn/sequential.js';
import { countCorrect, counted } from '../nn/sequential.js';
import { toTargets, type Targets, type TargetsLike } from '../nn/targets.js';
import { quantileSorted } from '../metrics/quantiles.js';
import { learningRateAt } from './optimizers.js';
import { EpochPrinter } from './progress.js';
import { rowWeights } from './weights.js';

export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
  /** Seconds this epoch took. */
  time: number;
}

export interface BatchLogs { batch: number; size: number; loss: number }

/** Summary of a set of values; q1, median and q3 are quantiles (linear interpolation, NumPy's default), so they lie in [min, max]. */
export interface LayerStats { mean: number; std: number; min: number; q1: number; median: number; q3: number; max: number; zeroFraction: number }
export interface LayerDiagnostics {
  layer: number;
  /** Output of the layer (after its activation) on the last batch of the epoch. */
  activation: LayerStats;
  /** dLoss/dz of the layer on that batch. */
  gradient: LayerStats;
  /** dLoss/dW. */
  weightGradient: LayerStats;
  /** Fraction of units whose output was 0 for every sample of the batch (dead ReLUs). */
  deadFraction: number;
}
export interface EpochDiagnostics { epoch: number; layers: LayerDiagnostics[] }

export interface History {
  epoch: number[];
  loss: number[];
  accuracy: number[];
  valLoss: number[];
  valAccuracy: number[];
  learningRate: number[];
  /** Seconds per epoch. */
  time: number[];
  /** Training samples run in each epoch divided by its time (validation included); trainingThroughput() sums them up. */
  samplesPerSec: number[];
  diagnostics: EpochDiagnostics[];
  stoppedEarly: boolean;
  /** Epoch whose weights the model holds at the end (with restoreBestWeights), else the last. */
  bestEpoch: number;
  /** Training on a data source: seconds per epoch spent waiting for its batches (reading, parsing, encoding). */
  sourceTime?: number[];
}

export interface EarlyStopping {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Default 'valLoss' when there is validation data, else 'loss'. */
  monitor?: 'loss' | 'valLoss' | 'accuracy' | 'valAccuracy';
  minDelta?: number;
  restoreBestWeights?: boolean;
}

export interface FitOptions {
  epochs?: number;
  /** Default 32; `batchSize: m` (or Infinity) is full-batch gradient descent. */
  batchSize?: number;
  /** Fraction of the rows held out (seeded random) for validation. */
  validationSplit?: number;
  validationData?: [MatrixLike, TargetsLike];
  shuffle?: boolean;
  /** Shuffling / split seed; default the model's seed. */
  seed?: number;
  callbacks?: {
    onEpochEnd?: (epoch: number, logs: EpochLogs) => void | boolean;
    /** Returning false stops training after this batch: the epoch ends with the batches run so far
     *  (its logs cover those batches), onEpochEnd is called, and fit returns. */
    onBatchEnd?: (batch: number, logs: BatchLogs) => void | boolean;
  };
  earlyStopping?: EarlyStopping;
  /** true/1: a progress bar on a TTY, one line per epoch otherwise. */
  verbose?: boolean | number;
  /** Per-layer activation and gradient statistics each epoch, in history.diagnostics. */
  diagnostics?: boolean;
  /** fit() yields to the event loop at least this often (ms). Default 25. */
  yieldEvery?: number;
  /** Weights of the classes in the training loss: 'balanced' (n / (k·n_c)), one per class index, or by class index. The validation loss is not weighted. */
  classWeight?: ClassWeight;
  /** A weight per training row (times its class weight): loss = (1/m)·Σ w_i·loss_i. */
  sampleWeight?: ArrayLike<number>;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function splitValidation(M: Matrix, T: Targets, fraction: number, seed: number, w?: Float32Array): { train: [Matrix, Targets]; val: [Matrix, Targets]; trainWeights?: Float32Array } {
  const n = M.rows;
  const nVal = Math.round(n * fraction);
  if (nVal < 1 || nVal >= n) throw new ValidationError('validationSplit', `${fraction} of ${n} rows leaves ${nVal} for validation and ${n - nVal} for training; both need at least 1`);
  const perm = new Int32Array(n).map((_, i) => i);
  new Rng((seed ^ 0x5bd1e995) >>> 0).shuffle(perm);
  const take = (idx: Int32Array): [Matrix, Targets] => {
    const d = M.cols;
    const K = T.Y.cols;
    const X = new Float32Array(idx.length * d);
    const Y = new Float32Array(idx.length * K);
    const labels = T.labels ? new Int32Array(idx.length) : undefined;
    idx.forEach((r, i) => {
      X.set(M.data.subarray(r * d, (r + 1) * d), i * d);
      Y.set(T.Y.data.subarray(r * K, (r + 1) * K), i * K);
      if (labels) labels[i] = T.labels![r]!;
    });
    return [{ data: X, rows: idx.length, cols: d }, { Y: { data: Y, rows: idx.length, cols: K }, labels }];
  };
  const sortedVal = perm.slice(0, nVal).sort();
  const sortedTrain = perm.slice(nVal).sort();
  return { train: take(sortedTrain), val: take(sortedVal), trainWeights: w && Float32Array.from(sortedTrain, (r) => w[r]!) };
}

function stats(model: Sequential, ptr: number, n: number, outPtr: number, scratch: Float32Array): LayerStats {
  const net = model.net;
  net.k.f32_moments(ptr, n, outPtr);
  const f64 = net.arena.views.f64;
  const o = outPtr >>> 3;
  const mean = n ? f64[o]! / n : 0;
  const variance = n ? Math.max(0, f64[o + 1]! / n - mean * mean) : 0;
  const sorted = scratch.subarray(0, n);
  sorted.set(net.arena.views.f32.subarray(ptr >>> 2, (ptr >>> 2) + n));
  sorted.sort();
  const q = (p: number) => (n ? quantileSorted(sorted, p) : 0);
  return { mean, std: Math.sqrt(variance), min: n ? f64[o + 2]! : 0, q1: q(0.25), median: q(0.5), q3: q(0.75), max: n ? f64[o + 3]! : 0, zeroFraction: n ? f64[o + 4]! / n : 0 };
}

/** Scratch for the quantiles of diagnose(): the largest activation, dJ/dz or dJ/dW block, allocated once per fit. */
function diagnosticsScratch(model: Sequential, B: number): Float32Array {
  let n = 0;
  for (const rt of model.net.runtimes) if (rt instanceof DenseRuntime) n = Math.max(n, B * rt.outSize, rt.W.size);
  return new Float32Array(n);
}

function diagnose(model: Sequential, m: number, epoch: number, momentsPtr: number, scratch: Float32Array): EpochDiagnostics {
  const net = model.net;
  const layers: LayerDiagnostics[] = [];
  net.runtimes.forEach((rt, i) => {
    if (!(rt instanceof DenseRuntime)) return;
    const n = m * rt.outSize;
    const f32 = net.arena.views.f32;
    let dead = 0;
    for (let j = 0; j < rt.outSize; j++) {
      let alive = false;
      for (let r = 0; r < m && !alive; r++) if (f32[(rt.aPtr >>> 2) + r * rt.outSize + j] !== 0) alive = true;
      if (!alive) dead++;
    }
    layers.push({
      layer: i,
      activation: stats(model, rt.aPtr, n, momentsPtr, scratch),
      gradient: stats(model, rt.dzPtr, n, momentsPtr, scratch),
      weightGradient: stats(model, rt.W.gradPtr, rt.W.size, momentsPtr, scratch),
      deadFraction: dead / rt.outSize,
    });
  });
  return { epoch, layers };
}

/** Arena buffers of a run; wAll / wb (row weights, all rows and the batch) are 0 when training is unweighted. */
interface Staging { xAll: number; yAll: number; idxPtr: number; xb: number; yb: number; safe: number; wAll: number; wb: number }

/**
 * Runs the batches of an epoch. A plain class, not the generator: doubles in a generator's frame
 * are boxed on the heap, so the per-step arithmetic lives here, with running sums in a Float64Array.
 */
class EpochSteps {
  readonly batches: number;
  /** loss·m summed, correct predictions, predictions compared, samples run. */
  readonly totals = new Float64Array(4);
  lastBatchSize = 0;
  /** Set when onBatchEnd returned false. */
  stopped = false;
  private epoch = 0;
  private readonly batchLogs: BatchLogs = { batch: 0, size: 0, loss: 0.5 };

  constructor(private readonly model: Sequential, private readonly s: Staging, private readonly N: number, private readonly B: number,
    private readonly options: FitOptions, private readonly printer: EpochPrinter | undefined) {
    this.batches = Math.ceil(N / B);
  }

  beginEpoch(epoch: number, lr: number): void {
    this.epoch = epoch;
    this.model.optimizer!.learningRate = lr;
    this.totals.fill(0);
  }

  /** Runs `count` batches from `batch` (fewer at the epoch's end); returns the next batch. No clock is read
   *  here: performance.now() returns a heap-allocated number, and a step must allocate nothing. */
  run(batch: number, count: number): number {
    const end = Math.min(this.batches, batch + count);
    const { model, s, N, B, totals } = this;
    const net = model.net;
    const { k } = net;
    const c = model.compiled!;
    const opt = model.optimizer!;
    const d = model.inputSize;
    const K = model.outputSize;
    const onBatchEnd = this.options.callbacks?.onBatchEnd;
    // The loss is read straight from the arena's f64 view: a getter returning a double would box it
    // whenever the engine does not inline the getter. Memory does not grow inside this loop.
    const lossView = net.arena.views.f64;
    const lossAt = net.lossPtr >>> 3;
    while (batch < end) {
      const start = batch * B;
      const m = Math.min(B, N - start);
      k.f32_gather_rows(s.xAll, s.idxPtr + start * 4, s.xb, m, d);
      k.f32_gather_rows(s.yAll, s.idxPtr + start * 4, s.yb, m, K);
      if (s.wAll) k.f32_gather_rows(s.wAll, s.idxPtr + start * 4, s.wb, m, 1);
      net.trainStep(s.xb, s.yb, m, c.mode, s.wb);
      net.addL2(m);
      const loss = lossView[lossAt]!;
      if (!Number.isFinite(loss)) {
        if (!net.paramsFinite()) net.copyParamsFrom(s.safe);
        throw new DivergenceError(`training diverged: the loss became ${loss} in epoch ${this.epoch + 1}, batch ${batch + 1}. `
          + 'Try a smaller learning rate, standardize the features, or clip gradients (clipNorm); the model keeps its last finite weights.');
      }
      opt.step();
      totals[0] += loss * m;
      totals[1] += countCorrect(net, c.mode === 'mseIdentity' ? net.last.zPtr : net.last.aPtr, s.yb, m, K, c.loss);
      totals[2] += counted(m, K, c.loss);
      totals[3] += m;
      this.lastBatchSize = m;
      this.printer?.batch(this.epoch, batch, loss);
      batch++;
      if (onBatchEnd) {
        const logs = this.batchLogs;
        logs.batch = batch - 1; logs.size = m; logs.loss = loss;
        if (onBatchEnd(batch - 1, logs) === false) { this.stopped = true; break; }
      }
    }
    return batch;
  }
}

/** The loop itself; yields where fit() may give the event loop a turn. */
export function* trainLoop(model: Sequential, X: MatrixLike, y: TargetsLike, options: FitOptions = {}, sync = false): Generator<void, History, void> {
  const c = model.requireCompiled();
  const net = model.net;
  const epochs = options.epochs ?? 10;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValidationError('epochs', `expected an integer ≥ 0, got ${epochs}`);
  net.assertTrainable();
  const seed = options.seed ?? model.seed;
  let M = model.toInput(X);
  let T = toTargets(y, M.rows, model.outputSize, c.loss);
  let W = rowWeights(options, T, M.rows);
  let val: [Matrix, Targets] | undefined;
  if (options.validationData) {
    const [vx, vy] = options.validationData;
    const VM = model.toInput(vx, 'validationData[0]');
    val = [VM, toTargets(vy, VM.rows, model.outputSize, c.loss, 'validationData[1]')];
  } else if (options.validationSplit) {
    const f = options.validationSplit;
    if (!(f > 0 && f < 1)) throw new ValidationError('validationSplit', `expected a fraction in (0, 1), got ${f}`);
    const s = splitValidation(M, T, f, seed, W);
    [M, T] = s.train;
    W = s.trainWeights;
    val = s.val;
  }
  const N = M.rows;
  const bsOpt = options.batchSize ?? 32;
  if (!(bsOpt >= 1)) throw new ValidationError('batchSize', `expected a positive integer, got ${bsOpt}`);
  const B = Math.min(N, Number.isFinite(bsOpt) ? Math.floor(bsOpt) : N);
  const d = model.inputSize;
  const K = model.outputSize;
  const es = options.earlyStopping;
  if (es && !(Number.isInteger(es.patience) && es.patience >= 0)) throw new ValidationError('earlyStopping.patience', `expected an integer ≥ 0, got ${es.patience}`);
  const monitor = es?.monitor ?? (val ? 'valLoss' : 'loss');
  if ((monitor === 'valLoss' || monitor === 'valAccuracy') && !val) throw new ValidationError('earlyStopping.monitor', `${monitor} needs validationSplit or validationData`);
  const higherBetter = monitor === 'accuracy' || monitor === 'valAccuracy';
  const printer = options.verbose ? new EpochPrinter(epochs, Math.ceil(N / B)) : undefined;
  const yieldEvery = options.yieldEvery ?? 25;

  net.ensureCapacity(B);
  const { arena, k } = net;
  const opt = model.optimizer!;
  const xAll = arena.alloc(N * d * 4);
  const yAll = arena.alloc(N * K * 4);
  const idxPtr = arena.alloc(N * 4);
  const xb = arena.alloc(B * d * 4);
  const yb = arena.alloc(B * K * 4);
  const safe = arena.alloc(net.paramBlockFloats * 4);
  const moments = arena.alloc(64);
  const wAll = W ? arena.alloc(N * 4) : 0;
  const wb = W ? arena.alloc(B * 4) : 0;
  const history: History = { epoch: [], loss: [], accuracy: [], valLoss: [], valAccuracy: [], learningRate: [], time: [], samplesPerSec: [], diagnostics: [], stoppedEarly: false, bestEpoch: -1 };
  try {
    arena.views.f32.set(M.data, xAll >>> 2);
    arena.views.f32.set(T.Y.data, yAll >>> 2);
    if (W) arena.views.f32.set(W, wAll >>> 2);
    const perm = new Int32Array(N).map((_, i) => i);
    const rng = new Rng(seed);
    const shuffle = options.shuffle ?? true;
    const steps = new EpochSteps(model, { xAll, yAll, idxPtr, xb, yb, safe, wAll, wb }, N, B, options, printer);
    let best = higherBetter ? -Infinity : Infinity;
    let bestWeights: ReturnType<Sequential['getWeights']> | undefined;
    let wait = 0;
    let bestEpoch = -1;
    let chunk = 1;
    let scratch: Float32Array | undefined;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = now();
      const lr = learningRateAt(c.optimizer.learningRate, epoch);
      if (shuffle) rng.shuffle(perm);
      arena.views.i32.set(perm, idxPtr >>> 2);
      net.copyParamsTo(safe);
      steps.beginEpoch(epoch, lr);
      for (let batch = 0; batch < steps.batches;) {
        if (sync) { steps.run(batch, steps.batches); break; }
        // Size each chunk from the last one's pace so the event loop gets a turn every `yieldEvery` ms.
        const t = now();
        const next = steps.run(batch, chunk);
        const perBatch = (now() - t) / (next - batch);
        chunk = Math.max(1, Math.min(steps.batches, Math.floor(yieldEvery / Math.max(perBatch, 1e-3))));
        batch = next;
        if (steps.stopped) break;
        if (batch < steps.batches) yield;
      }
      const m = steps.lastBatchSize;
      const [lossSum, correct, compared, samples] = steps.totals;
      if (!net.paramsFinite()) {
        net.copyParamsFrom(safe);
        throw new DivergenceError(`training diverged: a parameter became NaN or infinite in epoch ${epoch + 1}. Try a smaller learning rate or standardize the features; the model keeps its last finite weights.`);
      }
      if (options.diagnostics) history.diagnostics.push(diagnose(model, m, epoch, moments, scratch ??= diagnosticsScratch(model, B)));
      const logs: EpochLogs = { epoch, loss: lossSum! / samples!, learningRate: lr, time: 0 };
      if (compared) logs.accuracy = correct! / compared;
      if (val) {
        const ev = model.evaluateMatrices(val[0], val[1]);
        logs.valLoss = ev.loss;
        if (ev.accuracy !== undefined) logs.valAccuracy = ev.accuracy;
      }
      logs.time = (now() - t0) / 1000;
      history.epoch.push(epoch);
      history.loss.push(logs.loss);
      if (logs.accuracy !== undefined) history.accuracy.push(logs.accuracy);
      if (logs.valLoss !== undefined) history.valLoss.push(logs.valLoss);
      if (logs.valAccuracy !== undefined) history.valAccuracy.push(logs.valAccuracy);
      history.learningRate.push(lr);
      history.time.push(logs.time);
      history.samplesPerSec.push(samples! / Math.max(logs.time, 1e-9));
      history.bestEpoch = es?.restoreBestWeights && bestEpoch >= 0 ? bestEpoch : epoch;
      printer?.epoch(logs);
      const stop = options.callbacks?.onEpochEnd?.(epoch, logs) === false || steps.stopped;
      if (es) {
        const value = logs[monitor];
        const delta = es.minDelta ?? 0;
        if (value !== undefined && (higherBetter ? value > best + delta : value < best - delta)) {
          best = value;
          wait = 0;
          if (es.restoreBestWeights) { bestWeights = model.getWeights(); bestEpoch = epoch; }
        } else if (++wait > es.patience) {
          history.stoppedEarly = true;
        }
      }
      if (es?.restoreBestWeights && bestWeights && (stop || history.stoppedEarly || epoch === epochs - 1)) {
        model.setWeights(bestWeights);
        history.bestEpoch = bestEpoch;
      }
      if (stop || history.stoppedEarly) break;
      if (!sync) yield;
    }
    printer?.done();
    return history;
  } finally {
    for (const p of [xAll, yAll, idxPtr, xb, yb, safe, moments, wAll, wb]) if (p) arena.free(p);
  }
}

/** Runs the loop to the end synchronously. */
export function runSync(gen: Generator<void, History, void>): History {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

const tick: () => Promise<void> = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => new Promise((resolve) => setTimeout(resolve, 0));

/** Runs the loop, giving the event loop a turn at every yield point. */
export async function runAsync(gen: Generator<void, History, void>): Promise<History> {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    await tick();
  }
}

