// Training from a data source instead of matrices: an async (or sync) iterable of {X, y} batches
// of any size, or a dataset object (TableDataset) iterated once per epoch. Rows are gathered into
// the model's batch buffers in the arena (no per-step allocation in the training step); a full
// buffer of batchSize rows is one optimizer step. Validation data may be a source too, evaluated
// at each epoch's end. The History is the same as fit()'s.
//
// Checkpoints (checkpoint / resumeFrom) are taken at epoch ends, where a pass is over: the stream's
// position is then the start of the next pass and a shuffle buffer is drained, so what a resume
// needs of the source is which pass comes next. A ResumableSource (TableDataset) reports that
// (its pass count, which seeds its shuffle buffer) and the checkpoint holds it; a run killed
// mid-epoch resumes from the last checkpoint and replays that epoch from the start of its pass,
// deterministically. A source without that state must give the same batches on every fresh pass.

import type { Matrix, MatrixLike } from '../data/matrix.js';
import { DivergenceError, ValidationError } from '../errors.js';
import { argmaxAt } from '../data/matrix.js';
import type { TargetsLike } from '../nn/targets.js';
import { isCategoricalLoss } from '../nn/losses.js';
import { writeWeights } from '../nn/params.js';
import { Rng } from '../rng.js';
import { checkpointSupport, type LoopState } from './checkpoint-hooks.js';
import { earlyStoppingEpoch } from './early-stopping.js';
import { learningRateAt } from './optimizers.js';
import type { Evaluation, TrainingSession } from './session.js';
import { StepGuard } from './step-guard.js';
import type { Checkpoint, EpochLogs, FitOptions, History } from './types.js';

export interface SourceBatch { X: MatrixLike; y: TargetsLike }
export type DataSource = AsyncIterable<SourceBatch> | Iterable<SourceBatch>;

export interface SourceFitOptions extends Omit<FitOptions, 'validationData' | 'validationSplit' | 'classWeight' | 'sampleWeight'> {
  /** Evaluated after every epoch: a source, or [X, y]. */
  validationData?: DataSource | [MatrixLike, TargetsLike];
  /** One weight per class index (streams cannot count classes before the first pass; fitStream gives the counts). */
  classWeight?: ArrayLike<number>;
}

/**
 * A source that can say where its passes are and go back there, so that a checkpoint of
 * fit(source) holds it (TableDataset: the passes started, which seed its shuffle buffer).
 */
export interface ResumableSource {
  sourceState(): number[];
  restoreSourceState(state: readonly number[]): void;
}

function isResumable(x: unknown): x is ResumableSource {
  return typeof (x as ResumableSource).sourceState === 'function' && typeof (x as ResumableSource).restoreSourceState === 'function';
}

function sourceState(x: unknown): number[] | null {
  return x !== undefined && isResumable(x) ? x.sourceState().slice() : null;
}

/** Refuses a checkpoint whose source state does not fit the source (checked before anything is restored). */
function checkSource(x: unknown, state: number[] | null, what: string): void {
  const resumable = x !== undefined && !Array.isArray(x) && isResumable(x);
  if (resumable !== (state !== null)) {
    throw new ValidationError('resumeFrom', state !== null
      ? `the checkpoint holds the position of a resumable ${what} (a TableDataset), this ${what} has no restoreSourceState()`
      : `the checkpoint was written with a ${what} that has no state, this ${what} is resumable (a TableDataset)`);
  }
}

