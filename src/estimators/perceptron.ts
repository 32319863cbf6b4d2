// The perceptron of the lecture notes: h = step(θᵀx) with step(z) = 1 for z ≥ 0, trained one
// sample at a time by θ ← θ + α(y − h)x (y, h ∈ {0, 1}; x carries a constant 1 for the intercept),
// in epochs over the shuffled (seeded) data. Per-sample and tiny, so it runs in float64 TS.
// Several classes: one binary perceptron per class (one-vs-rest, as scikit-learn), the class
// with the largest score θ_kᵀx wins.

import { warnConvergence, ModelFormatError, ValidationError } from '../errors.js';
import type { Labels } from '../data/labels.js';
import type { Matrix, MatrixLike } from '../data/matrix.js';
import { accuracy } from '../metrics/classification.js';
import { Rng } from '../rng.js';
import {
  argmaxRows, checkOptionNames, checkX, decodeLabels, encodeLabels, ESTIMATOR_FORMAT, ESTIMATOR_VERSION, fromJsonOptions, jsonClasses,
  jsonNumbers, notFitted, optBoolean, optPositive, optPositiveInt, optNonNegative, optSeed, plainOptions, readJson,
  registerClassifier, requireTwoClasses, fitWeights, optClassWeight, type ClassList, type Classifier, type EstimatorJSON,
} from './base.js';
import type { ClassWeight } from '../data/weights.js';
import { DISPOSE } from '../memory/lifetime.js';

export interface PerceptronOptions {
  /** α of the update rule. Default 1 (with θ starting at 0 it only scales θ). */
  learningRate?: number;
  /** Maximum number of epochs. Default 1000. */
  maxIter?: number;
  /**
   * When training stops besides an epoch without a mistake (which always ends it) and maxIter:
   * - 'lossPlateau' (default, scikit-learn's rule): also when the epoch's mean perceptron loss
   *   mean(max(0, −(2y−1)·θᵀx)) has not improved by `tol` for `nIterNoChange` epochs;
   * - 'noMistakes' (the lecture notes' rule): only after an epoch without a mistake, or at maxIter.
   */
  stoppingRule?: PerceptronStoppingRule;
  /** The 'lossPlateau' rule's tolerance. Default 1e-3; 0 turns the rule off (= 'noMistakes'). */
  tol?: number;
  /** The 'lossPlateau' rule's patience. Default 5. */
  nIterNoChange?: number;
  /** Visit the samples in a new seeded random order each epoch. Default true. */
  shuffle?: boolean;
  /** Default 0. */
  seed?: number;
  /** The full list of classes, when y may not show all of them; a label outside it is an error. */
  classes?: ClassList;
  /** Weights of the classes: a mistake on a row moves θ by α·w·(y − h)·x. 'balanced', by class index, or by label. */
  classWeight?: ClassWeight;
}

/** 'lossPlateau': scikit-learn's tol rule (default); 'noMistakes': the lecture notes' rule, only a clean epoch stops. */
export type PerceptronStoppingRule = 'lossPlateau' | 'noMistakes';

const STOPPING_RULES: readonly PerceptronStoppingRule[] = ['lossPlateau', 'noMistakes'];

/** Every option name (the type checks the list against PerceptronOptions). */
const PERCEPTRON_OPTIONS: Record<keyof PerceptronOptions, true> = {
  learningRate: true, maxIter: true, stoppingRule: true, tol: true, nIterNoChange: true, shuffle: true, seed: true, classes: true, classWeight: true,
};

interface Resolved { learningRate: number; maxIter: number; stoppingRule: PerceptronStoppingRule; tol: number; nIterNoChange: number; shuffle: boolean; seed: number; classes?: ClassList; classWeight?: ClassWeight }

export interface PerceptronJSON extends EstimatorJSON {
  options: PerceptronOptions;
  classes: ClassList;
  nFeatures: number;
  coef: number[][];
  intercept: number[];
  nIter: number;
}

