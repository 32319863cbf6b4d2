// The worked check of issue 14: mish (x·tanh(softplus(x))) added through the activation table.
// The kernel, twin, gradient-check and ONNX Runtime tests pick it up from the table; this file
// checks what they do not: the operator chosen per opset, the import of an ONNX Mish node, and
// values against a float64 hand derivation (f(1) = tanh(ln(1 + e))).
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, dense, HIDDEN_ACTIVATIONS, ready, Sequential } from '../../src/index.js';
import { fromONNX, toONNX } from '../../src/interop/index.js';
import { decodeModel } from '../../src/interop/onnx-proto.js';
import { runOnnx } from './ort.js';

const X = { data: Float32Array.from([1, -2, 0.5, 3]), rows: 4, cols: 1 };

describe('mish, added from the activation table', () => {
  it('is listed for dense() and hidden layers', () => {
    expect(ACTIVATIONS).toContain('mish');
    expect(HIDDEN_ACTIVATIONS).toContain('mish');
  });

  it('is the ONNX Mish operator from opset 18 and Mul(x, Tanh(Softplus(x))) below; ONNX Runtime and import agree', async () => {
    await ready();
    const m = new Sequential({ inputSize: 1, seed: 3, layers: [dense(1, { activation: 'mish' })] });
    m.setWeights([{ W: [1], b: [0] }]);
    const want = Array.from(X.data, (x) => x * Math.tanh(Math.log1p(Math.exp(x))));
    const got = m.predict(X).data;
    for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(want[i]!, 6);
    for (const [opset, ops] of [[17, ['Softplus', 'Tanh', 'Mul']], [18, ['Mish']]] as const) {
      const bytes = toONNX(m, { opset });
      const types = decodeModel(bytes).graph.nodes.map((n) => n.opType);
      for (const op of ops) expect(types, `opset ${opset}`).toContain(op);
      if (opset === 17) expect(types).not.toContain('Mish');
      const ort = (await runOnnx(bytes, { input: { data: X.data, dims: [4, 1] } })).output!.data as Float32Array;
      for (let i = 0; i < 4; i++) expect(ort[i]).toBeCloseTo(want[i]!, 6);
      const back = fromONNX(bytes);
      expect(JSON.stringify(back.toJSON())).toContain('"activation":"mish"');
      expect(Array.from(back.predict(X).data)).toEqual(Array.from(got));
      back.dispose();
    }
    m.dispose();
  }, 60_000);
});
