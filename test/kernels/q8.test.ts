// The int8 kernels (assembly/q8, twin src/ref/q8.ts) against an integer reference written here:
// quantization (round half to even, clamping, zero point 0 or 64), the int32 dot products, the
// f32 epilogue (convert, × scale, + bias, ReLU; each rounded to f32, never fused) and the fused
// requantization. Every backend must give exactly the reference's bits: the arithmetic is integer
// and the inputs stay where the relaxed dot product is deterministic (activations in [0, 127],
// weights in [−127, 127]), so no engine may differ. Odd shapes: k past a multiple of 16, n past a
// multiple of 4, an odd last row, rows past a block.
import { describe, expect, it } from 'vitest';
import { kernelBackends, randomArray, testRng } from '../helpers/backends.js';
import type { Backend } from '../../src/backend.js';
import { packQ8Weights, q8Kernels, q8RowBytes, q8WeightsBytes } from '../../src/interop/quantize.js';

const fr = Math.fround;
const even = (v: number) => { const r = Math.round(v); return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r; };
const quant = (x: number, inv: number, zp: number) => even(Math.min(Math.max(fr(x * fr(inv)), -zp), 127 - zp)) + zp;

/** Reads `count` stored activation values of a row (1 or 2 bytes each, as the binary says). */
function readActs(b: Backend, ptr: number, count: number): number[] {
  const eb = b.k.q8_value_bytes();
  const out: number[] = [];
  const dv = new DataView(b.memory.buffer);
  for (let i = 0; i < count; i++) out.push(eb === 1 ? dv.getUint8(ptr + i) : dv.getInt16(ptr + 2 * i, true));
  return out;
}

function randomWeights(n: number, seed: number): Int8Array {
  const r = testRng(seed);
  const w = Int8Array.from({ length: n }, () => Math.floor(r() * 255) - 127);
  w[0] = 127; w[n - 1] = -127; // the extremes
  return w;
}

for (const b of kernelBackends()) {
  describe(`q8 kernels (${b.binary})`, () => {
    const k = q8Kernels(b); // the binary's exports, or the TS twins installed on the TS backend
    const { arena } = b;
    const f32 = () => arena.views.f32;

    it('stores 1 byte per value on the relaxed binary and the TS twin, 2 on the baseline binary', () => {
      expect(k.q8_value_bytes()).toBe(b.binary === 'simd' ? 2 : 1);
      expect(q8RowBytes(b, 17)).toBe(32 * k.q8_value_bytes());
      expect(q8WeightsBytes(b, 5, 16)).toBe(8 * 16 * k.q8_value_bytes());
    });

    for (const zp of [0, 64]) {
      it(`quantize_rows (zero point ${zp}): nearest, ties to even, clamped, padding zero`, () => {
        const m = 3, kk = 21, inv = 2.5;
        const x = randomArray(m * kk, 5 + zp, -70, 70);
        x[0] = 0.2; x[1] = 0.6; x[2] = -0.2; x[3] = 1e6; x[4] = -1e6; x[5] = 1.0; x[6] = 0.99999; // 0.5, 1.5, −0.5 (ties), saturation
        const xp = arena.alloc(m * kk * 4);
        f32().set(x, xp >>> 2);
        const rb = q8RowBytes(b, kk);
        const qp = arena.alloc(m * rb);
        new Uint8Array(b.memory.buffer).fill(0xaa, qp, qp + m * rb); // the padding must be written
        k.q8_quantize_rows(xp, qp, m, kk, inv, zp);
        const eb = k.q8_value_bytes();
        for (let i = 0; i < m; i++) {
          const got = readActs(b, qp + i * rb, rb / eb);
          const want = [...Array.from({ length: kk }, (_, p) => quant(x[i * kk + p]!, inv, zp)), ...new Array(rb / eb - kk).fill(0)];
          expect(got).toEqual(want);
        }
        if (zp === 0) expect(readActs(b, qp, 7)).toEqual([0, 2, 0, 127, 0, 2, 2]); // 0.5→0, 1.5→2, −0.5→0 (clamped), 2.5→2, 2.49998→2
      });
    }

    const shapes: [number, number, number][] = [[1, 1, 1], [2, 4, 16], [3, 5, 17], [5, 13, 33], [1, 7, 100], [33, 9, 15], [70, 6, 48], [4, 1, 7]];
    for (const [m, n, kk] of shapes) {
      for (const flags of [0, 1, 4, 5]) {
        for (const zp of [0, 64]) {
          it(`gemm m=${m} n=${n} k=${kk} flags=${flags} zp=${zp}: the integer reference's bits`, () => {
            const x = randomArray(m * kk, m + 7 * kk + zp, zp ? -1 : 0, 1);
            const inv = zp ? 63.5 : 127; // x·inv spans the whole range of q
            const w = randomWeights(n * kk, n * 3 + kk);
            const scale = randomArray(n, n + 1, 1e-5, 6e-5), bias = randomArray(n, n + 2, -0.5, 0.5);
            const nPad = (n + 3) & ~3;
            const xp = arena.alloc(m * kk * 4);
            f32().set(x, xp >>> 2);
            const qp = arena.allocZeroed(m * q8RowBytes(b, kk));
            k.q8_quantize_rows(xp, qp, m, kk, inv, zp);
            const wp = arena.alloc(q8WeightsBytes(b, n, kk));
            packQ8Weights(b, w, n, kk, wp);
            const corr = Int32Array.from({ length: nPad }, (_, j) => (j < n ? -zp * w.subarray(j * kk, j * kk + kk).reduce((s, v) => s + v, 0) : 0));
            const cp = arena.allocZeroed(nPad * 4), sp = arena.allocZeroed(nPad * 4), bp = arena.allocZeroed(nPad * 4);
            arena.views.i32.set(corr, cp >>> 2);
            f32().set(scale, sp >>> 2);
            f32().set(bias, bp >>> 2);
            const outInv = 40, outZp = zp;
            const requant = (flags & 4) !== 0;
            const outRow = requant ? q8RowBytes(b, n) : n * 4;
            const op = arena.allocZeroed(m * outRow + 16);
            f32()[(op + m * outRow) >>> 2] = 4242; // sentinel after the output
            k.q8_gemm_nt(qp, wp, cp, sp, bp, op, m, n, kk, flags, outInv, outZp);
            for (let i = 0; i < m; i++) {
              const want: number[] = [];
              for (let j = 0; j < n; j++) {
                let acc = corr[j]!;
                for (let p = 0; p < kk; p++) acc += w[j * kk + p]! * quant(x[i * kk + p]!, inv, zp);
                let y = fr(fr(fr(acc) * scale[j]!) + bias[j]!);
                if (flags & 1 && y < 0) y = 0;
                want.push(requant ? quant(y, outInv, outZp) : y);
              }
              const got = requant ? readActs(b, op + i * outRow, n) : Array.from(f32().subarray((op >>> 2) + i * n, (op >>> 2) + i * n + n));
              expect(got).toEqual(want);
            }
            expect(f32()[(op + m * outRow) >>> 2]).toBe(4242);
            for (const p of [xp, qp, wp, cp, sp, bp, op]) arena.free(p);
          });
        }
      }
    }
  });
}
