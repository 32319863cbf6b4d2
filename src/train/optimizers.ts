// Optimizers: plain, serializable specs (sgd(), adam()...) built from the one optimizer table —
// each optimizer's defaults, how many state buffers it keeps per parameter tensor, and its step —
// plus the learning-rate schedules. The runtime that owns the state in the arena is
// optimizer-runtime.ts. Update rules follow PyTorch's conventions (see src/kernels/abi.ts OptimAbi).

import { ValidationError } from '../errors.js';
import type { KernelAbi } from '../kernels/abi.js';

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
    // 0 is allowed: fit then only measures (diagnostics, history) and leaves the weights as they are.
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new ValidationError('learningRate', `expected a finite number ≥ 0, got ${lr}`);
    return lr;
  }
  const s = lr as Schedule;
  if (!s || typeof s !== 'object' || !['step', 'exponential', 'cosine'].includes(s.type)) {
    throw new ValidationError('learningRate', `expected a number or a schedule (stepDecay, exponentialDecay, cosineDecay), got ${JSON.stringify(lr)}`);
  }
  // every field of a schedule finite and in range: an infinite initial or a zero `every` would train on NaN steps
  const positive = (k: string, v: unknown) => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ValidationError(`learningRate.${k}`, `expected a finite positive number, got ${String(v)}`);
  };
  positive('initial', s.initial);
  if (s.type === 'step') { positive('factor', s.factor); positive('every', s.every); }
  else if (s.type === 'exponential') { positive('rate', s.rate); positive('every', s.every); }
  else {
    positive('epochs', s.epochs);
    if (typeof s.min !== 'number' || !(s.min >= 0) || !(s.min <= s.initial)) throw new ValidationError('learningRate.min', `expected a number in [0, initial = ${s.initial}], got ${String(s.min)}`);
  }
  return s;
}

/**
 * An optimizer's settings as plain, serializable data (what sgd(), adam()... return and model
 * files store). Hyperparameters not used by `type` are absent.
 */
export interface OptimizerSpec {
  type: OptimizerName;
  learningRate: LearningRate;
  /** momentum / nesterov: μ (default 0.9). */
  momentum?: number;
  /** adam/adamw/adamax: β1, β2 (0.9, 0.999); rmsprop: rho (0.9). */
  beta1?: number;
  beta2?: number;
  rho?: number;
  /** adam 1e-8, rmsprop 1e-7, adagrad 1e-10 by default. */
  epsilon?: number;
  /** nadam: ψ of the momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ)) (default 4e-3). */
  momentumDecay?: number;
  /** adamw: decoupled weight decay (default 0.01), applied to the tensors that decay (weights, never biases). */
  weightDecay?: number;
  /** Rescale all gradients together when their global L2 norm exceeds this. */
  clipNorm?: number;
}

/** The hyperparameters a spec may hold, each with its valid range. */
type Hyper = 'momentum' | 'beta1' | 'beta2' | 'rho' | 'epsilon' | 'weightDecay' | 'momentumDecay';
const HYPER_RANGE: Record<Hyper, (v: number) => string | undefined> = {
  momentum: (v) => unit(v), beta1: (v) => unit(v), beta2: (v) => unit(v), rho: (v) => unit(v),
  epsilon: (v) => (v > 0 && v < Infinity ? undefined : `expected a finite positive number, got ${v}`),
  weightDecay: (v) => (v >= 0 && v < Infinity ? undefined : `expected a finite number ≥ 0, got ${v}`),
  momentumDecay: (v) => (v >= 0 && v < Infinity ? undefined : `expected a finite number ≥ 0, got ${v}`),
};
function unit(v: number): string | undefined {
  return v >= 0 && v < 1 ? undefined : `expected 0 ≤ value < 1, got ${v}`;
}

/** Slots of the Float64Array of numbers a step reads (H_LR is set each epoch, the others from the spec; H_C1..H_C3 per
 *  step; H_MU_PRODUCT/H_MU_STEP: NAdam's Π μ_i and the step it belongs to). @internal */
export const H_LR = 0, H_MOMENTUM = 1, H_BETA1 = 2, H_BETA2 = 3, H_RHO = 4, H_EPSILON = 5, H_WEIGHT_DECAY = 6, H_MOMENTUM_DECAY = 7;
/** @internal */
export const H_C1 = 8, H_C2 = 9, H_C3 = 10, H_MU_PRODUCT = 11, H_MU_STEP = 12;
/** @internal */
export const H_SLOTS = 13;
const HYPER_SLOT: Record<Hyper, number> = {
  momentum: H_MOMENTUM, beta1: H_BETA1, beta2: H_BETA2, rho: H_RHO, epsilon: H_EPSILON, weightDecay: H_WEIGHT_DECAY, momentumDecay: H_MOMENTUM_DECAY,
};

