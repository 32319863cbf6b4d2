// The running optimizer: state buffers (velocities, moments) in the arena for a set of parameter
// tensors, and one step over all of them, read from the optimizer table. A step allocates nothing:
// the numbers it passes to the kernels sit in a Float64Array (a double passed to a JS call is boxed).

import { ValidationError } from '../errors.js';
import type { KernelAbi } from '../kernels/abi.js';
import type { Allocator } from '../memory/arena.js';
import {
  H_LR, H_MOMENTUM, H_SLOTS, learningRateAt, optimizerRecord, writeHyper, type OptimizerRecord, type OptimizerSpec, type StepTensor,
} from './optimizers.js';

const NO_STATES: readonly number[] = [];

export class OptimizerRuntime {
  /** Per parameter tensor, its record.states state buffers (pointers). */
  private states: number[][] = [];
  private readonly record: OptimizerRecord;
  /** The numbers the steps read, at the H_* slots of optimizers.ts. */
  private readonly h = new Float64Array(H_SLOTS);
  /** Steps taken (Adam's t). */
  t = 0;
  /** When this step can run inside the dW GEMMs (SGD and momentum without clipNorm: a tensor's update needs only
   *  its own gradient): the three f64 f32_gemm_tn_step reads (lr, mu, decay); 0 otherwise. */
  fusedHyperPtr = 0;
  /** Whether fit runs the step inside the dW GEMMs when it can (fusedHyperPtr ≠ 0). On by default on one thread:
   *  each finished dW tile updates W from registers, 1.02–1.04× the separate step's samples/s (bench/README.md);
   *  off on a thread pool's backend, where it was not measured faster. Results are bit-identical either way. */
  fuse: boolean;
  /** While a fit guards its steps against a thread-pool fault (step-guard.ts): copies tensor i and its states before step() updates them. */
  guard: { saveTensor(i: number): void; saveAll(): void } | undefined;

  /** The whole parameter block as one tensor when the record allows it (wholeBlock) and `block` holds every tensor,
   *  gradients at the same offsets: one call (split over a thread pool as one) instead of one per tensor. */
  private readonly whole: StepTensor | undefined;

  constructor(readonly spec: OptimizerSpec, private readonly k: KernelAbi, private readonly arena: Allocator, private readonly params: readonly StepTensor[],
    block?: { ptr: number; gradPtr: number; floats: number }) {
    this.record = optimizerRecord(spec.type);
    this.fuse = (k as { pool?: unknown }).pool === undefined;
    if (this.record.wholeBlock && block && params.length > 1
      && params.every((p) => p.ptr >= block.ptr && p.ptr + 4 * p.size <= block.ptr + 4 * block.floats && p.gradPtr - p.ptr === block.gradPtr - block.ptr)) {
      this.whole = { size: block.floats, decay: false, ptr: block.ptr, gradPtr: block.gradPtr };
    }
    writeHyper(spec, this.h);
    this.learningRate = learningRateAt(spec.learningRate, 0);
    const { states } = this.record;
    const ptrs = arena.allocAll(params.flatMap((p) => Array<number>(states).fill(p.size * 4)));
    for (const ptr of ptrs) arena.views.zero(ptr, arena.sizeOf(ptr));
    this.states = params.map((_, i) => ptrs.slice(i * states, (i + 1) * states));
    if (this.record.fuses && spec.clipNorm === undefined && params.some((p) => p.fusedStep)) {
      this.fusedHyperPtr = arena.allocZeroed(24);
      params.forEach((p, i) => { if (p.fusedStep) p.stepStatePtr = this.states[i]![0] ?? 0; });
    }
  }

  /** The f64 slot of fusedHyperPtr's block that Network.addL2 fills with the L2 coefficient. */
  get fusedDecayPtr(): number { return this.fusedHyperPtr + 16; }

