// planBackend is a pure function of the options and what the host offers: every branch is checked
// here on made-up hosts (a browser page's main thread, a host without relaxed SIMD, one core...),
// which this machine could not otherwise show. The expected plans are written out by hand.
import { describe, expect, it } from 'vitest';
import { planBackend, type HostFeatures } from '../../src/backend-plan.js';
import { BackendError } from '../../src/errors.js';
import { createBackend, createBackendSync, hostFeatures } from '../../src/backend.js';
import type { ThreadHost } from '../../src/threads/host.js';

const noSpawn = (): never => { throw new Error('a plan never spawns'); };
const nodeHost: ThreadHost = { name: 'worker_threads', canBlock: true, startsWhileBlocked: true, spawn: noSpawn };
const workerHost: ThreadHost = { name: 'web-worker', canBlock: true, startsWhileBlocked: false, spawn: noSpawn };
const pageHost: ThreadHost = { name: 'web-worker', canBlock: false, startsWhileBlocked: false, spawn: noSpawn };

/** Node 22 on 4 cores with every feature. */
const NODE: HostFeatures = { wasm: true, simd: true, relaxedSimd: true, threads: true, cores: 4, sharedArrayBuffer: true, crossOriginIsolated: undefined, threadHost: nodeHost };
const host = (over: Partial<HostFeatures>): HostFeatures => ({ ...NODE, ...over });

