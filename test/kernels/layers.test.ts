import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng.js';
import { get, kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { expectGuard, expectUnchanged, LENGTHS, outBuf, putGuarded, relErr } from './util.js';

/** f64 batch norm in training mode: the function y(x, gamma, beta) and the batch statistics. */
function bn64(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, m: number, n: number, eps: number) {
  const y = new Float64Array(m * n), xhat = new Float64Array(m * n), mean = new Float64Array(n), variance = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += x[r * n + j]!;
    mean[j] = s / m;
    let q = 0;
    for (let r = 0; r < m; r++) q += (x[r * n + j]! - mean[j]!) ** 2;
    variance[j] = q / m;
    for (let r = 0; r < m; r++) {
      const i = r * n + j;
      xhat[i] = (x[i]! - mean[j]!) / Math.sqrt(variance[j]! + eps);
      y[i] = gamma[j]! * xhat[i]! + beta[j]!;
    }
  }
  return { y, xhat, mean, variance };
}

const BN_SHAPES: Array<[number, number]> = [[1, 1], [1, 5], [2, 1], [2, 3], [3, 4], [4, 5], [5, 7], [8, 8], [7, 9], [16, 31], [9, 33], [32, 65], [4, 127], [64, 20]];

describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('dropout and batchnorm on %s', (_name, b) => {
  const k = b.k;

  it('dropout: mask 0 or 1/(1−p) from the rng stream (identical on every backend), y = x·mask', () => {
    for (const n of LENGTHS) {
      for (const p of [0, 0.1, 0.5]) {
        const x = randomArray(n, n + 11);
        const rng = new Rng(2024 + n);
        const st = b.arena.alloc(16);
        rng.writeState(b.arena.views.u32, st);
        const px = put(b, x), pm = outBuf(b, n), py = outBuf(b, n);
        k.f32_dropout_fwd(px, pm, py, n, p, st);
        const mask = get(b, pm, n), y = get(b, py, n);
        const keep = Math.fround(1 / Math.fround(1 - Math.fround(p)));
        for (let i = 0; i < n; i++) {
          const want = rng.uniform() >= Math.fround(p) ? keep : 0;
          expect(mask[i]).toBe(want);
          expect(y[i]).toBe(Math.fround(x[i]! * want));
        }
        if (p === 0) { expect(Array.from(mask).every((v) => v === 1)).toBe(true); expect(y).toEqual(x); }
        const after = new Rng(0);
        after.readState(b.arena.views.u32, st);
        expect(after.state()).toEqual(rng.state());
        expectGuard(b, pm, n);
        expectGuard(b, py, n);
        expectUnchanged(b, px, x);
      }
    }
  });

  it('dropout: fraction dropped ≈ p over 100k elements', () => {
    const n = 100_000;
    for (const p of [0.2, 0.5, 0.9]) {
      const st = b.arena.alloc(16);
      new Rng(5).writeState(b.arena.views.u32, st);
      const px = put(b, new Float32Array(n).fill(1)), pm = outBuf(b, n), py = outBuf(b, n);
      k.f32_dropout_fwd(px, pm, py, n, p, st);
      const mask = get(b, pm, n);
      let dropped = 0, sum = 0;
      for (const v of mask) { if (v === 0) dropped++; else expect(v).toBe(Math.fround(1 / Math.fround(1 - Math.fround(p)))); sum += v; }
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(dropped - n * p)).toBeLessThan(5 * sd);
      expect(Math.abs(sum / n - 1)).toBeLessThan(5 * sd / n / (1 - p));
    }
  });

  it('batchnorm training forward vs f64: y, xhat, invstd, running statistics', () => {
    for (const [m, n] of BN_SHAPES) {
      const x = randomArray(m * n, m * 13 + n, -3, 5), gamma = randomArray(n, n, 0.5, 2), beta = randomArray(n, n + 1);
      const rm0 = randomArray(n, n + 2), rv0 = randomArray(n, n + 3, 0.5, 2);
      const eps = 1e-5, mom = 0.1;
      const px = put(b, x), pgam = put(b, gamma), pbet = put(b, beta);
      const py = outBuf(b, m * n), pxh = outBuf(b, m * n), pinv = outBuf(b, n), prm = putGuarded(b, rm0), prv = putGuarded(b, rv0);
      k.f32_batchnorm_fwd_train(px, pgam, pbet, py, pxh, pinv, prm, prv, m, n, mom, eps);
      const ref = bn64(x, gamma, beta, m, n, eps);
      const tag = `${m}×${n}`;
      expect(relErr(get(b, py, m * n), ref.y, 1), tag).toBeLessThanOrEqual(2e-6);
      expect(relErr(get(b, pxh, m * n), ref.xhat, 1), tag).toBeLessThanOrEqual(2e-6);
      expect(relErr(get(b, pinv, n), Float64Array.from(ref.variance, (v) => 1 / Math.sqrt(v + eps)), 1e-30), tag).toBeLessThanOrEqual(1e-6);
      const factor = m > 1 ? m / (m - 1) : 1;
      expect(relErr(get(b, prm, n), Float64Array.from(rm0, (r, j) => 0.9 * r + 0.1 * ref.mean[j]!), 1), tag).toBeLessThanOrEqual(1e-6);
      expect(relErr(get(b, prv, n), Float64Array.from(rv0, (r, j) => 0.9 * r + 0.1 * ref.variance[j]! * factor), 1), tag).toBeLessThanOrEqual(1e-6);
      for (const [p, len] of [[py, m * n], [pxh, m * n], [pinv, n], [prm, n], [prv, n]] as const) expectGuard(b, p, len);
      expectUnchanged(b, px, x);
      expectUnchanged(b, pgam, gamma);
      expectUnchanged(b, pbet, beta);
      if (m === 1) expect(Array.from(get(b, pxh, n)).every((v) => v === 0)).toBe(true);
    }
  });

  it('batchnorm inference forward vs f64', () => {
    for (const [m, n] of BN_SHAPES) {
      const x = randomArray(m * n, m + n), gamma = randomArray(n, 2 * n, 0.5, 2), beta = randomArray(n, 3 * n);
      const rm = randomArray(n, 4 * n), rv = randomArray(n, 5 * n, 0.1, 3);
      const py = outBuf(b, m * n);
      k.f32_batchnorm_fwd_infer(put(b, x), put(b, gamma), put(b, beta), put(b, rm), put(b, rv), py, m, n, 1e-3);
      const want = Float64Array.from(x, (v, i) => (gamma[i % n]! * (v - rm[i % n]!)) / Math.sqrt(rv[i % n]! + Math.fround(1e-3)) + beta[i % n]!);
      expect(relErr(get(b, py, m * n), want, 1)).toBeLessThanOrEqual(1e-6);
      expectGuard(b, py, m * n);
    }
  });

  it('batchnorm backward vs central differences of Σ w ⊙ y (x, gamma, beta)', () => {
    for (const [m, n] of BN_SHAPES.filter(([m]) => m > 1)) {
      const x = randomArray(m * n, 7 * m + n, -2, 2), gamma = randomArray(n, n + 8, 0.5, 2), beta = randomArray(n, n + 9);
      const w = randomArray(m * n, m + 3 * n), eps = 1e-3;
      const px = put(b, x), pgam = put(b, gamma), pbet = put(b, beta), pw = put(b, w);
      const py = outBuf(b, m * n), pxh = outBuf(b, m * n), pinv = outBuf(b, n);
      k.f32_batchnorm_fwd_train(px, pgam, pbet, py, pxh, pinv, put(b, new Float32Array(n)), put(b, new Float32Array(n).fill(1)), m, n, 0.1, eps);
      const pdx = outBuf(b, m * n), pdg = outBuf(b, n), pdb = outBuf(b, n);
      k.f32_batchnorm_bwd(pw, pxh, pgam, pinv, pdx, pdg, pdb, m, n);
      const L = (xx: ArrayLike<number>, gg: ArrayLike<number>, bb: ArrayLike<number>): number => {
        const { y } = bn64(xx, gg, bb, m, n, eps);
        let s = 0;
        for (let i = 0; i < m * n; i++) s += w[i]! * y[i]!;
        return s;
      };
      const h = 1e-4;
      const fd = (arr: Float32Array, which: 0 | 1 | 2): Float64Array => Float64Array.from(arr, (_v, i) => {
        const plus = Float64Array.from(arr), minus = Float64Array.from(arr);
        plus[i]! += h; minus[i]! -= h;
        const args = (a: Float64Array): [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>] =>
          which === 0 ? [a, gamma, beta] : which === 1 ? [x, a, beta] : [x, gamma, a];
        return (L(...args(plus)) - L(...args(minus))) / (2 * h);
      });
      const tag = `${m}×${n}`;
      const xs = m * n > 400 ? x.subarray(0, 0) : x; // the full x gradient for the small shapes only
      if (xs.length) expect(relErr(get(b, pdx, m * n), fd(x, 0), 1e-2), tag).toBeLessThanOrEqual(2e-5);
      expect(relErr(get(b, pdg, n), fd(gamma, 1), 1e-2), tag).toBeLessThanOrEqual(2e-5);
      expect(relErr(get(b, pdb, n), fd(beta, 2), 1e-2), tag).toBeLessThanOrEqual(2e-5);
      for (const [p, len] of [[pdx, m * n], [pdg, n], [pdb, n]] as const) expectGuard(b, p, len);
      expectUnchanged(b, pw, w);
    }
  });
});
