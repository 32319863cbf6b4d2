// Pure-TS twin of assembly/loss: fused, stable losses from logits, accumulated in f64.
import type { LossAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

export function makeLossRef(v: Views): LossAbi {
  const k: Pick<LossAbi, 'f32_softmax_xent' | 'f32_sigmoid_bce' | 'f32_mse'> = {
    f32_softmax_xent(zPtr, yPtr, outPtr, gradPtr, m, n) {
      if (m <= 0) return 0;
      const f = v.f32;
      let total = 0;
      for (let i = 0; i < m; i++) {
        const z = (zPtr >>> 2) + i * n, y = (yPtr >>> 2) + i * n;
        let mx = -Infinity;
        for (let j = 0; j < n; j++) mx = Math.max(mx, f[z + j]!);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(f[z + j]! - mx);
        const logSum = Math.log(sum);
        for (let j = 0; j < n; j++) total += f[y + j]! * (mx - f[z + j]! + logSum);
        for (let j = 0; j < n; j++) {
          const p = Math.exp(f[z + j]! - mx) / sum;
          const yj = f[y + j]!;
          if (gradPtr) f[(gradPtr >>> 2) + i * n + j] = (p - yj) / m;
          if (outPtr) f[(outPtr >>> 2) + i * n + j] = p;
        }
      }
      return total / m;
    },
    f32_sigmoid_bce(zPtr, yPtr, outPtr, gradPtr, m, n) {
      if (m <= 0) return 0;
      const f = v.f32;
      const z = zPtr >>> 2, y = yPtr >>> 2, count = m * n;
      let total = 0;
      for (let i = 0; i < count; i++) {
        const zi = f[z + i]!, yi = f[y + i]!;
        const e = Math.exp(-Math.abs(zi));
        total += Math.max(zi, 0) - zi * yi + Math.log1p(e);
        const s = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
        if (outPtr) f[(outPtr >>> 2) + i] = s;
        if (gradPtr) f[(gradPtr >>> 2) + i] = (s - yi) / m;
      }
      return total / m;
    },
    f32_mse(zPtr, yPtr, outPtr, gradPtr, m, n) {
      if (m <= 0) return 0;
      const f = v.f32;
      const z = zPtr >>> 2, y = yPtr >>> 2, count = m * n;
      let total = 0;
      for (let i = 0; i < count; i++) {
        const zi = f[z + i]!;
        const d = zi - f[y + i]!;
        total += d * d;
        if (outPtr) f[(outPtr >>> 2) + i] = zi;
        if (gradPtr) f[(gradPtr >>> 2) + i] = (2 * d) / m;
      }
      return total / m;
    },
  };
  // Row by row: loss_i and its gradient from the unweighted twin on one row (÷ 1), then × w_i / m.
  type Loss = (zPtr: number, yPtr: number, outPtr: number, gradPtr: number, m: number, n: number) => number;
  const weighted = (f: Loss, zPtr: number, yPtr: number, wPtr: number, outPtr: number, gradPtr: number, m: number, n: number): number => {
    if (m <= 0) return 0;
    let total = 0;
    for (let i = 0; i < m; i++) {
      const off = i * n * 4;
      const w = v.f32[(wPtr >>> 2) + i]!;
      total += w * f(zPtr + off, yPtr + off, outPtr ? outPtr + off : 0, gradPtr ? gradPtr + off : 0, 1, n);
      if (gradPtr) for (let j = 0; j < n; j++) v.f32[((gradPtr + off) >>> 2) + j] = v.f32[((gradPtr + off) >>> 2) + j]! * v.scalar(w / m);
    }
    return total / m;
  };
  return {
    ...k,
    f32_softmax_xent_to(zPtr, yPtr, outPtr, gradPtr, m, n, lossPtr) { v.f64[lossPtr >>> 3] = k.f32_softmax_xent(zPtr, yPtr, outPtr, gradPtr, m, n); },
    f32_sigmoid_bce_to(zPtr, yPtr, outPtr, gradPtr, m, n, lossPtr) { v.f64[lossPtr >>> 3] = k.f32_sigmoid_bce(zPtr, yPtr, outPtr, gradPtr, m, n); },
    f32_mse_to(zPtr, yPtr, outPtr, gradPtr, m, n, lossPtr) { v.f64[lossPtr >>> 3] = k.f32_mse(zPtr, yPtr, outPtr, gradPtr, m, n); },
    f32_softmax_xent_w_to(zPtr, yPtr, wPtr, outPtr, gradPtr, m, n, lossPtr) { v.f64[lossPtr >>> 3] = weighted(k.f32_softmax_xent, zPtr, yPtr, wPtr, outPtr, gradPtr, m, n); },
    f32_sigmoid_bce_w_to(zPtr, yPtr, wPtr, outPtr, gradPtr, m, n, lossPtr) { v.f64[lossPtr >>> 3] = weighted(k.f32_sigmoid_bce, zPtr, yPtr, wPtr, outPtr, gradPtr, m, n); },
    f32_mse_w_to(zPtr, yPtr, wPtr, outPtr, gradPtr, m, n, lossPtr) { v.f64[lossPtr >>> 3] = weighted(k.f32_mse, zPtr, yPtr, wPtr, outPtr, gradPtr, m, n); },
  };
}
