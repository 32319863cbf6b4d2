// Logistic (sigmoid) and softmax regression: one dense layer trained on the mean cross-entropy
// plus (λ/2m)·‖W‖² (never the intercept). Solvers: L-BFGS (default, float64 over θ), full-batch
// gradient descent, mini-batch SGD. Training runs the layer's forward/backward kernels through a
// Sequential; the fitted coefficients are kept in float64 and predictions are computed from them.

import { dense } from '../nn/layers.js';
import { Sequential } from '../nn/sequential.js';
import { sgd } from '../train/optimizers.js';
import { DivergenceError, warnConvergence } from '../errors.js';
import type { Labels } from '../data/labels.js';
import type { Matrix, MatrixLike } from '../data/matrix.js';
import { accuracy } from '../metrics/classification.js';
import {
  argmaxRows, checkOptionNames, checkX, decodeLabels, encodeLabels, ESTIMATOR_FORMAT, ESTIMATOR_VERSION, fromJsonOptions, jsonClasses,
  jsonNumbers, notFitted, optOneOf, optPositive, optPositiveInt, optNonNegative, optSeed, plainOptions, readJson,
  registerClassifier, requireTwoClasses, fitWeights, optClassWeight, type ClassList, type Classifier, type EstimatorJSON,
} from './base.js';
import { lbfgs } from './lbfgs.js';
import { LinearObjective } from './objective.js';
import { ModelFormatError } from '../errors.js';
import type { ClassWeight } from '../data/weights.js';
import { DISPOSE } from '../memory/lifetime.js';

export type LinearSolver = 'lbfgs' | 'gd' | 'sgd';
const SOLVERS: readonly LinearSolver[] = ['lbfgs', 'gd', 'sgd'];

export interface LinearOptions {
  /** 'lbfgs' (default), 'gd' (full-batch gradient descent) or 'sgd' (mini-batch, shuffled). */
  solver?: LinearSolver;
  /** Step size of 'gd' and 'sgd' (L-BFGS needs none). Default 0.1. */
  learningRate?: number;
  /** Iterations (lbfgs, gd) or epochs (sgd). Default 1000. */
  maxIter?: number;
  /** λ of the penalty (λ/2m)·‖W‖² on the mean loss; 1 is scikit-learn's C = 1. Default 1. */
  l2?: number;
  /** lbfgs/gd: stop when max |∂J/∂θ| ≤ tol; sgd: when the epoch loss improves by less than tol for 5 epochs in a row (0: run all maxIter epochs). Default 1e-4. */
  tol?: number;
  /** Mini-batch size of 'sgd'. Default 32. */
  batchSize?: number;
  /** Seeds the 'sgd' shuffling. Default 0. */
  seed?: number;
  /** The full list of classes, when y may not show all of them; a label outside it is an error. */
  classes?: ClassList;
  /** Weights of the classes in the loss: 'balanced' (n / (k·n_c)), an array by class index or an object by label. */
  classWeight?: ClassWeight;
}

/** Every option name (the type checks the list against LinearOptions). */
const LINEAR_OPTIONS: Record<keyof LinearOptions, true> = {
  solver: true, learningRate: true, maxIter: true, l2: true, tol: true, batchSize: true, seed: true, classes: true, classWeight: true,
};

interface Resolved {
  solver: LinearSolver; learningRate: number; maxIter: number; l2: number; tol: number; batchSize: number; seed: number;
  classes?: ClassList; classWeight?: ClassWeight;
}

const N_ITER_NO_CHANGE = 5;

function resolve(o: LinearOptions): Resolved {
  const r: Resolved = {
    solver: optOneOf(o.solver ?? 'lbfgs', SOLVERS, 'solver'),
    learningRate: optPositive(o.learningRate ?? 0.1, 'learningRate'),
    maxIter: optPositiveInt(o.maxIter ?? 1000, 'maxIter'),
    l2: optNonNegative(o.l2 ?? 1, 'l2'),
    tol: optNonNegative(o.tol ?? 1e-4, 'tol'),
    batchSize: optPositiveInt(o.batchSize ?? 32, 'batchSize'),
    seed: optSeed(o.seed ?? 0),
  };
  if (o.classes !== undefined) r.classes = o.classes.slice() as ClassList;
  const cw = optClassWeight(o.classWeight);
  if (cw !== undefined) r.classWeight = cw;
  return r;
}

