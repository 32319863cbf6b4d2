// unroll / reshape: a network's parameters (or gradients) as one vector and back, in two layouts.
// - 'simdnet' (getParams' order): per layer its tensors in order — dense W (out × in, row-major),
//   b (then prelu's slope), batchNorm gamma then beta.
// - 'notes': the lecture notes' thetaVec = [Theta1(:); Theta2(:); …]: per dense layer
//   Θ(l) = [b | W] of size s(l+1) × (s(l) + 1), bias column first, unrolled column by column as
//   Octave's (:) does, so Theta1 = reshape(thetaVec(1:rows·cols), rows, cols).

import { ValidationError } from '../errors.js';
import type { ParamLayout } from './trace.js';

/** The tensors of one layer by name (getWeights(), lossAndGradients().grads, a trace's grads). */
export type TensorRecord = Readonly<Record<string, ArrayLike<number>>>;

/** The parameter tensors a layer can hold, in the order the layer keeps them (state such as runningMean is not a parameter). */
const PARAM_ORDER = ['W', 'b', 'slope', 'gamma', 'beta'] as const;

export interface UnrollOptions {
  /** 'simdnet' (default) or 'notes' (Θ with the bias column first, column-major). */
  layout?: ParamLayout;
}

function checkLayout(o: UnrollOptions | undefined): ParamLayout {
  const layout = o?.layout ?? 'simdnet';
  if (layout !== 'simdnet' && layout !== 'notes') throw new ValidationError('layout', `expected 'simdnet' or 'notes', got ${JSON.stringify(o?.layout)}`);
  return layout;
}

/** The parameter tensors of a layer record, in order. */
function tensorsOf(rec: TensorRecord, li: number): [string, ArrayLike<number>][] {
  if (!rec || typeof rec !== 'object') throw new ValidationError(`weights[${li}]`, `expected a record of tensors, got ${String(rec)}`);
  return PARAM_ORDER.filter((k) => rec[k] !== undefined).map((k) => [k, rec[k]!]);
}

/** Θ's shape of a dense record: rows = b.length, cols = W.length / rows + 1; refuses anything else. */
function thetaShape(rec: TensorRecord, li: number): { rows: number; cols: number } {
  const names = tensorsOf(rec, li).map(([k]) => k);
  if (names.length !== 2 || names[0] !== 'W' || names[1] !== 'b') {
    throw new ValidationError(`weights[${li}]`, `the notes' layout has one Θ = [b | W] per dense layer; this layer holds ${names.join(', ') || 'no parameters'}`);
  }
  const rows = rec.b!.length;
  if (rows === 0 || rec.W!.length % rows !== 0) throw new ValidationError(`weights[${li}].W`, `has ${rec.W!.length} values, not a multiple of b's ${rows}`);
  return { rows, cols: rec.W!.length / rows + 1 };
}

function sourceWeights(source: { getWeights(): TensorRecord[] } | readonly TensorRecord[]): readonly TensorRecord[] {
  if (Array.isArray(source)) return source;
  if (source && typeof (source as { getWeights?: unknown }).getWeights === 'function') return (source as { getWeights(): TensorRecord[] }).getWeights();
  throw new ValidationError('source', `expected a model or an array of layer tensors (getWeights(), grads), got ${String(source)}`);
}

/**
 * The parameters (a model's, or per-layer tensors such as lossAndGradients().grads) as one vector.
 * @example const thetaVec = unroll(model, { layout: 'notes' }); // [Theta1(:); Theta2(:); …]
 */
export function unroll(source: { getWeights(): TensorRecord[] } | readonly TensorRecord[], options?: UnrollOptions): Float64Array {
  const layout = checkLayout(options);
  const layers = sourceWeights(source).filter((rec, li) => tensorsOf(rec, li).length > 0);
  const out: number[] = [];
  layers.forEach((rec, li) => {
    if (layout === 'simdnet') {
      for (const [, t] of tensorsOf(rec, li)) for (let i = 0; i < t.length; i++) out.push(t[i]!);
      return;
    }
    const { rows, cols } = thetaShape(rec, li);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) out.push(c === 0 ? rec.b![r]! : rec.W![r * (cols - 1) + c - 1]!);
    }
  });
  return Float64Array.from(out);
}

/** What the vector is reshaped into: a model (its getWeights() gives the tensors and sizes), per-layer tensors of the same sizes, or the notes' layer sizes [s1, s2, …, sL] of a dense network. */
export type ReshapeTemplate = { getWeights(): TensorRecord[] } | readonly TensorRecord[] | readonly number[];

function templateRecords(like: ReshapeTemplate): readonly TensorRecord[] {
  if (Array.isArray(like) && like.every((v) => typeof v === 'number')) {
    const sizes = like as readonly number[];
    if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new ValidationError('sizes', `expected at least two positive integer layer sizes [s1, …, sL], got [${sizes.join(', ')}]`);
    }
    return sizes.slice(1).map((out, l) => ({ W: { length: out * sizes[l]! }, b: { length: out } }) as unknown as TensorRecord);
  }
  return sourceWeights(like as { getWeights(): TensorRecord[] } | readonly TensorRecord[]);
}

/**
 * A vector from unroll() (or Octave's thetaVec) back into per-layer tensors { W, b, … }, which
 * setWeights() takes. The template gives the sizes.
 * @example const [L1, L2, L3] = reshape(thetaVec, [10, 10, 10, 1], { layout: 'notes' }); model.setWeights([L1, L2, L3])
 */
export function reshape(theta: ArrayLike<number>, like: ReshapeTemplate, options?: UnrollOptions): Record<string, Float64Array>[] {
  const layout = checkLayout(options);
  if (!theta || typeof theta.length !== 'number') throw new ValidationError('theta', `expected an array of numbers, got ${String(theta)}`);
  const layers = templateRecords(like).filter((rec, li) => tensorsOf(rec, li).length > 0);
  const need = layers.reduce((s, rec, li) => s + tensorsOf(rec, li).reduce((t, [, v]) => t + v.length, 0), 0);
  if (theta.length !== need) throw new ValidationError('theta', `has ${theta.length} values, the layers hold ${need}`);
  for (let i = 0; i < theta.length; i++) {
    if (!Number.isFinite(theta[i])) throw new ValidationError('theta', `value ${i} is ${theta[i]}, expected a finite number`);
  }
  let off = 0;
  return layers.map((rec, li) => {
    const out: Record<string, Float64Array> = {};
    if (layout === 'simdnet') {
      for (const [k, t] of tensorsOf(rec, li)) { out[k] = Float64Array.from({ length: t.length }, (_, i) => theta[off + i]!); off += t.length; }
      return out;
    }
    const { rows, cols } = thetaShape(rec, li);
    const W = new Float64Array(rows * (cols - 1));
    const b = new Float64Array(rows);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) {
        const v = theta[off + c * rows + r]!;
        if (c === 0) b[r] = v; else W[r * (cols - 1) + c - 1] = v;
      }
    }
    off += rows * cols;
    out.W = W;
    out.b = b;
    return out;
  });
}
