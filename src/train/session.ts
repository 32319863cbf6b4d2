// A training session: a network, the optimizer that owns its state, and the settings compile()
// chose (loss, optimizer spec, L2). The fit loop, evaluation and gradient checks work on a session;
// Sequential holds one once compiled.

import type { Matrix } from '../data/matrix.js';
import { ValidationError } from '../errors.js';
import type { ActivationName } from '../nn/activations.js';
import type { Network } from '../nn/network.js';
import { restoreState, snapshotState } from '../nn/params.js';
import type { StoredCompile } from '../nn/serialize.js';
import {
  accuracyRule, defaultLoss, isLossName, L2_SCALES, LOSSES, lossRecord, REDUCTIONS,
  type AccuracyRule, type L2Scale, type LossName, type OutputMode, type Reduction,
} from '../nn/losses.js';
import { toTargets, type Targets, type TargetsLike } from '../nn/targets.js';
import { OptimizerRuntime } from './optimizer-runtime.js';
import { resolveOptimizer, type OptimizerName, type OptimizerSpec } from './optimizers.js';

export type { L2Scale, Reduction };

export interface CompileOptions {
  /** Default: categoricalCrossentropy for softmax outputs, binaryCrossentropy for sigmoid, else squaredError
   *  (Σ over the outputs of (ŷ − y)²; 'meanSquaredError' is the same loss under its former name). */
  loss?: LossName;
  /** An optimizer (adam({...})) or its name with defaults. Default 'adam'. */
  optimizer?: OptimizerSpec | OptimizerName;
  /** L2 penalty (λ/2m)·ΣW² on weights only (never biases). Default 0. */
  l2?: number;
  /** The m of the L2 term in a training step: 'batch' (default) — the step's rows, as scikit-learn's MLP;
   *  'dataset' — the training rows, the notes' J(Θ) = (1/m)·Σ loss + (λ/2m)·ΣΘ², so that history.loss equals
   *  evaluate(X, y) on unchanged weights and the batch size does not change the regularization. */
  l2Scale?: L2Scale;
  /** 'mean' (default): J = (1/m)·Σ_i loss_i + (λ/2m)·ΣW²; 'sum': J = Σ_i loss_i + (λ/2)·ΣW², m times the mean
   *  (so are its gradients: scale the learning rate by 1/m). */
  reduction?: Reduction;
}

/** What compile() settled on. */
export interface CompiledSettings {
  loss: LossName;
  optimizer: OptimizerSpec;
  /** L2 strength λ of the penalty (λ/2m)·ΣW². */
  l2: number;
  /** Which m the L2 term of a training step uses (see CompileOptions.l2Scale). */
  l2Scale: L2Scale;
  /** The mean or the sum of the row losses (see CompileOptions.reduction). */
  reduction: Reduction;
}

/** The compile settings as a model file or a checkpoint stores them: l2Scale and reduction only when not the
 *  default, so files of models compiled without them stay byte for byte what they were. */
export function storedCompile(c: Readonly<CompiledSettings>): StoredCompile {
  return {
    loss: c.loss, optimizer: c.optimizer, l2: c.l2,
    ...(c.l2Scale !== 'batch' ? { l2Scale: c.l2Scale } : {}), ...(c.reduction !== 'mean' ? { reduction: c.reduction } : {}),
  };
}

function oneOf<T extends string>(arg: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ValidationError(arg, `expected ${choices.map((c) => `'${c}'`).join(' or ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** compile()'s options checked against the output activation, defaults filled in. */
export function resolveCompile(options: CompileOptions, act: ActivationName): CompiledSettings {
  if (!options || typeof options !== 'object') throw new ValidationError('options', `expected compile options, got ${String(options)}`);
  const loss = options.loss ?? defaultLoss(act);
  if (!isLossName(loss)) throw new ValidationError('loss', `unknown loss ${JSON.stringify(loss)}; expected one of ${LOSSES.join(', ')}`);
  const rec = lossRecord(loss);
  if (rec.output && act !== rec.output) {
    throw new ValidationError('loss', `${loss} needs a ${rec.output} output layer, the last layer has ${act}`);
  }
  if (rec.rejects?.includes(act)) {
    throw new ValidationError('loss', `${loss} with a ${act} output is not supported; use ${defaultLoss(act)}`);
  }
  const l2 = options.l2 ?? 0;
  if (typeof l2 !== 'number' || !(l2 >= 0) || !Number.isFinite(l2)) throw new ValidationError('l2', `expected a number ≥ 0, got ${String(l2)}`);
  const l2Scale = oneOf('l2Scale', options.l2Scale, L2_SCALES, 'batch');
  const reduction = oneOf('reduction', options.reduction, REDUCTIONS, 'mean');
  return { loss, optimizer: resolveOptimizer(options.optimizer), l2, l2Scale, reduction };
}

export interface Evaluation { loss: number; accuracy?: number }

export class TrainingSession {
  readonly optimizer: OptimizerRuntime;
  /** How the network computes the loss (from the loss and the output activation). */
  readonly mode: OutputMode;

  constructor(readonly net: Network, readonly settings: Readonly<CompiledSettings>) {
    this.mode = net.outputMode(settings.loss);
    this.optimizer = new OptimizerRuntime(settings.optimizer, net.k, net.arena, net.params,
      { ptr: net.paramBlock, gradPtr: net.gradBlock, floats: net.paramBlockFloats });
    net.l2 = settings.l2;
    net.l2Dataset = settings.l2Scale === 'dataset';
    net.sumLoss = settings.reduction === 'sum';
  }

  /** The target matrix for y (validated against the loss and the output size). */
  targets(y: TargetsLike, rows: number, arg = 'y'): Targets {
    return toTargets(y, rows, this.net.outputSize, this.settings.loss, arg);
  }

  /** How accuracy is counted on targets Y (undefined: regression, no accuracy); see accuracyRule. */
  accuracyRule(Y: Matrix): AccuracyRule | undefined {
    return accuracyRule(this.settings.loss, Y);
  }

  /** J (with the L2 term) of all of M as one set, (1/m)·Σ loss_i + (λ/2m)·ΣW² with m = M.rows (or the sum form,
   *  Σ loss_i + (λ/2)·ΣW²), and for classifiers the accuracy; in inference mode, in chunks of batchSize rows. */
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
    const sum = this.settings.reduction === 'sum';
    const loss = (sum ? lossSum : lossSum / M.rows) + net.l2Penalty(this.settings.l2, sum ? 1 : M.rows);
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
      net.addL2(M.rows, M.rows);
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
