// Optimizers: plain, serializable specs (sgd(), adam()...) and the runtime that owns their state
// buffers in the arena and applies one step to every parameter tensor through the kernels.
// Update rules follow PyTorch's conventions (see src/kernels/abi.ts OptimAbi).

import { ValidationError } from '../errors.js';
import type { KernelAbi } from '../kernels/abi.js';
import type { Arena } from '../memory/arena.js';
import type { ParamTensor } from '../nn/layers.js';

/** Learning-rate schedules, evaluated once per epoch (epoch counts from 0). */
export type Schedule =
  | { type: 'step'; initial: number; factor: number; every: number }
  | { type: 'exponential'; initial: number; rate: number; every: number }
  | { type: 'cosine'; initial: number; epochs: number; min: number };

export type LearningRate = number | Schedule;

/**
 * lr = initial·factor^⌊epoch/every⌋.
 * @example sgd({ learningRate: stepDecay({ initial: 0.1, factor: 0.5, every: 10 }) })
 */
export function stepDecay(o: { initial: number; factor?: number; every?: number }): Schedule {
  return { type: 'step', initial: o.initial, factor: o.factor ?? 0.5, every: o.every ?? 10 };
}

/**
 * lr = initial·rate^(epoch/every).
 * @example adam({ learningRate: exponentialDecay({ initial: 1e-3, rate: 0.96 }) })
 */
export function exponentialDecay(o: { initial: number; rate?: number; every?: number }): Schedule {
  return { type: 'exponential', initial: o.initial, rate: o.rate ?? 0.96, every: o.every ?? 1 };
}

/**
 * lr = min + (initial − min)·(1 + cos(π·epoch/epochs))/2, then min after `epochs`.
 * @example sgd({ learningRate: cosineDecay({ initial: 0.1, epochs: 50 }) })
 */
export function cosineDecay(o: { initial: number; epochs: number; min?: number }): Schedule {
  return { type: 'cosine', initial: o.initial, epochs: o.epochs, min: o.min ?? 0 };
}

/** The learning rate a number or schedule gives at an epoch (from 0). @example learningRateAt(stepDecay({ initial: 0.1 }), 10) // 0.05 */
export function learningRateAt(lr: LearningRate, epoch: number): number {
  if (typeof lr === 'number') return lr;
  switch (lr.type) {
    case 'step': return lr.initial * Math.pow(lr.factor, Math.floor(epoch / lr.every));
    case 'exponential': return lr.initial * Math.pow(lr.rate, epoch / lr.every);
    case 'cosine': {
      const t = Math.min(epoch, lr.epochs) / lr.epochs;
      return lr.min + (lr.initial - lr.min) * (1 + Math.cos(Math.PI * t)) / 2;
    }
  }
}

function checkLearningRate(lr: unknown): LearningRate {
  if (typeof lr === 'number') {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new ValidationError('learningRate', `expected a positive finite number, got ${lr}`);
    return lr;
  }
  const s = lr as Schedule;
  if (!s || typeof s !== 'object' || !['step', 'exponential', 'cosine'].includes(s.type)) {
    throw new ValidationError('learningRate', `expected a number or a schedule (stepDecay, exponentialDecay, cosineDecay), got ${JSON.stringify(lr)}`);
  }
  if (!(s.initial > 0)) throw new ValidationError('learningRate.initial', `expected a positive number, got ${s.initial}`);
  return s;
}

export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop', 'adagrad'];

export interface OptimizerSpec {
  type: OptimizerName;
  learningRate: LearningRate;
  /** momentum / nesterov: μ (default 0.9). */
  momentum?: number;
  /** adam/adamw: β1, β2 (0.9, 0.999); rmsprop: rho (0.9). */
  beta1?: number;
  beta2?: number;
  rho?: number;
  /** adam 1e-8, rmsprop 1e-7, adagrad 1e-10 by default. */
  epsilon?: number;
  /** adamw: decoupled weight decay (default 0.01), applied to weights only. */
  weightDecay?: number;
  /** Rescale all gradients together when their global L2 norm exceeds this. */
  clipNorm?: number;
}

type Common = { learningRate?: LearningRate; clipNorm?: number };

