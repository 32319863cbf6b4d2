// Multiclass from binary classifiers. One-vs-rest: one model per class (that class against all
// others), the class with the highest score wins. One-vs-one: one model per pair of classes,
// each votes; ties are broken by the summed confidences, then by the lowest class index.

import { ModelFormatError, ValidationError } from '../errors.js';
import type { Labels } from '../data/labels.js';
import type { Matrix, MatrixLike } from '../data/matrix.js';
import { accuracy } from '../metrics/classification.js';
import {
  argmaxRows, checkOptionNames, checkX, classifierFromJSON, decodeLabels, encodeLabels, ESTIMATOR_FORMAT, ESTIMATOR_VERSION, factoryFromJSON,
  jsonClasses, notFitted, readJson, registerClassifier, requireTwoClasses, type ClassList, type Classifier, type EstimatorJSON,
  fitWeights, optClassWeight,
} from './base.js';
import type { ClassWeight } from '../data/weights.js';
import { LogisticRegression } from './linear.js';
import { DISPOSE } from '../memory/lifetime.js';

/** Makes a new, unfitted binary classifier. */
export type ClassifierFactory = () => Classifier;

export interface MulticlassOptions {
  /** The full list of classes; a label outside it is an error. */
  classes?: ClassList;
  /** Weights of the classes of the multiclass problem ('balanced', by index or by label), passed to every binary model as row weights. */
  classWeight?: ClassWeight;
}

/** Every option name (the type checks the list against MulticlassOptions). */
const MULTICLASS_OPTIONS: Record<keyof MulticlassOptions, true> = { classes: true, classWeight: true };

export interface MulticlassJSON extends EstimatorJSON {
  classes: ClassList;
  nFeatures: number;
  estimators: EstimatorJSON[];
}

/** Score of a binary sub-model for its second class (its label 1), per row. */
function binaryScores(est: Classifier, M: Matrix): Float64Array {
  const D = est.decisionFunction(M);
  const out = new Float64Array(D.rows);
  if (D.cols === 1) for (let i = 0; i < D.rows; i++) out[i] = D.data[i]!;
  else if (D.cols === 2) for (let i = 0; i < D.rows; i++) out[i] = D.data[2 * i + 1]! - D.data[2 * i]!;
  else throw new ValidationError('estimator', `a binary sub-model returned ${D.cols} decision columns, expected 1 or 2`);
  return out;
}

/** Probability of the sub-model's label 1, per row. */
function positiveProba(est: Classifier, M: Matrix): Float64Array {
  const P = est.predictProba(M);
  const cls = est.classes as number[];
  const col = cls.indexOf(1);
  const out = new Float64Array(P.rows);
  for (let i = 0; i < P.rows; i++) out[i] = col < 0 ? 0 : P.data[i * P.cols + col]!;
  return out;
}

/** Sub-model predictions as 0/1. */
function binaryPredictions(est: Classifier, M: Matrix): Uint8Array {
  const p = est.predict(M) as number[];
  return Uint8Array.from(p, (v) => (v === 1 ? 1 : 0));
}

abstract class MulticlassBase implements Classifier {
  protected classList: ClassList | undefined;
  protected nFeat: number | undefined;
  protected models: Classifier[] = [];
  /** The estimator's type name (a getter each subclass overrides, so the constructor's checks can name it). */
  protected get typeName(): string { return 'Multiclass'; }

  constructor(protected factory: ClassifierFactory | undefined, readonly options: MulticlassOptions = {}) {
    if (factory !== undefined && typeof factory !== 'function') throw new ValidationError('factory', `expected a function returning a new classifier, got ${typeof factory}`);
    checkOptionNames(options, MULTICLASS_OPTIONS, this.typeName);
  }

  get classes(): ClassList | undefined { return this.classList && (this.classList.slice() as ClassList); }
  get nFeatures(): number | undefined { return this.nFeat; }
  /** The fitted binary models. */
  get estimators(): readonly Classifier[] { return this.models; }