export interface LinearClassifierJSON extends EstimatorJSON {
  options: LinearOptions;
  classes: ClassList;
  nFeatures: number;
  coef: number[][];
  intercept: number[];
  nIter: number;
}

abstract class LinearClassifier implements Classifier {
  readonly options: Resolved;
  protected classList: ClassList | undefined;
  protected W: Float64Array | undefined;
  protected b: Float64Array | undefined;
  protected outputs = 0;
  protected nFeat: number | undefined;
  /** Iterations (epochs for sgd) the last fit ran. */
  nIter = 0;
  /** Whether the last fit met tol before maxIter. */
  converged = false;

  /** The estimator's type name (a getter each subclass overrides, so the constructor's checks can name it). */
  protected get typeName(): string { return 'LinearClassifier'; }
  /** Softmax over K outputs (true) or one sigmoid output (binary). */
  protected abstract multinomial(classCount: number): boolean;

  constructor(options: LinearOptions = {}) {
    checkOptionNames(options, LINEAR_OPTIONS, this.typeName);
    this.options = resolve(options);
  }

  /** The classes seen in fit (sorted), in the user's label type. */
  get classes(): ClassList | undefined {
    return this.classList && (this.classList.slice() as ClassList);
  }

  /** Number of features seen in fit. */
  get nFeatures(): number | undefined {
    return this.nFeat;
  }

  /** Weights, one row per output (1 for binary sigmoid models, K for softmax). */
  get coef(): number[][] | undefined {
    const W = this.W;
    if (!W) return undefined;
    const d = this.nFeat!;
    return Array.from({ length: this.outputs }, (_, k) => Array.from(W.subarray(k * d, (k + 1) * d)));
  }

  get intercept(): number[] | undefined {
    return this.b && Array.from(this.b);
  }

  /** Fits the model (synchronously) and returns it. @example new LogisticRegression().fit(X, y) */
  fit(X: MatrixLike, y: Labels, sampleWeight?: ArrayLike<number>): this {
    const M = checkX(X);
    const { classes, codes } = encodeLabels(y, M.rows, this.options.classes);
    requireTwoClasses(codes, classes, this.typeName);
    const weights = fitWeights(codes, classes, this.options.classWeight, sampleWeight);
    const K = classes.length;
    const soft = this.multinomial(K);
    const out = soft ? K : 1;
    const d = M.cols;
    const model = new Sequential({
      inputSize: d, seed: this.options.seed,
      layers: [dense(out, { activation: soft ? 'softmax' : 'sigmoid', init: 'zeros' })],
    });
    try {
      const theta = this.options.solver === 'sgd' ? this.fitSgd(model, M, codes, weights) : this.fitFullBatch(model, M, codes, soft, weights);
      this.W = theta.slice(0, out * d);
      this.b = theta.slice(out * d, out * d + out);
    } finally {
      model.dispose();
    }
    this.classList = classes;
    this.outputs = out;
    this.nFeat = d;
    return this;
  }

  private fitFullBatch(model: Sequential, M: Matrix, codes: Int32Array, soft: boolean, weights: Float32Array | undefined): Float64Array {
    const o = this.options;
    model.compile({ loss: soft ? 'categoricalCrossentropy' : 'binaryCrossentropy', optimizer: 'sgd', l2: 0 });
    const obj = new LinearObjective(model, M, codes, o.l2, weights);
    {
      const theta0 = new Float64Array(obj.size);
      if (o.solver === 'lbfgs') {
        const r = lbfgs(obj.evaluate, theta0, { maxIter: o.maxIter, tol: o.tol });
        this.nIter = r.iterations;
        this.converged = r.converged;
        if (!r.converged) {
          const why = r.reason === 'maxIter' ? `stopped at maxIter = ${o.maxIter} iterations` : 'the line search could not lower the loss any further (float32 rounding of the loss)';
          this.warn(`${why} with the gradient's max-norm ${r.gradMax.toExponential(2)} > tol ${o.tol}`);
        }
        return r.x;
      }
      // Full-batch gradient descent.
      const theta = theta0;
      const g = new Float64Array(obj.size);
      let it = 0;
      let gmax = Infinity;
      for (; it <= o.maxIter; it++) {
        const f = obj.evaluate(theta, g);
        if (!Number.isFinite(f)) {
          throw new DivergenceError(`${this.typeName} (solver 'gd') diverged: the loss became ${f} at iteration ${it}. Try a smaller learningRate or standardize the features.`);
        }
        gmax = 0;
        for (let i = 0; i < g.length; i++) gmax = Math.max(gmax, Math.abs(g[i]!));
        if (gmax <= o.tol || it === o.maxIter) break;
        for (let i = 0; i < theta.length; i++) theta[i] -= o.learningRate * g[i]!;
      }
      this.nIter = it;
      this.converged = gmax <= o.tol;
      if (!this.converged) this.warn(`stopped at maxIter = ${o.maxIter} iterations with the gradient's max-norm ${gmax.toExponential(2)} > tol ${o.tol}`);
      return theta;
    }
  }

