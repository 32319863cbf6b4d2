// Feature scaling: StandardScaler (zero mean, unit population variance) and MinMaxScaler
// (each column mapped linearly onto a range). Statistics are accumulated in float64.

import { ModelFormatError, NotFittedError, ValidationError } from '../errors.js';
import { toMatrix, type Matrix, type MatrixLike } from './matrix.js';

/** A column whose spread is below this is treated as constant and scaled by 1 (as scikit-learn). */
const CONSTANT_TOLERANCE = 10 * Number.EPSILON;

function checkColumns(name: string, fittedCols: number | undefined, X: Matrix): void {
  if (fittedCols === undefined) throw new NotFittedError(`${name} is not fitted yet: call fit(X) before transforming`);
  if (X.cols !== fittedCols) {
    throw new ValidationError('X', `has ${X.cols} columns, the scaler was fitted on ${fittedCols}`);
  }
}

/** out[i, j] = (X[i, j] − shift[j]) / scale[j] */
function affine(X: Matrix, shift: Float64Array, scale: Float64Array, inverse: boolean): Matrix {
  const { rows, cols } = X;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      out[k] = inverse ? X.data[k] * scale[j] + shift[j] : (X.data[k] - shift[j]) / scale[j];
    }
  }
  return { data: out, rows, cols };
}

function numberArray(json: Record<string, unknown>, key: string, type: string, n?: number): Float64Array {
  const v = json[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)) || (n !== undefined && v.length !== n)) {
    throw new ModelFormatError(`${type} JSON: "${key}" must be an array of ${n ?? 'the'} finite numbers`);
  }
  return Float64Array.from(v as number[]);
}

function checkJsonType(json: unknown, type: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || (json as { type?: unknown }).type !== type) {
    throw new ModelFormatError(`expected a ${type} JSON object with type "${type}"`);
  }
  return json as Record<string, unknown>;
}

export interface StandardScalerOptions {
  /** Subtract the column means (default true). */
  withMean?: boolean;
  /** Divide by the column standard deviations (default true). */
  withStd?: boolean;
}

export interface StandardScalerJSON {
  type: 'StandardScaler';
  withMean: boolean;
  withStd: boolean;
  mean: number[];
  scale: number[];
}

/**
 * Standardizes columns: (x − mean) / std with the population standard deviation; a constant
 * column is only centred (scale 1), as scikit-learn.
 * @example const s = new StandardScaler(); const Xs = s.fitTransform(X);
 */
export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private meanV: Float64Array | undefined;
  private scaleV: Float64Array | undefined;

  constructor(options: StandardScalerOptions = {}) {
    this.withMean = options.withMean ?? true;
    this.withStd = options.withStd ?? true;
  }

  /** Column means (zeros when withMean is false); undefined before fit. */
  get mean(): number[] | undefined {
    return this.meanV && Array.from(this.meanV);
  }

  /** Column divisors (std, or 1 for constant columns and when withStd is false); undefined before fit. */
  get scale(): number[] | undefined {
    return this.scaleV && Array.from(this.scaleV);
  }

  /** Learns the column means and standard deviations. @example new StandardScaler().fit(X) */
  fit(X: MatrixLike): this {
    const M = toMatrix(X, 'X');
    const { rows, cols, data } = M;
    const mean = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
    for (let j = 0; j < cols; j++) mean[j] /= rows;
    const scale = new Float64Array(cols).fill(1);
    if (this.withStd) {
      const sq = new Float64Array(cols);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const d = data[i * cols + j] - mean[j];
          sq[j] += d * d;
        }
      }
      for (let j = 0; j < cols; j++) {
        const std = Math.sqrt(sq[j] / rows);
        scale[j] = std < CONSTANT_TOLERANCE * Math.max(1, Math.abs(mean[j])) ? 1 : std;
      }
    }
    if (!this.withMean) mean.fill(0);
    this.meanV = mean;
    this.scaleV = scale;
    return this;
  }

  /** Returns a new standardized matrix. @example scaler.transform(XTest) */
  transform(X: MatrixLike): Matrix {
    const M = toMatrix(X, 'X');
    checkColumns('StandardScaler', this.meanV?.length, M);
    return affine(M, this.meanV!, this.scaleV!, false);
  }

  /** fit(X) then transform(X). @example const Xs = new StandardScaler().fitTransform(X); */
  fitTransform(X: MatrixLike): Matrix {
    return this.fit(X).transform(X);
  }

  /** Maps standardized values back: x · std + mean. @example scaler.inverseTransform(Xs) */
  inverseTransform(X: MatrixLike): Matrix {
    const M = toMatrix(X, 'X');
    checkColumns('StandardScaler', this.meanV?.length, M);
    return affine(M, this.meanV!, this.scaleV!, true);
  }

  /** A plain object for JSON.stringify. @example JSON.stringify(scaler) */
  toJSON(): StandardScalerJSON {
    if (!this.meanV || !this.scaleV) throw new NotFittedError('StandardScaler is not fitted yet: nothing to save');
    return { type: 'StandardScaler', withMean: this.withMean, withStd: this.withStd, mean: Array.from(this.meanV), scale: Array.from(this.scaleV) };
  }

  /** Rebuilds a fitted scaler from toJSON() output. @example StandardScaler.fromJSON(JSON.parse(text)) */
  static fromJSON(json: unknown): StandardScaler {
    const o = checkJsonType(json, 'StandardScaler');
    const mean = numberArray(o, 'mean', 'StandardScaler');
    const scale = numberArray(o, 'scale', 'StandardScaler', mean.length);
    if (mean.length === 0) throw new ModelFormatError('StandardScaler JSON: "mean" is empty');
    if (scale.some((s) => s <= 0)) throw new ModelFormatError('StandardScaler JSON: "scale" must hold positive numbers');
    const s = new StandardScaler({ withMean: o.withMean !== false, withStd: o.withStd !== false });
    s.meanV = mean;
    s.scaleV = scale;
    return s;
  }
}

