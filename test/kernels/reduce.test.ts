import { describe, expect, it } from 'vitest';
import { kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { expectGuard, expectUnchanged, LENGTHS } from './util.js';

// Sums accumulate in f64 on every backend: the only difference from the sequential f64 reference
// is the summation order, so 1e-12 relative (of Σ|x|) is ample.
describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('reduce on %s', (_name, b) => {
  const k = b.k;

  it('sum, sumsq, max', () => {
    for (const n of LENGTHS) {
      const x = randomArray(n, 7 * n + 1, -5, 5);
      const px = put(b, x);
      let s = 0, q = 0, abs = 0, mx = -Infinity;
      for (const v of x) { s += v; q += v * v; abs += Math.abs(v); mx = Math.max(mx, v); }
      expect(Math.abs(k.f32_sum(px, n) - s)).toBeLessThanOrEqual(1e-12 * abs);
      expect(Math.abs(k.f32_sumsq(px, n) - q)).toBeLessThanOrEqual(1e-12 * q);
      expect(k.f32_max(px, n)).toBe(mx);
      expectUnchanged(b, px, x);
    }
    // a maximum in the tail and in the body
    const x = new Float32Array(9).fill(-1);
    x[8] = 3;
    expect(k.f32_max(put(b, x), 9)).toBe(3);
    x[8] = -1; x[2] = 2;
    expect(k.f32_max(put(b, x), 9)).toBe(2);
  });

  it('sum is accurate where f32 accumulation is not', () => {
    const n = 1_000_000;
    const x = new Float32Array(n).fill(0.1);
    const want = n * Math.fround(0.1);
    expect(Math.abs(k.f32_sum(put(b, x), n) - want) / want).toBeLessThan(1e-12);
  });

  it('argmax_rows: first maximum', () => {
    for (const [m, n] of [[0, 3], [1, 1], [3, 5], [7, 9], [5, 33], [2, 1000]] as const) {
      const a = randomArray(m * n, m * 31 + n);
      for (let i = 0; i < m; i++) {
        if (n > 2) { a[i * n + n - 1] = 5; a[i * n + ((i * 3) % (n - 1))] = 5; } // ties: first wins
      }
      const pa = put(b, a);
      const out = put(b, new Float32Array(m + 4).fill(-123456.75));
      k.f32_argmax_rows(pa, out, m, n);
      const got = b.arena.views.i32.slice(out >>> 2, (out >>> 2) + m);
      for (let i = 0; i < m; i++) {
        let best = 0;
        for (let j = 1; j < n; j++) if (a[i * n + j]! > a[i * n + best]!) best = j;
        expect(got[i]).toBe(best);
      }
      expectGuard(b, out, m);
      expectUnchanged(b, pa, a);
    }
  });

  it('moments', () => {
    for (const n of LENGTHS) {
      const x = randomArray(n, 3 * n + 2, -4, 4);
      for (let i = 0; i < n; i += 3) x[i] = i % 2 ? -0 : 0;
      const px = put(b, x);
      const out = b.arena.alloc(6 * 8);
      b.arena.views.f64[(out >>> 3) + 5] = 42;
      k.f32_moments(px, n, out);
      const got = b.arena.views.f64.slice(out >>> 3, (out >>> 3) + 6);
      let s = 0, q = 0, mn = Infinity, mx = -Infinity, z = 0;
      for (const v of x) { s += v; q += v * v; mn = Math.min(mn, v); mx = Math.max(mx, v); if (v === 0) z++; }
      expect(Math.abs(got[0]! - s)).toBeLessThanOrEqual(1e-12 * (q + 1) * n);
      expect(Math.abs(got[1]! - q)).toBeLessThanOrEqual(1e-12 * q);
      expect(got[2]).toBe(mn);
      expect(got[3]).toBe(mx);
      expect(got[4]).toBe(z);
      expect(got[5]).toBe(42);
      expectUnchanged(b, px, x);
    }
  });
});
