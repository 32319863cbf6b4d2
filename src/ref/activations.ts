// Pure-TS twins of assembly/eltwise/: the element-wise activations come from the activation table
// (src/kernels/activations.ts, where each twin sits in its activation's record); prelu, rrelu and
// softmax, whose kernels have signatures of their own, are here. f64 with Math.*, rounded to f32 on
// store: within the kernel tests' tolerances of the SIMD kernels, not bit for bit.
import type { ActBwd, ActFwd, ActivationAbi } from '../kernels/abi.js';
import { ACTIVATION_TWINS, type TwinBwd, type TwinFwd } from '../kernels/activations.js';
import type { Views } from '../memory/views.js';
import { xoshiroUniform } from '../rng.js';

function mapFwd(v: Views, loop: TwinFwd): ActFwd {
  return (xPtr, yPtr, rows, cols, alpha, beta) => loop(v.f32, xPtr >>> 2, yPtr >>> 2, rows * cols, v.scalar(alpha), v.scalar(beta), cols);
}

function mapBwd(v: Views, loop: TwinBwd): ActBwd {
  return (xPtr, yPtr, dyPtr, dxPtr, rows, cols, alpha, beta) =>
    loop(v.f32, xPtr >>> 2, yPtr >>> 2, dyPtr >>> 2, dxPtr >>> 2, rows * cols, v.scalar(alpha), v.scalar(beta), cols);
}

export function makeActivationRef(v: Views): ActivationAbi {
  const k: Record<string, unknown> = {};
  for (const [name, twin] of ACTIVATION_TWINS) {
    k[`f32_${name}_fwd`] = mapFwd(v, twin.fwd);
    k[`f32_${name}_bwd`] = mapBwd(v, twin.bwd);
  }
  const rest: Pick<ActivationAbi, 'f32_prelu_fwd' | 'f32_prelu_bwd' | 'f32_rrelu_fwd_train' | 'f32_rrelu_bwd' | 'f32_softmax_fwd' | 'f32_log_softmax_fwd'> = {
    f32_prelu_fwd(xPtr, slopePtr, yPtr, rows, cols) {
      const m = v.f32;
      const x = xPtr >>> 2, s = slopePtr >>> 2, y = yPtr >>> 2;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) {
          const xi = m[x + r * cols + j]!;
          m[y + r * cols + j] = xi >= 0 ? xi : m[s + j]! * xi;
        }
      }
    },
    f32_prelu_bwd(xPtr, slopePtr, dyPtr, dxPtr, dslopePtr, rows, cols) {
      const m = v.f32;
      const x = xPtr >>> 2, s = slopePtr >>> 2, dy = dyPtr >>> 2, dx = dxPtr >>> 2, ds = dslopePtr >>> 2;
      for (let j = 0; j < cols; j++) {
        let acc = 0;
        for (let r = 0; r < rows; r++) {
          const i = r * cols + j;
          const xi = m[x + i]!, g = m[dy + i]!;
          if (xi < 0) { acc += g * xi; m[dx + i] = g * m[s + j]!; } else m[dx + i] = g;
        }
        m[ds + j] = acc;
      }
    },
    f32_rrelu_fwd_train(xPtr, yPtr, slopeOutPtr, n, lower, upper, rngPtr) {
      const m = v.f32;
      const u32 = v.u32;
      const st = rngPtr >>> 2;
      const lo = Math.fround(lower);
      const span = Math.fround(Math.fround(upper) - lo);
      const x = xPtr >>> 2, y = yPtr >>> 2, so = slopeOutPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const slope = Math.fround(lo + Math.fround(span * xoshiroUniform(u32, st)));
        const xi = m[x + i]!;
        m[so + i] = slope;
        m[y + i] = xi >= 0 ? xi : slope * xi;
      }
    },
    f32_rrelu_bwd(xPtr, slopePtr, dyPtr, dxPtr, n) {
      const m = v.f32;
      const x = xPtr >>> 2, s = slopePtr >>> 2, dy = dyPtr >>> 2, dx = dxPtr >>> 2;
      for (let i = 0; i < n; i++) m[dx + i] = m[x + i]! >= 0 ? m[dy + i]! : m[dy + i]! * m[s + i]!;
    },
    f32_softmax_fwd(zPtr, pPtr, rows, n) {
      const m = v.f32;
      for (let r = 0; r < rows; r++) {
        const z = (zPtr >>> 2) + r * n, p = (pPtr >>> 2) + r * n;
        let mx = -Infinity;
        for (let j = 0; j < n; j++) mx = Math.max(mx, m[z + j]!);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(m[z + j]! - mx);
        for (let j = 0; j < n; j++) m[p + j] = Math.exp(m[z + j]! - mx) / sum;
      }
    },
    f32_log_softmax_fwd(zPtr, outPtr, rows, n) {
      const m = v.f32;
      for (let r = 0; r < rows; r++) {
        const z = (zPtr >>> 2) + r * n, o = (outPtr >>> 2) + r * n;
        let mx = -Infinity;
        for (let j = 0; j < n; j++) mx = Math.max(mx, m[z + j]!);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(m[z + j]! - mx);
        const lg = Math.log(sum);
        for (let j = 0; j < n; j++) m[o + j] = m[z + j]! - mx - lg;
      }
    },
  };
  return { ...(k as ActivationAbi), ...rest };
}
