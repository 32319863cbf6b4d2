// Tables larger than memory: the column pipeline and the label fitted in one streaming pass
// (fitStream), and a dataset object that turns each pass over the CSV into shuffled mini-batches
// {X, y} for Sequential.fit (TableDataset). Rows are shuffled through a buffer of `shuffleBuffer`
// rows (each new row takes the place of a random one, which goes out: Batcher), so memory stays
// bounded; a batch's buffers are reused, so a yielded batch is valid until the next is asked for.

import { ValidationError } from '../../errors.js';
import { Rng } from '../../rng.js';
import { ColumnPipeline, planColumns, type BoundPipeline, type PipelineOptions } from '../columns/pipeline.js';
import { TableStats } from '../columns/stats.js';
import { Target, type Task } from '../columns/target.js';
import { columnIndex } from '../table.js';
import { splitPart, type CsvStream } from './csv-stream.js';
import { LineSplitter } from './line-splitter.js';
import type { ByteFields } from './byte-records.js';
import { ByteStrings } from './byte-strings.js';
import { Batcher, type Batch } from './batcher.js';
import { bytesNumber } from '../dialect.js';
import { numericNeverMissing } from '../columns/encoders.js';

/** Rows of the stream a pass uses: a part of a hashed split (see splitPart), or all. */
export interface StreamSplit { test: number; validation: number; seed: number }
export type StreamPart = 'train' | 'validation' | 'test' | 'all';

function keeper(split: StreamSplit | undefined, part: StreamPart): ((row: number) => boolean) | undefined {
  if (!split || part === 'all') return undefined;
  return (row) => splitPart(row, split.seed, split.test, split.validation) === part;
}

export interface StreamFitOptions extends PipelineOptions {
  label: string;
  task?: Task | 'auto';
  /** Fit on the training part of this split (default: every row). */
  split?: StreamSplit;
}

export interface StreamFit {
  pipeline: ColumnPipeline;
  target: Target;
  /** Rows of the training part with a label, and without. */
  rows: number;
  missingLabels: number;
  /** Rows per class index (classification), for class weights. */
  classCounts?: Float64Array;
  notes: string[];
}

/**
 * Fits the label and the column pipeline in one pass over a stream (two with missing: 'drop'):
 * means, variances, categories and, by a quantile sketch, medians.
 * @example const { pipeline, target } = await fitStream(new CsvStream('big.csv'), { label: 'y' })
 */
export async function fitStream(stream: CsvStream, options: StreamFitOptions): Promise<StreamFit> {
  const { names, dialect } = await stream.open();
  const li = columnIndex(names, options.label, 'label');
  const na = new Set(dialect.naValues);
  const keep = keeper(options.split, 'train');
  const pass = async (rowOk?: (cells: string[]) => boolean) => {
    const stats = new TableStats(names, dialect);
    let missing = 0;
    for await (const b of stream.rows({ keep })) {
      for (let k = 0; k < b.cells.length; k++) {
        const cells = b.cells[k]!;
        if (na.has(cells[li]!)) { missing++; continue; }
        if (rowOk && !rowOk(cells)) continue;
        stats.addRow(cells, b.lines[k]!);
      }
    }
    return { stats, missing };
  };
  let { stats, missing } = await pass();
  if (stats.rows === 0) throw new ValidationError('label', `${stream.sourceName}: no training row has a label ${JSON.stringify(options.label)}`);
  const notes: string[] = [];
  const { target, note } = Target.fit(stats.columns[li]!, dialect, { task: options.task });
  notes.push(note);
  if (missing) notes.push(`${missing} row${missing === 1 ? '' : 's'} without a label left out`);
  const plan = planColumns(stats, options);
  if (options.missing === 'drop') {
    const used = plan.map((t, j) => (t && !['id', 'constant', 'drop'].includes(t.type) ? j : -1)).filter((j) => j >= 0);
    const before = stats.rows;
    ({ stats } = await pass((cells) => used.every((j) => !na.has(cells[j]!))));
    notes.push(`${before - stats.rows} rows with a missing cell left out (missing: 'drop')`);
  }
  const pipeline = ColumnPipeline.fromStats(stats, dialect, { ...options }, plan);
  let classCounts: Float64Array | undefined;
  if (target.task === 'classification') {
    classCounts = new Float64Array(target.classes.length);
    for (const [cell, n] of stats.columns[li]!.counts) classCounts[target.encodeCell(cell, 0, () => stream.sourceName)] += n;
  }
  return { pipeline, target, rows: stats.rows, missingLabels: missing, classCounts, notes };
}

export interface TableDatasetOptions {
  batchSize?: number;
  /** Rows held for shuffling (default 8192; 0: file order). */
  shuffleBuffer?: number;
  seed?: number;
  split?: StreamSplit;
  part?: StreamPart;
  /** Leave out rows with a missing cell in a used column (training with missing: 'drop'). */
  dropMissing?: boolean;
}

export type { Batch } from './batcher.js';

/**
 * A re-iterable dataset: every `for await` is one pass over the stream, yielding shuffled batches
 * of encoded rows. Give it to `model.fit(dataset, { epochs })`.
 * @example for await (const { X, y } of new TableDataset(stream, pipeline, target, { batchSize: 64 })) ...
 */
export class TableDataset implements AsyncIterable<Batch> {
  readonly batchSize: number;
  readonly shuffleBuffer: number;
  private epoch = 0;
  /** Rows read by the last pass, and rows left out for a missing label. */
  rowsRead = 0;
  missingLabels = 0;

