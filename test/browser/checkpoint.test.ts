// simdnet/checkpoint in a real Chromium, from the prebuilt bundles (dist/browser/simdnet.js and
// simdnet.checkpoint.js, which imports the former and installs the checkpoint code there). A fit
// writes a checkpoint into IndexedDB after every epoch and the page is reloaded by the browser
// mid-training (a real interruption: the page's memory, its wasm instance and its pending fit are
// gone); the new page resumes from IndexedDB. The oracle is the same run left alone in the same
// page: the final weights and the history (all but the clock readings) must be bit-identical. The
// downloaded checkpoint's bytes are decoded in Node (src/) and must be the checkpoint IndexedDB
// holds, and resuming from them as a File gives the same weights again.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../src/index.js';
import { importBundle, threeClassData, useBrowser } from './harness.js';

const EPOCHS = 10;
const KILL_EPOCH = 3; // 0-based: the page is reloaded once batch 3 of the 4th epoch is done

// The run both pages do: its data, model and options. `extra` adds the checkpoint and resume options.
const FIXTURE = `
import * as s from '../browser/simdnet.js';
import * as c from '../browser/simdnet.checkpoint.js';
${threeClassData(600, 8)}
export const data = { X: { data: X, rows: ROWS, cols: COLS }, y };
export function model() {
  return new s.Sequential({ inputSize: COLS, seed: 5, layers: [s.dense(24, { activation: 'relu' }), s.batchNorm(), s.dropout(0.25), s.dense(3, { activation: 'softmax' })] })
    .compile({ optimizer: s.adam({ learningRate: 0.01 }), l2: 1e-4 });
}
export function options(extra) {
  return { epochs: ${EPOCHS}, batchSize: 12, validationSplit: 0.2, seed: 9, earlyStopping: { patience: 50, restoreBestWeights: true }, ...extra };
}
export function result(m, h) {
  const p = m.getParams();
  const { time, samplesPerSec, ...rest } = h;
  return { bits: Array.from(new Uint32Array(p.buffer, p.byteOffset, p.length)), history: rest };
}
export { s, c };
`;

const env = useBrowser((s) => `${s.origin}/fixture/`, (s) => {
  const dir = join(s.outDir, 'fixture');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.js'), FIXTURE);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>checkpoint</title><link rel="icon" href="data:,"><p>checkpoint</p>');
});

interface Fixture {
  s: typeof import('../../src/web/browser.js');
  c: typeof import('../../src/checkpoint/index.js');
  data: { X: { data: Float32Array; rows: number; cols: number }; y: Int32Array };
  model(): import('../../src/index.js').Sequential;
  options(extra: Record<string, unknown>): import('../../src/index.js').FitOptions;
  result(m: unknown, h: unknown): { bits: number[]; history: Record<string, unknown> };
}
type Win = Window & { run: Fixture; reached?: boolean; saved?: number; failed?: string };

