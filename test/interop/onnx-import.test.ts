// ONNX files written by other tools, imported into simdnet, predict what their framework
// predicted (fixtures from test/interop/fixtures/generate.py: PyTorch's own torch.onnx.export
// output, and graphs reproducing tf2onnx's and skl2onnx's patterns, which ONNX Runtime also runs
// here to show the reproduction computes what the framework computed).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError, ready, SimdnetError } from '../../src/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadONNX, readONNX, UnsupportedOnnxError } from '../../src/interop/index.js';
import { decodeModel, encodeModel } from '../../src/interop/onnx-proto.js';
import { expectClose, FIXTURES, onnxFixture, printWorst } from './helpers.js';
import { runOnnx } from './ort.js';

const T = 60_000;
beforeAll(async () => { await ready(); });
afterAll(() => printWorst('simdnet (imported) and ONNX Runtime vs the framework'));

function predict(name: string, output?: string) {
  const f = onnxFixture(name);
  const r = readONNX(f.bytes, output ? { output } : {});
  const P = r.model.predict({ data: f.X, rows: f.rows, cols: f.cols });
  return { f, r, P };
}

describe('torch.onnx.export (PyTorch 1.13, Debian)', () => {
  const cases: [string, string][] = [
    ['torch_mlp', 'Gemm transB=1, ReLU, Tanh, logits'],
    ['torch_activations', 'LeakyReLU, ELU, Sigmoid, Softplus, GELU (Erf), SiLU, PReLU, Softmax'],
    ['torch_batchnorm', 'BatchNorm1d, Dropout, Identity'],
    ['torch_flatten', 'a [batch, 1, 8, 8] input and Flatten'],
    ['torch_matmul_add', 'MatMul + Add'],
    ['torch_mlp_typed_fields', 'initializers in float_data'],
    ['torch_logsoftmax', 'LogSoftmax output (trained with NLLLoss)'],
  ];
  for (const [name, what] of cases) {
    it(`${name}: ${what}`, () => {
      const { f, r, P } = predict(name);
      expect(f.framework).toMatch(/^torch 1\.13/);
      expect(r.producer).toMatch(/pytorch|^torch/i);
      expectClose(P.data, f.outputs.output as number[], `import ${name}`);
      r.model.dispose();
    });
  }

  it('the layers are the ones PyTorch had', () => {
    const { r } = predict('torch_activations');
    expect(r.model.layers.map((l) => (l.type === 'dense' ? l.activation : l.type))).toEqual(
      ['leakyRelu', 'elu', 'sigmoid', 'softplus', 'gelu', 'silu', 'prelu', 'softmax']);
    expect(r.model.layers[0]).toMatchObject({ alpha: 0.1 });
    expect(r.model.layers[1]).toMatchObject({ alpha: 0.8 });
    r.model.dispose();
    const bn = predict('torch_batchnorm').r.model;
    expect(bn.layers.map((l) => l.type)).toEqual(['dense', 'batchNorm', 'dense', 'dense']);
    expect(bn.layers[1]).toMatchObject({ epsilon: 1e-5, momentum: 0.1 });
    bn.dispose();
    const ls = predict('torch_logsoftmax').r.model;
    expect(ls.layers.map((l) => (l.type === 'dense' ? l.activation : l.type))).toEqual(['logSoftmax']);
    ls.dispose();
    const flat = predict('torch_flatten').r.model;
    expect(flat.inputSize).toBe(64);
    flat.dispose();
  });

});

describe('tf2onnx-style Keras Dense graphs (reproduced; weights and predictions from tfjs-layers)', () => {
  it('MatMul + Add with a dynamic batch, Softmax without an axis (opset 13)', async () => {
    const { f, r, P } = predict('tf2onnx_dense');
    expect(r.input).toBe('dense_input');
    expectClose(P.data, f.outputs.dense_1 as number[], 'import tf2onnx_dense');
    const ort = await runOnnx(f.bytes, { dense_input: { data: f.X, dims: [f.rows, f.cols] } });
    expectClose(ort.dense_1!.data as Float32Array, f.outputs.dense_1 as number[], 'ORT runs tf2onnx_dense');
    r.model.dispose();
  }, T);

  it("Keras BatchNormalization folded to Mul + Add, a Dense without bias, Gemm for a static batch", async () => {
    const { f, r, P } = predict('tf2onnx_batchnorm_gemm');
    expect(r.model.layers.map((l) => (l.type === 'dense' ? l.activation : l.type))).toEqual(['tanh', 'batchNorm', 'sigmoid']);
    expectClose(P.data, f.outputs.dense_3 as number[], 'import tf2onnx_batchnorm_gemm');
    const ort = await runOnnx(f.bytes, { dense_2_input: { data: f.X, dims: [f.rows, f.cols] } });
    expectClose(ort.dense_3!.data as Float32Array, f.outputs.dense_3 as number[], 'ORT runs tf2onnx_batchnorm_gemm');
    r.model.dispose();
  }, T);
});

