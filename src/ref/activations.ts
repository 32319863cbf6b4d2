// Pure-TS twin of assembly/eltwise/activations*.ts, in f64 with Math.* (results are rounded to f32
// on store; they agree with the SIMD kernels within the tolerances stated in the tests, not bit
// for bit). gelu uses the same erfc formula as the kernel (Numerical Recipes' Chebyshev fit).
import { ACTIVATION_KERNELS, type ActBwd, type ActFwd, type ActivationAbi, type ActivationKernel } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';
import { xoshiroUniform } from '../rng.js';

/** A whole-array loop: m is the f32 heap; x, y (and dy, dx) float indices; n elements. Each
 *  activation has its own loop (not one loop calling a per-element function): a shared loop's call
 *  site sees every activation, is not inlined, and then boxes a number per element. */
type LoopFwd = (m: Float32Array, x: number, y: number, n: number, a: number, b: number) => void;
/** dx = dy·f'(x) (0 where f' is 0, so 0·∞ never makes NaN), given x and y = f(x). */
type LoopBwd = (m: Float32Array, x: number, y: number, dy: number, dx: number, n: number, a: number, b: number) => void;

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** erfc(z) for z ≥ 0, fractional error < 1.2e-7. */
export function erfcPos(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  const p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(p - z * z);
}

/** Standard normal CDF. */
export function phi(x: number): number {
  const half = 0.5 * erfcPos(Math.abs(x) * Math.SQRT1_2);
  return x < 0 ? half : 1 - half;
}

const rsq = (x: number, a: number): number => 1 / Math.sqrt(1 + a * x * x);

const FWD: Record<ActivationKernel, LoopFwd> = {
  identity: (m, x, y, n) => { m.copyWithin(y, x, x + n); },
  step: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = m[x + i]! >= 0 ? 1 : 0; },
  sigmoid: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = sigmoid(m[x + i]!); },
  tanh: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = Math.tanh(m[x + i]!); },
  arctan: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = Math.atan(m[x + i]!); },
  relu: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v >= 0 ? v : 0; } },
  leaky_relu: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v >= 0 ? v : a * v; } },
  elu: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v > 0 ? v : a * Math.expm1(v); } },
  softsign: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v / (1 + Math.abs(v)); } },
  softplus: (m, x, y, n, _a, b) => {
    for (let i = 0; i < n; i++) { const v = b * m[x + i]!; m[y + i] = (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))) / b; }
  },
  isru: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v * rsq(v, a); } },
  isrlu: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v >= 0 ? v : v * rsq(v, a); } },
  sqnl: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v > 2 ? 1 : v < -2 ? -1 : v - (v * Math.abs(v)) / 4; } },
  bipolar_relu: (m, x, y, n) => { m.copyWithin(y, x, x + n); }, // per column: replaced below
  gelu: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v * phi(v); } },
  silu: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v * sigmoid(v); } },
};

