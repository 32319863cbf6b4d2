// Exported ONNX files run in ONNX Runtime (onnxruntime-web, its WebAssembly build) and give what
// simdnet gives: every activation (as the output and as a hidden layer, opsets 13, 17 and 20),
// batch norm, dropout, a dynamic batch, and every estimator with labels and probabilities.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVATIONS, batchNorm, dense, dropout, LogisticRegression, MLPClassifier, MLPRegressor, OneVsOneClassifier, OneVsRestClassifier,
  Perceptron, ready, Sequential, setWarningHandler, SoftmaxRegression, type Classifier,
} from '../../src/index.js';
import { toONNX } from '../../src/interop/index.js';
import { activationRecord } from '../../src/nn/activations.js';
import { decodeModel } from '../../src/interop/onnx-proto.js';
import { expectClose, printWorst, uniform } from './helpers.js';
import { runOnnx } from './ort.js';

const T = 120_000;
beforeAll(async () => { await ready(); setWarningHandler(() => {}); });
afterAll(() => printWorst('ONNX Runtime vs simdnet (export)'));

const D = 5;
const ROWS = 33;
const X = uniform(ROWS * D, 11, -4, 4);
const M = { data: X, rows: ROWS, cols: D };

function labels(n: number, k: number, seed: number): Int32Array {
  const u = uniform(n, seed, 0, k);
  return Int32Array.from(u, (v) => Math.min(k - 1, Math.floor(v)));
}

async function ortOut(bytes: Uint8Array, rows = ROWS, data = X, name = 'input'): Promise<Float32Array> {
  const r = await runOnnx(bytes, { [name]: { data: data.subarray(0, rows * D), dims: [rows, D] } });
  return r.output!.data as Float32Array;
}

describe('Sequential → ONNX Runtime', () => {
  it('every activation as the output layer, opsets 13, 17, 20', async () => {
    for (const act of ACTIVATIONS) {
      const m = new Sequential({ inputSize: D, seed: 5, layers: [dense(7, { activation: act })] });
      for (const opset of [13, 17, 20]) expectClose(await ortOut(toONNX(m, { opset })), m.predict(M).data, `activation ${act}: opset ${opset}`);
      m.dispose();
    }
  }, T);

  it('every activation as a hidden layer after training, with batch norm and dropout', async () => {
    const y = labels(ROWS, 3, 2);
    for (const act of ACTIVATIONS.filter((a) => activationRecord(a).hidden)) {
      const m = new Sequential({ inputSize: D, seed: 6, layers: [dense(6, { activation: act }), batchNorm(), dropout(0.25), dense(3, { activation: 'softmax' })] });
      m.compile({ optimizer: 'adam' });
      if (act !== 'step') m.fitSync(M, y, { epochs: 3, batchSize: 8 });
      expectClose(await ortOut(toONNX(m)), m.predict(M).data, `hidden ${act}: opset 17`);
      m.dispose();
    }
  }, T);

  it('parameters survive: leakyRelu α, elu α, softplus β, isru α, prelu slopes, rrelu mean slope', async () => {
    const cases = [
      dense(4, { activation: 'leakyRelu', alpha: 0.2 }), dense(4, { activation: 'elu', alpha: 0.4 }), dense(4, { activation: 'softplus', beta: 2.5 }),
      dense(4, { activation: 'isru', alpha: 0.3 }), dense(4, { activation: 'isrlu', alpha: 3 }), dense(4, { activation: 'rrelu', alpha: 0.1, beta: 0.5 }),
    ];
    for (const spec of cases) {
      const m = new Sequential({ inputSize: D, seed: 7, layers: [spec] });
      expectClose(await ortOut(toONNX(m)), m.predict(M).data, `param ${spec.activation}: α ${spec.alpha} β ${spec.beta}`);
      m.dispose();
    }
    const p = new Sequential({ inputSize: D, seed: 7, layers: [dense(4, { activation: 'prelu' })] });
    const w = p.getWeights();
    w[0]!.slope = Float32Array.of(0.1, -0.3, 0.7, 2);
    p.setWeights(w);
    expectClose(await ortOut(toONNX(p)), p.predict(M).data, 'param prelu: per-unit slopes');
    p.dispose();
  }, T);

  it("names 'input' and 'output' with a dynamic batch dimension: 1 row and 33 rows run the same file", async () => {
    const m = new Sequential({ inputSize: D, seed: 8, layers: [dense(4, { activation: 'tanh' }), dense(2, { activation: 'softmax' })] });
    const bytes = toONNX(m);
    const g = decodeModel(bytes).graph;
    expect(g.inputs.map((v) => [v.name, v.shape])).toEqual([['input', ['batch', D]]]);
    expect(g.outputs.map((v) => [v.name, v.shape])).toEqual([['output', ['batch', 2]]]);
    expect(decodeModel(bytes).opsets).toEqual([{ domain: '', version: 17 }]);
    const all = m.predict(M).data;
    expectClose(await ortOut(bytes, 1), all.subarray(0, 2), 'dynamic batch: 1 row');
    expectClose(await ortOut(bytes, ROWS), all, 'dynamic batch: 33 rows');
    const named = toONNX(m, { inputName: 'features', outputName: 'probs', batchDim: 'N' });
    expect(decodeModel(named).graph.inputs[0]).toMatchObject({ name: 'features', shape: ['N', D] });
    m.dispose();
  }, T);

  it('rejects an opset outside 13..21 and a bad name', () => {
    const m = new Sequential({ inputSize: 2, layers: [dense(1)] });
    expect(() => toONNX(m, { opset: 12 })).toThrow(/opset: expected an integer from 13 to 21/);
    expect(() => toONNX(m, { inputName: '' })).toThrow(/inputName/);
    m.dispose();
  });
});