/** Plain SGD, or with `momentum` > 0 the heavy-ball method (`nesterov: true` for Nesterov). @example sgd({ learningRate: 0.1 }) */
export function sgd(o: Common & { momentum?: number; nesterov?: boolean } = {}): OptimizerSpec {
  const mu = o.momentum ?? 0;
  const type: OptimizerName = mu > 0 ? (o.nesterov ? 'nesterov' : 'momentum') : 'sgd';
  return finish({ type, learningRate: o.learningRate ?? 0.01, momentum: mu, clipNorm: o.clipNorm });
}
/** SGD with momentum: v = μv + g; p −= lr·v. @example momentum({ learningRate: 0.05, momentum: 0.9 }) */
export function momentum(o: Common & { momentum?: number } = {}): OptimizerSpec {
  return finish({ type: 'momentum', learningRate: o.learningRate ?? 0.01, momentum: o.momentum ?? 0.9, clipNorm: o.clipNorm });
}
/** Nesterov momentum (PyTorch form). @example nesterov({ learningRate: 0.05 }) */
export function nesterov(o: Common & { momentum?: number } = {}): OptimizerSpec {
  return finish({ type: 'nesterov', learningRate: o.learningRate ?? 0.01, momentum: o.momentum ?? 0.9, clipNorm: o.clipNorm });
}
/** Adam with bias correction. @example adam({ learningRate: 1e-3 }) */
export function adam(o: Common & { beta1?: number; beta2?: number; epsilon?: number } = {}): OptimizerSpec {
  return finish({ type: 'adam', learningRate: o.learningRate ?? 1e-3, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.epsilon ?? 1e-8, clipNorm: o.clipNorm });
}
/** Adam with decoupled weight decay on the weights. @example adamw({ learningRate: 1e-3, weightDecay: 0.01 }) */
export function adamw(o: Common & { beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number } = {}): OptimizerSpec {
  return finish({ type: 'adamw', learningRate: o.learningRate ?? 1e-3, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.epsilon ?? 1e-8, weightDecay: o.weightDecay ?? 0.01, clipNorm: o.clipNorm });
}
/** RMSProp: v = ρv + (1−ρ)g²; p −= lr·g/(√v + ε). @example rmsprop({ learningRate: 1e-3 }) */
export function rmsprop(o: Common & { rho?: number; epsilon?: number } = {}): OptimizerSpec {
  return finish({ type: 'rmsprop', learningRate: o.learningRate ?? 1e-3, rho: o.rho ?? 0.9, epsilon: o.epsilon ?? 1e-7, clipNorm: o.clipNorm });
}
/** Adagrad: s += g²; p −= lr·g/(√s + ε). @example adagrad({ learningRate: 0.01 }) */
export function adagrad(o: Common & { epsilon?: number } = {}): OptimizerSpec {
  return finish({ type: 'adagrad', learningRate: o.learningRate ?? 0.01, epsilon: o.epsilon ?? 1e-10, clipNorm: o.clipNorm });
}

function inUnit(v: number | undefined, arg: string, lo = 0, hiOpen = 1): void {
  if (v !== undefined && !(v >= lo && v < hiOpen)) throw new ValidationError(arg, `expected ${lo} ≤ value < ${hiOpen}, got ${v}`);
}

function finish(spec: OptimizerSpec): OptimizerSpec {
  spec.learningRate = checkLearningRate(spec.learningRate);
  inUnit(spec.momentum, 'momentum');
  inUnit(spec.beta1, 'beta1');
  inUnit(spec.beta2, 'beta2');
  inUnit(spec.rho, 'rho');
  if (spec.epsilon !== undefined && !(spec.epsilon > 0)) throw new ValidationError('epsilon', `expected a positive number, got ${spec.epsilon}`);
  if (spec.weightDecay !== undefined && !(spec.weightDecay >= 0)) throw new ValidationError('weightDecay', `expected ≥ 0, got ${spec.weightDecay}`);
  if (spec.clipNorm === undefined) delete spec.clipNorm;
  else if (!(spec.clipNorm > 0)) throw new ValidationError('clipNorm', `expected a positive number, got ${spec.clipNorm}`);
  return spec;
}

const FACTORIES: Record<OptimizerName, (o: Record<string, unknown>) => OptimizerSpec> = {
  sgd: (o) => sgd(o), momentum: (o) => momentum(o), nesterov: (o) => nesterov(o), adam: (o) => adam(o),
  adamw: (o) => adamw(o), rmsprop: (o) => rmsprop(o), adagrad: (o) => adagrad(o),
};

