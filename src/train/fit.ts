// The training loop: mini-batch gradient descent with seeded shuffling, validation, early
// stopping, callbacks, divergence detection and optional per-layer diagnostics, on a training
// session (network + optimizer + compiled settings). Written once as a generator: fitSync runs it
// straight through, fit awaits a macrotask at each yield point so progress shows and pages stay
// responsive. Inside an epoch nothing is allocated per step (epoch.ts).

import type { Matrix, MatrixLike } from '../data/matrix.js';
import { DivergenceError, ValidationError } from '../errors.js';
import type { Network } from '../nn/network.js';
import { unroll, unrollInto, writeUnrolled, writeWeights } from '../nn/params.js';
import type { Targets, TargetsLike } from '../nn/targets.js';
import { Rng } from '../rng.js';
import { checkpointSupport, type LoopState } from './checkpoint-hooks.js';
import { diagnose, StatsProbe } from './diagnose.js';
import { EpochSteps } from './epoch.js';
import { earlyStoppingEpoch } from './early-stopping.js';
import { learningRateAt } from './optimizers.js';
import { EpochPrinter } from './progress.js';
import { resolveTrajectory, TrajectoryRecorder } from './trajectory.js';
import type { TrainingSession } from './session.js';
import type { Checkpoint, EpochLogs, FitOptions, History } from './types.js';
import { splitValidation } from './validation.js';
import { rowWeights } from './weights.js';

export type {
  BatchLogs, EarlyStopping, EpochDiagnostics, EpochLogs, FitOptions, History, LayerDiagnostics, LayerStats,
} from './types.js';

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

type Run = { sync: boolean; seed: number; model?: () => Checkpoint['model'] };

/** The loop itself; yields where fit() may give the event loop a turn. The network is marked as
 *  training from the first step to the end, so a second fit, a compile() or a dispose() meanwhile is refused. */
export function* trainLoop(session: TrainingSession, X: MatrixLike, y: TargetsLike, options: FitOptions, run: Run): Generator<void | Promise<void>, History, void> {
  session.net.beginRun('fit()');
  try {
    return yield* loop(session, X, y, options, run);
  } finally {
    session.net.endRun();
  }
}

