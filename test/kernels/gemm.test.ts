// GEMM kernels (nt, tn, nn) and colsum on every backend, against a float64 reference computed
// here. Tolerance: an f32 sum of k products (plus bias and the accumulated C) is within
// γ = (k+3)·2⁻²⁴ of the exact value relative to the scale Σ|a·b| + |bias| + |C| (Higham's bound
// for recursive summation, any order, fused or not), so every element must satisfy
// |got − exact| ≤ 1.01·γ·scale. colsum: (m+1)·2⁻²⁴ relative to Σ|a| + |out|. relu is
// 1-Lipschitz, so the same bound holds after it. A wrong or missing term is far above these.

import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { GEMM_ACCUMULATE, GEMM_RELU } from '../../src/kernels/abi.js';
import { checkGemm, denseWorkBytes, gemmFlops } from '../../src/kernels/gemm.js';
import { get, kernelSuiteBackends, maxRelError, put, randomArray } from '../helpers/backends.js';

type Layout = 'nt' | 'tn' | 'nn';
const LAYOUTS: Layout[] = ['nt', 'tn', 'nn'];
const SIZES = [0, 1, 3, 4, 5, 7, 8, 9, 31, 33, 63, 65, 127];
const U = 2 ** -24;

interface Case { layout: Layout; m: number; n: number; k: number; flags: number; bias: boolean }

/** Element counts of the two operands as stored. */
function operandSizes(c: Case): [number, number] {
  return [c.m * c.k, c.n * c.k];
}

/** Exact (f64) result and the error scale Σ|a·b| + |bias| + |C0| of each output element. */
function reference(c: Case, a: Float32Array, b: Float32Array, bias: Float32Array | undefined, c0: Float32Array) {
  const { m, n, k, layout, flags } = c;
  const val = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = layout === 'tn' ? a[p * m + i]! : a[i * k + p]!;
      for (let j = 0; j < n; j++) {
        const bpj = layout === 'nt' ? b[j * k + p]! : b[p * n + j]!;
        val[i * n + j] += aip * bpj;
        scale[i * n + j] += Math.abs(aip * bpj);
      }
    }
  }
  for (let i = 0; i < m * n; i++) {
    const j = i % n;
    if (bias) { val[i] += bias[j]!; scale[i] += Math.abs(bias[j]!); }
    if (flags & GEMM_ACCUMULATE) { val[i] += c0[i]!; scale[i] += Math.abs(c0[i]!); }
    if (flags & GEMM_RELU) val[i] = Math.max(0, val[i]!);
  }
  return { val, scale };
}

/** max |got − exact| / scale (exactness required where the scale is 0), through maxRelError. */
function scaledError(got: Float32Array, val: Float64Array, scale: Float64Array): number {
  const g = new Float64Array(got.length);
  const e = new Float64Array(got.length);
  for (let i = 0; i < got.length; i++) {
    const s = scale[i]! > 0 ? scale[i]! : 1;
    g[i] = got[i]! / s;
    e[i] = val[i]! / s;
  }
  if (got.some((x, i) => scale[i] === 0 && x !== val[i])) return Infinity;
  return maxRelError(g, e, 1);
}

function call(bk: Backend, c: Case, aPtr: number, bPtr: number, biasPtr: number, cPtr: number, workPtr: number): void {
  const { m, n, k, flags } = c;
  if (c.layout === 'nt') bk.k.f32_gemm_nt(aPtr, bPtr, biasPtr, cPtr, m, n, k, flags, workPtr);
  else if (c.layout === 'tn') bk.k.f32_gemm_tn(aPtr, bPtr, cPtr, m, n, k, flags, workPtr);
  else bk.k.f32_gemm_nn(aPtr, bPtr, cPtr, m, n, k, flags, workPtr);
}

/** Runs one case with `guard` NaN floats around every input and sentinels around the output and
 *  the work buffer (NaN-filled, so a kernel that relies on zeroed scratch fails). */
