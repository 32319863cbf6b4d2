// A training step on a threaded backend whose pool fails mid-step (a worker died or is stuck:
// ThreadPoolError) must not leave the model half-updated: the optimizer's split step may have
// updated some element ranges and not others. So while the pool is in use, each step starts by
// copying what it changes (parameters, optimizer moments and step count, the rng stream, running
// statistics) into buffers allocated once per fit, by memmove on the calling thread; on a
// ThreadPoolError the copy is put back and
// the error raised. Nothing is copied on one thread, or once the pool has ended (docs/threads.md).

import { ThreadPoolError } from '../errors.js';
import type { TrainingSession } from './session.js';

/** What the pool says about itself (a threaded backend's kernels carry it). */
interface PoolLike { readonly alive: boolean }

export class StepGuard {
  private readonly pool: PoolLike | undefined;
  /** [from, to, floats] per copied buffer: the parameter block first, then the optimizer's states. */
  private readonly copies: number[] = [];
  private stepPtr = 0;
  private t = 0;
  /** The copies hold the state before the current step. */
  private saved = false;

  constructor(private readonly session: TrainingSession) {
    const { net } = session;
    const pool = (net.k as { pool?: PoolLike }).pool;
    if (!pool?.alive) return;
    const sizes: number[] = [net.paramBlockFloats];
    session.optimizer.eachState((_, n) => { sizes.push(n); });
    const ptrs = net.arena.allocAll([...sizes.map((n) => n * 4), 4 * 4 + net.arena.sizeOf(net.stateBlock)]);
    this.stepPtr = ptrs.pop()!;
    const from = [net.paramBlock];
    session.optimizer.eachState((ptr) => { from.push(ptr); });
    sizes.forEach((n, i) => this.copies.push(from[i]!, ptrs[i]!, n));
    this.pool = pool;
  }

  /** Before a step: copies the state it changes (while the pool lives). */
  save(): void {
    this.saved = false;
    if (!this.pool?.alive) return;
    const { net, optimizer } = this.session;
    const c = this.copies;
    // On the calling thread (memmove): a pool barrier per copy costs more than the copy on a busy machine.
    const f32 = net.arena.views.f32;
    for (let i = 0; i < c.length; i += 3) f32.copyWithin(c[i + 1]! >>> 2, c[i]! >>> 2, (c[i]! >>> 2) + c[i + 2]!);
    this.copyStepState(false);
    this.t = optimizer.t;
    this.saved = true;
  }

  /** A step threw e: after a pool fault, puts the state before the step back; returns the error to throw. */
  failed(e: unknown, where: string): unknown {
    if (!(e instanceof ThreadPoolError)) return e;
    if (this.saved) {
      const { net, optimizer } = this.session;
      const c = this.copies;
      // The pool has ended: these copies run on the calling thread.
      for (let i = 0; i < c.length; i += 3) net.k.f32_copy(c[i]!, c[i + 1]!, c[i + 2]!);
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
    const { arena } = this.session.net;
    for (let i = 1; i < this.copies.length; i += 3) arena.free(this.copies[i]!);
    if (this.stepPtr) arena.free(this.stepPtr);
    this.copies.length = 0;
    this.stepPtr = 0;
  }
}
