// Threaded GEMMs (row and column splits of the output, through the _ld variants where a block is
// not contiguous) and the split element-wise
// and optimizer kernels give the single-threaded results bit for bit, for 1, 2 and 3 threads on
// odd shapes, every flag combination.

import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { get, put, randomArray } from '../helpers/backends.js';
import { firstBitDifference, forcedBackend, singleBackend, THREAD_COUNTS, threaded } from './helpers.js';

const SHAPES: [number, number, number][] = [[37, 19, 101], [1, 5, 3], [5, 8, 7], [11, 9, 1], [64, 33, 17], [13, 130, 9], [101, 3, 37], [40, 600, 300]];
const one = singleBackend();
const backends = new Map<number, Backend>(THREAD_COUNTS.map((t) => [t, forcedBackend(t)]));
afterAll(() => { for (const b of backends.values()) b.dispose(); });

type Layout = 'nt' | 'tn' | 'nn';

function runGemm(b: Backend, layout: Layout, m: number, n: number, k: number, flags: number, seed: number): Float32Array {
  const aLen = m * k, bLen = n * k;
  const A = put(b, randomArray(aLen, seed)), B = put(b, randomArray(bLen, seed + 1));
  const bias = put(b, randomArray(n, seed + 2));
  const C = put(b, randomArray(m * n, seed + 3)); // accumulate reads it
  const work = b.arena.alloc(Math.max(64, b.k.f32_gemm_work_bytes(m, n, k)));
  if (layout === 'nt') b.k.f32_gemm_nt(A, B, bias, C, m, n, k, flags, work);
  else if (layout === 'tn') b.k.f32_gemm_tn(A, B, C, m, n, k, flags, work);
  else b.k.f32_gemm_nn(A, B, C, m, n, k, flags, work);
  const out = get(b, C, m * n);
  for (const p of [A, B, bias, C, work]) b.arena.free(p);
  return out;
}

describe('threaded GEMM', () => {
  for (const layout of ['nt', 'tn', 'nn'] as const) {
    for (const threads of THREAD_COUNTS) for (const split of ['rows', 'cols'] as const) {
      it(`${layout} with ${threads} thread(s), split by ${split}, is bit-identical to one thread`, () => {
        const b = backends.get(threads)!;
        if (threads > 1) threaded(b).tuning.gemmSplit = split;
        for (const [m, n, k] of SHAPES) {
          for (const flags of [0, 1, 2, 3]) {
            const seed = m * 1000 + n * 10 + k + flags;
            const want = runGemm(one, layout, m, n, k, flags, seed);
            const got = runGemm(b, layout, m, n, k, flags, seed);
            expect(firstBitDifference(got, want), `${layout} ${m}×${n}×${k} flags ${flags}`).toBe(-1);
          }
        }
        if (threads > 1) expect(threaded(b).gemmThreads(37, 19, 101)).toBe(split === 'rows' ? threads : Math.min(threads, 3));
        if (threads > 1) threaded(b).tuning.gemmSplit = 'auto';
      });
    }
    // Pieces claimed one by one: which thread computes a piece is up to the scheduler, the result is not.
    for (const threads of [2, 3]) for (const split of ['rows', 'cols'] as const) {
      it(`${layout} with ${threads} threads in pieces (split by ${split}) is bit-identical to one thread`, () => {
        const b = backends.get(threads)!;
        const t = threaded(b).tuning;
        t.gemmSplit = split;
        t.gemmPieces = { f32_gemm_nt: 3, f32_gemm_tn: 3, f32_gemm_nn: 3 };
        t.gemmMinFlopsPerPiece = 1;
        for (const [m, n, k] of SHAPES) {
          for (const flags of [0, 1, 2, 3]) {
            const seed = m * 1000 + n * 10 + k + flags + 7;
            const want = runGemm(one, layout, m, n, k, flags, seed);
            const got = runGemm(b, layout, m, n, k, flags, seed);
            expect(firstBitDifference(got, want), `${layout} ${m}×${n}×${k} flags ${flags}`).toBe(-1);
          }
        }
        t.gemmSplit = 'auto';
        t.gemmPieces = {};
        t.gemmMinFlopsPerPiece = 2_000_000;
      });
    }
  }

  it('splits only above the flop threshold with default tuning', () => {
    const b = forcedBackend(2);
    const t = threaded(b).tuning;
    t.gemmMinFlopsPerThread = 400_000;
    expect(threaded(b).gemmThreads(37, 19, 101)).toBe(1);
    expect(threaded(b).gemmThreads(128, 256, 784)).toBe(2);
    expect(threaded(b).gemmThreads(4, 4096, 4096)).toBe(2); // one tile of rows: split by columns
    expect(threaded(b).gemmThreads(3, 5, 100_000)).toBe(1); // one tile, one panel: nothing to split
    b.dispose();
  });
});

