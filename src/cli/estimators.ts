// --model softmax|logistic|perceptron (and --strategy ovr|ovo), built through the estimator
// registry (src/estimators/base.ts): softmax is multinomial by itself; logistic and perceptron are
// binary models made multiclass by one-vs-rest (default) or one-vs-one.

import type { Matrix } from '../data/matrix.js';
import { classifierFromJSON, createClassifier, type Classifier } from '../estimators/base.js';
import '../estimators/index.js'; // registers every estimator type
import type { History } from '../train/fit.js';
import { UsageError } from './args.js';
import type { ModelKind } from './modelfile.js';
import type { CliFit, TrainedModel, TrainSettings } from './trained.js';

function wrap(kind: ModelKind, est: Classifier, name: string, params: number): TrainedModel {
  return {
    kind,
    task: 'classification',
    predictClasses: (X: Matrix) => Int32Array.from(est.predict(X) as number[]),
    predictProba: (X: Matrix) => est.predictProba(X),
    toJSON: () => est.toJSON(),
    describe: () => ({ name, params }),
    dispose: () => est.dispose(),
  };
}

/** The registered estimator type of each --model kind and the options the CLI's settings give it. */
const KINDS: ReadonlyMap<string, { type: string; options(s: TrainSettings): Record<string, unknown> }> = new Map(Object.entries({
  softmax: { type: 'SoftmaxRegression', options: (s) => ({ ...(s.l2 > 0 ? { l2: s.l2 } : {}), maxIter: Math.max(100, s.epochs * 20) }) },
  logistic: { type: 'LogisticRegression', options: (s) => ({ ...(s.l2 > 0 ? { l2: s.l2 } : {}), maxIter: Math.max(100, s.epochs * 20) }) },
  perceptron: { type: 'Perceptron', options: (s: TrainSettings) => ({ maxIter: s.epochs, seed: s.seed, ...(s.lr !== undefined ? { learningRate: s.lr } : {}) }) },
} satisfies Record<Exclude<ModelKind, 'mlp'>, { type: string; options(s: TrainSettings): Record<string, unknown> }>));

export async function trainEstimator(
  s: TrainSettings, X: Matrix, y: Int32Array, classes: number, fit: CliFit,
): Promise<{ model: TrainedModel; history?: History }> {
  if (s.kind === 'mlp') throw new UsageError('--model mlp is a Sequential network, not an estimator');
  const kind = KINDS.get(s.kind);
  if (!kind) throw new UsageError(`--model must be one of mlp, ${[...KINDS.keys()].join(', ')}; got ${JSON.stringify(s.kind)}`);
  const classList = Array.from({ length: classes }, (_, i) => i);
  const cw = fit.classWeight ? { classWeight: Array.from(fit.classWeight as ArrayLike<number>) } : {};
  let est: Classifier;
  let name: string;
  let outputs: number;
  if (s.kind === 'softmax') {
    if (s.strategy) throw new UsageError('--strategy applies to --model logistic or perceptron (softmax regression is multiclass by itself)');
    est = createClassifier(kind.type, { ...kind.options(s), ...cw, classes: classList });
    name = 'SoftmaxRegression (L-BFGS)';
    outputs = classes;
  } else if (classes > 2) {
    const ovo = s.strategy === 'ovo';
    outputs = ovo ? (classes * (classes - 1)) / 2 : classes;
    est = createClassifier(ovo ? 'OneVsOneClassifier' : 'OneVsRestClassifier', {
      estimator: () => createClassifier(kind.type, kind.options(s)), classes: classList, ...cw,
    });
    name = `${ovo ? 'one-vs-one' : 'one-vs-rest'} ${kind.type} (${outputs} binary models)`;
  } else {
    est = createClassifier(kind.type, { ...kind.options(s), ...cw });
    name = kind.type;
    outputs = 1;
  }
  est.fit(X, y);
  return { model: wrap(s.kind, est, name, outputs * (X.cols + 1)) };
}

export async function restoreEstimator(kind: ModelKind, json: unknown): Promise<TrainedModel> {
  const type = (json as { type?: unknown } | null)?.type;
  let est: Classifier;
  try {
    est = classifierFromJSON(json);
  } catch (e) {
    if (!/^unknown estimator type/.test((e as Error).message)) throw e;
    throw new UsageError(`the model file holds an estimator of type ${JSON.stringify(type)}, which this simdnet cannot load`);
  }
  return wrap(kind, est, String(type), 0);
}
