// The fitted form of each column, as plain JSON (saved inside models: this is the format other
// tools read), and the encoders that apply it to one cell at a time. An encoder writes `width`
// floats per cell; a bad cell throws a CellError that the caller turns into a message naming the
// file, line and column.

import { ModelFormatError, SimdnetError } from '../../errors.js';
import { bytesNumber, parseGrouped, parseNumber, spanNumber } from '../dialect.js';
import { DATE_FORMATS, DATE_PARTS, parseDate, type DatePart, type DateFormat } from './dates.js';
import { dateParts } from './dates.js';

/** A number column: out = ((missing ? fill : x) − center) / scale, then a 0/1 missing indicator when `indicator`. */
export interface NumericColumnJSON {
  name: string;
  type: 'numeric';
  /** Value of a missing cell; null when missing cells are errors (rows with them were dropped in training). */
  fill: number | null;
  /** How `fill` was chosen: mean, median, most-frequent or constant. */
  impute: string;
  indicator: boolean;
  center: number;
  scale: number;
  /** Text cells read as missing in this column (besides the dialect's spellings). */
  missingValues: string[];
  /** Numbers may be written with this thousands separator, strictly grouped (2,107); absent: they may not. */
  thousands?: ',' | '.';
}

/** One output per category, then "(other)" when `infrequent` is not empty, then "(missing)" when `missing` is 'category'. */
export interface CategoricalColumnJSON {
  name: string;
  type: 'categorical';
  categories: string[];
  /** Values seen in training that share the "(other)" output. */
  infrequent: string[];
  /** A missing cell: its own output ('category'), read as `fill` ('fill'), handled as an unseen value ('unknown', when training had no missing cell) or an error ('error': rows with missing cells were dropped in training). */
  missing: 'category' | 'fill' | 'unknown' | 'error';
  fill: string | null;
  /** A value never seen in training: 'ignore' (all outputs 0, or "(other)" when there is one) or 'error'. */
  unknown: 'ignore' | 'error';
}

/** One output: 1 for the `true` spelling, 0 for `false` (matched case-insensitively), then a missing indicator when `indicator`. */
export interface BooleanColumnJSON {
  name: string;
  type: 'boolean';
  true: string;
  false: string;
  /** 0 or 1 for a missing cell; null: missing is an error. */
  fill: number | null;
  indicator: boolean;
}

export interface DatePartJSON { part: DatePart; fill: number | null; center: number; scale: number }

/** The listed parts of the date (see DATE_PARTS), each ((missing ? fill : part) − center) / scale, then a missing indicator. */
export interface DateColumnJSON {
  name: string;
  type: 'date';
  format: DateFormat;
  parts: DatePartJSON[];
  indicator: boolean;
}

/** A column read but not used: ID-like, constant, or dropped by the user. */
export interface DroppedColumnJSON {
  name: string;
  type: 'id' | 'constant' | 'drop';
  reason: string;
}

export type ColumnJSON = NumericColumnJSON | CategoricalColumnJSON | BooleanColumnJSON | DateColumnJSON | DroppedColumnJSON;

/** Thrown by an encoder for a bad cell; the message continues "line L, column C ("name") ...". */
export class CellError extends SimdnetError {
  override name = 'CellError';
}

export interface ReadContext {
  na: Set<string>;
  decimal: '.' | ',';
  /** No missing spelling starts with a digit, a sign or a point: such a cell is never missing (skips a hash). */
  numericNeverMissing?: boolean;
}

/** Whether a cell starting with a digit, a sign or a point can be a missing spelling. */
export function numericNeverMissing(na: Set<string>): boolean {
  for (const s of na) if (s.length > 0 && /^[0-9+\-.]/.test(s)) return false;
  return true;
}

