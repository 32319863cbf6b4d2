// The column pipeline against scikit-learn and pandas (test/fixtures/tables/oracle.json, written by
// bench/tables/oracle_fixtures.py with Debian's python3-sklearn), and its rules: type inference,
// overrides, imputation, one-hot with unknown categories, dates, matching columns by name, JSON.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ColumnPipeline, parseTable, prepareTable, QuantileSketch, readTable, TableStats, type Table,
} from '../../src/data/index.js';
import { ModelFormatError, ValidationError } from '../../src/errors.js';

const FIX = new URL('../fixtures/tables/', import.meta.url);
const fixture = (name: string) => readTable(new URL(name, FIX).pathname);
const oracle = JSON.parse(readFileSync(new URL('oracle.json', FIX), 'utf8')) as Record<string, { features: string[]; X: number[][] }>;

/** Our matrix against the oracle's, column by name (tolerance for float32). */
function expectSameMatrix(names: string[], X: { data: Float32Array; rows: number; cols: number }, want: { features: string[]; X: number[][] }): void {
  expect([...names].sort()).toEqual([...want.features].sort());
  expect(X.rows).toBe(want.X.length);
  let worst = 0;
  names.forEach((n, j) => {
    const k = want.features.indexOf(n);
    for (let i = 0; i < X.rows; i++) worst = Math.max(worst, Math.abs(X.data[i * X.cols + j]! - want.X[i]![k]!));
  });
  expect(worst).toBeLessThan(2e-5);
}

describe('ColumnPipeline against scikit-learn', () => {
  it('penguins: median imputation, missing indicators, standardization and one-hot as a ColumnTransformer computes them', () => {
    const t = fixture('penguins.csv');
    const p = ColumnPipeline.fit(t, { label: 'species' });
    const { X } = p.transform(t);
    expectSameMatrix(p.features, X, oracle.penguins!);
  });

  it('seattle-weather: the date (2012/01/01) expands into the parts pandas computes, then standardized', () => {
    const t = fixture('seattle-weather.csv');
    const p = ColumnPipeline.fit(t, { label: 'weather' });
    expect(p.describe().find((c) => c.name === 'date')!.type).toBe('date');
    expectSameMatrix(p.features, p.transform(t).X, oracle.seattle!);
  });
});

describe('type inference', () => {
  const t = fixture('penguins_raw.csv');
  const types = Object.fromEntries(ColumnPipeline.fit(t, { label: 'Species' }).describe().map((c) => [c.name, c.type]));

  it('reads the raw penguin census with no cleaning: text, dates, booleans, constants, IDs', () => {
    expect(types).toMatchObject({
      studyName: 'categorical', 'Sample Number': 'numeric', Region: 'constant', Island: 'categorical', Stage: 'constant',
      'Individual ID': 'id', 'Clutch Completion': 'boolean', 'Date Egg': 'date', 'Culmen Length (mm)': 'numeric',
      Sex: 'categorical', Comments: 'categorical',
    });
  });

  it('takes a row-number column for an ID and drops it; types can be given instead', () => {
    const rows = ['n,x,y', ...Array.from({ length: 30 }, (_, i) => `${i + 1},${(i * 7) % 5},${i % 2 ? 'a' : 'b'}`)];
    const tab = parseTable(rows.join('\n'));
    expect(ColumnPipeline.fit(tab, { label: 'y' }).describe()[0]).toMatchObject({ name: 'n', type: 'id', outputs: 0 });
    const given = ColumnPipeline.fit(tab, { label: 'y', types: { n: 'numeric', x: 'categorical' } });
    expect(given.features).toEqual(['n', 'x=0', 'x=1', 'x=2', 'x=3', 'x=4']);
    expect(() => ColumnPipeline.fit(tab, { label: 'y', types: { y2: 'numeric' } })).toThrow(/types: "y2" is not a column/);
    expect(() => ColumnPipeline.fit(tab, { label: 'y', types: { n: 'date' } })).toThrow(/is 'date', but the values are not dates/);
  });

  it('reads a mostly numeric column with a few text spellings as numbers with those spellings missing, and says so', () => {
    const rows = ['v,y', ...Array.from({ length: 40 }, (_, i) => `${i === 7 ? 'unknown' : i * 1.5},${i % 2}`)];
    const p = ColumnPipeline.fit(parseTable(rows.join('\n')), { label: 'y' });
    const c = p.describe()[0]!;
    expect(c.type).toBe('numeric');
    expect(c.reason).toMatch(/text read as missing: "unknown"/);
    expect(p.features).toEqual(['v', 'v_missing']);
  });

  it('drops a column with no value at all (refused when asked for by name)', () => {
    const tab = parseTable('a,b,y\n1,NA,x\n2,,y\n3,?,x\n');
    expect(ColumnPipeline.fit(tab, { label: 'y' }).features).toEqual(['a']);
    expect(() => ColumnPipeline.fit(tab, { label: 'y', features: ['a', 'b'] })).toThrow(/column 2 \("b"\) has no values: all 3 cells are missing; it cannot be used/);
    expect(ColumnPipeline.fit(tab, { label: 'y', drop: ['b'] }).features).toEqual(['a']);
  });
});

