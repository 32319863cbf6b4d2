// A training step on a threaded backend whose pool fails mid-step (a worker died or is stuck:
// ThreadPoolError) must not leave the model half-updated: the optimizer's split step may have
// updated some element ranges and not others. So while the pool is in use, what a step changes
// is copied first into buffers allocated once per fit, and put back on a ThreadPoolError:
//   - the rng stream and the running statistics, at the step's start (memmove on the caller: small);
//   - each parameter tensor and its optimizer states right before the optimizer updates them
//     (OptimizerRuntime.guard): the copy is split over the pool like the update that follows, and
//     only the tensors whose copy completed are put back (the others were not touched yet);
//   - with the step inside the dW GEMMs (optimizer.fuse), the parameter block and the states at
//     the step's start, as the backward pass updates W.
// Nothing is copied on one thread, or once the pool has ended (docs/threads.md).

import { ThreadPoolError } from '../errors.js';
import type { TrainingSession } from './session.js';

/** What the pool says about itself (a threaded backend's kernels carry it). */
interface PoolLike { readonly alive: boolean }

export class StepGuard {
  private readonly pool: PoolLike | undefined;
  /** [from, to, floats] per copied buffer: per tensor its parameters then its optimizer states, in the optimizer's order. */
  private readonly copies: number[] = [];
  /** Per tensor: its first entry in copies (÷ 3) and one past its last. */
  private readonly firstCopy: Int32Array;
  /** Per tensor: 1 once its copy of this step is complete. */
  private readonly saved: Uint8Array;
  private stepPtr = 0;
  /** The copy of the parameter block (each tensor's copy at its offset there). */
  private blockCopy = 0;
  private stateCopies: number[] = [];
  private t = 0;
  /** The step-start copies (rng, statistics; with a fused step everything) hold the state before the current step. */
  private started = false;

  constructor(private readonly session: TrainingSession) {
    const { net, optimizer } = session;
    const tensors = net.params.length;
    this.firstCopy = new Int32Array(tensors + 1);
    this.saved = new Uint8Array(tensors);
    const pool = (net.k as { pool?: PoolLike }).pool;
    if (!pool?.alive) return;
    // The parameters' copy is one block laid out as the parameter block (saveAll copies it in one call); each state buffer has its own.
    const stateSizes: number[] = [];
    optimizer.eachState((_, n) => { stateSizes.push(n); });
    const ptrs = net.arena.allocAll([net.paramBlockFloats * 4, ...stateSizes.map((n) => n * 4), 4 * 4 + net.arena.sizeOf(net.stateBlock)]);
    this.stepPtr = ptrs.pop()!;
    this.blockCopy = ptrs[0]!;
    this.stateCopies = ptrs.slice(1);
    let state = 0;
    net.params.forEach((p, i) => {
      this.firstCopy[i] = this.copies.length / 3;
      this.copies.push(p.ptr, this.blockCopy + (p.ptr - net.paramBlock), p.size);
      optimizer.eachTensorState(i, (ptr, n) => { this.copies.push(ptr, ptrs[1 + state]!, n); state++; });
    });
    this.firstCopy[tensors] = this.copies.length / 3;
    this.pool = pool;
    optimizer.guard = this;
  }

  /** Before a step: copies the rng stream and running statistics (with a fused step, everything it changes) while the pool lives. */
  save(): void {
    this.started = false;
    this.saved.fill(0);
    if (!this.pool?.alive) return;
    const { net, optimizer } = this.session;
    if (optimizer.fuse && optimizer.fusedHyperPtr) {
      // The backward pass updates W inside its split dW GEMMs: copy everything first (memmove on the caller).
      const f32 = net.arena.views.f32, c = this.copies;
      for (let i = 0; i < c.length; i += 3) f32.copyWithin(c[i + 1]! >>> 2, c[i]! >>> 2, (c[i]! >>> 2) + c[i + 2]!);
      this.saved.fill(1);
    }
    this.copyStepState(false);
    this.t = optimizer.t;
    this.started = true;
  }

  /** Right before the optimizer updates tensor i: copies it and its states (split over the pool when large). */
  saveTensor(i: number): void {
    if (!this.started || this.saved[i] || !this.pool?.alive) return;
    const { k } = this.session.net;
    const c = this.copies;
    for (let j = 3 * this.firstCopy[i]!, end = 3 * this.firstCopy[i + 1]!; j < end; j += 3) k.f32_copy(c[j + 1]!, c[j]!, c[j + 2]!);
    this.saved[i] = 1;
  }

  /** Right before the optimizer updates every tensor in one call (OptimizerRuntime's whole block): the parameter block in one copy, then the states. */
  saveAll(): void {
    if (!this.started || !this.pool?.alive) return;
    const { k, paramBlock, paramBlockFloats } = this.session.net;
    k.f32_copy(this.blockCopy, paramBlock, paramBlockFloats);
    const c = this.copies;
    for (let i = 0; i < this.saved.length; i++) {
      if (this.saved[i]) continue;
      for (let j = 3 * this.firstCopy[i]! + 3, end = 3 * this.firstCopy[i + 1]!; j < end; j += 3) k.f32_copy(c[j + 1]!, c[j]!, c[j + 2]!);
    }
    this.saved.fill(1);
  }

  /** A step threw e: after a pool fault, puts the state before the step back; returns the error to throw. */
  failed(e: unknown, where: string): unknown {
    if (!(e instanceof ThreadPoolError)) return e;
    if (this.started) {
      const { net, optimizer } = this.session;
      const c = this.copies;
      // The pool has ended: these copies run on the calling thread.
      for (let i = 0; i < this.saved.length; i++) {
        if (!this.saved[i]) continue;
        for (let j = 3 * this.firstCopy[i]!, end = 3 * this.firstCopy[i + 1]!; j < end; j += 3) net.k.f32_copy(c[j]!, c[j + 1]!, c[j + 2]!);
      }
      this.copyStepState(true);
      net.paramsChanged();
      optimizer.t = this.t;
    }
    return new ThreadPoolError(`${e.message}; fit stopped in ${where}: the model keeps its weights, optimizer state, running statistics and random stream from before that step`);
  }

  /** The rng stream (16 bytes) and the running statistics, to the step buffer or back; memmove on the calling thread. */
  private copyStepState(back: boolean): void {
    const { net } = this.session;
    const f32 = net.arena.views.f32, at = this.stepPtr >>> 2, rng = net.rngPtr >>> 2, st = net.stateBlock >>> 2, n = net.arena.sizeOf(net.stateBlock) >>> 2;
    if (back) { f32.copyWithin(rng, at, at + 4); f32.copyWithin(st, at + 4, at + 4 + n); }
    else { f32.copyWithin(at, rng, rng + 4); f32.copyWithin(at + 4, st, st + n); }
  }

  dispose(): void {
    const { net, optimizer } = this.session;
    if (optimizer.guard === this) optimizer.guard = undefined;
    const c = this.copies;
    for (const p of this.stateCopies) net.arena.free(p);
    if (this.blockCopy) net.arena.free(this.blockCopy);
    if (this.stepPtr) net.arena.free(this.stepPtr);
    c.length = 0;
    this.stateCopies = [];
    this.blockCopy = 0;
    this.stepPtr = 0;
  }
}