export interface Encoder {
  readonly width: number;
  readonly outputNames: string[];
  encode(cell: string, out: Float32Array, o: number): void;
  /**
   * Encodes the trimmed cell text[s, e) without making a string, when it can decide it exactly as
   * encode would; false leaves it to encode.
   */
  encodeSpan?(text: string, s: number, e: number, out: Float32Array, o: number): boolean;
  /** encodeSpan on the UTF-8 bytes buf[s, e) (trimmed, ASCII at both ends). */
  encodeBytes?(buf: Uint8Array, s: number, e: number, out: Float32Array, o: number): boolean;
  /** Whether the cell counts as missing in this column. */
  isMissing(cell: string): boolean;
}

function isMissing(ctx: ReadContext, cell: string, extra?: Set<string>): boolean {
  if (ctx.numericNeverMissing && cell.length > 0) {
    const c = cell.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) return false;
  }
  return ctx.na.has(cell) || (extra !== undefined && extra.has(cell));
}

function missingError(kind: string): CellError {
  return new CellError(`is missing, and this model was trained without missing ${kind} values (rows with them were dropped); fill the cell or drop the row`);
}

class NumericEncoder implements Encoder {
  readonly width: number;
  readonly outputNames: string[];
  private readonly extra: Set<string> | undefined;
  constructor(private readonly c: NumericColumnJSON, private readonly ctx: ReadContext) {
    this.width = c.indicator ? 2 : 1;
    this.outputNames = c.indicator ? [c.name, `${c.name}_missing`] : [c.name];
    this.extra = c.missingValues.length ? new Set(c.missingValues) : undefined;
  }
  isMissing(cell: string): boolean { return isMissing(this.ctx, cell, this.extra); }
  encodeSpan(text: string, s: number, e: number, out: Float32Array, o: number): boolean {
    if (!this.ctx.numericNeverMissing || s === e) return false;
    const ch = text.charCodeAt(s);
    if (!((ch >= 48 && ch <= 57) || ch === 45 || ch === 43 || ch === 46)) return false;
    const x = spanNumber(text, s, e, this.ctx.decimal === ',' ? 44 : 46);
    if (x !== x) return false;
    out[o] = (x - this.c.center) / this.c.scale;
    if (this.c.indicator) out[o + 1] = 0;
    return true;
  }
  encodeBytes(buf: Uint8Array, s: number, e: number, out: Float32Array, o: number): boolean {
    if (!this.ctx.numericNeverMissing || s === e) return false;
    const ch = buf[s]!;
    if (!((ch >= 48 && ch <= 57) || ch === 45 || ch === 43 || ch === 46)) return false;
    const x = bytesNumber(buf, s, e, this.ctx.decimal === ',' ? 44 : 46);
    if (x !== x) return false;
    out[o] = (x - this.c.center) / this.c.scale;
    if (this.c.indicator) out[o + 1] = 0;
    return true;
  }
  encode(cell: string, out: Float32Array, o: number): void {
    const c = this.c;
    let x: number;
    let miss = 0;
    if (isMissing(this.ctx, cell, this.extra)) {
      if (c.fill === null) throw missingError('numeric');
      x = c.fill;
      miss = 1;
    } else {
      x = parseNumber(cell, this.ctx.decimal);
      if (x !== x && c.thousands) x = parseGrouped(cell, this.ctx.decimal);
      if (!Number.isFinite(x)) throw new CellError(`is ${JSON.stringify(cell)}, not a number (the column is numeric)`);
    }
    out[o] = (x - c.center) / c.scale;
    if (c.indicator) out[o + 1] = miss;
  }
}

