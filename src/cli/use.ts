// `simdnet evaluate <model.json> <data>` and `simdnet predict <model.json> <data>`: apply a saved
// model and its preprocessing to raw data. A table's columns are matched by name, in any order:
// a column the model uses that the data lacks, or one it never saw, is an error naming it.

import { resolve } from 'node:path';
import { backendInfo, ready } from '../backend.js';
import { ColumnPipeline } from '../data/columns/pipeline.js';
import { Target } from '../data/columns/target.js';
import type { Matrix } from '../data/matrix.js';
import type { OptionSpec } from './args.js';
import { readyOptions, UsageError } from './args.js';
import { DataError, loadData, loadTable, STDIN_NAME } from './data.js';
import { encodeLabels } from './encode.js';
import { assertWritable, writeFileAtomic } from '../io/atomic.js';
import { readModelFile, scalerOf, type CliModelFile } from './modelfile.js';
import { restoreModel, type TrainedModel } from './models.js';
import { csvCell, formatScores, rate, score, type Io, type Mode } from './output.js';
import { formatRegression, regressionScores } from './scores.js';
import { dialectFrom, MODEL_DATA_OPTIONS } from './train-options.js';

export const EVALUATE_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'bool', help: 'print the scores as one JSON object' },
  quiet: { type: 'bool', help: 'print nothing but errors' },
  ...MODEL_DATA_OPTIONS,
};

export const PREDICT_OPTIONS: Record<string, OptionSpec> = {
  proba: { type: 'bool', help: 'add one probability column per class' },
  out: { type: 'string', value: 'predictions.csv', help: 'write the predictions here (default: standard output)' },
  ...MODEL_DATA_OPTIONS,
};

interface Opened {
  file: CliModelFile;
  model: TrainedModel;
  X: Matrix;
  /** Encoded labels (class indices, or the scaled regression target) when the data has them. */
  y: Int32Array | Float32Array | null;
  source: string;
  notes: string[];
}

function openTable(file: CliModelFile, dataSpec: string, o: Record<string, unknown>, needLabel: boolean): Omit<Opened, 'file' | 'model'> {
  if (file.input.kind !== 'columns') throw new DataError('not a table model');
  const pipeline = ColumnPipeline.fromJSON(file.input.pipeline);
  const naValues = pipeline.dialect.naValues;
  const { table, source } = loadTable(dataSpec, { ...dialectFrom(o), naValues });
  const target = Target.fromJSON(file.target, table.dialect.decimal);
  const li = table.names.indexOf(target.name);
  if (needLabel && li < 0) throw new DataError(`${source}: has no column ${JSON.stringify(target.name)}, the label this model predicts; evaluating needs it`);
  const notes: string[] = [];
  let rows: Int32Array | undefined;
  if (needLabel) {
    const na = new Set(naValues);
    const col = table.columns[li]!;
    const keep = Int32Array.from({ length: table.rows }, (_, i) => i).filter((i) => !na.has(col[i]!));
    if (keep.length < table.rows) notes.push(`${table.rows - keep.length} row${table.rows - keep.length === 1 ? '' : 's'} without a label left out`);
    if (keep.length === 0) throw new DataError(`${source}: every row's label ${JSON.stringify(target.name)} is missing`);
    rows = keep;
  }
  const { X, rows: kept } = pipeline.transform(table, rows ? { rows } : {});
  let y: Int32Array | Float32Array | null = null;
  if (li >= 0 && needLabel) {
    const where = (i: number) => `${source}: line ${table.lines[kept[i]!]}, column ${li + 1} (${JSON.stringify(target.name)})`;
    y = target.encode(Array.from(kept, (i) => table.columns[li]![i]!), where);
  }
  return { X, y, source, notes };
}

function openMatrix(file: CliModelFile, dataSpec: string, o: Record<string, unknown>, needLabel: boolean): Omit<Opened, 'file' | 'model'> {
  if (file.input.kind !== 'matrix') throw new DataError('not a matrix model');
  const names = file.input.featureNames;
  const { header } = dialectFrom(o);
  const data = loadData(dataSpec, { labelsOptional: !needLabel, featureCount: names.length, ...(header !== undefined ? { header } : {}) });
  if (data.X.cols !== names.length) throw new DataError(`${data.source}: has ${data.X.cols} features, the model expects ${names.length}`);
  const scaler = scalerOf(file.input);
  const X = scaler ? scaler.transform(data.X) : data.X;
  const y = needLabel ? encodeLabels(data.y!, Target.fromJSON(file.target).classes, data.source) : null;
  return { X, y, source: data.source, notes: [] };
}

