// The CLI's model file: the trained model plus what it takes to use it on raw data (the scaler,
// the classes and their names, the feature names, where the labels were) so `evaluate` and
// `predict` need nothing else.

import { readFileSync } from 'node:fs';
import type { Label } from '../data/labels.js';
import { StandardScaler, type StandardScalerJSON } from '../data/scalers.js';
import type { SequentialJSON } from '../nn/serialize.js';
import { DataError, type DataKind } from './data.js';

export const CLI_MODEL_FORMAT = 'simdnet.cli-model';
export const CLI_MODEL_VERSION = 1;

export type ModelKind = 'mlp' | 'softmax' | 'logistic' | 'perceptron';

export interface CliModelFile {
  format: typeof CLI_MODEL_FORMAT;
  version: number;
  kind: ModelKind;
  strategy?: 'ovr' | 'ovo';
  /** The label values of classes 0..k−1, as found in the data. */
  classes: Label[];
  /** Display names of classes 0..k−1. */
  classNames: string[];
  featureNames: string[];
  labelName: string | null;
  /** --label as given at training (CSV), so evaluate finds the same column. */
  labelColumn?: string;
  dataKind: DataKind;
  scaler: StandardScalerJSON | null;
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
  if (m.version !== CLI_MODEL_VERSION) throw new DataError(`${path}: model file version ${m.version}, this simdnet reads version ${CLI_MODEL_VERSION}`);
  if (!Array.isArray(m.classes) || !Array.isArray(m.classNames) || !Array.isArray(m.featureNames) || m.model === undefined) {
    throw new DataError(`${path}: corrupt model file (classes, classNames, featureNames or model missing)`);
  }
  return m as CliModelFile;
}

export function scalerOf(file: CliModelFile): StandardScaler | undefined {
  return file.scaler ? StandardScaler.fromJSON(file.scaler) : undefined;
}
