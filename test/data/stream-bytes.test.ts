// The byte path of streamed encoding (ByteRecords: records framed on the UTF-8 bytes, numbers
// decoded from them, cells as strings only where an encoder needs one) against the text path
// (the same CsvStream fed string chunks: TextDecoder, CsvTokenizer, String.split/trim) as the
// oracle, and against parseTable + ColumnPipeline.transform in memory: the same matrices and
// labels bit for bit, on seeded generated tables with quoted fields (delimiters, line breaks and
// "" inside), NA spellings, number spellings, non-ASCII text and padding, blank lines, byte-order
// marks, CRLF, decimal comma with semicolons, tabs, gzip, and chunks cut anywhere (inside a
// field, a number, a quoted field, a CR LF, a multi-byte character); the same errors too.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ColumnPipeline, CsvStream, fitStream, parseTable, splitPart, TableDataset } from '../../src/index.js';
import { bytesNumber } from '../../src/data/dialect.js';

type Source = ConstructorParameters<typeof CsvStream>[0];

const rng = (seed: number) => { let s = seed; return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; }; };

/** The bytes cut into chunks of 1..max bytes (seeded). */
function byteChunks(bytes: Uint8Array, seed: number, max: number): Source {
  return async function* () {
    const r = rng(seed);
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(r() * max);
      yield bytes.slice(i, i + n);
      i += n;
    }
  };
}
const textChunks = (text: string, size: number): Source => async function* () { for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size); };

interface Dialect { delimiter: string; decimal: '.' | ','; eol: string }

