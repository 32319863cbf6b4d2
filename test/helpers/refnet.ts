// An independent float64 implementation of a Sequential network's training-mode cost J(θ),
// written from the definitions (not from the library), used as the oracle for gradient checks:
// central differences of this function in float64 are compared with the library's backprop.

import type { LayerSpec } from '../../src/nn/layers.js';
import { ACTIVATION_ORACLE, sigmoid64 } from './oracle.js';

export type RefWeights = Record<string, Float64Array>[];

const sig = sigmoid64;

/** An activation's value in f64 from the shared oracle (prelu's slope is the unit's, given as alpha). */
export function refActivation(name: string, x: number, j: number, alpha: number, beta: number): number {
  const o = ACTIVATION_ORACLE[name as keyof typeof ACTIVATION_ORACLE];
  if (!o) throw new Error(`refActivation: ${name}`);
  return o.f(x, alpha, beta, j);
}

export interface RefOptions {
  loss: 'categoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError' | 'squaredError' | 'negativeLogLikelihood';
  l2: number;
  /** 'mean' (default): J = (1/m)·Σ loss_i + (λ/2n)·ΣW²; 'sum': J = Σ loss_i + (λ·m/2n)·ΣW² (m = rows). */
  reduction?: 'mean' | 'sum';
  /** The n of the L2 term (default: rows, the notes' J over these rows). */
  l2Rows?: number;
  /** Dropout masks (values 0 or 1/(1−p)) per dropout layer index, [rows×units]. */
  masks?: Map<number, ArrayLike<number>>;
}

/** J(θ) in float64 for inputs X[rows×d], targets Y[rows×K], training mode. */
export function refCost(specs: readonly LayerSpec[], weights: RefWeights, X: ArrayLike<number>, rows: number, d: number,
  Y: ArrayLike<number>, opts: RefOptions): number {
  let a: Float64Array = Float64Array.from(X);
  let size = d;
  let wi = 0;
  let sumW2 = 0;
  specs.forEach((spec, li) => {
    if (spec.type === 'dense') {
      const w = weights[wi++]!;
      const W = w.W!;
      const b = w.b!;
      const out = spec.units;
      const z = new Float64Array(rows * out);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < out; o++) {
          let s = b[o]!;
          for (let i = 0; i < size; i++) s += W[o * size + i]! * a[r * size + i]!;
          z[r * out + o] = s;
        }
      }
      for (let i = 0; i < W.length; i++) sumW2 += W[i]! * W[i]!;
      const act = new Float64Array(rows * out);
      if (spec.activation === 'logSoftmax') {
        // a_j = z_j − log Σ_k e^{z_k}, directly (the NLL loss below reads these log-probabilities)
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let o = 0; o < out; o++) s += Math.exp(z[r * out + o]!);
          for (let o = 0; o < out; o++) act[r * out + o] = z[r * out + o]! - Math.log(s);
        }
      } else if (li === specs.length - 1 && (spec.activation === 'softmax' || opts.loss !== 'meanSquaredError' && opts.loss !== 'squaredError')) {
        act.set(z); // logits: the loss applies softmax / sigmoid itself
      } else {
        for (let r = 0; r < rows; r++) {
          for (let o = 0; o < out; o++) {
            const x = z[r * out + o]!;
            act[r * out + o] = refActivation(spec.activation, x, o, spec.activation === 'prelu' ? w.slope![o]! : spec.alpha, spec.beta);
          }
        }
      }
      a = act;
      size = out;
    } else if (spec.type === 'dropout') {
      const mask = opts.masks?.get(li);
      if (mask && spec.rate > 0) for (let i = 0; i < a.length; i++) a[i]! *= mask[i]!;
    } else {
      const w = weights[wi++]!;
      const out = new Float64Array(rows * size);
      for (let j = 0; j < size; j++) {
        let mean = 0;
        for (let r = 0; r < rows; r++) mean += a[r * size + j]!;
        mean /= rows;
        let v = 0;
        for (let r = 0; r < rows; r++) v += (a[r * size + j]! - mean) ** 2;
        v /= rows;
        const inv = 1 / Math.sqrt(v + spec.epsilon);
        for (let r = 0; r < rows; r++) out[r * size + j] = w.gamma![j]! * (a[r * size + j]! - mean) * inv + w.beta![j]!;
      }
      a = out;
    }
  });
  const K = size;
  let J = 0;
  for (let r = 0; r < rows; r++) {
    if (opts.loss === 'categoricalCrossentropy') {
      let mx = -Infinity;
      for (let j = 0; j < K; j++) mx = Math.max(mx, a[r * K + j]!);
      let s = 0;
      for (let j = 0; j < K; j++) s += Math.exp(a[r * K + j]! - mx);
      const lse = mx + Math.log(s);
      for (let j = 0; j < K; j++) J -= Y[r * K + j]! * (a[r * K + j]! - lse);
    } else if (opts.loss === 'negativeLogLikelihood') {
      for (let j = 0; j < K; j++) J -= Y[r * K + j]! * a[r * K + j]!;
    } else if (opts.loss === 'binaryCrossentropy') {
      for (let j = 0; j < K; j++) {
        const p = sig(a[r * K + j]!);
        const y = Y[r * K + j]!;
        J -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
      }
    } else {
      for (let j = 0; j < K; j++) J += (a[r * K + j]! - Y[r * K + j]!) ** 2;
    }
  }
  const n = opts.l2Rows ?? rows;
  return opts.reduction === 'sum' ? J + ((opts.l2 * rows) / (2 * n)) * sumW2 : J / rows + (opts.l2 / (2 * n)) * sumW2;
}

/** Central-difference gradient of refCost w.r.t. every parameter, in the unrolled order. */
export function refNumericGradient(specs: readonly LayerSpec[], weights: RefWeights, X: ArrayLike<number>, rows: number, d: number,
  Y: ArrayLike<number>, opts: RefOptions, h = 1e-6): Float64Array {
  const tensors: Float64Array[] = [];
  const order = (w: Record<string, Float64Array>) => ['W', 'b', 'slope', 'gamma', 'beta'].filter((k) => w[k]).map((k) => w[k]!);
  for (const w of weights) tensors.push(...order(w));
  const total = tensors.reduce((s, t) => s + t.length, 0);
  const g = new Float64Array(total);
  let off = 0;
  for (const t of tensors) {
    for (let i = 0; i < t.length; i++) {
      const keep = t[i]!;
      t[i] = keep + h;
      const plus = refCost(specs, weights, X, rows, d, Y, opts);
      t[i] = keep - h;
      const minus = refCost(specs, weights, X, rows, d, Y, opts);
      t[i] = keep;
      g[off + i] = (plus - minus) / (2 * h);
    }
    off += t.length;
  }
  return g;
}

/** ‖a − b‖ / (‖a‖ + ‖b‖). */
export function normRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const den = Math.sqrt(na) + Math.sqrt(nb);
  return den === 0 ? 0 : Math.sqrt(d) / den;
}
