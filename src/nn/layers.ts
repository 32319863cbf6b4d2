// Layer specifications (plain, serializable data made by dense(), dropout(), batchNorm()) and
// their runtimes, which own batch buffers in the arena and run forward and backward through the
// kernels. Forward and backward of each layer sit next to each other.

import { ValidationError } from '../errors.js';
import { GEMM_RELU, type ActBwd, type ActFwd, type KernelAbi } from '../kernels/abi.js';
import type { ActivationForm, ActivationKernel } from '../kernels/activations.js';
import type { Arena } from '../memory/arena.js';
import { activationRecord, checkActivation, defaultActivationParams, type ActivationName } from './activations.js';
import { checkInit, type InitName } from './init.js';

export interface DenseOptions {
  /** Default 'identity'. */
  activation?: ActivationName;
  /** Default: 'he' for ReLU-like activations, 'xavier' otherwise. */
  init?: InitName;
  /** Half-width ε of the 'uniform' initializer (default 0.12). */
  initEpsilon?: number;
  /** leakyRelu/elu/isru/isrlu α, prelu's initial slope, rrelu's lower bound. */
  alpha?: number;
  /** softplus β, rrelu's upper bound. */
  beta?: number;
}

export interface DenseSpec { type: 'dense'; units: number; activation: ActivationName; init: InitName; initEpsilon: number; alpha: number; beta: number }
export interface DropoutSpec { type: 'dropout'; rate: number }
export interface BatchNormSpec { type: 'batchNorm'; momentum: number; epsilon: number }
export type LayerSpec = DenseSpec | DropoutSpec | BatchNormSpec;

function positiveInt(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValidationError(arg, `expected a positive integer, got ${String(v)}`);
  return v;
}

function finiteNumber(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(arg, `expected a finite number, got ${String(v)}`);
  return v;
}

/**
 * A fully connected layer z = W·x + b followed by an activation.
 * @example dense(32, { activation: 'tanh', init: 'xavier' })
 */
export function dense(units: number, options: DenseOptions = {}): DenseSpec {
  positiveInt(units, 'dense(units)');
  const activation = checkActivation(options.activation ?? 'identity', 'dense.activation');
  const record = activationRecord(activation);
  const init = options.init === undefined ? record.init : checkInit(options.init);
  const d = defaultActivationParams(activation);
  const alpha = options.alpha === undefined ? d.alpha : finiteNumber(options.alpha, 'dense.alpha');
  const beta = options.beta === undefined ? d.beta : finiteNumber(options.beta, 'dense.beta');
  const bad = record.check?.(alpha, beta);
  if (bad) throw new ValidationError(`dense.${bad.arg}`, bad.message);
  const initEpsilon = options.initEpsilon === undefined ? 0.12 : finiteNumber(options.initEpsilon, 'dense.initEpsilon');
  return { type: 'dense', units, activation, init, initEpsilon, alpha, beta };
}

/**
 * Inverted dropout: in training each unit is zeroed with probability `rate` and the survivors
 * are scaled by 1/(1−rate); at inference it is the identity.
 * @example dropout(0.1)
 */
export function dropout(rate: number): DropoutSpec {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValidationError('dropout(rate)', `expected 0 ≤ rate < 1, got ${String(rate)}`);
  return { type: 'dropout', rate };
}

/**
 * Batch normalization over the batch: batch statistics in training, running averages
 * (running = (1 − momentum)·running + momentum·batch) at inference, learnable γ and β.
 * @example batchNorm({ momentum: 0.1, epsilon: 1e-5 })
 */
export function batchNorm(options: { momentum?: number; epsilon?: number } = {}): BatchNormSpec {
  const momentum = options.momentum ?? 0.1;
  const epsilon = options.epsilon ?? 1e-5;
  if (!(momentum > 0 && momentum <= 1)) throw new ValidationError('batchNorm.momentum', `expected 0 < momentum ≤ 1, got ${momentum}`);
  if (!(epsilon > 0)) throw new ValidationError('batchNorm.epsilon', `expected epsilon > 0, got ${epsilon}`);
  return { type: 'batchNorm', momentum, epsilon };
}

/** One learnable tensor inside the model's contiguous parameter block. */
export interface ParamTensor {
  name: 'W' | 'b' | 'slope' | 'gamma' | 'beta';
  size: number;
  /** L2 / weight decay applies (weights only, never biases). */
  decay: boolean;
  ptr: number;
  gradPtr: number;
}