/** The parameter tensor a step updates (what the layers' ParamTensor provides). */
export interface StepTensor {
  readonly size: number; readonly decay: boolean; readonly ptr: number; readonly gradPtr: number;
  /** Its update can run inside its layer's dW GEMM (dense W), with stepStatePtr its velocity there. */
  readonly fusedStep?: true; stepStatePtr?: number;
}

export interface OptimizerRecord {
  /** The default learning rate and hyperparameters, in the order a spec lists them. */
  readonly defaults: { readonly learningRate: number } & { readonly [K in Hyper]?: number };
  /** State buffers per parameter tensor (velocities, moments, AMSGrad's running maximum), each as large as the tensor. */
  readonly states: 0 | 1 | 2 | 3;
  /** The update rule in one line (docs/training.md's optimizer table is generated from the records). */
  readonly rule: string;
  /** Once per step, before the tensors: per-step numbers such as Adam's bias corrections into h. */
  readonly begin?: (h: Float64Array, t: number) => void;
  /** One step on tensor p with its `states` state buffers s (pointers, in the order checkpoints store them); h: the numbers at the H_* slots. */
  readonly step: (k: KernelAbi, p: StepTensor, s: readonly number[], h: Float64Array) => void;
  /** The step of a tensor needs only its own gradient and is SGD (no state) or momentum (state 0 = velocity):
   *  f32_gemm_tn_step can run it in the dW GEMM's epilogue. */
  readonly fuses?: true;
  /** The step has no state and reads nothing of a tensor but its pointers and size, element by element: one call
   *  over the whole parameter block (gradients at the same offsets, zero between tensors) updates every tensor alike. */
  readonly wholeBlock?: true;
}

/** Adam's bias corrections c1 = 1/(1 − β1^t), c2 = 1/(1 − β2^t). */
function biasCorrections(h: Float64Array, t: number): void {
  h[H_C1] = 1 / (1 - Math.pow(h[H_BETA1]!, t));
  h[H_C2] = 1 / (1 - Math.pow(h[H_BETA2]!, t));
}

/** NAdam's per-step numbers (PyTorch's NAdam): μ_i = β1·(1 − ½·0.96^(i·ψ)), Π_t = μ_1···μ_t, cg = (1 − μ_t)/(1 − Π_t),
 *  cm = μ_{t+1}/(1 − Π_t·μ_{t+1}), c2 = 1/(1 − β2^t). Π_t is a function of t: kept from the last step, else (a first step,
 *  a reset, a resumed run) multiplied out again in the same order. */
function nadamCoefficients(h: Float64Array, t: number): void {
  const b1 = h[H_BETA1]!, psi = h[H_MOMENTUM_DECAY]!;
  let product = 1;
  if (t > 1 && h[H_MU_STEP] === t - 1) product = h[H_MU_PRODUCT]!;
  else for (let i = 1; i < t; i++) product *= nadamMu(b1, psi, i);
  const muT = nadamMu(b1, psi, t), muNext = nadamMu(b1, psi, t + 1);
  product *= muT;
  h[H_MU_PRODUCT] = product;
  h[H_MU_STEP] = t;
  h[H_C1] = (1 - muT) / (1 - product);
  h[H_C3] = muNext / (1 - product * muNext);
  h[H_C2] = 1 / (1 - Math.pow(h[H_BETA2]!, t));
}

function nadamMu(b1: number, psi: number, i: number): number {
  return b1 * (1 - 0.5 * Math.pow(0.96, i * psi));
}