interface Case { name: string; make: () => Classifier; y: (number | string)[] | Int32Array }

describe('estimators → ONNX Runtime: label and probabilities', () => {
  const n = 90;
  const Xe = uniform(n * D, 21, -3, 3);
  const Me = { data: Xe, rows: n, cols: D };
  // Labels that depend on the features (so models learn something), with ints and strings.
  const score = (i: number) => Xe[i * D]! + 0.5 * Xe[i * D + 1]! - Xe[i * D + 2]!;
  const y3 = Array.from({ length: n }, (_, i) => (score(i) < -1 ? 0 : score(i) < 1 ? 1 : 2));
  const y4 = Array.from(labels(n, 4, 5));
  const yb = y3.map((c) => (c === 2 ? 'high' : 'low'));
  const ys = y3.map((c) => ['cat', 'dog', 'emu'][c]!);
  const cases: Case[] = [
    { name: 'LogisticRegression binary (strings)', make: () => new LogisticRegression(), y: yb },
    { name: 'LogisticRegression multinomial', make: () => new LogisticRegression(), y: y3 },
    { name: 'SoftmaxRegression (strings)', make: () => new SoftmaxRegression({ l2: 0.1 }), y: ys },
    { name: 'Perceptron binary', make: () => new Perceptron({ maxIter: 20 }), y: yb },
    { name: 'Perceptron multiclass', make: () => new Perceptron({ maxIter: 20 }), y: y3 },
    { name: 'MLPClassifier binary', make: () => new MLPClassifier({ hiddenLayers: [8], maxIter: 40 }), y: yb },
    { name: 'MLPClassifier multiclass (tanh)', make: () => new MLPClassifier({ hiddenLayers: [8, 6], activation: 'tanh', maxIter: 40 }), y: ys },
    { name: 'OneVsRest(LogisticRegression)', make: () => new OneVsRestClassifier(() => new LogisticRegression()), y: y3 },
    { name: 'OneVsRest(Perceptron)', make: () => new OneVsRestClassifier(() => new Perceptron({ maxIter: 5 })), y: ys },
    { name: 'OneVsRest(MLPClassifier)', make: () => new OneVsRestClassifier(() => new MLPClassifier({ hiddenLayers: [4], maxIter: 15 })), y: y3 },
    { name: 'OneVsRest binary', make: () => new OneVsRestClassifier(() => new LogisticRegression()), y: yb },
    { name: 'OneVsOne(LogisticRegression)', make: () => new OneVsOneClassifier(() => new LogisticRegression()), y: y3 },
    { name: 'OneVsOne(SoftmaxRegression)', make: () => new OneVsOneClassifier(() => new SoftmaxRegression()), y: ys },
    { name: 'OneVsOne(MLPClassifier)', make: () => new OneVsOneClassifier(() => new MLPClassifier({ hiddenLayers: [4], maxIter: 10 })), y: y3 },
    { name: 'OneVsOne(Perceptron), 4 random classes', make: () => new OneVsOneClassifier(() => new Perceptron({ maxIter: 2 })), y: y4 },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const est = c.make().fit(Me, c.y as number[]);
      const bytes = toONNX(est);
      const g = decodeModel(bytes).graph;
      expect(g.inputs.map((v) => v.name)).toEqual(['X']);
      expect(g.outputs.map((v) => v.name)).toEqual(['label', 'probabilities']);
      const r = await runOnnx(bytes, { X: { data: Xe, dims: [n, D] } });
      const want = est.predict(Me);
      const got = Array.from(r.label!.data as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));
      expect(got).toEqual(want);
      expectClose(r.probabilities!.data as Float32Array, est.predictProba(Me).data, `estimator ${c.name}`);
      est.dispose();
    }, T);
  }

  it('one-vs-one ties: the data has rows with tied votes, and ONNX breaks them as simdnet does', async () => {
    const est = new OneVsOneClassifier(() => new Perceptron({ maxIter: 2 })).fit(Me, y4);
    const df = est.decisionFunction(Me);
    let ties = 0;
    for (let i = 0; i < n; i++) {
      const votes = Array.from(df.data.subarray(i * 4, i * 4 + 4), (v) => Math.round(v));
      const top = Math.max(...votes);
      if (votes.filter((v) => v === top).length > 1) ties++;
    }
    expect(ties).toBeGreaterThan(5);
    const r = await runOnnx(toONNX(est), { X: { data: Xe, dims: [n, D] } });
    expect(Array.from(r.label!.data as BigInt64Array, Number)).toEqual(est.predict(Me));
  }, T);

  it('MLPRegressor: X → variable', async () => {
    const reg = new MLPRegressor({ hiddenLayers: [6], maxIter: 20 }).fit(Me, y3.map((v, i) => v + 0.1 * Xe[i * D + 3]!));
    const r = await runOnnx(toONNX(reg), { X: { data: Xe, dims: [n, D] } });
    expectClose(r.variable!.data as Float32Array, Float32Array.from(reg.predict(Me) as number[]), 'estimator MLPRegressor');
    reg.dispose();
  }, T);

  it('a Sequential classifier with classLabels, and a scaler in front', async () => {
    const m = new Sequential({ inputSize: D, seed: 3, layers: [dense(6, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    const mean = [1, -2, 0.5, 3, 0];
    const scale = [2, 0.5, 1, 4, 1.5];
    const raw = Float32Array.from(Xe, (v, k) => v * scale[k % D]! + mean[k % D]!);
    const r = await runOnnx(toONNX(m, { classLabels: ['a', 'b', 'c'], scaler: { mean, scale } }), { X: { data: raw, dims: [n, D] } });
    const P = m.predict(Me);
    expectClose(r.probabilities!.data as Float32Array, P.data, 'Sequential classifier: scaler + labels');
    expect(Array.from(r.label!.data as string[])).toEqual(Array.from(m.predictClasses(Me), (k) => 'abc'[k]));
    expect(() => toONNX(m, { classLabels: ['a', 'b'] })).toThrow(/classLabels: has 2 labels, the model has 3 outputs/);
    m.dispose();
  }, T);

  it('a logSoftmax classifier: labels from the argmax, probabilities = e^(log-probabilities) (float64 here)', async () => {
    const m = new Sequential({ inputSize: D, seed: 4, layers: [dense(6, { activation: 'tanh' }), dense(3, { activation: 'logSoftmax' })] });
    const r = await runOnnx(toONNX(m, { classLabels: [10, 20, 30] }), { X: { data: Xe, dims: [n, D] } });
    const logP = m.predict(Me).data;
    expectClose(r.probabilities!.data as Float32Array, Float64Array.from(logP, Math.exp), 'Sequential logSoftmax classifier');
    expect(Array.from(r.label!.data as BigInt64Array, Number)).toEqual(Array.from(m.predictClasses(Me), (k) => [10, 20, 30][k]));
    m.dispose();
  }, T);

  it('an unfitted estimator is an error, not an empty graph', () => {
    expect(() => toONNX(new LogisticRegression())).toThrow(/not fitted/);
  });
});
