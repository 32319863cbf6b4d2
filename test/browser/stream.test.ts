// The streaming reader in a real Chromium, from dist/browser/simdnet.js: a CSV served by the test
// server is read through web ReadableStreams (a fetch() response body, a Blob's stream(), and the
// gzip'd file inflated by DecompressionStream), fitted by fitStream and trained on in the page.
// The truth is Node: parseTable + ColumnPipeline.fit on the same text give the pipeline and the
// encoded rows the page streamed, and the same run in Node (same seed, same 'simd' binary) gives
// the same weights and predictions bit for bit (DESIGN.md: same seed, same backend, same weights).

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useBrowser, importBundle, type Simdnet } from './harness.js';
import * as simdnet from '../../src/index.js';

const csvPath = new URL('../fixtures/tables/penguins.csv', import.meta.url).pathname;
const text = readFileSync(csvPath, 'utf8');

const env = useBrowser((s) => `${s.origin}/fixture/`, (s) => {
  const dir = join(s.outDir, 'fixture');
  mkdirSync(dir, { recursive: true });
  copyFileSync(csvPath, join(dir, 'penguins.csv'));
  writeFileSync(join(dir, 'penguins.csv.gz'), gzipSync(text));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>stream</title><link rel="icon" href="data:,"><p>stream</p>');
});

interface Run { names: string[]; pipeline: unknown; X: number[]; y: number[]; weights: number[]; P: number[]; loss: number[]; binary: string }

/**
 * Fits the pipeline on a source in one streamed pass, reads the encoded rows in file order, trains
 * an MLP for a few shuffled epochs on the hashed train part and predicts the test part. Runs both in
 * Node and in the page (sent as source text), so it uses nothing but its arguments.
 */
async function streamedRun(s: Simdnet, source: unknown): Promise<Run> {
  const backend = await s.createBackend({ binary: 'simd' });
  const stream = new s.CsvStream(source as never);
  const fit = await s.fitStream(stream, { label: 'species' });
  const X: number[] = [];
  const y: number[] = [];
  for await (const b of new s.TableDataset(stream, fit.pipeline, fit.target, { batchSize: 64, shuffleBuffer: 0 })) {
    X.push(...b.X.data);
    y.push(...b.y);
  }
  const split = { test: 0.25, validation: 0, seed: 4 };
  const part = (p: 'train' | 'test') => new s.TableDataset(stream, fit.pipeline, fit.target, { batchSize: 16, shuffleBuffer: 64, seed: 2, split, part: p });
  const net = new s.Sequential({ inputSize: fit.pipeline.width, seed: 7, backend, layers: [s.dense(8, { activation: 'relu' }), s.dense(3, { activation: 'softmax' })] });
  net.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
  const h = await net.fit(part('train'), { epochs: 4, batchSize: 16 });
  const weights = net.getWeights().flatMap((l) => Object.values(l).flatMap((a) => [...a]));
  const P: number[] = [];
  for await (const b of part('test')) P.push(...net.predict(b.X).data);
  net.dispose();
  return { names: stream.names, pipeline: fit.pipeline.toJSON(), X, y, weights, P, loss: h.loss, binary: backend.binary };
}

async function inPage(kind: 'fetch' | 'blob' | 'gzip'): Promise<Run> {
  const { page } = env();
  if (!(await page.evaluate(() => 'simdnet' in window))) await importBundle(page, '/browser/simdnet.js', 'simdnet');
  return page.evaluate(async ({ code, kind, csv }) => {
    const s = (window as unknown as { simdnet: Simdnet }).simdnet;
    const run = (0, eval)(`(${code})`) as typeof streamedRun;
    // a function that opens a new ReadableStream per pass (fitStream, the file-order read, each epoch)
    const open = kind === 'blob' ? () => new Blob([csv]).stream()
      : async () => (await fetch(kind === 'gzip' ? './penguins.csv.gz' : './penguins.csv')).body!;
    return run(s, open);
  }, { code: streamedRun.toString(), kind, csv: text });
}

describe('streaming CSV reader in Chromium (web ReadableStreams)', () => {
  const table = simdnet.parseTable(text);
  const inMemory = simdnet.ColumnPipeline.fit(table, { label: 'species' });
  const encoded = inMemory.transform(table).X;
  let node: Run | undefined;
  const nodeRun = async () => (node ??= await streamedRun(simdnet as unknown as Simdnet, () => new Blob([text]).stream()));

  it('a fetch() body streamed in the page fits the in-memory pipeline and encodes every row as parseTable + transform does', async () => {
    const got = await inPage('fetch');
    expect(got.binary).toBe('simd');
    expect(got.names).toEqual(table.names);
    expect(got.pipeline).toEqual(inMemory.toJSON());
    expect(got.X.length).toBe(encoded.data.length);
    expect(Float32Array.from(got.X)).toEqual(encoded.data);
    const species = table.columns[table.names.indexOf('species')]!;
    const classes = [...new Set(species)].sort();
    expect(got.y).toEqual(species.map((c) => classes.indexOf(c)));
  }, 90_000);

  it('training in the page on a fetch() body, a Blob stream and a gzip body through DecompressionStream gives the weights and predictions Node gives, bit for bit', async () => {
    const want = await nodeRun();
    expect(want.binary).toBe('simd');
    expect(Float32Array.from(want.X)).toEqual(encoded.data);
    expect(want.P.length % 3).toBe(0);
    expect(want.weights.length).toBe(inMemory.width * 8 + 8 + 8 * 3 + 3);
    expect(want.loss.at(-1)!).toBeLessThan(want.loss[0]!);
    for (const kind of ['fetch', 'blob', 'gzip'] as const) {
      const got = await inPage(kind);
      expect(got.pipeline, kind).toEqual(want.pipeline);
      expect(got.weights, kind).toEqual(want.weights);
      expect(got.loss, kind).toEqual(want.loss);
      expect(got.P, kind).toEqual(want.P);
    }
  }, 120_000);

  it('a single ReadableStream is read once in the page, and a second pass says how to read it again', async () => {
    const { page } = env();
    if (!(await page.evaluate(() => 'simdnet' in window))) await importBundle(page, '/browser/simdnet.js', 'simdnet');
    const out = await page.evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      const stream = new s.CsvStream((await fetch('./penguins.csv')).body!);
      let rows = 0;
      for await (const b of stream.rows()) rows += b.cells.length;
      try {
        for await (const _ of stream.rows()) { /* a second pass */ }
        return { rows, error: '' };
      } catch (e) {
        return { rows, error: `${(e as Error).name}: ${(e as Error).message}` };
      }
    });
    expect(out.rows).toBe(table.rows);
    // the gzip run above reached the reader as gzip bytes (no Content-Encoding), so the page inflated it
    const head = await page.evaluate(async () => [...new Uint8Array(await (await fetch('./penguins.csv.gz')).arrayBuffer()).subarray(0, 2)]);
    expect(head).toEqual([0x1f, 0x8b]);
    expect(out.error).toMatch(/ValidationError: .*a stream can be read once; pass a file path, a Blob or a function/);
  }, 60_000);
});