/** What a layer runtime needs from its model. */
export interface LayerContext {
  k: KernelAbi;
  arena: Arena;
  /** 16-byte xoshiro128** state for dropout masks and rrelu slopes. */
  rngPtr: number;
}

/** Up to this many rows, dense layers use the unpacked GEMM (measured crossover: bench/README.md). */
export const DIRECT_MAX_ROWS = 4;

export abstract class LayerRuntime {
  readonly params: ParamTensor[] = [];
  protected buffers: number[] = [];
  protected capacity = 0;
  /** Input pointer of the last forward pass (kept for backward). */
  protected inPtr = 0;

  constructor(readonly ctx: LayerContext, readonly inSize: number, readonly outSize: number) {}

  /** (Re)allocates batch buffers for up to `capacity` rows. */
  allocate(capacity: number, needDIn: boolean): void {
    this.freeBuffers();
    this.capacity = capacity;
    this.allocBuffers(capacity, needDIn);
  }

  protected buf(floats: number): number {
    const ptr = this.ctx.arena.allocZeroed(floats * 4);
    this.buffers.push(ptr);
    return ptr;
  }

  private freeBuffers(): void {
    for (const p of this.buffers) this.ctx.arena.free(p);
    this.buffers = [];
  }

  /** GEMM scratch this layer needs for a batch of `capacity` rows. */
  workBytes(_capacity: number): number { return 0; }
  protected abstract allocBuffers(capacity: number, needDIn: boolean): void;
  /** Runs the layer on `m` rows at inPtr; returns the output pointer. */
  abstract forward(inPtr: number, m: number, training: boolean, workPtr: number): number;
  /** Given dLoss/dOutput at dOutPtr, fills parameter gradients; returns dLoss/dInput (0 when not needed). */
  abstract backward(dOutPtr: number, m: number, needDIn: boolean, workPtr: number): number;

  dispose(): void {
    this.freeBuffers();
  }
}

export class DenseRuntime extends LayerRuntime {
  zPtr = 0;
  aPtr = 0;
  dzPtr = 0;
  private dxPtr = 0;
  private rreluSlopePtr = 0;
  readonly W: ParamTensor;
  readonly b: ParamTensor;
  readonly slope?: ParamTensor;
  /** How the activation runs (the activation table's form). */
  readonly form: ActivationForm;
  private readonly fusesIntoGemm: boolean;
  private readonly actFwd?: ActFwd;
  private readonly actBwd?: ActBwd;

  constructor(ctx: LayerContext, inSize: number, readonly spec: DenseSpec) {
    super(ctx, inSize, spec.units);
    const act = activationRecord(spec.activation);
    this.form = act.form;
    this.fusesIntoGemm = act.fusesIntoGemm === true;
    if (act.form === 'pointwise') {
      // Looked up once: building the export name per step would allocate a string per call.
      const kernel = act.kernel as ActivationKernel;
      this.actFwd = ctx.k[`f32_${kernel}_fwd`];
      this.actBwd = ctx.k[`f32_${kernel}_bwd`];
    }
    this.W = { name: 'W', size: spec.units * inSize, decay: true, ptr: 0, gradPtr: 0 };
    this.b = { name: 'b', size: spec.units, decay: false, ptr: 0, gradPtr: 0 };
    this.params.push(this.W, this.b);
    if (act.form === 'prelu') {
      this.slope = { name: 'slope', size: spec.units, decay: false, ptr: 0, gradPtr: 0 };
      this.params.push(this.slope);
    }
  }

  get activation(): ActivationName { return this.spec.activation; }

  override workBytes(capacity: number): number {
    const k = this.ctx.k;
    return Math.max(
      k.f32_gemm_work_bytes(capacity, this.outSize, this.inSize),
      k.f32_gemm_work_bytes(this.outSize, this.inSize, capacity),
      k.f32_gemm_work_bytes(capacity, this.inSize, this.outSize),
    );
  }

  protected allocBuffers(capacity: number, needDIn: boolean): void {
    const n = capacity * this.outSize;
    this.zPtr = this.buf(n);
    this.aPtr = this.form === 'identity' ? this.zPtr : this.buf(n);
    this.dzPtr = this.buf(n);
    this.dxPtr = needDIn ? this.buf(capacity * this.inSize) : 0;
    this.rreluSlopePtr = this.form === 'rrelu' ? this.buf(n) : 0;
  }

