// --model softmax|logistic|perceptron (and --strategy ovr|ovo) through src/estimators/.
// Until those land, these kinds report that they are not available in this build.

import type { Matrix } from '../data/matrix.js';
import type { FitOptions, History } from '../train/fit.js';
import { UsageError } from './args.js';
import type { ModelKind } from './modelfile.js';
import type { TrainedModel, TrainSettings } from './models.js';

export async function trainEstimator(
  s: TrainSettings, _X: Matrix, _y: Int32Array, _classes: number, _fit: Pick<FitOptions, 'callbacks' | 'diagnostics'>,
): Promise<{ model: TrainedModel; history?: History }> {
  throw new UsageError(`--model ${s.kind} needs the estimators, which this build does not have yet; use --model mlp`);
}

export async function restoreEstimator(kind: ModelKind, _json: unknown): Promise<TrainedModel> {
  throw new UsageError(`this model file holds a ${kind} estimator, which this build cannot load yet`);
}
