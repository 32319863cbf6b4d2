// The layer protocol: what every layer runtime answers for itself — its parameters (each saying
// whether L2 and weight decay apply), its state (running statistics), their initialization, a
// one-line description, its per-epoch diagnostics and whether backpropagation can train it — and
// the batch buffers it owns in the arena. Network and Sequential loop over layers through this
// protocol only; they never ask which kind of layer they hold.

import { ValidationError } from '../../errors.js';
import type { ActivationForm } from '../../kernels/activations.js';
import type { KernelAbi } from '../../kernels/abi.js';
import type { Allocator } from '../../memory/arena.js';
import type { Rng } from '../../rng.js';
import type { ActivationName } from '../activations.js';
import type { LayerDiagnostics, LayerStats } from '../diagnostics.js';

/** One learnable tensor inside the model's contiguous parameter block. */
export interface ParamTensor {
  name: string;
  size: number;
  /** L2 and decoupled weight decay (AdamW) apply: weights, never biases, scales or slopes. */
  decay: boolean;
  ptr: number;
  gradPtr: number;
  /** Updated inside its layer's dW GEMM when a fused step runs (LayerContext.fusedStep): dense W. */
  fusedStep?: true;
  /** Its velocity for the fused step (momentum; 0 for SGD), set by the training session. */
  stepStatePtr?: number;
}

/** A tensor of state a layer keeps besides its parameters (batch norm's running statistics): saved and restored with the weights, not trained. */
export interface StateTensor {
  readonly name: string;
  readonly size: number;
  /** Set by the model (its state block). */
  ptr: number;
  /** The value every element starts at. */
  readonly initial: number;
}

/** What a layer runtime needs from its model. */
export interface LayerContext {
  k: KernelAbi;
  arena: Allocator;
  /** 16-byte xoshiro128** state for dropout masks and rrelu slopes. */
  rngPtr: number;
  /** Bumped by the model whenever its parameters may have changed (a training step, setWeights,
   *  a rollback...): what a layer derives from them (packed weights for inference) is rebuilt. */
  readonly paramVersion: { value: number };
  /** During a training backward with the optimizer step fused into the dW GEMMs: the optimizer's block of numbers
   *  (f32_gemm_tn_step's hPtr); 0 otherwise. */
  readonly fusedStep: { hPtr: number };
}

/** What summary() and the report show of a layer. */
export interface LayerDescription {
  /** The layer type ('dense', 'dropout', 'batchNorm'). */
  type: string;
  /** The type with its settings, without the activation: 'dense', 'dropout 0.1', 'batchNorm'. */
  label: string;
  activation?: ActivationName;
  /** Output size. */
  units: number;
  /** Learnable parameters. */
  params: number;
}

/** Statistics of a buffer in the arena (the fit loop's measuring tool for diagnostics). */
export interface Probe {
  stats(ptr: number, n: number): LayerStats;
}

/** A layer's diagnostics on the last batch of an epoch (the caller adds the layer index). */
export type LayerSignals = Omit<LayerDiagnostics, 'layer'>;

/** The operations Network needs from the layer that ends the stack: its linear part, its activation and the buffers the fused losses use. */
export interface OutputLayer {
  readonly activation: ActivationName;
  readonly form: ActivationForm;
  readonly zPtr: number;
  readonly aPtr: number;
  readonly dzPtr: number;
  /** Z = X·Wᵀ + b; `inference`: no update follows, so weights packed for it may be kept and reused. */
  forwardLinear(inPtr: number, m: number, workPtr: number, fusedRelu?: boolean, inference?: boolean): void;
  activate(m: number, training: boolean): void;
  backwardActivation(dAPtr: number, m: number): void;
  backwardLinear(m: number, needDIn: boolean, workPtr: number): number;
}

export abstract class LayerRuntime {
  readonly params: ParamTensor[] = [];
  readonly state: StateTensor[] = [];
  protected buffers: number[] = [];
  protected capacity = 0;
  private needDIn = false;
  private previous?: { buffers: number[]; capacity: number; needDIn: boolean };
  private replay?: number[];
  /** Input pointer of the last forward pass (kept for backward). */
  protected inPtr = 0;

  constructor(readonly ctx: LayerContext, readonly inSize: number, readonly outSize: number) {}

  /** Allocates batch buffers for up to `capacity` rows, keeping the old ones until commit() or
   *  rollback(): a failed allocation anywhere in the model can put every layer back as it was. */
  reserve(capacity: number, needDIn: boolean): void {
    this.previous = { buffers: this.buffers, capacity: this.capacity, needDIn: this.needDIn };
    this.buffers = [];
    this.capacity = capacity;
    this.needDIn = needDIn;
    this.allocBuffers(capacity, needDIn);
  }

