// The pool's life cycle and failure paths: start/stop without leaks, errors in a worker reach the
// caller with their message, backendInfo says how many threads and why, disposal degrades to one thread.

import { describe, expect, it } from 'vitest';
import { backendInfo, coreCount, createBackend, createBackendSync, BackendError } from '../../src/backend.js';
import { OP_FAIL } from '../../src/threads/control.js';
import { liveNodeWorkers } from '../../src/threads/host.js';
import { get, put, randomArray } from '../helpers/backends.js';
import { firstBitDifference, forcedBackend, singleBackend, threaded } from './helpers.js';

describe('thread pool life cycle', () => {
  it('starts and stops 100 times without leaking workers or memory', async () => {
    const before = liveNodeWorkers();
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 100; i++) {
      const b = createBackendSync({ binary: 'simd', threads: 2 });
      expect(liveNodeWorkers()).toBe(before + 1);
      threaded(b).pool.barrier();
      const pool = threaded(b).pool;
      b.dispose();
      b.dispose(); // idempotent
      await pool.exited();
      expect(liveNodeWorkers()).toBe(before);
    }
    const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
    expect(grown, `rss grew ${grown.toFixed(0)} MiB`).toBeLessThan(400);
  }, 120_000);

  it('starts asynchronously too (createBackend), 3 threads', async () => {
    const b = await createBackend({ binary: 'simd', threads: 3 });
    expect(b.threadCount).toBe(3);
    expect(liveNodeWorkers()).toBeGreaterThanOrEqual(2);
    threaded(b).pool.barrier();
    const pool = threaded(b).pool;
    b.dispose();
    await pool.exited();
  });

  it('keeps the arena where it started: one control block, scratch freed on dispose', () => {
    const b = forcedBackend(2);
    const live0 = b.arena.liveCount;
    const A = put(b, randomArray(40 * 30, 1)), B = put(b, randomArray(20 * 30, 2)), C = b.arena.alloc(40 * 20 * 4);
    const w = b.arena.alloc(b.k.f32_gemm_work_bytes(40, 20, 30));
    b.k.f32_gemm_nt(A, B, 0, C, 40, 20, 30, 0, w);
    expect(b.arena.liveCount).toBe(live0 + 5); // four regions + the workers' scratch
    b.k.f32_gemm_nt(A, B, 0, C, 40, 20, 30, 0, w);
    expect(b.arena.liveCount).toBe(live0 + 5); // scratch is reused, not reallocated
    for (const p of [A, B, C, w]) b.arena.free(p);
    b.dispose();
    expect(b.arena.liveCount).toBe(live0 - 1);
  });
});

describe('shared memory growth', () => {
  it('the arena grows the shared memory; views follow; workers compute on the new pages', () => {
    const b = forcedBackend(2);
    const before = b.memory.buffer;
    expect(before).toBeInstanceOf(SharedArrayBuffer);
    const big = b.arena.alloc(48 * 2 ** 20); // grows well past the initial 1 MiB
    const after = b.memory.buffer;
    expect(after.byteLength).toBeGreaterThan(before.byteLength);
    expect(b.arena.views.f32.buffer).toBe(after);
    const m = 33, n = 21, k = 17;
    const X = put(b, randomArray(m * k, 1)), W = put(b, randomArray(n * k, 2)), Z = b.arena.alloc(m * n * 4);
    expect(Z).toBeGreaterThan(before.byteLength); // operands on pages that did not exist when the worker started
    b.k.f32_gemm_nt(X, W, 0, Z, m, n, k, 0, b.arena.alloc(b.k.f32_gemm_work_bytes(m, n, k)));
    const one = singleBackend();
    const X1 = put(one, randomArray(m * k, 1)), W1 = put(one, randomArray(n * k, 2)), Z1 = one.arena.alloc(m * n * 4);
    one.k.f32_gemm_nt(X1, W1, 0, Z1, m, n, k, 0, one.arena.alloc(one.k.f32_gemm_work_bytes(m, n, k)));
    expect(firstBitDifference(get(b, Z, m * n), get(one, Z1, m * n))).toBe(-1);
    b.arena.free(big);
    b.dispose();
  });
});

