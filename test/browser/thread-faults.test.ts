// Thread-pool faults in a real Chromium (cross-origin isolated page, a module worker as the
// caller): browsers have no worker exit event, so a pool worker that never finishes its share
// ('hang') or leaves without a word holding it ('vanish', as a terminated thread) is found by the
// bounded wait alone. fit raises ThreadPoolError, backendInfo().why says why, the model keeps the
// weights of its last completed step, and it then predicts on one thread what a threads: 1
// backend predicts from those weights, bit for bit.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness.js';

const env = useBrowser((s) => `${s.origin}/fixture-thread-faults/`, (s) => {
  mkdirSync(join(s.outDir, 'fixture-thread-faults'), { recursive: true });
  writeFileSync(join(s.outDir, 'fixture-thread-faults/index.html'), '<!doctype html><meta charset="utf-8"><title>faults</title><link rel="icon" href="data:,"><p>faults</p>');
  writeFileSync(join(s.outDir, 'fixture-thread-faults/worker.js'), `
    import * as s from '../browser/simdnet.js';
    async function run(kind) {
      await s.ready({ threads: 2 });
      const b = s.defaultBackend();
      b.k.tuning.gemmMinFlopsPerThread = 1;
      b.k.tuning.eltwiseMinPerThread = 1;
      const pool = b.k.pool;
      pool.adaptive = false;
      pool.steal = false;
      pool.timeoutMs = 300;
      const { X, y } = s.loadDigits();
      const Xs = { rows: X.rows, cols: X.cols, data: Float32Array.from(X.data, (v) => v / 16) };
      const model = new s.Sequential({ inputSize: 64, seed: 7, layers: [s.dense(32, { activation: 'relu' }), s.dense(10, { activation: 'softmax' })] });
      model.compile({ loss: 'categoricalCrossentropy', optimizer: s.adam({ learningRate: 0.01 }) });
      let before, batches = 0, error;
      try {
        model.fitSync(Xs, y, { epochs: 1, batchSize: 32, callbacks: { onBatchEnd: () => {
          before = model.getParams().slice();
          if (++batches === 3) pool.injectFault(1, kind);
        } } });
      } catch (e) { error = e; }
      const after = model.getParams().slice();
      const info = s.backendInfo();
      const predictions = model.predict(Xs).data.slice();
      const one = await s.createBackend({ threads: 1 });
      const ref = new s.Sequential({ inputSize: 64, seed: 7, backend: one, layers: [s.dense(32, { activation: 'relu' }), s.dense(10, { activation: 'softmax' })] });
      ref.setParams(after);
      const refPredictions = ref.predict(Xs).data.slice();
      const same = (a, c) => a.length === c.length && new Uint32Array(a.buffer).every((v, i) => v === new Uint32Array(c.buffer)[i]);
      const out = { name: error && error.name, message: error && String(error.message), why: info.why, threadCount: info.threadCount,
        keptBefore: same(after, before), batches, predictionsMatch: same(predictions, refPredictions) };
      model.dispose(); ref.dispose(); s.shutdown();
      return out;
    }
    try {
      await s.preloadDigits();
      postMessage({ hang: await run('hang'), vanish: await run('vanish') });
    } catch (e) {
      postMessage({ error: String(e && e.stack || e) });
    }
  `);
});

interface Out { name: string; message: string; why: string; threadCount: number; keptBefore: boolean; batches: number; predictionsMatch: boolean }

describe('thread-pool faults in Chromium', () => {
  for (const kind of ['hang', 'vanish'] as const) {
    it(`a pool worker that ${kind === 'hang' ? 'never finishes its share' : 'leaves without a word holding its share'}: ThreadPoolError, why, weights of the last step, one thread after`, async () => {
      const out = await env().page.evaluate(() => new Promise<unknown>((resolve, reject) => {
        const w = new Worker('/fixture-thread-faults/worker.js', { type: 'module' });
        w.onmessage = (e) => { resolve(e.data); w.terminate(); };
        w.onerror = (e) => reject(new Error(e.message));
      })) as { hang: Out; vanish: Out; error?: string };
      if (out.error) throw new Error(`worker failed: ${out.error}`);
      const r = out[kind];
      expect(r.name).toBe('ThreadPoolError');
      expect(r.message).toMatch(/worker 1 did not finish its share within \d+\.\d s \(stuck, or terminated\).*fit stopped in epoch 1, batch 4/);
      expect(r.batches).toBe(3);
      expect(r.keptBefore).toBe(true);
      expect(r.threadCount).toBe(1);
      expect(r.why).toMatch(/single-threaded: the thread pool failed \(worker 1 did not finish its share/);
      expect(r.predictionsMatch).toBe(true);
    }, 60_000);
  }
});
