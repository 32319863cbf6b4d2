// The fully connected layer z = W·x + b (W[out×in] row-major) followed by its activation, run
// as the activation table says (src/kernels/activations.ts). It is the only layer that can end a
// network: the fused losses read its Z, A and dZ (OutputLayer). Only W decays.

import { ValidationError } from '../../errors.js';
import { GEMM_OVERWRITE, GEMM_RELU, GEMM_SKIP_ZEROS, type ActBwd, type ActFwd } from '../../kernels/abi.js';
import type { ActivationForm, ActivationKernel } from '../../kernels/activations.js';
import type { Rng } from '../../rng.js';
import { activationRecord, checkActivation, defaultActivationParams, type ActivationName } from '../activations.js';
import { checkBiasInit, checkInit, initBiases, initWeights, type BiasInitializer, type BiasInitSpec, type InitName } from '../init.js';
import {
  finiteNumber, LayerRuntime, positiveInt, type LayerContext, type LayerDescription, type LayerSignals, type LayerType, type OutputLayer,
  type ParamTensor, type Probe,
} from './runtime.js';

export interface DenseOptions {
  /** Default 'identity'. */
  activation?: ActivationName;
  /** Default: 'he' for ReLU-like activations, 'xavier' otherwise. */
  init?: InitName;
  /** Half-width ε of the 'uniform' initializer (default 0.12), and of a 'uniform' bias initializer. */
  initEpsilon?: number;
  /** How the biases start: 'zeros' (default), 'uniform' (U(±initEpsilon), the notes' ±ε on the bias column), { type: 'uniform', epsilon }, or a constant. */
  biasInitializer?: BiasInitializer;
  /** leakyRelu/elu/isru/isrlu α, prelu's initial slope, rrelu's lower bound. */
  alpha?: number;
  /** softplus β, rrelu's upper bound. */
  beta?: number;
}

export interface DenseSpec {
  type: 'dense'; units: number; activation: ActivationName; init: InitName; initEpsilon: number; alpha: number; beta: number;
  /** Absent: biases start at 0. */
  biasInitializer?: BiasInitSpec;
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
  const biasInitializer = checkBiasInit(options.biasInitializer, initEpsilon);
  const spec: DenseSpec = { type: 'dense', units, activation, init, initEpsilon, alpha, beta };
  if (biasInitializer) spec.biasInitializer = biasInitializer;
  return spec;
}


/** Up to this many rows, dense layers skip the packed GEMM (measured crossover: bench/README.md) and
 *  read W from column panels packed once per weight change (f32_gemm_nt_panels): inference packs
 *  once and reuses them; a training step changes W, so each training forward packs again. */
export const DIRECT_MAX_ROWS = 4;

/** ThreadedKernels.denseBackward (a threaded backend's dX and dW at once); true when it ran both. */
type DenseBackward = (dzPtr: number, wPtr: number, dxPtr: number, xPtr: number, dwPtr: number, m: number, inSize: number, outSize: number, workPtr: number) => boolean;

