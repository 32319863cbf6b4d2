// Raw tables: CSV read into columns of trimmed cell text, nothing converted yet, with the line of
// every row kept for error messages. A ColumnPipeline turns a table into numbers; readTable and
// parseTable are the in-memory readers, streamTable (stream.ts) the streaming one.

import { ValidationError } from '../errors.js';
import { isNumberCell, resolveDialect, type Dialect, type DialectOptions } from './dialect.js';
import { gunzip, isGzip, readFileBytes } from './node.js';
import { CsvTokenizer } from './tokenizer.js';

export interface TableOptions extends DialectOptions {
  /** Whether the first row names the columns. 'auto' (default): see {@link detectHeader}. */
  header?: boolean | 'auto';
  /** Names error messages (a file path). */
  source?: string;
}

/** A table of raw cells. `columns[j][i]` is the trimmed text of row i, column j (missing cells as written). */
export interface Table {
  names: string[];
  columns: string[][];
  /** 1-based line on which each row starts. */
  lines: Int32Array;
  rows: number;
  dialect: Dialect;
  hasHeader: boolean;
  source?: string;
  /** What reading changed to make the table regular (comment lines skipped, names renamed...), said to the user. */
  notes?: string[];
}

/**
 * Whether the first record names the columns, from evidence per column (as csv.Sniffer.has_header
 * weighs it): a text cell over a column of numbers votes for a header, and so does a year over a
 * column of fractions in a first row with text; a number over numbers votes for data, a missing cell votes for nothing. More votes for one side decide; as many for both is
 * ambiguous and refused (say `header: true` or `false`), so a data row is never dropped on a guess.
 * A table without numbers has a header when the first record's cells are distinct, none missing,
 * and none appears again in its column in the rows that follow.
 */
export function detectHeader(records: string[][], dialect: Dialect): boolean {
  if (records.length < 2) return false;
  const [first, ...rest] = records;
  const na = new Set(dialect.naValues);
  const sample = rest.slice(0, 50);
  const isNum = (c: string) => isNumberCell(c, dialect.decimal);
  const header: number[] = [];
  const data: number[] = [];
  const textInFirst = first!.some((c) => !na.has(c.trim()) && !isNum(c.trim()));
  for (let j = 0; j < first!.length; j++) {
    const h = first![j]!.trim();
    if (na.has(h)) continue;
    let present = 0;
    let numbers = 0;
    let integers = 0;
    for (const r of sample) {
      const c = r[j]?.trim();
      if (c === undefined || na.has(c)) continue;
      present++;
      if (isNum(c)) { numbers++; if (/^[+-]?\d+$/.test(c)) integers++; }
    }
    if (present === 0 || 2 * numbers <= present) continue;
    // a year over a column of fractions, in a first row that holds text too, names the column
    // (World Bank tables: Country Name, 1960, 1961, ...), as csv.Sniffer tells int from float
    const nameLike = !isNum(h) || (textInFirst && /^[12]\d{3}$/.test(h) && 10 * integers < numbers);
    (nameLike ? header : data).push(j);
  }
  if (header.length !== data.length) return header.length > data.length;
  if (header.length > 0) {
    const cols = (js: number[]) => js.slice(0, 3).map((j) => j + 1).join(', ') + (js.length > 3 ? ', ...' : '');
    throw new ValidationError('header', `the first row is a header or data, and cannot be told: in column${header.length > 1 ? 's' : ''} ${cols(header)} it holds text above numbers (${JSON.stringify(first![header[0]!]!.trim())}), as a header would, but in column${data.length > 1 ? 's' : ''} ${cols(data)} a number above numbers (${JSON.stringify(first![data[0]!]!.trim())}), as data would; say which (header: true or false; --header yes or no)`);
  }
  const heads = first!.map((c) => c.trim());
  if (heads.some((h) => na.has(h) || isNum(h)) || new Set(heads).size !== heads.length) return false;
  return heads.every((h, j) => sample.every((r) => r[j] === undefined || r[j]!.trim() !== h));
}

/**
 * Column names from a header row: trimmed, an empty one named `column_<n>`, a repeated one renamed
 * as pandas does (`grp`, `grp.1`, ...) and said in `notes`.
 */
export function headerNames(cells: string[], where: string, notes: string[] = []): string[] {
  const names = cells.map((c, j) => c.trim() || `column_${j + 1}`);
  const taken = new Set(names);
  const seen = new Map<string, number>();
  names.forEach((nm, j) => {
    const prev = seen.get(nm);
    if (prev === undefined) { seen.set(nm, j); return; }
    let k = 1;
    while (taken.has(`${nm}.${k}`)) k++;
    names[j] = `${nm}.${k}`;
    taken.add(names[j]!);
    notes.push(`${where}the header names column ${JSON.stringify(nm)} twice (columns ${prev + 1} and ${j + 1}): column ${j + 1} is read as ${JSON.stringify(names[j])}`);
  });
  return names;
}

