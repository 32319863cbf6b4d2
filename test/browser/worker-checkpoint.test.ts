// trainInWorker with checkpoints in a real Chromium, from the prebuilt bundles. The page starts a
// worker fit that stores a checkpoint in IndexedDB after every epoch and resumes from that key when
// a checkpoint is there; the browser reloads the page in the middle of an epoch (the page, its
// worker, the worker's wasm instance and its pending fit are gone), and the new page runs the same
// call, which resumes from IndexedDB. The oracle is the same run left alone: the final model JSON
// (its weights as base64 float32, so bit for bit) and the history (all but the clock readings) must
// be identical. The same again on 2 threads (the worker's ready({ threads: 2 }): a pool of Blob
// workers on shared memory, the page being cross-origin isolated), against the 1-thread run left
// alone. The checkpoints handed to onCheckpoint are decoded in Node (src/), and resuming from the
// bytes of one of them gives the same model again. Bad checkpoint options reject with their name.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../src/index.js';
import { importBundle, outsideLocalhost, root, threeClassData, useBrowser } from './harness.js';

/** The example of docs/browser.md's "Checkpoints of a worker fit", importing the bundle from where the test serves it. */
function docExample(): string {
  const doc = readFileSync(join(root, 'docs/browser.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### Checkpoints of a worker fit'));
  const m = /```js\n([\s\S]*?)^```$/m.exec(section);
  if (!m) throw new Error('docs/browser.md: no js block under "Checkpoints of a worker fit"');
  return m[1]!.replace("from './simdnet/simdnet.js'", "from '../browser/simdnet.js'");
}

const EPOCHS = 12;
const KILL_EPOCH = 3; // 0-based: the page is reloaded once batch 3 of the 4th epoch is done

// 960 rows × 64 features, dense 256: the first layer's GEMMs (2·32·256·64 ≈ 1.05 MFLOP per batch of
// 32) are past the pool's split threshold (2 × 400 kFLOP), so on 2 threads they run split.
const FIXTURE = `
import * as s from '../browser/simdnet.js';
import * as c from '../browser/simdnet.checkpoint.js';
${threeClassData(960, 64)}
export function job(threads, fit, units = 256) {
  return s.trainInWorker({
    X: { data: X, rows: ROWS, cols: COLS }, y, seed: 5,
    layers: [s.dense(units, { activation: 'relu' }), s.batchNorm(), s.dropout(0.25), s.dense(3, { activation: 'softmax' })],
    compile: { optimizer: s.adam({ learningRate: 0.01 }), l2: 1e-4 },
    ready: { threads },
    fit: { epochs: ${EPOCHS}, batchSize: 32, validationSplit: 0.2, seed: 9, earlyStopping: { patience: 50, restoreBestWeights: true }, yieldEvery: 0, ...fit },
    batchProgressEvery: 0,
  });
}
export async function result(t) {
  const r = await t.result;
  const { time, samplesPerSec, ...history } = r.history;
  return { modelJson: r.modelJson, history, threadCount: r.backend.threadCount, binary: r.backend.binary, resumedFrom: r.resumedFrom ?? null };
}
export { s, c };
`;

const env = useBrowser((s) => `${s.origin}/fixture-wk/`, (s) => {
  const dir = join(s.outDir, 'fixture-wk');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.js'), FIXTURE);
  writeFileSync(join(dir, 'doc.js'), docExample());
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>worker checkpoint</title><link rel="icon" href="data:,"><p>worker checkpoint</p>');
});

interface Outcome { modelJson: unknown; history: Record<string, unknown>; threadCount: number; binary: string; resumedFrom: number | null }
interface Training {
  onBatchProgress(l: (p: { epoch: number; batch: number }) => void): Training;
  onCheckpoint(l: (bytes: Uint8Array, epoch: number) => void): Training;
  result: Promise<unknown>;
}
interface Fixture {
  s: typeof import('../../src/web/browser.js');
  c: typeof import('../../src/checkpoint/index.js');
  job(threads: number, fit: Record<string, unknown>, units?: number): Training;
  result(t: Training): Promise<Outcome>;
}
type Win = Window & { run: Fixture; reached?: boolean; saved?: number[]; failed?: string };

