// The TensorFlow.js Layers format both ways, checked by tfjs itself (@tensorflow/tfjs-layers on
// its pure-JS CPU backend): models saved by tfjs (committed fixtures, and one trained and saved
// during this run) predict in simdnet what tfjs predicted, and tf.loadLayersModel reads what
// simdnet writes and predicts what simdnet predicts.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, dense, dropout, ModelFormatError, ready, Sequential, ValidationError } from '../../src/index.js';
import { fromTfjs, loadTfjs, toTfjs, UnsupportedLayerError, type TfjsModelJSON } from '../../src/interop/index.js';
import { expectClose, printWorst, tfjsFixture, uniform } from './helpers.js';

const T = 60_000;
beforeAll(async () => { await ready(); await tf.setBackend('cpu'); });
afterAll(() => printWorst('simdnet vs TensorFlow.js'));

function tfPredict(m: tfl.LayersModel, X: Float32Array, rows: number, cols: number): Float32Array {
  return tf.tidy(() => (m.predict(tf.tensor2d(X, [rows, cols])) as tf.Tensor).dataSync() as Float32Array);
}

async function tfLoad(modelJson: TfjsModelJSON, weights: Uint8Array): Promise<tfl.LayersModel> {
  const specs = modelJson.weightsManifest!.flatMap((g) => g.weights);
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as object, weightSpecs: specs as tf.io.WeightsManifestEntry[], weightData: weights.slice().buffer }));
}

describe('tfjs → simdnet', () => {
  for (const name of ['dense_relu_softmax', 'every_layer', 'binary_no_bias']) {
    it(`fixture ${name} (saved by tfjs-layers model.save) predicts what tfjs predicted`, () => {
      const f = tfjsFixture(name);
      expect(f.framework).toMatch(/^@tensorflow\/tfjs-layers 4\./);
      const m = loadTfjs(`${f.dir}/model.json`);
      expectClose(m.predict({ data: f.X, rows: f.rows, cols: f.cols }).data, f.output, `tfjs fixture ${name}`);
      m.dispose();
    });
  }

  it('the every_layer fixture maps onto the layers it has (an activation layer after an activated Dense gets an identity dense layer)', () => {
    const f = tfjsFixture('every_layer');
    const m = fromTfjs(f.modelJson as TfjsModelJSON, f.weights);
    expect(m.layers.map((l) => (l.type === 'dense' ? l.activation : l.type))).toEqual(
      ['elu', 'batchNorm', 'silu', 'leakyRelu', 'prelu', 'gelu', 'softplus', 'softsign', 'tanh', 'sigmoid', 'elu', 'softmax']);
    expect(m.layers[1]).toMatchObject({ epsilon: 0.001, momentum: 0.01 });
    expect(m.layers[3]).toMatchObject({ alpha: 0.2 });
    const identity = m.getWeights()[3]!.W!;
    expect(Array.from(identity.subarray(0, 9))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    m.dispose();
  });

  it('a model trained and saved by tfjs during this run', async () => {
    const X = uniform(60 * 3, 4, -2, 2);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 60 }, (_, i) => (X[i * 3]! > 0 ? 1 : 0)), 'int32'), 2);
    const tm = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 6, activation: 'tanh' }), tfl.layers.batchNormalization(), tfl.layers.dense({ units: 2, activation: 'softmax' })] });
    tm.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    await tm.fit(tf.tensor2d(X, [60, 3]), y, { epochs: 5, batchSize: 10, verbose: 0 });
    let art: tf.io.ModelArtifacts | undefined;
    await tm.save(tf.io.withSaveHandler(async (a) => { art = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const m = fromTfjs({ modelTopology: art!.modelTopology, weightSpecs: art!.weightSpecs as TfjsModelJSON['weightSpecs'] }, new Uint8Array(art!.weightData as ArrayBuffer));
    expectClose(m.predict({ data: X, rows: 60, cols: 3 }).data, tfPredict(tm, X, 60, 3), 'tfjs trained in this run');
    m.dispose();
  }, T);

  it('uint8-quantized weights decode as tfjs decodes them', async () => {
    const f = tfjsFixture('dense_relu_softmax');
    const specs = (f.modelJson as TfjsModelJSON).weightsManifest![0]!.weights;
    const floats = new Float32Array(f.weights.buffer.slice(f.weights.byteOffset, f.weights.byteOffset + f.weights.byteLength));
    const q: Uint8Array[] = [];
    let off = 0;
    const qspecs = specs.map((s) => {
      const n = s.shape.reduce((a, d) => a * d, 1);
      const v = floats.subarray(off, off + n);
      off += n;
      const min = Math.min(...v);
      const scale = (Math.max(...v) - min) / 255 || 1;
      q.push(Uint8Array.from(v, (x) => Math.round((x - min) / scale)));
      return { ...s, quantization: { dtype: 'uint8', min, scale } };
    });
    const data = new Uint8Array(q.reduce((a, b) => a + b.length, 0));
    q.reduce((o, b) => { data.set(b, o); return o + b.length; }, 0);
    // tfjs' own decoder is the reference for what the quantized weights mean.
    const decoded = tf.io.decodeWeights(data.buffer, qspecs as tf.io.WeightsManifestEntry[]);
    const m = fromTfjs({ modelTopology: (f.modelJson as TfjsModelJSON).modelTopology, weightSpecs: qspecs }, data);
    const tm = await tfLoad({ modelTopology: (f.modelJson as TfjsModelJSON).modelTopology, weightsManifest: [{ paths: [], weights: specs }] },
      new Uint8Array(new Float32Array(specs.flatMap((s) => Array.from(decoded[s.name]!.dataSync()))).buffer));
    expectClose(m.predict({ data: f.X, rows: f.rows, cols: f.cols }).data, tfPredict(tm, f.X, f.rows, f.cols), 'tfjs quantized uint8');
    m.dispose();
  }, T);
});

