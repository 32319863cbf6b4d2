// Pure-TS twin of assembly/rng: xoshiro128** at rngPtr, f32 arithmetic reproduced with Math.fround.
import type { RngAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';
import { xoshiroUniform } from '../rng.js';

export function makeRngRef(v: Views): RngAbi {
  return {
    f32_rand_uniform(rngPtr, outPtr, n, lo, hi) {
      const u32 = v.u32;
      const f = v.f32;
      const s = rngPtr >>> 2;
      const lof = Math.fround(lo);
      const span = Math.fround(Math.fround(hi) - lof);
      const o = outPtr >>> 2;
      for (let i = 0; i < n; i++) f[o + i] = lof + Math.fround(span * xoshiroUniform(u32, s));
    },
  };
}
