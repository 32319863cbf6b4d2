// A pool of N − 1 workers sharing one WebAssembly.Memory with the calling thread, which is
// thread 0 and does its own share of every call. Start-up passes the compiled Module and the
// Memory once; afterwards a call is: prepare(op) → write args/strides → launch(...) → the caller
// runs range 0 → finish() (runs the shares no worker has claimed yet, waits for the claimed ones,
// rethrows a worker's error). See control.ts for the protocol. No allocation per call (JS or
// arena) once the scratch regions have reached their size.

import type { Arena } from '../memory/arena.js';
import * as C from './control.js';
import type { ThreadHost, WorkerHandle } from './host.js';
import { Backoff } from './backoff.js';
import { runShare } from './share.js';
import { ThreadPoolError } from '../errors.js';

export { ThreadPoolError } from '../errors.js';

/** Microseconds a parked worker polls before it sleeps: covers the gap between two kernel calls
 *  of a training step. Short, because a spinning thread on an oversubscribed machine takes the
 *  core the thread it waits for needs. */
const WORKER_SPIN_US = 200;
/** Microseconds the caller polls for the workers before it sleeps. */
const CALLER_SPIN_US = 50;
const START_TIMEOUT_MS = 20_000;
/** Milliseconds per Atomics.wait of the caller: between two it checks whether a worker died. */
const WAIT_SLICE_MS = 20;
/** A claimed share may take this many times the caller's own share (scaled to its size) before its worker counts as stuck. */
const PATIENCE_FACTOR = 50;
/** A worker whose shares the caller kept taking must have woken up within this many calls (and timeoutMs). */
const QUIET_CALLS = 64;
/** After terminating a stuck worker: time for the termination to reach it before the call returns. */
const TERMINATE_GRACE_MS = 20;

