// `simdnet evaluate <model.json> <data>` and `simdnet predict <model.json> <data>`: apply a saved
// model (and its preprocessing) to raw data.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { backendInfo, ready } from '../backend.js';
import type { OptionSpec } from './args.js';
import { readyOptions, THREADS_OPTION, UsageError } from './args.js';
import { DataError, loadData, type LoadedData } from './data.js';
import { encodeLabels } from './encode.js';
import { readModelFile, scalerOf, type CliModelFile } from './modelfile.js';
import { restoreModel, type TrainedModel } from './models.js';
import { formatScores, rate, score, type Io, type Mode } from './output.js';

const COMMON: Record<string, OptionSpec> = {
  backend: { type: 'string', choices: ['wasm', 'js'], help: 'compute backend (default wasm when the host runs WASM SIMD)' },
  threads: THREADS_OPTION,
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};

export const EVALUATE_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'bool', help: 'print the scores as one JSON object' },
  quiet: { type: 'bool', help: 'print nothing but errors' },
  ...COMMON,
};

export const PREDICT_OPTIONS: Record<string, OptionSpec> = {
  proba: { type: 'bool', help: 'add one probability column per class' },
  out: { type: 'string', value: 'predictions.csv', help: 'write the predictions here (default: standard output)' },
  ...COMMON,
};

async function open(modelPath: string | undefined, dataSpec: string | undefined, command: string, o: Record<string, unknown>, labelsOptional: boolean):
  Promise<{ file: CliModelFile; data: LoadedData; model: TrainedModel }> {
  if (!modelPath || !dataSpec) throw new UsageError(`'simdnet ${command}' needs <model.json> <data>`);
  const file = readModelFile(modelPath);
  await ready(readyOptions(o));
  const data = loadData(dataSpec, { labelsOptional, featureCount: file.featureNames.length, label: file.dataKind === 'csv' ? file.labelColumn : undefined });
  if (data.X.cols !== file.featureNames.length) {
    throw new DataError(`${data.source}: has ${data.X.cols} features, the model in ${modelPath} expects ${file.featureNames.length}`);
  }
  let model: TrainedModel;
  try {
    model = await restoreModel(file.kind, file.model);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new DataError(`${modelPath}: corrupt model: ${(e as Error).message}`);
  }
  return { file, data, model };
}

export async function evaluate(io: Io, mode: Mode, args: string[], o: Record<string, unknown>): Promise<void> {
  const { file, data, model } = await open(args[0], args[1], 'evaluate', o, false);
  const y = encodeLabels(data.y!, file.classes, data.source);
  const scaler = scalerOf(file);
  const X = scaler ? scaler.transform(data.X) : data.X;
  const t0 = performance.now();
  const pred = model.predictClasses(X);
  const sps = data.X.rows / Math.max(1e-9, (performance.now() - t0) / 1000);
  model.dispose();
  const scores = score(y, pred, file.classNames);
  const info = backendInfo();
  if (mode === 'json') {
    io.out(JSON.stringify({ type: 'evaluation', data: data.source, model: file.kind, ...scores, samplesPerSec: sps, backend: info.backend, binary: info.binary }) + '\n');
  } else if (mode === 'text') {
    io.out(formatScores(scores, `${file.kind} model on ${data.source}`) + '\n');
    io.out(`speed: prediction ${rate(sps)} · backend ${info.backend}, binary ${info.binary}\n`);
  }
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function predict(io: Io, args: string[], o: Record<string, unknown>): Promise<void> {
  const { file, data, model } = await open(args[0], args[1], 'predict', o, true);
  const scaler = scalerOf(file);
  const X = scaler ? scaler.transform(data.X) : data.X;
  const pred = model.predictClasses(X);
  const P = o.proba ? model.predictProba?.(X) : undefined;
  if (o.proba && !P) throw new UsageError(`--proba: a ${file.kind} model gives no probabilities`);
  model.dispose();
  const names = file.classNames;
  const header = ['prediction', ...(P ? names.map((n) => `p_${n}`) : [])].map(csvCell).join(',');
  const lines = [header];
  for (let i = 0; i < pred.length; i++) {
    const row = [csvCell(names[pred[i]!]!)];
    if (P) for (let j = 0; j < P.cols; j++) row.push(String(Number(P.data[i * P.cols + j]!.toPrecision(6))));
    lines.push(row.join(','));
  }
  const text = lines.join('\n') + '\n';
  if (o.out) {
    const path = resolve(String(o.out));
    writeFileSync(path, text);
    io.err(`wrote ${pred.length} predictions to ${path}\n`);
  } else {
    io.out(text);
  }
}