describe('skl2onnx-style scikit-learn graphs (reproduced; scikit-learn 1.2.1 predictions)', () => {
  const cases: [string, string][] = [
    ['skl2onnx_logreg_multinomial', 'LinearClassifier(SOFTMAX) + Normalizer + ZipMap'],
    ['skl2onnx_logreg_binary', 'LinearClassifier(LOGISTIC), string labels'],
    ['skl2onnx_pipeline_scaler_logreg', 'Scaler + LinearClassifier'],
    ['skl2onnx_mlp_multiclass', 'MLPClassifier: Cast, MatMul + Add, Relu, Softmax, ArrayFeatureExtractor labels'],
    ['skl2onnx_mlp_binary', 'binary MLPClassifier: Sigmoid, Sub(1, p) + Concat, ZipMap'],
  ];
  for (const [name, what] of cases) {
    it(`${name}: ${what}`, async () => {
      const { f, r, P } = predict(name);
      const probs = f.outputs.probabilities as number[];
      const K = probs.length / f.rows;
      const mine = r.outputForm === 'positiveClass' ? Float32Array.from({ length: f.rows * 2 }, (_, k) => (k % 2 ? P.data[k >> 1]! : 1 - P.data[k >> 1]!)) : P.data;
      expectClose(mine, probs, `import ${name}`);
      expect(r.classes).toHaveLength(K);
      const labels = r.model.predictClasses({ data: f.X, rows: f.rows, cols: f.cols });
      expect(Array.from(labels, (k) => r.classes![k])).toEqual(f.outputs.label);
      // ONNX Runtime runs the reproduced graph: its labels (and its probabilities, where they are a tensor output, not a ZipMap) are scikit-learn's.
      const tensors = decodeModel(f.bytes).graph.outputs.filter((o) => o.kind === 'tensor').map((o) => o.name);
      const zip = !tensors.includes('probabilities');
      const outs = await runOnnx(f.bytes, { X: { data: f.X, dims: [f.rows, f.cols] } }, tensors);
      const ortLabels = Array.from((outs.label ?? outs.output_label)!.data as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));
      expect(ortLabels).toEqual(f.outputs.label);
      if (!zip) expectClose(outs.probabilities!.data as Float32Array, probs, `ORT runs ${name}`);
      r.model.dispose();
    }, T);
  }

  it('the class labels come from the graph: ints from LinearClassifier and ZipMap, strings, ArrayFeatureExtractor ints', () => {
    expect(readONNX(onnxFixture('skl2onnx_logreg_multinomial').bytes).classes).toEqual([0, 1, 2]);
    expect(readONNX(onnxFixture('skl2onnx_logreg_binary').bytes).classes).toEqual(['other', 'virginica']);
    expect(readONNX(onnxFixture('skl2onnx_mlp_multiclass').bytes).classes).toEqual([0, 1, 2]);
    const b = readONNX(onnxFixture('skl2onnx_mlp_binary').bytes);
    expect(b.classes).toEqual([0, 1]);
    expect(b.outputForm).toBe('positiveClass');
    expect(b.model.outputSize).toBe(1);
  });
});

describe('bad and unsupported graphs', () => {
  it('not ONNX at all, or truncated: ModelFormatError', () => {
    const f = onnxFixture('torch_mlp');
    expect(() => readONNX(new TextEncoder().encode('{"format": "simdnet.sequential"}'))).toThrow(ModelFormatError);
    expect(() => readONNX(f.bytes.subarray(0, 1000))).toThrow(ModelFormatError);
    expect(() => readONNX(new Uint8Array(0))).toThrow(/empty/);
    expect(() => readONNX('x' as unknown as Uint8Array)).toThrow(/Uint8Array/);
  });

  it('an output that is not in the graph names the outputs there are', () => {
    expect(() => readONNX(onnxFixture('torch_mlp').bytes, { output: 'nope' })).toThrow(/no output "nope"; its outputs are "output"/);
  });

  it('every error is a SimdnetError', () => {
    for (const name of ['torch_hardtanh', 'torch_selu', 'torch_conv', 'torch_residual', 'gemm_transA']) {
      expect(() => readONNX(onnxFixture(name).bytes)).toThrow(SimdnetError);
    }
  });
});

