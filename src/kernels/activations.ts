// The activation table: one record per activation name of the public API, holding everything
// simdnet knows about it — how a dense layer runs it (`form`), its parameters and their defaults,
// the initializer it prefers, whether backpropagation can train through it, and, for the
// element-wise ones, the kernel (f32_<kernel>_fwd / _bwd in assembly/eltwise/) with its pure-TS
// twin, forward and backward side by side. Every list derives from here: ACTIVATIONS, the ABI's
// kernel list, the twins in src/ref/, the thread splits, the CLI's choices, the demo page's options
// and the test lists. Adding an element-wise activation is its kernel, one record here, and its
// float64 oracle in the tests.
//
// The twins compute in f64 with Math.* (rounded to f32 on store); they agree with the SIMD kernels
// within the tolerances the kernel tests state, not bit for bit. Each has its own loop rather than
// one loop calling a per-element function: a shared loop's call site sees every activation, is
// not inlined, and then boxes a number per element.

import { phi, rsq, sigmoid } from '../ref/math.js';

const F32_MAX = 3.4028234663852886e38;

/** y[i] = f(x[i]) for i < n: m is the f32 heap, x and y float indices; cols is the row length (bipolarRelu's unit index is i % cols). */
export type TwinFwd = (m: Float32Array, x: number, y: number, n: number, a: number, b: number, cols: number) => void;
/** dx = dy·f'(x) (0 where f' is 0, so 0·∞ never makes NaN), given x and y = f(x). */
export type TwinBwd = (m: Float32Array, x: number, y: number, dy: number, dx: number, n: number, a: number, b: number, cols: number) => void;

/** One parameter of an activation (dense()'s `alpha` or `beta`). */
export interface ActivationParam {
  default: number;
  /** What it means for this activation. */
  doc: string;
}

/**
 * How a dense layer runs an activation:
 * - 'pointwise': the element-wise kernel f32_<kernel>_fwd / _bwd;
 * - 'identity': A is Z itself (no kernel call; dZ = dA);
 * - 'prelu': a learned slope per unit (a `slope` tensor among the layer's parameters);
 * - 'rrelu': random slopes drawn from the layer's rng in training, their mean at inference;
 * - 'softmax': row-wise, output layers only, trained fused with categorical cross-entropy;
 * - 'logSoftmax': row-wise log softmax (f32_log_softmax_fwd), output layers only, trained fused with the
 *   negative log-likelihood (the same J and ∂J/∂z = p − y as softmax + cross-entropy, from the logits).
 */
export type ActivationForm = 'pointwise' | 'identity' | 'prelu' | 'rrelu' | 'softmax' | 'logSoftmax';

interface Common {
  readonly alpha?: ActivationParam;
  readonly beta?: ActivationParam;
  /** The initializer dense() picks when none is given. */
  readonly init: 'he' | 'xavier';
  /** False when the derivative is zero almost everywhere (step): backpropagation cannot train through it. */
  readonly trainable: boolean;
  /** False for output-only activations (softmax). */
  readonly hidden: boolean;
  /** Draws random numbers in training (rrelu), so two passes differ. */
  readonly stochastic?: boolean;
  /** An inference forward may fuse it into the GEMM (the GEMM_RELU flag). */
  readonly fusesIntoGemm?: boolean;
  /** Checks (alpha, beta) beyond finiteness: which one is wrong and why, or undefined. */
  readonly check?: (alpha: number, beta: number) => { arg: 'alpha' | 'beta'; message: string } | undefined;
}

/** An activation computed by an element-wise kernel f32_<kernel>_fwd / _bwd, with its pure-TS twin. */
export interface ElementwiseActivation extends Common {
  readonly form: 'pointwise' | 'identity';
  readonly kernel: string;
  readonly twin: { readonly fwd: TwinFwd; readonly bwd: TwinBwd };
}

/** An activation with kernels of its own signature (abi.ts ActivationAbi). */
export interface SpecialActivation extends Common {
  readonly form: 'prelu' | 'rrelu' | 'softmax' | 'logSoftmax';
}

export type ActivationRecord = ElementwiseActivation | SpecialActivation;

const IDENTITY = {
  form: 'identity', kernel: 'identity', init: 'xavier', trainable: true, hidden: true,
  twin: {
    fwd: (m, x, y, n) => { m.copyWithin(y, x, x + n); },
    bwd: (m, _x, _y, dy, dx, n) => { m.copyWithin(dx, dy, dy + n); },
  },
} as const satisfies ActivationRecord;

