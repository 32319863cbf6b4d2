// The column pipeline: raw table columns in, one float32 feature matrix out, the same way at
// training and at prediction. Fitted from one pass of statistics (a whole table, or a stream:
// see src/data/stream), saved as plain JSON (PipelineJSON, documented in docs/tables.md), and
// applied by column name: a column the model uses that the data lacks, or a column the model
// never saw, is an error naming them.

import { ModelFormatError, ValidationError } from '../../errors.js';
import { checkDialect, type Dialect } from '../dialect.js';
import type { Matrix } from '../matrix.js';
import type { Table } from '../table.js';
import { CellError, checkColumnJSON, makeEncoder, numericNeverMissing, type ColumnJSON, type Encoder, type ReadContext } from './encoders.js';
import { fitColumn, IMPUTERS, SCALERS, type FitSettings, type Imputer, type Scaler } from './fitting.js';
import { COLUMN_TYPES, inferColumn, overrideColumn, type ColumnType, type Inferred } from './infer.js';
import { TableStats } from './stats.js';
import type { LineSplitter } from '../stream/line-splitter.js';
import type { ByteFields } from '../stream/byte-records.js';
import { ByteStrings } from '../stream/byte-strings.js';

export const PIPELINE_FORMAT = 'simdnet.columns';
export const PIPELINE_VERSION = 1;

export interface PipelineOptions {
  /** The label column, left out of the features. */
  label?: string | null;
  /** Types by column name, instead of the inferred ones. */
  types?: Record<string, ColumnType>;
  /** Columns not to use. */
  drop?: readonly string[];
  /** Use only these columns. */
  features?: readonly string[];
  /** Missing numbers (and date parts): 'median' (default), 'mean', 'most-frequent' or 'constant' (fillValue). */
  impute?: Imputer;
  fillValue?: number;
  /** Missing categories: their own one-hot output ('category', default) or the most frequent category. */
  categoricalMissing?: 'category' | 'most-frequent';
  /** Add a 0/1 output per column that had missing cells (default true). */
  missingIndicator?: boolean;
  /** 'impute' (default), or 'drop': leave out training rows with a missing cell (later, a missing cell is an error). */
  missing?: 'impute' | 'drop';
  /** Numbers and date parts: 'standard' (default: zero mean, unit variance), 'minmax' or 'none'. */
  scale?: Scaler;
  /** A category not seen in training: 'ignore' (default: all its outputs 0, or "(other)") or 'error'. */
  unknown?: 'ignore' | 'error';
  /** Outputs per categorical column at most, "(other)" included (default 50). */
  maxCategories?: number;
  /** Categories seen fewer times share "(other)" (default 1). */
  minFrequency?: number;
}

/** The saved pipeline. `columns` lists every column of the training data but the label, in file order. */
export interface PipelineJSON {
  format: typeof PIPELINE_FORMAT;
  version: number;
  /** How the training file was read; its naValues also read new files. */
  dialect: Dialect;
  label: string | null;
  missing: 'impute' | 'drop';
  columns: ColumnJSON[];
  /** Names of the outputs, in matrix column order. */
  features: string[];
}

export interface ColumnNote { name: string; type: string; reason: string; outputs: number }

