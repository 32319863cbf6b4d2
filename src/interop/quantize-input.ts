// The input check of QuantizedModel: number[][] or { data, rows, cols } of d columns, every value
// finite (one x·0 sum over the values first: NaN exactly when one is not finite; a Float32Array
// may be left to the caller, whose quantization kernel flags a value that is not finite).

import type { Matrix, MatrixLike } from '../data/matrix.js';
import { ValidationError } from './lib.js';

/** X as a float32 matrix of d columns: number[][] or { data, rows, cols }, every value finite
 *  (not checked for Float32Array data when checkFloat32 is false). */
export function toInput(X: MatrixLike, d: number, checkFloat32 = true): Matrix {
  let rows: number, data: ArrayLike<number>;
  if (Array.isArray(X)) {
    rows = X.length;
    const flat = new Float32Array(rows * d);
    X.forEach((row: unknown, r) => {
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new ValidationError('X', `row ${r} is not an array of numbers`);
      const a = row as ArrayLike<number>;
      if (a.length !== d) throw new ValidationError('X', `row ${r} has ${a.length} columns, the model expects ${d}`);
      for (let c = 0; c < d; c++) flat[r * d + c] = a[c]!;
    });
    data = flat;
  } else {
    const m = X as Partial<Matrix>;
    if (!m || typeof m !== 'object' || !m.data || typeof m.data.length !== 'number' || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
      throw new ValidationError('X', 'expected a number[][] or a { data, rows, cols } matrix');
    }
    if (m.cols !== d) throw new ValidationError('X', `has ${m.cols} columns, the model expects ${d}`);
    if (m.data.length !== m.rows! * d) throw new ValidationError('X', `data has ${m.data.length} values, expected rows × cols = ${m.rows} × ${d}`);
    rows = m.rows!;
    data = m.data;
  }
  if (rows < 1) throw new ValidationError('X', 'has 0 rows, expected at least 1');
  if (data instanceof Float32Array && !checkFloat32) return { data, rows, cols: d };
  const f = data instanceof Float32Array ? data : Float32Array.from(data);
  let s = 0;
  for (let i = 0; i < f.length; i++) s += f[i]! * 0; // NaN exactly when a value is not finite
  if (s !== 0) throw nonFiniteError({ data: f, rows, cols: d }, 0, data);
  return { data: f, rows, cols: d };
}

/** The error for the first value of M from row `start` on that is not finite (quoted from `source`). */
export function nonFiniteError(M: Matrix, start: number, source: ArrayLike<number> = M.data): ValidationError {
  const d = M.cols;
  let i = start * d;
  while (i < M.data.length && Number.isFinite(M.data[i])) i++;
  return new ValidationError('X', `row ${Math.floor(i / d)}, column ${i % d} is ${source[i]}, expected a finite number`);
}
