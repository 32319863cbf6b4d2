// f32_gemm_nt_direct (no packing, few rows) against a float64 reference: odd shapes, every flag,
// sentinels around the output, inputs unchanged. Tolerance: |err| ≤ 1e-5·(Σ|x||w| + |b|); and
// bit-identical to the packed GEMM (same per-element summation order), so predictions don't
// depend on the batch size.
import { describe, expect, it } from 'vitest';
import { get, kernelBackends, put, randomArray } from '../helpers/backends.js';

function reference(x: Float32Array, w: Float32Array, b: Float32Array | null, z0: Float32Array, m: number, n: number, k: number, flags: number) {
  const out = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, a = 0;
    for (let p = 0; p < k; p++) { s += x[i * k + p]! * w[j * k + p]!; a += Math.abs(x[i * k + p]! * w[j * k + p]!); }
    if (b) { s += b[j]!; a += Math.abs(b[j]!); }
    if (flags & 2) { s += z0[i * n + j]!; a += Math.abs(z0[i * n + j]!); }
    if (flags & 1) s = Math.max(0, s);
    out[i * n + j] = s;
    scale[i * n + j] = a;
  }
  return { out, scale };
}

for (const b of kernelBackends()) {
  describe(`f32_gemm_nt_direct (${b.binary})`, () => {
    const shapes: [number, number, number][] = [[1, 1, 1], [1, 3, 5], [2, 4, 8], [3, 5, 7], [4, 9, 31], [1, 33, 63], [4, 65, 127], [5, 7, 0], [0, 3, 3], [1, 256, 784], [8, 13, 17]];
    for (const [m, n, k] of shapes) {
      for (const flags of [0, 1, 2, 3]) {
        it(`m=${m} n=${n} k=${k} flags=${flags}`, () => {
          const x = randomArray(m * k, m * 7 + k), w = randomArray(n * k, n + 3 * k), bias = randomArray(n, n + 1), z0 = randomArray(m * n, m + n);
          const px = put(b, x), pw = put(b, w), pb = put(b, bias);
          const pz = b.arena.alloc((m * n + 2) * 4);
          const f32 = b.arena.views.f32;
          f32[pz >>> 2] = 777; // sentinel before
          f32.set(z0, (pz >>> 2) + 1);
          f32[(pz >>> 2) + 1 + m * n] = 999; // sentinel after
          b.k.f32_gemm_nt_direct(px, pw, pb, pz + 4, m, n, k, flags);
          const got = get(b, pz + 4, m * n);
          const { out, scale } = reference(x, w, bias, z0, m, n, k, flags);
          for (let i = 0; i < m * n; i++) expect(Math.abs(got[i]! - out[i]!)).toBeLessThanOrEqual(1e-5 * scale[i]! + 1e-30);
          expect(b.arena.views.f32[pz >>> 2]).toBe(777);
          expect(b.arena.views.f32[(pz >>> 2) + 1 + m * n]).toBe(999);
          expect(get(b, px, m * k)).toEqual(x);
          expect(get(b, pw, n * k)).toEqual(w);
        });
      }
    }

    it('without a bias (biasPtr = 0)', () => {
      const x = randomArray(3 * 10, 1), w = randomArray(6 * 10, 2);
      const pz = b.arena.alloc(18 * 4);
      b.k.f32_gemm_nt_direct(put(b, x), put(b, w), 0, pz, 3, 6, 10, 0);
      const { out, scale } = reference(x, w, null, new Float32Array(18), 3, 6, 10, 0);
      get(b, pz, 18).forEach((v, i) => expect(Math.abs(v - out[i]!)).toBeLessThanOrEqual(1e-5 * scale[i]!));
    });

    for (const [m, n, k] of [[1, 37, 101], [3, 10, 784], [4, 256, 784], [2, 5, 3], [1, 8, 257]] as const) {
      for (const flags of [0, 1, 2, 3]) {
        it(`is bit-identical to the packed f32_gemm_nt (m=${m} n=${n} k=${k} flags=${flags})`, () => {
          const x = randomArray(m * k, 5 + k), w = randomArray(n * k, 6 + n), bias = randomArray(n, 7), z0 = randomArray(m * n, 8);
          const px = put(b, x), pw = put(b, w), pb = put(b, bias);
          const z1 = put(b, z0), z2 = put(b, z0);
          const work = b.arena.alloc(Math.max(64, b.k.f32_gemm_work_bytes(m, n, k)));
          b.k.f32_gemm_nt(px, pw, pb, z1, m, n, k, flags, work);
          b.k.f32_gemm_nt_direct(px, pw, pb, z2, m, n, k, flags);
          expect(get(b, z2, m * n)).toEqual(get(b, z1, m * n));
        });
      }
    }
  });
}
