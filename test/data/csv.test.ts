import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv, parseTable, readCsv } from '../../src/data/index.js';
import { ValidationError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCsv', () => {
  it('detects a header and keeps string labels as strings', () => {
    const r = parseCsv('sepal,petal,species\n5.1,1.4,setosa\n6.3,4.9,versicolor\n5.8,5.1,virginica\n');
    expect(r.featureNames).toEqual(['sepal', 'petal']);
    expect(r.labelName).toBe('species');
    expect(r.y).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(r.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(r.X.rows).toBe(3);
    expect(r.X.cols).toBe(2);
    expect(Array.from(r.X.data)).toEqual([5.1, 1.4, 6.3, 4.9, 5.8, 5.1].map(Math.fround));
  });

  it('reads headerless numeric files with numeric labels', () => {
    const r = parseCsv('1,2,0\n3,4,1\n');
    expect(r.featureNames).toEqual(['x0', 'x1']);
    expect(r.y).toEqual([0, 1]);
    expect(r.classNames).toBeUndefined();
    expect(Array.from(r.X.data)).toEqual([1, 2, 3, 4]);
  });

  it('does not take a numeric first row with a string label column for a header', () => {
    // first row: label "a" is non-numeric, but so is the next row's label → not a header
    const r = parseCsv('1,2,a\n3,4,b\n');
    expect(r.X.rows).toBe(2);
    expect(r.y).toEqual(['a', 'b']);
  });

  it('honours header: true / false and labelColumn by name, index and negative index', () => {
    expect(parseCsv('10,20,30\n1,2,3\n', { header: true }).featureNames).toEqual(['10', '20']);
    const r = parseCsv('label,a,b\ncat,1,2\ndog,3,4\n', { labelColumn: 'label' });
    expect(r.y).toEqual(['cat', 'dog']);
    expect(r.featureNames).toEqual(['a', 'b']);
    expect(Array.from(r.X.data)).toEqual([1, 2, 3, 4]);
    expect(parseCsv('0,1,2\n1,3,4\n', { labelColumn: 0 }).y).toEqual([0, 1]);
    expect(parseCsv('1,0,2\n3,1,4\n', { labelColumn: -2 }).y).toEqual([0, 1]);
    const none = parseCsv('1,2\n3,4\n', { labelColumn: null });
    expect(none.y).toEqual([]);
    expect(none.X.cols).toBe(2);
    expect(none.labelName).toBeNull();
  });

  it('handles quoted fields, escaped quotes, delimiters and newlines inside quotes, CRLF and BOM', () => {
    const text = '\uFEFF"x, one","x ""two""",name\r\n"1.5",2,"Smith, J."\r\n3,"4","multi\nline"\r\n';
    const r = parseCsv(text);
    expect(r.featureNames).toEqual(['x, one', 'x "two"']);
    expect(r.y).toEqual(['Smith, J.', 'multi\nline']);
    expect(Array.from(r.X.data)).toEqual([1.5, 2, 3, 4]);
  });

  it('supports another delimiter', () => {
    expect(parseCsv('a;b;y\n1.5;2;1\n', { delimiter: ';' }).featureNames).toEqual(['a', 'b']);
    // a decimal comma is read where the delimiter is not a comma (sniffed, or given)
    expect(Array.from(parseCsv('a;b;y\n1,5;2;1\n', { delimiter: ';' }).X.data)).toEqual([1.5, 2]);
    expect(Array.from(parseCsv('a;b;y\n1,5;2;1\n').X.data)).toEqual([1.5, 2]);
    expect(() => parseCsv('a;b;y\n1,5;2;1\n', { delimiter: ';', decimal: '.' })).toThrow(/line 2, column 1 \("a"\) is "1,5", expected a finite number/);
    expect(Array.from(parseCsv('a\tb\n1\t2\n', { delimiter: '\t' }).X.data)).toEqual([1]);
  });

  it('ignores empty lines at the end (and blank lines between rows)', () => {
    const r = parseCsv('1,2,0\n\n3,4,1\n\n\n  \n');
    expect(r.X.rows).toBe(2);
    expect(r.y).toEqual([0, 1]);
  });

  it('names line (1-based) and column for a bad cell', () => {
    const text = 'a,b,y\n1,2,0\n3,oops,1\n';
    expect(() => parseCsv(text)).toThrow(ValidationError);
    expect(() => parseCsv(text)).toThrow(/line 3, column 2 \("b"\) is "oops", expected a finite number/);
    expect(() => parseCsv('1,2,0\n3,,1\n')).toThrow(/line 2, column 2 is empty/);
    expect(() => parseCsv('1,2,0\n3,NaN,1\n')).toThrow(/line 2, column 2 is "NaN"/);
    expect(() => parseCsv('1,2,0\n3,4,\n')).toThrow(/line 2, column 3: the label is empty/);
    // a quoted field spanning lines 2–3 shifts the following line numbers: the bad row is line 4
    expect(() => parseCsv('a,b,y\n1,2,"x\ny"\n3,z,w\n')).toThrow(/line 4, column 2/);
  });

  it('names the line of a ragged row', () => {
    expect(() => parseCsv('1,2,0\n3,4\n5,6,1\n')).toThrow(/line 2 has 2 fields, expected 3 \(as line 1\)/);
    expect(() => parseCsv('a,b,y\n1,2,0\n\n5,6,1,9\n')).toThrow(/line 4 has 4 fields, expected 3/);
  });

  it('rejects bad options and degenerate files', () => {
    expect(() => parseCsv('')).toThrow(/is empty/);
    expect(() => parseCsv('a,b\n', { header: true })).toThrow(/no data rows/);
    expect(() => parseCsv('1\n2\n')).toThrow(/no feature column/);
    expect(() => parseCsv('a,b\n1,2\n', { labelColumn: 'c' })).toThrow(/labelColumn: "c" is not a column; the columns are "a", "b"/);
    expect(() => parseCsv('1,2\n', { labelColumn: 'c' })).toThrow(/no header row/);
    expect(() => parseCsv('1,2\n', { labelColumn: 5 })).toThrow(/labelColumn: is 5/);
    expect(() => parseCsv('"open,1\n2,3\n')).toThrow(/line 1, column 1: quoted field never closed/);
    expect(() => parseCsv('"a"x,1\n')).toThrow(/unexpected "x" after a closing quote/);
  });
});

