// What `simdnet train` learns from: the label read (task inferred or given), the split (stratified
// for classes; or --test-data), the column pipeline fitted on the training part of a table (or a
// scaler for bundled / IDX matrices), and every choice said as a note.

import { ColumnPipeline, type PipelineOptions } from '../data/columns/pipeline.js';
import { labelColumn } from '../data/columns/prepare.js';
import { Target, type Task } from '../data/columns/target.js';
import type { DialectOptions } from '../data/dialect.js';
import type { Matrix } from '../data/matrix.js';
import { StandardScaler } from '../data/scalers.js';
import { trainTestSplit } from '../data/split.js';
import type { Table } from '../data/table.js';
import { UsageError } from './args.js';
import { DataError, loadTable, type LoadedData, type TableData } from './data.js';
import { classesOf, encodeLabels } from './encode.js';
import type { ColumnsInput, MatrixInput } from './modelfile.js';

export interface PreparedData {
  task: Task;
  target: Target;
  classNames: string[];
  XTrain: Matrix;
  yTrain: Int32Array | Float32Array;
  XTest: Matrix;
  yTest: Int32Array | Float32Array;
  /** classNames, then the classes of --test-data rows that training never saw (their codes follow; never predicted, so counted as wrong). */
  testClassNames?: string[];
  /** 'test set', 'training set' or the --test-data file. */
  on: string;
  input: ColumnsInput | MatrixInput;
  featureNames: string[];
  /** Rows with a label, and input columns (before encoding). */
  rows: number;
  columns: number;
  split: string;
  preprocessing: string;
  notes: string[];
  /** Two-feature data: the raw training points and how raw values become model inputs. */
  decision?: { X: Matrix; y: Int32Array; featureNames: string[]; toInputs: (g: Matrix) => Matrix };
}

export interface PrepareSettings {
  label?: string;
  task: Task | 'auto';
  testSplit: number;
  testData?: string;
  seed: number;
  pipeline: PipelineOptions;
  dialect: DialectOptions;
}

function splitRows(rows: Int32Array, codes: Int32Array | undefined, testSplit: number, seed: number, notes: string[]): { train: Int32Array; test: Int32Array } {
  const M = { data: Float32Array.from(rows), rows: rows.length, cols: 1 };
  let stratify: Int32Array | false = false;
  if (codes) {
    const counts = new Map<number, number>();
    for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
    const nTest = Math.ceil(testSplit * rows.length);
    if ([...counts.values()].every((n) => n >= 2) && counts.size <= nTest && counts.size <= rows.length - nTest) stratify = codes;
    else notes.push('split not stratified: a class has a single row, or there are more classes than test rows');
  }
  if (rows.length < 2) throw new DataError(`only ${rows.length} labelled row: a test split needs at least 2 (or --test-split 0)`);
  const s = trainTestSplit(M, rows, { testSize: testSplit, stratify, seed });
  return { train: Int32Array.from(s.XTrain.data).sort(), test: Int32Array.from(s.XTest.data).sort() };
}

function labelName(table: Table, label: string | undefined): string {
  if (label === undefined) return table.names[table.names.length - 1]!;
  if (/^-?\d+$/.test(label.trim()) && !table.names.includes(label)) {
    const i = Number(label);
    const j = i < 0 ? table.names.length + i : i;
    if (j < 0 || j >= table.names.length) throw new UsageError(`--label ${label}: the data has ${table.names.length} columns (0..${table.names.length - 1})`);
    return table.names[j]!;
  }
  return label;
}

