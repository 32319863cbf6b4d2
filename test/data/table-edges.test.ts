// Public tables as they ship, the spellings that used to need hand cleaning: numbers with
// thousands separators (quoted "2,107" in a comma file, 1.234,5 under a decimal comma) and dates
// with month names (Jan 1 2000, January 1, 2000, 1 Jan 2000). Expectations are written by hand:
// the numbers and calendar dates the cells spell, and the in-memory path as the streamed one's oracle.
import { describe, expect, it } from 'vitest';
import { ColumnPipeline, CsvStream, fitStream, parseTable, prepareTable, TableDataset } from '../../src/index.js';
import { parseGrouped } from '../../src/data/dialect.js';
import { parseDate } from '../../src/data/columns/dates.js';
import { ModelFormatError } from '../../src/errors.js';
import { Target } from '../../src/data/columns/target.js';

describe('thousands separators', () => {
  it('parseGrouped reads strict groups of three digits and nothing else', () => {
    expect(parseGrouped('2,107', '.')).toBe(2107);
    expect(parseGrouped('1,234,567.5', '.')).toBe(1234567.5);
    expect(parseGrouped('-12,000', '.')).toBe(-12000);
    expect(parseGrouped('1.234,5', ',')).toBe(1234.5);
    expect(parseGrouped('12.345.678', ',')).toBe(12345678);
    for (const bad of ['1,5', '12,34', '1,2345', ',123', '1,,234', '1234,567', '1,234.5.6', '1.234,5']) expect(parseGrouped(bad, '.')).toBeNaN();
    for (const bad of ['1,5', '1.5', '1.23', '1,234']) expect(parseGrouped(bad, ',')).toBeNaN();
  });

  const cells = ['"2,107"', '"1,234,567.5"', '999', '"-12,000"', 'NA', '"3,000"'];
  const values = [2107, 1234567.5, 999, -12000, NaN, 3000];
  const csv = ['pop,y', ...cells.map((c, i) => `${c},${i % 2 ? 'a' : 'b'}`)].join('\n') + '\n';

  it('reads a comma file\'s quoted grouped numbers as numbers, says so, and gives the values they spell', () => {
    const p = ColumnPipeline.fit(parseTable(csv), { label: 'y', scale: 'none', impute: 'mean' });
    const c = p.describe()[0]!;
    expect(c.type).toBe('numeric');
    expect(c.reason).toMatch(/thousands separator ","/);
    const present = values.filter((v) => !Number.isNaN(v));
    const mean = present.reduce((a, b) => a + b, 0) / present.length;
    const X = p.transform(parseTable(csv)).X;
    const got = Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols]!);
    expect(got).toEqual(values.map((v) => Math.fround(Number.isNaN(v) ? mean : v)));
    // the saved form keeps the separator; a bad one is refused
    const j = p.toJSON();
    expect(ColumnPipeline.fromJSON(j).transform(parseTable(csv)).X.data).toEqual(X.data);
    const bad = JSON.parse(JSON.stringify(j));
    bad.columns[0].thousands = ' ';
    expect(() => ColumnPipeline.fromJSON(bad)).toThrow(ModelFormatError);
  });

  it('the streamed path gives the in-memory matrix bit for bit', async () => {
    const mem = ColumnPipeline.fit(parseTable(csv), { label: 'y' });
    const bytes = new TextEncoder().encode(csv);
    // byte chunks cut inside the quoted grouped numbers: the byte path meets "2,107" split across reads
    const source = () => async function* () { for (let i = 0; i < bytes.length; i += 5) yield bytes.slice(i, i + 5); };
    const fit = await fitStream(new CsvStream(source()), { label: 'y' });
    expect(fit.pipeline.describe()[0]!.reason).toMatch(/thousands separator ","/);
    const ds = new TableDataset(new CsvStream(source()), fit.pipeline, fit.target, { batchSize: 4, shuffleBuffer: 0, seed: 1 });
    const out: number[] = [];
    for await (const b of ds) out.push(...b.X.data);
    expect(out).toEqual([...mem.transform(parseTable(csv)).X.data]);
  });

  it('reads 1.234,5 under a decimal comma (semicolons), and 1,5 there as the plain decimal 1.5', () => {
    const p = ColumnPipeline.fit(parseTable('a;b;y\n"1.234,5";1,5;x\n"12.000";2,25;z\n7;3;x\n'), { label: 'y', scale: 'none' });
    const X = p.transform(parseTable('a;b;y\n"1.234,5";1,5;x\n"12.000";2,25;z\n7;3;x\n')).X;
    expect(p.features).toEqual(['a', 'b']);
    expect([...X.data]).toEqual([1234.5, 1.5, 12000, 2.25, 7, 3].map(Math.fround));
  });

  it('guesses nothing: a column mixing 2,107 with 1234, or holding 1,5, is not read as numbers', () => {
    const mixed = parseTable('v,x,y\n"2,107",1,a\n1234,2,b\n"3,500",3,a\n');
    const c = ColumnPipeline.fit(mixed, { label: 'y' }).describe()[0]!;
    expect(c.type).toBe('id');
    expect(c.reason).toMatch(/with and without thousands separators/);
    const odd = ColumnPipeline.fit(parseTable('v,x,y\n"1,5",1,a\n"2,107",2,b\n"1,5",3,a\n"2,107",4,a\n'), { label: 'y' }).describe()[0]!;
    expect(odd.type).toBe('categorical');
  });

  it('a grouped label is read as the numbers it spells: regression on the values, numeric classes, the streamed path the same', async () => {
    // by hand: "1,200" is 1200; mean of 1200, 2300, 1200, 4050.5 = 2187.625
    const cells = ['"1,200"', '"2,300"', '"1,200"', '"4,050.5"'];
    const values = [1200, 2300, 1200, 4050.5];
    const csv = ['x,price', ...cells.map((c, i) => `${i + 1},${c}`)].join('\n') + '\n';
    const r = prepareTable(parseTable(csv), { label: 'price' });
    expect(r.target.task).toBe('regression');
    expect(r.notes[0]).toMatch(/written with "," as thousands separator/);
    expect(r.target.toJSON()).toMatchObject({ task: 'regression', center: 2187.625, thousands: ',' });
    const back = [...r.target.unscale(r.y)];
    back.forEach((v, i) => expect(v).toBeCloseTo(values[i]!, 2));
    // the saved target reads grouped labels again; a bad separator is refused
    const saved = Target.fromJSON(r.target.toJSON());
    expect([...saved.encode(['"1,200"'.slice(1, -1), '999'], () => 'cell')]).toEqual([...r.target.encode(['1,200', '999'], () => 'cell')]);
    expect(() => Target.fromJSON({ ...r.target.toJSON(), thousands: ' ' })).toThrow(ModelFormatError);
    // streamed: the byte path meets the quoted label split across reads and gives the same targets
    const bytes = new TextEncoder().encode(csv);
    const source = () => async function* () { for (let i = 0; i < bytes.length; i += 3) yield bytes.slice(i, i + 3); };
    const fit = await fitStream(new CsvStream(source()), { label: 'price' });
    expect(fit.target.toJSON()).toEqual(r.target.toJSON());
    const ds = new TableDataset(new CsvStream(source()), fit.pipeline, fit.target, { batchSize: 4, shuffleBuffer: 0, seed: 1 });
    const ys: number[] = [];
    for await (const b of ds) ys.push(...b.y);
    expect(ys).toEqual([...r.y]);
    // two distinct grouped values: classification, classes the numbers, in numeric order
    const two = prepareTable(parseTable('x,price\n1,"2,300"\n2,"1,200"\n3,"2,300"\n'), { label: 'price' });
    expect(two.target.toJSON()).toMatchObject({ task: 'classification', classes: [1200, 2300], thousands: ',' });
    expect([...two.y]).toEqual([1, 0, 1]);
  });

  it('a label mixing 2,107 with 1234 is refused for regression, naming both spellings', () => {
    const t = parseTable('x,price\n1,"1,200"\n2,2300\n3,"1,250"\n4,17.5\n');
    expect(() => prepareTable(t, { label: 'price', task: 'regression' })).toThrow(/label "price" mixes numbers with thousands separators \(as 2,107\) and numbers of four or more digits without them/);
    expect(prepareTable(t, { label: 'price' }).target.task).toBe('classification');
  });
});