/** The first of `records` that is not a comment line ('#' first) above the header, and the notes saying so. */
function skipComments(records: string[][], lines: number[], notes: string[]): number {
  let k = 0;
  const comment = (r: string[]) => r[0]!.trimStart().startsWith('#');
  while (k + 1 < records.length && comment(records[k]!) && (records[k]!.length !== records[k + 1]!.length || comment(records[k + 1]!))) k++;
  if (k > 0) notes.push(`${k} comment line${k > 1 ? 's' : ''} before the header skipped (line ${lines[0]}: ${JSON.stringify(records[0]!.join('').slice(0, 60))})`);
  return k;
}

/**
 * R's write.csv leaves the row-names column unnamed: a header one field short of every row below
 * it. Its missing name is put first (the column is then named `column_1`, and dropped as a row number
 * or an ID when it is one).
 */
function rowNamesHeader(records: string[][], k: number, notes: string[]): string[] {
  const head = records[k]!;
  const body = records.slice(k + 1, k + 51);
  if (body.length === 0 || !body.every((r) => r.length === head.length + 1)) return head;
  notes.push(`the header has ${head.length} names for ${head.length + 1} fields (row names, as R writes them): the first column is read as "column_1"`);
  return ['', ...head];
}

/** Header cells all written in single quotes ('vote'): the quotes are not part of the names. */
function unquoteNames(cells: string[], notes: string[]): string[] {
  const t = cells.map((c) => c.trim());
  if (!t.every((c) => c.length >= 2 && c.startsWith("'") && c.endsWith("'"))) return cells;
  notes.push("every column name is written in single quotes ('...'): the quotes are left out of the names");
  return t.map((c) => c.slice(1, -1));
}

/**
 * Parses CSV text into a raw table.
 * @example const t = parseTable('species;mass\nAdelie;3,75\n'); t.names // ['species', 'mass'], t.dialect.decimal ','
 */
export function parseTable(text: string, options: TableOptions = {}): Table {
  if (typeof text !== 'string') throw new ValidationError('text', `expected CSV text, got ${typeof text}`);
  const where = options.source ? `${options.source}: ` : '';
  const dialect = resolveDialect(text.slice(0, 1 << 16), options, text.length <= 1 << 16);
  const records: string[][] = [];
  const lineList: number[] = [];
  const tok = new CsvTokenizer(dialect.delimiter, (cells, line) => { records.push(cells); lineList.push(line); }, { source: options.source });
  tok.push(text);
  tok.end();
  if (records.length === 0) throw new ValidationError('csv', `${where}is empty, expected at least one row`);
  const h = options.header ?? 'auto';
  if (h !== true && h !== false && h !== 'auto') throw new ValidationError('header', `expected true, false or 'auto', got ${JSON.stringify(h)}`);
  const notes: string[] = [];
  const k = h === false ? 0 : skipComments(records, lineList, notes);
  if (h !== false) records[k] = rowNamesHeader(records, k, notes);
  const hasHeader = h === 'auto' ? detectHeader(records.slice(k, k + 51), dialect) : h;
  const width = records[k]!.length;
  const names = hasHeader ? headerNames(unquoteNames(records[k]!, notes), '', notes) : Array.from({ length: width }, (_, j) => `x${j}`);
  const first = k + (hasHeader ? 1 : 0);
  const rows = records.length - first;
  if (rows === 0) throw new ValidationError('csv', `${where}has a header but no data rows`);
  const columns: string[][] = names.map(() => new Array<string>(rows));
  const lines = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = records[i + first]!;
    if (r.length !== width) {
      throw new ValidationError('csv', `${where}line ${lineList[i + first]} has ${r.length} fields, expected ${width} (as line ${lineList[k]})`);
    }
    for (let j = 0; j < width; j++) columns[j]![i] = r[j]!.trim();
    lines[i] = lineList[i + first]!;
  }
  const t: Table = { names, columns, lines, rows, dialect, hasHeader };
  if (options.source) t.source = options.source;
  if (notes.length) t.notes = notes;
  return t;
}

/**
 * Reads a CSV file (Node; gzip is detected from the bytes) into a raw table.
 * @example const t = readTable('penguins.csv'); t.rows // 344
 */
export function readTable(path: string, options: TableOptions = {}): Table {
  if (typeof path !== 'string') throw new ValidationError('path', `expected a file path, got ${typeof path}`);
  let bytes = readFileBytes(path, 'path');
  if (isGzip(bytes)) bytes = gunzip(bytes, 'path');
  return parseTable(new TextDecoder('utf-8').decode(bytes), { source: path, ...options });
}

/** Index of a column by name, or an error listing the columns. */
export function columnIndex(names: readonly string[], name: string, arg: string): number {
  const j = names.indexOf(name);
  if (j < 0) {
    const shown = names.slice(0, 30).map((s) => JSON.stringify(s)).join(', ');
    throw new ValidationError(arg, `${JSON.stringify(name)} is not a column; the columns are ${shown}${names.length > 30 ? ', ...' : ''}`);
  }
  return j;
}

/** The rows of a table at `indices`, as a new table (cells shared). */
export function takeTableRows(t: Table, indices: ArrayLike<number>): Table {
  const columns = t.columns.map((c) => Array.from(indices, (i) => c[i]!));
  const lines = Int32Array.from(indices, (i) => t.lines[i]!);
  return { ...t, columns, lines, rows: indices.length };
}
