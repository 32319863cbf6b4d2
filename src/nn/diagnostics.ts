// What fit({ diagnostics: true }) records per layer and epoch (each layer produces its own
// through the layer protocol's diagnose(); the fit loop supplies the measuring probe).

/** Summary of a set of values; q1, median and q3 are quantiles (linear interpolation, NumPy's default), so they lie in [min, max]. */
export interface LayerStats { mean: number; std: number; min: number; q1: number; median: number; q3: number; max: number; zeroFraction: number }

export interface LayerDiagnostics {
  layer: number;
  /** Output of the layer (after its activation) on the last batch of the epoch. */
  activation: LayerStats;
  /** Its pre-activation z on that batch. */
  preActivation: LayerStats;
  /** dLoss/dz of the layer on that batch. */
  gradient: LayerStats;
  /** dLoss/dW (the L2 term included). */
  weightGradient: LayerStats;
  /** dLoss/db. */
  biasGradient: LayerStats;
  /** Fraction of units whose output was 0 for every sample of the batch (dead ReLUs). */
  deadFraction: number;
}

export interface EpochDiagnostics { epoch: number; layers: LayerDiagnostics[] }
