// The browser bundle in a real Chromium: it loads in a page and in a worker, finds its binaries
// beside itself (or takes a URL prefix, bytes or a Module), trains in a worker through
// trainInWorker, has no Node built-ins, fits the size budget, and the inline variant needs no fetch.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BINARIES, BINARY_NAMES } from '../../src/wasm/binaries.js';
import { BUDGET_GZIP } from '../../src/web/build.mjs';
import { importBundle, outsideLocalhost, useBrowser, type Simdnet } from './harness.js';

const env = useBrowser((s) => `${s.origin}/fixture/`, (s) => {
  mkdirSync(join(s.outDir, 'fixture'), { recursive: true });
  writeFileSync(join(s.outDir, 'fixture/index.html'), '<!doctype html><meta charset="utf-8"><title>fixture</title><link rel="icon" href="data:,"><p>fixture</p>');
  // A module worker that imports the bundle itself and trains XOR.
  writeFileSync(join(s.outDir, 'fixture/worker.js'), `
    import * as s from '../browser/simdnet.js';
    const info = await s.ready();
    const model = new s.Sequential({ inputSize: 2, seed: 3, layers: [s.dense(8, { activation: 'tanh' }), s.dense(1, { activation: 'sigmoid' })] });
    model.compile({ optimizer: s.adam({ learningRate: 0.05 }) });
    model.fitSync([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { epochs: 400, batchSize: 4 });
    postMessage({ binary: info.binary, classes: Array.from(model.predictClasses([[0, 0], [0, 1], [1, 0], [1, 1]])) });
  `);
});
let bundleImported = false;

/** The page with simdnet.js imported as window.simdnet. */
async function page(): Promise<Page> {
  const { page: p } = env();
  if (!bundleImported) {
    await importBundle(p, '/browser/simdnet.js', 'simdnet');
    bundleImported = true;
  }
  return p;
}

