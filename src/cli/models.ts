// The models the CLI trains behind one small interface: a Sequential MLP (--model mlp), and the
// estimators (softmax, logistic, perceptron; --strategy ovr|ovo) when they are available.

import type { Matrix } from '../data/matrix.js';
import { dense, dropout, batchNorm, type LayerSpec } from '../nn/layers.js';
import { Sequential } from '../nn/sequential.js';
import type { ActivationName } from '../nn/activations.js';
import { adam, adagrad, adamw, momentum, nesterov, rmsprop, sgd, type OptimizerName, type OptimizerSpec } from '../train/optimizers.js';
import type { FitOptions, History } from '../train/fit.js';
import type { ModelDescription } from '../report/report.js';
import type { ModelKind } from './modelfile.js';
import { UsageError } from './args.js';

export interface TrainedModel {
  kind: ModelKind;
  /** Class index 0..k−1 per row of (preprocessed) X. */
  predictClasses(X: Matrix): Int32Array;
  /** Class probabilities (rows × k), when the model has them. */
  predictProba?(X: Matrix): Matrix;
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
  seed: number;
}

export function optimizerSpec(name: OptimizerName, lr: number | undefined): OptimizerSpec {
  const o = lr === undefined ? {} : { learningRate: lr };
  switch (name) {
    case 'sgd': return sgd(o);
    case 'momentum': return momentum(o);
    case 'nesterov': return nesterov(o);
    case 'adam': return adam(o);
    case 'adamw': return adamw(o);
    case 'rmsprop': return rmsprop(o);
    case 'adagrad': return adagrad(o);
  }
}

function sequentialModel(net: Sequential): TrainedModel {
  return {
    kind: 'mlp',
    predictClasses: (X) => net.predictClasses(X),
    predictProba: (X) => net.predict(X),
    toJSON: () => net.toJSON(),
    describe: () => net,
    dispose: () => net.dispose(),
  };
}

export function buildLayers(s: TrainSettings, classes: number): LayerSpec[] {
  const layers: LayerSpec[] = [];
  for (const units of s.hidden) {
    layers.push(dense(units, { activation: s.activation }));
    if (s.batchNorm) layers.push(batchNorm());
    if (s.dropout > 0) layers.push(dropout(s.dropout));
  }
  layers.push(dense(classes, { activation: 'softmax' }));
  return layers;
}

/** Trains the model `s.kind` on preprocessed X and class indices y. */
export async function trainModel(
  s: TrainSettings, X: Matrix, y: Int32Array, classes: number, fit: Pick<FitOptions, 'callbacks' | 'diagnostics'>,
): Promise<{ model: TrainedModel; history?: History }> {
  if (classes < 2) throw new UsageError(`the data has ${classes} class; classification needs at least 2`);
  if (s.kind !== 'mlp') {
    const { trainEstimator } = await import('./estimators.js');
    return trainEstimator(s, X, y, classes, fit);
  }
  const net = new Sequential({ inputSize: X.cols, seed: s.seed, layers: buildLayers(s, classes) });
  net.compile({ loss: 'categoricalCrossentropy', optimizer: optimizerSpec(s.optimizer, s.lr), l2: s.l2 });
  const history = await net.fit(X, y, {
    epochs: s.epochs,
    batchSize: s.batchSize,
    validationSplit: s.validationSplit > 0 ? s.validationSplit : undefined,
    seed: s.seed,
    callbacks: fit.callbacks,
    diagnostics: fit.diagnostics,
  });
  return { model: sequentialModel(net), history };
}

/** Rebuilds a trained model from a model file's `model` entry. */
export async function restoreModel(kind: ModelKind, json: unknown): Promise<TrainedModel> {
  if (kind === 'mlp') return sequentialModel(Sequential.fromJSON(json));
  const { restoreEstimator } = await import('./estimators.js');
  return restoreEstimator(kind, json);
}
