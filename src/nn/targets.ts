// Turns the `y` a user gives into the target matrix the loss kernels read, with validation.
// Classification: class indices (number[] / Int32Array) or a one-hot / probability matrix;
// a single sigmoid output: 0/1 (or [0,1]) values; several sigmoid outputs: a multi-label matrix;
// regression: a matrix (or a vector for one output).

import { ValidationError } from '../errors.js';
import { argmaxAt, toMatrix, type Matrix, type MatrixLike } from '../data/matrix.js';

import { isCategoricalLoss, type LossName } from './losses.js';

export { LOSSES, type LossName } from './losses.js';

export type Labels = ArrayLike<number>;
export type TargetsLike = Labels | MatrixLike;

export interface Targets {
  /** rows × outputs, what the loss compares with. */
  Y: Matrix;
  /** Class index per row for accuracy (softmax: the argmax of Y's row; one sigmoid: 0/1 as Y ≥ 0.5). */
  labels?: Int32Array;
}

function isVector(y: unknown): y is Labels {
  if (ArrayBuffer.isView(y)) return true;
  return Array.isArray(y) && (y.length === 0 || typeof y[0] === 'number' || typeof y[0] === 'string');
}

export function toTargets(y: TargetsLike, rows: number, outputs: number, loss: LossName, arg = 'y'): Targets {
  if (y === undefined || y === null) throw new ValidationError(arg, 'is missing');
  if (isVector(y)) {
    if (y.length !== rows) throw new ValidationError(arg, `has ${y.length} labels, X has ${rows} rows`);
    for (let i = 0; i < y.length; i++) {
      const v = y[i] as unknown;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValidationError(arg, `y[${i}] is ${typeof v === 'string' ? JSON.stringify(v) : String(v)}, expected a finite number (use LabelEncoder or an estimator for string labels)`);
      }
    }
    if (isCategoricalLoss(loss)) return oneHotTargets(y, rows, outputs, arg);
    if (outputs !== 1) {
      throw new ValidationError(arg, `is a vector, but the model has ${outputs} outputs; give a ${rows}×${outputs} matrix`);
    }
    const data = new Float32Array(rows);
    for (let i = 0; i < rows; i++) data[i] = y[i]!;
    if (loss === 'binaryCrossentropy') return binaryTargets({ data, rows, cols: 1 }, arg);
    return { Y: { data, rows, cols: 1 } };
  }
  const Y = toMatrix(y as MatrixLike, arg);
  if (Y.rows !== rows) throw new ValidationError(arg, `has ${Y.rows} rows, X has ${rows}`);
  if (Y.cols !== outputs) throw new ValidationError(arg, `has ${Y.cols} columns, the model has ${outputs} outputs`);
  if (loss === 'binaryCrossentropy') return binaryTargets(Y, arg);
  if (isCategoricalLoss(loss)) {
    const labels = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let j = 0; j < outputs; j++) {
        const v = Y.data[i * outputs + j]!;
        if (v < 0 || v > 1) throw new ValidationError(arg, `row ${i}, column ${j} is ${v}; one-hot / probability targets lie in [0, 1]`);
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-3) throw new ValidationError(arg, `row ${i} sums to ${sum}; one-hot / probability targets sum to 1`);
      labels[i] = argmaxAt(Y.data, i * outputs, outputs);
    }
    return { Y, labels };
  }
  return { Y };
}

function oneHotTargets(y: Labels, rows: number, classes: number, arg: string): Targets {
  const data = new Float32Array(rows * classes);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = y[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new ValidationError(arg, `y[${i}] = ${c} is not a class index of this model (integers 0..${classes - 1} for ${classes} outputs)`);
    }
    data[i * classes + c] = 1;
    labels[i] = c;
  }
  return { Y: { data, rows, cols: classes }, labels };
}

function binaryTargets(Y: Matrix, arg: string): Targets {
  for (let i = 0; i < Y.data.length; i++) {
    const v = Y.data[i]!;
    if (v < 0 || v > 1) throw new ValidationError(arg, `value ${v} at index ${i}; binaryCrossentropy targets lie in [0, 1] (0/1 labels)`);
  }
  if (Y.cols !== 1) return { Y };
  const labels = new Int32Array(Y.rows);
  for (let i = 0; i < Y.rows; i++) labels[i] = Y.data[i]! >= 0.5 ? 1 : 0;
  return { Y, labels };
}
