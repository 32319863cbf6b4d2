// The estimators as ONNX graphs that compute what their predict() / predictProba() compute.
// simdnet's linear models and the perceptron keep float64 coefficients and score in float64, so
// their graphs do too (Cast to double, Gemm in double); the wrappers' tallies follow the same
// float64 arithmetic, with a round to float32 (Cast float → double) wherever simdnet stores a
// Float32Array (decision scores, probabilities). MLPs run their float32 network. Each classifier
// yields class indices (int64 [batch]) and probabilities (double or float [batch, K]).

import { ValidationError } from './lib.js';
import type { Classifier } from '../estimators/base.js';
import { LogisticRegression, MLPClassifier, OneVsOneClassifier, OneVsRestClassifier, Perceptron, SoftmaxRegression } from './lib.js';
import { i, type GraphBuilder } from './onnx-builder.js';
import { emitSequential } from './onnx-export.js';
import { DT } from './onnx-proto.js';

/** The input in both precisions (the double cast is made once, on first use). */
export interface Input { f: string; d: () => string }

export function makeInput(b: GraphBuilder, x: string): Input {
  let d: string | undefined;
  return { f: x, d: () => (d ??= b.cast(x, DT.DOUBLE)) };
}

export interface ClassifierOut {
  codes: string;
  proba: string;
  /** Element type of proba (DT.FLOAT or DT.DOUBLE). */
  probaType: number;
}

/** A binary sub-model of a one-vs-rest / one-vs-one wrapper: [batch, 1] doubles. */
interface Binary { score: string; pos: string; pred: string }

type Linear = LogisticRegression | SoftmaxRegression | Perceptron;

function scores(b: GraphBuilder, x: Input, m: Linear, tag: string): { z: string; out: number } {
  const coef = m.coef!;
  const W = coef.flat();
  const out = coef.length;
  const d = W.length / out;
  const Wn = b.doubles(`${tag}.coef`, [out, d], W);
  const bn = b.doubles(`${tag}.intercept`, [out], m.intercept!);
  return { z: b.op('Gemm', [x.d(), Wn, bn], { transB: i(1) }), out };
}

function flatCodes(b: GraphBuilder, boolCol: string): string {
  return b.op('Reshape', [b.cast(boolCol, DT.INT64), b.ints('flat', [1], [-1])]);
}

function oneHot(b: GraphBuilder, codes: string, K: number): string {
  const range = b.ints('class_range', [1, K], Array.from({ length: K }, (_, k) => k));
  return b.cast(b.op('Equal', [b.unsqueeze(codes, [1]), range]), DT.DOUBLE);
}

/** [1 − p, p] for a [batch, 1] p. */
function twoColumns(b: GraphBuilder, p: string, type: number): string {
  return b.op('Concat', [b.op('Sub', [b.scalar(1, type), p]), p], { axis: i(1) });
}

function linearClassifier(b: GraphBuilder, x: Input, m: Linear, tag: string): ClassifierOut {
  const { z, out } = scores(b, x, m, tag);
  const K = m.classes!.length;
  const codes = out === 1 ? flatCodes(b, b.op('GreaterOrEqual', [z, b.scalar(0, DT.DOUBLE)])) : b.op('ArgMax', [z], { axis: i(1), keepdims: i(0) });
  let proba: string;
  if (m instanceof Perceptron) proba = oneHot(b, codes, K);
  else if (out === 1) proba = twoColumns(b, b.op('Sigmoid', [z]), DT.DOUBLE);
  else proba = b.op('Softmax', [z], { axis: i(-1) });
  return { codes, proba, probaType: DT.DOUBLE };
}

function mlpClassifier(b: GraphBuilder, x: Input, m: MLPClassifier, tag: string): ClassifierOut {
  const p = emitSequential(b, m.model!, x.f, tag);
  if (m.model!.outputSize === 1) {
    return { codes: flatCodes(b, b.op('GreaterOrEqual', [p, b.scalar(0.5)])), proba: twoColumns(b, p, DT.FLOAT), probaType: DT.FLOAT };
  }
  return { codes: b.op('ArgMax', [p], { axis: i(1), keepdims: i(0) }), proba: p, probaType: DT.FLOAT };
}

function requireBinary(m: Classifier, where: string): void {
  const c = m.classes as unknown[] | undefined;
  if (!c || c.length !== 2 || c[0] !== 0 || c[1] !== 1) throw new ValidationError(where, `a sub-model must be a binary classifier of labels [0, 1], got classes ${JSON.stringify(c)}`);
}

