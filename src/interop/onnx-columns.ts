// A column pipeline (the CLI's tables: src/data/columns) as the first operators of an ONNX graph,
// so raw rows go in. The inputs, all with the dynamic batch dimension first:
//   X        float32 [batch, k]  the k numeric columns in pipeline order; NaN = a missing cell
//   <column> string  [batch, 1]  one per categorical or boolean column: the trimmed cell text
//   <column> float32 [batch, 6]  one per date column: year, month, day, hour, minute, second; NaN = missing
// Input names are the column names with every character outside [A-Za-z0-9_] as '_' (a leading
// digit gets a '_' before it); a name taken already (X, the outputs, RESERVED_NAMES, an earlier
// column) gets _2, _3, ... columnInputs lists them; the file's metadata "simdnet.inputs" too.
// Each column computes what its encoder in src/data/columns/encoders.ts computes: numbers and date
// parts in float64, rounded to float32 at the end. Categories and boolean spellings are looked up
// with ai.onnx.ml LabelEncoder (string Equal needs opset 19); booleans are lowercased first
// (StringNormalizer). A cell simdnet refuses (a category not seen in training under unknown:
// 'error', a missing cell where training dropped missing rows, a boolean spelling other than the
// two) gives NaN features, so NaN outputs: a graph cannot raise an error.

import { ValidationError } from './lib.js';
import type { PipelineJSON } from '../data/columns/pipeline.js';
import type { BooleanColumnJSON, CategoricalColumnJSON, ColumnJSON, DateColumnJSON, NumericColumnJSON } from '../data/columns/encoders.js';
import type { DatePart } from '../data/columns/dates.js';
import { i, type GraphBuilder } from './onnx-builder.js';
import { DT, type OnnxValueInfo } from './onnx-proto.js';
import { stringTensor } from './onnx-tensor.js';

/** What a date input holds, in this order. */
export const DATE_INPUT_PARTS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;

/** The ai.onnx.ml opset of LabelEncoder with keys_strings / values_floats (ONNX 1.3 and later). */
export const ML_OPSET = 2;

export type ColumnInput =
  | { input: string; kind: 'numeric'; columns: string[] }
  | { input: string; kind: 'categorical' | 'boolean'; column: string }
  | { input: string; kind: 'date'; column: string; parts: string[] };

/** A numeric column as the graph reads it: ((NaN ? fill : x) − center) / scale, then a 0/1 indicator. */
export interface NumericColumn { name: string; fill: number | null; center: number; scale: number; indicator: boolean }

/** Names an input column never takes (toONNX's default input and output names): such a column gets _2. */
export const RESERVED_NAMES: readonly string[] = ['X', 'input', 'output', 'label', 'probabilities', 'variable'];

const SUPPORTED = 'numeric, categorical, boolean and date columns (id, constant and dropped ones are left out)';

function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** The graph inputs of a pipeline's used columns; `taken` holds names already used (outputs). */
export function columnInputs(p: Pick<PipelineJSON, 'columns'>, numbersName = 'X', taken: readonly string[] = []): ColumnInput[] {
  const used = new Set<string>([numbersName, ...RESERVED_NAMES, ...taken]);
  const numeric = p.columns.filter((c) => c.type === 'numeric').map((c) => c.name);
  const out: ColumnInput[] = numeric.length ? [{ input: numbersName, kind: 'numeric', columns: numeric }] : [];
  for (const c of p.columns) {
    if (c.type === 'numeric' || c.type === 'id' || c.type === 'constant' || c.type === 'drop') continue;
    if (c.type !== 'categorical' && c.type !== 'boolean' && c.type !== 'date') {
      throw new ValidationError('pipeline', `column ${JSON.stringify((c as { name: string }).name)} is of kind ${JSON.stringify((c as { type: unknown }).type)}, which the ONNX export cannot express; it carries ${SUPPORTED}`);
    }
    const base = sanitize(c.name);
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    out.push(c.type === 'date' ? { input: name, kind: 'date', column: c.name, parts: [...DATE_INPUT_PARTS] } : { input: name, kind: c.type, column: c.name });
  }
  return out;
}