describe('planBackend (pure)', () => {
  it('picks relaxed SIMD where it validates, baseline SIMD where not, and the pure-TS twins without SIMD', () => {
    expect(planBackend({}, NODE, 'sync')).toEqual({
      kind: 'wasm', binary: 'relaxed', single: 'relaxed', threads: 1, strict: true,
      binaryWhy: 'relaxed SIMD validates on this host', threadWhy: 'single-threaded: threads: 1 requested',
    });
    const simd = planBackend({}, host({ relaxedSimd: false }), 'async');
    expect([simd.kind, simd.binary, simd.binaryWhy]).toEqual(['wasm', 'simd', 'relaxed SIMD does not validate on this host; baseline SIMD']);
    const none = planBackend({}, host({ simd: false, relaxedSimd: false }), 'async');
    expect([none.kind, none.binary, none.single, none.binaryWhy]).toEqual(['js', 'js', 'js', 'WebAssembly SIMD is not available; pure-TS backend']);
  });

  it('honours a requested backend or binary, and refuses what the host cannot run', () => {
    expect(planBackend({ backend: 'js' }, NODE, 'sync')).toMatchObject({ kind: 'js', binary: 'js', binaryWhy: 'pure-TS backend requested' });
    expect(planBackend({ binary: 'simd' }, NODE, 'sync')).toMatchObject({ binary: 'simd', binaryWhy: 'binary simd requested' });
    expect(planBackend({ binary: 'debug' }, NODE, 'sync')).toMatchObject({ binary: 'debug', single: 'debug' });
    expect(() => planBackend({ binary: 'relaxed' }, host({ relaxedSimd: false }), 'sync')).toThrow(/relaxed SIMD was requested but this host does not validate it/);
    expect(() => planBackend({ backend: 'wasm' }, host({ simd: false }), 'sync')).toThrow(BackendError);
    // @ts-expect-error: not a backend
    expect(() => planBackend({ backend: 'gpu' }, NODE, 'sync')).toThrow(/backend must be 'wasm' or 'js', got "gpu"/);
    expect(() => planBackend({ binary: 'threads' }, NODE, 'sync')).toThrow(/binary must be one of 'simd', 'relaxed', 'debug', got "threads"/);
    // @ts-expect-error: not a binary
    expect(() => planBackend({ binary: 'toString' }, NODE, 'sync')).toThrow(/got "toString"/);
  });

  it('threads: the threads build of the chosen binary where every condition holds, else one thread and the first reason', () => {
    expect(planBackend({ threads: 2 }, NODE, 'sync')).toEqual({
      kind: 'wasm', binary: 'threads-relaxed', single: 'relaxed', threads: 2, strict: true,
      binaryWhy: 'relaxed SIMD validates on this host', threadWhy: 'threads: 2 (worker_threads, shared memory)',
    });
    expect(planBackend({ threads: 3, binary: 'simd' }, NODE, 'async')).toMatchObject({ binary: 'threads', single: 'simd', threads: 3 });
    expect(planBackend({ threads: 'auto' }, NODE, 'async')).toMatchObject({ threads: 4, strict: false });
    expect(planBackend({ threads: 500 }, NODE, 'async').threads).toBe(64);
    const one = (opts: Parameters<typeof planBackend>[0], f: HostFeatures, loader: 'sync' | 'async' = 'async') => {
      const p = planBackend(opts, f, loader);
      expect(p.threads).toBe(1);
      expect(p.binary).toBe(p.single);
      return p.threadWhy;
    };
    expect(one({ threads: 'auto' }, host({ cores: 1 }))).toBe("single-threaded: threads: 'auto' found 1 core");
    expect(one({ threads: 2, backend: 'js' }, NODE)).toBe('single-threaded: the pure-TS backend runs on one thread');
    expect(one({ threads: 2, binary: 'debug' }, NODE)).toBe('single-threaded: the debug binary has no threads build');
    expect(one({ threads: 2 }, host({ sharedArrayBuffer: false }))).toBe('single-threaded: SharedArrayBuffer unavailable');
    expect(one({ threads: 2 }, host({ crossOriginIsolated: false, threadHost: workerHost }))).toMatch(/not cross-origin isolated/);
    expect(one({ threads: 2 }, host({ threads: false }))).toBe('single-threaded: this host does not validate shared WebAssembly memory');
    expect(one({ threads: 2 }, host({ threadHost: 'no worker threads here' }))).toBe('single-threaded: no worker threads here');
    expect(one({ threads: 2 }, host({ crossOriginIsolated: true, threadHost: pageHost }))).toMatch(/Atomics\.wait is not allowed on a page's main thread/);
    expect(one({ threads: 2 }, host({ crossOriginIsolated: true, threadHost: workerHost }), 'sync')).toMatch(/workers start asynchronously here/);
    expect(planBackend({ threads: 2 }, host({ crossOriginIsolated: true, threadHost: workerHost }), 'async'))
      .toMatchObject({ threads: 2, threadWhy: 'threads: 2 (web-worker, shared memory)' });
    for (const bad of [0, -1, 1.5, NaN, '2']) {
      // @ts-expect-error: a string is not a thread count
      expect(() => planBackend({ threads: bad }, NODE, 'async')).toThrow(`threads must be a positive integer or 'auto', got ${JSON.stringify(bad)}`);
    }
  });

  it('a synchronous loader refuses a source it would have to wait for (it was ignored before)', () => {
    for (const wasm of ['./build/', new URL('file:///x/simd.wasm')]) {
      expect(() => planBackend({ wasm }, NODE, 'sync')).toThrow(/createBackendSync takes the binary as bytes/);
      expect(planBackend({ wasm }, NODE, 'async').kind).toBe('wasm');
    }
  });
});

describe('the plan made real', () => {
  it('each backend carries its own why: the plan\'s binary reason and thread reason', async () => {
    const f = hostFeatures();
    for (const opts of [{ backend: 'js' as const }, { binary: 'simd' as const }, { binary: 'debug' as const, threads: 2 }]) {
      const plan = planBackend(opts, f, 'sync');
      const b = createBackendSync(opts);
      expect([b.kind, b.binary, b.threadCount]).toEqual([plan.kind, plan.binary, plan.threads]);
      expect(b.why).toBe(`${plan.binaryWhy}; ${plan.threadWhy}`);
      const a = await createBackend(opts);
      expect([a.kind, a.binary, a.why]).toEqual([b.kind, b.binary, b.why]);
    }
  });

  it('both loaders give a working backend from ArrayBuffer bytes', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(new URL('../../build/simd.wasm', import.meta.url));
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    for (const b of [createBackendSync({ binary: 'simd', wasm: buf }), await createBackend({ binary: 'simd', wasm: buf })]) {
      const p = b.arena.alloc(16);
      b.k.f32_fill(p, 4, 1.25);
      expect(b.k.f32_sum(p, 4)).toBe(5);
    }
  });
});
