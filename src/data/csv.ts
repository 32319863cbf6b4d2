// CSV of numbers into a feature matrix and a label vector. RFC 4180 quoting ("a, b", "say ""hi"""),
// \n or \r\n line ends, blank lines skipped, the delimiter and decimal mark sniffed unless given.
// Errors name the 1-based line and column. Tables with text, dates or missing cells go through
// readTable + ColumnPipeline instead (src/data/columns).

import { ValidationError } from '../errors.js';
import { checkDelimiter, parseNumber, resolveDialect, type DialectOptions } from './dialect.js';
import type { Matrix } from './matrix.js';
import { gunzip, isGzip, readFileBytes } from './node.js';
import { detectHeader } from './table.js';
import { splitRecords } from './tokenizer.js';

export interface CsvOptions extends DialectOptions {
  /**
   * The label column: a 0-based index (negative counts from the end), a header name, or null for
   * no label column. Default: the last column.
   */
  labelColumn?: string | number | null;
  /**
   * Whether the first row names the columns. `'auto'` (default): it does when one of its cells
   * is not a number while the same cell of the next row is.
   */
  header?: boolean | 'auto';
}

export interface CsvData {
  X: Matrix;
  /** Labels: numbers when every label cell is numeric, else the strings as written. Empty without a label column. */
  y: number[] | string[];
  featureNames: string[];
  labelName: string | null;
  /** The distinct string labels, sorted; only for string labels. */
  classNames?: string[];
}

/** Splits CSV text into records of raw cells (quotes removed), remembering each record's first line. */
export function splitCsv(text: string, delimiter = ','): { cells: string[]; line: number }[] {
  return splitRecords(text, checkDelimiter(delimiter));
}

/**
 * Parses CSV text into features X and labels y.
 * @example const { X, y } = parseCsv('a,b,label\n1,2,cat\n3,4,dog\n'); // X 2×2, y ['cat', 'dog']
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvData {
  if (typeof text !== 'string') throw new ValidationError('text', `expected CSV text, got ${typeof text}`);
  const dialect = resolveDialect(text.slice(0, 1 << 16), options, text.length <= 1 << 16);
  const records = splitRecords(text, dialect.delimiter);
  if (records.length === 0) throw new ValidationError('csv', 'is empty, expected at least one row');
  const na = new Set(dialect.naValues);
  const headerOpt = options.header ?? 'auto';
  if (headerOpt !== true && headerOpt !== false && headerOpt !== 'auto') {
    throw new ValidationError('header', `expected true, false or 'auto', got ${JSON.stringify(headerOpt)}`);
  }
  const hasHeader = headerOpt === 'auto' ? detectHeader(records.slice(0, 51).map((r) => r.cells), dialect) : headerOpt;
  const width = records[0].cells.length;
  const firstLine = records[0].line;
  for (const r of records) {
    if (r.cells.length !== width) {
      throw new ValidationError('csv', `line ${r.line} has ${r.cells.length} fields, expected ${width} (as line ${firstLine})`);
    }
  }
  const names = hasHeader ? records[0].cells.map((c) => c.trim()) : Array.from({ length: width }, (_, j) => `x${j}`);
  const rows = hasHeader ? records.slice(1) : records;
  if (rows.length === 0) throw new ValidationError('csv', 'has a header but no data rows');

  let labelIndex: number | null;
  const lc = options.labelColumn === undefined ? -1 : options.labelColumn;
  if (lc === null) {
    labelIndex = null;
  } else if (typeof lc === 'number') {
    if (!Number.isInteger(lc) || lc >= width || lc < -width) {
      throw new ValidationError('labelColumn', `is ${lc}, expected an integer in [${-width}, ${width - 1}] (the file has ${width} columns)`);
    }
    labelIndex = lc < 0 ? width + lc : lc;
  } else if (typeof lc === 'string') {
    if (!hasHeader) throw new ValidationError('labelColumn', `is the name ${JSON.stringify(lc)}, but the file has no header row; pass a column index`);
    labelIndex = names.indexOf(lc);
    if (labelIndex < 0) throw new ValidationError('labelColumn', `${JSON.stringify(lc)} is not a column; the columns are ${names.map((s) => JSON.stringify(s)).join(', ')}`);
  } else {
    throw new ValidationError('labelColumn', `expected a column index, a column name or null, got ${typeof lc}`);
  }

  const featureCols: number[] = [];
  for (let j = 0; j < width; j++) if (j !== labelIndex) featureCols.push(j);
  if (featureCols.length === 0) throw new ValidationError('csv', 'has no feature column besides the label column');
  const cols = featureCols.length;
  const data = new Float32Array(rows.length * cols);
  const columnName = (j: number) => (hasHeader ? ` (${JSON.stringify(names[j])})` : '');
  rows.forEach((r, i) => {
    for (let k = 0; k < cols; k++) {
      const j = featureCols[k];
      const s = r.cells[j].trim();
      const v = parseNumber(s, dialect.decimal);
      if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
        const what = s === '' ? 'is empty' : `is ${JSON.stringify(r.cells[j])}`;
        const why = na.has(s) ? ', a missing value; parseCsv needs a finite number in every cell (readTable and ColumnPipeline impute missing cells)' : ', expected a finite number';
        throw new ValidationError('csv', `line ${r.line}, column ${j + 1}${columnName(j)} ${what}${why}`);
      }
      data[i * cols + k] = v;
    }
  });

  let y: number[] | string[] = [];
  let classNames: string[] | undefined;
  if (labelIndex !== null) {
    const li = labelIndex;
    for (const r of rows) {
      if (r.cells[li].trim() === '') {
        throw new ValidationError('csv', `line ${r.line}, column ${li + 1}${columnName(li)}: the label is empty`);
      }
    }
    if (rows.every((r) => Number.isFinite(parseNumber(r.cells[li].trim(), dialect.decimal)))) {
      y = rows.map((r) => parseNumber(r.cells[li].trim(), dialect.decimal));
      const bad = y.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new ValidationError('csv', `line ${rows[bad].line}, column ${li + 1}${columnName(li)}: label ${rows[bad].cells[li]} is not finite`);
    } else {
      const labels = rows.map((r) => r.cells[li].trim());
      y = labels;
      classNames = [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
  }
  const result: CsvData = {
    X: { data, rows: rows.length, cols },
    y,
    featureNames: featureCols.map((j) => names[j]),
    labelName: labelIndex === null ? null : names[labelIndex],
  };
  if (classNames) result.classNames = classNames;
  return result;
}

/**
 * Reads CSV from a file path (Node only; `.gz` files are gunzipped) or from CSV text: an argument
 * holding a newline or a comma is text, anything else a path.
 * @example const { X, y, classNames } = readCsv('data/iris.csv', { labelColumn: 'species' });
 */
export function readCsv(pathOrText: string, options: CsvOptions = {}): CsvData {
  if (typeof pathOrText !== 'string') {
    throw new ValidationError('pathOrText', `expected a file path or CSV text, got ${typeof pathOrText}`);
  }
  if (pathOrText.includes('\n') || pathOrText.includes(',')) return parseCsv(pathOrText, options);
  let bytes = readFileBytes(pathOrText, 'pathOrText');
  if (isGzip(bytes)) bytes = gunzip(bytes, 'pathOrText');
  return parseCsv(new TextDecoder('utf-8').decode(bytes), options);
}
