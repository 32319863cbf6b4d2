// Backends for the thread tests: the single-threaded baseline binary (the oracle: its own kernel
// tests compare it with float64 references) and threaded backends whose split thresholds are
// lowered so that even small odd shapes are cut across every thread.

import { createBackendSync, type Backend } from '../../src/backend.js';
import type { ThreadedKernels } from '../../src/threads/kernels.js';

export const THREAD_COUNTS = [1, 2, 3] as const;

export function singleBackend(): Backend {
  return createBackendSync({ binary: 'simd' });
}

/** A backend with `threads` threads that splits every kernel it can (thresholds at 1, no back-off). */
export function forcedBackend(threads: number): Backend {
  const b = createBackendSync({ binary: 'simd', threads });
  if (threads > 1) {
    const t = (b.k as ThreadedKernels).tuning;
    t.gemmMinFlopsPerThread = 1;
    t.eltwiseMinPerThread = 1;
    // Tiny calls find workers asleep; the back-off to one thread would hide the splits under test.
    (b.k as ThreadedKernels).pool.adaptive = false;
  }
  return b;
}

export function threaded(b: Backend): ThreadedKernels {
  return b.k as ThreadedKernels;
}

/** Index of the first element whose bits differ, or −1. */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
