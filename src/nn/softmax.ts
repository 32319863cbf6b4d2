// The softmax family as plain functions (the lecture notes' formulas, in float64): log-softmax
// z_i − log Σ_j e^{z_j} and the softmax Jacobian ∂s_i/∂z_j = s_i(δ_ij − s_j). Both shift by the
// maximum first, so any finite logits give finite results (e^1000 never appears).

import { toMatrix, type MatrixLike } from '../data/matrix.js';
import { ValidationError } from '../errors.js';

function vector(z: ArrayLike<number>, arg: string): Float64Array {
  if (!z || typeof z.length !== 'number' || z.length === 0) throw new ValidationError(arg, `expected a non-empty array of numbers, got ${String(z)}`);
  const v = Float64Array.from(z as ArrayLike<number>);
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new ValidationError(arg, `value ${i} is ${z[i]}, expected a finite number`);
  return v;
}

/** log Σ e^{v_j} of v[from, from + n) by the max shift. */
function logSumExp(v: ArrayLike<number>, from: number, n: number): number {
  let mx = -Infinity;
  for (let j = 0; j < n; j++) mx = Math.max(mx, v[from + j]!);
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(v[from + j]! - mx);
  return mx + Math.log(s);
}

/**
 * log softmax: z_i − log Σ_j e^{z_j}, of a vector, or of each row of a matrix. Finite for any finite
 * logits (the notes' log-softmax without saturation).
 * @example logSoftmax([1000, 0]) // [0, −1000]
 */
export function logSoftmax(z: ArrayLike<number>): Float64Array;
export function logSoftmax(Z: MatrixLike): { data: Float64Array; rows: number; cols: number };
export function logSoftmax(z: ArrayLike<number> | MatrixLike): Float64Array | { data: Float64Array; rows: number; cols: number } {
  const rowsGiven = Array.isArray(z) ? Array.isArray(z[0]) : !ArrayBuffer.isView(z) && typeof z === 'object' && z !== null && 'data' in z;
  if (!rowsGiven) {
    const v = vector(z as ArrayLike<number>, 'z');
    const lse = logSumExp(v, 0, v.length);
    return v.map((x) => x - lse);
  }
  const M = toMatrix(z as MatrixLike, 'z');
  if (M.cols === 0) throw new ValidationError('z', 'has no columns');
  const out = new Float64Array(M.rows * M.cols);
  for (let r = 0; r < M.rows; r++) {
    const lse = logSumExp(M.data, r * M.cols, M.cols);
    for (let j = 0; j < M.cols; j++) out[r * M.cols + j] = M.data[r * M.cols + j]! - lse;
  }
  return { data: out, rows: M.rows, cols: M.cols };
}

/**
 * The Jacobian of s = softmax(z): J[i][j] = ∂s_i/∂z_j = s_i(δ_ij − s_j), an n × n row-major matrix
 * (symmetric; each row sums to 0). The notes' ∂a/∂z of softmax regression.
 * @example softmaxJacobian([0, 0]).data // [0.25, −0.25, −0.25, 0.25]
 */
export function softmaxJacobian(z: ArrayLike<number>): { data: Float64Array; rows: number; cols: number } {
  const v = vector(z, 'z');
  const n = v.length;
  let mx = -Infinity;
  for (let i = 0; i < n; i++) mx = Math.max(mx, v[i]!);
  const s = v.map((x) => Math.exp(x - mx));
  const sum = s.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) s[i]! /= sum;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = s[i]! * ((i === j ? 1 : 0) - s[j]!);
  return { data, rows: n, cols: n };
}
