// Checkpoints in one process: the CRC-32 against zlib's, the byte format's round trip, resuming
// from the checkpoint of every epoch (object and bytes) against the uninterrupted run, extending a
// finished run, and the refusals: another architecture, optimizer, data or batch size; a flipped
// byte, a truncated file, a model file, an unknown version, bad options. A refused resume leaves
// the model as it was.

import { crc32 as zlibCrc32 } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adam, batchNorm, decodeCheckpoint, dense, dropout, encodeCheckpoint, FileError, ModelFormatError, readCheckpoint, rmsprop, Sequential, sgd,
  ValidationError, type Checkpoint, type FitOptions, type History,
} from '../../src/index.js';
import { crc32, decodeCheckpointBytes, encodeCheckpointBytes } from '../../src/train/checkpoint-format.js';
import { randomArray } from '../helpers/backends.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-ckpt-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 150, COLS = 6;
const X = { data: randomArray(ROWS * COLS, 3), rows: ROWS, cols: COLS };
const y = Int32Array.from({ length: ROWS }, (_, i) => (X.data[i * COLS]! + X.data[i * COLS + 1]! > 0 ? 1 : 0) + (i % 3 === 0 ? 1 : 0));

function bnModel(units = 12): Sequential {
  return new Sequential({ inputSize: COLS, seed: 21, layers: [dense(units, { activation: 'relu' }), batchNorm(), dropout(0.25), dense(3, { activation: 'softmax' })] })
    .compile({ optimizer: adam({ learningRate: 0.03 }), l2: 1e-4 });
}
const ES: FitOptions = { epochs: 30, batchSize: 20, validationSplit: 0.2, earlyStopping: { patience: 1, restoreBestWeights: true }, classWeight: 'balanced' };

function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}
function clockless(h: History): Omit<History, 'time' | 'samplesPerSec'> {
  const { time: _t, samplesPerSec: _s, ...rest } = h;
  return rest;
}

describe('CRC-32 and the byte format', () => {
  it('crc32 equals zlib.crc32 on random data and the published check value of "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    for (const n of [0, 1, 7, 1000, 65_537]) {
      const bytes = new Uint8Array(randomArray(Math.ceil(n / 4), n).buffer).subarray(0, n);
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    }
  });

  it('typed arrays, doubles, infinities and nesting survive exactly', () => {
    const v = { a: new Float32Array([1.5, -0, 3e-39]), b: [new Int32Array([-7, 2 ** 31 - 1]), { c: new Uint32Array([2 ** 32 - 1]) }], d: 0.1 + 0.2, e: -Infinity, f: Infinity, g: new Float64Array([Math.PI]), s: 'x' };
    const back = decodeCheckpointBytes(encodeCheckpointBytes(v), 'test') as typeof v;
    expect(bits(back.a)).toEqual(bits(v.a));
    expect(Object.is(back.a[1], -0)).toBe(true);
    expect(back.b[0]).toEqual(v.b[0]);
    expect((back.b[1] as { c: Uint32Array }).c[0]).toBe(2 ** 32 - 1);
    expect(back.d).toBe(0.30000000000000004);
    expect(back.e).toBe(-Infinity);
    expect(back.f).toBe(Infinity);
    expect(back.g[0]).toBe(Math.PI);
  });
});