describe('browser bundle (dist/browser/simdnet.js) in Chromium', () => {
  it('has no Node built-in imports and fits the size budget', () => {
    const code = readFileSync(join(env().served.outDir, 'browser/simdnet.js'), 'utf8');
    // esbuild's metafile: nothing left to import (a Node built-in would be); no static node: import,
    // no esbuild require shim. (Strings may mention node: modules: Node-only paths reach them through
    // process.getBuiltinModule, and the thread pool's worker source is text.)
    expect(env().served.imports).toEqual([]);
    expect(code).not.toMatch(/\bimport\s*[^;()]*from\s*["']node:/);
    expect(code).not.toMatch(/Dynamic require of/);
    const gz = (f: string) => gzipSync(readFileSync(join(env().served.outDir, 'browser', f)), { level: 9 }).length;
    expect(gz('simdnet.js') + gz('simd.wasm')).toBeLessThanOrEqual(BUDGET_GZIP);
  });

  it('references every binary, the worker and the digits by a static new URL literal that bundlers see', () => {
    const read = (f: string) => readFileSync(join(env().served.outDir, 'browser', f), 'utf8');
    const literals = (code: string) => [...code.matchAll(/new URL\("([^"]+)",import\.meta\.url\)/g)].map((m) => m[1]).sort();
    const beside = BINARY_NAMES.filter((n) => BINARIES[n].browser);
    const besideInline = beside.filter((n) => !BINARIES[n].inline);
    expect(literals(read('simdnet.js'))).toEqual([...beside.map((n) => `./${n}.wasm`), './digits.txt', './simdnet.worker.js'].sort());
    expect(literals(read('simdnet.worker.js'))).toEqual(beside.map((n) => `./${n}.wasm`).sort());
    expect(literals(read('simdnet.inline.js'))).toEqual([...besideInline.map((n) => `./${n}.wasm`), './simdnet.inline.worker.js'].sort());
    expect(literals(read('simdnet.inline.worker.js'))).toEqual(besideInline.map((n) => `./${n}.wasm`).sort());
    expect(read('simdnet.js')).toContain('new Worker(new URL("./simdnet.worker.js",import.meta.url),{type:"module"');
    for (const f of ['simdnet.js', 'simdnet.worker.js']) expect(read(f)).not.toMatch(/\bimport\(/);
  });

  it('loads in a page, picks relaxed SIMD, fetches the binary beside the bundle and trains', async () => {
    const out = await (await page()).evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      const info = await s.ready();
      const model = new s.Sequential({ inputSize: 2, seed: 3, layers: [s.dense(8, { activation: 'tanh' }), s.dense(1, { activation: 'sigmoid' })] });
      model.compile({ optimizer: s.adam({ learningRate: 0.05 }) });
      await model.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { epochs: 400, batchSize: 4 });
      return { info, isolated: crossOriginIsolated, classes: Array.from(model.predictClasses([[0, 0], [0, 1], [1, 0], [1, 1]]) as Int32Array) };
    });
    expect(out.info.backend).toBe('wasm');
    expect(out.info.binary).toBe('relaxed');
    expect(out.info.relaxedSimd).toBe(true);
    expect(out.info.userAgent).toMatch(/Chrome/);
    expect(out.isolated).toBe(true);
    expect(out.classes).toEqual([0, 1, 1, 0]);
    expect(env().requests.some((u) => u.endsWith('/browser/relaxed.wasm'))).toBe(true);
  });

  it('takes a URL prefix, bytes or a compiled Module instead', async () => {
    const binaries = await (await page()).evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      const out: string[] = [];
      const run = (b: { kind: string; memory: WebAssembly.Memory }) => b.kind === 'wasm' && b.memory.buffer.byteLength > 0;
      const a = await s.createBackend({ binary: 'simd', wasm: '/browser/' });
      out.push(`${a.binary}:${run(a)}`);
      const bytes = new Uint8Array(await (await fetch('/browser/simd.wasm')).arrayBuffer());
      const b = await s.createBackend({ binary: 'simd', wasm: bytes });
      out.push(`${b.binary}:${run(b)}`);
      const module = await WebAssembly.compileStreaming(fetch('/browser/relaxed.wasm'));
      const c = await s.createBackend({ wasm: module });
      out.push(`${c.binary}:${run(c)}`);
      const model = new s.Sequential({ inputSize: 3, seed: 1, backend: c, layers: [s.dense(2, { activation: 'softmax' })] });
      const p = model.predict([[1, 2, 3]]).data;
      out.push((p[0] + p[1]).toFixed(5));
      return out;
    });
    expect(binaries).toEqual(['simd:true', 'simd:true', 'relaxed:true', '1.00000']);
  });

  it('loads in a module worker', async () => {
    const out = await (await page()).evaluate(() => new Promise((resolve, reject) => {
      const w = new Worker('/fixture/worker.js', { type: 'module' });
      w.onmessage = (e) => { resolve(e.data); w.terminate(); };
      w.onerror = (e) => reject(new Error(e.message));
    }));
    expect(out).toEqual({ binary: 'relaxed', classes: [0, 1, 1, 0] });
  });

  it('trainInWorker streams progress per epoch and returns the model as JSON', async () => {
    const out = await (await page()).evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      await s.ready();
      const { X, y } = s.loadIris();
      const scaled = new s.StandardScaler().fitTransform(X);
      const epochs: number[] = [];
      const losses: number[] = [];
      const t = s.trainInWorker({
        X: scaled, y, seed: 2,
        layers: [s.dense(8, { activation: 'relu' }), s.dense(3, { activation: 'softmax' })],
        compile: { optimizer: s.adam({ learningRate: 0.02 }) },
        fit: { epochs: 30, batchSize: 16, validationSplit: 0.2 },
        probe: [[0, 0, 0, 0], [1, 1, 1, 1]],
      }).onProgress((p) => { epochs.push(p.epoch); losses.push(p.loss); if (!(p.samplesPerSec > 0) || p.probe?.length !== 6) throw new Error('bad progress'); });
      const { modelJson, history, backend } = await t.result;
      const model = s.Sequential.fromJSON(modelJson);
      const acc = s.accuracy(y, model.predictClasses(scaled));
      return { epochs, first: losses[0], last: losses[losses.length - 1], history: history.epoch.length, acc, binary: backend.binary, format: modelJson.format };
    });
    expect(out.epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(out.last).toBeLessThan(out.first!);
    expect(out.history).toBe(30);
    expect(out.acc).toBeGreaterThan(0.9);
    expect(out.binary).toBe('relaxed');
    expect(out.format).toBe('simdnet.sequential');
  });

  it('trainInWorker: stop() ends after the current epoch with a model; terminate() rejects', async () => {
    const out = await (await page()).evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      const X = Array.from({ length: 256 }, (_, i) => [Math.sin(i), Math.cos(i)]);
      const y = X.map(([a, b]) => (a * b > 0 ? 1 : 0));
      const layers = [s.dense(16, { activation: 'tanh' }), s.dense(2, { activation: 'softmax' })];
      const stopped = s.trainInWorker({ X, y, layers, fit: { epochs: 10_000 } });
      stopped.onProgress((p) => { if (p.epoch === 3) stopped.stop(); });
      const r = await stopped.result;
      const killed = s.trainInWorker({ X, y, layers, fit: { epochs: 10_000 } });
      killed.terminate();
      const message = await killed.result.then(() => 'resolved', (e: Error) => e.message);
      const bad = s.trainInWorker({ X, y: y.slice(1), layers, fit: { epochs: 1 } });
      const badMessage = await bad.result.then(() => 'resolved', (e: Error) => e.message);
      return { epochs: r.history.epoch.length, message, badMessage };
    });
    expect(out.epochs).toBeGreaterThanOrEqual(3);
    expect(out.epochs).toBeLessThan(10);
    expect(out.message).toMatch(/terminated/);
    expect(out.badMessage).toMatch(/255 labels|labels/);
  });

  it('loadDigits needs preloadDigits() in simdnet.js, and says so', async () => {
    const out = await (await page()).evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      let before = '';
      try { s.loadDigits(); } catch (e) { before = (e as Error).message; }
      await s.preloadDigits();
      const d = s.loadDigits();
      return { before, rows: d.X.rows, cols: d.X.cols, max: Math.max(...d.X.data) };
    });
    expect(out.before).toMatch(/preloadDigits/);
    expect(out).toMatchObject({ rows: 1797, cols: 64, max: 16 });
  });

  it('the inline variant loads with no request for a binary or data file', async () => {
    const { requests } = env();
    const before = requests.length;
    await importBundle(await page(), '/browser/simdnet.inline.js', 'inline');
    const out = await (await page()).evaluate(async () => {
      const s = (window as unknown as { inline: Simdnet }).inline;
      const b = await s.createBackend({ binary: 'simd' });
      const d = s.loadDigits();
      return { binary: b.binary, rows: d.X.rows };
    });
    expect(out).toEqual({ binary: 'simd', rows: 1797 });
    const fetched = requests.slice(before);
    expect(fetched.filter((u) => /\.wasm$|digits\.txt$/.test(u))).toEqual([]);
  });

  it('made no request outside localhost and logged no error', () => {
    const { requests, errors } = env();
    expect(outsideLocalhost(requests)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