const NA_CODE_ERROR = -2;

function stringConst(b: GraphBuilder, base: string, values: string[]): string {
  return b.initializer(stringTensor(b.unique(base), [values.length], values));
}

/** The one-hot outputs of a categorical column: LabelEncoder to the output index, Equal to 0..w−1. */
function categorical(b: GraphBuilder, s: string, c: CategoricalColumnJSON, na: readonly string[]): string {
  const index = new Map<string, number>();
  c.categories.forEach((v, k) => index.set(v, k));
  let w = c.categories.length;
  const otherAt = c.infrequent.length ? w++ : -1;
  if (otherAt >= 0) for (const v of c.infrequent) index.set(v, otherAt);
  const missingAt = c.missing === 'category' ? w++ : -1;
  // a value never seen: "(other)", or no output at all (−1 matches none), or an error
  const unseen = c.unknown === 'error' ? NA_CODE_ERROR : otherAt;
  const naCode = missingAt >= 0 ? missingAt : c.missing === 'error' ? NA_CODE_ERROR : c.missing === 'fill' ? index.get(c.fill!) ?? unseen : unseen;
  // a missing spelling is looked at first, as the encoder does
  const codes = new Map<string, number>();
  for (const v of na) codes.set(v, naCode);
  for (const [v, k] of index) if (!codes.has(v)) codes.set(v, k);
  const code = b.op('LabelEncoder', [s], {
    keys_strings: { strings: [...codes.keys()] }, values_int64s: { ints: [...codes.values()] }, default_int64: i(unseen),
  }, { domain: 'ai.onnx.ml' });
  const range = b.ints(`${c.name}.outputs`, [1, w], Array.from({ length: w }, (_, k) => k));
  const onehot = b.cast(b.op('Equal', [code, range]), DT.FLOAT);
  if (unseen !== NA_CODE_ERROR && naCode !== NA_CODE_ERROR) return onehot;
  return b.op('Where', [b.op('Equal', [code, b.scalar(NA_CODE_ERROR, DT.INT64)]), b.scalar(NaN), onehot]);
}

/** 1 for the true spelling, 0 for the false one, matched case-insensitively; then a missing indicator. */
function boolean(b: GraphBuilder, s: string, c: BooleanColumnJSON, na: readonly string[], parts: string[]): void {
  const flat = b.op('Reshape', [s, b.ints('flat', [1], [-1])]);
  // StringNormalizer refuses an empty batch: one '' goes in front and is sliced off after
  const padded = b.op('Concat', [stringConst(b, 'pad', ['']), flat], { axis: i(0) });
  const lower = b.op('StringNormalizer', [padded], { case_change_action: { s: 'LOWER' } });
  const cells = b.op('Slice', [lower, b.ints('starts', [1], [1]), b.ints('ends', [1], [Number.MAX_SAFE_INTEGER]), b.ints('slice_axes', [1], [0])]);
  const t = c.true.toLowerCase();
  const f = c.false.toLowerCase();
  // spellings equal but for case: the encoder reads both as true
  const keys = t === f ? [t] : [t, f];
  const value = b.op('LabelEncoder', [cells], { keys_strings: { strings: keys }, values_floats: { floats: keys.map((k) => (k === t ? 1 : 0)) }, default_float: { f: NaN } }, { domain: 'ai.onnx.ml' });
  const x = b.op('Reshape', [value, b.ints('column', [2], [-1, 1])]);
  if (na.length === 0) { parts.push(x); return; }
  const miss = b.op('LabelEncoder', [s], { keys_strings: { strings: [...na] }, values_floats: { floats: na.map(() => 1) }, default_float: { f: 0 } }, { domain: 'ai.onnx.ml' });
  parts.push(b.op('Where', [b.cast(miss, DT.BOOL), b.scalar(c.fill ?? NaN), x]));
  if (c.indicator) parts.push(miss);
}

