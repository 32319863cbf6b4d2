// `<data>` for the command line: a bundled data set (iris, digits), an IDX image file with its
// labels file beside it, a CSV file, or `-` for standard input (CSV, or IDX images for predict).
// Errors name the file.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadDigits, loadIris } from '../data/datasets/index.js';
import { parseCsv, splitCsv } from '../data/csv.js';
import type { DialectOptions } from '../data/dialect.js';
import { parseTable, type Table } from '../data/table.js';
import { readIdxImages, readIdxLabels } from '../data/idx.js';
import type { Label } from '../data/labels.js';
import type { Matrix } from '../data/matrix.js';
import { UsageError } from './args.js';
import { SimdnetError } from '../errors.js';

export type DataKind = 'bundled' | 'csv' | 'idx';

/** A CSV read as a raw table, for the column pipeline. */
export interface TableData {
  kind: 'table';
  table: Table;
  source: string;
}

export interface LoadedData {
  X: Matrix;
  /** Raw labels as found (numbers or strings); null when the data has none. */
  y: Label[] | null;
  featureNames: string[];
  labelName: string | null;
  /** Class display names known from the source (bundled sets), index = label value. */
  classNames?: string[];
  source: string;
  kind: DataKind;
}

export const BUNDLED = ['iris', 'digits'] as const;

/** A data error: the CLI prints it as one line and exits with code 2. */
export class DataError extends SimdnetError {
  override name = 'DataError';
}

function bundled(name: string): LoadedData {
  const d = name === 'iris' ? loadIris() : loadDigits();
  return { X: d.X, y: Array.from(d.y), featureNames: d.featureNames, labelName: 'class', classNames: d.classNames, source: name, kind: 'bundled' };
}

/** The labels file beside an IDX images file: train-images-idx3-ubyte(.gz) ↔ train-labels-idx1-ubyte(.gz). */
export function idxLabelsPath(imagesPath: string): string | undefined {
  const base = basename(imagesPath);
  const swapped = base.replace(/images([.-])idx3/, 'labels$1idx1');
  if (swapped === base) return undefined;
  const dir = dirname(imagesPath);
  const stem = swapped.replace(/\.gz$/, '');
  for (const cand of [stem, `${stem}.gz`]) if (existsSync(join(dir, cand))) return join(dir, cand);
  return join(dir, swapped);
}

function isIdx(path: string): boolean {
  return /idx\d[-.]?ubyte(\.gz)?$/i.test(path) || /\.idx\d?(\.gz)?$/i.test(path);
}

/** What `-` names in messages. */
export const STDIN_NAME = 'standard input';

function gunzipped(bytes: Uint8Array): Uint8Array {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

function fileText(path: string): string {
  return new TextDecoder('utf-8').decode(gunzipped(readFileSync(path)));
}

let stdinCache: Uint8Array | undefined;

/** All of standard input (fd 0), read once; a terminal is refused rather than waited on. */
function stdinBytes(): Uint8Array {
  if (stdinCache) return stdinCache;
  if (process.stdin.isTTY) throw new DataError(`<data> is "-" (read from ${STDIN_NAME}), but ${STDIN_NAME} is a terminal; pipe or redirect the data in`);
  stdinCache = gunzipped(readFileSync(0));
  return stdinCache;
}

/** IDX starts with two zero bytes, a type code and a dimension count; CSV text never does. */
function looksLikeIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[3]! >= 1;
}

function checkFile(path: string): void {
  if (!existsSync(path)) {
    throw new DataError(`${path}: no such file (and not a bundled data set: ${BUNDLED.join(', ')})`);
  }
  if (statSync(path).isDirectory()) throw new DataError(`${path}: is a directory, expected a CSV or IDX file`);
}

function wrap<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DataError || e instanceof UsageError) throw e;
    const msg = (e as Error).message.replace(/^(csv|source|pathOrText|text): /, '');
    throw new DataError(msg.startsWith(`${path}: `) ? msg : `${path}: ${msg}`);
  }
}

export interface LoadOptions {
  /** CSV label column: a name or a 0-based index (negative from the end); default the last column. */
  label?: string;
  /** Labels may be absent (predict): CSV then reads every column as a feature when the count fits. */
  labelsOptional?: boolean;
  /** Number of features the model expects (evaluate/predict): decides whether a CSV has a label column. */
  featureCount?: number;
  /** Whether a CSV's first row is a header (default 'auto'). */
  header?: boolean | 'auto';
}

function labelColumn(label: string | undefined): string | number | undefined {
  if (label === undefined) return undefined;
  return /^-?\d+$/.test(label.trim()) ? Number(label) : label;
}