describe('readCsv', () => {
  it('reads text directly when it holds a comma or newline', () => {
    expect(readCsv('1,2,0\n3,4,1').y).toEqual([0, 1]);
  });

  it('reads a path, plain or gzip', () => {
    const plain = join(dir, 'data.csv');
    writeFileSync(plain, 'f1,f2,label\n1,2,yes\n3,4,no\n');
    const gz = join(dir, 'data.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from('1,2,1\n3,4,0\n')));
    expect(readCsv(plain).y).toEqual(['yes', 'no']);
    expect(readCsv(plain).classNames).toEqual(['no', 'yes']);
    expect(readCsv(gz).y).toEqual([1, 0]);
  });

  it('reports a missing file', () => {
    expect(() => readCsv(join(dir, 'missing.csv'))).toThrow(/pathOrText: cannot read ".*missing\.csv"/);
  });

  it('explains that paths need Node when process.getBuiltinModule is missing', () => {
    const proc = globalThis.process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      expect(() => readCsv('data.csv')).toThrow(/reading files needs Node/);
      expect(readCsv('1,2,0\n3,4,1').X.rows).toBe(2);
    } finally {
      proc.getBuiltinModule = saved;
    }
  });

  it('reads the shared iris.csv, whose odd header is detected', () => {
    const path = '/work/shared/datasets/iris.csv';
    if (!existsSync(path)) return; // not available in a fresh clone
    const r = readCsv(readFileSync(path, 'utf8'));
    expect(r.X.rows).toBe(150);
    expect(r.y.slice(0, 2)).toEqual([0, 0]);
  });
});

describe('header detection (issue 13): a data row is never dropped on a guess', () => {
  it('keeps a first row whose label is text while the other labels are numbers', () => {
    const text = '5.1,3.5,other\n4.9,3.0,1\n4.7,3.2,2\n';
    const r = parseCsv(text);
    expect(r.X.rows).toBe(3);
    expect(r.y).toEqual(['other', '1', '2']);
    expect(parseTable(text).rows).toBe(3);
  });

  it('keeps a first row with a missing or empty cell', () => {
    for (const text of ['NA,2,cat\n1,3,dog\n4,5,cat\n', ',2,cat\n1,3,dog\n', '1,2,NA\n3,4,1\n5,6,0\n']) {
      const t = parseTable(text);
      expect(t.hasHeader).toBe(false);
      expect(t.rows).toBe(text.trim().split('\n').length);
    }
  });

  it('still finds headers: names over numbers, an empty corner cell, the sklearn-style iris header', () => {
    expect(parseTable('a,b,label\n1,2,3\n').hasHeader).toBe(true);
    expect(parseTable(',a,b\n0,1.5,2\n1,2.5,3\n').names).toEqual(['column_1', 'a', 'b']);
    const iris = parseCsv('150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n');
    expect(iris.X.rows).toBe(2);
    expect(iris.featureNames).toEqual(['150', '4', 'setosa', 'versicolor']);
    expect(parseTable('age,city\n34,Paris\n-,Lyon\n56,Nice\n').hasHeader).toBe(true);
  });

  it('refuses a first row the evidence cannot place, and names the columns', () => {
    for (const read of [(t: string) => parseCsv(t), (t: string) => parseTable(t)]) {
      let err: unknown;
      try { read('-,2,cat\n2,3,dog\n'); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).argument).toBe('header');
      expect((err as Error).message).toMatch(/column 1 it holds text above numbers \("-"\).*column 2 a number above numbers \("2"\).*header: true or false/);
    }
    expect(parseCsv('-,2,cat\n2,3,dog\n', { header: true }).X.rows).toBe(1);
    expect(parseTable('-,2,cat\n2,3,dog\n', { header: false }).rows).toBe(2);
  });
});
