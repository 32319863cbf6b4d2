import { describe, expect, it } from 'vitest';
import { get, kernelSuiteBackends, put, putI32, randomArray, testRng } from '../helpers/backends.js';
import { expectGuard, expectUnchanged, LENGTHS, outBuf, putGuarded } from './util.js';

// f32 results of one rounding per operation: the f64 reference rounded to f32 must match exactly
// for add/mul/scale (single op); axpy allows 1 ulp (relaxed SIMD may fuse the multiply-add).
describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('eltwise on %s', (_name, b) => {
  const k = b.k;

  it('fill, copy', () => {
    for (const n of LENGTHS) {
      const out = outBuf(b, n);
      k.f32_fill(out, n, 2.5);
      expect(Array.from(get(b, out, n)).every((x) => x === 2.5)).toBe(true);
      expectGuard(b, out, n);
      const x = randomArray(n, n + 1);
      const src = put(b, x);
      const dst = outBuf(b, n);
      k.f32_copy(dst, src, n);
      expect(get(b, dst, n)).toEqual(x);
      expectGuard(b, dst, n);
      expectUnchanged(b, src, x);
    }
  });

  it('add, mul, scale (exact f32 rounding of the f64 result)', () => {
    for (const n of LENGTHS) {
      const a = randomArray(n, 10 + n, -3, 3), c = randomArray(n, 20 + n, -3, 3);
      const pa = put(b, a), pc = put(b, c);
      const sum = outBuf(b, n), prod = outBuf(b, n), scaled = outBuf(b, n);
      k.f32_add(pa, pc, sum, n);
      k.f32_mul(pa, pc, prod, n);
      k.f32_scale(pa, scaled, n, -0.75);
      const s = get(b, sum, n), p = get(b, prod, n), sc = get(b, scaled, n);
      for (let i = 0; i < n; i++) {
        expect(s[i]).toBe(Math.fround(a[i]! + c[i]!));
        expect(p[i]).toBe(Math.fround(a[i]! * c[i]!));
        expect(sc[i]).toBe(Math.fround(a[i]! * -0.75));
      }
      for (const ptr of [sum, prod, scaled]) expectGuard(b, ptr, n);
      expectUnchanged(b, pa, a);
      expectUnchanged(b, pc, c);
      // in place
      const inplace = putGuarded(b, a);
      k.f32_scale(inplace, inplace, n, 2);
      expect(get(b, inplace, n)).toEqual(a.map((x) => x * 2));
      expectGuard(b, inplace, n);
    }
  });

  it('axpy', () => {
    for (const n of LENGTHS) {
      const x = randomArray(n, 30 + n, -2, 2), y = randomArray(n, 40 + n, -2, 2);
      const px = put(b, x), py = putGuarded(b, y);
      k.f32_axpy(px, py, n, 0.3);
      const got = get(b, py, n);
      for (let i = 0; i < n; i++) {
        const want = Math.fround(0.3) * x[i]! + y[i]!;
        expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(2.4e-7 * Math.max(Math.abs(want), 1));
      }
      expectGuard(b, py, n);
      expectUnchanged(b, px, x);
    }
  });

  it('gather_rows', () => {
    const r = testRng(5);
    for (const cols of [1, 3, 4, 7, 33, 196]) {
      for (const rows of [0, 1, 4, 5, 17]) {
        const srcRows = 11;
        const src = randomArray(srcRows * cols, cols * 100 + rows);
        const idx = Int32Array.from({ length: rows }, () => Math.floor(r() * srcRows));
        const ps = put(b, src), pi = putI32(b, idx), pd = outBuf(b, rows * cols);
        k.f32_gather_rows(ps, pi, pd, rows, cols);
        const got = get(b, pd, rows * cols);
        for (let i = 0; i < rows; i++) {
          expect(Array.from(got.subarray(i * cols, (i + 1) * cols))).toEqual(Array.from(src.subarray(idx[i]! * cols, (idx[i]! + 1) * cols)));
        }
        expectGuard(b, pd, rows * cols);
        expectUnchanged(b, ps, src);
      }
    }
  });
});