  /** Z = X·Wᵀ + b (optionally with fused ReLU, for inference). A few rows skip the packed GEMM:
   *  packing all of W costs more than the arithmetic of one or two samples. */
  forwardLinear(inPtr: number, m: number, workPtr: number, fusedRelu = false): void {
    this.inPtr = inPtr;
    const flags = fusedRelu ? GEMM_RELU : 0;
    if (m <= DIRECT_MAX_ROWS) this.ctx.k.f32_gemm_nt_direct(inPtr, this.W.ptr, this.b.ptr, this.zPtr, m, this.outSize, this.inSize, flags);
    else this.ctx.k.f32_gemm_nt(inPtr, this.W.ptr, this.b.ptr, this.zPtr, m, this.outSize, this.inSize, flags, workPtr);
  }

  /** A = f(Z). softmax here is the plain (unfused) output transform. */
  activate(m: number, training: boolean): void {
    const { k } = this.ctx;
    const s = this.spec;
    const n = this.outSize;
    switch (this.form) {
      case 'identity': return;
      case 'softmax': k.f32_softmax_fwd(this.zPtr, this.aPtr, m, n); return;
      case 'prelu': k.f32_prelu_fwd(this.zPtr, this.slope!.ptr, this.aPtr, m, n); return;
      case 'rrelu':
        if (training) k.f32_rrelu_fwd_train(this.zPtr, this.aPtr, this.rreluSlopePtr, m * n, s.alpha, s.beta, this.ctx.rngPtr);
        else k.f32_leaky_relu_fwd(this.zPtr, this.aPtr, m, n, (s.alpha + s.beta) / 2, 0);
        return;
      default: this.actFwd!(this.zPtr, this.aPtr, m, n, s.alpha, s.beta);
    }
  }

  forward(inPtr: number, m: number, training: boolean, workPtr: number): number {
    const fuse = !training && this.fusesIntoGemm;
    this.forwardLinear(inPtr, m, workPtr, fuse);
    if (fuse) {
      // Inference only: the fused kernel wrote max(0, Z) into Z.
      return this.zPtr;
    }
    this.activate(m, training);
    return this.aPtr;
  }

  /** dZ = dA ⊙ f'(Z). */
  backwardActivation(dAPtr: number, m: number): void {
    const { k } = this.ctx;
    const s = this.spec;
    const n = this.outSize;
    switch (this.form) {
      case 'identity': k.f32_copy(this.dzPtr, dAPtr, m * n); return;
      case 'softmax': throw new ValidationError('loss', 'a softmax output is trained with categoricalCrossentropy (fused with the loss)');
      case 'prelu': k.f32_prelu_bwd(this.zPtr, this.slope!.ptr, dAPtr, this.dzPtr, this.slope!.gradPtr, m, n); return;
      case 'rrelu': k.f32_rrelu_bwd(this.zPtr, this.rreluSlopePtr, dAPtr, this.dzPtr, m * n); return;
      default: this.actBwd!(this.zPtr, this.aPtr, dAPtr, this.dzPtr, m, n, s.alpha, s.beta);
    }
  }

  /** From dZ: dW = dZᵀ·X, db = colsum(dZ), dX = dZ·W. */
  backwardLinear(m: number, needDIn: boolean, workPtr: number): number {
    const { k } = this.ctx;
    k.f32_gemm_tn(this.dzPtr, this.inPtr, this.W.gradPtr, this.outSize, this.inSize, m, 0, workPtr);
    k.f32_colsum(this.dzPtr, this.b.gradPtr, m, this.outSize, 0);
    if (!needDIn) return 0;
    k.f32_gemm_nn(this.dzPtr, this.W.ptr, this.dxPtr, m, this.inSize, this.outSize, 0, workPtr);
    return this.dxPtr;
  }

  backward(dOutPtr: number, m: number, needDIn: boolean, workPtr: number): number {
    this.backwardActivation(dOutPtr, m);
    return this.backwardLinear(m, needDIn, workPtr);
  }
}

export class DropoutRuntime extends LayerRuntime {
  maskPtr = 0;
  private outPtr = 0;
  private dxPtr = 0;
  private lastTraining = false;

  constructor(ctx: LayerContext, size: number, readonly spec: DropoutSpec) {
    super(ctx, size, size);
  }

  protected allocBuffers(capacity: number, needDIn: boolean): void {
    const n = capacity * this.outSize;
    this.maskPtr = this.buf(n);
    this.outPtr = this.buf(n);
    this.dxPtr = needDIn ? this.buf(n) : 0;
  }

  /** When set, training passes reuse the current mask instead of drawing a new one (gradient checks). */
  frozenMask = false;