/** True for an iterable of batches (not a matrix or an array of rows). */
export function isDataSource(x: unknown): x is DataSource {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  return typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

const tick: () => Promise<void> = typeof setImmediate === 'function' ? () => new Promise((r) => setImmediate(r)) : () => new Promise((r) => setTimeout(r, 0));
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function iterate(source: DataSource, epoch: number, what: string): AsyncIterator<SourceBatch> | Iterator<SourceBatch> {
  const a = (source as AsyncIterable<SourceBatch>)[Symbol.asyncIterator];
  const it = a ? a.call(source) : (source as Iterable<SourceBatch>)[Symbol.iterator]();
  if (epoch > 0 && (it as unknown) === source) {
    throw new ValidationError(what, 'is an iterator, which can be read once; for more than one epoch pass an object whose [Symbol.asyncIterator]() starts a new pass (a TableDataset, or { [Symbol.asyncIterator]: () => makeBatches() })');
  }
  return it;
}

/** Writes rows [from, from + n) of a batch's targets into the staging rows at `at` (one-hot for class indices). */
function stageTargets(f32: Float32Array, yPtr: number, at: number, K: number, y: TargetsLike, from: number, n: number, onehot: boolean, arg: string): void {
  const base = (yPtr >>> 2) + at * K;
  const M = y as Matrix;
  if (M && typeof M === 'object' && 'data' in M && 'cols' in M) {
    if (M.cols !== K) throw new ValidationError(arg, `has ${M.cols} target columns, the model has ${K} outputs`);
    f32.set(M.data.subarray(from * K, (from + n) * K), base);
    return;
  }
  const v = y as ArrayLike<number>;
  if (onehot) {
    f32.fill(0, base, base + n * K);
    for (let i = 0; i < n; i++) {
      const c = v[from + i]!;
      if (!Number.isInteger(c) || c < 0 || c >= K) throw new ValidationError(arg, `holds the class ${String(c)}, expected an index 0..${K - 1}`);
      f32[base + i * K + c] = 1;
    }
    return;
  }
  if (K !== 1) throw new ValidationError(arg, `is a vector, but the model has ${K} outputs; give { data, rows, cols: ${K} }`);
  for (let i = 0; i < n; i++) {
    const t = v[from + i]!;
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new ValidationError(arg, `holds ${String(t)}, expected a finite number`);
    f32[base + i] = t;
  }
}

/** Mean loss and accuracy of a session's model on X, y. */
function evaluate(session: TrainingSession, X: MatrixLike, y: TargetsLike, arg: string): Evaluation {
  const M = session.net.toInput(X, arg);
  return session.evaluate(M, session.targets(y, M.rows));
}

/** Mean loss and accuracy of a model over a source (or arrays). */
async function evaluateSource(session: TrainingSession, data: DataSource | [MatrixLike, TargetsLike], epoch: number): Promise<Evaluation> {
  if (Array.isArray(data)) return evaluate(session, data[0], data[1], 'X');
  let lossSum = 0, accSum = 0, n = 0, withAcc = false;
  const it = iterate(data, epoch, 'validationData');
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const M = session.net.toInput(r.value.X, 'validationData');
    if (M.rows === 0) continue;
    const e = evaluate(session, M, r.value.y, 'validationData');
    lossSum += e.loss * M.rows;
    if (e.accuracy !== undefined) { accSum += e.accuracy * M.rows; withAcc = true; }
    n += M.rows;
  }
  if (n === 0) throw new ValidationError('validationData', 'gave no rows');
  return withAcc ? { loss: lossSum / n, accuracy: accSum / n } : { loss: lossSum / n };
}

/**
 * Trains on a data source, epoch by epoch.
 * @example await model.fit(new TableDataset(stream, pipeline, target, { batchSize: 64 }), { epochs: 3 })
 */
export async function fitSource(session: TrainingSession, source: DataSource, options: SourceFitOptions = {}, model?: () => Checkpoint['model']): Promise<History> {
  session.net.beginRun('fit()');
  try {
    return await run(session, source, options, model);
  } finally {
    session.net.endRun();
  }
}