function binary(b: GraphBuilder, x: Input, m: Classifier, tag: string): Binary {
  requireBinary(m, tag);
  if (m instanceof MLPClassifier) {
    const p = emitSequential(b, m.model!, x.f, tag);
    const pd = b.cast(p, DT.DOUBLE);
    const c = b.op('Clip', [pd, b.scalar(1e-7, DT.DOUBLE), b.scalar(1 - 1e-7, DT.DOUBLE)]);
    const logit = b.op('Log', [b.op('Div', [c, b.op('Sub', [b.scalar(1, DT.DOUBLE), c])])]);
    return { score: b.roundF32(logit), pos: pd, pred: b.cast(b.op('GreaterOrEqual', [p, b.scalar(0.5)]), DT.DOUBLE) };
  }
  if (m instanceof LogisticRegression || m instanceof SoftmaxRegression || m instanceof Perceptron) {
    const { z, out } = scores(b, x, m, tag);
    if (out === 2) {
      const zr = b.roundF32(z);
      const pos = b.roundF32(b.column(b.op('Softmax', [z], { axis: i(-1) }), 1));
      const pred = b.cast(b.op('Greater', [b.column(z, 1), b.column(z, 0)]), DT.DOUBLE);
      return { score: b.op('Sub', [b.column(zr, 1), b.column(zr, 0)]), pos, pred };
    }
    const pred = b.cast(b.op('GreaterOrEqual', [z, b.scalar(0, DT.DOUBLE)]), DT.DOUBLE);
    const pos = m instanceof Perceptron ? pred : b.roundF32(b.op('Sigmoid', [z]));
    return { score: b.roundF32(z), pos, pred };
  }
  throw new ValidationError(tag, `sub-models of type ${m.constructor.name} cannot be exported to ONNX (LogisticRegression, SoftmaxRegression, Perceptron and MLPClassifier can)`);
}

function concat(b: GraphBuilder, parts: string[]): string {
  return parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: i(1) });
}

function oneVsRest(b: GraphBuilder, x: Input, m: OneVsRestClassifier): ClassifierOut {
  const subs = m.estimators.map((e, k) => binary(b, x, e, `estimators.${k}`));
  if (subs.length === 1) {
    const s = subs[0]!;
    return { codes: flatCodes(b, s.pred), proba: twoColumns(b, s.pos, DT.DOUBLE), probaType: DT.DOUBLE };
  }
  const K = subs.length;
  const codes = b.op('ArgMax', [concat(b, subs.map((s) => s.score))], { axis: i(1), keepdims: i(0) });
  const P = concat(b, subs.map((s) => s.pos));
  const sum = b.reduceSum(P, [1], true);
  const proba = b.op('Where', [b.op('Greater', [sum, b.scalar(0, DT.DOUBLE)]), b.op('Div', [P, sum]), b.scalar(1 / K, DT.DOUBLE)]);
  return { codes, proba, probaType: DT.DOUBLE };
}

function oneVsOne(b: GraphBuilder, x: Input, m: OneVsOneClassifier): ClassifierOut {
  const K = m.classes!.length;
  const pairs: [number, number][] = [];
  for (let a = 0; a < K; a++) for (let c = a + 1; c < K; c++) pairs.push([a, c]);
  const subs = m.estimators.map((e, k) => binary(b, x, e, `estimators.${k}`));
  const P = pairs.length;
  const Va = new Float64Array(P * K);
  const Vb = new Float64Array(P * K);
  pairs.forEach(([a, c], p) => { Va[p * K + a] = 1; Vb[p * K + c] = 1; });
  const va = b.doubles('pair_first', [P, K], Va);
  const vb = b.doubles('pair_second', [P, K], Vb);
  const tally = (v: string) => b.op('Add', [b.op('MatMul', [v, vb]), b.op('MatMul', [b.op('Sub', [b.scalar(1, DT.DOUBLE), v]), va])]);
  // votes: model p votes for b_p when it predicts 1, else for a_p; conf: its score added to b_p, taken from a_p.
  const votes = tally(concat(b, subs.map((s) => s.pred)));
  const conf = b.op('MatMul', [concat(b, subs.map((s) => s.score)), b.doubles('pair_sign', [P, K], Vb.map((v, k) => v - Va[k]!))]);
  // Most votes; among those the largest confidence; then the lowest index (ArgMax takes the first maximum).
  const top = b.op('Equal', [votes, b.reduceMax(votes, [1], true)]);
  const codes = b.op('ArgMax', [b.op('Where', [top, conf, b.scalar(-Infinity, DT.DOUBLE)])], { axis: i(1), keepdims: i(0) });
  const acc = tally(concat(b, subs.map((s) => s.pos)));
  const proba = b.op('Div', [b.op('Mul', [acc, b.scalar(2, DT.DOUBLE)]), b.scalar(K * (K - 1), DT.DOUBLE)]);
  return { codes, proba, probaType: DT.DOUBLE };
}

/** Class indices and probabilities of a fitted classifier on input x. */
export function emitClassifier(b: GraphBuilder, x: Input, m: Classifier): ClassifierOut {
  if (!m.classes) throw new ValidationError('model', `${m.constructor.name} is not fitted yet: call fit(X, y) before exporting it`);
  if (m instanceof LogisticRegression || m instanceof SoftmaxRegression || m instanceof Perceptron) return linearClassifier(b, x, m, 'model');
  if (m instanceof MLPClassifier) return mlpClassifier(b, x, m, 'model');
  if (m instanceof OneVsRestClassifier) return oneVsRest(b, x, m);
  if (m instanceof OneVsOneClassifier) return oneVsOne(b, x, m);
  throw new ValidationError('model', `a ${m.constructor.name} cannot be exported to ONNX`);
}