class CategoricalEncoder implements Encoder {
  readonly width: number;
  readonly outputNames: string[];
  private readonly index = new Map<string, number>();
  private readonly otherAt: number;
  private readonly missingAt: number;
  constructor(private readonly c: CategoricalColumnJSON, private readonly ctx: ReadContext) {
    c.categories.forEach((v, i) => this.index.set(v, i));
    let w = c.categories.length;
    this.otherAt = c.infrequent.length ? w++ : -1;
    if (this.otherAt >= 0) for (const v of c.infrequent) this.index.set(v, this.otherAt);
    this.missingAt = c.missing === 'category' ? w++ : -1;
    this.width = w;
    this.outputNames = [...c.categories.map((v) => `${c.name}=${v}`), ...(this.otherAt >= 0 ? [`${c.name}=(other)`] : []), ...(this.missingAt >= 0 ? [`${c.name}=(missing)`] : [])];
  }
  isMissing(cell: string): boolean { return this.ctx.na.has(cell); }
  encode(cell: string, out: Float32Array, o: number): void {
    for (let i = o + this.width - 1; i >= o; i--) out[i] = 0;
    const c = this.c;
    let v = cell;
    const missing = this.ctx.na.has(cell);
    if (missing) {
      if (this.missingAt >= 0) { out[o + this.missingAt] = 1; return; }
      if (c.missing === 'error') throw missingError('categorical');
      if (c.missing === 'fill') v = c.fill!;
      else if (c.unknown === 'error') throw new CellError(`is missing (${JSON.stringify(cell)}), and training saw no missing cell in this column (unknown: 'error')`);
    }
    const k = missing && c.missing === 'unknown' ? undefined : this.index.get(v);
    if (k !== undefined) { out[o + k] = 1; return; }
    if (c.unknown === 'error') {
      const shown = c.categories.slice(0, 10).map((s) => JSON.stringify(s)).join(', ');
      throw new CellError(`is ${JSON.stringify(cell)}, a category not seen in training (unknown: 'error'; known: ${shown}${c.categories.length > 10 ? ', ...' : ''})`);
    }
    if (this.otherAt >= 0) out[o + this.otherAt] = 1;
  }
}

class BooleanEncoder implements Encoder {
  readonly width: number;
  readonly outputNames: string[];
  private readonly t: string;
  private readonly f: string;
  constructor(private readonly c: BooleanColumnJSON, private readonly ctx: ReadContext) {
    this.width = c.indicator ? 2 : 1;
    this.outputNames = c.indicator ? [`${c.name}=${c.true}`, `${c.name}_missing`] : [`${c.name}=${c.true}`];
    this.t = c.true.toLowerCase();
    this.f = c.false.toLowerCase();
  }
  isMissing(cell: string): boolean { return this.ctx.na.has(cell); }
  encode(cell: string, out: Float32Array, o: number): void {
    const c = this.c;
    let miss = 0;
    let x: number;
    if (this.ctx.na.has(cell)) {
      if (c.fill === null) throw missingError('boolean');
      x = c.fill;
      miss = 1;
    } else {
      const l = cell === c.true ? this.t : cell === c.false ? this.f : cell.toLowerCase();
      if (l === this.t) x = 1;
      else if (l === this.f) x = 0;
      else throw new CellError(`is ${JSON.stringify(cell)}, expected ${JSON.stringify(c.true)} or ${JSON.stringify(c.false)} (the column is boolean)`);
    }
    out[o] = x;
    if (c.indicator) out[o + 1] = miss;
  }
}

class DateEncoder implements Encoder {
  readonly width: number;
  readonly outputNames: string[];
  private readonly at: Int32Array;
  private readonly buf = new Float64Array(DATE_PARTS.length);
  private readonly seen = new Map<string, Float32Array>();
  constructor(private readonly c: DateColumnJSON, private readonly ctx: ReadContext) {
    this.width = c.parts.length + (c.indicator ? 1 : 0);
    this.outputNames = [...c.parts.map((p) => `${c.name}_${p.part}`), ...(c.indicator ? [`${c.name}_missing`] : [])];
    this.at = Int32Array.from(c.parts, (p) => DATE_PARTS.indexOf(p.part));
  }
  isMissing(cell: string): boolean { return this.ctx.na.has(cell); }
  encode(cell: string, out: Float32Array, o: number): void {
    const hit = this.seen.get(cell);
    if (hit) { out.set(hit, o); return; }
    const { parts, indicator } = this.c;
    if (this.ctx.na.has(cell)) {
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        if (p.fill === null) throw missingError('date');
        out[o + i] = (p.fill - p.center) / p.scale;
      }
      if (indicator) out[o + parts.length] = 1;
      return;
    }
    const d = parseDate(cell, this.c.format);
    if (!d) throw new CellError(`is ${JSON.stringify(cell)}, not a date in the column's format (${this.c.format})`);
    dateParts(d, this.buf);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      out[o + i] = (this.buf[this.at[i]!]! - p.center) / p.scale;
    }
    if (indicator) out[o + parts.length] = 0;
    // dates repeat (a log has a few thousand days): the outputs of recent cells are kept, bounded
    // (only parsed dates: a missing spelling never parses, so the look-up above cannot skip it)
    if (this.seen.size >= 8192) this.seen.clear();
    this.seen.set(cell, out.slice(o, o + this.width));
  }
}

