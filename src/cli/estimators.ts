// --model softmax|logistic|perceptron (and --strategy ovr|ovo) through src/estimators/.
// softmax is multinomial by itself; logistic and perceptron are binary models made multiclass
// by one-vs-rest (default) or one-vs-one.

import type { Matrix } from '../data/matrix.js';
import { LogisticRegression, SoftmaxRegression } from '../estimators/linear.js';
import { OneVsOneClassifier, OneVsRestClassifier } from '../estimators/multiclass.js';
import { Perceptron } from '../estimators/perceptron.js';
import type { Classifier } from '../estimators/base.js';
import type { History } from '../train/fit.js';
import { UsageError } from './args.js';
import type { ModelKind } from './modelfile.js';
import type { CliFit, TrainedModel, TrainSettings } from './models.js';

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

export async function trainEstimator(
  s: TrainSettings, X: Matrix, y: Int32Array, classes: number, fit: CliFit,
): Promise<{ model: TrainedModel; history?: History }> {
  const classList = Array.from({ length: classes }, (_, i) => i);
  const l2 = s.l2 > 0 ? { l2: s.l2 } : {};
  const cw = fit.classWeight ? { classWeight: Array.from(fit.classWeight as ArrayLike<number>) } : {};
  const base = (): Classifier => {
    if (s.kind === 'logistic') return new LogisticRegression({ ...l2, maxIter: Math.max(100, s.epochs * 20) });
    return new Perceptron({ maxIter: s.epochs, seed: s.seed, ...(s.lr !== undefined ? { learningRate: s.lr } : {}) });
  };
  let est: Classifier;
  let name: string;
  if (s.kind === 'softmax') {
    if (s.strategy) throw new UsageError('--strategy applies to --model logistic or perceptron (softmax regression is multiclass by itself)');
    est = new SoftmaxRegression({ ...l2, ...cw, classes: classList, maxIter: Math.max(100, s.epochs * 20) });
    name = 'SoftmaxRegression (L-BFGS)';
  } else if (classes > 2) {
    const strategy = s.strategy ?? 'ovr';
    est = strategy === 'ovo' ? new OneVsOneClassifier(base, { classes: classList, ...cw }) : new OneVsRestClassifier(base, { classes: classList, ...cw });
    name = `${strategy === 'ovo' ? 'one-vs-one' : 'one-vs-rest'} ${s.kind === 'logistic' ? 'LogisticRegression' : 'Perceptron'} (${strategy === 'ovo' ? (classes * (classes - 1)) / 2 : classes} binary models)`;
  } else {
    est = s.kind === 'logistic' ? new LogisticRegression({ ...l2, ...cw, maxIter: Math.max(100, s.epochs * 20) })
      : new Perceptron({ maxIter: s.epochs, seed: s.seed, ...cw, ...(s.lr !== undefined ? { learningRate: s.lr } : {}) });
    name = s.kind === 'logistic' ? 'LogisticRegression' : 'Perceptron';
  }
  est.fit(X, y);
  const outputs = s.kind === 'softmax' ? classes : classes > 2 ? (s.strategy === 'ovo' ? (classes * (classes - 1)) / 2 : classes) : 1;
  return { model: wrap(s.kind, est, name, outputs * (X.cols + 1)) };
}

export async function restoreEstimator(kind: ModelKind, json: unknown): Promise<TrainedModel> {
  const type = (json as { type?: unknown } | null)?.type;
  let est: Classifier;
  switch (type) {
    case 'SoftmaxRegression': est = SoftmaxRegression.fromJSON(json); break;
    case 'LogisticRegression': est = LogisticRegression.fromJSON(json); break;
    case 'Perceptron': est = Perceptron.fromJSON(json); break;
    case 'OneVsRestClassifier': est = OneVsRestClassifier.fromJSON(json); break;
    case 'OneVsOneClassifier': est = OneVsOneClassifier.fromJSON(json); break;
    default: throw new UsageError(`the model file holds an estimator of type ${JSON.stringify(type)}, which this simdnet cannot load`);
  }
  return wrap(kind, est, String(type), 0);
}
