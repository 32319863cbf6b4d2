// f32_gemm_nt for a layer of few units (n ≤ 16: the narrow tiles of assembly/gemm/narrow.ts on the
// relaxed binary, the blocked driver elsewhere) against a float64 reference, on every backend:
// each width from 1 to 17 across the four tile shapes (6×4, 4×8, 3×12, 2×16) and past them, row
// counts that leave every possible partial last tile, depths with a tail of 1–3 and with two
// depth blocks (k > 256), every flag, sentinels around Z, a NaN-filled work buffer, inputs
// unchanged. Tolerance as gemm.test.ts: |got − exact| ≤ 1.01·(k+3)·2⁻²⁴·(Σ|x·w| + |b| + |z0|).
// And the bits of f32_gemm_nt_panels on the same backend (one madd per depth in order, row by
// row), which keeps an output independent of the batch it came in; the strided f32_gemm_nt_ld
// (the threads' column split) writes only its own columns of a wider Z.
import { describe, expect, it } from 'vitest';
import { get, kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { ntReference64 as reference } from '../helpers/oracle.js';

const U = 2 ** -24;

const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength)));

for (const b of kernelSuiteBackends()) {
  describe(`f32_gemm_nt, few units (${b.binary}${b.threadCount > 1 ? `, ${b.threadCount} threads` : ''})`, () => {
    const widths = Array.from({ length: 17 }, (_, i) => i + 1);
    for (const n of widths) {
      it(`n=${n}: m ∈ {1,2,3,5,6,7,13,128}, k ∈ {1,3,6,128,301}, every flag, float64 reference, panels' bits, guards`, () => {
        const failures: string[] = [];
        let seed = 100 * n;
        for (const m of [1, 2, 3, 5, 6, 7, 13, 128]) for (const k of [1, 3, 6, 128, 301]) {
          const flags = seed % 4, withBias = (seed >> 2) % 2 === 0;
          seed++;
          const x = randomArray(m * k, seed), w = randomArray(n * k, seed + 1), bias = randomArray(n, seed + 2), z0 = randomArray(m * n, seed + 3);
          const px = put(b, x), pw = put(b, w), pb = withBias ? put(b, bias) : 0;
          const pz = put(b, [777, ...z0, 999]);
          const workBytes = b.k.f32_gemm_work_bytes(m, n, k);
          const work = put(b, new Float32Array(workBytes / 4 + 1).fill(NaN).fill(555, workBytes / 4));
          b.k.f32_gemm_nt(px, pw, pb, pz + 4, m, n, k, flags, work);
          const all = get(b, pz, m * n + 2), got = all.slice(1, m * n + 1);
          const { out, scale } = reference(x, w, withBias ? bias : null, z0, m, n, k, flags);
          const tol = 1.01 * (k + 3) * U;
          const off = [...got.keys()].filter((i) => !(Math.abs(got[i]! - out[i]!) <= tol * scale[i]! + 1e-30));
          const label = `m=${m} k=${k} flags=${flags}${withBias ? ' +bias' : ''}`;
          if (off.length) failures.push(`${label}: ${off.length} outputs off the reference, first ${off[0]}: ${got[off[0]!]} vs ${out[off[0]!]}`);
          if (all[0] !== 777 || all[m * n + 1] !== 999) failures.push(`${label}: a sentinel next to Z changed`);
          if (get(b, work + workBytes, 1)[0] !== 555) failures.push(`${label}: wrote past the work buffer`);
          if (bits(get(b, px, m * k)).join() !== bits(x).join() || bits(get(b, pw, n * k)).join() !== bits(w).join()) failures.push(`${label}: an input changed`);

          const panels = b.arena.alloc(b.k.f32_nt_panels_bytes(n, k));
          b.k.f32_pack_nt_panels(pw, panels, n, k);
          const pz2 = put(b, z0);
          b.k.f32_gemm_nt_panels(px, panels, pb, pz2, m, n, k, flags);
          if (bits(get(b, pz2, m * n)).join() !== bits(got).join()) failures.push(`${label}: not the bits of f32_gemm_nt_panels`);
          for (const p of [px, pw, pb, pz, work, panels, pz2]) if (p) b.arena.free(p);
        }
        expect(failures.slice(0, 8)).toEqual([]);
      });
    }

    // The strided variants exist in the binaries only (src/ref/index.ts: the TS backend runs on one thread).
    if (b.kind === 'wasm') it('f32_gemm_nt_ld: columns 3..13 of a Z with 20 columns, the others untouched, the bits of the whole', () => {
      const k8 = b.k as unknown as Record<string, (...a: number[]) => void>;
      const m = 11, n = 10, k = 37, ldz = 20, col0 = 3;
      const x = randomArray(m * k, 5), w = randomArray(n * k, 6), bias = randomArray(n, 7);
      const z = new Float32Array(m * ldz).fill(-4.5);
      const px = put(b, x), pw = put(b, w), pb = put(b, bias), pz = put(b, z);
      const work = b.arena.alloc(b.k.f32_gemm_work_bytes(m, n, k));
      k8.f32_gemm_nt_ld!(px, pw, pb, pz + col0 * 4, m, n, k, ldz, 1, work);
      const wide = get(b, pz, m * ldz);
      const pz2 = b.arena.alloc(m * n * 4);
      b.k.f32_gemm_nt(px, pw, pb, pz2, m, n, k, 1, work);
      const whole = get(b, pz2, m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < ldz; j++) {
        const v = wide[i * ldz + j]!;
        if (j >= col0 && j < col0 + n) expect(bits(new Float32Array([v]))).toEqual(bits(new Float32Array([whole[i * n + j - col0]!])));
        else expect(v, `(${i}, ${j})`).toBe(-4.5);
      }
    });
  });
}
