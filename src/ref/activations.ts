// Pure-TS twin of assembly/eltwise/activations*.ts, in f64 with Math.* (results are rounded to f32
// on store; they agree with the SIMD kernels within the tolerances stated in the tests, not bit
// for bit). gelu uses the same erfc formula as the kernel (Numerical Recipes' Chebyshev fit).
import { ACTIVATION_KERNELS, type ActBwd, type ActFwd, type ActivationAbi, type ActivationKernel } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';
import { xoshiroUniform } from '../rng.js';

type Scalar = (x: number, a: number, b: number) => number;
type ScalarBwd = (x: number, y: number, a: number, b: number) => number;

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

const FWD: Record<ActivationKernel, Scalar> = {
  identity: (x) => x,
  step: (x) => (x >= 0 ? 1 : 0),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => Math.tanh(x),
  arctan: (x) => Math.atan(x),
  relu: (x) => (x >= 0 ? x : 0),
  leaky_relu: (x, a) => (x >= 0 ? x : a * x),
  elu: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
  softsign: (x) => x / (1 + Math.abs(x)),
  softplus: (x, _a, b) => (Math.max(b * x, 0) + Math.log1p(Math.exp(-Math.abs(b * x)))) / b,
  isru: (x, a) => x * rsq(x, a),
  isrlu: (x, a) => (x >= 0 ? x : x * rsq(x, a)),
  sqnl: (x) => (x > 2 ? 1 : x < -2 ? -1 : x - (x * Math.abs(x)) / 4),
  bipolar_relu: (x) => x, // per column, see below
  gelu: (x) => x * phi(x),
  silu: (x) => x * sigmoid(x),
};

const BWD: Record<ActivationKernel, ScalarBwd> = {
  identity: () => 1,
  step: () => 0,
  sigmoid: (_x, y) => y * (1 - y),
  tanh: (_x, y) => 1 - y * y,
  arctan: (x) => 1 / (1 + x * x),
  relu: (x) => (x >= 0 ? 1 : 0),
  leaky_relu: (x, _y, a) => (x >= 0 ? 1 : a),
  elu: (x, _y, a) => (x > 0 ? 1 : a * Math.exp(x)),
  softsign: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
  softplus: (x, _y, _a, b) => sigmoid(b * x),
  isru: (x, _y, a) => rsq(x, a) ** 3,
  isrlu: (x, _y, a) => (x >= 0 ? 1 : rsq(x, a) ** 3),
  sqnl: (x) => (Math.abs(x) <= 2 ? 1 - Math.abs(x) / 2 : 0),
  bipolar_relu: () => 1, // per column, see below
  gelu: (x) => phi(x) + x * Math.exp(-0.5 * x * x) * 0.3989422804014327,
  silu: (x) => {
    const s = sigmoid(x);
    return s * (1 + x * (1 - s));
  },
};

function mapFwd(v: Views, f: Scalar): ActFwd {
  return (xPtr, yPtr, rows, cols, alpha, beta) => {
    const a = Math.fround(alpha), b = Math.fround(beta);
    const m = v.f32;
    const x = xPtr >>> 2, y = yPtr >>> 2, n = rows * cols;
    for (let i = 0; i < n; i++) m[y + i] = f(m[x + i]!, a, b);
  };
}

function mapBwd(v: Views, d: ScalarBwd): ActBwd {
  return (xPtr, yPtr, dyPtr, dxPtr, rows, cols, alpha, beta) => {
    const a = Math.fround(alpha), b = Math.fround(beta);
    const m = v.f32;
    const x = xPtr >>> 2, y = yPtr >>> 2, dy = dyPtr >>> 2, dx = dxPtr >>> 2, n = rows * cols;
    for (let i = 0; i < n; i++) {
      const g = d(m[x + i]!, m[y + i]!, a, b);
      m[dx + i] = g === 0 ? 0 : m[dy + i]! * g;
    }
  };
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
