// Gradient checking by two-sided differences (the lecture notes' recipe): perturb each parameter
// θ_i by ±ε, recompute J, and compare (J(θ+ε) − J(θ−ε))/2ε with backpropagation's gradient.

import type { MatrixLike } from '../data/matrix.js';
import { ValidationError } from '../errors.js';
import { unroll } from '../nn/params.js';
import type { Sequential } from '../nn/sequential.js';
import type { TargetsLike } from '../nn/targets.js';
import { Rng } from '../rng.js';
import type { TrainingSession } from './session.js';

export interface GradientCheckOptions {
  /** Step ε (default 1e-3: the model computes in float32, so smaller steps drown in rounding). */
  epsilon?: number;
  /** Check at most this many entries per tensor (a seeded random subset); default all. */
  maxPerTensor?: number;
  seed?: number;
}

export interface TensorCheck {
  /** Index of the layer in the model's layer list. */
  layer: number;
  tensor: string;
  checked: number;
  /** ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over the checked entries (0 when both vanish). */
  relativeError: number;
  maxAbsoluteError: number;
}

export interface GradientCheckResult {
  maxRelativeError: number;
  perLayer: TensorCheck[];
}

/**
 * Compares backpropagation with central differences for every parameter tensor.
 * @example const { maxRelativeError } = gradientCheck(model, X, y, { epsilon: 1e-3 }); // ≲ 1e-2 in float32
 */
export function gradientCheck(model: Sequential, X: MatrixLike, y: TargetsLike, options: GradientCheckOptions = {}): GradientCheckResult {
  return checkSession(model.session, X, y, options);
}

/** gradientCheck() on a training session. */
export function checkSession(session: TrainingSession, X: MatrixLike, y: TargetsLike, options: GradientCheckOptions = {}): GradientCheckResult {
  const eps = options.epsilon ?? 1e-3;
  if (!(eps > 0)) throw new ValidationError('epsilon', `expected a positive number, got ${eps}`);
  const { net } = session;
  const M = net.toInput(X);
  const T = session.targets(y, M.rows);
  const J = () => session.lossAndGradients(M, T);
  J();
  const analytic = unroll(net, true);
  const rng = new Rng(options.seed ?? 1);
  const perLayer: TensorCheck[] = [];
  let offset = 0;
  net.runtimes.forEach((rt, layer) => {
    for (const p of rt.params) {
      let indices = Array.from({ length: p.size }, (_, i) => i);
      if (options.maxPerTensor !== undefined && p.size > options.maxPerTensor) {
        rng.shuffle(indices);
        indices = indices.slice(0, options.maxPerTensor).sort((a, b) => a - b);
      }
      let diff2 = 0;
      let a2 = 0;
      let n2 = 0;
      let maxAbs = 0;
      for (const i of indices) {
        const at = (p.ptr >>> 2) + i;
        const original = net.arena.views.f32[at]!;
        net.arena.views.f32[at] = original + eps;
        const plus = J();
        net.arena.views.f32[at] = original - eps;
        const minus = J();
        net.arena.views.f32[at] = original;
        const numeric = (plus - minus) / (2 * eps);
        const a = analytic[offset + i]!;
        diff2 += (a - numeric) ** 2;
        a2 += a * a;
        n2 += numeric * numeric;
        maxAbs = Math.max(maxAbs, Math.abs(a - numeric));
      }
      const denom = Math.sqrt(a2) + Math.sqrt(n2);
      perLayer.push({ layer, tensor: p.name, checked: indices.length, relativeError: denom === 0 ? 0 : Math.sqrt(diff2) / denom, maxAbsoluteError: maxAbs });
      offset += p.size;
    }
  });
  J(); // leave the analytic gradients in place
  return { maxRelativeError: perLayer.reduce((m, t) => Math.max(m, t.relativeError), 0), perLayer };
}
