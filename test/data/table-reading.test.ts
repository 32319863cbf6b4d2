// Files as public data sets ship them, read with no option: comment lines above the header, R's
// row-names column (a header one name short), names in single quotes, a year as a column name,
// repeated names, yes/no spelt in several cases, an empty column. Each case is written out by hand
// here with what pandas.read_csv (with the matching option: comment='#', index_col=0, quotechar,
// mangle_dupe_cols) reads from it; anes96.csv is the statsmodels copy (see test/fixtures/tables).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ColumnPipeline } from '../../src/data/columns/pipeline.js';
import { parseTable, readTable } from '../../src/data/table.js';

const fixture = (f: string) => new URL(`../fixtures/tables/${f}`, import.meta.url).pathname;

describe('parseTable on files as they ship', () => {
  it('skips comment lines above the header, and says so', () => {
    const t = parseTable('# Data source: somewhere\n# second line\nDate,IBM,AAPL\n1990-01-01,10.9,0.24\n1990-02-01,11.5,0.26\n');
    expect(t.names).toEqual(['Date', 'IBM', 'AAPL']);
    expect(t.dialect.delimiter).toBe(',');
    expect(t.rows).toBe(2);
    expect(Array.from(t.lines)).toEqual([4, 5]);
    expect(t.notes).toEqual(['2 comment lines before the header skipped (line 1: "# Data source: somewhere")']);
    // a first column whose name starts with '#' is a header, not a comment
    expect(parseTable('#id,x\n1,2\n2,3\n').names).toEqual(['#id', 'x']);
  });

  it("reads R's write.csv row names (one name short) as a first column, dropped as a row number", () => {
    const rows = Array.from({ length: 25 }, (_, i) => `"${i + 1}",${(20 + i * 1.5).toFixed(1)},${i % 3 === 0 ? 'NA' : i},${4601 + (i % 5)}`);
    const t = parseTable(`"Weight","Feed","Pig"\n${rows.join('\n')}\n`);
    expect(t.names).toEqual(['column_1', 'Weight', 'Feed', 'Pig']);
    expect(t.columns[0]!.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(t.columns[1]!.slice(0, 2)).toEqual(['20.0', '21.5']);
    expect(t.notes).toEqual(['the header has 3 names for 4 fields (row names, as R writes them): the first column is read as "column_1"']);
    const p = ColumnPipeline.fit(t, { label: 'Weight' });
    expect(p.describe().find((c) => c.name === 'column_1')!.type).toBe('id');
    // one short row is still a ragged row, not row names
    expect(() => parseTable('a,b\n1,2,3\n4,5\n')).toThrow(/line 2 has 3 fields, expected 2/);
  });

  it('takes the quotes off names all written in single quotes (anes96.csv, tab-delimited)', () => {
    const t = readTable(fixture('anes96.csv'));
    expect(t.dialect.delimiter).toBe('\t');
    expect(t.names).toEqual(['popul', 'TVnews', 'selfLR', 'ClinLR', 'DoleLR', 'PID', 'age', 'educ', 'income', 'vote']);
    expect(t.rows).toBe(944);
    expect(t.notes).toEqual(["every column name is written in single quotes ('...'): the quotes are left out of the names"]);
    // one quoted name among plain ones is a name with quotes
    expect(parseTable("'a',b\n1,2\n3,4\n").names).toEqual(["'a'", 'b']);
  });

  it('takes a header of years over columns of fractions (World Bank tables) for a header', () => {
    const text = 'Country,1960,1961,1962\nAruba,4.82,4.655,4.471\nAndorra,,,\nAfghanistan,7.45,7.45,7.45\n';
    const t = parseTable(text);
    expect(t.hasHeader).toBe(true);
    expect(t.names).toEqual(['Country', '1960', '1961', '1962']);
    // integers over integers are still data
    expect(parseTable('1960,3\n1961,4\n1962,5\n').hasHeader).toBe(false);
  });

  it('reads yes / Yes / YES and no / NO as one boolean, the most frequent spelling naming it', () => {
    const cells = ['yes', 'Yes', 'no', 'YES', 'No', 'yes', 'NO', 'no', 'yes'];
    const t = parseTable(`flag,x\n${cells.map((c, i) => `${c},${i}`).join('\n')}\n`);
    const p = ColumnPipeline.fit(t, { label: 'x', scale: 'none' });
    const [flag] = p.toJSON().columns;
    expect(flag).toMatchObject({ type: 'boolean', true: 'yes', false: 'no' });
    expect(Array.from(p.transform(t).X.data)).toEqual(cells.map((c) => (c.toLowerCase() === 'yes' ? 1 : 0)));
    // a third value is not a boolean
    const three = parseTable('f,x\nyes,1\nno,2\nmaybe,3\n');
    expect(ColumnPipeline.fit(three, { label: 'x' }).toJSON().columns[0]!.type).toBe('categorical');
  });

  it('drops a column with no values at all, and says why', () => {
    const t = parseTable('a,b,y\n1,NA,x\n2,,y\n3,?,x\n');
    const p = ColumnPipeline.fit(t, { label: 'y' });
    expect(p.describe().find((c) => c.name === 'b')).toMatchObject({ type: 'constant', reason: 'dropped: no values: all 3 cells are missing', outputs: 0 });
    expect(() => ColumnPipeline.fit(t, { label: 'y', features: ['a', 'b'] })).toThrow(/column 2 \("b"\) has no values/);
  });

  it('reads the fixture files the same whole and by their raw text', () => {
    const text = readFileSync(fixture('anes96.csv'), 'utf8');
    expect(parseTable(text).names).toEqual(readTable(fixture('anes96.csv')).names);
  });
});
