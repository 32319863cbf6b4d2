// The pool's back-off on a busy machine: each split call is judged slow or not for its size, and
// when a moving average says most recent calls were slow (other processes hold the cores), the
// kernels run on one thread for a while, then probe again. Splitting is slower than not splitting
// when the workers keep the caller waiting.

/** One thread for this long (doubling up to the max while it persists) when calls keep waiting on workers. */
const BACKOFF_MIN_MS = 20;
const BACKOFF_MAX_MS = 250;
/** Calls not judged after start-up: workers run unoptimized code at first (JS and wasm tiers). */
const WARMUP_CALLS = 64;
/** Judged calls without a back-off after which the back-off starts short again. */
const HEALTHY_CALLS = 2000;

export class Backoff {
  private slowAverage = 0;
  private stealAverage = 0;
  private degradedUntil = 0;
  private backoffMs = BACKOFF_MIN_MS;
  private calls = 0;
  private healthyCalls = 0;
  /** Times it backed off to one thread. */
  count = 0;

  /** True while backing off; afterwards the next calls probe again. */
  get degraded(): boolean {
    if (this.degradedUntil === 0) return false;
    if (performance.now() < this.degradedUntil) return true;
    this.degradedUntil = 0;
    this.slowAverage = 0;
    this.stealAverage = 0;
    return false;
  }

  /** Counts a call; true once past the warm-up (a call to judge). */
  warm(): boolean {
    return ++this.calls > WARMUP_CALLS;
  }

  /** Was this call slow for its size (the caller's own time and units, its wait, the largest worker share's units)? */
  judge(ownMs: number, waitMs: number, stole: boolean, callerUnits: number, workerUnits: number): void {
    const expected = Math.max(ownMs, (ownMs / callerUnits) * workerUnits);
    // Taking a share is normal for short calls (a parked worker wakes in ~30 µs), a sign of a
    // busy machine for long ones.
    const slow = (stole && ownMs > 0.2) || ownMs + waitMs > 1.5 * expected + 0.05;
    // A few slow calls are normal (the OS runs something else for a moment); a run of them is not.
    this.slowAverage = 0.95 * this.slowAverage + (slow ? 0.05 : 0);
    // The share of calls long enough for a polling worker to have claimed its share (≥ 0.1 ms) whose
    // share the caller took: short calls do not dilute it. A worker the OS keeps off its core misses
    // half of them or more (measured: 48 % of all calls, 2 threads at 0.7× one thread, with no
    // back-off by the slow average alone); a polling worker on a quiet machine misses 1–4 %. At a
    // third (EMA weight 0.1) it also backed off on a host only moderately busy, where two threads
    // still beat one (epoch A/B 0.90×): hence half, over a longer average.
    if (ownMs >= 0.1) this.stealAverage = 0.95 * this.stealAverage + (stole ? 0.05 : 0);
    if (this.slowAverage > 0.6 || this.stealAverage > 0.5) {
      this.degradedUntil = performance.now() + this.backoffMs;
      this.count++;
      this.backoffMs = Math.min(2 * this.backoffMs, BACKOFF_MAX_MS);
      this.slowAverage = 0;
      this.stealAverage = 0;
      this.healthyCalls = 0;
    } else if (++this.healthyCalls > HEALTHY_CALLS) {
      this.backoffMs = BACKOFF_MIN_MS; // a long run without back-off: the machine is quiet again
    }
  }
}
