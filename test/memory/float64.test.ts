// The float64 backend: WideViews keep a double per 4-byte slot (values float32 cannot hold come
// back exactly), survive memory growth, zero-fill with allocZeroed, and the pure-TS kernels on
// them compute in double precision: a GEMM and a softmax cross-entropy against float64 sums
// written here, where the float32 backend is off by its rounding.
import { describe, expect, it } from 'vitest';
import { createBackendSync } from '../../src/index.js';
import { float64Backend } from '../../src/backend.js';
import { testRng } from '../helpers/backends.js';

describe('float64 backend', () => {
  const b = float64Backend();
  const { arena, k } = b;

  it('is the one double-precision js backend; user backends are float32', () => {
    expect([b.kind, b.precision, b.threadCount]).toEqual(['js', 'float64', 1]);
    expect(float64Backend()).toBe(b);
    expect(createBackendSync({ backend: 'js' }).precision).toBe('float32');
  });

  it('a slot holds a double; values survive memory growth; allocZeroed zeroes the doubles', () => {
    const p = arena.alloc(16);
    arena.views.f32[p >>> 2] = 1 + 2 ** -40;
    arena.views.f32[(p >>> 2) + 1] = Math.PI;
    const pages = b.memory.buffer.byteLength;
    const big = arena.alloc(4 * pages); // grows the memory
    expect(b.memory.buffer.byteLength).toBeGreaterThan(pages);
    expect(arena.views.f32[p >>> 2]).toBe(1 + 2 ** -40);
    expect(arena.views.f32[(p >>> 2) + 1]).toBe(Math.PI);
    arena.free(big);
    arena.free(p);
    const q = arena.alloc(64);
    arena.views.f32.fill(7, q >>> 2, (q >>> 2) + 16);
    arena.free(q);
    const z = arena.allocZeroed(64);
    expect(Array.from(arena.views.f32At(z, 16))).toEqual(new Array(16).fill(0));
    arena.free(z);
  });

  it('GEMM and the fused softmax cross-entropy compute in double precision', () => {
    const r = testRng(4);
    const [m, n, kk] = [5, 7, 33];
    const X = Array.from({ length: m * kk }, () => r() * 2 - 1 + 1e-9 * r());
    const W = Array.from({ length: n * kk }, () => r() * 2 - 1);
    const bias = Array.from({ length: n }, () => r());
    const expected: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = bias[j]!;
      for (let p = 0; p < kk; p++) s += X[i * kk + p]! * W[j * kk + p]!;
      expected.push(s);
    }
    for (const [backend, tol] of [[b, 1e-14], [createBackendSync({ backend: 'js' }), 1e-5]] as const) {
      const a = backend.arena;
      const [xp, wp, bp, zp, yp, lp] = [m * kk, n * kk, n, m * n, m * n, 2].map((c) => a.allocZeroed(c * 4));
      a.views.f32.set(X, xp! >>> 2);
      a.views.f32.set(W, wp! >>> 2);
      a.views.f32.set(bias, bp! >>> 2);
      backend.k.f32_gemm_nt(xp!, wp!, bp!, zp!, m, n, kk, 0, 0);
      const Z = Array.from(a.views.f32At(zp!, m * n));
      const err = Math.max(...Z.map((v, i) => Math.abs(v - expected[i]!)));
      expect(err).toBeLessThan(tol);
      if (backend === b) expect(err).toBeLessThan(1e-13);
      else expect(err).toBeGreaterThan(1e-9); // float32 rounding is visible
      // cross-entropy of one-hot targets against the float64 log-sum-exp of the GEMM's own outputs
      const Y = Array.from({ length: m * n }, (_, i) => (i % n === i % 3 ? 1 : 0));
      a.views.f32.set(Y, yp! >>> 2);
      const loss = backend.k.f32_softmax_xent(zp!, yp!, 0, 0, m, n);
      let want = 0;
      for (let i = 0; i < m; i++) {
        const row = Z.slice(i * n, (i + 1) * n);
        const mx = Math.max(...row);
        const lse = mx + Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0));
        row.forEach((v, j) => { want += Y[i * n + j]! * (lse - v); });
      }
      expect(Math.abs(loss - want / m)).toBeLessThan(backend === b ? 1e-14 : 1e-5);
      for (const p of [xp, wp, bp, zp, yp, lp]) a.free(p!);
    }
  });
});
