// Multi-layer perceptrons with scikit-learn's defaults, on top of Sequential: hidden dense layers,
// then a sigmoid (2 classes) or softmax output with cross-entropy, or an identity output with the
// mean squared error. Mini-batch training with Adam; stops when the training loss (or, with
// earlyStopping, the validation score) has not improved by tol for nIterNoChange epochs.

import { ModelFormatError, warnConvergence } from '../errors.js';
import type { Labels } from '../data/labels.js';
import { toMatrix, type Matrix, type MatrixLike } from '../data/matrix.js';
import { trainTestSplit } from '../data/split.js';
import { accuracy } from '../metrics/classification.js';
import { r2 } from '../metrics/regression.js';
import { checkActivation, type ActivationName } from '../nn/activations.js';
import { dense } from '../nn/layers.js';
import { Sequential, type LayerWeights } from '../nn/sequential.js';
import type { SequentialJSON } from '../nn/serialize.js';
import { resolveOptimizer, type OptimizerName, type OptimizerSpec } from '../train/optimizers.js';
import { ValidationError } from '../errors.js';
import {
  checkOptionNames, checkX, decodeLabels, encodeLabels, ESTIMATOR_FORMAT, ESTIMATOR_VERSION, fromJsonOptions, jsonClasses, notFitted,
  optBoolean, optNonNegative, optPositive, optPositiveInt, optSeed, plainOptions, readJson, registerClassifier,
  requireTwoClasses, fitWeights, optClassWeight, type ClassList, type Classifier, type EstimatorJSON,
} from './base.js';
import { sampleWeights, type ClassWeight } from '../data/weights.js';
import { DISPOSE } from '../memory/lifetime.js';

export interface MLPOptions {
  /** Units of each hidden layer. Default [100]. */
  hiddenLayers?: number[];
  /** Hidden activation. Default 'relu'. */
  activation?: ActivationName;
  /** Default 'adam' (β1 0.9, β2 0.999, ε 1e-8). */
  optimizer?: OptimizerName | OptimizerSpec;
  /** Default 1e-3 (overrides the optimizer's own). */
  learningRate?: number;
  /** Maximum epochs. Default 200. */
  maxIter?: number;
  /** Default min(200, rows). */
  batchSize?: number;
  /** λ of (λ/2m)·ΣW² per batch of m, scikit-learn's alpha. Default 1e-4. */
  l2?: number;
  /** Default 1e-4. */
  tol?: number;
  /** Default 10. */
  nIterNoChange?: number;
  /** Hold out validationFraction of the training rows (stratified for classifiers) and stop on its score. Default false. */
  earlyStopping?: boolean;
  /** Default 0.1. */
  validationFraction?: number;
  /** Default true. */
  shuffle?: boolean;
  /** Seeds initialization, shuffling and the validation split. Default 0. */
  seed?: number;
  /** Classifier only: the full list of classes; a label outside it is an error. */
  classes?: ClassList;
  /** Classifier only: weights of the classes in the loss ('balanced', by class index, or by label). */
  classWeight?: ClassWeight;
}

/** Every option name (the type checks the list against MLPOptions). */
const MLP_OPTIONS: Record<keyof MLPOptions, true> = {
  hiddenLayers: true, activation: true, optimizer: true, learningRate: true, maxIter: true, batchSize: true, l2: true, tol: true,
  nIterNoChange: true, earlyStopping: true, validationFraction: true, shuffle: true, seed: true, classes: true, classWeight: true,
};

interface Resolved {
  hiddenLayers: number[]; activation: ActivationName; optimizer: OptimizerName | OptimizerSpec; learningRate: number;
  maxIter: number; batchSize?: number; l2: number; tol: number; nIterNoChange: number; earlyStopping: boolean;
  validationFraction: number; shuffle: boolean; seed: number; classes?: ClassList; classWeight?: ClassWeight;
}