async function run(session: TrainingSession, source: DataSource, options: SourceFitOptions, model: (() => Checkpoint['model']) | undefined): Promise<History> {
  const { net, settings, mode } = session;
  net.assertTrainable();
  // A source is seen a batch at a time: its row count (the m of 'dataset') and its sums are unknown up front.
  if (settings.reduction === 'sum') throw new ValidationError('reduction', "'sum' needs matrices (fit(X, y)); a data source trains with reduction 'mean'");
  if (settings.l2Scale === 'dataset' && settings.l2 > 0) throw new ValidationError('l2Scale', "'dataset' needs the training set's size; a data source is read a batch at a time: compile with l2Scale 'batch', or fit(X, y)");
  const epochs = options.epochs ?? 10;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValidationError('epochs', `expected an integer ≥ 0, got ${epochs}`);
  const B = options.batchSize ?? 32;
  if (!Number.isInteger(B) || B < 1) throw new ValidationError('batchSize', `a data source needs a whole batch size ≥ 1, got ${String(B)}`);
  const d = net.inputSize;
  const K = net.outputSize;
  const onehot = isCategoricalLoss(settings.loss);
  const cw = options.classWeight;
  if (cw && (!onehot || cw.length !== K)) throw new ValidationError('classWeight', onehot ? `has ${cw.length} weights, expected ${K}` : 'needs a softmax output (class targets)');
  const yieldEvery = options.yieldEvery ?? 25;
  const es = options.earlyStopping;
  if (es && !(Number.isInteger(es.patience) && es.patience >= 0)) throw new ValidationError('earlyStopping.patience', `expected an integer ≥ 0, got ${es.patience}`);
  const monitor = es?.monitor ?? (options.validationData ? 'valLoss' : 'loss');
  if ((monitor === 'valLoss' || monitor === 'valAccuracy') && !options.validationData) throw new ValidationError('earlyStopping.monitor', `${monitor} needs validationData (a source: a TableDataset of the validation part)`);
  const higherBetter = monitor === 'accuracy' || monitor === 'valAccuracy';
  const ck = options.checkpoint !== undefined || options.resumeFrom !== undefined ? checkpointSupport(options.checkpoint !== undefined ? 'checkpoint' : 'resumeFrom') : undefined;
  const ckOpts = options.checkpoint === undefined ? undefined : ck!.options(options.checkpoint);
  const resumeFrom = options.resumeFrom === undefined ? undefined : ck!.read(options.resumeFrom);
  if (ck && !model) throw new ValidationError(options.checkpoint !== undefined ? 'checkpoint' : 'resumeFrom', 'needs the model (use model.fit(source, options))');
  const identity = ck ? { model: model!(), run: ck.describeSource(d, K, B, options.validationData !== undefined, cw, es) } : undefined;
  net.ensureCapacity(B);
  const { arena } = net;
  const opt = session.optimizer;
  const [xb, yb, wb, safe] = arena.allocAll([B * d * 4, B * K * 4, cw ? B * 4 : null, net.paramBlockFloats * 4]) as [number, number, number, number];
  let guard: StepGuard;
  try {
    guard = new StepGuard(session); // its copies, after the batch buffers: a failure of either leaks neither
  } catch (e) {
    for (const p of [xb, yb, wb, safe]) if (p) arena.free(p);
    throw e;
  }
  const history: History = { epoch: [], loss: [], accuracy: [], valLoss: [], valAccuracy: [], learningRate: [], time: [], samplesPerSec: [], diagnostics: [], stoppedEarly: false, bestEpoch: -1, sourceTime: [] };
  // The state one epoch hands the next besides the network and the optimizer. A source has no row
  // order of its own here: the shuffling stream and permutation are empty stand-ins.
  const s: LoopState = {
    epoch: 0, stopped: false, history, shuffleRng: new Rng(0), perm: new Int32Array(0),
    best: higherBetter ? -Infinity : Infinity, wait: 0, bestEpoch: -1, bestWeights: undefined,
  };
  const totals = new Float64Array(4); // loss·m, correct, compared, rows
  const batchLogs = { batch: 0, size: 0, loss: 0 };
  let stopAll = false;
  let epoch = 0;
  const validation = options.validationData;
  let m = 0;
  const lossView = () => arena.views.f64[net.lossPtr >>> 3]!;
  const step = () => {
    if (wb) {
      const f32 = arena.views.f32;
      for (let i = 0; i < m; i++) f32[(wb >>> 2) + i] = cw![argmaxAt(f32, (yb >>> 2) + i * K, K)]!;
    }
    let loss: number;
    try {
      guard.save();
      net.trainStep(xb, yb, m, mode, wb);
      net.addL2(m, m);
      loss = lossView();
      if (!Number.isFinite(loss)) {
        if (!net.paramsFinite()) net.copyParamsFrom(safe);
        throw new DivergenceError(`training diverged: the loss became ${loss} in epoch ${epoch + 1}, batch ${batchLogs.batch + 1}. `
          + 'Try a smaller learning rate or standardize the features; the model keeps its last finite weights.');
      }
      opt.step();
    } catch (e) {
      throw guard.failed(e, `epoch ${epoch + 1}, batch ${batchLogs.batch + 1}`);
    }
    totals[0] += loss * m;
    // The rule is read from each batch's targets (a source is seen one batch at a time).
    const rule = session.accuracyRule({ data: arena.views.f32.subarray(yb >>> 2, (yb >>> 2) + m * K), rows: m, cols: K });
    totals[1] += net.countCorrect(yb, m, rule);
    totals[2] += net.compared(m, rule);
    totals[3] += m;
    batchLogs.size = m; batchLogs.loss = loss;
    if (options.callbacks?.onBatchEnd?.(batchLogs.batch, batchLogs) === false) stopAll = true;
    batchLogs.batch++;
    m = 0;
  };
  try {
    if (resumeFrom) {
      ck!.restore(session, identity!.model, identity!.run, resumeFrom, s, (c) => {
        checkSource(source, c.source!.train, 'source');
        checkSource(validation, c.source!.validation, 'validationData');
      });
      if (s.sources!.train) (source as unknown as ResumableSource).restoreSourceState(s.sources!.train);
      if (s.sources!.validation) (validation as unknown as ResumableSource).restoreSourceState(s.sources!.validation);
    }
    // Passes made by this call (an iterator can be read once: by the first epoch this call runs).
    const first = s.epoch;
    for (epoch = s.epoch; epoch < epochs && !s.stopped; epoch++) {
      const t0 = now();
      let lastYield = t0;
      const lr = learningRateAt(settings.optimizer.learningRate, epoch);
      opt.learningRate = lr;
      totals.fill(0);
      batchLogs.batch = 0;
      net.copyParamsTo(safe);
      const it = iterate(source, epoch - first, 'source');
      let waited = 0;
      let t = now();
      for (let r = await it.next(); !r.done && !stopAll; r = await it.next()) {
        waited += now() - t;
        const X = net.toInput(r.value.X, 'source X');
        const y = r.value.y;
        const yRows = (y as Matrix).rows ?? (y as ArrayLike<number>).length;
        if (yRows !== X.rows) throw new ValidationError('source y', `has ${yRows} targets for ${X.rows} rows of X`);
        for (let from = 0; from < X.rows && !stopAll;) {
          const n = Math.min(B - m, X.rows - from);
          const f32 = arena.views.f32;
          f32.set(X.data.subarray(from * d, (from + n) * d), (xb >>> 2) + m * d);
          stageTargets(f32, yb, m, K, y, from, n, onehot, 'source y');
          m += n;
          from += n;
          if (m === B) step();
        }
        if (now() - lastYield > yieldEvery) { await tick(); lastYield = now(); }
        t = now();
      }
      waited += now() - t;
      if (m > 0 && !stopAll) step();
      if (totals[3] === 0) throw new ValidationError('source', `gave no rows in epoch ${epoch + 1}`);
      const logs: EpochLogs = { epoch, loss: totals[0]! / totals[3]!, learningRate: lr, time: 0 };
      if (totals[2]) logs.accuracy = totals[1]! / totals[2]!;
      if (options.validationData) {
        const v = await evaluateSource(session, options.validationData, epoch - first);
        logs.valLoss = v.loss;
        if (v.accuracy !== undefined) logs.valAccuracy = v.accuracy;
      }
      logs.time = (now() - t0) / 1000;
      history.epoch.push(epoch);
      history.loss.push(logs.loss);
      if (logs.accuracy !== undefined) history.accuracy.push(logs.accuracy);
      if (logs.valLoss !== undefined) history.valLoss.push(logs.valLoss);
      if (logs.valAccuracy !== undefined) history.valAccuracy.push(logs.valAccuracy);
      history.learningRate.push(lr);
      history.time.push(logs.time);
      history.samplesPerSec.push(totals[3]! / Math.max(logs.time, 1e-9));
      history.sourceTime!.push(waited / 1000);
      history.bestEpoch = es?.restoreBestWeights && s.bestEpoch >= 0 ? s.bestEpoch : epoch;
      const halt = options.callbacks?.onEpochEnd?.(epoch, logs) === false;
      if (es && earlyStoppingEpoch(es, s, logs[monitor], higherBetter, epoch, net)) history.stoppedEarly = true;
      s.epoch = epoch + 1;
      s.stopped = halt || stopAll || history.stoppedEarly;
      if (ckOpts && (s.epoch % ckOpts.every === 0 || s.epoch === epochs || s.stopped)) {
        s.sources = { train: sourceState(source), validation: Array.isArray(validation) ? null : sourceState(validation) };
        await ck!.save(ck!.capture(session, identity!.model, identity!.run, s), ckOpts, false);
      }
      if (s.stopped) break;
      await tick();
    }
    if (es?.restoreBestWeights && s.bestWeights) {
      writeWeights(net, s.bestWeights);
      history.bestEpoch = s.bestEpoch;
    }
    return history;
  } finally {
    guard.dispose();
    for (const p of [xb, yb, wb, safe]) if (p) arena.free(p);
  }
}