describe('month-name dates', () => {
  it('parses the usual spellings into the calendar date they name, and refuses impossible ones', () => {
    const d = (s: string) => { const v = parseDate(s, 'named'); return v && [v.year, v.month, v.day, v.hour, v.minute]; };
    expect(d('Jan 1 2000')).toEqual([2000, 1, 1, 0, 0]);
    expect(d('January 1, 2000')).toEqual([2000, 1, 1, 0, 0]);
    expect(d('1 Jan 2000')).toEqual([2000, 1, 1, 0, 0]);
    expect(d('29-Feb-2000')).toEqual([2000, 2, 29, 0, 0]);
    expect(d('Sept 30, 2019 14:05')).toEqual([2019, 9, 30, 14, 5]);
    expect(d('dec 3rd 1999')).toEqual([1999, 12, 3, 0, 0]);
    for (const bad of ['Feb 30 2000', '29-Feb-1900', 'Jn 1 2000', 'Sat 1 2000', 'Jan 2000', 'Jan 1 00', '1 Janvier 2000']) expect(d(bad)).toBeNull();
  });

  it('infers a column of them as a date and expands it like other dates', () => {
    const cells = ['Jan 1 2000', '"January 15, 2000"', '1 Mar 2001', '30-Jun-2002', 'Dec 31 2003'];
    const want = [[2000, 1, 1], [2000, 1, 15], [2001, 3, 1], [2002, 6, 30], [2003, 12, 31]];
    const csv = ['d,y', ...cells.map((c, i) => `${c},${i % 2 ? 'a' : 'b'}`)].join('\n');
    const p = ColumnPipeline.fit(parseTable(csv), { label: 'y', scale: 'none' });
    expect(p.describe()[0]).toMatchObject({ type: 'date' });
    expect(p.features.slice(0, 3)).toEqual(['d_year', 'd_month', 'd_day']);
    const X = p.transform(parseTable(csv)).X;
    for (let i = 0; i < X.rows; i++) expect([...X.data.subarray(i * X.cols, i * X.cols + 3)]).toEqual(want[i]);
  });
});
