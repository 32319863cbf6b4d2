// Plain SGD updates the whole parameter block in one call (OptimizerRuntime, the record's wholeBlock):
// element by element it is the same update as one call per tensor, so the weights are bit-identical
// to the per-tensor step, on every backend and on a 2-thread pool (where the one call is split as
// one). The float64 golden steps of test/nn/optimizers.test.ts check the update itself; here odd
// layer sizes leave gaps between the tensors in the block, which must stay zero.
import { describe, expect, it } from 'vitest';
import { dense, Sequential, sgd, momentum } from '../../src/index.js';
import type { Backend } from '../../src/backend.js';
import { kernelBackends, randomArray } from '../helpers/backends.js';
import { firstBitDifference, forcedBackend } from '../threads/helpers.js';

const X = { data: randomArray(90 * 7, 4), rows: 90, cols: 7 };
const y = Int32Array.from({ length: 90 }, (_, i) => i % 3);

function train(b: Backend, whole: boolean, opt = sgd({ learningRate: 0.2 })): { params: Float32Array; block: Float32Array; merged: boolean } {
  const m = new Sequential({ inputSize: 7, seed: 9, backend: b, layers: [dense(5, { activation: 'tanh' }), dense(3, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
  m.compile({ loss: 'categoricalCrossentropy', optimizer: opt });
  m.session.optimizer.fuse = false; // the separate step (one thread fuses plain SGD into the dW GEMMs by default)
  const rt = m.session.optimizer as unknown as { whole: unknown };
  const merged = rt.whole !== undefined;
  if (!whole) rt.whole = undefined;
  m.fitSync(X, y, { epochs: 3, batchSize: 16 });
  const net = m.session.net;
  const block = b.arena.views.f32.slice(net.paramBlock >>> 2, (net.paramBlock >>> 2) + net.paramBlockFloats);
  const out = { params: m.getParams(), block, merged };
  m.dispose();
  return out;
}

describe('SGD over the whole parameter block', () => {
  const backends = [...kernelBackends(), forcedBackend(2)];
  for (const b of backends) {
    it(`${b.binary ?? 'js'} ${b.threadCount} thread(s): bit-identical to one call per tensor, the gaps stay zero`, () => {
      const one = train(b, true), per = train(b, false);
      expect(one.merged).toBe(true);
      expect(firstBitDifference(one.params, per.params)).toBe(-1);
      expect(firstBitDifference(one.block, per.block)).toBe(-1);
      expect(one.block.length).toBeGreaterThan(one.params.length); // odd sizes: the block has gaps between tensors
      const nonzero = (a: Float32Array) => a.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
      expect(nonzero(one.block)).toBe(nonzero(one.params)); // every nonzero float of the block is a parameter: the gaps stay 0
    });
  }

  it('momentum keeps one call per tensor (its velocities are not laid out as the block)', () => {
    expect(train(kernelBackends()[0]!, true, momentum({ learningRate: 0.1, momentum: 0.9 })).merged).toBe(false);
  });
});
