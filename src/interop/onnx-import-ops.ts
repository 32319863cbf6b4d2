// One ONNX node on the main chain → NetBuilder calls. Returns the value the chain continues
// from. Operators with ONNX defaults: Gemm (alpha = beta = 1, transA = transB = 0), LeakyRelu
// (α = 0.01), Elu (α = 1), BatchNormalization (ε = 1e-5, momentum 0.9, which is simdnet's 0.1),
// Softmax (axis 1 below opset 13, −1 from 13), Flatten (axis 1).

import type { ActivationName } from '../nn/activations.js';
import { UnsupportedOnnxError } from './errors.js';
import { ONNX_SINGLE_OP } from './onnx-activations.js';
import { complement, type NetBuilder } from './netbuilder.js';
import { nodeLabel, scalarOf, type Constant, type GraphView } from './onnx-graph.js';
import { DT, type OnnxNode } from './onnx-proto.js';

const POST_TRANSFORMS: ReadonlyMap<string, ActivationName> = new Map([['NONE', 'identity'], ['LOGISTIC', 'sigmoid'], ['SOFTMAX', 'softmax']]);

function bad(n: OnnxNode, why: string): never {
  throw new UnsupportedOnnxError(nodeLabel(n), n.domain ? `${n.domain}.${n.opType}` : n.opType, why);
}

/** A constant broadcast over `size` features: a scalar, [size] or [1, size]. */
function perFeature(n: OnnxNode, c: Constant & { values: Float64Array }, size: number, what: string): Float64Array {
  const v = c.values;
  const lead = c.dims.slice(0, -1).every((d) => d === 1);
  if (v.length === 1) return new Float64Array(size).fill(v[0]!);
  if (v.length === size && lead) return v;
  return bad(n, `its ${what} has shape [${c.dims.join(', ')}], expected one value or ${size} (one per feature)`);
}

function transpose(B: Float64Array, rows: number, cols: number): Float64Array {
  const T = new Float64Array(B.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) T[c * rows + r] = B[r * cols + c]!;
  return T;
}

/** The other input of a binary node when it is a constant; the main value must be one of the two. */
function binaryConst(g: GraphView, n: OnnxNode, cur: string): { c: Constant & { values: Float64Array }; curFirst: boolean } {
  if (n.inputs.length !== 2) bad(n, `expected 2 inputs, got ${n.inputs.length}`);
  const curFirst = n.inputs[0] === cur;
  const c = g.numbers(n, curFirst ? 1 : 0, 'other operand');
  return { c, curFirst };
}

function dense(g: GraphView, n: OnnxNode, nb: NetBuilder): void {
  const gemm = n.opType === 'Gemm';
  if (gemm && g.attrInt(n, 'transA', 0) !== 0) bad(n, 'transA = 1 (the batch along columns) is not supported');
  const B = g.numbers(n, 1, 'weight matrix');
  if (B.dims.length !== 2) bad(n, `its weight matrix has shape [${B.dims.join(', ')}], expected 2-D`);
  const transB = gemm && g.attrInt(n, 'transB', 0) === 1;
  const [r, c] = B.dims as [number, number];
  const units = transB ? r : c;
  const inSize = transB ? c : r;
  if (nb.size && inSize !== nb.size) bad(n, `its weights take ${inSize} inputs, the value it gets has ${nb.size} features`);
  let W = transB ? Float64Array.from(B.values) : transpose(B.values, r, c);
  const alpha = gemm ? g.attrFloat(n, 'alpha', 1) : 1;
  if (alpha !== 1) W = W.map((w) => w * alpha);
  let b: Float64Array | undefined;
  if (gemm && n.inputs[2]) {
    const beta = g.attrFloat(n, 'beta', 1);
    const C = g.numbers(n, 2, 'bias');
    b = perFeature(n, C, units, 'bias').map((v) => v * beta);
  }
  nb.dense(W, b, units, nodeLabel(n));
}