function table(n: number, o: Dialect, seed: number): string {
  const r = rng(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
  const pt = (t: string) => (o.decimal === ',' ? t.replace('.', ',') : t);
  const d = o.delimiter;
  const num = () => pick([
    () => pt((r() * 200 - 100).toFixed(3)), () => String(Math.floor(r() * 1000)), () => pt(`+${(r() * 9).toFixed(2)}`), () => pt(`-.${Math.floor(r() * 99)}`),
    () => pt(`${Math.floor(r() * 9)}.`), () => pt(`${(r() * 9).toFixed(1)}e${Math.floor(r() * 5) - 2}`), () => ` ${pt((r() * 5).toFixed(4))}${d === '\t' ? ' ' : '\t'}`,
    () => '\u00a0' + pt((r() * 5).toFixed(2)), () => '12345678901234567', () => '-0', () => '007', () => 'NA', () => '', () => ' N/A ', () => '?', () => 'null',
    () => `"${pt((r() * 3).toFixed(2))}"`, () => pt('999999999999999.9'),
  ])();
  const txt = () => pick([
    () => pick(['red', 'green', 'blué', ' grey ', 'NA', '', '日本']), () => `"a${d} b"`, () => '"say ""hi"""', () => `"two${o.eol}lines"`,
    () => '"x" ', () => 'mid"quote', () => '\u00a0pad\u00a0',
  ])();
  const lines = [['num', 'txt', 'flag', 'day', 'y', 'cls'].join(d)];
  for (let i = 0; i < n; i++) {
    if (r() < 0.01) { lines.push(pick(['', '  ', d === '\t' ? ' ' : '\t'])); continue; }
    const flag = pick(['yes', 'no', 'YES', 'No', 'NA', '"yes"']);
    const day = r() < 0.05 ? '' : `2020-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const y = r() < 0.03 ? 'NA' : r() < 0.05 ? pt(`${(r() * 9).toFixed(1)}e1`) : pt((r() * 50).toFixed(2));
    lines.push([num(), txt(), flag, day, y, pick(['c1', '"c2"', 'c3 '])].join(d));
  }
  return '\ufeff' + lines.join(o.eol) + o.eol;
}

async function encodeAll(source: Source, fit: Awaited<ReturnType<typeof fitStream>>, o: { shuffleBuffer?: number; split?: { test: number; validation: number; seed: number }; part?: 'train' | 'test'; dropMissing?: boolean; header?: boolean } = {}) {
  const ds = new TableDataset(new CsvStream(source, { header: o.header }), fit.pipeline, fit.target, { batchSize: 5, shuffleBuffer: o.shuffleBuffer ?? 0, seed: 3, split: o.split, part: o.part, dropMissing: o.dropMissing });
  const X: number[] = [];
  const y: number[] = [];
  for await (const b of ds) { X.push(...b.X.data); y.push(...b.y); }
  return { X: Float32Array.from(X), y: Float64Array.from(y), rows: ds.rowsRead, missing: ds.missingLabels };
}

const DIALECTS: Dialect[] = [
  { delimiter: ',', decimal: '.', eol: '\n' }, { delimiter: ',', decimal: '.', eol: '\r\n' },
  { delimiter: ';', decimal: ',', eol: '\r\n' }, { delimiter: '\t', decimal: '.', eol: '\n' },
];

describe('streamed encoding, byte path', () => {
  it('decodes plain decimals from the bytes exactly as Number() does, and refuses the rest', () => {
    const r = rng(5);
    const enc = new TextEncoder();
    for (let k = 0; k < 20000; k++) {
      const digits = Array.from({ length: 1 + Math.floor(r() * 15) }, () => String(Math.floor(r() * 10))).join('');
      const at = Math.floor(r() * (digits.length + 1));
      const t = (r() < 0.3 ? '-' : r() < 0.1 ? '+' : '') + digits.slice(0, at) + (r() < 0.7 ? '.' : '') + digits.slice(at);
      const b = enc.encode(`|${t}|`);
      const x = bytesNumber(b, 1, b.length - 1, 46);
      if (t.replace(/[+-]/, '') === '.') expect(x).toBeNaN();
      else expect(Object.is(x, Number(t))).toBe(true);
      const c = enc.encode(t.replace('.', ','));
      expect(Object.is(bytesNumber(c, 0, c.length, 44), x)).toBe(true);
    }
    for (const t of ['1e5', '1.2.3', '-', '1234567890123456', 'x1', '1,5', '١']) { const b = enc.encode(t); expect(bytesNumber(b, 0, b.length, 46)).toBeNaN(); }
  });

  it('gives the text path\'s and the in-memory matrices and labels on generated tables, chunks cut anywhere, plain and gzip', async () => {
    let seed = 1;
    for (const o of DIALECTS) {
      const text = table(1500, o, seed++);
      const bytes = new TextEncoder().encode(text);
      const mem = parseTable(text);
      for (const label of ['cls', 'y']) {
        const fit = await fitStream(new CsvStream(textChunks(text, 4099)), { label });
        const want = await encodeAll(textChunks(text, 3001), fit);
        expect(want.rows).toBeGreaterThan(1300);
        // the in-memory oracle: the same pipeline on parseTable's cells, rows with a label
        const li = mem.names.indexOf(label);
        const na = new Set(mem.dialect.naValues);
        const rows = Array.from({ length: mem.rows }, (_, i) => i).filter((i) => !na.has(mem.columns[li]![i]!));
        expect(want.X).toEqual(ColumnPipeline.fromJSON(fit.pipeline.toJSON()).transform(mem, { rows }).X.data);
        for (const source of [byteChunks(bytes, seed, 7), byteChunks(bytes, seed + 1, 5000), byteChunks(gzipSync(bytes), seed, 3000), () => new Blob([bytes]).stream()]) {
          const got = await encodeAll(source, fit);
          expect(got.X).toEqual(want.X);
          expect(got.y).toEqual(want.y);
          expect([got.rows, got.missing]).toEqual([want.rows, want.missing]);
        }
      }
    }
  });

  it('cuts a small table into two chunks at every byte and reads the same each time', async () => {
    const text = 'a,b,c\r\n1.5,"x,\r\n""y""",yes\r\n\r\n-2.25, zé ,no\r\n3e2,"q" ,NA\r\n+.5,mid"q,yes';
    const bytes = new TextEncoder().encode(text);
    const fit = await fitStream(new CsvStream(textChunks(text, 1000)), { label: 'c' });
    const want = await encodeAll(textChunks(text, 1000), fit);
    expect([want.rows, want.missing]).toEqual([3, 1]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = await encodeAll(async function* () { yield bytes.slice(0, cut); yield bytes.slice(cut); }, fit);
      expect(got.X).toEqual(want.X);
      expect(got.y).toEqual(want.y);
    }
    // no header, bytes: the text path's decoder drops one byte-order mark at the start, its tokenizer
    // a second one (a one-pass iterator of bytes goes the text path)
    const bare = '\ufeff\ufeff"7",x,a\n8,y,b\n9,x,a\n';
    const bareBytes = new TextEncoder().encode(bare);
    const once = () => (async function* () { yield bareBytes; })() as Source;
    const bareFit = await fitStream(new CsvStream(once(), { header: false }), { label: 'x2' });
    const bareWant = await encodeAll(once(), bareFit, { header: false });
    expect(bareWant.rows).toBe(3);
    for (let cut = 0; cut <= bareBytes.length; cut++) {
      const got = await encodeAll(async function* () { yield bareBytes.slice(0, cut); yield bareBytes.slice(cut); }, bareFit, { header: false });
      expect(got.X).toEqual(bareWant.X);
      expect(got.y).toEqual(bareWant.y);
    }
  });

  it('shuffles, splits by the hash of the row index and drops rows with missing cells as the text path does', async () => {
    const o = DIALECTS[2]!;
    const text = table(2000, o, 99);
    const bytes = new TextEncoder().encode(text);
    const split = { test: 0.3, validation: 0, seed: 4 };
    const fit = await fitStream(new CsvStream(textChunks(text, 4099)), { label: 'cls', split });
    for (const opts of [{ shuffleBuffer: 64 }, { split, part: 'test' as const }, { split, part: 'train' as const, shuffleBuffer: 100 }, { dropMissing: true }]) {
      const want = await encodeAll(textChunks(text, 2000), fit, opts);
      const got = await encodeAll(byteChunks(bytes, 8, 3000), fit, opts);
      expect(got.X).toEqual(want.X);
      expect(got.y).toEqual(want.y);
      expect(got.rows).toBe(want.rows);
    }
    // the test part is the rows whose index hashes below 0.3
    const all = await encodeAll(byteChunks(bytes, 8, 3000), fit);
    const test = await encodeAll(byteChunks(bytes, 9, 3000), fit, { split, part: 'test' });
    const mem = parseTable(text);
    const na = new Set(mem.dialect.naValues);
    const labelled = Array.from({ length: mem.rows }, (_, i) => i).filter((i) => !na.has(mem.columns[5]![i]!));
    const inTest = labelled.map((i) => splitPart(i, 4, 0.3, 0) === 'test');
    const w = fit.pipeline.width;
    expect(test.X).toEqual(Float32Array.from(labelled.flatMap((_, k) => (inTest[k] ? Array.from(all.X.subarray(k * w, (k + 1) * w)) : []))));
  });

  it('reports a ragged row, an unclosed quote, text after a closing quote and an unknown class as the text path does', async () => {
    const fit = await fitStream(new CsvStream(textChunks('a,b\n1,x\n2,y\n', 100)), { label: 'b' });
    for (const bad of ['a,b\n1,x\n2\n', 'a,b\n1,x\n2,"y\n3,x\n', 'a,b\n1,x\n2,"y"z\n', 'a,b\n1,x\n2,w\n', 'a,b\n1,x\n"2\n",y,3\n']) {
      const text = (source: Source) => encodeAll(source, fit);
      let message = '';
      try { await text(textChunks(bad, 3)); } catch (e) { message = (e as Error).message; }
      expect(message).not.toBe('');
      await expect(text(byteChunks(new TextEncoder().encode(bad), 2, 4))).rejects.toThrow(message);
    }
  });
});