  /** Before a backward pass that runs the step inside the dW GEMMs: counts the step, writes lr and mu to the block. */
  beginFused(): void {
    this.t++;
    const f64 = this.arena.views.f64;
    const at = this.fusedHyperPtr >>> 3;
    f64[at] = this.h[H_LR]!;
    f64[at + 1] = this.h[H_MOMENTUM]!;
  }

  /** After that backward pass: the step of every tensor the GEMMs did not update (biases, batch norm, slopes). */
  finishFused(): void {
    const { k, params, record, h } = this;
    for (let i = 0; i < params.length; i++) if (!params[i]!.fusedStep) record.step(k, params[i]!, this.states[i]!, h);
  }

  /** The rate step() applies. */
  get learningRate(): number { return this.h[H_LR]!; }
  set learningRate(lr: number) { this.h[H_LR] = lr; }

  /** Clears the moments (a new fit starts from scratch). */
  reset(): void {
    this.t = 0;
    this.eachState((ptr, n) => this.k.f32_fill(ptr, n, 0));
  }

  /** Applies one update with `learningRate` to every tensor (gradients already complete). */
  step(): void {
    const { k, spec, params, record, h } = this;
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
    record.begin?.(h, this.t);
    const guard = this.guard;
    if (this.whole) {
      guard?.saveAll();
      record.step(k, this.whole, NO_STATES, h);
      return;
    }
    for (let i = 0; i < params.length; i++) {
      guard?.saveTensor(i);
      record.step(k, params[i]!, this.states[i]!, h);
    }
  }

  /** Copies of the step count and every state buffer (per tensor, its states in the record's order). */
  exportState(): { step: number; moments: Float32Array[] } {
    const f32 = this.arena.views.f32;
    const moments: Float32Array[] = [];
    this.eachState((ptr, n) => moments.push(f32.slice(ptr >>> 2, (ptr >>> 2) + n)));
    return { step: this.t, moments };
  }

  /** Throws a ValidationError unless exportState() of this optimizer could have returned these. */
  checkState(step: number, moments: readonly Float32Array[]): void {
    if (!Number.isInteger(step) || step < 0) throw new ValidationError('optimizer.step', `expected an integer ≥ 0, got ${step}`);
    const sizes: number[] = [];
    this.eachState((_, n) => sizes.push(n));
    if (moments.length !== sizes.length) throw new ValidationError('optimizer.moments', `${this.spec.type} keeps ${sizes.length} state buffers for this model, got ${moments.length}`);
    sizes.forEach((n, i) => {
      const m = moments[i]!;
      if (!(m instanceof Float32Array) || m.length !== n) throw new ValidationError(`optimizer.moments[${i}]`, `expected ${n} float32 values, got ${m instanceof Float32Array ? m.length : typeof m}`);
      for (let j = 0; j < n; j++) if (!Number.isFinite(m[j]!)) throw new ValidationError(`optimizer.moments[${i}]`, `value ${j} is ${m[j]}, expected a finite number`);
    });
  }

  /** Sets the step count and the state buffers from exportState()'s layout (checked first). */
  importState(step: number, moments: readonly Float32Array[]): void {
    this.checkState(step, moments);
    const f32 = this.arena.views.f32;
    let i = 0;
    this.eachState((ptr) => f32.set(moments[i++]!, ptr >>> 2));
    this.t = step;
  }

  /** Calls fn(pointer, floats) for each state buffer of tensor i, in the record's order. */
  eachTensorState(i: number, fn: (ptr: number, n: number) => void): void {
    for (const ptr of this.states[i]!) fn(ptr, this.params[i]!.size);
  }

  /** Calls fn(pointer, floats) for every state buffer, per tensor in the record's order. */
  eachState(fn: (ptr: number, n: number) => void): void {
    for (let i = 0; i < this.params.length; i++) for (const ptr of this.states[i]!) fn(ptr, this.params[i]!.size);
  }

  dispose(): void {
    for (const ptrs of this.states) for (const p of ptrs) this.arena.free(p);
    this.states = [];
    if (this.fusedHyperPtr) this.arena.free(this.fusedHyperPtr);
    this.fusedHyperPtr = 0;
  }
}