describe('resume in process', () => {
  const saved: Checkpoint[] = [];
  const alone = bnModel();
  const want = alone.fitSync(X, y, { ...ES, checkpoint: { onSave: (c) => { saved.push(c); } } });
  const wantParams = alone.getParams();
  const wantWeights = alone.getWeights();

  it('the reference run stops early and restores its best weights (so that state is under test)', () => {
    expect(want.stoppedEarly).toBe(true);
    expect(want.bestEpoch).toBeLessThan(want.epoch.length - 1);
    expect(saved.map((c) => c.epoch)).toEqual(want.epoch.map((e) => e + 1));
    expect(saved.at(-1)!.stopped).toBe(true);
  });

  it('from the checkpoint of every epoch, as the object and as bytes: weights, running statistics and history bit-identical', async () => {
    for (const c of saved) {
      for (const form of ['object', 'bytes'] as const) {
        const m = bnModel();
        const h = form === 'object' ? m.fitSync(X, y, { ...ES, resumeFrom: c }) : await m.fit(X, y, { ...ES, resumeFrom: encodeCheckpoint(c) });
        expect(bits(m.getParams()), `epoch ${c.epoch} ${form}`).toEqual(bits(wantParams));
        m.getWeights().forEach((w, i) => { for (const k of Object.keys(w)) expect(bits(w[k]!)).toEqual(bits(wantWeights[i]![k]!)); });
        expect(clockless(h)).toEqual(clockless(want));
        m.dispose();
      }
    }
  });

  it('a finished run extended: 4 epochs, then resumed to 9, equals 9 epochs straight (RMSprop)', () => {
    const make = () => new Sequential({ inputSize: COLS, seed: 2, layers: [dense(9, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] }).compile({ optimizer: rmsprop({ learningRate: 0.01 }) });
    const a = make();
    const straight = a.fitSync(X, y, { epochs: 9, batchSize: 32 });
    const b = make();
    let last: Checkpoint | undefined;
    b.fitSync(X, y, { epochs: 4, batchSize: 32, checkpoint: { onSave: (c) => { last = c; }, every: 10 } });
    expect(last!.epoch).toBe(4); // the last epoch always writes
    const c = make();
    const resumed = c.fitSync(X, y, { epochs: 9, batchSize: 32, resumeFrom: last });
    expect(bits(c.getParams())).toEqual(bits(a.getParams()));
    expect(clockless(resumed)).toEqual(clockless(straight));
    for (const m of [a, b, c]) m.dispose();
  });

  it('a file written by checkpoint.path every 2 epochs, read back by path and by Sequential.fromCheckpoint', async () => {
    const path = join(dir, 'run.ckpt');
    const epochsSeen: number[] = [];
    const m = bnModel();
    await m.fit(X, y, { ...ES, epochs: 5, earlyStopping: undefined, checkpoint: { path, every: 2, onSave: (c) => { epochsSeen.push(c.epoch); } } });
    expect(epochsSeen).toEqual([2, 4, 5]);
    expect(readCheckpoint(path).epoch).toBe(5);
    const again = Sequential.fromCheckpoint(path);
    await again.fit(X, y, { ...ES, epochs: 5, earlyStopping: undefined, resumeFrom: path });
    expect(bits(again.getParams())).toEqual(bits(m.getParams()));
    m.dispose();
    again.dispose();
  });

  const c3 = saved[2]!;
  function refused(model: Sequential, options: FitOptions): unknown {
    const before = model.getParams();
    let err: unknown;
    try { model.fitSync(X, y, options); } catch (e) { err = e; }
    expect(bits(model.getParams())).toEqual(bits(before));
    model.dispose();
    return err;
  }

  it('refuses a checkpoint of another architecture, optimizer, data, batch size or early stopping, naming the difference', () => {
    const cases: [Sequential, FitOptions, RegExp][] = [
      [bnModel(13), { ...ES, resumeFrom: c3 }, /layer 0 is .*"units":12.* there, .*"units":13/],
      [new Sequential({ inputSize: COLS, seed: 21, layers: [dense(12, { activation: 'relu' }), dense(3, { activation: 'softmax' })] }).compile({ optimizer: adam({ learningRate: 0.03 }), l2: 1e-4 }),
        { ...ES, resumeFrom: c3 }, /4 layers .*this one has 2/],
      [bnModel().compile({ optimizer: sgd({ learningRate: 0.03 }), l2: 1e-4 }), { ...ES, resumeFrom: c3 }, /compiled with optimizer/],
      [bnModel(), { ...ES, batchSize: 21, resumeFrom: c3 }, /batchSize 20, this run has 21/],
      [bnModel(), { ...ES, seed: 5, resumeFrom: c3 }, /other training data/],
      [bnModel(), { ...ES, earlyStopping: { patience: 2, restoreBestWeights: true }, resumeFrom: c3 }, /earlyStopping/],
    ];
    for (const [model, options, message] of cases) {
      const e = refused(model, options);
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).argument).toBe('resumeFrom');
      expect((e as Error).message).toMatch(message);
    }
    const other = { data: X.data.slice(), rows: ROWS, cols: COLS };
    other.data[77] = other.data[77]! + 1e-3;
    const m = bnModel();
    expect(() => m.fitSync(other, y, { ...ES, resumeFrom: c3 })).toThrow(/other training data/);
    m.dispose();
  });

  it('refuses damaged bytes: a flipped bit anywhere, a truncation, a model file, an unknown version', () => {
    const bytes = encodeCheckpoint(c3);
    for (const at of [20, Math.floor(bytes.length / 2), bytes.length - 9, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at] = bad[at]! ^ 0x10;
      expect(() => decodeCheckpoint(bad)).toThrow(ModelFormatError);
      expect(() => decodeCheckpoint(bad)).toThrow(/checksum mismatch/);
    }
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 100))).toThrow(/checksum mismatch/);
    expect(() => decodeCheckpoint(bytes.subarray(0, 10))).toThrow(/shorter than any checkpoint/);
    const modelFile = join(dir, 'model.json');
    const m = bnModel();
    writeFileSync(modelFile, JSON.stringify(m.toJSON()));
    expect(() => readCheckpoint(modelFile)).toThrow(/signature SIMDNETC .*model file/);
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint32(8, 2, true);
    expect(() => decodeCheckpoint(v2)).toThrow(/format version 2; this simdnet reads version 1/);
    expect(() => readCheckpoint(join(dir, 'absent.ckpt'))).toThrow(/cannot read checkpoint file/);
    const e = refused(m, { ...ES, resumeFrom: bytes.slice(0, -1) });
    expect(e).toBeInstanceOf(ModelFormatError);
  });

  it('refuses a checkpoint object whose tensors do not fit, before touching the model', () => {
    const broken = structuredClone(c3);
    broken.optimizer.moments[1] = new Float32Array(3);
    expect(refused(bnModel(), { ...ES, resumeFrom: broken })).toBeInstanceOf(ModelFormatError);
    const nan = structuredClone(c3);
    nan.weights[0]!.W![5] = NaN;
    expect((refused(bnModel(), { ...ES, resumeFrom: nan }) as Error).message).toMatch(/weights\[0\]\.W: value 5 is NaN/);
    const perm = structuredClone(c3);
    perm.permutation[0] = perm.permutation[1]!;
    expect((refused(bnModel(), { ...ES, resumeFrom: perm }) as Error).message).toMatch(/not a permutation/);
  });

  it('bad options: every, neither path nor onSave, a promise from onSave in fitSync, a data source, a failing path', async () => {
    const m = bnModel();
    expect(() => m.fitSync(X, y, { epochs: 1, checkpoint: { path: join(dir, 'x'), every: 0 } })).toThrow(/checkpoint.every: expected an integer ≥ 1/);
    expect(() => m.fitSync(X, y, { epochs: 1, checkpoint: {} })).toThrow(/needs a path \(Node\) or an onSave callback/);
    expect(() => m.fitSync(X, y, { epochs: 1, checkpoint: { onSave: async () => {} } })).toThrow(/which fitSync cannot wait for: use await model.fit\(\)/);
    expect(() => m.fitSync(X, y, { epochs: 1, resumeFrom: 42 as unknown as string })).toThrow(/expected a checkpoint path, its bytes/);
    // A data source is checkpointed too (stream-checkpoint.test.ts): the file says so.
    await m.fit((function* () { yield { X, y }; })(), { epochs: 1, checkpoint: { path: join(dir, 'y') } });
    expect(readCheckpoint(join(dir, 'y')).run.stream).toEqual({ validation: false, classWeight: null });
    // An unwritable path is found before training starts, for matrices and for sources.
    const live = m.backend.arena.liveBytes;
    const before = m.getParams();
    const epochs: number[] = [];
    const bad = join(dir, 'no', 'such', 'dir.ckpt');
    await expect(m.fit(X, y, { epochs: 2, checkpoint: { path: bad }, callbacks: { onEpochEnd: (e) => { epochs.push(e); } } })).rejects.toBeInstanceOf(FileError);
    expect(() => m.fitSync(X, y, { epochs: 2, checkpoint: { path: bad }, callbacks: { onEpochEnd: (e) => { epochs.push(e); } } })).toThrow(/^checkpoint\.path: cannot write .*dir\.ckpt: no such file or directory/);
    await expect(m.fit((function* () { yield { X, y }; })(), { epochs: 1, checkpoint: { path: bad }, callbacks: { onEpochEnd: (e) => { epochs.push(e); } } })).rejects.toBeInstanceOf(FileError);
    expect(epochs).toEqual([]);
    expect(m.getParams()).toEqual(before);
    expect(m.backend.arena.liveBytes).toBe(live);
    m.dispose();
  });

  it('an async onSave is awaited before training goes on', async () => {
    const order: string[] = [];
    const m = bnModel();
    await m.fit(X, y, {
      epochs: 3, batchSize: 50,
      callbacks: { onEpochEnd: (e) => { order.push(`end ${e + 1}`); } },
      checkpoint: { onSave: async (c) => { await new Promise((r) => setTimeout(r, 5)); order.push(`saved ${c.epoch}`); } },
    });
    expect(order).toEqual(['end 1', 'saved 1', 'end 2', 'saved 2', 'end 3', 'saved 3']);
    m.dispose();
    alone.dispose();
  });
});
