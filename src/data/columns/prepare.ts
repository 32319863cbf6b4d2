// From a raw table to what a model trains on, in one call: the label (task inferred or given,
// rows without a label left out and counted), the column pipeline fitted on the chosen rows, and
// the feature matrix with its targets. The notes say every choice that was made.

import { ValidationError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import { columnIndex, type Table } from '../table.js';
import { ColumnPipeline, type PipelineOptions } from './pipeline.js';
import { TableStats } from './stats.js';
import { Target, type Task } from './target.js';

export interface LabelInfo {
  target: Target;
  /** Table rows whose label is present. */
  rows: Int32Array;
  /** Rows left out because their label is missing. */
  missing: number;
  note: string;
}

/**
 * Reads the label column: the task (inferred unless given) and its classes or scale, over the
 * rows (default all) whose label is present.
 * @example const { target, rows } = labelColumn(table, 'species')
 */
export function labelColumn(table: Table, label: string, options: { task?: Task | 'auto'; rows?: ArrayLike<number> } = {}): LabelInfo {
  const j = columnIndex(table.names, label, 'label');
  const na = new Set(table.dialect.naValues);
  const from = options.rows ?? Int32Array.from({ length: table.rows }, (_, i) => i);
  const col = table.columns[j]!;
  const stats = new TableStats([label], table.dialect);
  const rows: number[] = [];
  let missing = 0;
  const one = [''];
  for (let k = 0; k < from.length; k++) {
    const i = from[k]!;
    if (na.has(col[i]!)) { missing++; continue; }
    one[0] = col[i]!;
    stats.addRow(one, table.lines[i]!);
    rows.push(i);
  }
  if (rows.length === 0) throw new ValidationError('label', `${table.source ? `${table.source}: ` : ''}the label column ${JSON.stringify(label)} has no values: every cell is missing`);
  const { target, note } = Target.fit(stats.columns[0]!, table.dialect, { task: options.task });
  return { target, rows: Int32Array.from(rows), missing, note };
}

export interface PrepareOptions extends PipelineOptions {
  label: string;
  task?: Task | 'auto';
  /** Rows to fit on and transform (default all). */
  rows?: ArrayLike<number>;
  /** A target fitted before (e.g. on all rows, so every class is known); default: fitted on `rows`. */
  target?: Target;
}

export interface Prepared {
  pipeline: ColumnPipeline;
  target: Target;
  X: Matrix;
  /** Class indices (classification) or the scaled target (regression), one per row of X. */
  y: Int32Array | Float32Array;
  /** The table row of each row of X. */
  rows: Int32Array;
  /** Rows left out: no label, or (missing: 'drop') a missing cell. */
  droppedNoLabel: number;
  droppedMissing: number;
  notes: string[];
}

/**
 * Fits the label and the column pipeline on a table and transforms it.
 * @example const { X, y, pipeline } = prepareTable(readTable('penguins.csv'), { label: 'species' })
 */
export function prepareTable(table: Table, options: PrepareOptions): Prepared {
  const info = labelColumn(table, options.label, { task: options.target?.task ?? options.task, rows: options.rows });
  const target = options.target ?? info.target;
  const pipeline = ColumnPipeline.fit(table, { ...options, rows: info.rows });
  const { X, rows } = pipeline.transform(table, { rows: info.rows, dropMissing: options.missing === 'drop' });
  const j = table.names.indexOf(options.label);
  const where = (i: number) => `${table.source ? `${table.source}: ` : ''}line ${table.lines[rows[i]!]}, column ${j + 1} (${JSON.stringify(options.label)})`;
  const y = target.encode(Array.from(rows, (i) => table.columns[j]![i]!), where);
  const notes = [options.target ? `task: ${target.task}` : info.note];
  if (info.missing) notes.push(`${info.missing} row${info.missing === 1 ? '' : 's'} without a label left out`);
  const droppedMissing = info.rows.length - rows.length;
  if (droppedMissing) notes.push(`${droppedMissing} row${droppedMissing === 1 ? '' : 's'} with a missing cell left out (missing: 'drop')`);
  if (X.rows === 0) throw new ValidationError('rows', 'no row is left to train on');
  return { pipeline, target, X, y, rows, droppedNoLabel: info.missing, droppedMissing, notes };
}