function linearClassifier(g: GraphView, n: OnnxNode, nb: NetBuilder, st: ChainState): string {
  const coef = g.attrFloats(n, 'coefficients');
  const intercepts = g.attrFloats(n, 'intercepts');
  if (!coef || coef.length % (nb.size || 1) !== 0) bad(n, 'its coefficients are missing or do not match the number of features');
  const units = nb.size ? coef.length / nb.size : intercepts?.length ?? 0;
  if (units < 2) bad(n, 'a LinearClassifier with one coefficient row is not supported (skl2onnx writes two rows for binary models)');
  nb.dense(Float64Array.from(coef), Float64Array.from(intercepts ?? new Array(units).fill(0)), units, nodeLabel(n));
  const post = g.attrString(n, 'post_transform', 'NONE');
  const act = POST_TRANSFORMS.get(post);
  if (!act) bad(n, `post_transform ${post} is not supported (NONE, LOGISTIC, SOFTMAX are)`);
  nb.activation(act, {}, nodeLabel(n));
  const d = coef.length / units;
  const negated = units === 2 && coef.every((v, k) => k >= d || v === -coef[k + d]!) && (intercepts ?? [0, 0])[0] === -(intercepts ?? [0, 0])[1]!;
  st.classifier = { sumsToOne: post === 'SOFTMAX' || (post === 'LOGISTIC' && negated) };
  return n.outputs[1]!;
}

export interface ChainState {
  flattened: boolean;
  flatSize: number;
  /** The LinearClassifier seen on the chain (a Normalizer after it may be a no-op). */
  classifier?: { sumsToOne: boolean };
}

