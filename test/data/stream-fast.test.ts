// The fast path of streamed encoding (quote-free lines split in place, numbers decoded from the
// character codes) against the string path: the batches a TableDataset yields in file order equal
// ColumnPipeline.transform of parseTable on the same text, value for value, with the labels
// Target.encodeCell gives for parseTable's cells. Over the fixture tables and generated messy
// tables: quotes, NA spellings, number spellings (signs, leading and trailing points, exponents,
// 16+ digits, padding, no-break spaces), decimal comma, CRLF, gzip.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ColumnPipeline, CsvStream, fitStream, parseTable, TableDataset } from '../../src/index.js';
import { spanNumber } from '../../src/data/dialect.js';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/tables/${f}`, import.meta.url), 'utf8');

async function compare(text: string, label: string, source: unknown = async function* () { for (let i = 0; i < text.length; i += 4099) yield text.slice(i, i + 4099); }) {
  const table = parseTable(text);
  // the streamed fit leaves out rows without a label; the encoding compared is the same pipeline's
  const fit = await fitStream(new CsvStream(source as never), { label });
  const pipeline = ColumnPipeline.fromJSON(fit.pipeline.toJSON());
  const li = table.names.indexOf(label);
  const na = new Set(table.dialect.naValues);
  const rows = Array.from({ length: table.rows }, (_, i) => i).filter((i) => !na.has(table.columns[li]![i]!));
  const want = pipeline.transform(table, { rows }).X;
  const target = fit.target.withDecimal(table.dialect.decimal);
  const wantY = rows.map((i) => target.encodeCell(table.columns[li]![i]!, 0, () => ''));
  const ds = new TableDataset(new CsvStream(source as never), fit.pipeline, fit.target, { batchSize: 7, shuffleBuffer: 0 });
  const got: number[] = [];
  const gotY: number[] = [];
  for await (const b of ds) { got.push(...b.X.data); gotY.push(...b.y); }
  expect(got.length).toBe(want.data.length);
  expect(Float32Array.from(got)).toEqual(want.data);
  expect(Float64Array.from(gotY)).toEqual(Float64Array.from(wantY, (y) => Math.fround(y)).map((y, i) => (Number.isInteger(wantY[i]) ? wantY[i]! : y)));
  return rows.length;
}

// a generated table with every spelling the string parser accepts or refuses as a number
function messy(n: number, o: { delimiter: string; decimal: '.' | ','; eol: string }): string {
  let s = 7;
  const r = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const pt = (t: string) => (o.decimal === ',' ? t.replace('.', ',') : t);
  const spell = [
    () => pt((r() * 200 - 100).toFixed(3)), () => String(Math.floor(r() * 1000)), () => pt(`+${(r() * 9).toFixed(2)}`),
    () => pt(`-.${Math.floor(r() * 99)}`), () => pt(`${Math.floor(r() * 9)}.`), () => pt(`${(r() * 9).toFixed(1)}e${Math.floor(r() * 5) - 2}`),
    () => `  ${pt((r() * 5).toFixed(4))} `, () => '\u00a0' + pt((r() * 5).toFixed(2)) + '\u00a0', () => '12345678901234567', () => pt('0.1000000000000000055511'),
    () => '-0', () => '007', () => 'NA', () => '', () => ' N/A ', () => pt('999999999999999.9'),
  ];
  const q = o.delimiter === ',' ? ',' : ';';
  const lines = [['num', 'txt', 'flag', 'day', 'y', 'cls'].join(o.delimiter)];
  for (let i = 0; i < n; i++) {
    const txt = r() < 0.1 ? `"a${q} b"` : r() < 0.05 ? 'NA' : ['x', 'y', 'zé', ' w '][Math.floor(r() * 4)]!;
    const flag = ['yes', 'no', 'YES', 'No', 'NA'][Math.floor(r() * 5)]!;
    const day = r() < 0.05 ? '' : `2020-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const y = r() < 0.03 ? 'NA' : pt((r() * 50).toFixed(2));
    const cls = r() < 0.5 ? '"c1"' : 'c2';
    lines.push([spell[Math.floor(r() * spell.length)]!(), txt, flag, day, y, cls].join(o.delimiter));
  }
  return lines.join(o.eol) + o.eol;
}

describe('streamed encoding, fast path', () => {
  it('decodes plain decimals from character codes exactly as Number() does, and leaves the rest to the string path', () => {
    let s = 11;
    const r = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
    for (let k = 0; k < 20000; k++) {
      const digits = Array.from({ length: 1 + Math.floor(r() * 15) }, () => String(Math.floor(r() * 10))).join('');
      const at = Math.floor(r() * (digits.length + 1));
      const t = (r() < 0.3 ? '-' : r() < 0.1 ? '+' : '') + digits.slice(0, at) + (r() < 0.7 ? '.' : '') + digits.slice(at);
      const x = spanNumber(`|${t}|`, 1, t.length + 1, 46);
      if (t.replace(/[+-]/, '') === '.') expect(x).toBeNaN();
      else expect(Object.is(x, Number(t))).toBe(true);
      expect(Object.is(spanNumber(t.replace('.', ','), 0, t.length, 44), spanNumber(t, 0, t.length, 46))).toBe(true);
    }
    for (const t of ['1e5', '1.2.3', '', '-', '1234567890123456', 'x1', '1,5']) expect(spanNumber(t, 0, t.length, 46)).toBeNaN();
  });

  it('gives the string path\'s features and labels on every fixture table', async () => {
    expect(await compare(fixture('penguins_raw.csv'), 'Species')).toBe(344);
    expect(await compare(fixture('penguins_raw.csv'), 'Body Mass (g)')).toBe(342);
    for (const label of ['Miles_per_Gallon', 'Origin']) await compare(fixture('cars.csv'), label);
    await compare(fixture('autos.csv'), 'price');
    for (const label of ['weather', 'temp_max']) await compare(fixture('seattle-weather.csv'), label);
  });

  it('gives the string path\'s features and labels on generated messy tables: quotes, NA, number spellings, CRLF, decimal comma, gzip', async () => {
    for (const o of [{ delimiter: ',', decimal: '.', eol: '\n' }, { delimiter: ',', decimal: '.', eol: '\r\n' }, { delimiter: ';', decimal: ',', eol: '\r\n' }, { delimiter: '\t', decimal: '.', eol: '\n' }] as const) {
      const text = messy(3000, o);
      const n = await compare(text, 'y');
      expect(n).toBeGreaterThan(2800);
      await compare(text, 'cls');
      const gz = gzipSync(Buffer.from(text));
      await compare(text, 'cls', () => (async function* () { for (let i = 0; i < gz.length; i += 5000) yield gz.subarray(i, i + 5000); })());
    }
  });

  it('names the line of a ragged quote-free row, as the string path does', async () => {
    const s = new CsvStream(async function* () { yield 'a,b\n1,x\n2,y\n3\n'; }, { source: 'in.csv' });
    const fit = await fitStream(new CsvStream(async function* () { yield 'a,b\n1,x\n2,y\n'; }), { label: 'b' });
    const ds = new TableDataset(s, fit.pipeline, fit.target, { shuffleBuffer: 0 });
    await expect((async () => { for await (const _ of ds); })()).rejects.toThrow(/in\.csv: line 4 has 1 fields, expected 2 \(as line 1\)/);
  });
});
