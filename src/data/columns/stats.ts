// One streaming pass of statistics per column, enough to infer the column's type and fit every
// transformer at once: missing count; for numbers, Welford's mean and variance, min, max, a
// quantile sketch, whether all are integers and whether they only go up (a row number); the
// counts of distinct values (capped); and, while every value reads as a date, the statistics of
// each date part under each date format that still fits.

import { parseGrouped, parseNumber, type Dialect } from '../dialect.js';
import { DATE_PARTS, dateFormatsOf, dateParts, parseDate, type DateFormat } from './dates.js';
import { QuantileSketch } from './sketch.js';

/** Distinct values counted per column; past this, new values are only counted as `overflow`. */
export const MAX_DISTINCT = 10_000;

const NO_SKETCH = new QuantileSketch(1, 2);

export class NumericStats {
  count = 0;
  mean = 0;
  /** Σ (x − mean)², Welford's running sum. */
  m2 = 0;
  min = Infinity;
  max = -Infinity;
  integer = true;
  /** Every value so far is larger than the one before. */
  increasing = true;
  private prev = NaN;
  /** Medians come from here; absent for statistics that never need one (date parts use the mean). */
  readonly sketch: QuantileSketch;

  constructor(withSketch = true) {
    this.sketch = withSketch ? new QuantileSketch() : NO_SKETCH;
  }

  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (this.integer && !Number.isInteger(x)) this.integer = false;
    if (this.increasing && this.count > 1 && !(x > this.prev)) this.increasing = false;
    this.prev = x;
    if (this.sketch !== NO_SKETCH) this.sketch.add(x);
  }

  /** Population variance (ddof 0, as scikit-learn's StandardScaler). */
  get variance(): number { return this.count ? this.m2 / this.count : 0; }

  /** Mean and population variance after `k` more values equal to `v` (what an imputer adds). */
  withFill(k: number, v: number): { mean: number; variance: number } {
    if (k === 0 || this.count === 0) return { mean: k ? v : this.mean, variance: k ? 0 : this.variance };
    const n = this.count + k;
    const d = v - this.mean;
    const mean = this.mean + (d * k) / n;
    const m2 = this.m2 + (d * d * this.count * k) / n;
    return { mean, variance: m2 / n };
  }
}

interface DateCandidate { format: DateFormat; parts: NumericStats[] }

export interface BadValue { value: string; line: number }

export class ColumnStats {
  rows = 0;
  missing = 0;
  firstLine = 0;
  /** Statistics of the values that are numbers (all of them when allNumbers). */
  readonly numeric = new NumericStats();
  numberCount = 0;
  /** The first three distinct values that are not numbers, with their lines; manyNotNumbers past that. */
  readonly notNumbers: BadValue[] = [];
  manyNotNumbers = false;
  /** Numbers written with thousands separators (2,107), counted among the numbers. */
  grouped = 0;
  /** A number of four or more integer digits written without separators (1234) was seen. */
  private plainWide = false;
  readonly counts = new Map<string, number>();
  overflow = 0;
  /** Counting stopped: MAX_DISTINCT distinct numbers were seen (counts then cover the first ones only). */
  private frozen = false;
  private dates: DateCandidate[] | null = null;
  private datesDead = false;
  timed = false;
  private readonly partsBuf = new Float64Array(DATE_PARTS.length);

  constructor(readonly name: string, private readonly na: Set<string>, readonly decimal: Dialect['decimal']) {}

  add(cell: string, line: number): void {
    if (this.rows++ === 0) this.firstLine = line;
    if (this.na.has(cell)) { this.missing++; return; }
    // A full table of distinct numbers says all a number column needs (not constant, not a few
    // categories); counting further would cost a hash per cell for nothing.
    if (!this.frozen) {
      const c = this.counts.get(cell);
      if (c !== undefined) this.counts.set(cell, c + 1);
      else if (this.counts.size < MAX_DISTINCT) this.counts.set(cell, 1);
      else { this.overflow++; if (this.numberCount === this.present - 1) this.frozen = true; }
    } else this.overflow++;
    // past three distinct non-numbers the column cannot be numeric: stop parsing its cells as numbers
    let x = this.manyNotNumbers ? NaN : parseNumber(cell, this.decimal);
    if (x !== x && !this.manyNotNumbers) {
      x = parseGrouped(cell, this.decimal);
      if (x === x) this.grouped++;
    } else if (!this.plainWide && Math.abs(x) >= 1000) this.plainWide = true;
    if (Number.isFinite(x)) {
      this.numberCount++;
      this.numeric.add(x);
    } else if (!this.manyNotNumbers && this.notNumbers.length <= 3 && !this.notNumbers.some((b) => b.value === cell)) {
      if (this.notNumbers.length < 3) this.notNumbers.push({ value: cell, line });
      else this.manyNotNumbers = true;
    }
    if (!this.datesDead) this.addDate(cell);
  }

  private addDate(cell: string): void {
    if (!this.dates) {
      const formats = dateFormatsOf(cell);
      if (formats.length === 0) { this.datesDead = true; return; }
      this.dates = formats.map((format) => ({ format, parts: DATE_PARTS.map(() => new NumericStats(false)) }));
    }
    const buf = this.partsBuf;
    let alive = 0;
    for (let c = 0; c < this.dates.length; c++) {
      const cand = this.dates[c]!;
      const d = parseDate(cell, cand.format);
      if (!d) continue;
      if (d.timed) this.timed = true;
      dateParts(d, buf);
      for (let p = 0; p < buf.length; p++) cand.parts[p]!.add(buf[p]!);
      this.dates[alive++] = cand;
    }
    this.dates.length = alive;
    if (alive === 0) { this.dates = null; this.datesDead = true; }
  }

  /** Every non-missing value is a number (and there is one); with separators only if all are grouped strictly. */
  get allNumbers(): boolean { return this.numberCount > 0 && this.numberCount === this.present && !this.mixedGrouping; }

  /** Some numbers have thousands separators and others of four digits or more have none (2,107 and 1234). */
  get mixedGrouping(): boolean { return this.grouped > 0 && this.plainWide; }

  /** The numbers are written with thousands separators (every one strictly grouped). */
  get thousands(): boolean { return this.grouped > 0 && !this.plainWide; }

  /** Non-missing values seen. */
  get present(): number { return this.rows - this.missing; }

  /** Distinct non-missing values (a lower bound when `overflow` > 0). */
  get distinct(): number { return this.counts.size; }

  /** The date formats that read every non-missing value (month-first before day-first on a tie). */
  get dateFormats(): { format: DateFormat; parts: NumericStats[] }[] {
    if (!this.dates || this.datesDead) return [];
    const order: DateFormat[] = ['ymd', 'mdy', 'dmy', 'named'];
    return this.dates.slice().sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format));
  }

  /** Distinct values by descending count (ties in first-seen order). */
  byFrequency(): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]);
  }
}

/** Statistics of every column of a table, filled row by row. */
export class TableStats {
  readonly columns: ColumnStats[];
  rows = 0;

  constructor(readonly names: readonly string[], dialect: Dialect) {
    const na = new Set(dialect.naValues);
    this.columns = names.map((n) => new ColumnStats(n, na, dialect.decimal));
  }

  /** Adds one row of trimmed cells (in `names` order). */
  addRow(cells: readonly string[], line: number): void {
    this.rows++;
    for (let j = 0; j < this.columns.length; j++) this.columns[j]!.add(cells[j]!, line);
  }

  column(name: string): ColumnStats | undefined {
    return this.columns.find((c) => c.name === name);
  }
}
