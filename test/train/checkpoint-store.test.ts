// simdnet/checkpoint's entry in Node (src/checkpoint/index.ts): the same implementation as the main
// entry's, a Blob / File round trip (the bytes of checkpoint.path files), and the browser-only
// helpers refusing clearly where there is no IndexedDB or page. The IndexedDB paths and the
// download run in Chromium (test/browser/checkpoint.test.ts).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as entry from '../../src/checkpoint/index.js';
import { dense, encodeCheckpoint, ModelFormatError, readCheckpoint, Sequential, sgd, ValidationError, type Checkpoint } from '../../src/index.js';
import { randomArray } from '../helpers/backends.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-ckpt-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const X = { data: randomArray(40 * 3, 8), rows: 40, cols: 3 };
const y = Int32Array.from({ length: 40 }, (_, i) => i % 2);
const model = () => new Sequential({ inputSize: 3, seed: 2, layers: [dense(4, { activation: 'tanh' }), dense(1, { activation: 'sigmoid' })] }).compile({ optimizer: sgd({ learningRate: 0.1 }) });

describe('simdnet/checkpoint in Node', () => {
  const path = join(dir, 'run.ckpt');
  const saved: Checkpoint[] = [];
  model().fitSync(X, y, { epochs: 3, batchSize: 8, checkpoint: { path, onSave: (c) => { saved.push(c); } } });

  it('is the main entry\'s implementation', () => {
    expect(entry.readCheckpoint).toBe(readCheckpoint);
    expect(entry.encodeCheckpoint).toBe(encodeCheckpoint);
    expect(entry.CHECKPOINT_FORMAT).toBe('simdnet.checkpoint');
  });

  it('checkpointBlob holds the bytes of the checkpoint file; loadCheckpointFromFile reads them back and refuses a cut file', async () => {
    const last = saved.at(-1)!;
    const blob = entry.checkpointBlob(last);
    expect(blob.type).toBe('application/octet-stream');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(Buffer.from(bytes).equals(readFileSync(path))).toBe(true);
    const back = await entry.loadCheckpointFromFile(new File([bytes], 'run.ckpt'));
    expect(back.epoch).toBe(3);
    expect(encodeCheckpoint(back)).toEqual(bytes);
    await expect(entry.loadCheckpointFromFile(new File([bytes.subarray(0, 100)], 'cut.ckpt'))).rejects.toThrow(/^cut\.ckpt: not a readable simdnet checkpoint/);
    await expect(entry.loadCheckpointFromFile(new Blob([bytes.subarray(0, 100)]))).rejects.toBeInstanceOf(ModelFormatError);
    await expect(entry.loadCheckpointFromFile('run.ckpt' as never)).rejects.toThrow(/^file: expected a File or Blob, got string/);
  });

  it('the IndexedDB and download helpers say what they need; a bad key is named', async () => {
    const c = saved[0]!;
    await expect(entry.saveCheckpointToIndexedDB(c, 'k')).rejects.toThrow(/^saveCheckpointToIndexedDB: needs IndexedDB .*in Node, give fit checkpoint\.path/);
    await expect(entry.loadCheckpointFromIndexedDB('k')).rejects.toBeInstanceOf(ValidationError);
    await expect(entry.deleteCheckpointFromIndexedDB('k')).rejects.toBeInstanceOf(ValidationError);
    await expect(entry.saveCheckpointToIndexedDB(c, '')).rejects.toThrow(/^key: expected a non-empty string/);
    await expect(entry.loadCheckpointFromIndexedDB(7 as never)).rejects.toThrow(/^key: expected a non-empty string naming the checkpoint, got number/);
    expect(() => entry.downloadCheckpoint(c, 'x.ckpt')).toThrow(/^downloadCheckpoint: needs a page/);
    expect(() => entry.downloadCheckpoint(c, '')).toThrow(/^filename: expected a non-empty string/);
  });
});
