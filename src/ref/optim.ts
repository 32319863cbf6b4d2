// Pure-TS twin of assembly/optim (f64 arithmetic per element, stored as f32).
import type { OptimAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

export function makeOptimRef(v: Views): OptimAbi {
  return {
    f32_sgd_step(pPtr, gPtr, n, lr) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2;
      for (let i = 0; i < n; i++) f[p + i] = f[p + i]! - lr * f[g + i]!;
    },
    f32_momentum_step(pPtr, gPtr, vPtr, n, lr, mu) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2, s = vPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const vi = Math.fround(mu * f[s + i]! + f[g + i]!);
        f[s + i] = vi;
        f[p + i] = f[p + i]! - lr * vi;
      }
    },
    f32_nesterov_step(pPtr, gPtr, vPtr, n, lr, mu) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2, s = vPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const gi = f[g + i]!;
        const vi = Math.fround(mu * f[s + i]! + gi);
        f[s + i] = vi;
        f[p + i] = f[p + i]! - lr * (gi + mu * vi);
      }
    },
    f32_adam_step(pPtr, gPtr, mPtr, vPtr, n, lr, b1, b2, eps, c1, c2, wd) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2, mo = mPtr >>> 2, vo = vPtr >>> 2;
      const decay = 1 - lr * wd;
      for (let i = 0; i < n; i++) {
        const gi = f[g + i]!;
        const mi = Math.fround(b1 * f[mo + i]! + (1 - b1) * gi);
        const vi = Math.fround(b2 * f[vo + i]! + (1 - b2) * gi * gi);
        f[mo + i] = mi;
        f[vo + i] = vi;
        const pi = wd !== 0 ? f[p + i]! * decay : f[p + i]!;
        f[p + i] = pi - (lr * mi * c1) / (Math.sqrt(vi * c2) + eps);
      }
    },
    f32_rmsprop_step(pPtr, gPtr, vPtr, n, lr, rho, eps) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2, s = vPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const gi = f[g + i]!;
        const vi = Math.fround(rho * f[s + i]! + (1 - rho) * gi * gi);
        f[s + i] = vi;
        f[p + i] = f[p + i]! - (lr * gi) / (Math.sqrt(vi) + eps);
      }
    },
    f32_adagrad_step(pPtr, gPtr, sPtr, n, lr, eps) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2, s = sPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const gi = f[g + i]!;
        const si = Math.fround(f[s + i]! + gi * gi);
        f[s + i] = si;
        f[p + i] = f[p + i]! - (lr * gi) / (Math.sqrt(si) + eps);
      }
    },
    f32_nadam_step(pPtr, gPtr, mPtr, vPtr, n, lr, b1, b2, eps, cg, cm, c2) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2, mo = mPtr >>> 2, vo = vPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const gi = f[g + i]!;
        const mi = Math.fround(b1 * f[mo + i]! + (1 - b1) * gi);
        const vi = Math.fround(b2 * f[vo + i]! + (1 - b2) * gi * gi);
        f[mo + i] = mi;
        f[vo + i] = vi;
        f[p + i] = f[p + i]! - (lr * (cg * gi + cm * mi)) / (Math.sqrt(vi * c2) + eps);
      }
    },
    f32_amsgrad_step(pPtr, gPtr, mPtr, vPtr, vmaxPtr, n, lr, b1, b2, eps, c1, c2) {
      const f = v.f32;
      const p = pPtr >>> 2, g = gPtr >>> 2, mo = mPtr >>> 2, vo = vPtr >>> 2, xo = vmaxPtr >>> 2;
      for (let i = 0; i < n; i++) {
        const gi = f[g + i]!;
        const mi = Math.fround(b1 * f[mo + i]! + (1 - b1) * gi);
        const vi = Math.fround(b2 * f[vo + i]! + (1 - b2) * gi * gi);
        const xi = Math.max(f[xo + i]!, vi);
        f[mo + i] = mi;
        f[vo + i] = vi;
        f[xo + i] = xi;
        f[p + i] = f[p + i]! - (lr * mi * c1) / (Math.sqrt(xi * c2) + eps);
      }
    },
  };
}