/** Days from 1970-01-01 (days_from_civil, as src/data/columns/dates.ts), in float64 on [batch, 1] values or scalars. */
function daysFromCivil(b: GraphBuilder, y: string, m: string, d: string): string {
  const D = (v: number) => b.scalar(v, DT.DOUBLE);
  const floor = (x: string, k: number) => b.op('Floor', [b.op('Div', [x, D(k)])]);
  const early = b.op('LessOrEqual', [m, D(2)]);
  const yy = b.op('Where', [early, b.op('Sub', [y, D(1)]), y]);
  const era = floor(yy, 400);
  const yoe = b.op('Sub', [yy, b.op('Mul', [era, D(400)])]);
  const mp = b.op('Where', [early, b.op('Add', [m, D(9)]), b.op('Sub', [m, D(3)])]);
  const doy = b.op('Sub', [b.op('Add', [b.op('Floor', [b.op('Div', [b.op('Add', [b.op('Mul', [mp, D(153)]), D(2)]), D(5)])]), d]), D(1)]);
  const doe = b.op('Add', [b.op('Sub', [b.op('Add', [b.op('Mul', [yoe, D(365)]), floor(yoe, 4)]), floor(yoe, 100)]), doy]);
  return b.op('Sub', [b.op('Add', [b.op('Mul', [era, D(146097)]), doe]), D(719468)]);
}

/** The parts of a date column, each ((missing ? fill : part) − center) / scale, then an indicator. */
function date(b: GraphBuilder, x: string, c: DateColumnJSON, parts: string[]): void {
  const D = (v: number) => b.scalar(v, DT.DOUBLE);
  const xd = b.cast(x, DT.DOUBLE);
  const nan = b.op('IsNaN', [xd]);
  const missF = b.reduceMax(b.cast(nan, DT.FLOAT), [1], true);
  const miss = b.cast(missF, DT.BOOL);
  // a missing row computes on 1s (its parts are replaced by the fill), so nothing below sees NaN
  const safe = b.op('Where', [nan, D(1), xd]);
  const [y, m, d, h, mi, s] = DATE_INPUT_PARTS.map((_, k) => b.column(safe, k)) as [string, string, string, string, string, string];
  const memo = new Map<string, string>();
  const once = (key: string, make: () => string) => memo.get(key) ?? (memo.set(key, make()), memo.get(key)!);
  const days = () => once('days', () => daysFromCivil(b, y, m, d));
  const yearStart = () => once('yearStart', () => daysFromCivil(b, y, D(1), D(1)));
  const dow = () => once('dow', () => {
    const a = b.op('Add', [days(), D(3)]);
    return b.op('Sub', [a, b.op('Mul', [b.op('Floor', [b.op('Div', [a, D(7)])]), D(7)])]);
  });
  const hour = () => once('hour', () => b.op('Add', [b.op('Add', [h, b.op('Div', [mi, D(60)])]), b.op('Div', [s, D(3600)])]));
  const doy = () => once('doy', () => b.op('Sub', [days(), yearStart()]));
  const yearDays = () => once('yearDays', () => b.op('Sub', [daysFromCivil(b, b.op('Add', [y, D(1)]), D(1), D(1)), yearStart()]));
  const TAU = 2 * Math.PI;
  const angle = (v: string, period: string | number) => b.op('Div', [b.op('Mul', [D(TAU), v]), typeof period === 'number' ? D(period) : period]);
  const trig = (op: 'Sin' | 'Cos', v: string, period: string | number) => b.op(op, [angle(v, period)]);
  const value: Record<DatePart, () => string> = {
    year: () => y, month: () => m, day: () => d, dayofweek: dow, hour,
    month_sin: () => trig('Sin', b.op('Sub', [m, D(1)]), 12), month_cos: () => trig('Cos', b.op('Sub', [m, D(1)]), 12),
    dayofweek_sin: () => trig('Sin', dow(), 7), dayofweek_cos: () => trig('Cos', dow(), 7),
    dayofyear_sin: () => trig('Sin', doy(), yearDays()), dayofyear_cos: () => trig('Cos', doy(), yearDays()),
    hour_sin: () => trig('Sin', hour(), 24), hour_cos: () => trig('Cos', hour(), 24),
  };
  for (const p of c.parts) {
    const filled = b.op('Where', [miss, D(p.fill ?? NaN), value[p.part]()]);
    parts.push(b.cast(b.op('Div', [b.op('Sub', [filled, D(p.center)]), D(p.scale)]), DT.FLOAT));
  }
  if (c.indicator) parts.push(missF);
}