  constructor(readonly stream: CsvStream, readonly pipeline: ColumnPipeline, readonly target: Target, readonly options: TableDatasetOptions = {}) {
    this.batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new ValidationError('batchSize', `expected a positive integer, got ${String(options.batchSize)}`);
    this.shuffleBuffer = options.shuffleBuffer ?? 8192;
    if (!Number.isInteger(this.shuffleBuffer) || this.shuffleBuffer < 0) throw new ValidationError('shuffleBuffer', `expected an integer ≥ 0, got ${String(options.shuffleBuffer)}`);
  }

  get width(): number { return this.pipeline.width; }

  /** The passes started ([n]): each pass seeds its shuffle buffer with (seed, n), so this is where the dataset is between passes. A checkpoint of fit(dataset) holds it. */
  sourceState(): number[] {
    return [this.epoch];
  }

  /** Makes the next pass the one after `state[0]` passes (resuming a checkpoint of fit(dataset)). */
  restoreSourceState(state: readonly number[]): void {
    const n = state?.[0];
    if (!Array.isArray(state) || state.length !== 1 || !Number.isInteger(n) || n! < 0) throw new ValidationError('resumeFrom', `a TableDataset's state is [passes], a whole number ≥ 0; the checkpoint holds ${JSON.stringify(state)}`);
    this.epoch = n!;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
    const { names, dialect } = await this.stream.open();
    const b: BoundPipeline = this.pipeline.bind(names, { source: this.stream.sourceName, decimal: dialect.decimal });
    const li = names.indexOf(this.target.name);
    if (li < 0) throw new ValidationError('label', `${this.stream.sourceName}: has no column ${JSON.stringify(this.target.name)}, the label`);
    const na = new Set(this.pipeline.dialect.naValues);
    const target = this.target.withDecimal(dialect.decimal);
    const w = this.width;
    const rng = new Rng(((this.options.seed ?? 0) + 0x632be5a * ++this.epoch) >>> 0);
    const rows = new Batcher(w, this.batchSize, this.shuffleBuffer, target.task === 'classification', rng);
    this.rowsRead = 0;
    this.missingLabels = 0;
    const src = this.stream.sourceName;
    const where = (line: number) => `${src}: line ${line}, column ${li + 1} (${JSON.stringify(target.name)})`;
    const slot = (): number => { this.rowsRead++; return rows.place(); };
    const dropMissing = this.options.dropMissing === true;
    const onCells = (cells: string[], line: number): void => {
      const cell = cells[li]!;
      if (na.has(cell)) { this.missingLabels++; return; }
      if (dropMissing && b.hasMissing(cells)) return;
      const k = slot();
      b.transformRow(cells, line, rows.x, k * w);
      rows.y[k] = target.encodeCell(cell, line, where);
    };
    const sp = new LineSplitter(names.length, dialect.delimiter);
    const onLine = (text: string, s: number, e: number, line: number, _row: number, headerLine: number): void => {
      const n = sp.split(text, s, e);
      if (n !== names.length) throw new ValidationError('csv', `${src}: line ${line} has ${n} fields, expected ${names.length}${headerLine ? ` (as line ${headerLine})` : ''}`);
      if (dropMissing) { onCells(sp.cells(text), line); return; }
      const cell = sp.cell(text, li);
      if (na.has(cell)) { this.missingLabels++; return; }
      const k = slot();
      b.transformSpans(text, sp, line, rows.x, k * w);
      rows.y[k] = target.encodeCell(cell, line, where);
    };
    // the byte path: the same cells as onLine, read from the UTF-8 bytes; a regression label that is a plain number is decoded in place
    const labelStrings = new ByteStrings();
    const fastLabel = target.task === 'regression' && numericNeverMissing(na);
    const point = dialect.decimal === ',' ? 44 : 46;
    const onFields = (buf: Uint8Array, f: ByteFields, n: number, line: number, _row: number, headerLine: number): void => {
      if (n !== names.length) throw new ValidationError('csv', `${src}: line ${line} has ${n} fields, expected ${names.length}${headerLine ? ` (as line ${headerLine})` : ''}`);
      if (dropMissing) { onCells(f.cells(buf), line); return; }
      let y = NaN;
      if (f.trim(buf, li)) {
        if (fastLabel && f.s < f.e) {
          const c = buf[f.s]!;
          if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) y = bytesNumber(buf, f.s, f.e, point);
        }
        if (y === y) y = target.scaled(y);
      }
      let cell: string | undefined;
      if (y !== y) {
        cell = f.cell(buf, li, labelStrings);
        if (na.has(cell)) { this.missingLabels++; return; }
      }
      const k = slot();
      b.transformBytes(buf, f, line, rows.x, k * w);
      rows.y[k] = cell === undefined ? y : target.encodeCell(cell, line, where);
    };
    const keep = keeper(this.options.split, this.options.part ?? 'all');
    const pass = (await this.stream.scanBytes({ cells: onCells, fields: onFields }, { keep })) ?? this.stream.scan({ cells: onCells, line: onLine }, { keep });
    let batch: Batch | null;
    for await (const _ of pass) {
      while ((batch = rows.take()) !== null) yield batch;
    }
    rows.finish();
    while ((batch = rows.take()) !== null) yield batch;
    if ((batch = rows.rest()) !== null) yield batch;
  }
}
