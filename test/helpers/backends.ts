// The backends the tests run on: the pure-TS twins, the baseline SIMD binary, and the relaxed SIMD
// binary where the process runs it (the `relaxed` vitest project enables it and sets
// SIMDNET_EXPECT_RELAXED, so a missing relaxed binary fails there instead of being skipped). The
// kernel suite (test/kernels/) adds a 2-thread backend that splits every kernel it can, and, in
// the node project, the debug binary (its entry checks must pass every valid call).

import { createBackendSync, type Backend } from '../../src/backend.js';
import type { ThreadedKernels } from '../../src/threads/kernels.js';
import { detectFeatures } from '../../src/wasm/features.js';

export function expectRelaxed(): boolean {
  return process.env.SIMDNET_EXPECT_RELAXED === '1';
}

let cache: Backend[] | undefined;

export function kernelBackends(): Backend[] {
  if (cache) return cache;
  const features = detectFeatures();
  if (expectRelaxed() && !features.relaxedSimd) {
    throw new Error('the relaxed project expects relaxed SIMD to validate (--experimental-wasm-relaxed-simd)');
  }
  const list: Backend[] = [];
  if (expectRelaxed()) {
    list.push(createBackendSync({ binary: 'relaxed' }));
  } else {
    list.push(createBackendSync({ backend: 'js' }));
    list.push(createBackendSync({ binary: 'simd' }));
  }
  cache = list;
  return list;
}

let suite: Backend[] | undefined;

/** kernelBackends(), then the threads build on 2 threads with the split thresholds at 1 (so even
 *  small odd shapes are cut: a 2-row GEMM or a 3-float step runs on both threads), then debug. */
export function kernelSuiteBackends(): Backend[] {
  if (suite) return suite;
  const two = createBackendSync({ binary: expectRelaxed() ? 'relaxed' : 'simd', threads: 2 });
  if (two.threadCount !== 2) throw new Error(`the kernel suite needs a 2-thread backend here: ${two.why}`);
  const t = two.k as ThreadedKernels;
  t.tuning.gemmMinFlopsPerThread = 1;
  t.tuning.eltwiseMinPerThread = 1;
  // Tiny calls find the worker asleep; the back-off to one thread would hide the splits.
  t.pool.adaptive = false;
  if (t.gemmThreads(16, 16, 1) !== 2) throw new Error('the 2-thread backend does not split a 16×16 GEMM');
  suite = [...kernelBackends(), two, ...(expectRelaxed() ? [] : [createBackendSync({ binary: 'debug' })])];
  return suite;
}

/** Deterministic test data (mulberry32), independent of the library's own PRNG. */
export function testRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = testRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** Copies values into a fresh arena region and returns its pointer. */
export function put(b: Backend, values: ArrayLike<number>): number {
  const ptr = b.arena.alloc(values.length * 4);
  b.arena.views.f32.set(values, ptr >>> 2);
  return ptr;
}

export function putI32(b: Backend, values: ArrayLike<number>): number {
  const ptr = b.arena.alloc(values.length * 4);
  b.arena.views.i32.set(values, ptr >>> 2);
  return ptr;
}

export function get(b: Backend, ptr: number, n: number): Float32Array {
  return b.arena.views.f32.slice(ptr >>> 2, (ptr >>> 2) + n);
}

/** max |a − e| / max(|e|, floor) over all elements; floor keeps near-zero entries from dominating. */
export function maxRelError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity;
    if (Number.isNaN(a) || a === e) continue;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), floor);
    if (!(err <= worst)) worst = err;
  }
  return worst;
}