/** The encoder of a used column (null for a dropped one). */
export function makeEncoder(c: ColumnJSON, ctx: ReadContext): Encoder | null {
  switch (c.type) {
    case 'numeric': return new NumericEncoder(c, ctx);
    case 'categorical': return new CategoricalEncoder(c, ctx);
    case 'boolean': return new BooleanEncoder(c, ctx);
    case 'date': return new DateEncoder(c, ctx);
    default: return null;
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isFill = (v: unknown): boolean => v === null || isNum(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Checks a column read back from JSON (a model file); throws ModelFormatError naming what is wrong. */
export function checkColumnJSON(c: unknown, i: number): ColumnJSON {
  const o = c as Record<string, unknown> | null;
  const bad = (what: string) => new ModelFormatError(`columns[${i}]${o && typeof o.name === 'string' ? ` (${JSON.stringify(o.name)})` : ''}: ${what}`);
  if (!o || typeof o !== 'object' || typeof o.name !== 'string') throw bad('expected an object with a string "name"');
  const scaled = (x: Record<string, unknown>) => isNum(x.center) && isNum(x.scale) && x.scale !== 0;
  switch (o.type) {
    case 'numeric':
      if (!isFill(o.fill) || typeof o.indicator !== 'boolean' || !scaled(o) || !isStrings(o.missingValues)
        || !(o.thousands === undefined || o.thousands === ',' || o.thousands === '.')) throw bad('a numeric column needs fill (number or null), indicator, center, scale ≠ 0, missingValues, and thousands (if any) "," or "."');
      break;
    case 'categorical':
      if (!isStrings(o.categories) || !isStrings(o.infrequent) || !['category', 'fill', 'unknown', 'error'].includes(o.missing as string)
        || !(o.missing === 'fill' ? typeof o.fill === 'string' : o.fill === null) || (o.unknown !== 'ignore' && o.unknown !== 'error')) {
        throw bad('a categorical column needs categories, infrequent, missing (category, fill, unknown or error), fill (a string for fill, else null) and unknown (ignore or error)');
      }
      break;
    case 'boolean':
      if (typeof o.true !== 'string' || typeof o.false !== 'string' || !(o.fill === null || o.fill === 0 || o.fill === 1) || typeof o.indicator !== 'boolean') {
        throw bad('a boolean column needs true, false, fill (0, 1 or null) and indicator');
      }
      break;
    case 'date':
      if (!(DATE_FORMATS as readonly string[]).includes(o.format as string) || typeof o.indicator !== 'boolean' || !Array.isArray(o.parts)
        || !o.parts.every((p: Record<string, unknown>) => p && (DATE_PARTS as readonly string[]).includes(p.part as string) && isFill(p.fill) && scaled(p))) {
        throw bad('a date column needs format (ymd, dmy or mdy), indicator and parts [{ part, fill, center, scale }]');
      }
      break;
    case 'id': case 'constant': case 'drop':
      if (typeof o.reason !== 'string') throw bad('a dropped column needs a reason');
      break;
    default:
      throw bad(`unknown column type ${JSON.stringify(o.type)}`);
  }
  return o as unknown as ColumnJSON;
}
