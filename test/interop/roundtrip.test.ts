// simdnet → ONNX → simdnet and simdnet → tfjs → simdnet give bit-identical predictions: every
// activation, batch norm with trained statistics, dropout, on the WASM and the pure-TS backend.

import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, batchNorm, dense, dropout, ready, Sequential, type ActivationName, type BackendKind } from '../../src/index.js';
import { fromONNX, fromTfjs, readONNX, toONNX, toTfjs } from '../../src/interop/index.js';
import { activationRecord } from '../../src/nn/activations.js';
import { uniform } from './helpers.js';

const TFJS_SHARED: ActivationName[] = ['identity', 'linear', 'relu', 'sigmoid', 'tanh', 'elu', 'softplus', 'softsign', 'silu', 'gelu', 'leakyRelu', 'prelu', 'rrelu'];
const X = { data: uniform(29 * 5, 3, -5, 5), rows: 29, cols: 5 };

function trained(act: ActivationName, backend: BackendKind): Sequential {
  const outputOnly = !activationRecord(act).hidden; // softmax, logSoftmax
  const layers = outputOnly
    ? [dense(6, { activation: 'tanh', alpha: 0.3 }), batchNorm({ momentum: 0.3, epsilon: 1e-3 }), dense(3, { activation: act })]
    : [dense(6, { activation: act }), batchNorm({ momentum: 0.3, epsilon: 1e-3 }), dropout(0.2), dense(4, { activation: act }), dense(2, { activation: 'sigmoid' })];
  const m = new Sequential({ inputSize: 5, seed: 9, layers, backend });
  m.compile({ optimizer: 'adam' });
  if (act !== 'step') m.fitSync(X, outputOnly ? Int32Array.from({ length: 29 }, (_, i) => i % 3) : { data: Float32Array.from({ length: 58 }, (_, i) => i % 2), rows: 29, cols: 2 }, { epochs: 2, batchSize: 8 });
  return m;
}

describe('round trips are bit-identical in predictions', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`simdnet → ONNX → simdnet, every activation, opsets 13, 17 and 20 (${backend})`, async () => {
      await ready();
      for (const act of ACTIVATIONS) {
        const m = trained(act, backend);
        const want = Array.from(m.predict(X).data);
        for (const opset of [13, 17, 20]) {
          const back = fromONNX(toONNX(m, { opset }), { backend });
          expect(Array.from(back.predict(X).data), `${act} opset ${opset}`).toEqual(want);
          back.dispose();
        }
        m.dispose();
      }
    }, 60_000);

    it(`simdnet → tfjs → simdnet, every activation both have (${backend})`, async () => {
      await ready();
      for (const act of TFJS_SHARED) {
        const m = trained(act, backend);
        const { modelJson, weightData } = toTfjs(m);
        const back = fromTfjs(JSON.parse(JSON.stringify(modelJson)), weightData, { backend });
        expect(Array.from(back.predict(X).data), act).toEqual(Array.from(m.predict(X).data));
        expect(back.layers.filter((l) => l.type === 'dropout')).toHaveLength(1);
        back.dispose();
        m.dispose();
      }
    }, 60_000);
  }

  it('the ONNX round trip keeps the architecture and reads parameters back as they were written', async () => {
    await ready();
    const m = new Sequential({ inputSize: 3, seed: 1, layers: [dense(4, { activation: 'leakyRelu', alpha: 0.01 }), batchNorm({ momentum: 0.1, epsilon: 1e-5 }), dense(4, { activation: 'softplus', beta: 2 }), dense(2, { activation: 'isru', alpha: 0.5 })] });
    const r = readONNX(toONNX(m));
    expect(r.model.layers).toEqual([
      { ...m.layers[0], init: 'he' }, m.layers[1], { ...m.layers[2], init: 'xavier', alpha: 0 }, { ...m.layers[3], init: 'xavier', beta: 0 },
    ]);
    expect(r.producer).toBe('simdnet 0.1.0');
    expect(r.opset).toBe(17);
    r.model.dispose();
    m.dispose();
  });
});