  protected newModel(): Classifier {
    if (!this.factory) throw new ValidationError('factory', `${this.typeName} was loaded from JSON without a factory for new sub-models; pass one to fromJSON(json, factory) to fit again`);
    const m = this.factory();
    if (!m || typeof m.fit !== 'function' || typeof m.decisionFunction !== 'function') throw new ValidationError('factory', 'must return a classifier (an object with fit, predict, decisionFunction, predictProba)');
    return m;
  }

  protected prepare(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): { M: Matrix; codes: Int32Array; K: number; weights?: Float32Array } {
    const M = checkX(X);
    const { classes, codes } = encodeLabels(y, M.rows, this.options.classes);
    requireTwoClasses(codes, classes, this.typeName);
    const weights = fitWeights(codes, classes, optClassWeight(this.options.classWeight), sampleWeight);
    this.dispose();
    this.classList = classes;
    this.nFeat = M.cols;
    return { M, codes, K: classes.length, weights };
  }

  protected input(X: MatrixLike, method: string): Matrix {
    if (!this.classList || this.models.length === 0) throw notFitted(this.typeName, method);
    return checkX(X, this.nFeat);
  }

  abstract fit(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): this;
  abstract decisionFunction(X: MatrixLike): Matrix;
  abstract predictProba(X: MatrixLike): Matrix;
  protected abstract predictCodes(M: Matrix): Int32Array;

  /** @example clf.predict(X) */
  predict(X: MatrixLike): ClassList {
    return decodeLabels(this.predictCodes(this.input(X, 'predict')), this.classList!);
  }

  /** Accuracy on (X, y). @example clf.score(XTest, yTest) */
  score(X: MatrixLike, y: Labels): number {
    return accuracy(y, this.predict(X));
  }

  /** Classes and every sub-model's JSON. @example JSON.stringify(clf.toJSON()) */
  toJSON(): MulticlassJSON {
    if (!this.classList) throw notFitted(this.typeName, 'toJSON');
    return {
      format: ESTIMATOR_FORMAT, type: this.typeName, version: ESTIMATOR_VERSION, options: {},
      classes: this.classes!, nFeatures: this.nFeat!, estimators: this.models.map((m) => m.toJSON()),
    };
  }

  protected load(j: EstimatorJSON, expected: (K: number) => number): this {
    const classes = jsonClasses(j);
    if (!classes || !Array.isArray(j.estimators)) throw new ModelFormatError(`${this.typeName} JSON: missing classes or estimators`);
    const n = expected(classes.length);
    if (j.estimators.length !== n) throw new ModelFormatError(`${this.typeName} JSON: ${j.estimators.length} estimators, expected ${n} for ${classes.length} classes`);
    const models: Classifier[] = [];
    try {
      for (const e of j.estimators as EstimatorJSON[]) models.push(classifierFromJSON(e));
    } catch (e) {
      models.forEach((m) => m.dispose());
      throw e;
    }
    this.models = models;
    this.classList = classes;
    this.nFeat = typeof j.nFeatures === 'number' ? j.nFeatures : undefined;
    if (!this.factory && n > 0) this.factory = factoryFromJSON(j.estimators[0] as EstimatorJSON);
    return this;
  }

  /** Disposes every sub-model. @example clf.dispose() */
  dispose(): void {
    for (const m of this.models) m.dispose();
    this.models = [];
  }

  /** dispose(), for `using clf = new ...`. */
  [DISPOSE](): void { this.dispose(); }
}

/**
 * One-vs-rest: one binary model per class (that class = 1, the rest = 0); predicts the class whose
 * model gives the highest decision score (the lowest class index on exact ties). Two classes: one model.
 * @example const ovr = new OneVsRestClassifier(() => new LogisticRegression()).fit(X, y); ovr.predict(X)
 */
export class OneVsRestClassifier extends MulticlassBase {
  protected override get typeName(): string { return 'OneVsRestClassifier'; }

  constructor(factory: ClassifierFactory = () => new LogisticRegression(), options: MulticlassOptions = {}) {
    super(factory, options);
  }