/**
 * The perceptron h = step(θᵀx), trained by θ ← θ + α(y − h)x. Stops after an epoch without a
 * mistake (then `converged` is true), when the loss stops improving (stoppingRule 'lossPlateau':
 * tol, nIterNoChange), or after maxIter epochs. Stopping with mistakes left leaves `converged`
 * false and emits a convergence warning naming the mistakes of the last epoch: the classes are
 * not linearly separable, or need more epochs.
 * @example const p = new Perceptron({ seed: 1 }).fit([[0, 0], [1, 1]], [0, 1]); p.predict([[2, 2]])
 */
export class Perceptron implements Classifier {
  readonly options: Resolved;
  private classList: ClassList | undefined;
  private W: Float64Array | undefined;
  private b: Float64Array | undefined;
  private outputs = 0;
  private nFeat: number | undefined;
  /** Epochs the last fit ran (the most over the one-vs-rest perceptrons). */
  nIter = 0;
  /** True when every binary perceptron ended with an epoch without a mistake (the training data is separated). */
  converged = false;
  /** Mistakes each binary perceptron made in its last epoch (one entry for two classes, one per class otherwise). */
  lastEpochMistakes: number[] = [];

  constructor(options: PerceptronOptions = {}) {
    checkOptionNames(options, PERCEPTRON_OPTIONS, 'Perceptron');
    const stoppingRule = options.stoppingRule ?? 'lossPlateau';
    if (!STOPPING_RULES.includes(stoppingRule)) {
      throw new ValidationError('stoppingRule', `expected ${STOPPING_RULES.map((r) => `'${r}'`).join(' or ')}, got ${JSON.stringify(stoppingRule)}`);
    }
    if (stoppingRule === 'noMistakes') {
      for (const name of ['tol', 'nIterNoChange'] as const) {
        if (options[name] !== undefined) throw new ValidationError(name, `belongs to stoppingRule 'lossPlateau'; with 'noMistakes' only an epoch without a mistake (or maxIter) stops training`);
      }
    }
    this.options = {
      learningRate: optPositive(options.learningRate ?? 1, 'learningRate'),
      maxIter: optPositiveInt(options.maxIter ?? 1000, 'maxIter'),
      stoppingRule,
      tol: stoppingRule === 'noMistakes' ? 0 : optNonNegative(options.tol ?? 1e-3, 'tol'),
      nIterNoChange: optPositiveInt(options.nIterNoChange ?? 5, 'nIterNoChange'),
      shuffle: optBoolean(options.shuffle ?? true, 'shuffle'),
      seed: optSeed(options.seed ?? 0),
    };
    if (options.classes !== undefined) this.options.classes = options.classes.slice() as ClassList;
    const cw = optClassWeight(options.classWeight);
    if (cw !== undefined) this.options.classWeight = cw;
  }

  get classes(): ClassList | undefined { return this.classList && (this.classList.slice() as ClassList); }
  get nFeatures(): number | undefined { return this.nFeat; }
  /** θ without the intercept, one row per binary perceptron. */
  get coef(): number[][] | undefined {
    const W = this.W;
    if (!W) return undefined;
    const d = this.nFeat!;
    return Array.from({ length: this.outputs }, (_, k) => Array.from(W.subarray(k * d, (k + 1) * d)));
  }
  get intercept(): number[] | undefined { return this.b && Array.from(this.b); }

  /** Trains (synchronously) and returns this. @example new Perceptron().fit(X, y) */
  fit(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): this {
    const M = checkX(X);
    const { classes, codes } = encodeLabels(y, M.rows, this.options.classes);
    requireTwoClasses(codes, classes, 'Perceptron');
    const weights = fitWeights(codes, classes, this.options.classWeight, sampleWeight);
    const K = classes.length;
    const out = K === 2 ? 1 : K;
    const d = M.cols;
    const W = new Float64Array(out * d);
    const b = new Float64Array(out);
    const seeds = new Rng(this.options.seed);
    let nIter = 0;
    const stuck: { k: number; mistakes: number; epochs: number; plateau: boolean }[] = [];
    const mistakes: number[] = [];
    for (let k = 0; k < out; k++) {
      const positive = out === 1 ? 1 : k;
      const target = new Uint8Array(M.rows);
      for (let i = 0; i < M.rows; i++) target[i] = codes[i] === positive ? 1 : 0;
      const r = this.trainBinary(M, target, W.subarray(k * d, (k + 1) * d), b, k, seeds.int(2 ** 31), weights);
      nIter = Math.max(nIter, r.epochs);
      mistakes.push(r.mistakes);
      if (r.mistakes > 0) stuck.push({ k, ...r });
    }
    this.W = W;
    this.b = b;
    this.classList = classes;
    this.outputs = out;
    this.nFeat = d;
    this.nIter = nIter;
    this.lastEpochMistakes = mistakes;
    this.converged = stuck.length === 0;
    if (!this.converged) warnConvergence(this.stuckMessage(stuck, classes, M.rows));
    return this;
  }

