// Raw table rows → the inputs of an ONNX file exported with its column pipeline (onnx-columns.ts
// states the contract). The rows are first run through the pipeline itself, so a cell simdnet
// refuses is refused here with simdnet's message (the graph alone would give NaN for it).

import { ColumnPipeline, parseDate, ValidationError } from './lib.js';
import type { PipelineJSON } from '../data/columns/pipeline.js';
import type { ColumnJSON, NumericColumnJSON } from '../data/columns/encoders.js';
import type { Table } from '../data/table.js';
import { columnInputs, DATE_INPUT_PARTS } from './onnx-columns.js';

/** One input tensor, ready for `new ort.Tensor(feed.type, feed.data, feed.dims)`. */
export type OnnxFeed =
  | { type: 'float32'; data: Float32Array; dims: [number, number] }
  | { type: 'string'; data: string[]; dims: [number, number] };

/** A row as an object: column name → cell (text as in a CSV file; a number; a boolean, which a boolean column reads as its two spellings; null, undefined or NaN for a missing cell). */
export type RawRow = Readonly<Record<string, string | number | boolean | null | undefined>>;

function pipelineOf(source: unknown): PipelineJSON {
  const o = source as { format?: unknown; input?: { kind?: unknown; pipeline?: unknown } } | null;
  if (o && o.format === 'simdnet.columns') return o as PipelineJSON;
  if (o && o.input?.kind === 'columns') return o.input.pipeline as PipelineJSON;
  throw new ValidationError('model', `expected a CLI model file of a table (input.kind 'columns') or a column pipeline (ColumnPipeline.toJSON()), got ${o && typeof o === 'object' ? `an object with format ${JSON.stringify(o.format)}` : typeof source}`);
}

function rowsTable(rows: readonly RawRow[], p: PipelineJSON): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
  const na = p.dialect.naValues[0] ?? '';
  const columns = names.map((name) => rows.map((r, i) => {
    const v = r[name];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return na;
    if (typeof v === 'number') return p.dialect.decimal === ',' ? String(v).replace('.', ',') : String(v);
    // true / false in a boolean column: the column's own spellings
    const c = p.columns.find((k) => k.name === name);
    if (typeof v === 'boolean') return c?.type === 'boolean' ? (v ? c.true : c.false) : String(v);
    if (typeof v === 'string') return v.trim();
    throw new ValidationError(`rows[${i}][${JSON.stringify(name)}]`, `expected a string, a number, a boolean or null, got ${typeof v}`);
  }));
  return { names, columns, lines: Int32Array.from(rows, (_, i) => i + 1), rows: rows.length, dialect: p.dialect, hasHeader: true, source: 'rows' };
}

/** The raw numbers of the numeric columns (NaN where missing), read as the pipeline reads them. */
function rawNumbers(p: PipelineJSON, table: Table): Float32Array {
  const numeric = p.columns.filter((c): c is NumericColumnJSON => c.type === 'numeric');
  const columns: ColumnJSON[] = p.columns.map((c) => (c.type === 'numeric' ? { ...c, fill: 0, center: 0, scale: 1, indicator: true } : { name: c.name, type: 'drop', reason: 'not a number' }));
  const raw = ColumnPipeline.fromJSON({ ...p, columns, features: numeric.flatMap((c) => [c.name, `${c.name}_missing`]) });
  const { X } = raw.transform(table, { extra: 'ignore' });
  const k = numeric.length;
  const out = new Float32Array(table.rows * k);
  for (let i = 0; i < table.rows; i++) for (let j = 0; j < k; j++) out[i * k + j] = X.data[i * 2 * k + 2 * j + 1] ? NaN : X.data[i * 2 * k + 2 * j]!;
  return out;
}

/**
 * The ONNX Runtime inputs for raw rows (a Table from parseTable / readTable, or objects by column
 * name) of a model exported with its column pipeline. `model` is the CLI model file (parsed JSON)
 * or a ColumnPipeline's JSON. Cells simdnet would refuse throw its error.
 * @example const feeds = onnxFeeds(modelFile, parseTable(csvText)); const inputs = Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, new ort.Tensor(f.type, f.data, f.dims)]))
 */
export function onnxFeeds(model: unknown, rows: Table | readonly RawRow[], options: { inputName?: string; outputNames?: readonly string[] } = {}): Record<string, OnnxFeed> {
  const p = ColumnPipeline.fromJSON(pipelineOf(model)).toJSON();
  if (!Array.isArray(rows) && !(rows && typeof rows === 'object' && Array.isArray((rows as Table).names) && Array.isArray((rows as Table).columns))) {
    throw new ValidationError('rows', 'expected a Table (parseTable, readTable) or an array of row objects');
  }
  const table = Array.isArray(rows) ? rowsTable(rows as readonly RawRow[], p) : (rows as Table);
  ColumnPipeline.fromJSON(p).transform(table, { extra: 'ignore' });
  const n = table.rows;
  const na = new Set(p.dialect.naValues);
  const feeds: Record<string, OnnxFeed> = {};
  const byName = new Map(p.columns.map((c) => [c.name, c]));
  for (const l of columnInputs(p, options.inputName ?? 'X', options.outputNames ?? [])) {
    if (l.kind === 'numeric') { feeds[l.input] = { type: 'float32', data: rawNumbers(p, table), dims: [n, l.columns.length] }; continue; }
    const cells = table.columns[table.names.indexOf(l.column)]!;
    if (l.kind !== 'date') { feeds[l.input] = { type: 'string', data: cells.slice(0, n), dims: [n, 1] }; continue; }
    const format = (byName.get(l.column) as { format: Parameters<typeof parseDate>[1] }).format;
    const w = DATE_INPUT_PARTS.length;
    const data = new Float32Array(n * w).fill(NaN);
    for (let i = 0; i < n; i++) {
      if (na.has(cells[i]!)) continue;
      const d = parseDate(cells[i]!, format)!;
      data.set([d.year, d.month, d.day, d.hour, d.minute, d.second], i * w);
    }
    feeds[l.input] = { type: 'float32', data, dims: [n, w] };
  }
  return feeds;
}