  /** Fits the binary models (synchronously). @example ovr.fit(X, y) */
  fit(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): this {
    const { M, codes, K, weights } = this.prepare(X, y, sampleWeight);
    const tasks = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
    for (const k of tasks) {
      const target = Int32Array.from(codes, (c) => (c === k ? 1 : 0));
      const model = this.newModel();
      this.models.push(model);
      model.fit(M, target, weights);
    }
    return this;
  }

  /** Two classes: one column (positive means classes[1]); else rows × K, one score per class. @example ovr.decisionFunction(X) */
  decisionFunction(X: MatrixLike): Matrix {
    const M = this.input(X, 'decisionFunction');
    const cols = this.models.length;
    const out = new Float32Array(M.rows * cols);
    this.models.forEach((m, k) => binaryScores(m, M).forEach((s, i) => { out[i * cols + k] = s; }));
    return { data: out, rows: M.rows, cols };
  }

  /** Each model's probability of its class, normalized over the classes. @example ovr.predictProba(X) */
  predictProba(X: MatrixLike): Matrix {
    const M = this.input(X, 'predictProba');
    const K = this.classList!.length;
    const out = new Float32Array(M.rows * K);
    if (this.models.length === 1) {
      positiveProba(this.models[0]!, M).forEach((p, i) => { out[2 * i] = 1 - p; out[2 * i + 1] = p; });
      return { data: out, rows: M.rows, cols: 2 };
    }
    const P = this.models.map((m) => positiveProba(m, M));
    for (let i = 0; i < M.rows; i++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += P[k]![i]!;
      for (let k = 0; k < K; k++) out[i * K + k] = sum > 0 ? P[k]![i]! / sum : 1 / K;
    }
    return { data: out, rows: M.rows, cols: K };
  }

  protected predictCodes(M: Matrix): Int32Array {
    if (this.models.length === 1) return Int32Array.from(binaryPredictions(this.models[0]!, M));
    const D = this.decisionFunction(M);
    return argmaxRows(D);
  }

  /** Rebuilds a saved model; `factory` (default: same type and options as the saved sub-models) is used by later fits. @example OneVsRestClassifier.fromJSON(json) */
  static fromJSON(json: unknown, factory?: ClassifierFactory): OneVsRestClassifier {
    const j = readJson(json, 'OneVsRestClassifier');
    const ovr = new OneVsRestClassifier(factory);
    if (!factory) ovr.factory = undefined;
    return ovr.load(j, (K) => (K === 2 ? 1 : K));
  }
}

/**
 * One-vs-one: one binary model per pair of classes (i < j; label 1 means class j), trained on the
 * rows of those two classes. Each model votes for one class of its pair. The class with the most
 * votes wins; a tie goes to the class with the largest summed confidence (each model's decision
 * score added to class j and subtracted from class i), then to the lowest class index.
 * @example const ovo = new OneVsOneClassifier(() => new Perceptron()).fit(X, y); ovo.predict(X)
 */
export class OneVsOneClassifier extends MulticlassBase {
  protected override get typeName(): string { return 'OneVsOneClassifier'; }
  private pairs: [number, number][] = [];

  constructor(factory: ClassifierFactory = () => new LogisticRegression(), options: MulticlassOptions = {}) {
    super(factory, options);
  }