  forward(inPtr: number, m: number, training: boolean): number {
    this.lastTraining = training;
    if (!training || this.spec.rate === 0) return inPtr;
    const n = m * this.outSize;
    if (this.frozenMask) this.ctx.k.f32_mul(inPtr, this.maskPtr, this.outPtr, n);
    else this.ctx.k.f32_dropout_fwd(inPtr, this.maskPtr, this.outPtr, n, this.spec.rate, this.ctx.rngPtr);
    return this.outPtr;
  }

  backward(dOutPtr: number, m: number, needDIn: boolean): number {
    if (!needDIn) return 0;
    if (!this.lastTraining || this.spec.rate === 0) return dOutPtr;
    this.ctx.k.f32_mul(dOutPtr, this.maskPtr, this.dxPtr, m * this.outSize);
    return this.dxPtr;
  }
}

export class BatchNormRuntime extends LayerRuntime {
  readonly gamma: ParamTensor;
  readonly beta: ParamTensor;
  runMeanPtr = 0;
  runVarPtr = 0;
  private yPtr = 0;
  private xhatPtr = 0;
  private invstdPtr = 0;
  private dxPtr = 0;

  constructor(ctx: LayerContext, size: number, readonly spec: BatchNormSpec) {
    super(ctx, size, size);
    this.gamma = { name: 'gamma', size, decay: false, ptr: 0, gradPtr: 0 };
    this.beta = { name: 'beta', size, decay: false, ptr: 0, gradPtr: 0 };
    this.params.push(this.gamma, this.beta);
    this.runMeanPtr = ctx.arena.allocZeroed(size * 4);
    this.runVarPtr = ctx.arena.allocZeroed(size * 4);
    ctx.k.f32_fill(this.runVarPtr, size, 1);
  }

  protected allocBuffers(capacity: number): void {
    const n = capacity * this.outSize;
    this.yPtr = this.buf(n);
    this.xhatPtr = this.buf(n);
    this.invstdPtr = this.buf(this.outSize);
    // The kernel always produces dx, so BN keeps a dx buffer even as a first layer.
    this.dxPtr = this.buf(n);
  }

  forward(inPtr: number, m: number, training: boolean): number {
    const { k } = this.ctx;
    const n = this.outSize;
    if (training) {
      k.f32_batchnorm_fwd_train(inPtr, this.gamma.ptr, this.beta.ptr, this.yPtr, this.xhatPtr, this.invstdPtr,
        this.runMeanPtr, this.runVarPtr, m, n, this.spec.momentum, this.spec.epsilon);
    } else {
      k.f32_batchnorm_fwd_infer(inPtr, this.gamma.ptr, this.beta.ptr, this.runMeanPtr, this.runVarPtr, this.yPtr, m, n, this.spec.epsilon);
    }
    return this.yPtr;
  }

  backward(dOutPtr: number, m: number, needDIn: boolean): number {
    this.ctx.k.f32_batchnorm_bwd(dOutPtr, this.xhatPtr, this.gamma.ptr, this.invstdPtr, this.dxPtr, this.gamma.gradPtr, this.beta.gradPtr, m, this.outSize);
    return needDIn ? this.dxPtr : 0;
  }

  override dispose(): void {
    super.dispose();
    if (this.runMeanPtr) { this.ctx.arena.free(this.runMeanPtr); this.ctx.arena.free(this.runVarPtr); }
    this.runMeanPtr = this.runVarPtr = 0;
  }
}

export function createRuntime(ctx: LayerContext, spec: LayerSpec, inSize: number): LayerRuntime {
  switch (spec.type) {
    case 'dense': return new DenseRuntime(ctx, inSize, spec);
    case 'dropout': return new DropoutRuntime(ctx, inSize, spec);
    case 'batchNorm': return new BatchNormRuntime(ctx, inSize, spec);
  }
}

/** Validates a spec coming from JSON or user code (defaults filled by the factories). */
export function normalizeSpec(raw: unknown, index: number): LayerSpec {
  const s = raw as Partial<LayerSpec> & Record<string, unknown>;
  const arg = `layers[${index}]`;
  if (!s || typeof s !== 'object') throw new ValidationError(arg, `expected a layer from dense(), dropout() or batchNorm(), got ${String(raw)}`);
  switch (s.type) {
    case 'dense': return dense(s.units as number, s as DenseOptions);
    case 'dropout': return dropout(s.rate as number);
    case 'batchNorm': return batchNorm(s as { momentum?: number; epsilon?: number });
    default: throw new ValidationError(`${arg}.type`, `expected 'dense', 'dropout' or 'batchNorm', got ${JSON.stringify(s.type)}`);
  }
}