/** The table. Order is the order of ACTIVATIONS and of the ABI's activation kernels. */
export const ACTIVATION_TABLE = {
  identity: IDENTITY,
  /** Another name for identity. */
  linear: IDENTITY,
  step: {
    form: 'pointwise', kernel: 'step', init: 'xavier', trainable: false, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = m[x + i]! >= 0 ? 1 : 0; },
      bwd: (m, _x, _y, _dy, dx, n) => { m.fill(0, dx, dx + n); },
    },
  },
  sigmoid: {
    form: 'pointwise', kernel: 'sigmoid', init: 'xavier', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = sigmoid(m[x + i]!); },
      bwd: (m, _x, y, dy, dx, n) => { for (let i = 0; i < n; i++) { const s = m[y + i]!; const g = s * (1 - s); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; } },
    },
  },
  tanh: {
    form: 'pointwise', kernel: 'tanh', init: 'xavier', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = Math.tanh(m[x + i]!); },
      bwd: (m, _x, y, dy, dx, n) => { for (let i = 0; i < n; i++) { const t = m[y + i]!; const g = 1 - t * t; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; } },
    },
  },
  arctan: {
    form: 'pointwise', kernel: 'arctan', init: 'xavier', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = Math.atan(m[x + i]!); },
      bwd: (m, x, _y, dy, dx, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[dx + i] = m[dy + i]! / (1 + v * v); } },
    },
  },
  relu: {
    form: 'pointwise', kernel: 'relu', init: 'he', trainable: true, hidden: true, fusesIntoGemm: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v >= 0 ? v : 0; } },
      bwd: (m, x, _y, dy, dx, n) => { for (let i = 0; i < n; i++) m[dx + i] = m[x + i]! >= 0 ? m[dy + i]! : 0; },
    },
  },
  leakyRelu: {
    form: 'pointwise', kernel: 'leaky_relu', init: 'he', trainable: true, hidden: true,
    alpha: { default: 0.01, doc: 'slope for x < 0' },
    twin: {
      fwd: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v >= 0 ? v : a * v; } },
      bwd: (m, x, _y, dy, dx, n, a) => {
        for (let i = 0; i < n; i++) { const g = m[x + i]! >= 0 ? 1 : a; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  prelu: {
    form: 'prelu', init: 'he', trainable: true, hidden: true,
    alpha: { default: 0.25, doc: 'initial slope for x < 0 (learned, one per unit)' },
  },
  rrelu: {
    form: 'rrelu', init: 'he', trainable: true, hidden: true, stochastic: true,
    alpha: { default: 1 / 8, doc: 'lower bound of the random slope' },
    beta: { default: 1 / 3, doc: 'upper bound of the random slope' },
    check: (alpha, beta) => (alpha >= 0 && alpha <= beta ? undefined
      : { arg: 'alpha', message: `rrelu needs 0 ≤ lower (alpha) ≤ upper (beta), got ${alpha} and ${beta}` }),
  },
  elu: {
    form: 'pointwise', kernel: 'elu', init: 'he', trainable: true, hidden: true,
    alpha: { default: 1, doc: 'α·(eˣ − 1) for x ≤ 0' },
    twin: {
      fwd: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v > 0 ? v : a * Math.expm1(v); } },
      bwd: (m, x, _y, dy, dx, n, a) => {
        for (let i = 0; i < n; i++) { const v = m[x + i]!; const g = v > 0 ? 1 : a * Math.exp(v); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  softsign: {
    form: 'pointwise', kernel: 'softsign', init: 'xavier', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v / (1 + Math.abs(v)); } },
      bwd: (m, x, _y, dy, dx, n) => { for (let i = 0; i < n; i++) { const d = 1 + Math.abs(m[x + i]!); m[dx + i] = m[dy + i]! / (d * d); } },
    },
  },
  softplus: {
    form: 'pointwise', kernel: 'softplus', init: 'xavier', trainable: true, hidden: true,
    beta: { default: 1, doc: 'sharpness: log(1 + e^{βx})/β' },
    check: (_alpha, beta) => (beta > 0 ? undefined : { arg: 'beta', message: `softplus β must be > 0, got ${beta}` }),
    twin: {
      fwd: (m, x, y, n, _a, b) => {
        for (let i = 0; i < n; i++) { const v = b * m[x + i]!; m[y + i] = (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))) / b; }
      },
      bwd: (m, x, _y, dy, dx, n, _a, b) => {
        for (let i = 0; i < n; i++) { const g = sigmoid(b * m[x + i]!); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  isru: {
    form: 'pointwise', kernel: 'isru', init: 'xavier', trainable: true, hidden: true,
    alpha: { default: 1, doc: 'x/√(1 + αx²)' },
    twin: {
      fwd: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v * rsq(v, a); } },
      bwd: (m, x, _y, dy, dx, n, a) => {
        for (let i = 0; i < n; i++) { const r = rsq(m[x + i]!, a); const g = r * r * r; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  isrlu: {
    form: 'pointwise', kernel: 'isrlu', init: 'he', trainable: true, hidden: true,
    alpha: { default: 1, doc: 'x/√(1 + αx²) for x < 0' },
    twin: {
      fwd: (m, x, y, n, a) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v >= 0 ? v : v * rsq(v, a); } },
      bwd: (m, x, _y, dy, dx, n, a) => {
        for (let i = 0; i < n; i++) { const v = m[x + i]!; const r = rsq(v, a); const g = v >= 0 ? 1 : r * r * r; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  sqnl: {
    form: 'pointwise', kernel: 'sqnl', init: 'xavier', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v > 2 ? 1 : v < -2 ? -1 : v - (v * Math.abs(v)) / 4; } },
      bwd: (m, x, _y, dy, dx, n) => {
        for (let i = 0; i < n; i++) { const v = Math.abs(m[x + i]!); const g = v <= 2 ? 1 - v / 2 : 0; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  bipolarRelu: {
    form: 'pointwise', kernel: 'bipolar_relu', init: 'he', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n, _a, _b, cols) => {
        for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = (i % cols) % 2 === 0 ? (v >= 0 ? v : 0) : (v <= 0 ? v : 0); }
      },
      bwd: (m, x, _y, dy, dx, n, _a, _b, cols) => {
        for (let i = 0; i < n; i++) { const v = m[x + i]!; m[dx + i] = ((i % cols) % 2 === 0 ? v >= 0 : v <= 0) ? m[dy + i]! : 0; }
      },
    },
  },
  gelu: {
    form: 'pointwise', kernel: 'gelu', init: 'he', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v * phi(v); } },
      bwd: (m, x, _y, dy, dx, n) => {
        for (let i = 0; i < n; i++) { const v = m[x + i]!; const g = phi(v) + v * Math.exp(-0.5 * v * v) * 0.3989422804014327; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  silu: {
    form: 'pointwise', kernel: 'silu', init: 'he', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v * sigmoid(v); } },
      bwd: (m, x, _y, dy, dx, n) => {
        for (let i = 0; i < n; i++) { const v = m[x + i]!; const s = sigmoid(v); const g = s * (1 + v * (1 - s)); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; }
      },
    },
  },
  mish: {
    // x·tanh(softplus(x)) (Misra 2019); ONNX Mish from opset 18.
    form: 'pointwise', kernel: 'mish', init: 'he', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) { const v = m[x + i]!; m[y + i] = v * Math.tanh(Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))); } },
      bwd: (m, x, _y, dy, dx, n) => {
        for (let i = 0; i < n; i++) {
          const v = m[x + i]!; const t = Math.tanh(Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
          const g = t + v * (1 - t * t) * sigmoid(v); m[dx + i] = g === 0 ? 0 : m[dy + i]! * g;
        }
      },
    },
  },
  exp: {
    // e^x (seed 003 §3 problem 2: ŷ = Σ α_j e^{z_j}), saturating at the largest float32 instead of Infinity.
    form: 'pointwise', kernel: 'exp', init: 'xavier', trainable: true, hidden: true,
    twin: {
      fwd: (m, x, y, n) => { for (let i = 0; i < n; i++) m[y + i] = Math.min(Math.exp(m[x + i]!), F32_MAX); },
      bwd: (m, _x, y, dy, dx, n) => { for (let i = 0; i < n; i++) { const g = m[y + i]!; m[dx + i] = g === 0 ? 0 : m[dy + i]! * g; } },
    },
  },
  softmax: { form: 'softmax', init: 'xavier', trainable: true, hidden: false },
  /** log softmax z − log Σ e^z (PyTorch's LogSoftmax + NLLLoss pairing): finite where log(softmax) would give −∞. */
  logSoftmax: { form: 'logSoftmax', init: 'xavier', trainable: true, hidden: false },
} as const satisfies Record<string, ActivationRecord>;

type Table = typeof ACTIVATION_TABLE;
type KernelOf<R> = R extends { kernel: infer K extends string } ? K : never;

/** An activation name of the public API (a key of the table). */
export type ActivationName = keyof Table;
/** An element-wise activation kernel: f32_<kernel>_fwd and f32_<kernel>_bwd exist in every binary and in src/ref. */
export type ActivationKernel = KernelOf<Table[ActivationName]>;

const RECORDS: readonly ActivationRecord[] = Object.values(ACTIVATION_TABLE);

/** The twin of every element-wise kernel, in table order (each kernel once). */
export const ACTIVATION_TWINS: ReadonlyMap<ActivationKernel, ElementwiseActivation['twin']> = new Map(
  RECORDS.flatMap((r) => (r.form === 'pointwise' || r.form === 'identity' ? [[r.kernel as ActivationKernel, r.twin] as const] : [])),
);

/** Every element-wise kernel once, in table order. */
export const ACTIVATION_KERNELS: readonly ActivationKernel[] = [...ACTIVATION_TWINS.keys()];