/** Applies node n (whose main input is `cur`); returns its output on the chain. */
export function applyNode(g: GraphView, n: OnnxNode, cur: string, nb: NetBuilder, st: ChainState): string {
  const label = nodeLabel(n);
  const out = n.outputs[0]!;
  if (n.domain === 'ai.onnx.ml') {
    switch (n.opType) {
      case 'LinearClassifier': return linearClassifier(g, n, nb, st);
      case 'Scaler': {
        const offset = g.attrFloats(n, 'offset') ?? [0];
        const scale = g.attrFloats(n, 'scale') ?? [1];
        if ((scale.length !== 1 && scale.length !== nb.size) || (offset.length !== 1 && offset.length !== nb.size)) bad(n, `offset and scale must have 1 or ${nb.size} values`);
        const s = Array.from({ length: nb.size }, (_, j) => scale.length === 1 ? scale[0]! : scale[j]!);
        const o = Array.from({ length: nb.size }, (_, j) => offset.length === 1 ? offset[0]! : offset[j]!);
        if (s.some((v) => v === undefined) || o.some((v) => v === undefined)) bad(n, `offset and scale must have 1 or ${nb.size} values`);
        nb.affine(s, s.map((v, j) => -o[j]! * v), label);
        return out;
      }
      case 'Normalizer': {
        const norm = g.attrString(n, 'norm', 'MAX');
        const sumsToOne = st.classifier?.sumsToOne === true;
        if (norm !== 'L1' || !sumsToOne) bad(n, `a ${norm} Normalizer changes the scores; only the L1 normalization of probabilities that already sum to 1 (softmax, or binary logistic) is a no-op simdnet can drop`);
        return out;
      }
      default: return bad(n, 'this ai.onnx.ml operator is not supported');
    }
  }
  if (n.domain !== '' && n.domain !== 'ai.onnx') bad(n, `the operator domain ${JSON.stringify(n.domain)} is not supported`);
  if (n.inputs[0] !== cur && !['Add', 'Mul'].includes(n.opType)) bad(n, `the network value ${JSON.stringify(cur)} is not its first input`);
  const simple = ONNX_SINGLE_OP.get(n.opType);
  if (simple) { nb.activation(simple, {}, label); return out; }
  switch (n.opType) {
    case 'Identity': return out;
    case 'Dropout': {
      const mode = n.inputs[2] ? scalarOf(g.constant(n.inputs[2])) : 0;
      if (mode !== 0 && mode !== undefined) bad(n, 'training_mode = true (dropout at inference) is not supported');
      if (n.inputs[2] && mode === undefined) bad(n, 'its training_mode is computed in the graph');
      return out;
    }
    case 'Cast': {
      const to = g.attrInt(n, 'to', 0);
      if (to !== DT.FLOAT && to !== DT.DOUBLE && to !== DT.FLOAT16) bad(n, `a cast to element type ${to} on the network path is not supported (simdnet computes in float32)`);
      return out;
    }
    case 'Flatten': case 'Reshape': {
      if (n.opType === 'Flatten' && g.attrInt(n, 'axis', 1) !== 1) bad(n, 'only Flatten with axis = 1 (keep the batch) is supported');
      if (n.opType === 'Reshape') {
        const shape = g.numbers(n, 1, 'shape');
        const want = st.flattened ? nb.size : st.flatSize;
        const v = Array.from(shape.values);
        const ok = v.length === 2 && (v[0] === -1 || v[0] === 0 || v[0]! > 0) && (v[1] === want || (v[1] === -1 && v[0]! <= 0 && want > 0));
        if (!ok) bad(n, `reshapes to [${v.join(', ')}]; simdnet keeps [batch, ${want}]`);
      }
      if (!st.flattened) {
        if (!st.flatSize) bad(n, 'the input shape is not fully known, so the flattened width is not either');
        st.flattened = true;
        nb.size = nb.inputSize = st.flatSize;
      }
      return out;
    }
    case 'Gemm': case 'MatMul': dense(g, n, nb); return out;
    case 'Add': case 'Sub': {
      const { c, curFirst } = binaryConst(g, n, cur);
      const v = perFeature(n, c, nb.size, 'operand');
      if (n.opType === 'Sub' && !curFirst) { nb.affine(-1, v, label); return out; }
      const t = n.opType === 'Sub' ? v.map((x) => -x) : v;
      if (nb.denseOpen) nb.addBias(t, label);
      else nb.affine(1, t, label);
      return out;
    }
    case 'Mul': case 'Div': {
      const { c, curFirst } = binaryConst(g, n, cur);
      if (n.opType === 'Div' && !curFirst) bad(n, 'c / x is not an affine map');
      const v = perFeature(n, c, nb.size, 'operand');
      nb.affine(n.opType === 'Div' ? v.map((x) => 1 / x) : v, 0, label);
      return out;
    }
    case 'LeakyRelu': nb.activation('leakyRelu', { alpha: g.attrFloat(n, 'alpha', 0.01) }, label); return out;
    case 'Elu': nb.activation('elu', { alpha: g.attrFloat(n, 'alpha', 1) }, label); return out;
    case 'PRelu': {
      const slope = g.numbers(n, 1, 'slope');
      nb.activation('prelu', { slope: perFeature(n, slope, nb.size, 'slope') }, label);
      return out;
    }
    case 'Gelu': {
      const approx = g.attrString(n, 'approximate', 'none');
      if (approx !== 'none') bad(n, `approximate = '${approx}' is not simdnet's GELU (the exact x·Φ(x))`);
      nb.activation('gelu', {}, label);
      return out;
    }
    case 'Softmax': case 'LogSoftmax': {
      const axis = g.attrInt(n, 'axis', g.opset < 13 ? 1 : -1);
      if (axis !== 1 && axis !== -1) bad(n, `${n.opType} over axis ${axis} of a [batch, features] value is not supported`);
      nb.activation(n.opType === 'Softmax' ? 'softmax' : 'logSoftmax', {}, label);
      return out;
    }
    case 'BatchNormalization': {
      if (g.attrInt(n, 'training_mode', 0) !== 0) bad(n, 'training_mode = 1 is not supported (simdnet imports inference graphs)');
      const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((k) => perFeature(n, g.numbers(n, k, ['scale', 'bias', 'mean', 'variance'][k - 1]!), nb.size, 'parameter'));
      nb.batchNorm({ gamma: gamma!, beta: beta!, mean: mean!, variance: variance!, epsilon: g.attrFloat(n, 'epsilon', 1e-5), momentum: complement(g.attrFloat(n, 'momentum', 0.9)) }, label);
      return out;
    }
    default:
      return bad(n, 'this operator is not supported on the network path');
  }
}