describe('simdnet.checkpoint.js in Chromium', () => {
  it('without simdnet/checkpoint, fit({ checkpoint }) says what to import; the bundle imports ./simdnet.js', async () => {
    const { page } = env();
    await importBundle(page, '/browser/simdnet.js', 'simdnet');
    const msg = await page.evaluate(async () => {
      const s = (window as unknown as { simdnet: Fixture['s'] }).simdnet;
      await s.ready();
      const m = new s.Sequential({ inputSize: 2, seed: 1, layers: [s.dense(1, { activation: 'sigmoid' })] }).compile({});
      try {
        await m.fit([[0, 1], [1, 0]], [0, 1], { epochs: 1, checkpoint: { onSave: () => {} } });
        return 'trained';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    });
    expect(msg).toMatch(/^ValidationError: checkpoint: .*import 'simdnet\/checkpoint'/);
    expect(readFileSync(join(env().served.outDir, 'browser/simdnet.checkpoint.js'), 'utf8')).toMatch(/from\s*"\.\/simdnet\.js"/);
  }, 60_000);

  it('reloaded mid-training, resumed from IndexedDB: the weights and history of the run left alone, bit for bit; the download decodes to the same checkpoint', async () => {
    const { page } = env();
    await importBundle(page, './run.js', 'run');
    // The interrupted run: a checkpoint into IndexedDB after every epoch, one batch per event-loop turn.
    await page.evaluate(async (kill) => {
      const w = window as unknown as Win;
      const { s, c, data, model, options } = w.run;
      await s.ready({ binary: 'simd' });
      await c.deleteCheckpointFromIndexedDB('run');
      let epoch = 0;
      model().fit(data.X, data.y, options({
        yieldEvery: 0,
        checkpoint: { every: 1, onSave: async (ck: { epoch: number }) => { await c.saveCheckpointToIndexedDB(ck as never, 'run'); w.saved = ck.epoch; } },
        callbacks: { onEpochEnd: (e: number) => { epoch = e + 1; }, onBatchEnd: (b: number) => { if (epoch === kill && b === 3) w.reached = true; } },
      })).then(() => { w.failed = 'the run finished before the reload'; }, (e: Error) => { w.failed = e.message; });
    }, KILL_EPOCH);
    await page.waitForFunction(() => (window as unknown as Win).reached === true || (window as unknown as Win).failed !== undefined);
    expect(await page.evaluate(() => (window as unknown as Win).failed)).toBeUndefined();
    const savedBefore = await page.evaluate(() => (window as unknown as Win).saved);
    expect(savedBefore).toBe(KILL_EPOCH);
    await page.reload();

    // A new page: nothing of the old one is left but IndexedDB.
    expect(await page.evaluate(() => 'run' in window || 'reached' in window)).toBe(false);
    await importBundle(page, './run.js', 'run');
    const out = await page.evaluate(async () => {
      const w = window as unknown as Win;
      const { s, c, data, model, options, result } = w.run;
      await s.ready({ binary: 'simd' });
      const ck = await c.loadCheckpointFromIndexedDB('run');
      if (!ck) throw new Error('no checkpoint in IndexedDB');
      const at = ck.epoch;
      const resumed = s.Sequential.fromCheckpoint(ck);
      const h1 = await resumed.fit(data.X, data.y, options({ resumeFrom: ck, checkpoint: { onSave: (x: never) => c.saveCheckpointToIndexedDB(x, 'run') } }));
      const alone = model();
      const h2 = await alone.fit(data.X, data.y, options({}));
      const last = await c.loadCheckpointFromIndexedDB('run');
      const missing = await c.loadCheckpointFromIndexedDB('no-such-run');
      const bytes = Array.from(new Uint8Array(await c.checkpointBlob(last!).arrayBuffer()));
      return { at, resumed: result(resumed, h1), alone: result(alone, h2), lastEpoch: last?.epoch, missing: missing === undefined, bytes };
    });
    // Resumed from a checkpoint at or after the epoch where the reload was asked for, and before the end.
    expect(out.at).toBeGreaterThanOrEqual(KILL_EPOCH);
    expect(out.at).toBeLessThan(EPOCHS);
    expect(out.resumed.history.epoch).toEqual(Array.from({ length: EPOCHS }, (_, i) => i));
    expect(out.resumed.bits).toEqual(out.alone.bits);
    expect(out.resumed.history).toEqual(out.alone.history);
    expect(out.lastEpoch).toBe(EPOCHS);
    expect(out.missing).toBe(true);

    // The download: its bytes are the checkpoint IndexedDB holds, decoded by Node's code.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(async () => {
        const { c } = (window as unknown as Win).run;
        c.downloadCheckpoint((await c.loadCheckpointFromIndexedDB('run'))!, 'run.ckpt');
      }),
    ]);
    expect(download.suggestedFilename()).toBe('run.ckpt');
    const file = readFileSync((await download.path())!);
    expect(Array.from(file)).toEqual(out.bytes);
    const decoded = decodeCheckpoint(new Uint8Array(file));
    expect(decoded.epoch).toBe(EPOCHS);
    expect(decoded.history.loss).toEqual(out.alone.history.loss);
    expect(decoded.model.layers.map((l) => l.type)).toEqual(['dense', 'batchNorm', 'dropout', 'dense']);

    // Resuming the run from its checkpoint of epoch KILL_EPOCH, read back from a File of its bytes.
    const again = await page.evaluate(async ({ kill }) => {
      const w = window as unknown as Win;
      const { s, c, data, model, options, result } = w.run;
      let at: Uint8Array<ArrayBuffer> | undefined;
      const keep = async (x: { epoch: number }) => { if (x.epoch === kill) at = new Uint8Array(await c.checkpointBlob(x as never).arrayBuffer()); };
      await model().fit(data.X, data.y, options({ checkpoint: { onSave: keep } }));
      const ck = await c.loadCheckpointFromFile(new File([at!], 'epoch.ckpt'));
      const r = s.Sequential.fromCheckpoint(ck);
      const h = await r.fit(data.X, data.y, options({ resumeFrom: ck }));
      let refused = '';
      try { await c.loadCheckpointFromFile(new File([at!.subarray(0, at!.length - 1)], 'cut.ckpt')); } catch (e) { refused = `${(e as Error).name}: ${(e as Error).message}`; }
      return { epoch: ck.epoch, ...result(r, h), refused };
    }, { kill: KILL_EPOCH });
    expect(again.epoch).toBe(KILL_EPOCH);
    expect(again.bits).toEqual(out.alone.bits);
    expect(again.history).toEqual(out.alone.history);
    expect(again.refused).toMatch(/^ModelFormatError: cut\.ckpt: not a readable simdnet checkpoint: checksum mismatch/);
  }, 120_000);
});