function runCase(bk: Backend, c: Case, seed: number, guard = 4, outOffset = 0) {
  const [na, nb] = operandSizes(c);
  const a = randomArray(na, seed);
  const b = randomArray(nb, seed + 1);
  const bias = c.bias ? randomArray(c.n, seed + 2) : undefined;
  const c0 = randomArray(c.m * c.n, seed + 3);
  const withGuards = (x: Float32Array, g: number, fill: number) => {
    const out = new Float32Array(x.length + 2 * g).fill(fill);
    out.set(x, g);
    return out;
  };
  const SENT = 123456.75;
  const aPtr = put(bk, withGuards(a, guard, NaN));
  const bPtr = put(bk, withGuards(b, guard, NaN));
  const biasPtr = bias ? put(bk, withGuards(bias, guard, NaN)) : 0;
  const cPad = guard + outOffset;
  const cPtr = put(bk, withGuards(c0, cPad, SENT));
  const workBytes = bk.k.f32_gemm_work_bytes(c.m, c.n, c.k);
  expect(workBytes % 4).toBe(0);
  const workFloats = workBytes / 4;
  const workPtr = put(bk, new Float32Array(workFloats + guard).fill(NaN).fill(SENT, workFloats));

  call(bk, c, aPtr + guard * 4, bPtr + guard * 4, bias ? biasPtr + guard * 4 : 0, cPtr + cPad * 4, workPtr);

  const got = get(bk, cPtr + cPad * 4, c.m * c.n);
  const cAll = get(bk, cPtr, c.m * c.n + 2 * cPad);
  const outsideUntouched = cAll.slice(0, cPad).every((x) => x === SENT) && cAll.slice(cPad + c.m * c.n).every((x) => x === SENT);
  const workTail = get(bk, workPtr + workFloats * 4, guard);
  const workUntouched = workTail.every((x) => x === SENT);
  const sameBits = (x: Float32Array, y: Float32Array) => x.length === y.length && Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(y.buffer, y.byteOffset, y.byteLength)) === 0;
  const inputsUntouched = sameBits(get(bk, aPtr, na + 2 * guard), withGuards(a, guard, NaN))
    && sameBits(get(bk, bPtr, nb + 2 * guard), withGuards(b, guard, NaN))
    && (!bias || sameBits(get(bk, biasPtr, c.n + 2 * guard), withGuards(bias, guard, NaN)));
  for (const p of [aPtr, bPtr, biasPtr, cPtr, workPtr]) if (p) bk.arena.free(p);

  const { val, scale } = reference(c, a, b, bias, c0);
  return { err: scaledError(got, val, scale), tol: 1.01 * (c.k + 3) * U, outsideUntouched, workUntouched, inputsUntouched };
}

function label(c: Case): string {
  return `${c.layout} m=${c.m} n=${c.n} k=${c.k} flags=${c.flags}${c.bias ? ' +bias' : ''}`;
}

