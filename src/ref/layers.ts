// Pure-TS twin of assembly/layers: dropout (mask bit-identical to the kernel: same stream, f32
// arithmetic via Math.fround) and batch normalization in f64 (see assembly/layers/batchnorm.ts
// for the m = 1 rule of the running variance).
import type { LayerAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';
import { xoshiroUniform } from '../rng.js';

export function makeLayerRef(v: Views): LayerAbi {
  return {
    f32_dropout_fwd(xPtr, maskPtr, yPtr, n, p, rngPtr) {
      const f = v.f32;
      const u32 = v.u32;
      const pf = v.scalar(p);
      const keep = pf < 1 ? v.scalar(1 / v.scalar(1 - pf)) : 0;
      const x = xPtr >>> 2, mk = maskPtr >>> 2, y = yPtr >>> 2, s = rngPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const mask = xoshiroUniform(u32, s) >= pf ? keep : 0;
        f[mk + i] = mask;
        f[y + i] = f[x + i]! * mask;
      }
    },
    f32_batchnorm_fwd_train(xPtr, gammaPtr, betaPtr, yPtr, xhatPtr, invstdPtr, runMeanPtr, runVarPtr, m, n, momentum, eps) {
      if (m <= 0) return;
      const f = v.f32;
      const x = xPtr >>> 2;
      const factor = m > 1 ? m / (m - 1) : 1;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += f[x + r * n + j]!;
        const mean = s / m;
        let q = 0;
        for (let r = 0; r < m; r++) { const d = f[x + r * n + j]! - mean; q += d * d; }
        const variance = q / m;
        const inv = 1 / Math.sqrt(variance + v.scalar(eps));
        f[(invstdPtr >>> 2) + j] = inv;
        const gamma = f[(gammaPtr >>> 2) + j]!, beta = f[(betaPtr >>> 2) + j]!;
        for (let r = 0; r < m; r++) {
          const i = r * n + j;
          const xhat = (f[x + i]! - mean) * inv;
          f[(xhatPtr >>> 2) + i] = xhat;
          f[(yPtr >>> 2) + i] = gamma * xhat + beta;
        }
        const rm = (runMeanPtr >>> 2) + j, rv = (runVarPtr >>> 2) + j;
        f[rm] = (1 - momentum) * f[rm]! + momentum * mean;
        f[rv] = (1 - momentum) * f[rv]! + momentum * variance * factor;
      }
    },
    f32_batchnorm_fwd_infer(xPtr, gammaPtr, betaPtr, runMeanPtr, runVarPtr, yPtr, m, n, eps) {
      const f = v.f32;
      for (let j = 0; j < n; j++) {
        const scale = f[(gammaPtr >>> 2) + j]! / Math.sqrt(f[(runVarPtr >>> 2) + j]! + v.scalar(eps));
        const mean = f[(runMeanPtr >>> 2) + j]!, beta = f[(betaPtr >>> 2) + j]!;
        for (let r = 0; r < m; r++) {
          const i = r * n + j;
          f[(yPtr >>> 2) + i] = (f[(xPtr >>> 2) + i]! - mean) * scale + beta;
        }
      }
    },
    f32_batchnorm_bwd(dyPtr, xhatPtr, gammaPtr, invstdPtr, dxPtr, dgammaPtr, dbetaPtr, m, n) {
      const f = v.f32;
      const dy = dyPtr >>> 2, xh = xhatPtr >>> 2, dx = dxPtr >>> 2;
      for (let j = 0; j < n; j++) {
        let db = 0, dg = 0;
        for (let r = 0; r < m; r++) { const i = r * n + j; db += f[dy + i]!; dg += f[dy + i]! * f[xh + i]!; }
        f[(dbetaPtr >>> 2) + j] = db;
        f[(dgammaPtr >>> 2) + j] = dg;
        if (m <= 0) continue;
        const k = (f[(gammaPtr >>> 2) + j]! * f[(invstdPtr >>> 2) + j]!) / m;
        for (let r = 0; r < m; r++) {
          const i = r * n + j;
          f[dx + i] = k * (m * f[dy + i]! - db - f[xh + i]! * dg);
        }
      }
    },
  };
}
