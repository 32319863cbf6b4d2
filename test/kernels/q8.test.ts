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
import { packQ8Weights, q8ActBytes, q8ActOffset, q8Kernels, q8NPad, q8RowBytes, q8WeightOffset, q8WeightsBytes } from '../../src/interop/quantize-layout.js';

const fr = Math.fround;
const even = (v: number) => { const r = Math.round(v); return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r; };
const quant = (x: number, inv: number, zp: number) => even(Math.min(Math.max(fr(x * fr(inv)), -zp), 127 - zp)) + zp;

/** Reads `count` stored activation values of row i of panels of depth k (1 or 2 bytes each, as the binary says). */
function readActs(b: Backend, ptr: number, k: number, i: number, count: number): number[] {
  const eb = b.k.q8_value_bytes();
  const out: number[] = [];
  const dv = new DataView(b.memory.buffer);
  for (let p = 0; p < count; p++) {
    const at = ptr + q8ActOffset(eb, k, i, p);
    out.push(eb === 1 ? dv.getUint8(at) : dv.getInt16(at, true));
  }
  return out;
}

describe('q8 layouts (assembly/q8 header)', () => {
  it('places values by hand-derived offsets: 4-byte groups, panels of 3 rows and of 8 channels', () => {
    // depth 17 → 20 values a row. Row 5, value 9: panel 1 (3 rows × 20 values), group 9 / (4 / eb) (12 bytes
    // each), row 2 in the panel, value 9 % (4 / eb) in the group.
    expect(q8ActOffset(1, 17, 5, 9)).toBe(60 + 24 + 8 + 1);
    expect(q8ActOffset(2, 17, 5, 9)).toBe(160 + 64 + 4 + 2); // 2-byte values: panels of 4 rows (16-byte groups), row 1
    expect(q8ActOffset(1, 17, 0, 0)).toBe(0);
    expect(q8ActOffset(1, 17, 3, 19)).toBe(60 + 48 + 0 + 3);
    // channel 13, weight 9: panel 1 (8 channels × 20 values), group, channel 5 in the panel, value in the group
    expect(q8WeightOffset(1, 17, 13, 9)).toBe(160 + 64 + 20 + 1);
    expect(q8WeightOffset(2, 17, 13, 9)).toBe(320 + 128 + 20 + 2);
    expect(q8WeightOffset(2, 17, 7, 19)).toBe(9 * 32 + 28 + 2);
  });
});

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
      expect(q8RowBytes(b, 17)).toBe(20 * k.q8_value_bytes());
      expect(q8ActBytes(b, 5, 17)).toBe((k.q8_value_bytes() === 2 ? 8 : 6) * 20 * k.q8_value_bytes());
      expect(q8WeightsBytes(b, 9, 16)).toBe(16 * 16 * k.q8_value_bytes());
    });

    for (const zp of [0, 64]) {
      it(`quantize_rows (zero point ${zp}): nearest, ties to even, clamped, padding zero`, () => {
        const m = 5, kk = 21, inv = 2.5; // two panels: rows 5 (and on 3-row panels, none more) to the end are padding
        const x = randomArray(m * kk, 5 + zp, -70, 70);
        x[0] = 0.2; x[1] = 0.6; x[2] = -0.2; x[3] = 1e6; x[4] = -1e6; x[5] = 1.0; x[6] = 0.99999; // 0.5, 1.5, −0.5 (ties), saturation
        const xp = arena.alloc(m * kk * 4);
        f32().set(x, xp >>> 2);
        const bytes = q8ActBytes(b, m, kk);
        const padded = k.q8_value_bytes() === 2 ? 8 : 6;
        expect(bytes).toBe(padded * q8RowBytes(b, kk));
        const qp = arena.alloc(bytes);
        new Uint8Array(b.memory.buffer).fill(0xaa, qp, qp + bytes); // the padding must be written
        expect(k.q8_quantize_rows(xp, qp, m, kk, inv, zp)).toBe(0);
        const kp = q8RowBytes(b, kk) / k.q8_value_bytes();
        for (let i = 0; i < padded; i++) {
          const got = readActs(b, qp, kk, i, kp);
          const want = i < m ? [...Array.from({ length: kk }, (_, p) => quant(x[i * kk + p]!, inv, zp)), ...new Array(kp - kk).fill(0)] : new Array(kp).fill(0);
          expect(got).toEqual(want);
        }
        if (zp === 0) expect(readActs(b, qp, kk, 0, 7)).toEqual([0, 2, 0, 127, 0, 2, 2]); // 0.5→0, 1.5→2, −0.5→0 (clamped), 2.5→2, 2.49998→2
      });
    }

    it('quantize_rows returns 1 for a NaN or an infinity anywhere in X, 0 otherwise', () => {
      const m = 5, kk = 11;
      const xp = arena.alloc(m * kk * 4), qp = arena.alloc(q8ActBytes(b, m, kk));
      for (const [at, v] of [[0, NaN], [3, Infinity], [m * kk - 1, -Infinity], [4 * kk + 9, NaN], [12, 3e38]] as const) {
        f32().set(randomArray(m * kk, at, -2, 2), xp >>> 2);
        f32()[(xp >>> 2) + at] = v;
        expect(k.q8_quantize_rows(xp, qp, m, kk, 20, 64)).toBe(Number.isFinite(v) ? 0 : 1);
      }
      arena.free(xp); arena.free(qp);
    });

    const shapes: [number, number, number][] = [[1, 1, 1], [2, 4, 16], [3, 5, 17], [5, 13, 33], [1, 7, 100], [33, 9, 15], [70, 6, 48], [4, 1, 7], [9, 17, 40], [6, 12, 5], [7, 24, 260]];
    for (const [m, n, kk] of shapes) {
      for (const flags of [0, 1, 4, 5]) {
        for (const zp of [0, 64]) {
          it(`gemm m=${m} n=${n} k=${kk} flags=${flags} zp=${zp}: the integer reference's bits`, () => {
            const x = randomArray(m * kk, m + 7 * kk + zp, zp ? -1 : 0, 1);
            const inv = zp ? 63.5 : 127; // x·inv spans the whole range of q
            const w = randomWeights(n * kk, n * 3 + kk);
            const scale = randomArray(n, n + 1, 1e-5, 6e-5), bias = randomArray(n, n + 2, -0.5, 0.5);
            const nPad = q8NPad(n);
            const xp = arena.alloc(m * kk * 4);
            f32().set(x, xp >>> 2);
            const qp = arena.allocZeroed(q8ActBytes(b, m, kk));
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
            const outBytes = requant ? q8ActBytes(b, m, n) : m * n * 4;
            const op = arena.allocZeroed(outBytes + 16);
            f32()[(op + outBytes) >>> 2] = 4242; // sentinel after the output
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
              const got = requant ? readActs(b, op, n, i, n) : Array.from(f32().subarray((op >>> 2) + i * n, (op >>> 2) + i * n + n));
              expect(got).toEqual(want);
            }
            expect(f32()[(op + outBytes) >>> 2]).toBe(4242);
            for (const p of [xp, qp, wp, cp, sp, bp, op]) arena.free(p);
          });
        }
      }
    }
  });
}