/** The resumable call, as a page makes it on every visit: checkpoint into `key`, resume from `key`. */
const resumable = (key: string) => ({ checkpoint: { every: 1, indexedDB: key }, resumeFrom: { indexedDB: key } });

/** Starts the resumable worker fit in a fresh page, reloads the page mid-epoch, and runs the same call in the new page. */
async function reloadAndResume(key: string, threads: number): Promise<{ savedBefore: number[]; resumed: Outcome; epochs: number[]; last: number[] }> {
  const { page } = env();
  await page.reload();
  await importBundle(page, './run.js', 'run');
  await page.evaluate(async ({ key, threads, kill, fit }) => {
    const w = window as unknown as Win;
    await w.run.c.deleteCheckpointFromIndexedDB(key);
    w.saved = [];
    w.run.job(threads, fit)
      .onCheckpoint((_, epoch) => { w.saved!.push(epoch); })
      .onBatchProgress((p) => { if (p.epoch === kill + 1 && p.batch === 3) w.reached = true; })
      .result.then(() => { w.failed = 'the run finished before the reload'; }, (e: Error) => { w.failed = `${e.name}: ${e.message}`; });
  }, { key, threads, kill: KILL_EPOCH, fit: resumable(key) });
  await page.waitForFunction(() => (window as unknown as Win).reached === true || (window as unknown as Win).failed !== undefined);
  const before = await page.evaluate(() => ({ failed: (window as unknown as Win).failed, saved: (window as unknown as Win).saved! }));
  expect(before.failed).toBeUndefined();
  await page.reload();

  // A new page: nothing of the old one is left but IndexedDB.
  expect(await page.evaluate(() => 'run' in window || 'reached' in window)).toBe(false);
  await importBundle(page, './run.js', 'run');
  const out = await page.evaluate(async ({ key, threads, fit }) => {
    const { job, result } = (window as unknown as Win).run;
    const epochs: number[] = [];
    let last: Uint8Array | undefined;
    const resumed = await result(job(threads, fit).onCheckpoint((bytes, epoch) => { epochs.push(epoch); last = bytes; }));
    return { resumed, epochs, last: Array.from(last ?? []) };
  }, { key, threads, fit: resumable(key) });
  return { savedBefore: before.saved, ...out };
}

