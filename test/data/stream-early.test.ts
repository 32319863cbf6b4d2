// Early stopping on a streamed source: fit(dataset, { validationData: dataset, earlyStopping })
// stops `patience` epochs after the best validation loss and restores that epoch's weights, checked
// by evaluating the model on the validation rows afterwards (it must give the best epoch's loss).
import { describe, expect, it } from 'vitest';
import { CsvStream, dense, fitStream, Sequential, TableDataset } from '../../src/index.js';

const path = new URL('../fixtures/tables/penguins_raw.csv', import.meta.url).pathname;

describe('early stopping on a stream', () => {
  it('stops patience epochs after the best validation loss and keeps the best weights', async () => {
    const stream = new CsvStream(path);
    const split = { test: 0.2, validation: 0.25, seed: 4 };
    const fit = await fitStream(stream, { label: 'Species', split });
    const part = (p: 'train' | 'validation', batchSize = 16) => new TableDataset(stream, fit.pipeline, fit.target, { batchSize, split, part: p, seed: 1 });
    const net = new Sequential({ inputSize: fit.pipeline.width, seed: 1, layers: [dense(32, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    net.compile({ loss: 'categoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.05 } });
    const patience = 3;
    const h = await net.fit(part('train'), { epochs: 300, batchSize: 16, validationData: part('validation', 1000), earlyStopping: { patience, restoreBestWeights: true } });
    expect(h.stoppedEarly).toBe(true);
    expect(h.epoch.length).toBeLessThan(300);
    const best = h.valLoss.indexOf(Math.min(...h.valLoss));
    expect(h.bestEpoch).toBe(best);
    expect(h.epoch.length - 1 - best).toBe(patience + 1);
    // the weights are the best epoch's: the validation loss now is that epoch's
    let lossSum = 0, n = 0;
    for await (const b of part('validation', 1000)) {
      const e = net.evaluate(b.X, b.y);
      lossSum += e.loss * b.X.rows; n += b.X.rows;
    }
    expect(lossSum / n).toBeCloseTo(h.valLoss[best]!, 5);
    expect(lossSum / n).toBeLessThan(h.valLoss.at(-1)!);
    net.dispose();
  });

  it('refuses a validation monitor without validation data', async () => {
    const stream = new CsvStream(path);
    const fit = await fitStream(stream, { label: 'Species' });
    const net = new Sequential({ inputSize: fit.pipeline.width, seed: 1, layers: [dense(3, { activation: 'softmax' })] });
    net.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
    await expect(net.fit(new TableDataset(stream, fit.pipeline, fit.target), { epochs: 2, earlyStopping: { patience: 1, monitor: 'valLoss' } })).rejects.toThrow(/earlyStopping\.monitor.*valLoss needs validationData/);
    net.dispose();
  });
});