describe('errors in workers', () => {
  it('a worker exception surfaces in the caller with its message; the pool keeps working', () => {
    const b = forcedBackend(2);
    const pool = threaded(b).pool;
    pool.steal = false; // the worker, not the caller, must run share 1
    expect(() => pool.barrier(OP_FAIL)).toThrow(/worker 1: Error: failed on purpose/);
    pool.barrier();
    pool.steal = true; // share 1 may now run on either thread: same failure either way
    expect(() => pool.barrier(OP_FAIL)).toThrow(/failed on purpose/);
    pool.barrier();
    b.dispose();
  });

  it('the caller runs the shares of workers that are not scheduled: no stall', () => {
    const b = forcedBackend(3);
    const pool = threaded(b).pool;
    pool.spin = 0; // workers sleep at once; the caller takes whatever they have not claimed yet
    const one = singleBackend();
    for (let i = 0; i < 200; i++) {
      const m = 37 + (i % 5), n = 19, k = 101;
      const X = put(b, randomArray(m * k, i)), W = put(b, randomArray(n * k, i + 1)), Z = b.arena.alloc(m * n * 4);
      const w = b.arena.alloc(b.k.f32_gemm_work_bytes(m, n, k));
      b.k.f32_gemm_nt(X, W, 0, Z, m, n, k, 0, w);
      if (i % 50 === 0) {
        const X1 = put(one, randomArray(m * k, i)), W1 = put(one, randomArray(n * k, i + 1)), Z1 = one.arena.alloc(m * n * 4);
        one.k.f32_gemm_nt(X1, W1, 0, Z1, m, n, k, 0, one.arena.alloc(one.k.f32_gemm_work_bytes(m, n, k)));
        expect(firstBitDifference(get(b, Z, m * n), get(one, Z1, m * n))).toBe(-1);
      }
      for (const p of [X, W, Z, w]) b.arena.free(p);
    }
    b.dispose();
  });

  it('a trap in a worker\'s share (out-of-bounds rows) surfaces as a RuntimeError message', () => {
    const b = forcedBackend(2);
    threaded(b).pool.steal = false;
    const m = 20, n = 8, k = 16;
    const end = b.memory.buffer.byteLength;
    // Rows 0..9 (the caller's share) sit at the end of memory; rows 10.. (the worker's) lie past it.
    const x = end - 10 * k * 4;
    const W = put(b, randomArray(n * k, 1)), Z = b.arena.alloc(m * n * 4), w = b.arena.alloc(b.k.f32_gemm_work_bytes(m, n, k));
    expect(() => b.k.f32_gemm_nt(x, W, 0, Z, m, n, k, 0, w)).toThrow(/worker 1: RuntimeError: memory access out of bounds/);
    const one = singleBackend();
    const X = put(b, randomArray(m * k, 2));
    b.k.f32_gemm_nt(X, W, 0, Z, m, n, k, 0, w);
    const X1 = put(one, randomArray(m * k, 2)), W1 = put(one, randomArray(n * k, 1)), Z1 = one.arena.alloc(m * n * 4);
    one.k.f32_gemm_nt(X1, W1, 0, Z1, m, n, k, 0, one.arena.alloc(one.k.f32_gemm_work_bytes(m, n, k)));
    expect(firstBitDifference(get(b, Z, m * n), get(one, Z1, m * n))).toBe(-1);
    b.dispose();
  });
});

