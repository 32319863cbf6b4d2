// One epoch's batches: gather a batch, train step, L2, divergence check, optimizer step (or, with optimizer.fuse,
// forward, L2, divergence check, backward with the step inside the dW GEMMs), running
// sums, callbacks. Nothing here allocates per step.

import { DivergenceError } from '../errors.js';
import type { AccuracyRule } from '../nn/losses.js';
import type { EpochPrinter } from './progress.js';
import type { TrainingSession } from './session.js';
import { StepGuard } from './step-guard.js';
import type { BatchLogs, FitOptions } from './types.js';

/** Arena buffers of a run; wAll / wb (row weights, all rows and the batch) are 0 when training is unweighted. */
export interface Staging { xAll: number; yAll: number; idxPtr: number; xb: number; yb: number; safe: number; wAll: number; wb: number }

/**
 * Runs the batches of an epoch. A plain class, not the generator: doubles in a generator's frame
 * are boxed on the heap, so the per-step arithmetic lives here, with running sums in a Float64Array.
 */
export class EpochSteps {
  readonly batches: number;
  /** The steps' J·m summed (reduction 'sum': their J summed), correct predictions, predictions compared, samples run. */
  readonly totals = new Float64Array(4);
  lastBatchSize = 0;
  /** How accuracy is counted on this run's targets (session.accuracyRule of the training targets). */
  rule: AccuracyRule | undefined;
  /** Set when onBatchEnd returned false. */
  stopped = false;
  private epoch = 0;
  private readonly batchLogs: BatchLogs = { batch: 0, size: 0, loss: 0.5 };
  /** A pool fault mid-step puts back the state before the step (step-guard.ts). */
  readonly guard: StepGuard;

  constructor(private readonly session: TrainingSession, private readonly s: Staging, private readonly N: number, private readonly B: number,
    private readonly options: FitOptions, private readonly printer: EpochPrinter | undefined) {
    this.batches = Math.ceil(N / B);
    this.rule = undefined;
    this.guard = new StepGuard(session);
  }

  dispose(): void { this.guard.dispose(); }

  beginEpoch(epoch: number, lr: number): void {
    this.epoch = epoch;
    this.session.optimizer.learningRate = lr;
    this.totals.fill(0);
  }

  /** Runs `count` batches from `batch` (fewer at the epoch's end); returns the next batch. No clock is read
   *  here: performance.now() returns a heap-allocated number, and a step must allocate nothing. */
  run(batch: number, count: number): number {
    const end = Math.min(this.batches, batch + count);
    const { session, s, N, B, totals } = this;
    const { net, mode } = session;
    const rule = this.rule;
    const { k } = net;
    const opt = session.optimizer;
    const d = net.inputSize;
    const K = net.outputSize;
    const onBatchEnd = this.options.callbacks?.onBatchEnd;
    const sum = net.sumLoss;
    /** The optimizer's fused-step block, or 0 to run trainStep and opt.step() (OptimizerRuntime.fusedHyperPtr). */
    const fused = opt.fuse ? opt.fusedHyperPtr : 0;
    // The loss is read straight from the arena's f64 view: a getter returning a double would box it
    // whenever the engine does not inline the getter. Memory grows only in a callback.
    let lossView = net.arena.views.f64;
    const lossAt = net.lossPtr >>> 3;
    while (batch < end) {
      const start = batch * B;
      const m = Math.min(B, N - start);
      let loss: number;
      try {
        this.guard.save();
        k.f32_gather_rows(s.xAll, s.idxPtr + start * 4, s.xb, m, d);
        k.f32_gather_rows(s.yAll, s.idxPtr + start * 4, s.yb, m, K);
        if (s.wAll) k.f32_gather_rows(s.wAll, s.idxPtr + start * 4, s.wb, m, 1);
        if (fused) {
          // The optimizer step runs inside the dW GEMMs (SGD, momentum): the loss, L2 penalty included, is checked
          // before the backward pass that updates the weights, as it is before opt.step() otherwise.
          net.trainForward(s.xb, s.yb, m, mode, s.wb);
          net.addL2(m, N, opt.fusedDecayPtr);
        } else {
          net.trainStep(s.xb, s.yb, m, mode, s.wb);
          net.addL2(m, N);
        }
        loss = lossView[lossAt]!;
        if (!Number.isFinite(loss)) {
          if (!net.paramsFinite()) net.copyParamsFrom(s.safe);
          throw new DivergenceError(`training diverged: the loss became ${loss} in epoch ${this.epoch + 1}, batch ${batch + 1}. `
            + 'Try a smaller learning rate, standardize the features, or clip gradients (clipNorm); the model keeps its last finite weights.');
        }
        if (fused) {
          opt.beginFused();
          net.trainBackward(m, mode, fused);
          opt.finishFused();
        } else {
          opt.step();
        }
      } catch (e) {
        throw this.guard.failed(e, `epoch ${this.epoch + 1}, batch ${batch + 1}`);
      }
      totals[0] += sum ? loss : loss * m;
      totals[1] += net.countCorrect(s.yb, m, rule);
      totals[2] += net.compared(m, rule);
      totals[3] += m;
      this.lastBatchSize = m;
      this.printer?.batch(this.epoch, batch, loss);
      batch++;
      if (onBatchEnd) {
        const logs = this.batchLogs;
        logs.batch = batch - 1; logs.size = m; logs.loss = loss;
        if (onBatchEnd(batch - 1, logs) === false) { this.stopped = true; break; }
        lossView = net.arena.views.f64; // the callback may have grown memory (a predict on a larger batch)
      }
    }
    return batch;
  }
}