/** The optimizer table: defaults, state count and step of each optimizer (update rules: src/kernels/abi.ts OptimAbi). */
export const OPTIMIZER_TABLE = {
  sgd: {
    defaults: { learningRate: 0.01, momentum: 0 }, states: 0, fuses: true, wholeBlock: true, rule: '`p −= lr·g` (sgd() with momentum > 0 is `momentum`, with nesterov: true `nesterov`)',
    step: (k, p, _s, h) => k.f32_sgd_step(p.ptr, p.gradPtr, p.size, h[H_LR]!),
  },
  momentum: {
    defaults: { learningRate: 0.01, momentum: 0.9 }, states: 1, fuses: true, rule: '`v = μv + g; p −= lr·v`',
    step: (k, p, s, h) => k.f32_momentum_step(p.ptr, p.gradPtr, s[0]!, p.size, h[H_LR]!, h[H_MOMENTUM]!),
  },
  nesterov: {
    defaults: { learningRate: 0.01, momentum: 0.9 }, states: 1, rule: '`v = μv + g; p −= lr·(g + μv)` (PyTorch\'s Nesterov)',
    step: (k, p, s, h) => k.f32_nesterov_step(p.ptr, p.gradPtr, s[0]!, p.size, h[H_LR]!, h[H_MOMENTUM]!),
  },
  adam: {
    defaults: { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, states: 2, begin: biasCorrections,
    rule: '`m = β1m + (1−β1)g; v = β2v + (1−β2)g²; p −= lr·m̂/(√v̂ + ε)` (bias-corrected m̂, v̂)',
    step: (k, p, s, h) => k.f32_adam_step(p.ptr, p.gradPtr, s[0]!, s[1]!, p.size, h[H_LR]!, h[H_BETA1]!, h[H_BETA2]!, h[H_EPSILON]!, h[H_C1]!, h[H_C2]!, 0),
  },
  adamw: {
    defaults: { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 }, states: 2, begin: biasCorrections,
    rule: 'Adam after `p *= 1 − lr·weightDecay` on the tensors that decay (weights, not biases)',
    step: (k, p, s, h) => k.f32_adam_step(p.ptr, p.gradPtr, s[0]!, s[1]!, p.size, h[H_LR]!, h[H_BETA1]!, h[H_BETA2]!, h[H_EPSILON]!, h[H_C1]!, h[H_C2]!,
      p.decay ? h[H_WEIGHT_DECAY]! : 0),
  },
  rmsprop: {
    defaults: { learningRate: 1e-3, rho: 0.9, epsilon: 1e-7 }, states: 1, rule: '`v = ρv + (1−ρ)g²; p −= lr·g/(√v + ε)`',
    step: (k, p, s, h) => k.f32_rmsprop_step(p.ptr, p.gradPtr, s[0]!, p.size, h[H_LR]!, h[H_RHO]!, h[H_EPSILON]!),
  },
  adagrad: {
    defaults: { learningRate: 0.01, epsilon: 1e-10 }, states: 1, rule: '`s += g²; p −= lr·g/(√s + ε)`',
    step: (k, p, s, h) => k.f32_adagrad_step(p.ptr, p.gradPtr, s[0]!, p.size, h[H_LR]!, h[H_EPSILON]!),
  },
  amsgrad: {
    defaults: { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, states: 3, begin: biasCorrections,
    rule: 'Adam whose denominator is `√(vmax/(1−β2^t)) + ε`, `vmax = max(vmax, v)` (Reddi et al. 2018; PyTorch\'s Adam(amsgrad=True))',
    step: (k, p, s, h) => k.f32_amsgrad_step(p.ptr, p.gradPtr, s[0]!, s[1]!, s[2]!, p.size, h[H_LR]!, h[H_BETA1]!, h[H_BETA2]!, h[H_EPSILON]!, h[H_C1]!, h[H_C2]!),
  },
  nadam: {
    defaults: { learningRate: 2e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, momentumDecay: 4e-3 }, states: 2, begin: nadamCoefficients,
    rule: 'Adam with Nesterov momentum, `μt = β1(1 − ½·0.96^(t·momentumDecay))` (Dozat 2016; PyTorch\'s NAdam)',
    step: (k, p, s, h) => k.f32_nadam_step(p.ptr, p.gradPtr, s[0]!, s[1]!, p.size, h[H_LR]!, h[H_BETA1]!, h[H_BETA2]!, h[H_EPSILON]!, h[H_C1]!, h[H_C3]!, h[H_C2]!),
  },
} as const satisfies Record<string, OptimizerRecord>;

export type OptimizerName = keyof typeof OPTIMIZER_TABLE;

const BY_NAME: ReadonlyMap<string, OptimizerRecord> = new Map(Object.entries(OPTIMIZER_TABLE));

/** Every optimizer name compile() accepts. @example OPTIMIZERS.includes('adamw') // true */
export const OPTIMIZERS: readonly OptimizerName[] = Object.keys(OPTIMIZER_TABLE) as OptimizerName[];

/** @internal The record of a checked name. */
export function optimizerRecord(name: OptimizerName): OptimizerRecord {
  return BY_NAME.get(name)!;
}

/** @internal Fills h's hyperparameter slots from a spec (learning rate and per-step slots aside). */
export function writeHyper(spec: OptimizerSpec, h: Float64Array): void {
  for (const key of Object.keys(HYPER_SLOT) as Hyper[]) {
    const v = spec[key];
    if (v !== undefined) h[HYPER_SLOT[key]] = v;
  }
}

type Common = { learningRate?: LearningRate; clipNorm?: number };
type Options = Common & { [K in Hyper]?: number };

/** A spec of `type` from the options a user gave: the table's defaults for what is missing, then checked. */
function make(type: OptimizerName, o: Options): OptimizerSpec {
  const rec = optimizerRecord(type);
  const spec: OptimizerSpec = { type, learningRate: o.learningRate ?? rec.defaults.learningRate };
  for (const key of Object.keys(rec.defaults) as (keyof OptimizerRecord['defaults'])[]) {
    if (key !== 'learningRate') spec[key] = o[key] ?? rec.defaults[key];
  }
  spec.clipNorm = o.clipNorm;
  return finish(spec);
}

function finish(spec: OptimizerSpec): OptimizerSpec {
  spec.learningRate = checkLearningRate(spec.learningRate);
  for (const key of Object.keys(HYPER_RANGE) as Hyper[]) {
    const v = spec[key];
    const bad = v === undefined ? undefined : HYPER_RANGE[key](v);
    if (bad) throw new ValidationError(key, bad);
  }
  if (spec.clipNorm === undefined) delete spec.clipNorm;
  else if (!(spec.clipNorm > 0) || !Number.isFinite(spec.clipNorm)) throw new ValidationError('clipNorm', `expected a finite positive number, got ${spec.clipNorm}`);
  return spec;
}

/** Plain SGD, or with `momentum` > 0 the heavy-ball method (`nesterov: true` for Nesterov). @example sgd({ learningRate: 0.1 }) */
export function sgd(o: Common & { momentum?: number; nesterov?: boolean } = {}): OptimizerSpec {
  const mu = o.momentum ?? 0;
  return make(mu > 0 ? (o.nesterov ? 'nesterov' : 'momentum') : 'sgd', { learningRate: o.learningRate ?? 0.01, momentum: mu, clipNorm: o.clipNorm });
}
/** SGD with momentum: v = μv + g; p −= lr·v. @example momentum({ learningRate: 0.05, momentum: 0.9 }) */
export function momentum(o: Common & { momentum?: number } = {}): OptimizerSpec { return make('momentum', o); }
/** Nesterov momentum (PyTorch form). @example nesterov({ learningRate: 0.05 }) */
export function nesterov(o: Common & { momentum?: number } = {}): OptimizerSpec { return make('nesterov', o); }
/** Adam with bias correction. @example adam({ learningRate: 1e-3 }) */
export function adam(o: Common & { beta1?: number; beta2?: number; epsilon?: number } = {}): OptimizerSpec { return make('adam', o); }
/** Adam with decoupled weight decay on the weights. @example adamw({ learningRate: 1e-3, weightDecay: 0.01 }) */
export function adamw(o: Common & { beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number } = {}): OptimizerSpec { return make('adamw', o); }
/** RMSProp: v = ρv + (1−ρ)g²; p −= lr·g/(√v + ε). @example rmsprop({ learningRate: 1e-3 }) */
export function rmsprop(o: Common & { rho?: number; epsilon?: number } = {}): OptimizerSpec { return make('rmsprop', o); }
/** Adagrad: s += g²; p −= lr·g/(√s + ε). @example adagrad({ learningRate: 0.01 }) */
export function adagrad(o: Common & { epsilon?: number } = {}): OptimizerSpec { return make('adagrad', o); }

/** AMSGrad (Reddi et al. 2018; PyTorch's Adam(amsgrad=True)): Adam whose denominator uses the running maximum of v. @example amsgrad({ learningRate: 1e-3 }) */
export function amsgrad(o: Common & { beta1?: number; beta2?: number; epsilon?: number } = {}): OptimizerSpec { return make('amsgrad', o); }
/** NAdam: Adam with Nesterov momentum (Dozat 2016) in PyTorch's form, the momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ)), ψ = momentumDecay. @example nadam({ learningRate: 2e-3 }) */
export function nadam(o: Common & { beta1?: number; beta2?: number; epsilon?: number; momentumDecay?: number } = {}): OptimizerSpec { return make('nadam', o); }

/** Builds a spec from a name (the table's defaults) or re-checks one, with `overrides` on top. sgd goes through sgd() (its momentum picks the type). */
function build(type: OptimizerName, o: Options & { nesterov?: boolean }): OptimizerSpec {
  return type === 'sgd' ? sgd(o) : make(type, o);
}

/** Accepts an optimizer spec or its name (defaults), e.g. 'adam'. @example resolveOptimizer('adam', { learningRate: 0.01 }) */
export function resolveOptimizer(opt: OptimizerSpec | OptimizerName | undefined, overrides: Record<string, unknown> = {}): OptimizerSpec {
  if (opt === undefined) opt = 'adam';
  if (typeof opt === 'string') {
    if (!BY_NAME.has(opt)) throw new ValidationError('optimizer', `unknown optimizer ${JSON.stringify(opt)}; expected one of ${OPTIMIZERS.join(', ')}`);
    return build(opt, overrides as Options);
  }
  if (typeof opt !== 'object' || opt === null || typeof opt.type !== 'string' || !BY_NAME.has(opt.type)) {
    throw new ValidationError('optimizer', `expected an optimizer (sgd(), adam(), ...) or one of ${OPTIMIZERS.join(', ')}, got ${JSON.stringify(opt)}`);
  }
  return build(opt.type, { ...opt, ...overrides } as Options);
}