function resolve(o: MLPOptions): Resolved {
  const hidden = o.hiddenLayers ?? [100];
  if (!Array.isArray(hidden)) throw new ValidationError('hiddenLayers', `expected an array of layer sizes, got ${String(hidden)}`);
  hidden.forEach((u, i) => optPositiveInt(u, `hiddenLayers[${i}]`));
  const activation = checkActivation(o.activation ?? 'relu', 'activation');
  if (activation === 'softmax' || activation === 'step') throw new ValidationError('activation', `${activation} cannot be a hidden activation of a trained network`);
  const optimizer = o.optimizer ?? 'adam';
  resolveOptimizer(optimizer);
  const vf = o.validationFraction ?? 0.1;
  if (!(typeof vf === 'number' && vf > 0 && vf < 1)) throw new ValidationError('validationFraction', `expected a fraction in (0, 1), got ${String(vf)}`);
  const r: Resolved = {
    hiddenLayers: hidden.slice(), activation, optimizer, learningRate: optPositive(o.learningRate ?? 1e-3, 'learningRate'),
    maxIter: optPositiveInt(o.maxIter ?? 200, 'maxIter'), l2: optNonNegative(o.l2 ?? 1e-4, 'l2'),
    tol: optNonNegative(o.tol ?? 1e-4, 'tol'), nIterNoChange: optPositiveInt(o.nIterNoChange ?? 10, 'nIterNoChange'),
    earlyStopping: optBoolean(o.earlyStopping ?? false, 'earlyStopping'), validationFraction: vf,
    shuffle: optBoolean(o.shuffle ?? true, 'shuffle'), seed: optSeed(o.seed ?? 0),
  };
  if (o.batchSize !== undefined) r.batchSize = optPositiveInt(o.batchSize, 'batchSize');
  if (o.classes !== undefined) r.classes = o.classes.slice() as ClassList;
  const cw = optClassWeight(o.classWeight);
  if (cw !== undefined) r.classWeight = cw;
  return r;
}

export interface MLPJSON extends EstimatorJSON {
  options: MLPOptions;
  classes?: ClassList;
  nFeatures: number;
  model: SequentialJSON;
  lossCurve: number[];
  validationScores: number[];
  nIter: number;
}

type Task = { kind: 'classifier'; targets: Int32Array } | { kind: 'regressor'; targets: Matrix };

abstract class MLPBase {
  readonly options: Resolved;
  /** The trained network (undefined before fit). */
  model: Sequential | undefined;
  /** Mean training loss (with the L2 term) of each epoch. */
  lossCurve: number[] = [];
  /** With earlyStopping: the validation score (accuracy or R²) of each epoch. */
  validationScores: number[] = [];
  /** Epochs run by the last fit. */
  nIter = 0;
  converged = false;
  protected nFeat: number | undefined;
  /** The estimator's type name (a getter each subclass overrides, so the constructor's checks can name it). */
  protected get typeName(): string { return 'MLP'; }

  constructor(options: MLPOptions = {}) {
    checkOptionNames(options, MLP_OPTIONS, this.typeName);
    this.options = resolve(options);
  }

  get nFeatures(): number | undefined { return this.nFeat; }

