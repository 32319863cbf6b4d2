// A training session: a network, the optimizer that owns its state, and the settings compile()
// chose (loss, optimizer spec, L2). The fit loop, evaluation and gradient checks work on a session;
// Sequential holds one once compiled.

import type { Matrix } from '../data/matrix.js';
import type { Network } from '../nn/network.js';
import { restoreState, snapshotState } from '../nn/params.js';
import { accuracyRule, type AccuracyRule, type LossName, type OutputMode } from '../nn/losses.js';
import { toTargets, type Targets, type TargetsLike } from '../nn/targets.js';
import { OptimizerRuntime } from './optimizer-runtime.js';
import type { OptimizerSpec } from './optimizers.js';

/** What compile() settled on. */
export interface CompiledSettings {
  loss: LossName;
  optimizer: OptimizerSpec;
  /** L2 strength λ of the penalty (λ/2m)·ΣW². */
  l2: number;
}

export interface Evaluation { loss: number; accuracy?: number }

export class TrainingSession {
  readonly optimizer: OptimizerRuntime;
  /** How the network computes the loss (from the loss and the output activation). */
  readonly mode: OutputMode;

  constructor(readonly net: Network, readonly settings: Readonly<CompiledSettings>) {
    this.mode = net.outputMode(settings.loss);
    this.optimizer = new OptimizerRuntime(settings.optimizer, net.k, net.arena, net.params);
    net.l2 = settings.l2;
  }

  /** The target matrix for y (validated against the loss and the output size). */
  targets(y: TargetsLike, rows: number, arg = 'y'): Targets {
    return toTargets(y, rows, this.net.outputSize, this.settings.loss, arg);
  }

  /** How accuracy is counted on targets Y (undefined: regression, no accuracy); see accuracyRule. */
  accuracyRule(Y: Matrix): AccuracyRule | undefined {
    return accuracyRule(this.settings.loss, Y);
  }

  /** Loss (with the L2 term) and, for classifiers, accuracy, on validated inputs, in chunks of batchSize rows. */
  evaluate(M: Matrix, T: Targets, batchSize = 1024): Evaluation {
    const { net, mode } = this;
    const rule = this.accuracyRule(T.Y);
    const chunk = Math.min(M.rows, Math.max(1, batchSize));
    net.ensureCapacity(chunk);
    const K = net.outputSize;
    const d = net.inputSize;
    let lossSum = 0;
    let correct = 0;
    let compared = 0;
    for (let start = 0; start < M.rows; start += chunk) {
      const m = Math.min(chunk, M.rows - start);
      const f32 = net.arena.views.f32;
      f32.set(M.data.subarray(start * d, (start + m) * d), net.inPtr >>> 2);
      f32.set(T.Y.data.subarray(start * K, (start + m) * K), net.dOutPtr >>> 2);
      const outPtr = net.forwardInfer(net.inPtr, m);
      lossSum += net.inferLoss(outPtr, net.dOutPtr, m, mode) * m;
      correct += net.countCorrect(net.dOutPtr, m, rule);
      compared += net.compared(m, rule);
    }
    const loss = lossSum / M.rows + net.l2Penalty(this.settings.l2, M.rows);
    return rule === undefined ? { loss } : { loss, accuracy: correct / compared };
  }

  /**
   * Loss J (with L2) of M, T as one batch in training mode, its gradient left in the network's
   * gradient block; running statistics (and the random stream unless keepRng) are restored.
   * `inspect` runs after the pass, while its inputs are still in the arena (trace reads the layers).
   */
  lossAndGradients(M: Matrix, T: Targets, rowWeights?: Float32Array, keepRng = false, inspect?: () => void): number {
    const { net } = this;
    net.assertTrainable();
    net.ensureCapacity(M.rows);
    const { arena } = net;
    const xPtr = arena.alloc(M.data.length * 4);
    const yPtr = arena.alloc(T.Y.data.length * 4);
    const wPtr = rowWeights ? arena.alloc(M.rows * 4) : 0;
    try {
      arena.views.f32.set(M.data, xPtr >>> 2);
      arena.views.f32.set(T.Y.data, yPtr >>> 2);
      if (rowWeights) arena.views.f32.set(rowWeights, wPtr >>> 2);
      const before = snapshotState(net);
      net.trainStep(xPtr, yPtr, M.rows, this.mode, wPtr);
      net.addL2(M.rows);
      const loss = net.stepLoss;
      inspect?.();
      restoreState(net, before, keepRng);
      return loss;
    } finally {
      arena.free(xPtr);
      arena.free(yPtr);
      if (wPtr) arena.free(wPtr);
    }
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