describe('threaded element-wise and optimizer kernels', () => {
  const N = 10_007;
  const ROWS = 53, COLS = 37;
  function run(b: Backend, seed: number): Float32Array[] {
    const k = b.k;
    const out: Float32Array[] = [];
    const p = put(b, randomArray(N, seed)), g = put(b, randomArray(N, seed + 1)), m1 = put(b, randomArray(N, seed + 2, 0, 1));
    const v1 = put(b, randomArray(N, seed + 3, 0, 1));
    k.f32_sgd_step(p, g, N, 0.1);
    k.f32_momentum_step(p, g, m1, N, 0.05, 0.9);
    k.f32_nesterov_step(p, g, m1, N, 0.05, 0.9);
    k.f32_adam_step(p, g, m1, v1, N, 1e-3, 0.9, 0.999, 1e-8, 1.5, 2.5, 0.01);
    k.f32_rmsprop_step(p, g, v1, N, 1e-3, 0.9, 1e-7);
    k.f32_adagrad_step(p, g, v1, N, 1e-2, 1e-7);
    k.f32_add(p, g, m1, N); k.f32_mul(m1, g, m1, N); k.f32_scale(m1, m1, N, 0.5); k.f32_axpy(g, m1, N, -0.25); k.f32_copy(v1, m1, N);
    out.push(get(b, p, N), get(b, m1, N), get(b, v1, N));
    const x = put(b, randomArray(ROWS * COLS, seed + 4, -3, 3)), y = b.arena.alloc(ROWS * COLS * 4);
    const dy = put(b, randomArray(ROWS * COLS, seed + 5)), dx = b.arena.alloc(ROWS * COLS * 4);
    for (const act of ['relu', 'sigmoid', 'tanh', 'gelu', 'bipolar_relu', 'elu'] as const) {
      (k[`f32_${act}_fwd`])(x, y, ROWS, COLS, 0.3, 0.7);
      (k[`f32_${act}_bwd`])(x, y, dy, dx, ROWS, COLS, 0.3, 0.7);
      out.push(get(b, y, ROWS * COLS), get(b, dx, ROWS * COLS));
    }
    k.f32_softmax_fwd(x, y, ROWS, COLS);
    out.push(get(b, y, ROWS * COLS));
    const idx = b.arena.alloc(ROWS * 4);
    b.arena.views.i32.set(Array.from({ length: ROWS }, (_, i) => (i * 17) % ROWS), idx >>> 2);
    k.f32_gather_rows(x, idx, y, ROWS, COLS);
    out.push(get(b, y, ROWS * COLS));
    for (const q of [p, g, m1, v1, x, y, dy, dx, idx]) b.arena.free(q);
    return out;
  }
  for (const threads of THREAD_COUNTS) {
    it(`${threads} thread(s): bit-identical to one thread`, () => {
      const want = run(one, 7);
      const got = run(backends.get(threads)!, 7);
      got.forEach((g, i) => expect(firstBitDifference(g, want[i]!), `output ${i}`).toBe(-1));
    });
  }
});