  protected train(M: Matrix, task: Task, outputs: number, outActivation: ActivationName, weights?: Float32Array): void {
    const o = this.options;
    this.model?.dispose();
    this.model = undefined;
    const layers = [...o.hiddenLayers.map((u) => dense(u, { activation: o.activation, init: 'xavier' })), dense(outputs, { activation: outActivation, init: 'xavier' })];
    const model = new Sequential({ inputSize: M.cols, layers, seed: o.seed });
    try {
      model.compile({ optimizer: resolveOptimizer(o.optimizer, { learningRate: o.learningRate }), l2: o.l2 });
      let Xtr: Matrix = M;
      let ytr: Int32Array | Matrix = task.targets;
      let Xval: Matrix | undefined;
      let yval: Int32Array | Matrix | undefined;
      let wtr = weights;
      if (o.earlyStopping) {
        const idx = new Int32Array(M.rows).map((_, i) => i);
        const s = trainTestSplit(M, idx, { testSize: o.validationFraction, stratify: task.kind === 'classifier' ? task.targets : false, seed: o.seed });
        if (s.yTrain.length < 1 || s.yTest.length < 1) throw new ValidationError('validationFraction', `leaves no rows for training or validation out of ${M.rows}`);
        Xtr = s.XTrain;
        Xval = s.XTest;
        ytr = pickTargets(task, s.yTrain);
        yval = pickTargets(task, s.yTest);
        if (weights) wtr = Float32Array.from(s.yTrain, (i) => weights[i]!);
      }
      const lossCurve: number[] = [];
      const validationScores: number[] = [];
      let best = o.earlyStopping ? -Infinity : Infinity;
      let bestWeights: LayerWeights[] | undefined;
      let noImprove = 0;
      let stopped = false;
      const h = model.fitSync(Xtr, ytr as Int32Array, {
        epochs: o.maxIter, batchSize: o.batchSize ?? Math.min(200, Xtr.rows), shuffle: o.shuffle, seed: o.seed, ...(wtr ? { sampleWeight: wtr } : {}),
        callbacks: {
          onEpochEnd: (_e, logs) => {
            lossCurve.push(logs.loss);
            if (Xval && yval) {
              const score = this.validationScore(model, Xval, yval);
              validationScores.push(score);
              if (score < best + o.tol) noImprove++;
              else noImprove = 0;
              if (score > best) { best = score; bestWeights = model.getWeights(); }
            } else {
              if (logs.loss > best - o.tol) noImprove++;
              else noImprove = 0;
              best = Math.min(best, logs.loss);
            }
            if (noImprove > o.nIterNoChange) { stopped = true; return false; }
            return undefined;
          },
        },
      });
      if (bestWeights) model.setWeights(bestWeights);
      this.lossCurve = lossCurve;
      this.validationScores = validationScores;
      this.nIter = h.epoch.length;
      this.converged = stopped;
      this.nFeat = M.cols;
      this.model = model;
      if (!stopped) {
        warnConvergence(`${this.typeName} did not converge: maxIter = ${o.maxIter} epochs ended while the ${o.earlyStopping ? 'validation score' : 'training loss'} was still improving by more than tol ${o.tol}. `
          + 'Try standardizing the features (StandardScaler), raising maxIter, or a larger learningRate (a loss still falling slowly) or a smaller one (a loss that jumps about).');
      }
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  private validationScore(model: Sequential, X: Matrix, y: Int32Array | Matrix): number {
    if (y instanceof Int32Array) return accuracy(y, Array.from(model.predictClasses(X)));
    return r2(y, model.predict(X));
  }

  protected requireModel(method: string): Sequential {
    if (!this.model) throw notFitted(this.typeName, method);
    return this.model;
  }

  protected input(X: MatrixLike, method: string): { model: Sequential; M: Matrix } {
    const model = this.requireModel(method);
    return { model, M: checkX(X, this.nFeat) };
  }

  protected baseJSON(): MLPJSON {
    const model = this.requireModel('toJSON');
    return {
      format: ESTIMATOR_FORMAT, type: this.typeName, version: ESTIMATOR_VERSION, options: plainOptions(this.options) as MLPOptions,
      nFeatures: this.nFeat!, model: model.toJSON(), lossCurve: this.lossCurve.slice(), validationScores: this.validationScores.slice(), nIter: this.nIter,
    };
  }

  protected loadBase(j: EstimatorJSON): void {
    try {
      this.model = Sequential.fromJSON(j.model);
    } catch (e) {
      throw e instanceof ModelFormatError ? e : new ModelFormatError(`${this.typeName} JSON: ${(e as Error).message}`);
    }
    this.nFeat = this.model.inputSize;
    this.lossCurve = Array.isArray(j.lossCurve) ? (j.lossCurve as number[]).slice() : [];
    this.validationScores = Array.isArray(j.validationScores) ? (j.validationScores as number[]).slice() : [];
    this.nIter = typeof j.nIter === 'number' ? j.nIter : 0;
  }

  /** Frees the network's memory; the estimator can be fitted again. @example clf.dispose() */
  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
  }

  /** dispose(), for `using clf = new ...`. */
  [DISPOSE](): void { this.dispose(); }
}

function pickTargets(task: Task, idx: ArrayLike<number>): Int32Array | Matrix {
  if (task.kind === 'classifier') return Int32Array.from(idx, (i) => task.targets[i]!);
  const T = task.targets;
  const out = new Float32Array(idx.length * T.cols);
  for (let k = 0; k < idx.length; k++) out.set(T.data.subarray(idx[k]! * T.cols, (idx[k]! + 1) * T.cols), k * T.cols);
  return { data: out, rows: idx.length, cols: T.cols };
}

/**
 * A multi-layer perceptron classifier (scikit-learn's MLPClassifier defaults): hidden ReLU layers,
 * a sigmoid output for two classes or a softmax output, cross-entropy, Adam.
 * @example const clf = new MLPClassifier({ hiddenLayers: [64] }).fit(XTrain, yTrain); clf.score(XTest, yTest)
 */
export class MLPClassifier extends MLPBase implements Classifier {
  protected override get typeName(): string { return 'MLPClassifier'; }
  private classList: ClassList | undefined;