  private fitSgd(model: Sequential, M: Matrix, codes: Int32Array, weights: Float32Array | undefined): Float64Array {
    const o = this.options;
    const B = Math.min(o.batchSize, M.rows);
    // Sequential charges (λ/2B)·‖W‖² per batch of B; scaling λ by B/m makes each step an unbiased
    // estimate of the same objective the full-batch solvers minimize.
    model.compile({ optimizer: sgd({ learningRate: o.learningRate }), l2: (o.l2 * B) / M.rows });
    let best = Infinity;
    let noImprove = 0;
    let stopped = false;
    const h = model.fitSync(M, codes, {
      epochs: o.maxIter, batchSize: B, shuffle: true, seed: o.seed, ...(weights ? { sampleWeight: weights } : {}),
      callbacks: {
        onEpochEnd: (_e, logs) => {
          if (o.tol === 0) return undefined;
          if (logs.loss > best - o.tol) noImprove++;
          else noImprove = 0;
          best = Math.min(best, logs.loss);
          if (noImprove >= N_ITER_NO_CHANGE) { stopped = true; return false; }
          return undefined;
        },
      },
    });
    this.nIter = h.epoch.length;
    this.converged = stopped;
    if (!stopped) this.warn(`stopped at maxIter = ${o.maxIter} epochs while the training loss was still improving by more than tol ${o.tol}`);
    return Float64Array.from(model.getParams());
  }

  private warn(what: string): void {
    warnConvergence(`${this.typeName} (solver '${this.options.solver}') did not converge: ${what}. `
      + 'Try standardizing the features (StandardScaler), raising maxIter, or lowering learningRate (gd/sgd).');
  }

  /** Scores z = W·x + b in float64, rows × outputs. */
  private logits(X: MatrixLike, method: string): { Z: Float64Array; rows: number } {
    if (!this.W) throw notFitted(this.typeName, method);
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
    return { Z, rows: M.rows };
  }

  /** Binary: one column z (positive means classes[1]); multinomial: rows × K scores. @example model.decisionFunction(X) */
  decisionFunction(X: MatrixLike): Matrix {
    const { Z, rows } = this.logits(X, 'decisionFunction');
    return { data: Float32Array.from(Z), rows, cols: this.outputs };
  }