export class DenseRuntime extends LayerRuntime implements OutputLayer {
  zPtr = 0;
  aPtr = 0;
  dzPtr = 0;
  private dxPtr = 0;
  private rreluSlopePtr = 0;
  /** W packed into column panels for few-row inference, and the paramVersion it was packed at. */
  private panelPtr = 0;
  private panelVersion = -1;
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
    this.W = { name: 'W', size: spec.units * inSize, decay: true, ptr: 0, gradPtr: 0, fusedStep: true };
    this.b = { name: 'b', size: spec.units, decay: false, ptr: 0, gradPtr: 0 };
    this.params.push(this.W, this.b);
    if (act.form === 'prelu') {
      this.slope = { name: 'slope', size: spec.units, decay: false, ptr: 0, gradPtr: 0 };
      this.params.push(this.slope);
    }
  }

  get activation(): ActivationName { return this.spec.activation; }

  describe(): LayerDescription {
    return { type: 'dense', label: 'dense', activation: this.spec.activation, units: this.outSize, params: this.paramCount };
  }

  override trainingBlocker(): string | undefined {
    if (activationRecord(this.spec.activation).trainable) return undefined;
    return `a ${this.spec.activation} activation has zero gradient almost everywhere, so backpropagation cannot train it; `
      + 'use sigmoid or tanh (step is for hand-set networks and predict)';
  }

  override asOutput(): OutputLayer { return this; }

  override taps(): { zPtr: number; dzPtr: number } { return { zPtr: this.zPtr, dzPtr: this.dzPtr }; }

  protected initParams(rng: Rng): void {
    const { k, arena } = this.ctx;
    const w = new Float32Array(this.W.size);
    initWeights(w, this.spec.init, this.inSize, this.outSize, rng, this.spec.initEpsilon);
    arena.views.f32.set(w, this.W.ptr >>> 2);
    if (this.spec.biasInitializer) {
      const b = new Float32Array(this.b.size);
      initBiases(b, this.spec.biasInitializer, rng);
      arena.views.f32.set(b, this.b.ptr >>> 2);
    } else {
      k.f32_fill(this.b.ptr, this.b.size, 0);
    }
    if (this.slope) k.f32_fill(this.slope.ptr, this.slope.size, this.spec.alpha);
  }

  /** Activation, pre-activation, dJ/dz, dJ/dW and dJ/db statistics of the last batch, and the units that output 0 for all of its m rows. */
  override diagnose(m: number, probe: Probe): LayerSignals {
    const n = m * this.outSize;
    const f32 = this.ctx.arena.views.f32;
    let dead = 0;
    for (let j = 0; j < this.outSize; j++) {
      let alive = false;
      for (let r = 0; r < m && !alive; r++) if (f32[(this.aPtr >>> 2) + r * this.outSize + j] !== 0) alive = true;
      if (!alive) dead++;
    }
    return {
      activation: probe.stats(this.aPtr, n),
      preActivation: probe.stats(this.zPtr, n),
      gradient: probe.stats(this.dzPtr, n),
      weightGradient: probe.stats(this.W.gradPtr, this.W.size),
      biasGradient: probe.stats(this.b.gradPtr, this.b.size),
      deadFraction: dead / this.outSize,
    };
  }

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
   *  packing all of W costs more than the arithmetic of one or two samples. All three paths sum
   *  each output in the same order, so a row's result does not depend on the batch it came in. */
  forwardLinear(inPtr: number, m: number, workPtr: number, fusedRelu = false, inference = false): void {
    this.inPtr = inPtr;
    const k = this.ctx.k;
    const flags = fusedRelu ? GEMM_RELU : GEMM_OVERWRITE;
    if (m > DIRECT_MAX_ROWS) k.f32_gemm_nt(inPtr, this.W.ptr, this.b.ptr, this.zPtr, m, this.outSize, this.inSize, flags, workPtr);
    else k.f32_gemm_nt_panels(inPtr, this.panels(inference), this.b.ptr, this.zPtr, m, this.outSize, this.inSize, flags);
  }

  /** The column panels of W, packed again unless they were packed for inference at the current
   *  paramVersion. A training forward's pack is never reused: the update that follows changes W. */
  private panels(inference: boolean): number {
    const { k, arena, paramVersion } = this.ctx;
    if (this.panelPtr === 0) this.panelPtr = arena.alloc(k.f32_nt_panels_bytes(this.outSize, this.inSize));
    if (!inference || this.panelVersion !== paramVersion.value) {
      k.f32_pack_nt_panels(this.W.ptr, this.panelPtr, this.outSize, this.inSize);
      this.panelVersion = inference ? paramVersion.value : -1;
    }
    return this.panelPtr;
  }

  override dispose(): void {
    if (this.panelPtr) this.ctx.arena.free(this.panelPtr);
    this.panelPtr = 0;
    this.panelVersion = -1;
    super.dispose();
  }

  /** A = f(Z). softmax here is the plain (unfused) output transform. */
  activate(m: number, training: boolean): void {
    const { k } = this.ctx;
    const s = this.spec;
    const n = this.outSize;
    switch (this.form) {
      case 'identity': return;
      case 'softmax': k.f32_softmax_fwd(this.zPtr, this.aPtr, m, n); return;
      case 'logSoftmax': k.f32_log_softmax_fwd(this.zPtr, this.aPtr, m, n); return;
      case 'prelu': k.f32_prelu_fwd(this.zPtr, this.slope!.ptr, this.aPtr, m, n); return;
      case 'rrelu':
        if (training) k.f32_rrelu_fwd_train(this.zPtr, this.aPtr, this.rreluSlopePtr, m * n, s.alpha, s.beta, this.ctx.rngPtr);
        else k.f32_leaky_relu_fwd(this.zPtr, this.aPtr, m, n, (s.alpha + s.beta) / 2, 0);
        return;
      default: this.actFwd!(this.zPtr, this.aPtr, m, n, s.alpha, s.beta);
    }
  }

  forward(inPtr: number, m: number, training: boolean, workPtr: number, keepZ = false): number {
    const fuse = !training && !keepZ && this.fusesIntoGemm;
    if (training) this.ctx.paramVersion.value++; // a backward pass and an update may follow
    this.forwardLinear(inPtr, m, workPtr, fuse, !training);
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
      case 'logSoftmax': throw new ValidationError('loss', 'a logSoftmax output is trained with negativeLogLikelihood (fused with the loss)');
      case 'prelu': k.f32_prelu_bwd(this.zPtr, this.slope!.ptr, dAPtr, this.dzPtr, this.slope!.gradPtr, m, n); return;
      case 'rrelu': k.f32_rrelu_bwd(this.zPtr, this.rreluSlopePtr, dAPtr, this.dzPtr, m * n); return;
      default: this.actBwd!(this.zPtr, this.aPtr, dAPtr, this.dzPtr, m, n, s.alpha, s.beta);
    }
  }

  /** From dZ: dW = dZᵀ·X, db = colsum(dZ), dX = dZ·W. With a fused step (ctx.fusedStep), dX first, from the W the
   *  step started with, then dW with W's update in the GEMM's epilogue (f32_gemm_tn_step). Both GEMMs may skip
   *  dZ's zeros (GEMM_SKIP_ZEROS; f32_gemm_tn_step always may): about half of dZ after a ReLU, same results. */
  backwardLinear(m: number, needDIn: boolean, workPtr: number): number {
    const { k, fusedStep } = this.ctx;
    const W = this.W;
    // A threaded backend may run dX and dW at once (not with the fused step: its dW writes the W that dX reads).
    const pair = needDIn && !fusedStep.hPtr ? (k as { denseBackward?: DenseBackward }).denseBackward : undefined;
    if (!pair?.(this.dzPtr, W.ptr, this.dxPtr, this.inPtr, W.gradPtr, m, this.inSize, this.outSize, workPtr)) {
      if (needDIn) k.f32_gemm_nn(this.dzPtr, W.ptr, this.dxPtr, m, this.inSize, this.outSize, GEMM_SKIP_ZEROS, workPtr);
      if (fusedStep.hPtr) k.f32_gemm_tn_step(this.dzPtr, this.inPtr, W.gradPtr, W.ptr, W.stepStatePtr ?? 0, fusedStep.hPtr, this.outSize, this.inSize, m, workPtr);
      else k.f32_gemm_tn(this.dzPtr, this.inPtr, W.gradPtr, this.outSize, this.inSize, m, GEMM_SKIP_ZEROS, workPtr);
    }
    k.f32_colsum(this.dzPtr, this.b.gradPtr, m, this.outSize, GEMM_OVERWRITE);
    return needDIn ? this.dxPtr : 0;
  }

  backward(dOutPtr: number, m: number, needDIn: boolean, workPtr: number): number {
    this.backwardActivation(dOutPtr, m);
    return this.backwardLinear(m, needDIn, workPtr);
  }
}

export const DENSE: LayerType<DenseSpec> = {
  type: 'dense',
  output: true,
  normalize: (s) => dense(s.units as number, s as DenseOptions),
  place(spec, i, count) {
    if (!activationRecord(spec.activation).hidden && i !== count - 1) {
      throw new ValidationError(`layers[${i}].activation`, `${spec.activation} is an output activation; use it on the last layer only`);
    }
    if ((spec.activation === 'softmax' || spec.activation === 'logSoftmax') && spec.units < 2) {
      throw new ValidationError(`layers[${i}].units`, `a ${spec.activation} output needs at least 2 units`);
    }
  },
  create: (ctx, spec, inSize) => new DenseRuntime(ctx, inSize, spec),
};
