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
    Target.fromJSON(m.target);
    if (m.input.kind === 'columns') ColumnPipeline.fromJSON(m.input.pipeline);
    else if (m.input.kind !== 'matrix' || !Array.isArray(m.input.featureNames)) throw new Error('input must be { kind: "columns", pipeline } or { kind: "matrix", featureNames, scaler }');
  } catch (e) {
    throw new DataError(`${path}: corrupt model file: ${(e as Error).message}`);
  }
  return m as CliModelFile;
}

export function scalerOf(input: MatrixInput): StandardScaler | undefined {
  return input.scaler ? StandardScaler.fromJSON(input.scaler) : undefined;
}
