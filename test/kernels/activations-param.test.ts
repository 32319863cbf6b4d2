import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng.js';
import { get, kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { expectGuard, expectUnchanged, outBuf, relErr } from './util.js';

const SHAPES: Array<[number, number]> = [[0, 3], [1, 1], [1, 3], [2, 4], [3, 5], [1, 7], [4, 8], [3, 9], [2, 31], [5, 33], [1, 63], [2, 65], [1, 127], [3, 1000]];

function softmax64(z: ArrayLike<number>, m: number, n: number): Float64Array {
  const p = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) mx = Math.max(mx, z[i * n + j]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(z[i * n + j]! - mx);
    for (let j = 0; j < n; j++) p[i * n + j] = Math.exp(z[i * n + j]! - mx) / s;
  }
  return p;
}

describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('softmax, prelu, rrelu on %s', (_name, b) => {
  const k = b.k;

  it('softmax_fwd vs f64 (relative 1e-6 above 1e-6), rows sum to 1, in place, ±1e4', () => {
    for (const [m, n] of SHAPES) {
      const z = randomArray(m * n, m * 100 + n, -10, 10);
      const pz = put(b, z), pp = outBuf(b, m * n);
      k.f32_softmax_fwd(pz, pp, m, n);
      const p = get(b, pp, m * n);
      expect(relErr(p, softmax64(z, m, n), 1e-6), `${m}×${n}`).toBeLessThanOrEqual(1e-6);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += p[i * n + j]!;
        expect(Math.abs(s - 1)).toBeLessThan(1e-6 * Math.max(1, Math.sqrt(n)));
      }
      expectGuard(b, pp, m * n);
      expectUnchanged(b, pz, z);
      const pin = put(b, z);
      k.f32_softmax_fwd(pin, pin, m, n);
      expect(get(b, pin, m * n)).toEqual(p);
    }
    const big = Float32Array.from([1e4, -1e4, 0, 1e4, 80, -80, 1e4, 1e4 - 1]);
    const pb = put(b, big), po = outBuf(b, 8);
    k.f32_softmax_fwd(pb, po, 2, 4);
    const p = get(b, po, 8);
    const want = softmax64(big, 2, 4);
    for (let i = 0; i < 8; i++) expect(Math.abs(p[i]! - want[i]!)).toBeLessThan(1e-6);
  });

  it('log_softmax_fwd vs f64 z − log Σ e^z (relative 3e-7, floor 1), in place, logits near ±1e4 stay finite', () => {
    for (const [m, n] of SHAPES) {
      const z = randomArray(m * n, m * 31 + n, -20, 20);
      const pz = put(b, z), po = outBuf(b, m * n);
      k.f32_log_softmax_fwd(pz, po, m, n);
      const out = get(b, po, m * n);
      const want = Float64Array.from(softmax64(z, m, n), Math.log);
      expect(relErr(out, want, 1), `${m}×${n}`).toBeLessThanOrEqual(3e-7);
      expectGuard(b, po, m * n);
      expectUnchanged(b, pz, z);
      const pin = put(b, z);
      k.f32_log_softmax_fwd(pin, pin, m, n);
      expect(get(b, pin, m * n)).toEqual(out);
    }
    // log softmax([1e4, −1e4, 0, 1e4 − 3]) = [−log(1 + e^−3), −2e4 − …, −1e4 − …, −3 − log(1 + e^−3)]: no −Infinity
    const big = Float32Array.from([1e4, -1e4, 0, 1e4 - 3]);
    const pb = put(b, big), pout = outBuf(b, 4);
    k.f32_log_softmax_fwd(pb, pout, 1, 4);
    const l = Math.log1p(Math.exp(-3));
    expect(relErr(get(b, pout, 4), [-l, -2e4 - l, -1e4 - l, -3 - l], 1)).toBeLessThanOrEqual(3e-7);
  });

  it('prelu forward/backward vs f64 and finite differences of Σ dy·y', () => {
    for (const [m, n] of SHAPES) {
      const x = randomArray(m * n, m + 7 * n, -3, 3), slope = randomArray(n, n, 0, 0.5), dy = randomArray(m * n, 3 * n + m);
      for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) < 1e-2) x[i] = 0.05;
      const px = put(b, x), ps = put(b, slope), pdy = put(b, dy), py = outBuf(b, m * n), pdx = outBuf(b, m * n), pds = outBuf(b, n);
      k.f32_prelu_fwd(px, ps, py, m, n);
      k.f32_prelu_bwd(px, ps, pdy, pdx, pds, m, n);
      const y = get(b, py, m * n), dx = get(b, pdx, m * n), ds = get(b, pds, n);
      const f = (xv: number, a: number) => (xv >= 0 ? xv : a * xv);
      const yRef = Float64Array.from(x, (v, i) => f(v, slope[i % n]!));
      expect(relErr(y, yRef, 1e-30)).toBeLessThanOrEqual(6e-8);
      const h = 1e-6;
      const dxRef = Float64Array.from(x, (v, i) => dy[i]! * (f(v + h, slope[i % n]!) - f(v - h, slope[i % n]!)) / (2 * h));
      expect(relErr(dx, dxRef, 1e-3)).toBeLessThanOrEqual(1e-6);
      const dsRef = new Float64Array(n);
      for (let j = 0; j < n; j++) for (let r = 0; r < m; r++) {
        const i = r * n + j;
        dsRef[j]! += dy[i]! * (f(x[i]!, slope[j]! + h) - f(x[i]!, slope[j]! - h)) / (2 * h);
      }
      expect(relErr(ds, dsRef, 1e-2)).toBeLessThanOrEqual(1e-5);
      for (const [p, len] of [[py, m * n], [pdx, m * n], [pds, n]] as const) expectGuard(b, p, len);
      expectUnchanged(b, px, x);
      expectUnchanged(b, ps, slope);
      expectUnchanged(b, pdy, dy);
    }
  });

  it('rrelu: slopes drawn from the rng stream (same on every backend), forward and backward', () => {
    for (const n of [0, 1, 3, 5, 9, 33, 1000]) {
      const x = randomArray(n, n + 5, -2, 2), dy = randomArray(n, n + 6);
      const rng = new Rng(77 + n);
      const st = b.arena.alloc(16);
      rng.writeState(b.arena.views.u32, st);
      const px = put(b, x), py = outBuf(b, n), pslope = outBuf(b, n), pdy = put(b, dy), pdx = outBuf(b, n);
      k.f32_rrelu_fwd_train(px, py, pslope, n, 1 / 8, 1 / 3, st);
      k.f32_rrelu_bwd(px, pslope, pdy, pdx, n);
      const slope = get(b, pslope, n), y = get(b, py, n), dx = get(b, pdx, n);
      const lo = Math.fround(1 / 8), span = Math.fround(Math.fround(1 / 3) - lo);
      for (let i = 0; i < n; i++) {
        const want = Math.fround(lo + Math.fround(span * rng.uniform()));
        expect(slope[i]).toBe(want);
        expect(slope[i]! >= lo && slope[i]! < 1 / 3).toBe(true);
        expect(y[i]).toBe(x[i]! >= 0 ? x[i] : Math.fround(want * x[i]!));
        expect(dx[i]).toBe(x[i]! >= 0 ? dy[i] : Math.fround(want * dy[i]!));
      }
      const after = new Rng(0);
      after.readState(b.arena.views.u32, st);
      expect(after.state()).toEqual(rng.state());
      for (const p of [py, pslope, pdx]) expectGuard(b, p, n);
      expectUnchanged(b, px, x);
    }
  });
});