/** Sleeps `ms` on the calling thread (a pool exists only where Atomics.wait is allowed). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class ThreadPool {
  /** Threads per call at most, the caller included. */
  readonly size: number;
  readonly ctrlPtr: number;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  /** Call arguments (Float64 slots) and per-argument byte strides per split unit. */
  readonly args: Float64Array;
  readonly strides: Int32Array;
  private workers: WorkerHandle[] = [];
  private readonly exits: Promise<void>[] = [];
  private scratchPtr = 0;
  private scratchStride = 0;
  private disposed = false;
  private readonly opIndex = new Map<string, number>();
  private readonly fns: ((...args: number[]) => unknown)[];
  private readonly shareArgs = new Float64Array(C.MAX_ARGS);
  private gen = 0;
  /** The caller runs shares no worker has claimed when its own is done (off: always wait for the workers). */
  steal = true;
  /** Back off to one thread while the workers keep the caller waiting (a machine busy with other work). */
  adaptive = true;
  private tLaunch = 0;
  private callerUnits = 0;
  private workerUnits = 0;
  private readonly backoff = new Backoff();
  /** What ended the pool when a worker died or failed outside a call ("worker 1 exited with code 1"), else undefined. */
  fault: string | undefined;
  /**
   * Milliseconds a worker may stay silent before it counts as dead or stuck: a share it has not
   * claimed (stealing off), a claimed share not finished (at least; longer for shares that take
   * longer: 50 times the caller's own share), a worker that woke up for none of the last 64 calls.
   */
  timeoutMs = 5000;
  /** Per thread: when the caller first took a share of a worker that had not woken up for QUIET_CALLS calls (0: it had). */
  private readonly quietSince: Float64Array;
  /** A worker stuck in a share (terminated, its control block and scratch left to it). */
  private abandoned = false;

  private constructor(readonly host: ThreadHost, readonly arena: Arena, readonly memory: WebAssembly.Memory, threads: number,
    readonly names: readonly string[], exports: object) {
    if (threads > C.MAX_THREADS) throw new ThreadPoolError(`at most ${C.MAX_THREADS} threads, got ${threads}`);
    this.fns = names.map((n) => (exports as Record<string, (...args: number[]) => unknown>)[n]!);
    this.size = threads;
    this.quietSince = new Float64Array(threads);
    this.ctrlPtr = arena.allocZeroed(C.CONTROL_BYTES);
    this.i32 = new Int32Array(memory.buffer, this.ctrlPtr, C.CONTROL_BYTES >> 2);
    this.f64 = new Float64Array(memory.buffer, this.ctrlPtr, C.CONTROL_BYTES >> 3);
    this.args = this.f64.subarray(C.ARGS_F64, C.ARGS_F64 + C.MAX_ARGS);
    this.strides = this.i32.subarray(C.STRIDE, C.STRIDE + C.MAX_ARGS);
    this.i32[C.SPIN] = WORKER_SPIN_US;
    names.forEach((n, i) => this.opIndex.set(n, i));
  }

  private spawnAll(module: WebAssembly.Module): Promise<unknown>[] {
    const firsts: Promise<unknown>[] = [];
    for (let tid = 1; tid < this.size; tid++) {
      const w = this.host.spawn();
      this.workers.push(w);
      this.exits.push(new Promise((resolve) => w.onExit((code) => {
        resolve();
        if (!this.disposed) this.lose(tid, `exited with code ${code}`);
      })));
      w.onError((message) => { if (!this.disposed) this.lose(tid, `threw ${message}`); });
      firsts.push(new Promise((resolve) => w.onFirstMessage(resolve)));
      w.post({ module, memory: this.memory, ctrlPtr: this.ctrlPtr, tid, names: this.names });
    }
    return firsts;
  }

  /** Starts the workers and blocks until each has instantiated the module (Node). */
  static startSync(host: ThreadHost, module: WebAssembly.Module, exports: object, memory: WebAssembly.Memory, arena: Arena, threads: number, names: readonly string[]): ThreadPool {
    const pool = new ThreadPool(host, arena, memory, threads, names, exports);
    for (const p of pool.spawnAll(module)) p.catch(() => {});
    const deadline = performance.now() + START_TIMEOUT_MS;
    let ready: number;
    while ((ready = Atomics.load(pool.i32, C.READY)) < threads - 1) {
      const left = deadline - performance.now();
      if (left <= 0) { pool.dispose(); throw new ThreadPoolError(`worker threads did not start within ${START_TIMEOUT_MS / 1000} s (${ready} of ${threads - 1} ready)`); }
      Atomics.wait(pool.i32, C.READY, ready, left);
    }
    pool.checkStartup();
    return pool;
  }

  /** Starts the workers and waits for their first message (browsers, where workers need this event loop to start). */
  static async start(host: ThreadHost, module: WebAssembly.Module, exports: object, memory: WebAssembly.Memory, arena: Arena, threads: number, names: readonly string[]): Promise<ThreadPool> {
    const pool = new ThreadPool(host, arena, memory, threads, names, exports);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new ThreadPoolError(`worker threads did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.all(pool.spawnAll(module)), timeout]);
    } catch (e) {
      pool.dispose();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    pool.checkStartup();
    return pool;
  }

  private checkStartup(): void {
    if (Atomics.load(this.i32, C.ERROR) === 0) return;
    const message = this.errorText();
    this.dispose();
    throw new ThreadPoolError(`a worker thread could not start: ${message}`);
  }

  /** Index of an export in `names` (the op code of a call). */
  op(name: string): number {
    const i = this.opIndex.get(name);
    if (i === undefined) throw new ThreadPoolError(`no pool op for export ${name}`);
    return i;
  }

  get alive(): boolean { return !this.disposed && this.fault === undefined; }

  /** A worker died or failed between calls (its 'exit' or 'error' event): the pool ends, the kernels go on on one thread. */
  private lose(tid: number, what: string): void {
    this.fault ??= `worker ${tid} ${what}`;
    Atomics.compareExchange(this.i32, C.LOST, 0, tid + 1);
    this.dispose();
  }

  /** Internal test hook: worker `tid` leaves (process.exit in Node) when it claims its next share. @internal */
  injectExit(tid: number): void {
    this.injectFault(tid, 'exit');
  }

  /** Internal test hook: worker `tid`, when it claims its next share, leaves saying so ('exit'),
   *  leaves without a word as a terminated thread does ('vanish'), never finishes it ('hang'), or
   *  finishes it and then leaves without a word ('quit'). @internal */
  injectFault(tid: number, kind: 'exit' | 'vanish' | 'hang' | 'quit'): void {
    this.i32[C.FAULT_KIND] = { exit: C.FAULT_EXIT, vanish: C.FAULT_VANISH, hang: C.FAULT_HANG, quit: C.FAULT_QUIT }[kind];
    Atomics.store(this.i32, C.FAULT, tid + 1);
  }

  /** Internal test hook: the worker handle of thread `tid` (≥ 1). @internal */
  workerOf(tid: number): WorkerHandle | undefined {
    return this.workers[tid - 1];
  }

  /** True while the pool backs off to one thread (backoff.ts): splitting is slower than not splitting then. */
  get degraded(): boolean { return this.backoff.degraded; }
  /** Times the pool backed off to one thread (a sign of a busy machine). */
  get backoffs(): number { return this.backoff.count; }

  /** Microseconds a parked worker polls before sleeping (0: sleep at once; saves CPU, adds wake-up latency). */
  set spin(micros: number) { this.i32[C.SPIN] = micros; }
  get spin(): number { return this.i32[C.SPIN]!; }

  /** Begins describing a call of export `op` with `argc` arguments; strides reset to 0. */
  prepare(op: number, argc: number): void {
    if (this.disposed) throw new ThreadPoolError(this.fault ? `the thread pool was shut down: ${this.fault}` : 'the thread pool was shut down (backend disposed)');
    const i32 = this.i32;
    i32[C.OP] = op;
    i32[C.ARGC] = argc;
    for (let i = 0; i < argc; i++) i32[C.STRIDE + i] = 0;
    i32[C.WORK_ARG] = -1;
  }

  /**
   * Sets the split and wakes the workers: argument `splitArg` holds `total` units cut into
   * `quantum`-sized pieces among `threads` threads (`pieces` > threads: into that many pieces the
   * threads claim one by one; 0: one share each); argument `workArg` (or −1) gets a private
   * scratch region of `workBytes` per worker. The caller then runs its part with runOwn().
   * `op2` ≥ 0: a pair call instead (control.ts; total 2, threads 2): the caller runs op on args[0, argc), worker 1
   * op2 on args[argc, 2·argc) with its scratch for argument workArg.
   */
  launch(splitArg: number, total: number, quantum: number, threads: number, workArg: number, workBytes: number, pieces = 0, op2 = -1): void {
    const i32 = this.i32;
    i32[C.OP2] = op2;
    if (workArg >= 0) {
      this.ensureScratch(workBytes);
      i32[C.WORK_ARG] = workArg;
      i32[C.WORK_STRIDE] = this.scratchStride;
      this.f64[C.WORK_BASE_F64] = this.scratchPtr;
    }
    i32[C.SPLIT_ARG] = splitArg;
    i32[C.TOTAL] = total;
    i32[C.QUANTUM] = quantum;
    i32[C.THREADS] = threads;
    i32[C.PIECES] = pieces;
    i32[C.NEXT] = 0;
    const g = ++this.gen;
    for (let t = 1; t < threads; t++) Atomics.store(i32, C.CLAIM + t, g);
    Atomics.store(i32, C.GEN, g);
    Atomics.notify(i32, C.GEN);
    this.tLaunch = performance.now();
    this.callerUnits = 0;
    let most = 0;
    if (pieces > 0) for (let p = 0; p < pieces; p++) most = Math.max(most, C.splitBound(total, quantum, pieces, p + 1) - C.splitBound(total, quantum, pieces, p));
    else for (let t = 1; t < threads; t++) most = Math.max(most, C.splitBound(total, quantum, threads, t + 1) - C.splitBound(total, quantum, threads, t));
    this.workerUnits = most;
  }

  /** The caller's part of the call launched last: share 0, or pieces until none is left. */
  runOwn(): void {
    this.callerUnits = runShare(C.SHARE_LAYOUT, this.i32, this.f64, this.shareArgs, this.fns, 0);
  }

  /**
   * Runs the shares no worker has claimed, waits for the claimed ones; throws the first error.
   * Every wait is bounded (timeoutMs, see there). When a worker died or is stuck, the other
   * workers' shares are still waited for, so that no thread writes into this call's memory after it
   * returns; then the pool ends and the call throws a ThreadPoolError.
   */
  finish(): void {
    const i32 = this.i32;
    const g = this.gen;
    const threads = i32[C.THREADS]!;
    let callerError: unknown;
    let stole = false;
    let silent = 0;
    if (this.steal) {
      for (let t = 1; t < threads; t++) {
        if (Atomics.compareExchange(i32, C.CLAIM + t, g, C.CLAIMED_BY_CALLER) !== g) continue;
        stole = true;
        if (this.quiet(t, g)) silent = t;
        callerError = this.runTaken(t, callerError);
      }
    }
    const tOwn = performance.now();
    const ownMs = tOwn - this.tLaunch;
    // Pieces: a caller that ran far more than its part did the work of a thread that was not there.
    if (i32[C.PIECES]! > 0 && this.callerUnits > 1.5 * i32[C.TOTAL]! / threads) stole = true;
    const patienceMs = Math.max(this.timeoutMs, PATIENCE_FACTOR * ownMs * this.workerUnits / Math.max(1, this.callerUnits));
    let stuck = 0;
    for (let t = 1; t < threads; t++) {
      if (Atomics.load(i32, C.CLAIM + t) === C.CLAIMED_BY_CALLER) continue;
      const until = performance.now() + CALLER_SPIN_US / 1000;
      let fin: number;
      for (let i = 1; (fin = Atomics.load(i32, C.FIN + t)) !== g; i++) if ((i & 63) === 0 && performance.now() > until) break;
      // Counted in timed-out slices, not by the clock: a process stopped and resumed does not time out at once.
      for (let slices = 0; (fin = Atomics.load(i32, C.FIN + t)) !== g;) {
        if (Atomics.load(i32, C.LOST) === t + 1) break; // it left: it writes nothing more
        if (slices * WAIT_SLICE_MS >= (Atomics.load(i32, C.CLAIM + t) === g ? this.timeoutMs : patienceMs)) {
          if (Atomics.compareExchange(i32, C.CLAIM + t, g, C.CLAIMED_BY_CALLER) === g) {
            callerError = this.runTaken(t, callerError); // never claimed (stealing off): run it here
            silent = t;
          } else stuck ||= t;
          break;
        }
        if (Atomics.wait(i32, C.FIN + t, fin, WAIT_SLICE_MS) === 'timed-out') slices++;
      }
    }
    if (stuck !== 0) throw this.ended(stuck, `did not finish its share within ${(patienceMs / 1000).toFixed(1)} s (stuck, or terminated)`);
    if (Atomics.load(i32, C.LOST) !== 0) throw this.ended(Atomics.load(i32, C.LOST) - 1, '');
    if (silent !== 0) this.lose(silent, `did not answer for ${(this.timeoutMs / 1000).toFixed(1)} s (terminated?)`);
    else if (this.adaptive && this.callerUnits > 0 && this.backoff.warm()) this.judge(ownMs, performance.now() - tOwn, stole);
    if (Atomics.load(i32, C.ERROR) !== 0) {
      const message = this.errorText();
      Atomics.store(i32, C.ERROR, 0);
      throw new ThreadPoolError(message);
    }
    if (callerError !== undefined) throw callerError;
  }

  /** Runs share t on the caller (taken from its worker); returns the call's first error. */
  private runTaken(t: number, first: unknown): unknown {
    try {
      this.callerUnits += runShare(C.SHARE_LAYOUT, this.i32, this.f64, this.shareArgs, this.fns, t);
    } catch (e) {
      first ??= e instanceof ThreadPoolError ? e : new ThreadPoolError(`share ${t} (run by the caller): ${(e as Error).name}: ${(e as Error).message}`);
    }
    return first;
  }

  /** The heartbeat, read when the caller takes worker t's share: true once it has woken up for none of the last QUIET_CALLS calls for timeoutMs. */
  private quiet(t: number, g: number): boolean {
    if (((g - Atomics.load(this.i32, C.SEEN + t)) | 0) <= QUIET_CALLS) { this.quietSince[t] = 0; return false; }
    const now = performance.now();
    if (this.quietSince[t] === 0) this.quietSince[t] = now;
    return now - this.quietSince[t]! > this.timeoutMs;
  }

  /** Worker tid died during the call (what: '', the exit code is in LOST_CODE) or is stuck in it: end the pool, say which and how. */
  private ended(tid: number, what: string): ThreadPoolError {
    if (what) {
      // Stuck: it may still run. Terminate it (dispose) and give the termination time to arrive;
      // the control block and scratch stay with it (a late write lands in memory no one else gets).
      Atomics.compareExchange(this.i32, C.LOST, 0, tid + 1);
      this.abandoned = true;
    }
    this.fault ??= `worker ${tid} ${what || `died during a call (exit code ${this.i32[C.LOST_CODE]!})`}`;
    const message = `${this.fault}; the thread pool is shut down and the kernels run on one thread`;
    this.dispose();
    if (what) sleep(TERMINATE_GRACE_MS);
    return new ThreadPoolError(message);
  }

  /** Judges one call for the back-off (public for tests: the caller's own time, its wait for workers, whether it took a share). */
  judge(ownMs: number, waitMs: number, stole: boolean): void {
    this.backoff.judge(ownMs, waitMs, stole, this.callerUnits, this.workerUnits);
  }

  /** A barrier with no work (start-up checks, tests); OP_FAIL makes share 1 throw. */
  barrier(op: number = C.OP_NOOP): void {
    this.prepare(op, 0);
    this.launch(0, 0, 1, this.size, -1, 0);
    this.runOwn();
    this.finish();
  }

  private errorText(): string {
    const n = this.i32[C.ERROR_LEN]!;
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.i32[C.ERROR_TEXT + i]!);
    return s || 'a worker thread failed';
  }

  private ensureScratch(bytes: number): void {
    const stride = Math.ceil(bytes / 64) * 64;
    if (stride <= this.scratchStride) return;
    if (this.scratchPtr) this.arena.free(this.scratchPtr);
    // Round up so a slightly larger call later does not reallocate.
    this.scratchStride = Math.max(stride, 64 * 1024);
    this.scratchPtr = this.arena.alloc(this.scratchStride * (this.size - 1));
  }

  /** Ends the workers and returns the control block and scratch to the arena. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const i32 = this.i32;
    i32[C.OP] = C.OP_EXIT;
    const g = ++this.gen;
    for (let t = 1; t < this.size; t++) Atomics.store(i32, C.CLAIM + t, g);
    Atomics.store(i32, C.GEN, g);
    Atomics.notify(i32, C.GEN);
    // Workers leave at once; wait briefly so that none still reads the control block when the
    // arena hands it out again (terminate() below ends any that did not start).
    const want = Math.min(this.workers.length, Atomics.load(i32, C.READY)) - (Atomics.load(i32, C.LOST) !== 0 ? 1 : 0);
    const deadline = performance.now() + 1000;
    let exited: number;
    while ((exited = Atomics.load(i32, C.EXITED)) < want && performance.now() < deadline) Atomics.wait(i32, C.EXITED, exited, 10);
    for (const w of this.workers) w.terminate();
    this.workers = [];
    if (this.abandoned) return;
    if (this.scratchPtr) this.arena.free(this.scratchPtr);
    this.scratchPtr = 0;
    this.arena.free(this.ctrlPtr);
  }

  /** Resolves when every worker has exited (after dispose). */
  async exited(): Promise<void> {
    await Promise.all(this.exits);
  }
}
