// Checkpoints of fit(source) in one process: a TableDataset over a CSV file (shuffle buffer smaller
// than the data, so each pass's order depends on its pass number), a validation source, dropout,
// Adam and early stopping. Resumed from the checkpoint of every epoch with new dataset objects and
// a model built from the checkpoint, the run ends bit for bit where the run left alone ends. The
// oracle's sensitivity: the same resume with the dataset's pass count left at 0 gives other
// weights. Refusals: a checkpoint of a fit on matrices, another validation setting, a source
// without state for a checkpoint that holds one. The SIGKILL tests are in checkpoint-kill.test.ts.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adam, dense, dropout, Sequential, ValidationError, type Checkpoint, type History } from '../../src/index.js';
import { CsvStream, fitStream, TableDataset } from '../../src/data/stream/index.js';
import type { SourceFitOptions } from '../../src/train/stream-fit.js';
import { randomArray } from '../helpers/backends.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-stream-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 300, COLS = 5;
const csv = join(dir, 'data.csv');
{
  const r = randomArray(ROWS * COLS, 17);
  const lines = [[...Array.from({ length: COLS }, (_, j) => `x${j}`), 'y'].join(',')];
  for (let i = 0; i < ROWS; i++) {
    const row = Array.from(r.subarray(i * COLS, (i + 1) * COLS));
    lines.push([...row.map((v) => v.toFixed(5)), ['a', 'b', 'c'][(row[0]! + row[1]! > 0 ? 1 : 0) + (i % 4 === 0 ? 1 : 0)]].join(','));
  }
  writeFileSync(csv, lines.join('\n') + '\n');
}
const split = { test: 0, validation: 0.2, seed: 6 };
const stream = new CsvStream(csv);
const fitted = await fitStream(stream, { label: 'y', split });

function datasets(): { train: TableDataset; val: TableDataset } {
  const s = new CsvStream(csv);
  return {
    train: new TableDataset(s, fitted.pipeline, fitted.target, { batchSize: 16, shuffleBuffer: 40, seed: 3, split, part: 'train' }),
    val: new TableDataset(s, fitted.pipeline, fitted.target, { batchSize: 64, shuffleBuffer: 0, split, part: 'validation' }),
  };
}
function model(): Sequential {
  return new Sequential({ inputSize: fitted.pipeline.width, seed: 4, layers: [dense(12, { activation: 'relu' }), dropout(0.3), dense(3, { activation: 'softmax' })] })
    .compile({ optimizer: adam({ learningRate: 0.02 }), l2: 1e-4 });
}
const OPTIONS: SourceFitOptions = { epochs: 9, batchSize: 16, classWeight: [1, 1.5, 2], earlyStopping: { patience: 20, restoreBestWeights: true } };

function bits(m: Sequential): number[] {
  const p = m.getParams();
  return Array.from(new Uint32Array(p.buffer, p.byteOffset, p.length));
}
function clockless(h: History): Omit<History, 'time' | 'samplesPerSec' | 'sourceTime'> {
  const { time: _t, samplesPerSec: _s, sourceTime: _w, ...rest } = h;
  return rest;
}

describe('fit(source) with checkpoint / resumeFrom', async () => {
  const saved: Checkpoint[] = [];
  const alone = model();
  const { train, val } = datasets();
  const want = await alone.fit(train, { ...OPTIONS, validationData: val, checkpoint: { onSave: (c) => { saved.push(c); } } });
  const wantBits = bits(alone);

  it('writes one checkpoint per epoch, holding the passes of both sources', () => {
    expect(saved.map((c) => c.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(saved.map((c) => c.source)).toEqual(saved.map((c) => ({ train: [c.epoch], validation: [c.epoch] })));
    expect(saved[0]!.run.stream).toEqual({ validation: true, classWeight: [1, 1.5, 2] });
    expect(saved[0]!.earlyStopping?.bestWeights).toBeTruthy();
  });

  it('resumed from the checkpoint of every epoch (new datasets, a model from the checkpoint): weights and history bit-identical', async () => {
    for (const c of saved) {
      const m = Sequential.fromCheckpoint(c);
      const d = datasets();
      const h = await m.fit(d.train, { ...OPTIONS, validationData: d.val, resumeFrom: c });
      expect(bits(m), `resumed after epoch ${c.epoch}`).toEqual(wantBits);
      expect(clockless(h)).toEqual(clockless(want));
      m.dispose();
    }
  });

  it('the pass count matters: left at 0, the resumed run ends elsewhere', async () => {
    const c = structuredClone(saved[3]!);
    c.source = { train: [0], validation: [0] };
    const m = Sequential.fromCheckpoint(c);
    const d = datasets();
    await m.fit(d.train, { ...OPTIONS, validationData: d.val, resumeFrom: c });
    expect(bits(m)).not.toEqual(wantBits);
  });

  it('refuses a checkpoint of another kind of run, with the difference', async () => {
    const d = datasets();
    const onMatrices = model();
    const X = { data: randomArray(20 * fitted.pipeline.width, 2), rows: 20, cols: fitted.pipeline.width };
    const mats: Checkpoint[] = [];
    onMatrices.fitSync(X, Int32Array.from({ length: 20 }, (_, i) => i % 3), { epochs: 1, checkpoint: { onSave: (c) => { mats.push(c); } } });
    await expect(model().fit(d.train, { ...OPTIONS, validationData: d.val, resumeFrom: mats[0] })).rejects.toThrow(/^resumeFrom: the checkpoint does not belong to this run: it was written by a fit on matrices \(X, y\), this is a fit on a data source/);
    await expect(model().fit(d.train, { ...OPTIONS, resumeFrom: saved[2] })).rejects.toThrow(/it was written with validationData, this run is without/);
    await expect(model().fit(d.train, { ...OPTIONS, classWeight: [1, 1, 1], validationData: d.val, resumeFrom: saved[2] })).rejects.toThrow(/classWeight \[1,1\.5,2\], this run has \[1,1,1\]/);
    const plain = { [Symbol.asyncIterator]: () => d.train[Symbol.asyncIterator]() };
    const err = await model().fit(plain, { ...OPTIONS, validationData: d.val, resumeFrom: saved[2] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/^resumeFrom: the checkpoint holds the position of a resumable source \(a TableDataset\), this source has no restoreSourceState/);
    const bad = structuredClone(saved[2]!);
    bad.source = { train: [1.5], validation: [3] };
    await expect(Sequential.fromCheckpoint(bad).fit(datasets().train, { ...OPTIONS, validationData: datasets().val, resumeFrom: bad })).rejects.toThrow(/TableDataset's state is \[passes\]/);
    expect(() => onMatrices.fitSync(X, Int32Array.from({ length: 20 }, (_, i) => i % 3), { epochs: 2, resumeFrom: saved[0] })).toThrow(/it was written by a fit on a data source, this is a fit on matrices \(X, y\)/);
    // A refused resume leaves the model as it was.
    const fresh = model();
    const before = bits(fresh);
    await expect(fresh.fit(plain, { ...OPTIONS, validationData: d.val, resumeFrom: saved[5] })).rejects.toThrow(/has no restoreSourceState/);
    expect(bits(fresh)).toEqual(before);
  });
});