for (const bk of kernelSuiteBackends()) {
  describe(`gemm on ${bk.binary}`, () => {
    for (const layout of LAYOUTS) {
      it(`${layout}: every (m, n, k) from {${SIZES.join(',')}}³, flags varied`, () => {
        const failures: string[] = [];
        let idx = 0;
        for (const m of SIZES) for (const n of SIZES) for (const k of SIZES) {
          const flags = idx % 4;
          const c: Case = { layout, m, n, k, flags, bias: layout === 'nt' && (idx >> 2) % 2 === 0 };
          const r = runCase(bk, c, 1000 + idx++);
          if (!(r.err <= r.tol) || !r.outsideUntouched || !r.inputsUntouched || !r.workUntouched) {
            failures.push(`${label(c)}: err ${r.err} (tol ${r.tol}) out ${r.outsideUntouched} in ${r.inputsUntouched} work ${r.workUntouched}`);
          }
        }
        expect(failures.slice(0, 10)).toEqual([]);
      });

      it(`${layout}: every flag combination, tails and several depth / row / column blocks`, () => {
        // m = 6, 11, 12, 13: row strips of 4 and 5 with and without a padded last strip; 300 > MC,
        // 600 > NC, k = 300, 600, 777 > KC.
        const shapes: [number, number, number][] = [[5, 9, 7], [6, 17, 9], [11, 8, 40], [12, 3, 5], [33, 65, 31], [4, 8, 300], [13, 21, 777], [300, 600, 600]];
        for (const [m, n, k] of shapes) {
          for (let flags = 0; flags < 4; flags++) {
            for (const bias of layout === 'nt' ? [false, true] : [false]) {
              if (m * n * k > 1e6 && (flags !== 3 || (layout === 'nt' && !bias))) continue; // the big one once
              const c: Case = { layout, m, n, k, flags, bias };
              const r = runCase(bk, c, 7 * m + 11 * n + 13 * k + flags);
              expect(r.err, label(c)).toBeLessThanOrEqual(r.tol);
              expect(r.outsideUntouched && r.inputsUntouched && r.workUntouched, label(c)).toBe(true);
            }
          }
        }
      });

      it(`${layout}: the MLP shapes (batch 128, 784 → 256 → 128)`, () => {
        const shapes: [number, number, number][] = layout === 'nt' ? [[128, 256, 784], [128, 128, 256]]
          : layout === 'tn' ? [[256, 784, 128], [128, 256, 128]] : [[128, 784, 256], [128, 256, 128]];
        for (const [m, n, k] of shapes) {
          const c: Case = { layout, m, n, k, flags: layout === 'nt' ? GEMM_RELU : 0, bias: layout === 'nt' };
          const r = runCase(bk, c, m + n + k);
          expect(r.err, label(c)).toBeLessThanOrEqual(r.tol);
          expect(r.outsideUntouched && r.inputsUntouched && r.workUntouched, label(c)).toBe(true);
        }
      });

      it(`${layout}: output and inputs only 4-byte aligned, sentinels right next to C`, () => {
        for (const [m, n, k] of [[7, 9, 5], [33, 17, 65], [1, 1, 1], [9, 31, 3]] as [number, number, number][]) {
          for (const offset of [1, 2, 3]) {
            const c: Case = { layout, m, n, k, flags: GEMM_ACCUMULATE | GEMM_RELU, bias: layout === 'nt' };
            const r = runCase(bk, c, 99 + offset, offset, 0);
            expect(r.err, label(c)).toBeLessThanOrEqual(r.tol);
            expect(r.outsideUntouched && r.inputsUntouched && r.workUntouched, label(c)).toBe(true);
          }
        }
      });
    }

    it('an infinity in A reaches only its own row of C, one in B only its own column', () => {
      const m = 13, n = 19, k = 11;
      for (const layout of LAYOUTS) {
        for (const which of ['a', 'b'] as const) {
          const a = randomArray(m * k, 3), b = randomArray(n * k, 4);
          const row = 7, col = 9, p = 5;
          if (which === 'a') a[layout === 'tn' ? p * m + row : row * k + p] = Infinity;
          else b[layout === 'nt' ? col * k + p : p * n + col] = Infinity;
          const aPtr = put(bk, a), bPtr = put(bk, b), cPtr = put(bk, new Float32Array(m * n));
          const workPtr = bk.arena.alloc(bk.k.f32_gemm_work_bytes(m, n, k));
          call(bk, { layout, m, n, k, flags: 0, bias: false }, aPtr, bPtr, 0, cPtr, workPtr);
          const c = get(bk, cPtr, m * n);
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
            const hit = which === 'a' ? i === row : j === col;
            expect(Number.isFinite(c[i * n + j]!), `${layout} ${which} (${i}, ${j})`).toBe(!hit);
          }
          for (const q of [aPtr, bPtr, cPtr, workPtr]) bk.arena.free(q);
        }
      }
    });

    it('nt and nn: a row of C is bit-identical whatever the number of rows (batch size) around it', () => {
      const m = 37, n = 29, k = 300;
      for (const layout of ['nt', 'nn'] as const) {
        const a = randomArray(m * k, 21), b = randomArray(n * k, 22), bias = randomArray(n, 23);
        const aPtr = put(bk, a), bPtr = put(bk, b), biasPtr = put(bk, bias), cPtr = put(bk, new Float32Array(m * n));
        const workPtr = bk.arena.alloc(bk.k.f32_gemm_work_bytes(m, n, k));
        const run = (row0: number, rows: number) => {
          call(bk, { layout, m: rows, n, k, flags: GEMM_RELU, bias: layout === 'nt' }, aPtr + row0 * k * 4, bPtr, layout === 'nt' ? biasPtr : 0, cPtr, workPtr);
          return get(bk, cPtr, rows * n);
        };
        const all = run(0, m);
        for (const [row0, rows] of [[0, 1], [36, 1], [3, 4], [10, 5], [7, 13], [20, 17]] as const) {
          const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
          expect(bits(run(row0, rows)), `${layout} rows ${row0}..${row0 + rows}`).toEqual(bits(all.slice(row0 * n, (row0 + rows) * n)));
        }
        for (const q of [aPtr, bPtr, biasPtr, cPtr, workPtr]) bk.arena.free(q);
      }
    });

    it('work bytes: 0 without work, monotone in m, n and k, a multiple of 64 (wasm)', () => {
      expect(bk.k.f32_gemm_work_bytes(0, 5, 5)).toBe(0);
      let prev = 0;
      for (const s of [1, 3, 8, 33, 127, 300, 1000]) {
        const w = bk.k.f32_gemm_work_bytes(s, s, s);
        expect(w).toBeGreaterThanOrEqual(prev);
        if (bk.kind === 'wasm') expect(w % 64).toBe(0);
        prev = w;
      }
      expect(bk.k.f32_gemm_work_bytes(100, 50, 784)).toBeGreaterThanOrEqual(bk.k.f32_gemm_work_bytes(60, 50, 784));
    });

    it('colsum: out[j] = Σ_i A[i, j], accumulate and relu, odd shapes, guards', () => {
      const SENT = -777.25;
      let seed = 5;
      for (const m of [0, 1, 3, 17, 128, 129]) {
        for (const n of [0, 1, 3, 4, 5, 15, 16, 17, 33, 100]) {
          for (let flags = 0; flags < 4; flags++) {
            const a = randomArray(m * n, seed++);
            const out0 = randomArray(n, seed++);
            const aPtr = put(bk, a);
            const oPtr = put(bk, [SENT, ...out0, SENT]);
            bk.k.f32_colsum(aPtr, oPtr + 4, m, n, flags);
            const all = get(bk, oPtr, n + 2);
            expect(all[0], `guard before, m=${m} n=${n}`).toBe(SENT);
            expect(all[n + 1], `guard after, m=${m} n=${n}`).toBe(SENT);
            expect(get(bk, aPtr, m * n)).toEqual(a);
            const val = new Float64Array(n);
            const scale = new Float64Array(n);
            for (let j = 0; j < n; j++) {
              let s = flags & GEMM_ACCUMULATE ? out0[j]! : 0;
              let sc = Math.abs(s);
              for (let i = 0; i < m; i++) { s += a[i * n + j]!; sc += Math.abs(a[i * n + j]!); }
              val[j] = flags & GEMM_RELU ? Math.max(0, s) : s;
              scale[j] = sc;
            }
            expect(scaledError(all.slice(1, n + 1), val, scale), `m=${m} n=${n} flags=${flags}`).toBeLessThanOrEqual(1.01 * (m + 1) * U);
            bk.arena.free(aPtr);
            bk.arena.free(oPtr);
          }
        }
      }
    });

    it('k = 0: bias only, accumulate keeps C, relu applies to the sum', () => {
      const n = 5;
      const bias = [1, -2, 3, -4, 0.5];
      const c0 = [-10, 1, 1, 1, 1, 2, 2, -3, 2, 2];
      const bPtr = put(bk, bias);
      const cPtr = put(bk, c0);
      bk.k.f32_gemm_nt(0, 0, bPtr, cPtr, 2, n, 0, GEMM_ACCUMULATE | GEMM_RELU, 0);
      expect(Array.from(get(bk, cPtr, 10))).toEqual([0, 0, 4, 0, 1.5, 3, 0, 0, 0, 2.5]);
      bk.k.f32_gemm_nt(0, 0, bPtr, cPtr, 2, n, 0, 0, 0);
      expect(Array.from(get(bk, cPtr, 10))).toEqual([...bias, ...bias]);
      bk.k.f32_gemm_nn(0, 0, cPtr, 2, n, 0, 0, 0);
      expect(Array.from(get(bk, cPtr, 10))).toEqual(new Array(10).fill(0));
      bk.arena.free(bPtr);
      bk.arena.free(cPtr);
    });
  });
}

