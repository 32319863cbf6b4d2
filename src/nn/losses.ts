// The loss table: one record per loss of the public API — the output activation it is fused
// with, how predictions are scored for accuracy, and how the network computes it (the output
// mode). LOSSES, compile()'s checks and defaults, and the accuracy counts read it.

import type { ActivationName } from './activations.js';

/**
 * How Network computes a loss from the output layer:
 * - 'softmaxXent' / 'sigmoidBce': fused with the output activation, from the logits;
 * - 'mseIdentity': on Z itself (identity output); 'mseActivation': on f(Z), then back through f'.
 */
export type OutputMode = 'softmaxXent' | 'sigmoidBce' | 'mseIdentity' | 'mseActivation';

export interface LossRecord {
  /** The output activation this loss is fused with (required), if any. */
  readonly output?: ActivationName;
  /** Output activations this loss cannot train. */
  readonly rejects?: readonly ActivationName[];
  /** Accuracy: 'argmax' of each row against the target's argmax; 'targets': as the targets say (accuracyRule); none for regression. */
  readonly accuracy?: 'argmax' | 'targets';
  /** The output mode, given whether the output activation is the identity. */
  mode(identityOutput: boolean): OutputMode;
  /** This name is another name of that loss (kept for existing code and model files). */
  readonly aliasOf?: string;
}

export const LOSS_TABLE = {
  categoricalCrossentropy: { output: 'softmax', accuracy: 'argmax', mode: () => 'softmaxXent' },
  binaryCrossentropy: { output: 'sigmoid', accuracy: 'targets', mode: () => 'sigmoidBce' },
  // −(1/m)·Σ_i Σ_j y_ij·a_ij of log-probabilities a = log softmax(z) (PyTorch's NLLLoss after LogSoftmax): the same J
  // as categoricalCrossentropy on softmax(z), so it is computed by the same fused kernel, from the logits.
  negativeLogLikelihood: { output: 'logSoftmax', accuracy: 'argmax', mode: () => 'softmaxXent' },
  // The squared error of a row summed over its outputs, L_i = Σ_j (ŷ_ij − y_ij)² (the notes' 003 eq. L = ‖y − z‖²),
  // then reduced over the rows (compile's reduction: the mean (1/m)·Σ_i L_i, or the sum). Not the metric
  // meanSquaredError(yTrue, yPred), which also averages over the outputs: the two differ by a factor K.
  squaredError: { rejects: ['softmax', 'logSoftmax'], mode: (identity) => (identity ? 'mseIdentity' : 'mseActivation') },
  meanSquaredError: { rejects: ['softmax', 'logSoftmax'], mode: (identity) => (identity ? 'mseIdentity' : 'mseActivation'), aliasOf: 'squaredError' },
} as const satisfies Record<string, LossRecord>;

/** Losses: softmax outputs with categorical cross-entropy, logSoftmax outputs with the negative log-likelihood, sigmoid
 *  outputs with binary cross-entropy, anything else with
 *  the squared error ('meanSquaredError' is its former name, still accepted). */
export type LossName = keyof typeof LOSS_TABLE;

const BY_NAME: ReadonlyMap<string, LossRecord> = new Map(Object.entries(LOSS_TABLE));

/** Every loss compile() accepts, each once (aliases left out). @example LOSSES.includes('squaredError') // true */
export const LOSSES: readonly LossName[] = (Object.keys(LOSS_TABLE) as LossName[]).filter((n) => !(LOSS_TABLE[n] as LossRecord).aliasOf);

export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && BY_NAME.has(name);
}

export function lossRecord(name: LossName): LossRecord {
  return BY_NAME.get(name)!;
}

/** A loss over class probabilities (softmax + cross-entropy, log-softmax + NLL): its targets are class indices or one-hot rows. */
export function isCategoricalLoss(name: LossName): boolean {
  return lossRecord(name).mode(false) === 'softmaxXent';
}

/** The loss compile() picks for an output activation: the one fused with it, else the squared error. */
export function defaultLoss(output: ActivationName): LossName {
  for (const name of LOSSES) if (lossRecord(name).output === output) return name;
  return 'squaredError';
}

/** How the per-row losses become J: 'mean' J = (1/m)·Σ_i loss_i + (λ/2m)·ΣW² (the default), or 'sum'
 *  J = Σ_i loss_i + (λ/2)·ΣW² (m times the mean: the notes' 003 L = Σ_i L_i). */
export type Reduction = 'mean' | 'sum';

/** Which m the L2 term (λ/2m)·ΣW² of a training step uses: 'batch' — the step's rows (scikit-learn's MLP, and
 *  simdnet before it had the option); 'dataset' — the training set's rows, as the notes' J(Θ) over all m samples. */
export type L2Scale = 'batch' | 'dataset';

export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum'];
export const L2_SCALES: readonly L2Scale[] = ['batch', 'dataset'];

/**
 * How accuracy is counted: 'argmax' — one prediction per row, the argmax of the outputs against the
 * target row's argmax; 'perLabel' — one per output, the hard decision 1{z ≥ 0} against target ≥ 0.5.
 */
export type AccuracyRule = 'argmax' | 'perLabel';

/**
 * The accuracy rule for a loss and its targets (rows × K): softmax outputs count the argmax; sigmoid
 * outputs count the argmax when there are K ≥ 2 outputs and every target row is one-hot (exactly one
 * 1, the rest 0: the notes' one-vs-all network), else per label (one output, or multi-hot rows);
 * regression has none.
 */
export function accuracyRule(loss: LossName, Y: { data: ArrayLike<number>; rows: number; cols: number }): AccuracyRule | undefined {
  const a = lossRecord(loss).accuracy;
  if (a === undefined) return undefined;
  if (a === 'argmax') return 'argmax';
  const K = Y.cols;
  if (K < 2 || Y.rows === 0) return 'perLabel';
  for (let i = 0; i < Y.rows; i++) {
    let ones = 0;
    for (let j = 0; j < K; j++) {
      const v = Y.data[i * K + j]!;
      if (v === 1) ones++;
      else if (v !== 0) return 'perLabel';
    }
    if (ones !== 1) return 'perLabel';
  }
  return 'argmax';
}
