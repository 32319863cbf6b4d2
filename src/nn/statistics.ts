// model.statistics(X, y?): the distribution of every layer's signals on a batch — activations,
// pre-activations, and with targets δ = ∂J/∂z, the weight, bias and input gradients — as mean,
// std, min, quartiles and max (the notes' monitoring of per-layer statistics), from a trace.

import type { MatrixLike } from '../data/matrix.js';
import { quantileSorted } from '../metrics/quantiles.js';
import type { TrainingSession } from '../train/session.js';
import type { ActivationName } from './activations.js';
import type { LayerStats } from './diagnostics.js';
import type { Network } from './network.js';
import type { TargetsLike } from './targets.js';
import { traceNetwork, type TraceOptions } from './trace.js';
import type { Precision } from './twin.js';

export type StatisticsOptions = Omit<TraceOptions, 'layout'>;

/** One layer's statistics (fields as in fit's diagnostics). */
export interface LayerStatistics {
  layer: number;
  type: string;
  activationFunction?: ActivationName;
  /** The layer's outputs a (every row and unit of the batch). */
  activation: LayerStats;
  /** Dense layers: the pre-activations z. */
  preActivation?: LayerStats;
  /** With targets, dense layers: δ = ∂J/∂z. */
  gradient?: LayerStats;
  /** With targets: ∂J/∂W (L2 included) and ∂J/∂b (dense layers). */
  weightGradient?: LayerStats;
  biasGradient?: LayerStats;
  /** With targets: ∂J/∂x, the gradient with respect to the layer's input. */
  inputGradient?: LayerStats;
  /** Fraction of units whose output is 0 for every row (dead ReLUs). */
  deadFraction: number;
}

export interface ModelStatistics {
  rows: number;
  precision: Precision;
  training: boolean;
  /** With targets: J (mean loss plus the L2 term). */
  loss?: number;
  layers: LayerStatistics[];
}

/**
 * Mean, (population) standard deviation, min, quartiles (linear interpolation, NumPy's default), max
 * and the fraction of exact zeros of a set of values; NaN statistics for no values.
 * @example summaryStats([1, 2, 3, 4]).median // 2.5
 */
export function summaryStats(values: ArrayLike<number>): LayerStats {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN, zeroFraction: NaN };
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) { sum += sorted[i]!; if (sorted[i] === 0) zeros++; }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (sorted[i]! - mean) ** 2;
  return {
    mean, std: Math.sqrt(sq / n), min: sorted[0]!, q1: quantileSorted(sorted, 0.25), median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75), max: sorted[n - 1]!, zeroFraction: zeros / n,
  };
}

export function networkStatistics(net: Network, session: TrainingSession | undefined, X: MatrixLike, y: TargetsLike | undefined, options: StatisticsOptions = {}): ModelStatistics {
  const t = traceNetwork(net, session, X, y, { ...options, layout: 'simdnet' });
  const layers = t.layers.map((l): LayerStatistics => {
    const { rows, cols, data } = l.a;
    let dead = 0;
    for (let j = 0; j < cols; j++) {
      let alive = false;
      for (let r = 0; r < rows && !alive; r++) if (data[r * cols + j] !== 0) alive = true;
      if (!alive) dead++;
    }
    const s: LayerStatistics = { layer: l.layer, type: l.type, activation: summaryStats(data), deadFraction: dead / cols };
    if (l.activation) s.activationFunction = l.activation;
    if (l.z) s.preActivation = summaryStats(l.z.data);
    if (l.delta) s.gradient = summaryStats(l.delta.data);
    if (l.dW) s.weightGradient = summaryStats(l.dW.data);
    if (l.db) s.biasGradient = summaryStats(l.db);
    if (l.dx) s.inputGradient = summaryStats(l.dx.data);
    return s;
  });
  const out: ModelStatistics = { rows: t.rows, precision: t.precision, training: t.training, layers };
  if (t.loss !== undefined) out.loss = t.loss;
  return out;
}