describe('gemm facade (src/kernels/gemm.ts)', () => {
  const ok = { m: 4, n: 8, k: 3, aPtr: 64, bPtr: 128, cPtr: 256, workPtr: 512, workBytes: 128 };
  it('accepts a valid call and names the bad argument otherwise', () => {
    expect(() => checkGemm('nt', ok, 4096)).not.toThrow();
    expect(() => checkGemm('nt', { ...ok, m: -1 }, 4096)).toThrow(/^m: expected a non-negative integer dimension, got -1/);
    expect(() => checkGemm('nn', { ...ok, k: 2.5 }, 4096)).toThrow(/^k: /);
    expect(() => checkGemm('nt', { ...ok, aPtr: 66 }, 4096)).toThrow(/^X: expected a 4-byte aligned byte pointer, got 66/);
    expect(() => checkGemm('tn', { ...ok, cPtr: 4000 }, 4096)).toThrow(/^C: 32 floats at 4000 end past the memory/);
    expect(() => checkGemm('nn', { ...ok, biasPtr: 1024 }, 4096)).toThrow(/^bias: only f32_gemm_nt takes a bias/);
    expect(() => checkGemm('nt', { ...ok, workPtr: 520 }, 4096)).toThrow(/^work: expected a 64-byte aligned pointer/);
    expect(() => checkGemm('nt', { ...ok, m: 0, aPtr: 0 }, 4096)).not.toThrow();
  });
  it('denseWorkBytes covers the three GEMMs of a dense layer', () => {
    for (const bk of kernelSuiteBackends()) {
      const w = denseWorkBytes(bk.k, 128, 784, 256);
      expect(w).toBeGreaterThanOrEqual(bk.k.f32_gemm_work_bytes(128, 256, 784));
      expect(w).toBeGreaterThanOrEqual(bk.k.f32_gemm_work_bytes(256, 784, 128));
      expect(w).toBeGreaterThanOrEqual(bk.k.f32_gemm_work_bytes(128, 784, 256));
    }
    expect(gemmFlops(2, 3, 4)).toBe(48);
  });
});