describe('trainInWorker checkpoints in Chromium', () => {
  let alone: Outcome | undefined;
  async function leftAlone(): Promise<Outcome> {
    alone ??= await env().page.evaluate(async () => {
      const { job, result } = (window as unknown as Win).run;
      return result(job(1, {}));
    });
    return alone;
  }

  it('reloaded mid-fit, the worker resumes from IndexedDB and ends with the weights and history of the run left alone, bit for bit', async () => {
    const r = await reloadAndResume('wk-1', 1);
    // The first page got the checkpoints of epochs 1..KILL before the reload.
    expect(r.savedBefore).toEqual(Array.from({ length: KILL_EPOCH }, (_, i) => i + 1));
    expect(r.resumed.resumedFrom).toBeGreaterThanOrEqual(KILL_EPOCH);
    expect(r.resumed.resumedFrom).toBeLessThan(EPOCHS);
    expect(r.resumed.threadCount).toBe(1);
    const ref = await leftAlone();
    expect(r.resumed.history.epoch).toEqual(Array.from({ length: EPOCHS }, (_, i) => i));
    expect(r.resumed.modelJson).toEqual(ref.modelJson);
    expect(r.resumed.history).toEqual(ref.history);
    // The resumed run's checkpoints went on from where it resumed; the last one, decoded by Node's code, is of the finished run.
    expect(r.epochs).toEqual(Array.from({ length: EPOCHS - r.resumed.resumedFrom! }, (_, i) => r.resumed.resumedFrom! + i + 1));
    const last = decodeCheckpoint(new Uint8Array(r.last));
    expect(last.epoch).toBe(EPOCHS);
    expect(last.history.loss).toEqual(ref.history.loss);
    expect(last.history.valAccuracy).toEqual(ref.history.valAccuracy);
  }, 120_000);

  it('the same on 2 threads (a pool in the worker, cross-origin isolated page): bit-identical to the 1-thread run left alone', async () => {
    const r = await reloadAndResume('wk-2', 2);
    expect(r.savedBefore).toEqual(Array.from({ length: KILL_EPOCH }, (_, i) => i + 1));
    expect(r.resumed.threadCount).toBe(2);
    expect(r.resumed.binary).toBe('threads-relaxed');
    expect(r.resumed.resumedFrom).toBeGreaterThanOrEqual(KILL_EPOCH);
    expect(r.resumed.resumedFrom).toBeLessThan(EPOCHS);
    const ref = await leftAlone();
    expect(r.resumed.modelJson).toEqual(ref.modelJson);
    expect(r.resumed.history).toEqual(ref.history);
  }, 120_000);

  it('resumes from the bytes onCheckpoint gave (no IndexedDB); a checkpoint of another model is refused naming the layer', async () => {
    const { page } = env();
    const ref = await leftAlone();
    const out = await page.evaluate(async (kill) => {
      const { job, result } = (window as unknown as Win).run;
      let at: Uint8Array | undefined;
      await result(job(1, { checkpoint: { every: 1 } }).onCheckpoint((bytes, epoch) => { if (epoch === kill) at = bytes; }));
      const again = await result(job(1, { resumeFrom: at }));
      let refused = '';
      try { await result(job(1, { resumeFrom: at }, 128)); } catch (e) { refused = `${(e as Error).name}: ${(e as Error).message}`; }
      return { again, refused };
    }, KILL_EPOCH);
    expect(out.again.resumedFrom).toBe(KILL_EPOCH);
    expect(out.again.modelJson).toEqual(ref.modelJson);
    expect(out.again.history).toEqual(ref.history);
    expect(out.refused).toMatch(/^ValidationError: resumeFrom: the checkpoint does not belong to this run: layer 0 is \{"type":"dense","units":256/);
  }, 120_000);

  it('resumeFrom a key with nothing stored starts afresh; bad checkpoint options are refused naming the option', async () => {
    const { page } = env();
    const ref = await leftAlone();
    const out = await page.evaluate(async () => {
      const { job, result, c } = (window as unknown as Win).run;
      await c.deleteCheckpointFromIndexedDB('wk-none');
      const fresh = await result(job(1, { resumeFrom: { indexedDB: 'wk-none' } }));
      const bad: Record<string, unknown>[] = [
        { checkpoint: { every: 0 } }, { checkpoint: { every: 1.5 } }, { checkpoint: { path: 'run.ckpt' } }, { checkpoint: { evry: 2 } },
        { checkpoint: { indexedDB: '' } }, { checkpoint: 5 }, { resumeFrom: 'run.ckpt' }, { resumeFrom: { indexedDB: 7 } }, { checkpoint: { onSave: () => {} } },
        { resumeFrom: new Uint8Array([1, 2, 3]) },
      ];
      const messages: string[] = [];
      for (const fit of bad) {
        try { await result(job(1, fit)); messages.push('trained'); } catch (e) { messages.push(`${(e as Error).name}: ${(e as Error).message}`); }
      }
      return { fresh, messages };
    });
    expect(out.fresh.resumedFrom).toBeNull();
    expect(out.fresh.modelJson).toEqual(ref.modelJson);
    expect(out.messages[0]).toBe('ValidationError: fit.checkpoint.every: expected an integer ≥ 1 (epochs), got 0');
    expect(out.messages[1]).toBe('ValidationError: fit.checkpoint.every: expected an integer ≥ 1 (epochs), got 1.5');
    expect(out.messages[2]).toMatch(/^ValidationError: fit\.checkpoint\.path: a worker has no file system: give checkpoint\.indexedDB a key/);
    expect(out.messages[3]).toBe('ValidationError: fit.checkpoint: unknown option "evry" (a worker\'s checkpoint takes every, indexedDB)');
    expect(out.messages[4]).toBe('ValidationError: fit.checkpoint.indexedDB: expected a non-empty string naming the checkpoint in IndexedDB, got ""');
    expect(out.messages[5]).toBe('ValidationError: fit.checkpoint: expected { every?, indexedDB? }, got 5');
    expect(out.messages[6]).toMatch(/^ValidationError: fit\.resumeFrom: expected \{ indexedDB: key \}, the checkpoint's bytes .* got "run\.ckpt" \(a path needs Node's file system\)$/);
    expect(out.messages[7]).toBe('ValidationError: fit.resumeFrom.indexedDB: expected a non-empty string naming the checkpoint in IndexedDB, got 7');
    expect(out.messages[8]).toMatch(/^ValidationError: fit\.checkpoint\.onSave: a function does not reach the worker: listen with onCheckpoint/);
    expect(out.messages[9]).toMatch(/^ModelFormatError: fit\.resumeFrom: /);
  }, 120_000);

  it("docs/browser.md's example, reloaded after its checkpoint of epoch 2 and run again, resumes; stop() leaves a stopped checkpoint", async () => {
    const { page } = env();
    expect(docExample()).toContain("checkpoint: { every: 1, indexedDB: 'digits' }");
    const logs: string[] = [];
    page.on('console', (m) => { if (m.type() === 'log') logs.push(m.text()); });
    await page.reload();
    await importBundle(page, './run.js', 'run');
    await page.evaluate(() => (window as unknown as Win).run.c.deleteCheckpointFromIndexedDB('digits'));
    await page.addScriptTag({ type: 'module', url: './doc.js' });
    await expect.poll(() => logs.some((l) => l.startsWith('epoch 2: checkpoint stored (')), { timeout: 60_000 }).toBe(true);
    await page.reload();
    logs.length = 0;
    await page.addScriptTag({ type: 'module', url: './doc.js' });
    await expect.poll(() => logs.find((l) => /^(resumed|trained)/.test(l)), { timeout: 60_000 }).toBeDefined();
    const line = logs.find((l) => /^(resumed|trained)/.test(l))!;
    const at = Number(/^resumed after epoch (\d+) /.exec(line)?.[1]);
    expect(line).toMatch(/^resumed after epoch \d+ validation accuracy 0\.9\d\d$/);
    expect(at).toBeGreaterThanOrEqual(2);
    expect(at).toBeLessThan(40);
    expect(logs.filter((l) => l.includes(': checkpoint stored (')).map((l) => Number(l.split(':')[0]!.slice(6))))
      .toEqual(Array.from({ length: 40 - at }, (_, i) => at + i + 1));

    // stop() mid-epoch: the checkpoint written then is marked stopped, and resuming it trains no further.
    await importBundle(page, './run.js', 'run');
    const stop = await page.evaluate(async () => {
      const { job, result, c } = (window as unknown as Win).run;
      await c.deleteCheckpointFromIndexedDB('wk-stop');
      const t = job(1, { checkpoint: { indexedDB: 'wk-stop' } });
      t.onBatchProgress((p) => { if (p.epoch === 3 && p.batch === 2) (t as unknown as { stop(): void }).stop(); });
      const stopped = await t.result as { stopped?: unknown; history: { loss: number[] } };
      const saved = await c.loadCheckpointFromIndexedDB('wk-stop');
      const again = await result(job(1, { resumeFrom: { indexedDB: 'wk-stop' } }));
      return { stoppedAt: stopped.stopped, loss: stopped.history.loss, saved: { epoch: saved!.epoch, stopped: saved!.stopped }, again };
    });
    expect(stop.saved).toEqual({ epoch: 3, stopped: true });
    expect(stop.again.resumedFrom).toBe(3);
    expect(stop.again.history.loss).toEqual(stop.loss);
  }, 180_000);

  it('made no request outside localhost and logged no error', () => {
    const { requests, errors } = env();
    expect(outsideLocalhost(requests)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