/** One numeric column from its float64 [batch, 1] value: NaN (missing) → fill, (x − center) / scale, then the indicator. */
function numberColumn(b: GraphBuilder, v: string, c: NumericColumn, parts: string[]): void {
  const nan = b.op('IsNaN', [v]);
  const filled = c.fill === null ? v : b.op('Where', [nan, b.scalar(c.fill, DT.DOUBLE), v]);
  parts.push(b.cast(b.op('Div', [b.op('Sub', [filled, b.scalar(c.center, DT.DOUBLE)]), b.scalar(c.scale, DT.DOUBLE)]), DT.FLOAT));
  if (c.indicator) parts.push(b.cast(nan, DT.FLOAT));
}

/** Numeric columns from the float32 [batch, k] input x, as float32 feature columns. */
export function emitNumbers(b: GraphBuilder, x: string, cols: readonly NumericColumn[]): string[] {
  const xd = b.cast(x, DT.DOUBLE);
  const parts: string[] = [];
  cols.forEach((c, j) => numberColumn(b, cols.length === 1 ? xd : b.column(xd, j), c, parts));
  return parts;
}

export interface EmittedPipeline { x: string; inputs: OnnxValueInfo[]; layout: ColumnInput[]; usesMl: boolean }

/** The pipeline's graph inputs and its float32 [batch, features] output, in the pipeline's feature order. */
export function emitPipeline(b: GraphBuilder, p: PipelineJSON, batch: string, numbersName: string, taken: readonly string[]): EmittedPipeline {
  const layout = columnInputs(p, numbersName, taken);
  const names = new Map<string, string>();
  const inputs: OnnxValueInfo[] = [];
  const info = (name: string, type: number, cols: number) => inputs.push({ name: b.reserve(name), elemType: type, shape: [batch, cols], kind: 'tensor' });
  for (const l of layout) {
    if (l.kind === 'numeric') info(l.input, DT.FLOAT, l.columns.length);
    else { info(l.input, l.kind === 'date' ? DT.FLOAT : DT.STRING, l.kind === 'date' ? DATE_INPUT_PARTS.length : 1); names.set(l.column, l.input); }
  }
  const numeric = p.columns.filter((c): c is NumericColumnJSON => c.type === 'numeric');
  const X = numeric.length ? b.cast(numbersName, DT.DOUBLE) : '';
  const na = [...new Set(p.dialect.naValues)];
  const parts: string[] = [];
  let usesMl = false;
  let j = 0;
  for (const c of p.columns as ColumnJSON[]) {
    if (c.type === 'numeric') {
      numberColumn(b, numeric.length === 1 ? X : b.column(X, j), c, parts);
      j++;
    } else if (c.type === 'categorical') {
      parts.push(categorical(b, names.get(c.name)!, c, na));
      usesMl = true;
    } else if (c.type === 'boolean') {
      boolean(b, names.get(c.name)!, c, na, parts);
      usesMl = true;
    } else if (c.type === 'date') {
      date(b, names.get(c.name)!, c, parts);
    }
  }
  if (parts.length === 0) throw new ValidationError('pipeline', 'has no used column to export');
  return { x: parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: i(1) }), inputs, layout, usesMl };
}
