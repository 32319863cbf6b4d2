// The CLI's model file: the trained model plus everything it takes to use it on raw data, so
// `evaluate` and `predict` need nothing else. Plain JSON, documented in docs/cli.md:
//   input: { kind: 'columns', pipeline }  a CSV's column pipeline (columns matched by name), or
//          { kind: 'matrix', ... }        a bundled set or IDX images (columns by position, a scaler);
//   target: what the outputs mean (classes, or the scale of a regression target).

import { readFileSync } from 'node:fs';
import { ColumnPipeline, type PipelineJSON } from '../data/columns/pipeline.js';
import { Target, type TargetJSON } from '../data/columns/target.js';
import { StandardScaler, type StandardScalerJSON } from '../data/scalers.js';
import type { SequentialJSON } from '../nn/serialize.js';
import { DataError } from './data.js';
import { ModelFormatError } from '../errors.js';

export const CLI_MODEL_FORMAT = 'simdnet.cli-model';
export const CLI_MODEL_VERSION = 2;

export type ModelKind = 'mlp' | 'softmax' | 'logistic' | 'perceptron';

export interface ColumnsInput {
  kind: 'columns';
  pipeline: PipelineJSON;
}

export interface MatrixInput {
  kind: 'matrix';
  /** Where the training data came from: a bundled set or IDX images. */
  dataKind: 'bundled' | 'idx';
  featureNames: string[];
  scaler: StandardScalerJSON | null;
}

export interface CliModelFile {
  format: typeof CLI_MODEL_FORMAT;
  version: number;
  kind: ModelKind;
  strategy?: 'ovr' | 'ovo';
  task: 'classification' | 'regression';
  target: TargetJSON;
  /** Display names of classes 0..k−1 (classification). */
  classNames: string[];
  input: ColumnsInput | MatrixInput;
  /** The settings and figures of the training run, for people reading the file. */
  training: Record<string, unknown>;
  /** Sequential JSON (mlp) or the estimator's toJSON(). */
  model: SequentialJSON | unknown;
}

export function readModelFile(path: string): CliModelFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `${path}: no such model file` : `${path}: cannot read the model file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataError(`${path}: not a model file (not valid JSON)`);
  }
  const m = json as Partial<CliModelFile>;
  if (!m || typeof m !== 'object' || m.format !== CLI_MODEL_FORMAT) {
    throw new DataError(`${path}: not a simdnet model file written by 'simdnet train --out' (format is ${JSON.stringify(m?.format)}, expected ${JSON.stringify(CLI_MODEL_FORMAT)})`);
  }
  if (m.version !== CLI_MODEL_VERSION) {
    throw new DataError(`${path}: model file version ${m.version}, this simdnet reads version ${CLI_MODEL_VERSION}${m.version === 1 ? ' (version 1 files matched columns by position; train the model again)' : ''}`);
  }
  if (!m.input || typeof m.input !== 'object' || !Array.isArray(m.classNames) || m.model === undefined || (m.task !== 'classification' && m.task !== 'regression')) {
    throw new DataError(`${path}: corrupt model file (task, target, classNames, input or model missing)`);
  }
  try {
    const target = Target.fromJSON(m.target);
    if (m.input.kind === 'columns') ColumnPipeline.fromJSON(m.input.pipeline);
    else if (m.input.kind !== 'matrix' || !Array.isArray(m.input.featureNames)) throw new ModelFormatError('input must be { kind: "columns", pipeline } or { kind: "matrix", featureNames, scaler }');
    if (m.task === 'classification') checkClassNames(m.classNames, target.classes.length, m.kind, m.model);
  } catch (e) {
    throw new DataError(`${path}: corrupt model file: ${(e as Error).message}`);
  }
  return m as CliModelFile;
}

/** Number of classes a model entry predicts, read from its JSON (undefined when it does not say: restoring it will). */
function modelClasses(kind: unknown, model: unknown): number | undefined {
  const j = model as { layers?: unknown; classes?: unknown } | null;
  if (!j || typeof j !== 'object') return undefined;
  if (kind === 'mlp') {
    const last = Array.isArray(j.layers) ? (j.layers[j.layers.length - 1] as { units?: unknown } | undefined) : undefined;
    return typeof last?.units === 'number' ? (last.units === 1 ? 2 : last.units) : undefined;
  }
  if (!Array.isArray(j.classes)) return undefined;
  // the CLI fits estimators on encoded labels: their classes are the indices into classNames
  const bad = j.classes.findIndex((c, i) => c !== i);
  if (bad >= 0) throw new ModelFormatError(`model.classes[${bad}] is ${JSON.stringify(j.classes[bad]) ?? typeof j.classes[bad]}, expected the class index ${bad} (classes 0..${j.classes.length - 1})`);
  return j.classes.length;
}

/** classNames name the classes the model predicts, one distinct string each: predictions and probability columns are labelled with them. */
function checkClassNames(names: unknown[], targetClasses: number, kind: unknown, model: unknown): void {
  const bad = names.findIndex((n) => typeof n !== 'string');
  if (bad >= 0) throw new ModelFormatError(`classNames[${bad}] is ${JSON.stringify(names[bad]) ?? typeof names[bad]}, expected a string`);
  const seen = new Set<unknown>();
  for (const n of names) {
    if (seen.has(n)) throw new ModelFormatError(`classNames lists ${JSON.stringify(n)} twice`);
    seen.add(n);
  }
  if (names.length !== targetClasses) throw new ModelFormatError(`classNames has ${names.length} names, the target ${targetClasses} classes`);
  const predicted = modelClasses(kind, model);
  if (predicted !== undefined && predicted !== names.length) throw new ModelFormatError(`classNames has ${names.length} names, the model predicts ${predicted} classes`);
}

export function scalerOf(input: MatrixInput): StandardScaler | undefined {
  return input.scaler ? StandardScaler.fromJSON(input.scaler) : undefined;
}
