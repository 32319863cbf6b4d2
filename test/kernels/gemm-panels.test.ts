// f32_pack_nt_panels + f32_gemm_nt_panels (few-row inference from W packed once into column
// panels of 8) against a float64 reference: odd shapes (partial last panel, partial last group of
// three panels), every flag, sentinels around the output and the panels, inputs unchanged.
// Tolerance |err| ≤ 1e-5·(Σ|x||w| + |b| + |z0|). And bit-identical to the packed f32_gemm_nt on every
// backend (same summation order per output), which is what keeps a prediction independent of the
// batch it came in.
import { describe, expect, it } from 'vitest';
import { get, kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { ntReference64 as reference } from '../helpers/oracle.js';

for (const b of kernelSuiteBackends()) {
  describe(`f32_gemm_nt_panels (${b.binary})`, () => {
    it('packs W[n×k] into panels of 8 columns: panel t, depth p holds W[8t..8t+8, p], zeros past n', () => {
      const n = 11, k = 5;
      const w = randomArray(n * k, 3);
      const bytes = b.k.f32_nt_panels_bytes(n, k);
      expect(bytes).toBe(2 * 8 * k * 4);
      const dst = b.arena.alloc(bytes + 4);
      b.arena.views.f32[(dst + bytes) >>> 2] = 555; // sentinel after
      b.k.f32_pack_nt_panels(put(b, w), dst, n, k);
      const got = get(b, dst, bytes / 4);
      for (let t = 0; t < 2; t++) for (let p = 0; p < k; p++) for (let c = 0; c < 8; c++) {
        const j = 8 * t + c;
        expect(got[t * 8 * k + p * 8 + c]).toBe(j < n ? w[j * k + p]! : 0);
      }
      expect(b.arena.views.f32[(dst + bytes) >>> 2]).toBe(555);
      expect(b.k.f32_nt_panels_bytes(0, 5)).toBe(0);
      expect(b.k.f32_nt_panels_bytes(5, 0)).toBe(0);
    });

    const shapes: [number, number, number][] = [[1, 1, 1], [1, 3, 5], [2, 8, 8], [3, 9, 7], [4, 23, 31], [1, 24, 63], [2, 25, 2], [1, 47, 33], [4, 49, 127],
      [1, 10, 128], [1, 128, 256], [1, 256, 784], [3, 16, 1]];
    for (const [m, n, k] of shapes) {
      for (const flags of [0, 1, 2, 3]) {
        it(`m=${m} n=${n} k=${k} flags=${flags}: float64 reference, and the same bits as f32_gemm_nt`, () => {
          const x = randomArray(m * k, m * 7 + k), w = randomArray(n * k, n + 3 * k), bias = randomArray(n, n + 1), z0 = randomArray(m * n, m + n);
          const px = put(b, x), pw = put(b, w), pb = put(b, bias);
          const panels = b.arena.alloc(b.k.f32_nt_panels_bytes(n, k));
          b.k.f32_pack_nt_panels(pw, panels, n, k);
          const pz = b.arena.alloc((m * n + 2) * 4);
          const f32 = b.arena.views.f32;
          f32[pz >>> 2] = 777;
          f32.set(z0, (pz >>> 2) + 1);
          f32[(pz >>> 2) + 1 + m * n] = 999;
          b.k.f32_gemm_nt_panels(px, panels, pb, pz + 4, m, n, k, flags);
          const got = get(b, pz + 4, m * n);
          const { out, scale } = reference(x, w, bias, z0, m, n, k, flags);
          const off: number[] = [];
          for (let i = 0; i < m * n; i++) if (!(Math.abs(got[i]! - out[i]!) <= 1e-5 * scale[i]! + 1e-30)) off.push(i);
          expect(off, 'outputs off the float64 reference').toEqual([]);
          expect(b.arena.views.f32[pz >>> 2]).toBe(777);
          expect(b.arena.views.f32[(pz >>> 2) + 1 + m * n]).toBe(999);
          expect(get(b, px, m * k)).toEqual(x);
          expect(get(b, pw, n * k)).toEqual(w);

          const z1 = put(b, z0);
          const work = b.arena.alloc(Math.max(64, b.k.f32_gemm_work_bytes(m, n, k)));
          b.k.f32_gemm_nt(px, pw, pb, z1, m, n, k, flags, work);
          expect(got).toEqual(get(b, z1, m * n));
        });
      }
    }

    it('without a bias (biasPtr = 0), and m = 0 or n = 0 writes nothing', () => {
      const m = 2, n = 13, k = 9;
      const x = randomArray(m * k, 1), w = randomArray(n * k, 2);
      const panels = b.arena.alloc(b.k.f32_nt_panels_bytes(n, k));
      b.k.f32_pack_nt_panels(put(b, w), panels, n, k);
      const pz = b.arena.alloc(m * n * 4);
      b.k.f32_gemm_nt_panels(put(b, x), panels, 0, pz, m, n, k, 0);
      const { out, scale } = reference(x, w, null, new Float32Array(m * n), m, n, k, 0);
      get(b, pz, m * n).forEach((v, i) => expect(Math.abs(v - out[i]!)).toBeLessThanOrEqual(1e-5 * scale[i]!));
      const sentinel = put(b, [4, 5, 6]);
      b.k.f32_gemm_nt_panels(put(b, x), panels, 0, sentinel, 0, n, k, 0);
      b.k.f32_gemm_nt_panels(put(b, x), panels, 0, sentinel, m, 0, k, 0);
      expect(Array.from(get(b, sentinel, 3))).toEqual([4, 5, 6]);
    });
  });
}