describe('simdnet → tfjs', () => {
  it('tf.loadLayersModel reads what toTfjs writes, and predicts what simdnet predicts', async () => {
    const X = uniform(40 * 5, 9, -3, 3);
    for (const act of ['relu', 'tanh', 'sigmoid', 'elu', 'softplus', 'softsign', 'silu', 'gelu', 'leakyRelu', 'prelu', 'rrelu', 'identity'] as const) {
      const m = new Sequential({ inputSize: 5, seed: 2, layers: [dense(7, { activation: act }), batchNorm({ momentum: 0.2 }), dropout(0.3), dense(3, { activation: 'softmax' })] });
      m.compile();
      m.fitSync({ data: X, rows: 40, cols: 5 }, Int32Array.from({ length: 40 }, (_, i) => i % 3), { epochs: 2, batchSize: 8 });
      const { modelJson, weightData } = toTfjs(m);
      const tm = await tfLoad(JSON.parse(JSON.stringify(modelJson)), weightData);
      expectClose(tfPredict(tm, X, 40, 5), m.predict({ data: X, rows: 40, cols: 5 }).data, `tfjs reads simdnet ${act}`);
      m.dispose();
    }
  }, T);

  it('activations tfjs does not have are an error naming the layer and what tfjs shares', () => {
    for (const act of ['step', 'arctan', 'isru', 'isrlu', 'sqnl', 'bipolarRelu'] as const) {
      const m = new Sequential({ inputSize: 2, layers: [dense(2, { activation: act }), dense(1)] });
      expect(() => toTfjs(m)).toThrow(ValidationError);
      expect(() => toTfjs(m)).toThrow(new RegExp(`layers\\[0\\]\\.activation: ${act} has no TensorFlow.js equivalent`));
      m.dispose();
    }
    const e = new Sequential({ inputSize: 2, layers: [dense(2, { activation: 'elu', alpha: 0.5 })] });
    expect(() => toTfjs(e)).toThrow(/tfjs' ELU supports α = 1 only/);
    e.dispose();
  });
});

describe('bad tfjs files', () => {
  const f = tfjsFixture('dense_relu_softmax');
  const json = f.modelJson as TfjsModelJSON;
  it('unsupported layers and activations name the layer', () => {
    const edit = (fn: (layers: { class_name: string; config: Record<string, unknown> }[]) => void) => {
      const j = JSON.parse(JSON.stringify(json)) as TfjsModelJSON;
      fn((j.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers);
      return j;
    };
    expect(() => fromTfjs(edit((l) => { l[0]!.config.activation = 'selu'; }), f.weights)).toThrow(UnsupportedLayerError);
    expect(() => fromTfjs(edit((l) => { l[1]!.class_name = 'Conv2D'; }), f.weights)).toThrow(/layer "dropout_Dropout1" \(Conv2D\): this layer type is not supported/);
  });
  it('short or missing weights are ModelFormatErrors', () => {
    expect(() => fromTfjs(json, f.weights.subarray(0, 100))).toThrow(ModelFormatError);
    expect(() => fromTfjs(json, new Uint8Array(f.weights.length + 4))).toThrow(/the manifest describes/);
    expect(() => fromTfjs('{', f.weights)).toThrow(/not valid JSON/);
    expect(() => fromTfjs({} as TfjsModelJSON, f.weights)).toThrow(/no modelTopology/);
  });
});
