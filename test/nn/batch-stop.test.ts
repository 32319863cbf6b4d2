// onBatchEnd returning false stops training inside an epoch: the model holds exactly the weights
// of the batches run (the same as one epoch over those rows alone), the last epoch's logs cover
// only those batches, and the async fit stops the same way.
import { describe, expect, it } from 'vitest';
import { adam, dense, loadIris, Sequential, StandardScaler, trainingThroughput } from '../../src/index.js';

const { X: raw, y } = loadIris();
const X = new StandardScaler().fit(raw).transform(raw);
const B = 10;

function model(): Sequential {
  const m = new Sequential({ inputSize: 4, seed: 7, layers: [dense(8, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] });
  m.compile({ optimizer: adam({ learningRate: 0.05 }) });
  return m;
}

const rows = (n: number) => ({ data: X.data.slice(0, n * 4), rows: n, cols: 4 });

describe('stopping within an epoch (onBatchEnd returns false)', () => {
  for (const mode of ['fitSync', 'fit'] as const) {
    it(`${mode}: stops after the batch that said so, with the weights of the batches run`, async () => {
      const a = model();
      const seen: { batch: number; size: number; loss: number }[] = [];
      const opts = {
        epochs: 5, batchSize: B, shuffle: false,
        callbacks: { onBatchEnd: (batch: number, l: { size: number; loss: number }) => { seen.push({ batch, size: l.size, loss: l.loss }); return batch !== 3; } },
      };
      const h = mode === 'fit' ? await a.fit(X, y, opts) : a.fitSync(X, y, opts);
      expect(seen.map((s) => s.batch)).toEqual([0, 1, 2, 3]);
      expect(h.epoch).toEqual([0]);
      // The epoch's loss is the mean over the 4 batches run, and its rate counts their 40 samples.
      expect(h.loss[0]).toBeCloseTo(seen.reduce((s, b) => s + b.loss * b.size, 0) / 40, 6);
      expect(h.samplesPerSec[0]! * h.time[0]!).toBeCloseTo(40, 6);
      expect(trainingThroughput(h)).toBeCloseTo(40 / h.time[0]!, 3);
      // One epoch over the first 40 rows alone does the same four steps.
      const b = model();
      b.fitSync(rows(40), y.slice(0, 40), { epochs: 1, batchSize: B, shuffle: false });
      const wa = a.getWeights();
      const wb = b.getWeights();
      wa.forEach((l, i) => { expect(Array.from(l.W!)).toEqual(Array.from(wb[i]!.W!)); expect(Array.from(l.b!)).toEqual(Array.from(wb[i]!.b!)); });
      a.dispose();
      b.dispose();
    });
  }
});