/** Stores dy·g, or 0 where the derivative g is 0 (as the SIMD kernels do). */
const BWD: Record<ActivationKernel, LoopBwd> = {
  identity: (m, _x, _y, dy, dx, n) => { m.copyWithin(dx, dy, dy + n); },
  step: (m, _x, _y, _dy, dx, n) => { m.fill(0, dx, dx + n); },
  sigmoid: (m, _x, y, dy, dx, n) => { for (let i = 0; i < n; i++) { const s = m[y + i]!; const g = s * (1 - s); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; } },
  tanh: (m, _x, y, dy, dx, n) => { for (let i = 0; i < n; i++) { const t = m[y + i]!; const g = 1 - t * t; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; } },
  arctan: (m, x, _y, dy, dx, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[dx + i] = m[dy + i]! / (1 + v * v); } },
  relu: (m, x, _y, dy, dx, n) => { for (let i = 0; i < n; i++) m[dx + i] = m[x + i]! >= 0 ? m[dy + i]! : 0; },
  leaky_relu: (m, x, _y, dy, dx, n, a) => {
    for (let i = 0; i < n; i++) { const g = m[x + i]! >= 0 ? 1 : a; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
  elu: (m, x, _y, dy, dx, n, a) => {
    for (let i = 0; i < n; i++) { const v = m[x + i]!; const g = v > 0 ? 1 : a * Math.exp(v); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
  softsign: (m, x, _y, dy, dx, n) => { for (let i = 0; i < n; i++) { const d = 1 + Math.abs(m[x + i]!); m[dx + i] = m[dy + i]! / (d * d); } },
  softplus: (m, x, _y, dy, dx, n, _a, b) => {
    for (let i = 0; i < n; i++) { const g = sigmoid(b * m[x + i]!); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
  isru: (m, x, _y, dy, dx, n, a) => {
    for (let i = 0; i < n; i++) { const r = rsq(m[x + i]!, a); const g = r * r * r; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
  isrlu: (m, x, _y, dy, dx, n, a) => {
    for (let i = 0; i < n; i++) { const v = m[x + i]!; const r = rsq(v, a); const g = v >= 0 ? 1 : r * r * r; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
  sqnl: (m, x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) { const v = Math.abs(m[x + i]!); const g = v <= 2 ? 1 - v / 2 : 0; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
  bipolar_relu: (m, _x, _y, dy, dx, n) => { m.copyWithin(dx, dy, dy + n); }, // per column: replaced below
  gelu: (m, x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) { const v = m[x + i]!; const g = phi(v) + v * Math.exp(-0.5 * v * v) * 0.3989422804014327; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
  silu: (m, x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) { const v = m[x + i]!; const s = sigmoid(v); const g = s * (1 + v * (1 - s)); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
  },
};

function mapFwd(v: Views, loop: LoopFwd): ActFwd {
  return (xPtr, yPtr, rows, cols, alpha, beta) => loop(v.f32, xPtr >>> 2, yPtr >>> 2, rows * cols, Math.fround(alpha), Math.fround(beta));
}

function mapBwd(v: Views, loop: LoopBwd): ActBwd {
  return (xPtr, yPtr, dyPtr, dxPtr, rows, cols, alpha, beta) =>
    loop(v.f32, xPtr >>> 2, yPtr >>> 2, dyPtr >>> 2, dxPtr >>> 2, rows * cols, Math.fround(alpha), Math.fround(beta));
}

export function makeActivationRef(v: Views): ActivationAbi {
  const k: Record<string, unknown> = {};
  for (const name of ACTIVATION_KERNELS) {
    k[`f32_${name}_fwd`] = mapFwd(v, FWD[name]);
    k[`f32_${name}_bwd`] = mapBwd(v, BWD[name]);
  }
  k.f32_identity_bwd = ((_x, _y, dyPtr, dxPtr, rows, cols) => {
    v.f32.copyWithin(dxPtr >>> 2, dyPtr >>> 2, (dyPtr >>> 2) + rows * cols);
  }) satisfies ActBwd;
  k.f32_bipolar_relu_fwd = ((xPtr, yPtr, rows, cols) => {
    const m = v.f32;
    const x = xPtr >>> 2, y = yPtr >>> 2;
    for (let i = 0; i < rows * cols; i++) {
      const xi = m[x + i]!;
      m[y + i] = (i % cols) % 2 === 0 ? (xi >= 0 ? xi : 0) : (xi <= 0 ? xi : 0);
    }
  }) satisfies ActFwd;
  k.f32_bipolar_relu_bwd = ((xPtr, _yPtr, dyPtr, dxPtr, rows, cols) => {
    const m = v.f32;
    const x = xPtr >>> 2, dy = dyPtr >>> 2, dx = dxPtr >>> 2;
    for (let i = 0; i < rows * cols; i++) {
      const xi = m[x + i]!;
      const pass = (i % cols) % 2 === 0 ? xi >= 0 : xi <= 0;
      m[dx + i] = pass ? m[dy + i]! : 0;
    }
  }) satisfies ActBwd;
  const rest: Pick<ActivationAbi, 'f32_prelu_fwd' | 'f32_prelu_bwd' | 'f32_rrelu_fwd_train' | 'f32_rrelu_bwd' | 'f32_softmax_fwd'> = {
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
  };
  return { ...(k as ActivationAbi), ...rest };
}