  /** Frees the buffers reserve() replaced. */
  commit(): void {
    for (const p of this.previous?.buffers ?? []) this.ctx.arena.free(p);
    this.previous = undefined;
  }

  /** Frees what reserve() allocated and points the layer at its old buffers again (allocBuffers
   *  replayed over the old regions, in the order it took them). */
  rollback(): void {
    const prev = this.previous;
    if (!prev) return;
    this.previous = undefined;
    for (const p of this.buffers) this.ctx.arena.free(p);
    this.buffers = [];
    this.replay = prev.buffers.slice();
    try { this.allocBuffers(prev.capacity, prev.needDIn); } finally { this.replay = undefined; }
    this.buffers = prev.buffers;
    this.capacity = prev.capacity;
    this.needDIn = prev.needDIn;
  }

  protected buf(floats: number): number {
    if (this.replay) return this.replay.shift() ?? 0;
    const ptr = this.ctx.arena.allocZeroed(floats * 4);
    this.buffers.push(ptr);
    return ptr;
  }

  /** Adds a state tensor of `size` floats starting at `initial`; the model places it in its state block. */
  protected addState(name: string, size: number, initial: number): StateTensor {
    const s: StateTensor = { name, size, ptr: 0, initial };
    this.state.push(s);
    return s;
  }

  private freeBuffers(): void {
    for (const p of this.buffers) this.ctx.arena.free(p);
    this.buffers = [];
  }

  /** Draws the parameters from the model's initialization stream and resets the state. */
  initialize(rng: Rng): void {
    this.initParams(rng);
    for (const s of this.state) this.ctx.k.f32_fill(s.ptr, s.size, s.initial);
  }

  /** Learnable parameters of this layer. */
  get paramCount(): number {
    let n = 0;
    for (const p of this.params) n += p.size;
    return n;
  }

  /** GEMM scratch this layer needs for a batch of `capacity` rows. */
  workBytes(_capacity: number): number { return 0; }
  /** Why backpropagation cannot train through this layer, or undefined. */
  trainingBlocker(): string | undefined { return undefined; }
  /** The output-layer operations, when this layer can end a network. */
  asOutput(): OutputLayer | undefined { return undefined; }
  /** Where the last pass left this layer's pre-activation z and dJ/dz (trace; layers without a z: undefined). */
  taps(): { zPtr: number; dzPtr: number } | undefined { return undefined; }
  /** True when this layer's inference is an average over noise that a Monte-Carlo pass draws (dropout). */
  get sampled(): boolean { return false; }
  /** A Monte-Carlo pass (predict with `samples`): the inference forward, with the noise drawn where `sampled`. */
  forwardSample(inPtr: number, m: number, workPtr: number): number { return this.forward(inPtr, m, false, workPtr); }
  /** Signals of the last training batch of `m` rows (layers that report none: undefined). */
  diagnose(_m: number, _probe: Probe): LayerSignals | undefined { return undefined; }

  abstract describe(): LayerDescription;
  protected abstract initParams(rng: Rng): void;
  protected abstract allocBuffers(capacity: number, needDIn: boolean): void;
  /** Runs the layer on `m` rows at inPtr; returns the output pointer. `keepZ`: an inference pass
   *  leaves the pre-activation in place (no fused activation; trace). */
  abstract forward(inPtr: number, m: number, training: boolean, workPtr: number, keepZ?: boolean): number;
  /** Given dLoss/dOutput at dOutPtr, fills parameter gradients; returns dLoss/dInput (0 when not needed). */
  abstract backward(dOutPtr: number, m: number, needDIn: boolean, workPtr: number): number;

  dispose(): void {
    this.rollback();
    this.freeBuffers();
  }
}

/** A layer type: how its spec is checked, where it may stand, and how its runtime is made. One entry per type in layers.ts. */
export interface LayerType<S extends { type: string } = { type: string }> {
  readonly type: string;
  /** Validates a spec from user code or JSON and fills defaults (throws ValidationError). */
  normalize(raw: Record<string, unknown>): S;
  /** Checks the spec's place at `index` of a stack of `count` layers (throws ValidationError). */
  place?(spec: S, index: number, count: number): void;
  /** True when a layer of this type can end a network (its runtime's asOutput() answers). */
  readonly output?: boolean;
  create(ctx: LayerContext, spec: S, inSize: number): LayerRuntime;
}

export function positiveInt(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValidationError(arg, `expected a positive integer, got ${String(v)}`);
  return v;
}

export function finiteNumber(v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(arg, `expected a finite number, got ${String(v)}`);
  return v;
}