  private static pairsOf(K: number): [number, number][] {
    const p: [number, number][] = [];
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) p.push([i, j]);
    return p;
  }

  /** Fits K(K−1)/2 binary models (synchronously). @example ovo.fit(X, y) */
  fit(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): this {
    const { M, codes, K, weights } = this.prepare(X, y, sampleWeight);
    this.pairs = OneVsOneClassifier.pairsOf(K);
    const d = M.cols;
    for (const [a, b] of this.pairs) {
      const rows: number[] = [];
      for (let r = 0; r < codes.length; r++) if (codes[r] === a || codes[r] === b) rows.push(r);
      const data = new Float32Array(rows.length * d);
      rows.forEach((r, k) => data.set(M.data.subarray(r * d, (r + 1) * d), k * d));
      const target = Int32Array.from(rows, (r) => (codes[r] === b ? 1 : 0));
      const model = this.newModel();
      this.models.push(model);
      model.fit({ data, rows: rows.length, cols: d }, target, weights && Float32Array.from(rows, (r) => weights[r]!));
    }
    return this;
  }

  private tally(M: Matrix): { votes: Int32Array; conf: Float64Array; K: number } {
    const K = this.classList!.length;
    const votes = new Int32Array(M.rows * K);
    const conf = new Float64Array(M.rows * K);
    this.models.forEach((m, p) => {
      const [a, b] = this.pairs[p]!;
      const pred = binaryPredictions(m, M);
      const s = binaryScores(m, M);
      for (let i = 0; i < M.rows; i++) {
        votes[i * K + (pred[i] ? b : a)]++;
        conf[i * K + b] += s[i]!;
        conf[i * K + a] -= s[i]!;
      }
    });
    return { votes, conf, K };
  }

  /** Votes plus the summed confidences squashed into (−1/3, 1/3), rows × K (scikit-learn's form). @example ovo.decisionFunction(X) */
  decisionFunction(X: MatrixLike): Matrix {
    const M = this.input(X, 'decisionFunction');
    const { votes, conf, K } = this.tally(M);
    const out = new Float32Array(M.rows * K);
    for (let i = 0; i < out.length; i++) out[i] = votes[i]! + conf[i]! / (3 * (Math.abs(conf[i]!) + 1));
    return { data: out, rows: M.rows, cols: K };
  }

  /** p_k = mean over the other classes j of P(k | k or j) from the pairwise models (rows sum to 1). @example ovo.predictProba(X) */
  predictProba(X: MatrixLike): Matrix {
    const M = this.input(X, 'predictProba');
    const K = this.classList!.length;
    const out = new Float32Array(M.rows * K);
    const acc = new Float64Array(M.rows * K);
    this.models.forEach((m, p) => {
      const [a, b] = this.pairs[p]!;
      positiveProba(m, M).forEach((pb, i) => { acc[i * K + b] += pb; acc[i * K + a] += 1 - pb; });
    });
    // Each of the K(K−1)/2 pairs hands out a total probability of 1.
    for (let i = 0; i < acc.length; i++) out[i] = (2 * acc[i]!) / (K * (K - 1));
    return { data: out, rows: M.rows, cols: K };
  }

  protected predictCodes(M: Matrix): Int32Array {
    const { votes, conf, K } = this.tally(M);
    const out = new Int32Array(M.rows);
    for (let i = 0; i < M.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) {
        const v = votes[i * K + k]!, vb = votes[i * K + best]!;
        if (v > vb || (v === vb && conf[i * K + k]! > conf[i * K + best]!)) best = k;
      }
      out[i] = best;
    }
    return out;
  }

  /** Rebuilds a saved model; `factory` (default: same type and options as the saved sub-models) is used by later fits. @example OneVsOneClassifier.fromJSON(json) */
  static fromJSON(json: unknown, factory?: ClassifierFactory): OneVsOneClassifier {
    const j = readJson(json, 'OneVsOneClassifier');
    const ovo = new OneVsOneClassifier(factory);
    if (!factory) ovo.factory = undefined;
    ovo.load(j, (K) => (K * (K - 1)) / 2);
    ovo.pairs = OneVsOneClassifier.pairsOf(ovo.classList!.length);
    return ovo;
  }
}

// create(): options.estimator is the factory of the binary models; the rest are MulticlassOptions.
const wrapperOptions = (o: Record<string, unknown>): [ClassifierFactory | undefined, MulticlassOptions] => {
  const { estimator, ...rest } = o;
  return [estimator as ClassifierFactory | undefined, rest as MulticlassOptions];
};
registerClassifier('OneVsRestClassifier', {
  fromJSON: (j) => OneVsRestClassifier.fromJSON(j), create: (o) => new OneVsRestClassifier(...wrapperOptions(o)),
});
registerClassifier('OneVsOneClassifier', {
  fromJSON: (j) => OneVsOneClassifier.fromJSON(j), create: (o) => new OneVsOneClassifier(...wrapperOptions(o)),
});
