// Each simdnet activation as ONNX operators with the same arithmetic (float32). One ONNX
// operator where ONNX has it; the others as the primitive operators of simdnet's formula
// (src/ref/activations.ts): step, ISRU, ISRLU, SQNL, bipolar ReLU, GELU below opset 20, SiLU,
// softplus with β ≠ 1. RReLU at inference is a leaky ReLU with the mean slope (α + β)/2, as
// simdnet computes it. The importer (onnx-import-ops.ts) recognizes each of these forms.

import type { ActivationName } from '../nn/activations.js';
import type { DenseSpec } from '../nn/layers.js';
import { DT } from './onnx-proto.js';
import { f, i, type GraphBuilder } from './onnx-builder.js';

/**
 * ONNX operators that are one activation with no attributes, read by the importer
 * (onnx-import-ops.ts) next to the emitters below, so an activation's ONNX forms are in one file.
 * A Map: op types come from the file, and 'constructor' is not one.
 */
export const ONNX_SINGLE_OP: ReadonlyMap<string, ActivationName> = new Map(Object.entries({
  Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softplus: 'softplus', Softsign: 'softsign', Atan: 'arctan', Exp: 'exp', Mish: 'mish',
} as const));

type Emit = (b: GraphBuilder, x: string, spec: DenseSpec, units: number, slope?: Float32Array) => string;

/** ISRU x / √(1 + αx²). */
function isru(b: GraphBuilder, x: string, alpha: number): string {
  const ax2 = b.op('Mul', [b.op('Mul', [x, x]), b.scalar(Math.fround(alpha))]);
  return b.op('Div', [x, b.op('Sqrt', [b.op('Add', [ax2, b.scalar(1)])])]);
}

const EMIT: Record<ActivationName, Emit> = {
  identity: (_b, x) => x,
  linear: (_b, x) => x,
  step: (b, x) => b.cast(b.op('GreaterOrEqual', [x, b.scalar(0)]), DT.FLOAT),
  sigmoid: (b, x) => b.op('Sigmoid', [x]),
  tanh: (b, x) => b.op('Tanh', [x]),
  arctan: (b, x) => b.op('Atan', [x]),
  relu: (b, x) => b.op('Relu', [x]),
  leakyRelu: (b, x, s) => b.op('LeakyRelu', [x], { alpha: f(s.alpha) }),
  prelu: (b, x, _s, units, slope) => b.op('PRelu', [x, b.floats('prelu_slope', [units], slope!)]),
  rrelu: (b, x, s) => b.op('LeakyRelu', [x], { alpha: f((s.alpha + s.beta) / 2) }),
  elu: (b, x, s) => b.op('Elu', [x], { alpha: f(s.alpha) }),
  softsign: (b, x) => b.op('Softsign', [x]),
  softplus: (b, x, s) => {
    const beta = Math.fround(s.beta);
    if (beta === 1) return b.op('Softplus', [x]);
    return b.op('Div', [b.op('Softplus', [b.op('Mul', [x, b.scalar(beta)])]), b.scalar(beta)]);
  },
  isru: (b, x, s) => isru(b, x, s.alpha),
  isrlu: (b, x, s) => b.op('Where', [b.op('GreaterOrEqual', [x, b.scalar(0)]), x, isru(b, x, s.alpha)]),
  sqnl: (b, x) => {
    const c = b.op('Clip', [x, b.scalar(-2), b.scalar(2)]);
    return b.op('Sub', [c, b.op('Mul', [b.op('Mul', [c, b.op('Abs', [c])]), b.scalar(0.25)])]);
  },
  bipolarRelu: (b, x, _s, units) => {
    const sign = b.floats('bipolar_sign', [units], Array.from({ length: units }, (_, j) => (j % 2 === 0 ? 1 : -1)));
    return b.op('Mul', [b.op('Relu', [b.op('Mul', [x, sign])]), sign]);
  },
  gelu: (b, x) => {
    if (b.opset >= 20) return b.op('Gelu', [x]);
    // torch.onnx's form: x · (erf(x / √2) + 1) · 0.5
    const erf = b.op('Erf', [b.op('Div', [x, b.scalar(Math.SQRT2)])]);
    return b.op('Mul', [b.op('Mul', [x, b.op('Add', [erf, b.scalar(1)])]), b.scalar(0.5)]);
  },
  silu: (b, x) => b.op('Mul', [x, b.op('Sigmoid', [x])]),
  mish: (b, x) => (b.opset >= 18 ? b.op('Mish', [x]) : b.op('Mul', [x, b.op('Tanh', [b.op('Softplus', [x])])])),
  exp: (b, x) => b.op('Exp', [x]),
  softmax: (b, x) => b.op('Softmax', [x], { axis: i(-1) }),
  logSoftmax: (b, x) => b.op('LogSoftmax', [x], { axis: i(-1) }),
};

/** Emits the activation of a dense layer on x; returns the output name. */
export function emitActivation(b: GraphBuilder, x: string, spec: DenseSpec, units: number, slope?: Float32Array): string {
  return EMIT[spec.activation](b, x, spec, units, slope);
}
