// Tables larger than memory: the streaming reader against the in-memory one on every kind of
// source, the pipeline fitted in one streaming pass against the in-memory fit, hashed splits,
// the shuffle buffer (a permutation of the rows each epoch), and Sequential.fit on a dataset.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ColumnPipeline, CsvStream, dense, fitStream, parseTable, readTable, Sequential, splitPart, TableDataset,
} from '../../src/index.js';

const path = new URL('../fixtures/tables/penguins_raw.csv', import.meta.url).pathname;
const text = readFileSync(path, 'utf8');

async function collect(s: CsvStream, keep?: (r: number) => boolean): Promise<{ cells: string[][]; lines: number[]; rows: number[] }> {
  const out = { cells: [] as string[][], lines: [] as number[], rows: [] as number[] };
  for await (const b of s.rows({ keep })) { out.cells.push(...b.cells); out.lines.push(...b.lines); out.rows.push(...b.rows); }
  return out;
}

describe('CsvStream', () => {
  const table = parseTable(text);
  const tableRows = Array.from({ length: table.rows }, (_, i) => table.columns.map((c) => c[i]!));

  it('reads a path, small string chunks, gzip bytes and a web ReadableStream into the rows parseTable reads', async () => {
    const chunks = async function* () { for (let i = 0; i < text.length; i += 777) yield text.slice(i, i + 777); };
    const gz = gzipSync(Buffer.from(text));
    const gzChunks = async function* () { for (let i = 0; i < gz.length; i += 1000) yield gz.subarray(i, i + 1000); };
    const web = () => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode(text)); c.close(); } });
    for (const source of [path, chunks, gzChunks, web, new Blob([text])]) {
      const s = new CsvStream(source as never);
      const { names } = await s.open();
      expect(names).toEqual(table.names);
      const got = await collect(s);
      expect(got.cells).toEqual(tableRows);
      expect(got.lines).toEqual(Array.from(table.lines));
      expect(got.rows).toEqual(tableRows.map((_, i) => i));
    }
  });

  it('reads a single-pass stream once, and says how to read it again', async () => {
    const s = new CsvStream(new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode('a;b\n1,5;x\n')); c.close(); } }));
    expect((await s.open()).dialect).toMatchObject({ delimiter: ';', decimal: ',' });
    expect((await collect(s)).cells).toEqual([['1,5', 'x']]);
    await expect(collect(s)).rejects.toThrow(/a stream can be read once; pass a file path, a Blob or a function/);
  });

  it('names the line of a ragged row', async () => {
    await expect(collect(new CsvStream(async function* () { yield 'a,b\n1,2\n3\n'; }, { source: 'in.csv' }))).rejects.toThrow(/in\.csv: line 3 has 1 fields, expected 2/);
  });

  it('splits rows by a hash of the row index: the same parts on every pass, in the stated proportions', async () => {
    const parts = Array.from({ length: 100_000 }, (_, i) => splitPart(i, 7, 0.25, 0.15));
    const share = (p: string) => parts.filter((x) => x === p).length / parts.length;
    expect(Math.abs(share('test') - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(share('validation') - 0.15)).toBeLessThan(0.01);
    expect(splitPart(12345, 7, 0.25, 0.15)).toBe(parts[12345]);
    expect(Array.from({ length: 50 }, (_, i) => splitPart(i, 8, 0.5, 0)).join()).not.toBe(Array.from({ length: 50 }, (_, i) => splitPart(i, 7, 0.5, 0)).join());
    const s = new CsvStream(path);
    const test = await collect(s, (r) => splitPart(r, 1, 0.3, 0) === 'test');
    expect(test.rows).toEqual(tableRows.map((_, i) => i).filter((i) => splitPart(i, 1, 0.3, 0) === 'test'));
  });
});

describe('fitStream and TableDataset', () => {
  it('fits the same pipeline in one streaming pass as ColumnPipeline.fit on the whole table', async () => {
    const fit = await fitStream(new CsvStream(path), { label: 'Species' });
    expect(fit.pipeline.toJSON()).toEqual(ColumnPipeline.fit(readTable(path), { label: 'Species' }).toJSON());
    expect(Array.from(fit.classCounts!)).toEqual([152, 68, 124]);
  });

  it('yields every row once per epoch, shuffled differently each epoch, in batches of batchSize', async () => {
    const stream = new CsvStream(path);
    const fit = await fitStream(stream, { label: 'Species' });
    const expected = fit.pipeline.transform(readTable(path)).X;
    const key = (data: Float32Array, i: number, w: number) => Array.from(data.subarray(i * w, (i + 1) * w)).join(',');
    const want = Array.from({ length: expected.rows }, (_, i) => key(expected.data, i, expected.cols)).sort();
    const ds = new TableDataset(stream, fit.pipeline, fit.target, { batchSize: 50, shuffleBuffer: 64, seed: 3 });
    const epochs: string[][] = [];
    for (let e = 0; e < 2; e++) {
      const rows: string[] = [];
      const sizes: number[] = [];
      for await (const b of ds) {
        sizes.push(b.X.rows);
        for (let i = 0; i < b.X.rows; i++) rows.push(key(b.X.data, i, b.X.cols));
      }
      expect(sizes.slice(0, -1).every((n) => n === 50)).toBe(true);
      expect(rows.slice().sort()).toEqual(want);
      epochs.push(rows);
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
  });

  it('trains a Sequential from the dataset, with hashed validation and test parts; an iterator is refused for a second epoch', async () => {
    const stream = new CsvStream(path);
    const split = { test: 0.25, validation: 0.15, seed: 2 };
    const fit = await fitStream(stream, { label: 'Species', split });
    const part = (p: 'train' | 'validation' | 'test', batchSize = 16) => new TableDataset(stream, fit.pipeline, fit.target, { batchSize, split, part: p, seed: 1 });
    const net = new Sequential({ inputSize: fit.pipeline.width, seed: 1, layers: [dense(16, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    net.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
    const h = await net.fit(part('train'), { epochs: 15, batchSize: 16, validationData: part('validation', 256) });
    expect(h.epoch.length).toBe(15);
    expect(h.valAccuracy.at(-1)!).toBeGreaterThan(0.9);
    expect(h.sourceTime!.length).toBe(15);
    let hit = 0, n = 0;
    for await (const b of part('test', 1000)) {
      const pred = net.predictClasses(b.X);
      pred.forEach((c, i) => { n++; if (c === b.y[i]) hit++; });
    }
    expect(hit / n).toBeGreaterThan(0.9);
    const once = (async function* () { yield { X: [[...new Array(fit.pipeline.width).fill(0)]], y: [0] }; })();
    await expect(net.fit(once, { epochs: 2 })).rejects.toThrow(/source: is an iterator, which can be read once/);
    net.dispose();
  });
});
