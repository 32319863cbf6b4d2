// What the CLI's commands hold of a model, whichever kind trained it: the trained-model interface
// (a Sequential MLP or an estimator behind it), the training settings and the fit hooks.

import type { Matrix } from '../data/matrix.js';
import type { ActivationName } from '../nn/activations.js';
import type { Sequential } from '../nn/sequential.js';
import type { ModelDescription } from '../report/report.js';
import type { FitOptions } from '../train/fit.js';
import type { OptimizerName } from '../train/optimizers.js';
import type { ModelKind } from './modelfile.js';

export interface TrainedModel {
  kind: ModelKind;
  task: 'classification' | 'regression';
  /** Class index 0..k−1 per row of (preprocessed) X. */
  predictClasses(X: Matrix): Int32Array;
  /** Class probabilities (rows × k), when the model has them. */
  predictProba?(X: Matrix): Matrix;
  /** Regression: the (scaled) prediction per row. */
  predictValues?(X: Matrix): Float32Array;
  toJSON(): unknown;
  /** What the report's summary shows. */
  describe(): Sequential | ModelDescription;
  dispose(): void;
}

export interface TrainSettings {
  kind: ModelKind;
  strategy?: 'ovr' | 'ovo';
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  lr?: number;
  epochs: number;
  batchSize: number;
  l2: number;
  dropout: number;
  batchNorm: boolean;
  validationSplit: number;
  /** Patience of early stopping (best weights kept), when given. */
  earlyStopping?: number;
  seed: number;
}

export type CliFit = Pick<FitOptions, 'callbacks' | 'diagnostics' | 'classWeight' | 'checkpoint' | 'resumeFrom' | 'trajectory'>;
