// Regression metrics for one output (1-D arrays) or several (matrices, one column per output;
// the scores of the outputs are averaged uniformly, as scikit-learn's multioutput='uniform_average').

import { ValidationError } from '../errors.js';
import { toDenseTable, type MatrixLike } from '../data/matrix.js';

/** Targets: a 1-D array (one output) or a matrix / number[][] (one column per output). */
export type Targets = readonly number[] | Float32Array | Float64Array | MatrixLike;

interface Columns {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

function isFlat(y: unknown): y is readonly number[] | Float32Array | Float64Array {
  if (ArrayBuffer.isView(y)) return true;
  return Array.isArray(y) && (y.length === 0 || !Array.isArray(y[0]));
}

function toColumns(y: Targets, argName: string): Columns {
  if (isFlat(y)) {
    if (y.length === 0) throw new ValidationError(argName, 'is empty, expected at least one value');
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValidationError(argName, `${argName}[${i}] is ${typeof v === 'string' ? JSON.stringify(v) : String(v)}, expected a finite number`);
      }
    }
    return { data: y, rows: y.length, cols: 1 };
  }
  return toDenseTable(y as MatrixLike, argName);
}

function pair(yTrue: Targets, yPred: Targets): [Columns, Columns] {
  const t = toColumns(yTrue, 'yTrue');
  const p = toColumns(yPred, 'yPred');
  if (t.rows !== p.rows) throw new ValidationError('yPred', `has ${p.rows} samples, expected ${t.rows} (as yTrue)`);
  if (t.cols !== p.cols) throw new ValidationError('yPred', `has ${p.cols} outputs, expected ${t.cols} (as yTrue)`);
  return [t, p];
}

/**
 * Mean of (yTrue − yPred)², averaged over outputs for matrices.
 * @example meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.375
 */
export function meanSquaredError(yTrue: Targets, yPred: Targets): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) {
    const d = t.data[i] - p.data[i];
    s += d * d;
  }
  return s / t.data.length;
}

/**
 * Mean of |yTrue − yPred|, averaged over outputs for matrices.
 * @example meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 */
export function meanAbsoluteError(yTrue: Targets, yPred: Targets): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += Math.abs(t.data[i] - p.data[i]);
  return s / t.data.length;
}

/**
 * Coefficient of determination 1 − SS_res / SS_tot per output, averaged over outputs. An output
 * whose yTrue is constant scores 1 if predicted exactly, else 0 (scikit-learn's force_finite).
 * @example r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.9486...
 */
export function r2(yTrue: Targets, yPred: Targets): number {
  const [t, p] = pair(yTrue, yPred);
  const { rows, cols } = t;
  let total = 0;
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += t.data[i * cols + j];
    mean /= rows;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < rows; i++) {
      const y = t.data[i * cols + j];
      const d = y - p.data[i * cols + j];
      ssRes += d * d;
      ssTot += (y - mean) * (y - mean);
    }
    if (ssTot === 0) total += ssRes === 0 ? 1 : 0;
    else total += 1 - ssRes / ssTot;
  }
  return total / cols;
}