function* loop(session: TrainingSession, X: MatrixLike, y: TargetsLike, options: FitOptions, run: Run): Generator<void | Promise<void>, History, void> {
  const { net, settings } = session;
  const sync = run.sync;
  const epochs = options.epochs ?? 10;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValidationError('epochs', `expected an integer ≥ 0, got ${epochs}`);
  net.assertTrainable();
  const seed = options.seed ?? run.seed;
  let M = net.toInput(X);
  let T = session.targets(y, M.rows);
  let W = rowWeights(options, T, M.rows);
  let val: [Matrix, Targets] | undefined;
  if (options.validationData) {
    const [vx, vy] = options.validationData;
    const VM = net.toInput(vx, 'validationData[0]');
    val = [VM, session.targets(vy, VM.rows, 'validationData[1]')];
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
  const d = net.inputSize;
  const K = net.outputSize;
  const es = options.earlyStopping;
  if (es && !(Number.isInteger(es.patience) && es.patience >= 0)) throw new ValidationError('earlyStopping.patience', `expected an integer ≥ 0, got ${es.patience}`);
  const monitor = es?.monitor ?? (val ? 'valLoss' : 'loss');
  if ((monitor === 'valLoss' || monitor === 'valAccuracy') && !val) throw new ValidationError('earlyStopping.monitor', `${monitor} needs validationSplit or validationData`);
  const higherBetter = monitor === 'accuracy' || monitor === 'valAccuracy';
  const printer = options.verbose ? new EpochPrinter(epochs, Math.ceil(N / B)) : undefined;
  const yieldEvery = options.yieldEvery ?? 25;
  const shuffle = options.shuffle ?? true;
  const ck = options.checkpoint !== undefined || options.resumeFrom !== undefined ? checkpointSupport(options.checkpoint !== undefined ? 'checkpoint' : 'resumeFrom') : undefined;
  const ckOpts = options.checkpoint === undefined ? undefined : ck!.options(options.checkpoint);
  const resumeFrom = options.resumeFrom === undefined ? undefined : ck!.read(options.resumeFrom);
  const identity = ck ? { model: run.model!(), run: ck.describe(M, T, W, val, B, shuffle, es) } : undefined;

  net.ensureCapacity(B);
  const { arena, k } = net;
  const [xAll, yAll, idxPtr, xb, yb, safe, moments, wAll, wb] = arena.allocAll([
    N * d * 4, N * K * 4, N * 4, B * d * 4, B * K * 4, net.paramBlockFloats * 4, 64, W ? N * 4 : null, W ? B * 4 : null,
  ]) as [number, number, number, number, number, number, number, number, number];
  const history: History = { epoch: [], loss: [], accuracy: [], valLoss: [], valAccuracy: [], learningRate: [], time: [], samplesPerSec: [], diagnostics: [], stoppedEarly: false, bestEpoch: -1 };
  let steps: EpochSteps | undefined;
  try {
    arena.views.f32.set(M.data, xAll >>> 2);
    arena.views.f32.set(T.Y.data, yAll >>> 2);
    if (W) arena.views.f32.set(W, wAll >>> 2);
    // What one epoch hands the next besides the network and the optimizer (a checkpoint holds it all).
    const s: LoopState = {
      epoch: 0, stopped: false, history, shuffleRng: new Rng(seed), perm: new Int32Array(N).map((_, i) => i),
      best: higherBetter ? -Infinity : Infinity, wait: 0, bestEpoch: -1, bestWeights: undefined,
    };
    if (resumeFrom) ck!.restore(session, identity!.model, identity!.run, resumeFrom, s);
    const { perm, shuffleRng: rng } = s;
    steps = new EpochSteps(session, { xAll, yAll, idxPtr, xb, yb, safe, wAll, wb }, N, B, options, printer);
    steps.rule = session.accuracyRule(T.Y);
    let chunk = 1;
    const probe = new StatsProbe(net, moments);
    const traj = resolveTrajectory(options.trajectory);
    const recorder = traj ? new TrajectoryRecorder(traj, net.paramCount, Math.max(0, epochs - s.epoch)) : undefined;
    recordSnapshot(net, recorder, s.epoch, true);
    for (let epoch = s.epoch; epoch < epochs && !s.stopped; epoch++) {
      const t0 = now();
      const lr = learningRateAt(settings.optimizer.learningRate, epoch);
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
      if (options.diagnostics) history.diagnostics.push(diagnose(net, m, epoch, probe));
      const logs: EpochLogs = { epoch, loss: net.sumLoss ? lossSum! : lossSum! / samples!, learningRate: lr, time: 0 };
      if (compared) logs.accuracy = correct! / compared;
      if (val) {
        const ev = session.evaluate(val[0], val[1]);
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
      history.bestEpoch = es?.restoreBestWeights && s.bestEpoch >= 0 ? s.bestEpoch : epoch;
      printer?.epoch(logs);
      const stop = options.callbacks?.onEpochEnd?.(epoch, logs) === false || steps.stopped;
      if (es && earlyStoppingEpoch(es, s, logs[monitor], higherBetter, epoch, net)) history.stoppedEarly = true;
      s.epoch = epoch + 1;
      s.stopped = stop || history.stoppedEarly;
      recordSnapshot(net, recorder, s.epoch, false);
      if (ckOpts && (s.epoch % ckOpts.every === 0 || s.epoch === epochs || s.stopped)) {
        const pending = ck!.save(ck!.capture(session, identity!.model, identity!.run, s), ckOpts, sync);
        if (pending) yield pending;
      }
      if (s.stopped) break;
      if (!sync) yield;
    }
    if (es?.restoreBestWeights && s.bestWeights) {
      writeWeights(net, s.bestWeights);
      history.bestEpoch = s.bestEpoch;
    }
    if (recorder) history.trajectory = finishTrajectory(session, recorder, M, T, s.epoch);
    printer?.done();
    return history;
  } finally {
    steps?.dispose();
    for (const p of [xAll, yAll, idxPtr, xb, yb, safe, moments, wAll, wb]) if (p) arena.free(p);
  }
}

function recordSnapshot(net: Network, recorder: TrajectoryRecorder | undefined, epoch: number, force: boolean): void {
  const dst = recorder?.slot(epoch, force);
  if (dst) unrollInto(net, false, dst);
}

/** The trajectory of the snapshots, its plane through the final weights, and the loss on a grid of
 *  that plane over the first `rows` training rows (the weights are put back afterwards). */
function finishTrajectory(session: TrainingSession, recorder: TrajectoryRecorder, M: Matrix, T: Targets, epoch: number) {
  const { net } = session;
  const final = unroll(net, false);
  recorder.record(epoch, final, true);
  const r = Math.min(recorder.options.rows, M.rows);
  const sub = (A: Matrix): Matrix => ({ rows: r, cols: A.cols, data: A.data.subarray(0, r * A.cols) });
  const ST: Targets = T.labels ? { Y: sub(T.Y), labels: T.labels.subarray(0, r) } : { Y: sub(T.Y) };
  const SM = sub(M);
  try {
    return recorder.finish(final, (theta) => { writeUnrolled(net, theta); return session.evaluate(SM, ST).loss; }, r);
  } finally {
    writeUnrolled(net, final);
  }
}

/** Runs the loop to the end synchronously. */
export function runSync(gen: Generator<void | Promise<void>, History, void>): History {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

const tick: () => Promise<void> = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => new Promise((resolve) => setTimeout(resolve, 0));

/** Runs the loop, giving the event loop a turn at every yield point. */
export async function runAsync(gen: Generator<void | Promise<void>, History, void>): Promise<History> {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (r.value) {
      // A checkpoint being written: its failure ends the run (the generator's finally frees the buffers).
      try { await r.value; } catch (e) { gen.return(undefined as never); throw e; }
    } else await tick();
  }
}

