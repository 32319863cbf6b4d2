// Gradient checking by two-sided differences (the lecture notes' recipe): perturb each parameter
// θ_i by ±ε, recompute J, and compare (J(θ+ε) − J(θ−ε))/2ε with backpropagation's gradient. In
// float32 (the model itself) or float64 (a double-precision copy: the pure-TS kernels on WideViews),
// where ε = 1e-4 leaves only the O(ε²) truncation of the difference.

import type { MatrixLike } from '../data/matrix.js';
import { ValidationError } from '../errors.js';
import type { Sequential } from '../nn/sequential.js';
import type { TargetsLike } from '../nn/targets.js';
import { checkPrecision, withPrecision, type Precision } from '../nn/twin.js';
import { Rng } from '../rng.js';
import type { TrainingSession } from './session.js';

export interface GradientCheckOptions {
  /** Step ε. Default 1e-3 in float32 (smaller steps drown in rounding), 1e-4 in float64 (the notes' value). */
  epsilon?: number;
  /** Check at most this many entries per tensor (a seeded random subset); default all. */
  maxPerTensor?: number;
  seed?: number;
  /** 'float32' (default): the model's own arithmetic; 'float64': a double-precision copy of the model. */
  precision?: Precision;
}

export interface TensorCheck {
  /** Index of the layer in the model's layer list. */
  layer: number;
  tensor: string;
  /** Where the tensor starts in the unrolled vectors (getParams' order). */
  offset: number;
  size: number;
  checked: number;
  /** ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over the checked entries (0 when both vanish). */
  relativeError: number;
  maxAbsoluteError: number;
}

export interface GradientCheckResult {
  precision: Precision;
  epsilon: number;
  /** J at θ (mean loss plus the L2 term). */
  loss: number;
  /** The central differences (J(θ + ε·e_i) − J(θ − ε·e_i)) / 2ε in the unrolled order (getParams'); NaN where not checked (maxPerTensor). */
  numeric: Float64Array;
  /** Backpropagation's gradient, unrolled the same way (lossAndGradients' gradVector). */
  analytic: Float64Array;
  /** Per parameter |analytic − numeric| / (|analytic| + |numeric|), 0 where both vanish, NaN where not checked. */
  relativeError: Float64Array;
  /** ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over every checked entry of every tensor. */
  overallRelativeError: number;
  /** The largest per-tensor relative error (the norm form, per tensor). */
  maxRelativeError: number;
  maxAbsoluteError: number;
  /** Entries compared. */
  checked: number;
  perLayer: TensorCheck[];
}

/**
 * Compares backpropagation with central differences for every parameter, and returns both vectors.
 * @example const { numeric, analytic, maxRelativeError } = gradientCheck(model, X, y, { precision: 'float64', epsilon: 1e-4 }); // ≲ 1e-7
 */
export function gradientCheck(model: Sequential, X: MatrixLike, y: TargetsLike, options: GradientCheckOptions = {}): GradientCheckResult {
  const session = model.session;
  const precision = checkPrecision(options.precision);
  return withPrecision(precision, session.net, session, (_net, s) => checkSession(s!, X, y, options));
}

/** gradientCheck() on a training session (in its own precision). */
export function checkSession(session: TrainingSession, X: MatrixLike, y: TargetsLike, options: GradientCheckOptions = {}): GradientCheckResult {
  const { net } = session;
  const precision = net.backend.precision;
  const eps = options.epsilon ?? (precision === 'float64' ? 1e-4 : 1e-3);
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw new ValidationError('epsilon', `expected a positive number, got ${eps}`);
  const maxPer = options.maxPerTensor;
  if (maxPer !== undefined && !(Number.isInteger(maxPer) && maxPer >= 1)) throw new ValidationError('maxPerTensor', `expected a positive integer, got ${maxPer}`);
  const M = net.toInput(X);
  const T = session.targets(y, M.rows);
  const J = () => session.lossAndGradients(M, T);
  const loss = J();
  const n = net.paramCount;
  const analytic = new Float64Array(n);
  let at = 0;
  for (const p of net.params) { analytic.set(net.arena.views.f32.subarray(p.gradPtr >>> 2, (p.gradPtr >>> 2) + p.size), at); at += p.size; }
  const numeric = new Float64Array(n).fill(NaN);
  const relativeError = new Float64Array(n).fill(NaN);
  const rng = new Rng(options.seed ?? 1);
  const perLayer: TensorCheck[] = [];
  let offset = 0;
  let [diffAll, aAll, nAll, maxAbsAll, checkedAll] = [0, 0, 0, 0, 0];
  net.runtimes.forEach((rt, layer) => {
    for (const p of rt.params) {
      let indices = Array.from({ length: p.size }, (_, i) => i);
      if (maxPer !== undefined && p.size > maxPer) {
        rng.shuffle(indices);
        indices = indices.slice(0, maxPer).sort((a, b) => a - b);
      }
      let [diff2, a2, n2, maxAbs] = [0, 0, 0, 0];
      for (const i of indices) {
        const at = (p.ptr >>> 2) + i;
        const original = net.arena.views.f32[at]!;
        net.arena.views.f32[at] = original + eps;
        const plus = J();
        net.arena.views.f32[at] = original - eps;
        const minus = J();
        net.arena.views.f32[at] = original;
        const g = (plus - minus) / (2 * eps);
        const a = analytic[offset + i]!;
        numeric[offset + i] = g;
        const sum = Math.abs(a) + Math.abs(g);
        relativeError[offset + i] = sum === 0 ? 0 : Math.abs(a - g) / sum;
        diff2 += (a - g) ** 2;
        a2 += a * a;
        n2 += g * g;
        maxAbs = Math.max(maxAbs, Math.abs(a - g));
      }
      const denom = Math.sqrt(a2) + Math.sqrt(n2);
      perLayer.push({ layer, tensor: p.name, offset, size: p.size, checked: indices.length, relativeError: denom === 0 ? 0 : Math.sqrt(diff2) / denom, maxAbsoluteError: maxAbs });
      diffAll += diff2; aAll += a2; nAll += n2; maxAbsAll = Math.max(maxAbsAll, maxAbs); checkedAll += indices.length;
      offset += p.size;
    }
  });
  J(); // leave the analytic gradients in place
  const denomAll = Math.sqrt(aAll) + Math.sqrt(nAll);
  return {
    precision, epsilon: eps, loss, numeric, analytic, relativeError,
    overallRelativeError: denomAll === 0 ? 0 : Math.sqrt(diffAll) / denomAll,
    maxRelativeError: perLayer.reduce((m, t) => Math.max(m, t.relativeError), 0),
    maxAbsoluteError: maxAbsAll, checked: checkedAll, perLayer,
  };
}