function transformed(pipeline: ColumnPipeline, table: Table, rows: Int32Array, target: Target, label: string, drop: boolean, notes: string[], what: string,
  unseen?: Map<string, { code: number; count: number }>): { X: Matrix; y: Int32Array | Float32Array } {
  const { X, rows: kept } = pipeline.transform(table, { rows, dropMissing: drop });
  if (kept.length < rows.length) notes.push(`${rows.length - kept.length} ${what} row${rows.length - kept.length === 1 ? '' : 's'} with a missing cell left out (--missing drop)`);
  const j = table.names.indexOf(label);
  const where = (i: number) => `${table.source ?? 'data'}: line ${table.lines[kept[i]!]}, column ${j + 1} (${JSON.stringify(label)})`;
  const t = target.withDecimal(table.dialect.decimal);
  const cells = Array.from(kept, (i) => table.columns[j]![i]!);
  if (!unseen || target.task !== 'classification') return { X, y: t.encode(cells, where) };
  // a class training never saw: code k, k+1, ... after the trained ones, so scores count it wrong
  const k = target.classNames.length;
  const y = new Int32Array(cells.length);
  cells.forEach((cell, i) => {
    const c = t.classIndex(cell);
    if (c >= 0) { y[i] = c; return; }
    const e = unseen.get(cell);
    if (e) { e.count++; y[i] = e.code; return; }
    y[i] = k + unseen.size;
    unseen.set(cell, { code: y[i]!, count: 1 });
  });
  return { X, y };
}

export function prepareTableData(data: TableData, s: PrepareSettings): PreparedData {
  const table = data.table;
  const label = labelName(table, s.label);
  const notes: string[] = [...(table.notes ?? [])];
  const info = labelColumn(table, label, { task: s.task });
  notes.push(info.note);
  if (info.missing) notes.push(`${info.missing} row${info.missing === 1 ? '' : 's'} without a label left out`);
  const classification = info.target.task === 'classification';
  let trainTable = table;
  let testTable = table;
  let train = info.rows;
  let test = info.rows;
  let on = 'training set';
  if (s.testData) {
    testTable = loadTable(s.testData, s.dialect).table;
    const t = labelColumn(testTable, label, { task: info.target.task });
    if (t.missing) notes.push(`${t.missing} row${t.missing === 1 ? '' : 's'} of ${s.testData} without a label left out`);
    test = t.rows;
    on = s.testData;
  } else if (s.testSplit > 0) {
    const codes = classification ? info.target.encode(Array.from(info.rows, (i) => table.columns[table.names.indexOf(label)]![i]!), () => '') as Int32Array : undefined;
    ({ train, test } = splitRows(info.rows, codes, s.testSplit, s.seed, notes));
    on = 'test set';
  }
  const target = classification ? info.target : labelColumn(trainTable, label, { task: 'regression', rows: train }).target;
  const pipeline = ColumnPipeline.fit(trainTable, { ...s.pipeline, label, rows: train });
  const drop = s.pipeline.missing === 'drop';
  const tr = transformed(pipeline, trainTable, train, target, label, drop, notes, 'training');
  const unseen = s.testData && classification ? new Map<string, { code: number; count: number }>() : undefined;
  const te = testTable === trainTable && test === train ? tr : transformed(pipeline, testTable, test, target, label, drop, notes, 'test', unseen);
  if (unseen?.size) {
    const n = [...unseen.values()].reduce((a, e) => a + e.count, 0);
    const shown = [...unseen].slice(0, 8).map(([c, e]) => `${JSON.stringify(c)} (${e.count})`).join(', ');
    notes.push(`${n} row${n === 1 ? '' : 's'} of ${s.testData} ha${n === 1 ? 's' : 've'} a class the training never saw, counted as wrong: ${shown}${unseen.size > 8 ? ', ...' : ''}`);
  }
  const used = pipeline.describe().filter((c) => c.outputs > 0);
  const scale = s.pipeline.scale ?? 'standard';
  const preprocessing = `${used.length} of ${table.names.length - 1} columns → ${pipeline.width} features; numbers ${scale === 'standard' ? 'standardized' : scale === 'minmax' ? 'min-max scaled' : 'not scaled'}`;
  notes.push(`preprocessing: ${preprocessing}${scale === 'standard' && s.pipeline.scale === undefined ? ' (the default for gradient-trained models; --scale none to turn off)' : ''}`);
  const result: PreparedData = {
    task: target.task, target, classNames: target.classNames, XTrain: tr.X, yTrain: tr.y, XTest: te.X, yTest: te.y, on,
    input: { kind: 'columns', pipeline: pipeline.toJSON() }, featureNames: pipeline.features, rows: info.rows.length, columns: table.names.length - 1,
    split: s.testData ? `${tr.X.rows} train, ${te.X.rows} test (${s.testData})` : `${tr.X.rows} train, ${s.testSplit > 0 ? `${te.X.rows} test` : 'no test part (scores on the training data)'}`,
    preprocessing, notes, ...(unseen?.size ? { testClassNames: [...target.classNames, ...unseen.keys()] } : {}),
  };
  const numeric = pipeline.columns.filter((c) => c.type === 'numeric');
  if (pipeline.width === 2 && numeric.length === 2 && classification) {
    const b = pipeline.bind(table.names, { decimal: '.', extra: 'ignore' });
    const at = numeric.map((c) => table.names.indexOf(c.name));
    const raw = new Float32Array(tr.X.rows * 2);
    const { rows: kept } = pipeline.transform(trainTable, { rows: train, dropMissing: drop });
    kept.forEach((i, r) => at.forEach((j, k) => { raw[r * 2 + k] = Number(table.columns[j]![i]!.replace(',', '.')); }));
    result.decision = {
      X: { data: raw, rows: tr.X.rows, cols: 2 }, y: tr.y as Int32Array, featureNames: numeric.map((c) => c.name),
      toInputs: (g) => {
        const out = new Float32Array(g.rows * 2);
        const cells = table.names.map(() => '');
        for (let r = 0; r < g.rows; r++) {
          at.forEach((j, k) => { cells[j] = String(g.data[r * 2 + k]); });
          b.transformRow(cells, 0, out, r * 2);
        }
        return { data: out, rows: g.rows, cols: 2 };
      },
    };
  }
  return result;
}