  /** Class probabilities, rows × K (binary: [1 − p, p]). @example model.predictProba(X) */
  predictProba(X: MatrixLike): Matrix {
    const { Z, rows } = this.logits(X, 'predictProba');
    const K = this.classList!.length;
    const P = new Float32Array(rows * K);
    if (this.outputs === 1) {
      for (let i = 0; i < rows; i++) {
        const p = 1 / (1 + Math.exp(-Z[i]!));
        P[2 * i] = 1 - p;
        P[2 * i + 1] = p;
      }
    } else {
      for (let i = 0; i < rows; i++) {
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, Z[i * K + k]!);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(Z[i * K + k]! - mx);
        for (let k = 0; k < K; k++) P[i * K + k] = Math.exp(Z[i * K + k]! - mx) / sum;
      }
    }
    return { data: P, rows, cols: K };
  }

  /** Predicted labels (binary: classes[1] when z ≥ 0). @example model.predict(X) */
  predict(X: MatrixLike): ClassList {
    const { Z, rows } = this.logits(X, 'predict');
    if (this.outputs === 1) {
      const codes = new Int32Array(rows);
      for (let i = 0; i < rows; i++) codes[i] = Z[i]! >= 0 ? 1 : 0;
      return decodeLabels(codes, this.classList!);
    }
    return decodeLabels(argmaxRows({ data: Z as unknown as Float32Array, rows, cols: this.outputs }), this.classList!);
  }

  /** Accuracy on (X, y). @example model.score(XTest, yTest) */
  score(X: MatrixLike, y: Labels): number {
    return accuracy(y, this.predict(X));
  }

  /** Plain JSON: options, classes, coefficients (float64, exact). @example JSON.stringify(model.toJSON()) */
  toJSON(): LinearClassifierJSON {
    if (!this.W) throw notFitted(this.typeName, 'toJSON');
    return {
      format: ESTIMATOR_FORMAT, type: this.typeName, version: ESTIMATOR_VERSION,
      options: plainOptions(this.options) as LinearOptions,
      classes: this.classes!, nFeatures: this.nFeat!, coef: this.coef!, intercept: this.intercept!, nIter: this.nIter,
    };
  }

  /** @internal */
  protected load(j: EstimatorJSON): this {
    const classes = jsonClasses(j);
    const d = j.nFeatures;
    if (!classes || typeof d !== 'number' || !Number.isInteger(d) || d < 1) throw new ModelFormatError(`${this.typeName} JSON: missing classes or nFeatures`);
    const out = this.multinomial(classes.length) ? classes.length : 1;
    if (!Array.isArray(j.coef) || j.coef.length !== out) throw new ModelFormatError(`${this.typeName} JSON: coef must have ${out} rows`);
    this.W = Float64Array.from((j.coef as unknown[]).flatMap((row, k) => jsonNumbers(row, `${this.typeName} JSON: coef[${k}]`, d)));
    this.b = Float64Array.from(jsonNumbers(j.intercept, `${this.typeName} JSON: intercept`, out));
    this.classList = classes;
    this.outputs = out;
    this.nFeat = d;
    this.nIter = typeof j.nIter === 'number' ? j.nIter : 0;
    return this;
  }

  /** Nothing to free: the coefficients live in ordinary arrays (the training network is freed after fit). */
  dispose(): void {}

  /** dispose(), for `using`. */
  [DISPOSE](): void { this.dispose(); }
}

/**
 * Binary logistic regression h = σ(w·x + b) on the cross-entropy with L2 (default λ = 1, like
 * scikit-learn's C = 1). With more than two classes it fits the multinomial (softmax) model, as
 * scikit-learn does.
 * @example const clf = new LogisticRegression().fit(XTrain, yTrain); clf.score(XTest, yTest)
 */
export class LogisticRegression extends LinearClassifier {
  protected override get typeName(): string { return 'LogisticRegression'; }
  protected multinomial(classCount: number): boolean { return classCount > 2; }

  /** Rebuilds a model saved with toJSON(). @example LogisticRegression.fromJSON(json) */
  static fromJSON(json: unknown): LogisticRegression {
    const j = readJson(json, 'LogisticRegression');
    return fromJsonOptions('LogisticRegression', () => new LogisticRegression(j.options as LinearOptions).load(j));
  }
}

/**
 * Multinomial (softmax) regression: K weight vectors, P(y = k | x) = softmax(W·x + b)_k.
 * @example const clf = new SoftmaxRegression().fit(XTrain, yTrain); clf.predict(XTest)
 */
export class SoftmaxRegression extends LinearClassifier {
  protected override get typeName(): string { return 'SoftmaxRegression'; }
  protected multinomial(): boolean { return true; }

  /** Rebuilds a model saved with toJSON(). @example SoftmaxRegression.fromJSON(json) */
  static fromJSON(json: unknown): SoftmaxRegression {
    const j = readJson(json, 'SoftmaxRegression');
    return fromJsonOptions('SoftmaxRegression', () => new SoftmaxRegression(j.options as LinearOptions).load(j));
  }
}

registerClassifier('LogisticRegression', { fromJSON: (j) => LogisticRegression.fromJSON(j), create: (o) => new LogisticRegression(o as LinearOptions) });
registerClassifier('SoftmaxRegression', { fromJSON: (j) => SoftmaxRegression.fromJSON(j), create: (o) => new SoftmaxRegression(o as LinearOptions) });
