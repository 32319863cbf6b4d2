import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { get, kernelSuiteBackends, put, randomArray, testRng } from '../helpers/backends.js';
import { expectGuard, expectUnchanged, outBuf, relErr } from './util.js';

type LossName = 'f32_softmax_xent' | 'f32_sigmoid_bce' | 'f32_mse';

// f64 references of the batch-mean losses, straight from the definitions.
function xent64(z: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number): number {
  let total = 0;
  for (let i = 0; i < m; i++) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) mx = Math.max(mx, z[i * n + j]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(z[i * n + j]! - mx);
    const lse = mx + Math.log(s);
    for (let j = 0; j < n; j++) total -= y[i * n + j]! * (z[i * n + j]! - lse);
  }
  return m ? total / m : 0;
}
function bce64(z: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number): number {
  let total = 0;
  for (let i = 0; i < m * n; i++) {
    const zi = z[i]!, yi = y[i]!;
    total += zi >= 0 ? (1 - yi) * zi + Math.log1p(Math.exp(-zi)) : -yi * zi + Math.log1p(Math.exp(zi));
  }
  return m ? total / m : 0;
}
function mse64(z: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number): number {
  let total = 0;
  for (let i = 0; i < m * n; i++) total += (z[i]! - y[i]!) ** 2;
  return m ? total / m : 0;
}
const REF: Record<LossName, typeof xent64> = { f32_softmax_xent: xent64, f32_sigmoid_bce: bce64, f32_mse: mse64 };

function targets(name: LossName, m: number, n: number, seed: number): Float32Array {
  const r = testRng(seed);
  const y = new Float32Array(m * n);
  if (name === 'f32_softmax_xent') {
    for (let i = 0; i < m; i++) {
      if (i % 2 === 0) y[i * n + Math.floor(r() * n)] = 1; // one-hot
      else { let s = 0; for (let j = 0; j < n; j++) s += y[i * n + j] = r(); for (let j = 0; j < n; j++) y[i * n + j]! /= s; }
    }
  } else for (let i = 0; i < m * n; i++) y[i] = name === 'f32_sigmoid_bce' ? (i % 3 === 0 ? Math.round(r()) : r()) : 2 * r() - 1;
  return y;
}

const SHAPES: Array<[number, number]> = [[1, 1], [1, 2], [3, 1], [2, 3], [4, 4], [5, 5], [1, 7], [3, 8], [2, 9], [4, 31], [3, 33], [2, 63], [1, 65], [2, 127], [8, 1000]];
const NAMES: LossName[] = ['f32_softmax_xent', 'f32_sigmoid_bce', 'f32_mse'];

function run(b: Backend, name: LossName, z: ArrayLike<number>, y: ArrayLike<number>, m: number, n: number, withOut = true, withGrad = true) {
  const pz = put(b, z), py = put(b, y);
  const po = withOut ? outBuf(b, m * n) : 0, pg = withGrad ? outBuf(b, m * n) : 0;
  const loss = b.k[name](pz, py, po, pg, m, n);
  if (po) expectGuard(b, po, m * n);
  if (pg) expectGuard(b, pg, m * n);
  expectUnchanged(b, pz, Float32Array.from(z));
  expectUnchanged(b, py, Float32Array.from(y));
  return { loss, out: po ? get(b, po, m * n) : undefined, grad: pg ? get(b, pg, m * n) : undefined };
}

describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('losses on %s', (_name, b) => {
  it('golden values', () => {
    const x = run(b, 'f32_softmax_xent', [0, 0], [1, 0], 1, 2);
    expect(Math.abs(x.loss - Math.LN2)).toBeLessThan(1e-7);
    expect(Array.from(x.out!)).toEqual([0.5, 0.5]);
    expect(Array.from(x.grad!)).toEqual([-0.5, 0.5]);
    const x2 = run(b, 'f32_softmax_xent', [1, 2, 3, 0, 0, 0], [0, 0, 1, 0, 1, 0], 2, 3);
    expect(Math.abs(x2.loss - (Math.log(1 + Math.exp(-1) + Math.exp(-2)) + Math.log(3)) / 2)).toBeLessThan(1e-7);
    const s = run(b, 'f32_sigmoid_bce', [0, 0], [1, 0.5], 1, 2);
    expect(Math.abs(s.loss - 2 * Math.LN2)).toBeLessThan(1e-7);
    expect(Array.from(s.out!)).toEqual([0.5, 0.5]);
    expect(Array.from(s.grad!)).toEqual([-0.5, 0]);
    const q = run(b, 'f32_mse', [1, 2, 3, 4], [0, 0, 3, 3], 2, 2);
    expect(q.loss).toBe((1 + 4 + 0 + 1) / 2);
    expect(Array.from(q.out!)).toEqual([1, 2, 3, 4]);
    expect(Array.from(q.grad!)).toEqual([1, 2, 0, 1]);
    for (const name of NAMES) expect(b.k[name](put(b, [1]), put(b, [1]), 0, 0, 0, 1)).toBe(0);
  });

  it('the _to variants store the same loss at lossPtr (an f64) and touch nothing else', () => {
    const z = [0.3, -1.2, 2.5, 0.1, 0.7, -0.4];
    const y = [0, 1, 0, 1, 0, 0];
    for (const name of NAMES) {
      const expected = run(b, name, z, y, 2, 3).loss;
      const pz = put(b, z), py = put(b, y);
      const lossPtr = b.arena.alloc(16);
      b.arena.views.f64[(lossPtr >>> 3) + 1] = 12345; // sentinel right after the f64
      b.k[`${name}_to`](pz, py, 0, 0, 2, 3, lossPtr);
      expect(b.arena.views.f64[lossPtr >>> 3]).toBe(expected);
      expect(b.arena.views.f64[(lossPtr >>> 3) + 1]).toBe(12345);
    }
  });

  it.each(NAMES.map((n) => [n]))('%s: loss vs f64 (1e-6), outputs, gradient vs finite differences', (name) => {
    for (const [m, n] of SHAPES) {
      const z = randomArray(m * n, m * 17 + n, -4, 4), y = targets(name, m, n, m + n);
      const { loss, out, grad } = run(b, name, z, y, m, n);
      const ref = REF[name];
      const want = ref(z, y, m, n);
      expect(Math.abs(loss - want), `${name} ${m}×${n}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      // the same loss without out / grad
      expect(Math.abs(run(b, name, z, y, m, n, false, false).loss - loss)).toBeLessThanOrEqual(1e-12 * Math.max(1, loss));
      const onlyGrad = run(b, name, z, y, m, n, false, true);
      expect(onlyGrad.grad).toEqual(grad);
      // outputs
      const z64 = Float64Array.from(z);
      const outRef = name === 'f32_mse' ? z64 : name === 'f32_sigmoid_bce' ? z64.map((v) => 1 / (1 + Math.exp(-v)))
        : (() => { const p = new Float64Array(m * n); for (let i = 0; i < m; i++) { let mx = -Infinity, s = 0; for (let j = 0; j < n; j++) mx = Math.max(mx, z[i * n + j]!); for (let j = 0; j < n; j++) s += Math.exp(z[i * n + j]! - mx); for (let j = 0; j < n; j++) p[i * n + j] = Math.exp(z[i * n + j]! - mx) / s; } return p; })();
      expect(relErr(out!, outRef, 1e-6)).toBeLessThanOrEqual(1e-6);
      // gradient: central differences of the f64 loss in each logit (a sample of them for big shapes)
      const idx = m * n <= 64 ? Array.from({ length: m * n }, (_, i) => i) : Array.from({ length: 64 }, (_, i) => Math.floor((i * m * n) / 64));
      for (const i of idx) {
        const h = 1e-5;
        const zp = Float64Array.from(z); zp[i]! += h;
        const zm = Float64Array.from(z); zm[i]! -= h;
        const fd = (ref(zp, y, m, n) - ref(zm, y, m, n)) / (2 * h);
        expect(Math.abs(grad![i]! - fd), `${name} ${m}×${n} grad[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(fd), 1 / m) + 1e-9);
      }
    }
  });

  it.each(NAMES.map((n) => [n]))('%s_w_to: (1/m)·Σ w_i·loss_i vs f64 row by row, and row i of the gradient = w_i × the unweighted one', (name) => {
    for (const [m, n] of SHAPES) {
      const z = randomArray(m * n, m * 31 + n, -4, 4), y = targets(name, m, n, m * 3 + n);
      const w = randomArray(m, m + 5 * n, 0, 3);
      if (m > 2) w[1] = 0; // a weight of 0 takes the row out
      const pz = put(b, z), py = put(b, y), pw = put(b, w);
      const po = outBuf(b, m * n), pg = outBuf(b, m * n);
      const lossPtr = b.arena.alloc(8);
      b.k[`${name}_w_to`](pz, py, pw, po, pg, m, n, lossPtr);
      expectGuard(b, po, m * n);
      expectGuard(b, pg, m * n);
      let want = 0;
      for (let i = 0; i < m; i++) want += w[i]! * REF[name](z.slice(i * n, (i + 1) * n), y.slice(i * n, (i + 1) * n), 1, n);
      want /= m;
      const loss = b.arena.views.f64[lossPtr >>> 3]!;
      expect(Math.abs(loss - want), `${name} ${m}×${n}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      const plain = run(b, name, z, y, m, n);
      const grad = get(b, pg, m * n);
      for (let i = 0; i < m * n; i++) {
        const expected = w[Math.floor(i / n)]! * plain.grad![i]!;
        expect(Math.abs(grad[i]! - expected), `${name} ${m}×${n} grad[${i}]`).toBeLessThanOrEqual(1e-6 * Math.abs(expected) + 1e-12);
      }
      expect(relErr(get(b, po, m * n), plain.out!, 1e-7)).toBeLessThanOrEqual(1e-6);
    }
    const lossPtr = b.arena.alloc(8);
    b.arena.views.f64[lossPtr >>> 3] = 99;
    b.k[`${name}_w_to`](put(b, [1]), put(b, [1]), put(b, [1]), 0, 0, 0, 1, lossPtr);
    expect(b.arena.views.f64[lossPtr >>> 3]).toBe(0);
  });

  it.each(NAMES.map((n) => [n]))('%s: stable at logits ±1e4 and ±80 with one-hot targets', (name) => {
    for (const big of [1e4, 80]) {
      const z = [big, -big, 0, -big, big, big, big, -big, -big, big];
      const y = [1, 0, 0, 0, 1, 0, 0, 1, 0, 1];
      const [m, n] = name === 'f32_softmax_xent' ? [5, 2] : [2, 5];
      const { loss, out, grad } = run(b, name, z, y, m, n);
      expect(Number.isFinite(loss)).toBe(true);
      for (const v of [...out!, ...grad!]) expect(Number.isFinite(v)).toBe(true);
      const want = REF[name](z, y, m, n);
      expect(Math.abs(loss - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, want));
    }
    if (name === 'f32_softmax_xent') {
      expect(run(b, name, [1e4, -1e4], [1, 0], 1, 2).loss).toBe(0);
      expect(run(b, name, [1e4, -1e4], [0, 1], 1, 2).loss).toBe(2e4);
    }
    if (name === 'f32_sigmoid_bce') {
      expect(run(b, name, [1e4, -1e4], [1, 0], 1, 2).loss).toBe(0);
      expect(run(b, name, [1e4, -1e4], [0, 1], 1, 2).loss).toBe(2e4);
    }
  });
});
