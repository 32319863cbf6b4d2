// Tables larger than memory: the column pipeline and the label fitted in one streaming pass
// (fitStream), and a dataset object that turns each pass over the CSV into shuffled mini-batches
// {X, y} for Sequential.fit (TableDataset). Rows are shuffled through a buffer of `shuffleBuffer`
// rows (each new row takes the place of a random one, which goes out), so memory stays bounded;
// a batch's buffers are reused, so a yielded batch is valid until the next is asked for.

import { ValidationError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { Matrix } from '../matrix.js';
import { ColumnPipeline, planColumns, type BoundPipeline, type PipelineOptions } from '../columns/pipeline.js';
import { TableStats } from '../columns/stats.js';
import { Target, type Task } from '../columns/target.js';
import { columnIndex } from '../table.js';
import { splitPart, type CsvStream } from './csv-stream.js';
import { LineSplitter } from './line-splitter.js';

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

export interface Batch { X: Matrix; y: Int32Array | Float32Array }

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

  async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
    const { names, dialect } = await this.stream.open();
    const b: BoundPipeline = this.pipeline.bind(names, { source: this.stream.sourceName, decimal: dialect.decimal });
    const li = names.indexOf(this.target.name);
    if (li < 0) throw new ValidationError('label', `${this.stream.sourceName}: has no column ${JSON.stringify(this.target.name)}, the label`);
    const na = new Set(this.pipeline.dialect.naValues);
    const target = this.target.withDecimal(dialect.decimal);
    const w = this.width;
    const B = this.batchSize;
    const S = this.shuffleBuffer;
    const classes = target.task === 'classification';
    const xBatch = new Float32Array(B * w);
    const yBatch = classes ? new Int32Array(B) : new Float32Array(B);
    const out: Batch = { X: { data: xBatch, rows: B, cols: w }, y: yBatch };
    const xBuf = new Float32Array(Math.max(S, 1) * w);
    const yBuf = new Float64Array(Math.max(S, 1));
    const rng = new Rng(((this.options.seed ?? 0) + 0x632be5a * ++this.epoch) >>> 0);
    let held = 0;
    let m = 0;
    this.rowsRead = 0;
    this.missingLabels = 0;
    const src = this.stream.sourceName;
    const where = (line: number) => `${src}: line ${line}, column ${li + 1} (${JSON.stringify(target.name)})`;
    const copy = (from: Float32Array, fo: number, to: Float32Array, t: number): void => { for (let i = 0; i < w; i++) to[t + i] = from[fo + i]!; };
    const emit = (x: Float32Array, xo: number, y: number): boolean => {
      copy(x, xo, xBatch, m * w);
      yBatch[m++] = y;
      return m === B;
    };
    // rows of one chunk of text are encoded into a staging area first (the callbacks cannot yield)
    let stageX = new Float32Array(1024 * w);
    let stageY = new Float64Array(1024);
    let staged = 0;
    const slot = (): number => {
      if (staged === stageY.length) {
        const x2 = new Float32Array(stageX.length * 2); x2.set(stageX); stageX = x2;
        const y2 = new Float64Array(stageY.length * 2); y2.set(stageY); stageY = y2;
      }
      return staged++;
    };
    const dropMissing = this.options.dropMissing === true;
    const onCells = (cells: string[], line: number): void => {
      const cell = cells[li]!;
      if (na.has(cell)) { this.missingLabels++; return; }
      if (dropMissing && b.hasMissing(cells)) return;
      const k = slot();
      b.transformRow(cells, line, stageX, k * w);
      stageY[k] = target.encodeCell(cell, line, where);
    };
    const sp = new LineSplitter(names.length, dialect.delimiter);
    const onLine = (text: string, s: number, e: number, line: number, _row: number, headerLine: number): void => {
      const n = sp.split(text, s, e);
      if (n !== names.length) throw new ValidationError('csv', `${src}: line ${line} has ${n} fields, expected ${names.length}${headerLine ? ` (as line ${headerLine})` : ''}`);
      if (dropMissing) { onCells(sp.cells(text), line); return; }
      const cell = sp.cell(text, li);
      if (na.has(cell)) { this.missingLabels++; return; }
      const k = slot();
      b.transformSpans(text, sp, line, stageX, k * w);
      stageY[k] = target.encodeCell(cell, line, where);
    };
    const keep = keeper(this.options.split, this.options.part ?? 'all');
    for await (const _ of this.stream.scan({ cells: onCells, line: onLine }, { keep })) {
      for (let k = 0; k < staged; k++) {
        this.rowsRead++;
        const y = stageY[k]!;
        if (S === 0) { if (emit(stageX, k * w, y)) { yield out; m = 0; } continue; }
        if (held < S) { copy(stageX, k * w, xBuf, held * w); yBuf[held++] = y; continue; }
        const j = rng.int(S);
        const full = emit(xBuf, j * w, yBuf[j]!);
        copy(stageX, k * w, xBuf, j * w);
        yBuf[j] = y;
        if (full) { yield out; m = 0; }
      }
      staged = 0;
    }
    // drain the buffer in random order
    for (let i = held - 1; i >= 0; i--) {
      const j = rng.int(i + 1);
      if (emit(xBuf, j * w, yBuf[j]!)) { yield out; m = 0; }
      xBuf.copyWithin(j * w, i * w, (i + 1) * w);
      yBuf[j] = yBuf[i]!;
    }
    if (m > 0) yield { X: { data: xBatch.subarray(0, m * w), rows: m, cols: w }, y: yBatch.subarray(0, m) };
  }
}
