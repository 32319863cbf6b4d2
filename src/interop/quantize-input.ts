// The input check of QuantizedModel: number[][] or { data, rows, cols } of d columns, every value
// finite (one x·0 sum over the values first: NaN exactly when one is not finite).

import type { Matrix, MatrixLike } from '../data/matrix.js';
import { ValidationError } from './lib.js';

/** X as a float32 matrix of d columns: number[][] or { data, rows, cols }, every value finite. */
export function toInput(X: MatrixLike, d: number): Matrix {
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
  const f = data instanceof Float32Array ? data : Float32Array.from(data);
  let s = 0;
  for (let i = 0; i < f.length; i++) s += f[i]! * 0; // NaN exactly when a value is not finite
  if (s !== 0) {
    const i = f.findIndex((v) => !Number.isFinite(v));
    throw new ValidationError('X', `row ${Math.floor(i / d)}, column ${i % d} is ${(data as ArrayLike<number>)[i]}, expected a finite number`);
  }
  return { data: f, rows, cols: d };
}