  get classes(): ClassList | undefined { return this.classList && (this.classList.slice() as ClassList); }

  /** Trains (synchronously) and returns this. @example new MLPClassifier().fit(X, y) */
  fit(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): this {
    const M = checkX(X);
    const { classes, codes } = encodeLabels(y, M.rows, this.options.classes);
    requireTwoClasses(codes, classes, 'MLPClassifier');
    const K = classes.length;
    this.classList = undefined;
    const weights = fitWeights(codes, classes, this.options.classWeight, sampleWeight);
    this.train(M, { kind: 'classifier', targets: codes }, K === 2 ? 1 : K, K === 2 ? 'sigmoid' : 'softmax', weights);
    this.classList = classes;
    return this;
  }

  /** Class probabilities, rows × K (two classes: [1 − p, p]). @example clf.predictProba(X) */
  predictProba(X: MatrixLike): Matrix {
    const { model, M } = this.input(X, 'predictProba');
    const P = model.predict(M);
    if (P.cols > 1) return P;
    const out = new Float32Array(P.rows * 2);
    for (let i = 0; i < P.rows; i++) { out[2 * i] = 1 - P.data[i]!; out[2 * i + 1] = P.data[i]!; }
    return { data: out, rows: P.rows, cols: 2 };
  }

  /** Log-odds z of classes[1] for two classes (one column: the output's logit, exactly), log-probabilities otherwise. @example clf.decisionFunction(X) */
  decisionFunction(X: MatrixLike): Matrix {
    const { model, M } = this.input(X, 'decisionFunction');
    const P = model.predict(M);
    if (P.cols === 1) return model.predictLogits(M);
    const eps = 1e-7;
    const data = new Float32Array(P.data.length);
    for (let i = 0; i < data.length; i++) {
      const p = Math.min(1 - eps, Math.max(eps, P.data[i]!));
      data[i] = P.cols === 1 ? Math.log(p / (1 - p)) : Math.log(p);
    }
    return { data, rows: P.rows, cols: P.cols };
  }

  /** @example clf.predict(X) */
  predict(X: MatrixLike): ClassList {
    const { model, M } = this.input(X, 'predict');
    // The hard decision from the logits: 1{z ≥ 0} for two classes, the argmax otherwise.
    return decodeLabels(model.predictClasses(M), this.classList!);
  }

  /** Accuracy on (X, y). @example clf.score(XTest, yTest) */
  score(X: MatrixLike, y: Labels): number {
    return accuracy(y, this.predict(X));
  }

  /** Options, classes and the network (Sequential JSON, exact weights). @example JSON.stringify(clf.toJSON()) */
  toJSON(): MLPJSON {
    return { ...this.baseJSON(), classes: this.classes! };
  }