describe('back-off under contention', () => {
  it('runs on one thread for a while when calls keep waiting on workers, then probes again', async () => {
    const b = forcedBackend(2);
    const pool = threaded(b).pool;
    pool.adaptive = true;
    const m = 40, n = 30, k = 20;
    expect(threaded(b).gemmThreads(m, n, k)).toBe(2);
    const X = put(b, randomArray(m * k, 1)), W = put(b, randomArray(n * k, 2)), Z = b.arena.alloc(m * n * 4);
    b.k.f32_gemm_nt(X, W, 0, Z, m, n, k, 0, b.arena.alloc(b.k.f32_gemm_work_bytes(m, n, k))); // sets the shares judged below
    // Balanced calls (the workers finish with the caller), and short calls whose share the caller
    // took (a parked worker wakes late): no back-off.
    for (let i = 0; i < 500; i++) pool.judge(1, 0.1, false);
    for (let i = 0; i < 500; i++) pool.judge(0.05, 0, true);
    expect(pool.degraded).toBe(false);
    expect(pool.backoffs).toBe(0);
    // A run of calls that wait on workers far longer than their share: one thread for a while.
    let calls = 0;
    while (!pool.degraded && calls < 100) { pool.judge(1, 3, false); calls++; }
    expect(pool.degraded).toBe(true);
    expect(calls).toBeGreaterThan(10); // a few slow calls are not enough
    expect(pool.backoffs).toBe(1);
    expect(threaded(b).gemmThreads(m, n, k)).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // longest back-off
    expect(pool.degraded).toBe(false);
    expect(threaded(b).gemmThreads(m, n, k)).toBe(2);
    b.dispose();
  });

  it('backs off when the caller keeps taking the shares of calls a polling worker should have claimed', () => {
    const b = forcedBackend(2);
    const pool = threaded(b).pool;
    pool.adaptive = true;
    const m = 40, n = 30, k = 20;
    const X = put(b, randomArray(m * k, 1)), W = put(b, randomArray(n * k, 2)), Z = b.arena.alloc(m * n * 4);
    b.k.f32_gemm_nt(X, W, 0, Z, m, n, k, 0, b.arena.alloc(b.k.f32_gemm_work_bytes(m, n, k))); // sets the shares judged below
    // Long calls (0.15 ms, under the 0.2 ms of the slow average) taken now and then, as on a quiet machine: no back-off.
    for (let i = 0; i < 2000; i++) pool.judge(0.15, 0, i % 50 === 0);
    expect(pool.backoffs).toBe(0);
    // Two of three taken (a worker the OS keeps off its core; short calls in between do not dilute it).
    let calls = 0;
    while (!pool.degraded && calls < 300) { pool.judge(0.15, 0, calls % 3 !== 0); pool.judge(0.01, 0, false); calls++; }
    expect(pool.degraded).toBe(true);
    expect(calls).toBeGreaterThan(3);
    expect(pool.backoffs).toBe(1);
    b.dispose();
  });
});

describe('thread count and why', () => {
  it('reports threads in use and the reason', () => {
    const b = createBackendSync({ binary: 'simd', threads: 2 });
    const info = backendInfo(b);
    expect(info.threadCount).toBe(2);
    expect(info.binary).toBe('threads');
    expect(info.why).toMatch(/threads: 2 \(worker_threads, shared memory\)/);
    b.dispose();
    expect(backendInfo(createBackendSync({ binary: 'simd', threads: 1 })).why).toMatch(/single-threaded: threads: 1 requested/);
    expect(backendInfo(createBackendSync({ binary: 'simd' })).threadCount).toBe(1);
    const js = backendInfo(createBackendSync({ backend: 'js', threads: 2 }));
    expect(js.threadCount).toBe(1);
    expect(js.why).toMatch(/pure-TS backend runs on one thread/);
    expect(backendInfo(createBackendSync({ binary: 'debug', threads: 2 })).why).toMatch(/debug binary/);
  });

  it("threads: 'auto' uses the cores; bad values are rejected", () => {
    const b = createBackendSync({ binary: 'simd', threads: 'auto' });
    expect(b.threadCount).toBe(coreCount());
    b.dispose();
    for (const bad of [0, -1, 1.5, NaN, 'all']) {
      expect(() => createBackendSync({ threads: bad as number })).toThrow(BackendError);
      expect(() => createBackendSync({ threads: bad as number })).toThrow(/threads must be a positive integer or 'auto'/);
    }
  });

  it('a bytes source that is not a threads binary falls back to one thread, saying so', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(new URL('../../build/simd.wasm', import.meta.url)));
    const b = createBackendSync({ binary: 'simd', threads: 2, wasm: bytes });
    expect(b.threadCount).toBe(1);
    expect(backendInfo(b).why).toMatch(/not a threads binary/);
  });

  it('after dispose the kernels keep working on one thread', () => {
    const b = forcedBackend(2);
    b.dispose();
    expect(threaded(b).gemmThreads(128, 256, 784)).toBe(1);
    const A = put(b, randomArray(12 * 5, 1)), B = put(b, randomArray(7 * 5, 2)), C = b.arena.alloc(12 * 7 * 4);
    b.k.f32_gemm_nt(A, B, 0, C, 12, 7, 5, 0, b.arena.alloc(b.k.f32_gemm_work_bytes(12, 7, 5)));
    expect(Number.isFinite(get(b, C, 84)[83]!)).toBe(true);
  });
});
