// The thread pool in a real Chromium: a cross-origin isolated page (the demo server's COOP/COEP
// headers) where a module worker imports dist/browser/simdnet.js and calls ready({ threads: 2 }).
// The pool's workers are Blob workers spawned from that worker; they instantiate threads-relaxed.wasm
// (fetched beside the bundle) on the shared memory. A digits 64-32-10 model trained for 2 epochs
// with every kernel split (thresholds at 1, the caller never steals a worker's share) gives the
// single-threaded weights and predictions bit for bit, and shutdown() ends the pool's workers.
// On the page's main thread Atomics.wait is not allowed: there ready({ threads: 2 }) stays
// single-threaded and says why.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundle, outsideLocalhost, useBrowser, type Simdnet } from './harness.js';

const env = useBrowser((s) => `${s.origin}/fixture-threads/`, (s) => {
  mkdirSync(join(s.outDir, 'fixture-threads'), { recursive: true });
  writeFileSync(join(s.outDir, 'fixture-threads/index.html'), '<!doctype html><meta charset="utf-8"><title>threads</title><link rel="icon" href="data:,"><p>threads</p>');
  // A module worker: trains digits on `threads` threads and posts what it saw.
  writeFileSync(join(s.outDir, 'fixture-threads/worker.js'), `
    import * as s from '../browser/simdnet.js';
    async function train(threads) {
      const info = await s.ready({ threads });
      const b = s.defaultBackend();
      let pool;
      if (threads > 1) {
        // Split every kernel, on every call: no threshold, no back-off, no stealing of worker shares.
        b.k.tuning.gemmMinFlopsPerThread = 1;
        b.k.tuning.eltwiseMinPerThread = 1;
        b.k.pool.adaptive = false;
        b.k.pool.steal = false;
        pool = b.k.pool;
      }
      const { X, y } = s.loadDigits();
      const Xs = { rows: X.rows, cols: X.cols, data: Float32Array.from(X.data, (v) => v / 16) };
      const model = new s.Sequential({ inputSize: 64, seed: 7, layers: [s.dense(32, { activation: 'relu' }), s.dense(10, { activation: 'softmax' })] });
      model.compile({ loss: 'categoricalCrossentropy', optimizer: s.adam({ learningRate: 0.01 }) });
      const h = model.fitSync(Xs, y, { epochs: 2, batchSize: 32, shuffle: true });
      const out = {
        info, isolated: crossOriginIsolated, binary: b.binary,
        params: model.getParams().slice(), predictions: model.predict(Xs).data.slice(), loss: h.loss.at(-1),
        accuracy: s.accuracy(y, model.predictClasses(Xs)),
      };
      if (pool) {
        // FIN[1] (control.ts): the last generation worker 1 finished: > 0 once it ran a share.
        out.workerCalls = new Int32Array(b.memory.buffer, pool.ctrlPtr, 512)[449];
        s.shutdown();
        out.aliveAfterShutdown = pool.alive;
        out.exited = await Promise.race([pool.exited().then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
        // The backend keeps working on one thread after shutdown().
        out.predictionsAfterShutdown = model.predict(Xs).data.slice();
      }
      model.dispose();
      return out;
    }
    try {
      await s.preloadDigits();
      const two = await train(2);
      const one = await train(1);
      postMessage({ two, one });
    } catch (e) {
      postMessage({ error: String(e && e.stack || e) });
    }
  `);
});

interface Run {
  info: { threadCount: number; why: string; threads: boolean; binary: string };
  isolated: boolean;
  binary: string;
  params: Float32Array;
  predictions: Float32Array;
  loss: number;
  accuracy: number;
  workerCalls?: number;
  aliveAfterShutdown?: boolean;
  exited?: boolean;
  predictionsAfterShutdown?: Float32Array;
}

const bits = (a: Float32Array) => Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** Index of the first float whose bits differ, or −1. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('threads in Chromium (cross-origin isolated page)', () => {
  let runs: { two: Run; one: Run } | undefined;
  async function workerRuns(): Promise<{ two: Run; one: Run }> {
    if (runs) return runs;
    const out = await env().page.evaluate(() => new Promise<unknown>((resolve, reject) => {
      const w = new Worker('/fixture-threads/worker.js', { type: 'module' });
      w.onmessage = (e) => { resolve(e.data); w.terminate(); };
      w.onerror = (e) => reject(new Error(e.message));
    })) as { two: Run; one: Run; error?: string };
    if (out.error) throw new Error(`worker failed: ${out.error}`);
    // page.evaluate returns typed arrays as plain objects/arrays: rebuild them.
    for (const r of [out.two, out.one]) {
      for (const k of ['params', 'predictions', 'predictionsAfterShutdown'] as const) {
        const v = r[k] as unknown;
        if (v !== undefined) r[k] = Float32Array.from(Object.values(v as Record<string, number>));
      }
    }
    runs = out;
    return out;
  }

  it('the page is cross-origin isolated; on its main thread threads: 2 stays single-threaded and says why', async () => {
    const { page } = env();
    await importBundle(page, '/browser/simdnet.js', 'simdnet');
    const out = await page.evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      const info = await s.ready({ threads: 2 });
      s.shutdown();
      return { info, isolated: crossOriginIsolated };
    });
    expect(out.isolated).toBe(true);
    expect(out.info.threads).toBe(true);
    expect(out.info.threadCount).toBe(1);
    expect(out.info.why).toMatch(/Atomics\.wait is not allowed on a page's main thread/);
  });

  it('in a module worker, ready({ threads: 2 }) starts a 2-thread pool on threads-relaxed.wasm', async () => {
    const { two } = await workerRuns();
    expect(two.isolated).toBe(true);
    expect(two.info.threads).toBe(true);
    expect(two.info.threadCount).toBe(2);
    expect(two.info.why).toMatch(/threads: 2 \(web-worker, shared memory\)/);
    expect(two.binary).toBe('threads-relaxed');
    expect(two.info.binary).toBe('threads-relaxed');
    expect(env().requests.some((u) => u.endsWith('/browser/threads-relaxed.wasm'))).toBe(true);
    // The pool's worker really ran shares of the split kernels.
    expect(two.workerCalls).toBeGreaterThan(0);
  });

  it('digits 64-32-10, 2 epochs: weights, predictions and loss bit-identical to threads: 1', async () => {
    const { two, one } = await workerRuns();
    expect(one.info.threadCount).toBe(1);
    expect(one.info.why).toMatch(/single-threaded: threads: 1 requested/);
    expect(one.binary).toBe('relaxed');
    expect(two.params.length).toBe(64 * 32 + 32 + 32 * 10 + 10);
    expect(two.predictions.length).toBe(1797 * 10);
    expect(firstBitDifference(two.params, one.params)).toBe(-1);
    expect(firstBitDifference(two.predictions, one.predictions)).toBe(-1);
    expect(bits(two.params).equals(bits(one.params))).toBe(true);
    expect(two.loss).toBe(one.loss);
    expect(two.accuracy).toBeGreaterThan(0.8);
  });

  it('shutdown() ends the pool: its workers exit and the model keeps predicting the same on one thread', async () => {
    const { two } = await workerRuns();
    expect(two.aliveAfterShutdown).toBe(false);
    expect(two.exited).toBe(true);
    expect(firstBitDifference(two.predictionsAfterShutdown!, two.predictions)).toBe(-1);
  });

  it('made no request outside localhost and logged no error', () => {
    const { requests, errors } = env();
    expect(outsideLocalhost(requests)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