describe('missing values and categories', () => {
  const tab = parseTable('num,cat,y\n1,a,0\n,b,1\n3,NA,0\n5,a,1\n');

  it('imputes with median, mean, most frequent or a constant, and scales the imputed column', () => {
    const col = (impute: 'median' | 'mean' | 'most-frequent' | 'constant') => Array.from(ColumnPipeline.fit(tab, { label: 'y', impute, scale: 'none', fillValue: 7 }).transform(tab).X.data.filter((_, i) => i % 5 === 0));
    expect(col('median')).toEqual([1, 3, 3, 5]);
    expect(col('mean')).toEqual([1, 3, 3, 5]);
    expect(col('most-frequent')).toEqual([1, 1, 3, 5]);
    expect(col('constant')).toEqual([1, 7, 3, 5]);
    const std = ColumnPipeline.fit(tab, { label: 'y' }).transform(tab).X;
    // standardized after imputing 3: values 1, 3, 3, 5 → mean 3, population sd √2
    expect(Array.from(std.data.filter((_, i) => i % 5 === 0)).map((v) => Number(v.toFixed(5)))).toEqual([-Math.SQRT2, 0, 0, Math.SQRT2].map((v) => Number(v.toFixed(5))));
  });

  it('gives a missing category its own column, or the most frequent category, and ignores an unseen one (or refuses it)', () => {
    const p = ColumnPipeline.fit(tab, { label: 'y' });
    expect(p.features).toEqual(['num', 'num_missing', 'cat=a', 'cat=b', 'cat=(missing)']);
    const fresh = parseTable('cat,num\nc,2\nNA,2\n');
    expect(Array.from(p.transform(fresh).X.data)).toEqual([expect.any(Number), 0, 0, 0, 0, expect.any(Number), 0, 0, 0, 1]);
    const strict = ColumnPipeline.fit(tab, { label: 'y', unknown: 'error' });
    expect(() => strict.transform(parseTable('num,cat\n2,c\n', { source: 'new.csv' }))).toThrow(/new\.csv: line 2, column 2 \("cat"\) is "c", a category not seen in training \(unknown: 'error'; known: "a", "b"\)/);
    const mf = ColumnPipeline.fit(tab, { label: 'y', categoricalMissing: 'most-frequent', missingIndicator: false });
    expect(mf.features).toEqual(['num', 'cat=a', 'cat=b']);
  });

  it("groups rare categories into '(other)' past maxCategories", () => {
    const rows = ['c,y', ...Array.from({ length: 60 }, (_, i) => `${i < 30 ? 'big' : i < 50 ? 'mid' : `rare${i}`},${i % 2}`)];
    const p = ColumnPipeline.fit(parseTable(rows.join('\n')), { label: 'y', maxCategories: 3 });
    expect(p.features).toEqual(['c=big', 'c=mid', 'c=(other)']);
    expect(Array.from(p.transform(parseTable('c\nrare55\nnever\n')).X.data)).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it("missing: 'drop' leaves rows with a missing cell out of training and refuses them later", () => {
    const p = ColumnPipeline.fit(tab, { label: 'y', missing: 'drop', scale: 'none' });
    const { X, rows } = p.transform(tab, { dropMissing: true });
    expect(Array.from(rows)).toEqual([0, 3]);
    expect(X.rows).toBe(2);
    expect(() => p.transform(tab)).toThrow(/line 3, column 1 \("num"\) is missing, and this model was trained without missing numeric values/);
  });
});

describe('columns matched by name', () => {
  const t = fixture('penguins.csv');
  const p = ColumnPipeline.fit(t, { label: 'species' });
  const reorder = (tab: Table, order: string[]): Table => ({ ...tab, names: order, columns: order.map((n) => tab.columns[tab.names.indexOf(n)]!) });

  it('gives the same features whatever the column order', () => {
    const shuffled = reorder(t, ['sex', 'year', 'species', 'body_mass_g', 'island', 'flipper_length_mm', 'bill_depth_mm', 'bill_length_mm']);
    expect(Array.from(p.transform(shuffled).X.data)).toEqual(Array.from(p.transform(t).X.data));
  });

  it('names the columns a table lacks or has in excess', () => {
    const lacking = reorder(t, ['species', 'island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'year']);
    expect(() => p.transform({ ...lacking, source: 'x.csv' })).toThrow(/x\.csv: the data lacks the columns "body_mass_g", "sex" that the model uses/);
    const extra = { ...t, names: [...t.names, 'tag'], columns: [...t.columns, t.columns[0]!] };
    expect(() => p.transform(extra)).toThrow(/the data has a column the model was not trained with: "tag"/);
    expect(p.transform(extra, { extra: 'ignore' }).X.cols).toBe(p.width);
  });

  it('round-trips through JSON: the same features from the saved pipeline, and corrupt JSON is refused', () => {
    const back = ColumnPipeline.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
    expect(Array.from(back.transform(t).X.data)).toEqual(Array.from(p.transform(t).X.data));
    const j = p.toJSON();
    (j.columns[1] as { scale: number }).scale = 0;
    expect(() => ColumnPipeline.fromJSON(j)).toThrow(ModelFormatError);
    expect(() => ColumnPipeline.fromJSON({ ...p.toJSON(), features: ['x'] })).toThrow(/do not match its features list/);
  });
});

describe('prepareTable and the label', () => {
  it('infers classification for text and regression for many numbers, and says so', () => {
    const t = fixture('cars.csv');
    const r = prepareTable(t, { label: 'Miles_per_Gallon' });
    expect(r.target.task).toBe('regression');
    expect(r.notes[0]).toMatch(/task: regression \(inferred: the label "Miles_per_Gallon" has \d+ distinct numeric values/);
    expect(r.droppedNoLabel).toBe(8);
    expect(r.X.rows).toBe(398);
    // the target is standardized; unscale gives the label back
    const back = r.target.unscale(r.y);
    expect(back[0]).toBeCloseTo(18, 4);
    const c = prepareTable(t, { label: 'Origin' });
    expect(c.target.task).toBe('classification');
    expect(c.target.classes).toEqual(['Europe', 'Japan', 'USA']);
  });

  it('refuses a one-class label and a text label for regression, naming the line', () => {
    expect(() => prepareTable(parseTable('a,y\n1,k\n2,k\n'), { label: 'y' })).toThrow(/the label "y" has a single class \("k"\)/);
    expect(() => prepareTable(parseTable('a,y\n1,2.5\n2,x\n3,4.5\n'), { label: 'y', task: 'regression' })).toThrow(/line 3: the label "y" is "x", not a number; regression needs a numeric label/);
  });
});

describe('QuantileSketch', () => {
  it('is exact (NumPy median) for small columns and within 1% rank error past exactCap', () => {
    const s = new QuantileSketch();
    for (const v of [5, 1, 4, 2]) s.add(v);
    expect(s.quantile(0.5)).toBe(3);
    const big = new QuantileSketch(1000, 256);
    const n = 200_000;
    let x = 12345;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; values[i] = x / 2 ** 32; big.add(values[i]!); }
    expect(big.isExact).toBe(false);
    const sorted = values.slice().sort();
    for (const q of [0.1, 0.5, 0.9]) {
      const v = big.quantile(q);
      let rank = 0;
      while (rank < n && sorted[rank]! < v) rank++;
      expect(Math.abs(rank / n - q)).toBeLessThan(0.01);
    }
  });
});

describe('TableStats', () => {
  it('counts missing cells with the dialect spellings', () => {
    const t = parseTable('a;b\n1,5;x\nNA;?\n');
    const s = new TableStats(t.names, t.dialect);
    for (let i = 0; i < t.rows; i++) s.addRow([t.columns[0]![i]!, t.columns[1]![i]!], t.lines[i]!);
    expect(s.columns[0]!.missing).toBe(1);
    expect(s.columns[0]!.numeric.mean).toBe(1.5);
    expect(s.columns[1]!.missing).toBe(1);
    expect(() => ColumnPipeline.fit(t, { label: 'nope' })).toThrow(ValidationError);
  });
});