  /** "Perceptron did not converge: …" with the last epoch's mistakes of each binary perceptron that has some. */
  private stuckMessage(stuck: readonly { k: number; mistakes: number; epochs: number; plateau: boolean }[], classes: ClassList, n: number): string {
    const { maxIter, tol, nIterNoChange } = this.options;
    const why = (s: { mistakes: number; epochs: number; plateau: boolean }) => `${s.plateau
      ? `stopped after ${s.epochs} epoch${s.epochs === 1 ? '' : 's'} (the loss improved by less than tol ${tol} for ${nIterNoChange} epochs)`
      : `ran maxIter = ${maxIter} epochs`} and made ${s.mistakes} mistake${s.mistakes === 1 ? '' : 's'} on the ${n} samples in its last epoch`;
    const parts = stuck.length === 1 && classes.length === 2
      ? why(stuck[0]!)
      : stuck.map((s) => `the one-vs-rest perceptron of class ${JSON.stringify(classes[s.k])} ${why(s)}`).join('; ');
    return `Perceptron did not converge: it ${parts}. The classes are not linearly separable, or need more epochs: `
      + `try standardizing the features (StandardScaler), raising maxIter, stoppingRule 'noMistakes', or a model with a hidden layer (MLPClassifier).`;
  }

  private trainBinary(M: Matrix, y: Uint8Array, w: Float64Array, b: Float64Array, k: number, seed: number, rowWeight?: Float32Array): { epochs: number; mistakes: number; plateau: boolean } {
    const { learningRate: alpha, maxIter, tol, nIterNoChange, shuffle } = this.options;
    const n = M.rows;
    const d = M.cols;
    const X = M.data;
    const order = new Int32Array(n).map((_, i) => i);
    const rng = new Rng(seed);
    let best = Infinity;
    let noImprove = 0;
    let last = 0;
    for (let epoch = 1; epoch <= maxIter; epoch++) {
      if (shuffle) rng.shuffle(order);
      let mistakes = 0;
      let lossSum = 0;
      for (let t = 0; t < n; t++) {
        const i = order[t]!;
        const o = i * d;
        let z = b[k]!;
        for (let j = 0; j < d; j++) z += w[j]! * X[o + j]!;
        const h = z >= 0 ? 1 : 0;
        const yi = y[i]!;
        const wi = rowWeight ? rowWeight[i]! : 1;
        lossSum += wi * Math.max(0, yi === 1 ? -z : z);
        if (h !== yi && wi > 0) {
          mistakes++;
          const step = alpha * wi * (yi - h);
          for (let j = 0; j < d; j++) w[j] += step * X[o + j]!;
          b[k] += step;
        }
      }
      if (mistakes === 0) return { epochs: epoch, mistakes: 0, plateau: false };
      if (tol > 0) {
        const loss = lossSum / n;
        if (loss > best - tol) noImprove++;
        else noImprove = 0;
        best = Math.min(best, loss);
        if (noImprove >= nIterNoChange) return { epochs: epoch, mistakes, plateau: true };
      }
      last = mistakes;
    }
    return { epochs: maxIter, mistakes: last, plateau: false };
  }

  private scores(X: MatrixLike, method: string): Matrix {
    if (!this.W) throw notFitted('Perceptron', method);
    const M = checkX(X, this.nFeat);
    const d = M.cols;
    const K = this.outputs;
    const Z = new Float64Array(M.rows * K);
    for (let i = 0; i < M.rows; i++) {
      for (let k = 0; k < K; k++) {
        let s = this.b![k]!;
        for (let j = 0; j < d; j++) s += this.W[k * d + j]! * M.data[i * d + j]!;
        Z[i * K + k] = s;
      }
    }
    return { data: Z as unknown as Float32Array, rows: M.rows, cols: K };
  }