/** Accepts an optimizer spec or its name (defaults), e.g. 'adam'. */
export function resolveOptimizer(opt: OptimizerSpec | OptimizerName | undefined, overrides: Record<string, unknown> = {}): OptimizerSpec {
  if (opt === undefined) opt = 'adam';
  if (typeof opt === 'string') {
    const make = FACTORIES[opt as OptimizerName];
    if (!make) throw new ValidationError('optimizer', `unknown optimizer ${JSON.stringify(opt)}; expected one of ${OPTIMIZERS.join(', ')}`);
    return make(overrides);
  }
  if (typeof opt !== 'object' || !FACTORIES[opt.type]) {
    throw new ValidationError('optimizer', `expected an optimizer (sgd(), adam(), ...) or one of ${OPTIMIZERS.join(', ')}, got ${JSON.stringify(opt)}`);
  }
  return FACTORIES[opt.type]({ ...opt, ...overrides });
}

/** Owns the optimizer's state (velocities, moments) for a set of parameter tensors. */
export class OptimizerRuntime {
  private state1: number[] = [];
  private state2: number[] = [];
  /** Steps taken (Adam's t). */
  t = 0;
  /** The rate step() applies (a field, not an argument: passing a double to a call boxes it). */
  learningRate: number;

  constructor(readonly spec: OptimizerSpec, private readonly k: KernelAbi, private readonly arena: Arena, private readonly params: ParamTensor[]) {
    this.learningRate = learningRateAt(spec.learningRate, 0);
    const two = spec.type === 'adam' || spec.type === 'adamw';
    const one = spec.type !== 'sgd';
    for (const p of params) {
      this.state1.push(one ? arena.allocZeroed(p.size * 4) : 0);
      this.state2.push(two ? arena.allocZeroed(p.size * 4) : 0);
    }
  }

  /** Clears the moments (a new fit starts from scratch). */
  reset(): void {
    this.t = 0;
    for (let i = 0; i < this.params.length; i++) {
      const n = this.params[i]!.size;
      if (this.state1[i]) this.k.f32_fill(this.state1[i]!, n, 0);
      if (this.state2[i]) this.k.f32_fill(this.state2[i]!, n, 0);
    }
  }

  /** Applies one update with `learningRate` to every tensor (gradients already complete). */
  step(): void {
    const { k, spec, params } = this;
    const lr = this.learningRate;
    this.t++;
    if (spec.clipNorm !== undefined) {
      let sq = 0;
      for (let i = 0; i < params.length; i++) sq += k.f32_sumsq(params[i]!.gradPtr, params[i]!.size);
      const norm = Math.sqrt(sq);
      if (norm > spec.clipNorm) {
        const s = spec.clipNorm / norm;
        for (let i = 0; i < params.length; i++) k.f32_scale(params[i]!.gradPtr, params[i]!.gradPtr, params[i]!.size, s);
      }
    }
    const c1 = 1 / (1 - Math.pow(spec.beta1 ?? 0.9, this.t));
    const c2 = 1 / (1 - Math.pow(spec.beta2 ?? 0.999, this.t));
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      switch (spec.type) {
        case 'sgd': k.f32_sgd_step(p.ptr, p.gradPtr, p.size, lr); break;
        case 'momentum': k.f32_momentum_step(p.ptr, p.gradPtr, this.state1[i]!, p.size, lr, spec.momentum!); break;
        case 'nesterov': k.f32_nesterov_step(p.ptr, p.gradPtr, this.state1[i]!, p.size, lr, spec.momentum!); break;
        case 'adam': case 'adamw':
          k.f32_adam_step(p.ptr, p.gradPtr, this.state1[i]!, this.state2[i]!, p.size, lr, spec.beta1!, spec.beta2!, spec.epsilon!, c1, c2,
            spec.type === 'adamw' && p.decay ? spec.weightDecay! : 0);
          break;
        case 'rmsprop': k.f32_rmsprop_step(p.ptr, p.gradPtr, this.state1[i]!, p.size, lr, spec.rho!, spec.epsilon!); break;
        case 'adagrad': k.f32_adagrad_step(p.ptr, p.gradPtr, this.state1[i]!, p.size, lr, spec.epsilon!); break;
      }
    }
  }

  dispose(): void {
    for (const p of [...this.state1, ...this.state2]) if (p) this.arena.free(p);
    this.state1 = [];
    this.state2 = [];
  }
}