describe('unsupported operators and patterns: the error names the node, its operator and what is supported', () => {
  function refusal(name: string): UnsupportedOnnxError {
    let err: unknown;
    try { readONNX(onnxFixture(name).bytes); } catch (e) { err = e; }
    expect(err, name).toBeInstanceOf(UnsupportedOnnxError);
    expect(err, name).toBeInstanceOf(ModelFormatError);
    return err as UnsupportedOnnxError;
  }
  // the node names below are the ones in the files (torch.onnx names nodes "/<module>/<Op>")
  const nodeOf = (name: string, op: string) => decodeModel(onnxFixture(name).bytes).graph.nodes.find((n) => n.opType === op)!.name;
  const cases: [string, string, RegExp][] = [
    ['torch_hardtanh', 'Clip', /this operator is not supported on the network path/],
    ['torch_selu', 'Selu', /this operator is not supported on the network path/],
    ['torch_conv', 'Conv', /the input has rank 4; simdnet layers need \[batch, features\] \(a Flatten first\)/],
    ['gemm_transA', 'Gemm', /transA = 1 \(the batch along columns\) is not supported/],
  ];
  for (const [name, op, why] of cases) {
    it(`${name}: ${op}`, () => {
      const u = refusal(name);
      expect(u.opType).toBe(op);
      expect(u.node).toBe(nodeOf(name, op));
      expect(u.message).toContain(`ONNX node ${JSON.stringify(u.node)} (${op}): `);
      expect(u.message).toMatch(why);
      expect(u.message).toMatch(/simdnet imports Gemm, MatMul \(\+ Add\), Relu, .*Softmax and LogSoftmax \(on the last layer\).*BatchNormalization/);
    });
  }

  it('a branch (x + Linear(x)): names the second consumer and says simdnet layers form a chain', () => {
    const u = refusal('torch_residual');
    const g = decodeModel(onnxFixture('torch_residual').bytes).graph;
    const users = g.nodes.filter((n) => n.inputs.includes('input'));
    expect(users.map((n) => n.opType).sort()).toEqual(['Add', 'Gemm']);
    expect(u.node).toBe(users[1]!.name);
    expect(u.opType).toBe(users[1]!.opType);
    expect(u.message).toMatch(/the value "input" feeds 2 nodes \((Gemm, Add|Add, Gemm)\), a branch; simdnet layers form a chain/);
  });
});

describe('external data (data_location = EXTERNAL)', () => {
  const dir = join(FIXTURES, 'onnx');
  const f = () => onnxFixture('torch_mlp_external');

  it('loadONNX reads the side file beside the model and predicts what PyTorch predicted', () => {
    const t = decodeModel(f().bytes).graph.initializers;
    expect(t.length).toBeGreaterThan(0);
    expect(t.every((x) => x.external && !x.raw && x.externalData!.some((e) => e.key === 'location' && e.value === 'torch_mlp_external.bin'))).toBe(true);
    const fx = f();
    const model = loadONNX(join(dir, 'torch_mlp_external.onnx'));
    expectClose(model.predict({ data: fx.X, rows: fx.rows, cols: fx.cols }).data, fx.outputs.output as number[], 'import torch_mlp_external');
    // the same weights as the self-contained file
    const plain = readONNX(onnxFixture('torch_mlp').bytes).model;
    expect(model.getWeights()).toEqual(plain.getWeights());
    model.dispose();
    plain.dispose();
  });

  it('readONNX takes a resolver (a browser passes fetched bytes); offsets and lengths are honoured', () => {
    const side = new Uint8Array(readFileSync(join(dir, 'torch_mlp_external.bin')));
    const asked: string[] = [];
    const r = readONNX(f().bytes, { externalData: (loc) => { asked.push(loc); return side; } });
    expect(asked).toEqual(['torch_mlp_external.bin']); // one file, read once
    const fx = f();
    expectClose(r.model.predict({ data: fx.X, rows: fx.rows, cols: fx.cols }).data, fx.outputs.output as number[], 'import torch_mlp_external');
    r.model.dispose();
    // a shifted file: the offsets no longer point at the weights, so the values differ, and a short file is an error naming the tensor
    expect(() => readONNX(f().bytes, { externalData: () => side.subarray(0, side.length - 4) })).toThrow(/tensor ".*": external data bytes \d+ to \d+ are past the end of "torch_mlp_external.bin" \(\d+ bytes\)/);
  });

  it('without a resolver, a missing file or a location outside the model directory: errors naming the tensor', () => {
    const first = decodeModel(f().bytes).graph.initializers[0]!.name;
    expect(() => readONNX(f().bytes)).toThrow(new RegExp(`tensor "${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": its data is in the external file "torch_mlp_external.bin"; pass \\{ externalData`));
    expect(() => readONNX(f().bytes)).toThrow(ModelFormatError);
    expect(() => readONNX(f().bytes, { externalData: () => { throw new Error('ENOENT'); } })).toThrow(/external data file "torch_mlp_external.bin" could not be read: ENOENT/);
    const m = decodeModel(f().bytes);
    m.graph.initializers[0]!.externalData = [{ key: 'location', value: '../../secret.bin' }];
    expect(() => readONNX(encodeModel(m), { externalData: () => new Uint8Array(0) })).toThrow(/location "..\/..\/secret.bin" must be a path relative to the model's directory/);
  });
});