  private predictCodes(X: MatrixLike, method: string): Int32Array {
    const Z = this.scores(X, method);
    if (Z.cols > 1) return argmaxRows(Z);
    const codes = new Int32Array(Z.rows);
    for (let i = 0; i < Z.rows; i++) codes[i] = Z.data[i]! >= 0 ? 1 : 0;
    return codes;
  }

  /** Binary: one column θᵀx (≥ 0 means classes[1]); several classes: rows × K. @example p.decisionFunction(X) */
  decisionFunction(X: MatrixLike): Matrix {
    const Z = this.scores(X, 'decisionFunction');
    return { data: Float32Array.from(Z.data), rows: Z.rows, cols: Z.cols };
  }

  /** The step output as a (degenerate) distribution: 1 for the predicted class, 0 elsewhere. @example p.predictProba(X) */
  predictProba(X: MatrixLike): Matrix {
    const codes = this.predictCodes(X, 'predictProba');
    const K = this.classList!.length;
    const P = new Float32Array(codes.length * K);
    codes.forEach((c, i) => { P[i * K + c] = 1; });
    return { data: P, rows: codes.length, cols: K };
  }

  /** @example p.predict(X) */
  predict(X: MatrixLike): ClassList {
    return decodeLabels(this.predictCodes(X, 'predict'), this.classList!);
  }

  /** Accuracy on (X, y). @example p.score(XTest, yTest) */
  score(X: MatrixLike, y: Labels): number {
    return accuracy(y, this.predict(X));
  }

  /** @example JSON.stringify(p.toJSON()) */
  toJSON(): PerceptronJSON {
    if (!this.W) throw notFitted('Perceptron', 'toJSON');
    return {
      format: ESTIMATOR_FORMAT, type: 'Perceptron', version: ESTIMATOR_VERSION,
      options: this.plainOptions(),
      classes: this.classes!, nFeatures: this.nFeat!, coef: this.coef!, intercept: this.intercept!, nIter: this.nIter,
    };
  }

  /** The options as given to the constructor (without the 'lossPlateau' settings under 'noMistakes'). */
  private plainOptions(): PerceptronOptions {
    const o = plainOptions(this.options) as PerceptronOptions;
    if (o.stoppingRule === 'noMistakes') { delete o.tol; delete o.nIterNoChange; }
    return o;
  }

  /** @example Perceptron.fromJSON(json) */
  static fromJSON(json: unknown): Perceptron {
    const j = readJson(json, 'Perceptron');
    const p = fromJsonOptions('Perceptron', () => new Perceptron(j.options as PerceptronOptions));
    const classes = jsonClasses(j);
    const d = j.nFeatures;
    if (!classes || typeof d !== 'number' || !Number.isInteger(d) || d < 1) throw new ModelFormatError('Perceptron JSON: missing classes or nFeatures');
    const out = classes.length === 2 ? 1 : classes.length;
    if (!Array.isArray(j.coef) || j.coef.length !== out) throw new ModelFormatError(`Perceptron JSON: coef must have ${out} rows`);
    p.W = Float64Array.from((j.coef as unknown[]).flatMap((row, k) => jsonNumbers(row, `Perceptron JSON: coef[${k}]`, d)));
    p.b = Float64Array.from(jsonNumbers(j.intercept, 'Perceptron JSON: intercept', out));
    p.classList = classes;
    p.outputs = out;
    p.nFeat = d;
    p.nIter = typeof j.nIter === 'number' ? j.nIter : 0;
    return p;
  }

  /** Nothing to free (plain arrays). */
  dispose(): void {}

  /** dispose(), for `using`. */
  [DISPOSE](): void { this.dispose(); }
}

registerClassifier('Perceptron', { fromJSON: (j) => Perceptron.fromJSON(j), create: (o) => new Perceptron(o as PerceptronOptions) });