export function prepareMatrixData(data: LoadedData, s: PrepareSettings): PreparedData {
  if (s.task === 'regression') throw new UsageError(`--task regression needs a CSV table; ${data.source} holds class labels`);
  if (s.testData) throw new UsageError('--test-data applies to CSV tables');
  const scale = s.pipeline.scale ?? 'standard';
  if (scale === 'minmax') throw new UsageError('--scale minmax applies to CSV tables; bundled sets and IDX images take standard or none');
  const { classes, classNames } = classesOf(data);
  if (classes.length < 2) throw new DataError(`${data.source}: the labels hold a single class (${JSON.stringify(classes[0])}); classification needs at least two`);
  const codes = encodeLabels(data.y!, classes, data.source);
  const notes: string[] = [];
  let XTrain: Matrix = data.X;
  let yTrain = codes;
  let XTest: Matrix = data.X;
  let yTest = codes;
  if (s.testSplit > 0) {
    const sp = trainTestSplit(data.X, codes, { testSize: s.testSplit, stratify: classes.length <= data.X.rows * s.testSplit, seed: s.seed });
    ({ XTrain, XTest, yTrain, yTest } = sp);
  }
  const scaler = scale === 'standard' ? new StandardScaler().fit(XTrain) : undefined;
  const preprocessing = scaler ? 'standardized (fitted on the training part)' : 'none';
  if (scaler && s.pipeline.scale === undefined) notes.push('preprocessing: features standardized (the default for gradient-trained models; --scale none to turn off)');
  const result: PreparedData = {
    task: 'classification', target: Target.fromJSON({ task: 'classification', name: data.labelName ?? 'label', classes }),
    classNames, XTrain: scaler ? scaler.transform(XTrain) : XTrain, yTrain, XTest: scaler ? scaler.transform(XTest) : XTest, yTest,
    on: s.testSplit > 0 ? 'test set' : 'training set',
    input: { kind: 'matrix', dataKind: data.kind === 'idx' ? 'idx' : 'bundled', featureNames: data.featureNames, scaler: scaler ? scaler.toJSON() : null },
    featureNames: data.featureNames, rows: data.X.rows, columns: data.X.cols,
    split: `${XTrain.rows} train, ${s.testSplit > 0 ? `${XTest.rows} test` : 'no test part (scores on the training data)'}`, preprocessing, notes,
  };
  if (data.X.cols === 2) result.decision = { X: XTrain, y: yTrain, featureNames: data.featureNames, toInputs: (g) => (scaler ? scaler.transform(g) : g) };
  return result;
}