function checkNames(names: readonly string[], list: readonly string[] | undefined, arg: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new ValidationError(arg, `expected an array of column names, got ${JSON.stringify(list)}`);
  const missing = list.filter((n) => !names.includes(n));
  if (missing.length) {
    throw new ValidationError(arg, `${missing.map((n) => JSON.stringify(n)).join(', ')} ${missing.length === 1 ? 'is not a column' : 'are not columns'}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  }
}

function settingsOf(o: PipelineOptions, dialect: Dialect): FitSettings {
  const pick = <T extends string>(v: T | undefined, allowed: readonly T[], dflt: T, arg: string): T => {
    if (v === undefined) return dflt;
    if (!allowed.includes(v)) throw new ValidationError(arg, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v;
  };
  const maxCategories = o.maxCategories ?? 50;
  if (!Number.isInteger(maxCategories) || maxCategories < 2) throw new ValidationError('maxCategories', `expected an integer ≥ 2, got ${String(maxCategories)}`);
  const minFrequency = o.minFrequency ?? 1;
  if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new ValidationError('minFrequency', `expected an integer ≥ 1, got ${String(minFrequency)}`);
  const fillValue = o.fillValue ?? 0;
  if (!Number.isFinite(fillValue)) throw new ValidationError('fillValue', `expected a finite number, got ${String(fillValue)}`);
  return {
    impute: pick(o.impute, IMPUTERS, 'median', 'impute'),
    fillValue,
    categoricalMissing: pick(o.categoricalMissing, ['category', 'most-frequent'] as const, 'category', 'categoricalMissing'),
    missingIndicator: o.missingIndicator ?? true,
    dropMissing: pick(o.missing, ['impute', 'drop'] as const, 'impute', 'missing') === 'drop',
    scale: pick(o.scale, SCALERS, 'standard', 'scale'),
    unknown: pick(o.unknown, ['ignore', 'error'] as const, 'ignore', 'unknown'),
    maxCategories,
    minFrequency,
    decimal: dialect.decimal,
  };
}

/** The type of every column (null for the label), from statistics and the options. */
export function planColumns(stats: TableStats, options: PipelineOptions = {}): (Inferred | null)[] {
  const names = stats.names;
  const label = options.label ?? null;
  if (label !== null) checkNames(names, [label], 'label');
  checkNames(names, options.drop, 'drop');
  checkNames(names, options.features, 'features');
  const types = options.types ?? {};
  checkNames(names, Object.keys(types), 'types');
  if (label !== null && (options.features ?? []).includes(label)) throw new ValidationError('features', `lists the label column ${JSON.stringify(label)}`);
  return stats.columns.map((c) => {
    if (c.name === label) return null;
    if (options.drop?.includes(c.name)) return { type: 'drop', reason: 'dropped (as asked)' } satisfies Inferred;
    if (options.features && !options.features.includes(c.name)) return { type: 'drop', reason: 'not in features' } satisfies Inferred;
    const given = Object.prototype.hasOwnProperty.call(types, c.name) ? types[c.name] : undefined;
    if (given !== undefined && !(COLUMN_TYPES as readonly string[]).includes(given)) {
      throw new ValidationError(`types[${JSON.stringify(c.name)}]`, `expected one of ${COLUMN_TYPES.join(', ')}, got ${JSON.stringify(given)}`);
    }
    return given ? overrideColumn(c, given) : inferColumn(c);
  });
}

export class ColumnPipeline {
  private constructor(private readonly j: PipelineJSON) {}

  /**
   * Fits on statistics gathered from the training rows (TableStats, filled row by row or by a stream).
   * @example const p = ColumnPipeline.fromStats(stats, dialect, { label: 'species' })
   */
  static fromStats(stats: TableStats, dialect: Dialect, options: PipelineOptions = {}, plan = planColumns(stats, options)): ColumnPipeline {
    const f = settingsOf(options, dialect);
    const columns: ColumnJSON[] = [];
    stats.columns.forEach((c, j) => {
      const t = plan[j];
      if (t === null || t === undefined) return;
      // an empty column is dropped (said in describe()) unless the user asked for it by name
      if (t.empty && (options.features?.includes(c.name) || Object.prototype.hasOwnProperty.call(options.types ?? {}, c.name))) {
        throw new ValidationError('csv', `column ${j + 1} (${JSON.stringify(c.name)}) has no values: all ${c.rows} cells are missing; it cannot be used (features / types name it)`);
      }
      columns.push(fitColumn(c, t, f));
    });
    const p = new ColumnPipeline({
      format: PIPELINE_FORMAT, version: PIPELINE_VERSION, dialect, label: options.label ?? null,
      missing: f.dropMissing ? 'drop' : 'impute', columns, features: [],
    });
    p.j.features = p.bind(stats.names, { extra: 'ignore' }).outputNames;
    if (p.j.features.length === 0) throw new ValidationError('columns', 'no column is left to learn from: every column is the label, dropped, ID-like or constant');
    return p;
  }

  /**
   * Fits on the rows of a table (all of them, or `rows`). With missing: 'drop', statistics come from the
   * rows without a missing cell in the columns used.
   * @example const p = ColumnPipeline.fit(readTable('penguins.csv'), { label: 'species' }); const X = p.transform(table).X
   */
  static fit(table: Table, options: PipelineOptions & { rows?: ArrayLike<number> } = {}): ColumnPipeline {
    const rows = options.rows ?? Int32Array.from({ length: table.rows }, (_, i) => i);
    const fill = (keep?: (i: number) => boolean): TableStats => {
      const stats = new TableStats(table.names, table.dialect);
      const cells = new Array<string>(table.names.length);
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k]!;
        if (keep && !keep(i)) continue;
        for (let j = 0; j < cells.length; j++) cells[j] = table.columns[j]![i]!;
        stats.addRow(cells, table.lines[i]!);
      }
      return stats;
    };
    let stats = fill();
    const plan = planColumns(stats, options);
    if (options.missing === 'drop') {
      const na = new Set(table.dialect.naValues);
      const used = plan.map((t, j) => (t && t.type !== 'id' && t.type !== 'constant' && t.type !== 'drop' ? j : -1)).filter((j) => j >= 0);
      stats = fill((i) => used.every((j) => !na.has(table.columns[j]![i]!)));
      if (stats.rows === 0) throw new ValidationError('missing', `'drop' leaves no row: every row has a missing cell in the columns used`);
    }
    return ColumnPipeline.fromStats(stats, table.dialect, options, plan);
  }

  /** Names of the outputs, in matrix column order. */
  get features(): string[] { return this.j.features.slice(); }
  get width(): number { return this.j.features.length; }
  get label(): string | null { return this.j.label; }
  get dialect(): Dialect { return { ...this.j.dialect, naValues: this.j.dialect.naValues.slice() }; }
  /** Every column but the label, fitted or dropped, in training file order. */
  get columns(): ColumnJSON[] { return JSON.parse(JSON.stringify(this.j.columns)) as ColumnJSON[]; }

  /**
   * Matches data columns to the model by name. `extra` columns (neither used, dropped nor the label) are an error
   * by default; a used column the data lacks always is.
   */
  bind(names: readonly string[], options: { source?: string; decimal?: '.' | ','; naValues?: readonly string[]; extra?: 'error' | 'ignore' } = {}): BoundPipeline {
    const where = options.source ? `${options.source}: ` : '';
    const known = new Set(this.j.columns.map((c) => c.name));
    if (this.j.label !== null) known.add(this.j.label);
    const lacking = this.j.columns.filter((c) => makeEncoder(c, dummyContext) !== null && !names.includes(c.name)).map((c) => c.name);
    if (lacking.length) {
      // a name that differs only in case or spaces is most likely the same column, written otherwise
      const fold = (n: string) => n.trim().toLowerCase();
      const near = lacking.flatMap((n) => names.filter((m) => !known.has(m) && fold(m) === fold(n)).map((m) => `${JSON.stringify(m)} for ${JSON.stringify(n)}`));
      const hint = near.length ? ` (the data has ${near.join(', ')}: names are matched exactly, case included)` : '';
      throw new ValidationError('columns', `${where}the data lacks ${lacking.length === 1 ? 'the column' : 'the columns'} ${lacking.map((n) => JSON.stringify(n)).join(', ')} that the model uses${hint}`);
    }
    const extra = names.filter((n) => !known.has(n));
    if (extra.length && (options.extra ?? 'error') === 'error') {
      throw new ValidationError('columns', `${where}the data has ${extra.length === 1 ? 'a column' : 'columns'} the model was not trained with: ${extra.map((n) => JSON.stringify(n)).join(', ')}`);
    }
    const na = new Set(options.naValues ?? this.j.dialect.naValues);
    const ctx: ReadContext = { na, decimal: options.decimal ?? this.j.dialect.decimal, numericNeverMissing: numericNeverMissing(na) };
    return new BoundPipeline(this.j.columns, names, ctx, where, this.j.label === null ? -1 : names.indexOf(this.j.label));
  }

  /**
   * Transforms table rows (all, or `rows`) into features. With dropMissing, rows with a missing cell in a
   * used column are left out; `rows` of the result lists the table rows kept.
   * @example const { X } = pipeline.transform(readTable('new.csv'))
   */
  transform(table: Table, options: { rows?: ArrayLike<number>; dropMissing?: boolean; extra?: 'error' | 'ignore' } = {}): { X: Matrix; rows: Int32Array } {
    const b = this.bind(table.names, { source: table.source, decimal: table.dialect.decimal, extra: options.extra });
    const rows = options.rows ?? Int32Array.from({ length: table.rows }, (_, i) => i);
    const w = this.width;
    const data = new Float32Array(rows.length * w);
    const kept = new Int32Array(rows.length);
    const cells = new Array<string>(table.names.length);
    let n = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      for (let j = 0; j < cells.length; j++) cells[j] = table.columns[j]![i]!;
      if (options.dropMissing && b.hasMissing(cells)) continue;
      b.transformRow(cells, table.lines[i]!, data, n * w);
      kept[n++] = i;
    }
    return { X: { data: n === rows.length ? data : data.slice(0, n * w), rows: n, cols: w }, rows: kept.slice(0, n) };
  }

  /** One line per column: how it is read and how many outputs it gives. */
  describe(): ColumnNote[] {
    return this.j.columns.map((c) => ({ name: c.name, type: c.type, reason: describeColumn(c), outputs: makeEncoder(c, dummyContext)?.width ?? 0 }));
  }

  toJSON(): PipelineJSON {
    return JSON.parse(JSON.stringify(this.j)) as PipelineJSON;
  }

  /** @example ColumnPipeline.fromJSON(JSON.parse(text)) */
  static fromJSON(json: unknown): ColumnPipeline {
    const o = json as Partial<PipelineJSON> | null;
    if (!o || typeof o !== 'object' || o.format !== PIPELINE_FORMAT) throw new ModelFormatError(`not a column pipeline: expected format ${JSON.stringify(PIPELINE_FORMAT)}, got ${JSON.stringify(o?.format)}`);
    if (o.version !== PIPELINE_VERSION) throw new ModelFormatError(`column pipeline version ${String(o.version)}, this simdnet reads version ${PIPELINE_VERSION}`);
    if (!Array.isArray(o.columns) || !Array.isArray(o.features) || !(o.label === null || typeof o.label === 'string') || (o.missing !== 'impute' && o.missing !== 'drop')) {
      throw new ModelFormatError('column pipeline: columns, features, label and missing are required');
    }
    let dialect: Dialect;
    try { dialect = checkDialect(o.dialect, 'dialect'); } catch (e) { throw new ModelFormatError(`column pipeline: ${(e as Error).message}`); }
    const columns = o.columns.map((c, i) => checkColumnJSON(c, i));
    const p = new ColumnPipeline({ format: PIPELINE_FORMAT, version: PIPELINE_VERSION, dialect, label: o.label, missing: o.missing, columns, features: [] });
    const names = p.bind(columns.map((c) => c.name), { extra: 'ignore' }).outputNames;
    if (names.length !== o.features.length || names.some((n, i) => n !== o.features![i])) {
      throw new ModelFormatError(`column pipeline: the columns give ${names.length} outputs that do not match its features list (${o.features.length})`);
    }
    p.j.features = names;
    return p;
  }
}

const dummyContext: ReadContext = { na: new Set(), decimal: '.' };

function describeColumn(c: ColumnJSON): string {
  const f = (x: number | null) => (x === null ? '—' : String(Number(x.toPrecision(5))));
  switch (c.type) {
    case 'numeric': {
      const fill = c.fill === null ? 'no imputation' : `missing → ${c.impute} ${f(c.fill)}`;
      const scale = c.center === 0 && c.scale === 1 ? 'not scaled' : `(x − ${f(c.center)}) / ${f(c.scale)}`;
      return `numeric · ${fill}${c.indicator ? ' + indicator' : ''}${c.missingValues.length ? ` (text read as missing: ${c.missingValues.map((s) => JSON.stringify(s)).join(', ')})` : ''}${c.thousands ? ` (thousands separator ${JSON.stringify(c.thousands)})` : ''} · ${scale}`;
    }
    case 'categorical': {
      const shown = c.categories.slice(0, 6).map((s) => JSON.stringify(s)).join(', ') + (c.categories.length > 6 ? ', ...' : '');
      const missing = c.missing === 'category' ? ' + (missing)' : c.missing === 'fill' ? ` · missing → ${JSON.stringify(c.fill)}` : '';
      return `categorical · one-hot ${c.categories.length}: ${shown}${c.infrequent.length ? ` + (other) for ${c.infrequent.length} rare` : ''}${missing} · unknown → ${c.unknown === 'error' ? 'error' : 'ignored'}`;
    }
    case 'boolean': return `boolean · ${JSON.stringify(c.true)} = 1, ${JSON.stringify(c.false)} = 0${c.indicator ? ' · missing → most frequent + indicator' : ''}`;
    case 'date': return `date (${c.format}) → ${c.parts.map((p) => p.part).join(', ')}${c.indicator ? ' + indicator' : ''}`;
    default: return `dropped: ${c.reason}`;
  }
}

/** A pipeline matched to the columns of one data source. */
export class BoundPipeline {
  readonly width: number;
  readonly outputNames: string[] = [];
  /** Index of the label in the data's columns, −1 when absent. */
  readonly labelIndex: number;
  private readonly encoders: Encoder[] = [];
  private readonly at: number[] = [];
  private readonly offsets: number[] = [];
  private readonly names: string[] = [];

  constructor(columns: ColumnJSON[], dataNames: readonly string[], ctx: ReadContext, private readonly where: string, labelIndex: number) {
    let o = 0;
    for (const c of columns) {
      const e = makeEncoder(c, ctx);
      if (!e) continue;
      this.encoders.push(e);
      this.at.push(dataNames.indexOf(c.name));
      this.offsets.push(o);
      this.names.push(c.name);
      this.outputNames.push(...e.outputNames);
      o += e.width;
    }
    this.width = o;
    this.labelIndex = labelIndex;
  }

  /** Writes the features of one row (trimmed cells, in the data's column order) at out[o ...]. */
  transformRow(cells: readonly string[], line: number, out: Float32Array, o: number): void {
    const { encoders, at, offsets } = this;
    let k = 0;
    try {
      for (; k < encoders.length; k++) encoders[k]!.encode(cells[at[k]!]!, out, o + offsets[k]!);
    } catch (e) {
      throw this.cellError(e, k, line);
    }
  }

  /** transformRow for a quote-free line split in place by `sp` (the same output, fewer strings). */
  transformSpans(text: string, sp: LineSplitter, line: number, out: Float32Array, o: number): void {
    const { encoders, at, offsets } = this;
    let k = 0;
    try {
      for (; k < encoders.length; k++) {
        const enc = encoders[k]!;
        const j = at[k]!;
        if (enc.encodeSpan && sp.trim(text, j) && enc.encodeSpan(text, sp.s, sp.e, out, o + offsets[k]!)) continue;
        enc.encode(sp.cell(text, j), out, o + offsets[k]!);
      }
    } catch (e) {
      throw this.cellError(e, k, line);
    }
  }

  private strings: ByteStrings[] | undefined;

  /** transformRow for a quote-free line of UTF-8 bytes split by the byte reader (the same output, no text decoding). */
  transformBytes(buf: Uint8Array, f: ByteFields, line: number, out: Float32Array, o: number): void {
    const { encoders, at, offsets } = this;
    const strings = (this.strings ??= encoders.map(() => new ByteStrings()));
    let k = 0;
    try {
      for (; k < encoders.length; k++) {
        const enc = encoders[k]!;
        const j = at[k]!;
        const to = o + offsets[k]!;
        if (!f.trim(buf, j)) enc.encode(f.decoded(buf, j), out, to);
        else if (!enc.encodeBytes || !enc.encodeBytes(buf, f.s, f.e, out, to)) enc.encode(strings[k]!.get(buf, f.s, f.e), out, to);
      }
    } catch (e) {
      throw this.cellError(e, k, line);
    }
  }

  private cellError(e: unknown, k: number, line: number): unknown {
    if (!(e instanceof CellError)) return e;
    return new ValidationError('csv', `${this.where}line ${line}, column ${this.at[k]! + 1} (${JSON.stringify(this.names[k])}) ${e.message}`);
  }

  /** True when a used column of this row is missing. */
  hasMissing(cells: readonly string[]): boolean {
    for (let k = 0; k < this.at.length; k++) if (this.encoders[k]!.isMissing(cells[this.at[k]!]!)) return true;
    return false;
  }
}