  /** @example MLPClassifier.fromJSON(json) */
  static fromJSON(json: unknown): MLPClassifier {
    const j = readJson(json, 'MLPClassifier');
    const clf = fromJsonOptions('MLPClassifier', () => new MLPClassifier(j.options as MLPOptions));
    const classes = jsonClasses(j);
    if (!classes) throw new ModelFormatError('MLPClassifier JSON: missing classes');
    clf.loadBase(j);
    const expected = classes.length === 2 ? 1 : classes.length;
    if (clf.model!.outputSize !== expected) {
      clf.dispose();
      throw new ModelFormatError(`MLPClassifier JSON: the network has ${clf.model!.outputSize} outputs, expected ${expected} for ${classes.length} classes`);
    }
    clf.classList = classes;
    return clf;
  }
}

/** Regression targets: a vector (one output) or a rows × outputs matrix, all finite. */
function toRegressionTargets(y: unknown, rows: number): Matrix {
  if (y === undefined || y === null) throw new ValidationError('y', 'is missing');
  let T: Matrix;
  if (Array.isArray(y) && (y.length === 0 || !Array.isArray(y[0])) || ArrayBuffer.isView(y)) {
    const v = y as ArrayLike<unknown>;
    if (v.length === 0) throw new ValidationError('y', 'is empty, expected one target per row of X');
    const data = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const t = v[i];
      if (typeof t !== 'number' || !Number.isFinite(t)) throw new ValidationError('y', `y[${i}] is ${typeof t === 'string' ? JSON.stringify(t) : String(t)}, expected a finite number`);
      data[i] = t;
    }
    T = { data, rows: v.length, cols: 1 };
  } else {
    T = toMatrix(y as MatrixLike, 'y');
  }
  if (T.rows !== rows) throw new ValidationError('y', `has ${T.rows} targets, X has ${rows} rows`);
  return T;
}

/**
 * A multi-layer perceptron for regression (scikit-learn's MLPRegressor defaults): hidden ReLU
 * layers, an identity output, the mean squared error, Adam. Targets are used as given (scale them
 * yourself if they are large).
 * @example const reg = new MLPRegressor({ hiddenLayers: [32] }).fit(X, y); reg.score(X, y) // R²
 */
export class MLPRegressor extends MLPBase {
  protected override get typeName(): string { return 'MLPRegressor'; }

  /** Trains (synchronously) and returns this. @example new MLPRegressor().fit(X, y) */
  fit(X: MatrixLike, y: readonly number[] | Float32Array | Float64Array | MatrixLike, sampleWeight?: ArrayLike<number>): this {
    const M = checkX(X);
    const T = toRegressionTargets(y, M.rows);
    if (this.options.classWeight !== undefined) throw new ValidationError('classWeight', 'applies to MLPClassifier; a regressor takes sampleWeight');
    this.train(M, { kind: 'regressor', targets: T }, T.cols, 'identity', sampleWeight === undefined ? undefined : sampleWeights(undefined, M.rows, undefined, sampleWeight));
    return this;
  }

  /** Predictions: a number per row for one output, else one array per row. @example reg.predict(X) */
  predict(X: MatrixLike): number[] | number[][] {
    const { model, M } = this.input(X, 'predict');
    const P = model.predict(M);
    if (P.cols === 1) return Array.from(P.data);
    return Array.from({ length: P.rows }, (_, i) => Array.from(P.data.subarray(i * P.cols, (i + 1) * P.cols)));
  }

  /** R² on (X, y) (averaged over outputs). @example reg.score(XTest, yTest) */
  score(X: MatrixLike, y: readonly number[] | Float32Array | Float64Array | MatrixLike): number {
    const { model, M } = this.input(X, 'score');
    const T = toRegressionTargets(y, M.rows);
    return r2(T, model.predict(M));
  }

  /** @example JSON.stringify(reg.toJSON()) */
  toJSON(): MLPJSON {
    return this.baseJSON();
  }

  /** @example MLPRegressor.fromJSON(json) */
  static fromJSON(json: unknown): MLPRegressor {
    const j = readJson(json, 'MLPRegressor');
    const reg = fromJsonOptions('MLPRegressor', () => new MLPRegressor(j.options as MLPOptions));
    reg.loadBase(j);
    return reg;
  }
}

registerClassifier('MLPClassifier', { fromJSON: (j) => MLPClassifier.fromJSON(j), create: (o) => new MLPClassifier(o as MLPOptions) });