function loadCsv(path: string, o: LoadOptions, text = wrap(path, () => fileText(path))): LoadedData {
  return wrap(path, () => {
    let lc: string | number | null | undefined = labelColumn(o.label);
    if (o.featureCount !== undefined) {
      const first = splitCsv(text)[0];
      const width = first ? first.cells.length : 0;
      if (width === o.featureCount) {
        if (!o.labelsOptional) throw new DataError(`${path}: has ${width} columns, all features for this model; evaluating needs a label column too`);
        lc = null;
      } else if (width !== o.featureCount + 1) {
        throw new DataError(`${path}: has ${width} columns, the model expects ${o.featureCount} features${o.labelsOptional ? ' (and optionally a label column)' : ' and a label column'}`);
      }
    }
    const csv = parseCsv(text, { ...(lc === undefined ? {} : { labelColumn: lc }), ...(o.header !== undefined ? { header: o.header } : {}) });
    return {
      X: csv.X,
      y: csv.labelName === null ? null : (csv.y as Label[]),
      featureNames: csv.featureNames,
      labelName: csv.labelName,
      source: path,
      kind: 'csv' as const,
    };
  });
}

function loadIdx(path: string, o: LoadOptions): LoadedData {
  const X = wrap(path, () => readIdxImages(path));
  const labelsPath = idxLabelsPath(path);
  let y: Label[] | null = null;
  if (labelsPath && existsSync(labelsPath)) {
    const labels = wrap(labelsPath, () => readIdxLabels(labelsPath));
    if (labels.length !== X.rows) throw new DataError(`${labelsPath}: has ${labels.length} labels, but ${path} has ${X.rows} images`);
    y = Array.from(labels);
  } else if (!o.labelsOptional) {
    throw new DataError(`${path}: no labels file found beside it (looked for ${labelsPath ?? 'a name with images-idx3 → labels-idx1'})`);
  }
  return { X, y, featureNames: idxFeatureNames(X.cols), labelName: y ? 'label' : null, source: path, kind: 'idx' };
}

function idxFeatureNames(cols: number): string[] {
  const side = Math.round(Math.sqrt(cols));
  return Array.from({ length: cols }, (_, k) => (side * side === cols ? `pixel_${Math.floor(k / side)}_${k % side}` : `x${k}`));
}

function loadStdin(o: LoadOptions): LoadedData {
  const bytes = wrap(STDIN_NAME, () => stdinBytes());
  if (!looksLikeIdx(bytes)) return loadCsv(STDIN_NAME, o, new TextDecoder('utf-8').decode(bytes));
  if (o.label !== undefined) throw new UsageError('--label applies to CSV data; IDX images carry no label column');
  if (!o.labelsOptional) throw new DataError(`${STDIN_NAME}: IDX images have no labels file beside them on ${STDIN_NAME}; give the images file's path instead of "-"`);
  const X = wrap(STDIN_NAME, () => readIdxImages(bytes));
  return { X, y: null, featureNames: idxFeatureNames(X.cols), labelName: null, source: STDIN_NAME, kind: 'idx' };
}

/** `<data>` as a raw table (a CSV file, gzip'd or not, or '-' for standard input). */
export function loadTable(spec: string, dialect: DialectOptions & { header?: boolean | 'auto' } = {}): TableData {
  const source = spec === '-' ? STDIN_NAME : spec;
  let text: string;
  if (spec === '-') text = wrap(source, () => new TextDecoder('utf-8').decode(stdinBytes()));
  else {
    checkFile(spec);
    text = wrap(spec, () => fileText(spec));
  }
  return { kind: 'table', table: wrap(source, () => parseTable(text, { ...dialect, source })), source };
}

/** Training data: a bundled set or IDX images as a matrix, anything else as a raw table. */
/** True when `<data>` is a bundled set or IDX images (read as a matrix, not as a table); '-' is looked at. */
export function isMatrixSpec(spec: string): boolean {
  if (spec === '-') return looksLikeIdx(wrap(STDIN_NAME, () => stdinBytes()));
  return ((BUNDLED as readonly string[]).includes(spec) && !existsSync(spec)) || isIdx(spec);
}

/** Loads `<data>` as a matrix: 'iris', 'digits', an IDX images file, a numeric CSV file, or '-' for standard input. */
export function loadData(spec: string, o: LoadOptions = {}): LoadedData {
  if (spec === '-') return loadStdin(o);
  if ((BUNDLED as readonly string[]).includes(spec) && !existsSync(spec)) {
    if (o.label !== undefined) throw new UsageError(`--label applies to CSV files; the bundled data set ${spec} has its own labels`);
    return bundled(spec);
  }
  checkFile(spec);
  if (isIdx(spec)) {
    if (o.label !== undefined) throw new UsageError('--label applies to CSV files; IDX labels come from the labels file beside the images');
    return loadIdx(spec, o);
  }
  return loadCsv(spec, o);
}