export interface MinMaxScalerOptions {
  /** The target range [min, max] (default [0, 1]). */
  featureRange?: readonly [number, number];
}

export interface MinMaxScalerJSON {
  type: 'MinMaxScaler';
  featureRange: [number, number];
  dataMin: number[];
  dataMax: number[];
}

/**
 * Maps each column linearly so its training minimum and maximum land on featureRange; a constant
 * column maps onto featureRange[0].
 * @example const Xs = new MinMaxScaler({ featureRange: [-1, 1] }).fitTransform(X);
 */
export class MinMaxScaler {
  readonly featureRange: [number, number];
  private minV: Float64Array | undefined;
  private maxV: Float64Array | undefined;
  /** transform: x → (x − shift) / scale, i.e. shift = dataMin − lo·scale, scale = range / (hi − lo). */
  private shiftV: Float64Array | undefined;
  private scaleV: Float64Array | undefined;

  constructor(options: MinMaxScalerOptions = {}) {
    const r = options.featureRange ?? [0, 1];
    if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[0] < r[1])) {
      throw new ValidationError('featureRange', `expected [min, max] with finite min < max, got ${JSON.stringify(r)}`);
    }
    this.featureRange = [r[0], r[1]];
  }

  /** Column minima seen by fit; undefined before fit. */
  get dataMin(): number[] | undefined {
    return this.minV && Array.from(this.minV);
  }

  /** Column maxima seen by fit; undefined before fit. */
  get dataMax(): number[] | undefined {
    return this.maxV && Array.from(this.maxV);
  }

  /** Learns the column minima and maxima. @example new MinMaxScaler().fit(X) */
  fit(X: MatrixLike): this {
    const M = toMatrix(X, 'X');
    const { rows, cols, data } = M;
    const min = new Float64Array(cols).fill(Infinity);
    const max = new Float64Array(cols).fill(-Infinity);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j];
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    this.setRange(min, max);
    return this;
  }

  private setRange(min: Float64Array, max: Float64Array): void {
    const [lo, hi] = this.featureRange;
    const cols = min.length;
    const shift = new Float64Array(cols);
    const scale = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      const range = max[j] - min[j];
      const r = range < CONSTANT_TOLERANCE * Math.max(1, Math.abs(min[j])) ? 1 : range;
      scale[j] = r / (hi - lo);
      shift[j] = min[j] - lo * scale[j];
    }
    this.minV = min;
    this.maxV = max;
    this.shiftV = shift;
    this.scaleV = scale;
  }

  /** Returns a new scaled matrix (values outside the training range map outside featureRange). @example scaler.transform(XTest) */
  transform(X: MatrixLike): Matrix {
    const M = toMatrix(X, 'X');
    checkColumns('MinMaxScaler', this.minV?.length, M);
    return affine(M, this.shiftV!, this.scaleV!, false);
  }

  /** fit(X) then transform(X). @example const Xs = new MinMaxScaler().fitTransform(X); */
  fitTransform(X: MatrixLike): Matrix {
    return this.fit(X).transform(X);
  }

  /** Maps scaled values back to the original units. @example scaler.inverseTransform(Xs) */
  inverseTransform(X: MatrixLike): Matrix {
    const M = toMatrix(X, 'X');
    checkColumns('MinMaxScaler', this.minV?.length, M);
    return affine(M, this.shiftV!, this.scaleV!, true);
  }

  /** A plain object for JSON.stringify. @example JSON.stringify(scaler) */
  toJSON(): MinMaxScalerJSON {
    if (!this.minV || !this.maxV) throw new NotFittedError('MinMaxScaler is not fitted yet: nothing to save');
    return { type: 'MinMaxScaler', featureRange: [...this.featureRange], dataMin: Array.from(this.minV), dataMax: Array.from(this.maxV) };
  }

  /** Rebuilds a fitted scaler from toJSON() output. @example MinMaxScaler.fromJSON(JSON.parse(text)) */
  static fromJSON(json: unknown): MinMaxScaler {
    const o = checkJsonType(json, 'MinMaxScaler');
    const range = numberArray(o, 'featureRange', 'MinMaxScaler', 2);
    const min = numberArray(o, 'dataMin', 'MinMaxScaler');
    const max = numberArray(o, 'dataMax', 'MinMaxScaler', min.length);
    if (min.length === 0) throw new ModelFormatError('MinMaxScaler JSON: "dataMin" is empty');
    if (min.some((v, j) => v > max[j])) throw new ModelFormatError('MinMaxScaler JSON: "dataMin" exceeds "dataMax"');
    let s: MinMaxScaler;
    try {
      s = new MinMaxScaler({ featureRange: [range[0], range[1]] });
    } catch (e) {
      throw new ModelFormatError(`MinMaxScaler JSON: ${(e as Error).message}`);
    }
    s.setRange(min, max);
    return s;
  }
}
