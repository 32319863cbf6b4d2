// The running optimizer: state buffers (velocities, moments) in the arena for a set of parameter
// tensors, and one step over all of them, read from the optimizer table. A step allocates nothing:
// the numbers it passes to the kernels sit in a Float64Array (a double passed to a JS call is boxed).

import type { KernelAbi } from '../kernels/abi.js';
import type { Arena } from '../memory/arena.js';
import {
  H_LR, H_SLOTS, learningRateAt, optimizerRecord, writeHyper, type OptimizerRecord, type OptimizerSpec, type StepTensor,
} from './optimizers.js';

export class OptimizerRuntime {
  private state1: number[] = [];
  private state2: number[] = [];
  private readonly record: OptimizerRecord;
  /** The numbers the steps read, at the H_* slots of optimizers.ts. */
  private readonly h = new Float64Array(H_SLOTS);
  /** Steps taken (Adam's t). */
  t = 0;

  constructor(readonly spec: OptimizerSpec, private readonly k: KernelAbi, private readonly arena: Arena, private readonly params: readonly StepTensor[]) {
    this.record = optimizerRecord(spec.type);
    writeHyper(spec, this.h);
    this.learningRate = learningRateAt(spec.learningRate, 0);
    const { states } = this.record;
    for (const p of params) {
      this.state1.push(states >= 1 ? arena.allocZeroed(p.size * 4) : 0);
      this.state2.push(states >= 2 ? arena.allocZeroed(p.size * 4) : 0);
    }
  }

  /** The rate step() applies. */
  get learningRate(): number { return this.h[H_LR]!; }
  set learningRate(lr: number) { this.h[H_LR] = lr; }

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
    for (let i = 0; i < params.length; i++) record.step(k, params[i]!, this.state1[i]!, this.state2[i]!, h);
  }

  dispose(): void {
    for (const p of [...this.state1, ...this.state2]) if (p) this.arena.free(p);
    this.state1 = [];
    this.state2 = [];
  }
}