/** Reads <data> through the model file's preprocessing (a table's column pipeline, or a matrix's scaler). */
export function openData(file: CliModelFile, dataSpec: string, o: Record<string, unknown>, needLabel: boolean): Omit<Opened, 'file' | 'model'> {
  return file.input.kind === 'columns' ? openTable(file, dataSpec, o, needLabel) : openMatrix(file, dataSpec, o, needLabel);
}

async function open(modelPath: string | undefined, dataSpec: string | undefined, command: string, o: Record<string, unknown>, needLabel: boolean): Promise<Opened> {
  if (!modelPath || !dataSpec) throw new UsageError(`'simdnet ${command}' needs <model.json> <data>`);
  const file = readModelFile(modelPath);
  await ready(readyOptions(o));
  const opened = openData(file, dataSpec, o, needLabel);
  let model: TrainedModel;
  try {
    model = await restoreModel(file.kind, file.model, file.task);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // the model's own message may already say the file is corrupt: say it once
    const why = (e as Error).message.replace(/^model file is corrupt: /, '');
    throw new DataError(`${modelPath}: corrupt model: ${why}`);
  }
  return { file, model, ...opened };
}

export async function evaluate(io: Io, mode: Mode, args: string[], o: Record<string, unknown>): Promise<void> {
  const { file, model, X, y, source, notes } = await open(args[0], args[1], 'evaluate', o, true);
  const t0 = performance.now();
  const regression = file.task === 'regression';
  const target = Target.fromJSON(file.target);
  const pred = regression ? target.unscale(model.predictValues!(X)) : model.predictClasses(X);
  const sps = X.rows / Math.max(1e-9, (performance.now() - t0) / 1000);
  model.dispose();
  const scores = regression ? regressionScores(target.unscale(y!), pred) : score(y as Int32Array, pred as Int32Array, file.classNames);
  const info = backendInfo();
  if (mode === 'json') {
    io.out(JSON.stringify({ type: 'evaluation', task: file.task, data: source, model: file.kind, ...scores, samplesPerSec: sps, backend: info.backend, binary: info.binary, notes }) + '\n');
  } else if (mode === 'text') {
    for (const n of notes) io.err(`note: ${n}\n`);
    const on = `${file.kind} model on ${source}`;
    io.out(regression ? formatRegression(scores as ReturnType<typeof regressionScores>, on, target.name) + '\n' : formatScores(scores as ReturnType<typeof score>, on) + '\n');
    io.out(`speed: prediction ${rate(sps)} · backend ${info.backend}, binary ${info.binary}\n`);
  }
}

export async function predict(io: Io, args: string[], o: Record<string, unknown>): Promise<void> {
  if (o.out) assertWritable(resolve(String(o.out)), '--out');
  const { file, model, X } = await open(args[0], args[1], 'predict', o, false);
  const lines: string[] = [];
  if (file.task === 'regression') {
    if (o.proba) throw new UsageError('--proba: a regression model predicts values, not class probabilities');
    const values = Target.fromJSON(file.target).unscale(model.predictValues!(X));
    model.dispose();
    lines.push('prediction');
    for (const v of values) lines.push(String(Number(v.toPrecision(7))));
  } else {
    const pred = model.predictClasses(X);
    const P = o.proba ? model.predictProba?.(X) : undefined;
    if (o.proba && !P) throw new UsageError(`--proba: a ${file.kind} model gives no probabilities`);
    model.dispose();
    const names = file.classNames;
    lines.push(['prediction', ...(P ? names.map((n) => `p_${n}`) : [])].map(csvCell).join(','));
    // A binary model with one sigmoid output gives P(second class); its row is [1 − p, p].
    const cols = P ? (P.cols === 1 && names.length === 2 ? 2 : P.cols) : 0;
    if (P && cols !== names.length) throw new DataError(`${args[0]}: corrupt model file: the model gives ${P.cols} probabilities per row, the file names ${names.length} classes`);
    for (let i = 0; i < pred.length; i++) {
      const name = names[pred[i]!];
      if (name === undefined) throw new DataError(`${args[0]}: corrupt model file: the model predicted class ${pred[i]}, the file names ${names.length} classes`);
      const row = [csvCell(name)];
      if (P && P.cols === cols) for (let j = 0; j < cols; j++) row.push(String(Number(P.data[i * cols + j]!.toPrecision(6))));
      else if (P) row.push(String(Number((1 - P.data[i]!).toPrecision(6))), String(Number(P.data[i]!.toPrecision(6))));
      lines.push(row.join(','));
    }
  }
  const text = lines.join('\n') + '\n';
  if (o.out) {
    const path = resolve(String(o.out));
    writeFileAtomic(path, text, '--out');
    io.err(`wrote ${lines.length - 1} predictions to ${path}\n`);
  } else {
    io.out(text);
  }
}

export { STDIN_NAME };
