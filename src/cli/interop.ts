// `simdnet export <model.json> --format onnx|tfjs --out PATH` and `simdnet import <model.onnx |
// model.json> --out model.json`. Export takes a CLI model file (with its scaler and class names:
// raw rows in, class names out), a Sequential JSON or an estimator JSON. Import writes a CLI
// model file for a classifier (so `simdnet predict` runs it) or a Sequential JSON otherwise.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifierFromJSON, type Classifier } from '../estimators/base.js';
import { MLPRegressor } from '../estimators/mlp.js';
import { Sequential } from '../nn/sequential.js';
import { columnInputs, externalDataBeside, readONNX, saveONNX, saveTfjs, loadTfjs, type ExportableModel, type ToOnnxOptions } from '../interop/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { ColumnPipeline, PIPELINE_FORMAT, PIPELINE_VERSION, type PipelineJSON } from '../data/columns/pipeline.js';
import { DEFAULT_NA_VALUES } from '../data/dialect.js';
import { UsageError } from './args.js';
import { DataError } from './data.js';
import { CLI_MODEL_FORMAT, CLI_MODEL_VERSION, readModelFile, type CliModelFile } from './modelfile.js';
import type { Io } from './output.js';

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DataError(`${path}: not valid JSON`);
  }
}

interface Loaded { model: ExportableModel; options: ToOnnxOptions; sequential?: Sequential; what: string; preprocessing: boolean }

/** The ONNX options that carry a model file's preprocessing and target. */
function fileOptions(file: CliModelFile): ToOnnxOptions {
  const o: ToOnnxOptions = {};
  if (file.task === 'classification') o.classLabels = file.classNames;
  else if (file.target.task === 'regression') Object.assign(o, { targetScale: { center: file.target.center, scale: file.target.scale }, inputName: 'X', outputName: 'variable' });
  if (file.input.kind === 'matrix') {
    if (file.input.scaler) o.scaler = file.input.scaler;
    return o;
  }
  o.pipeline = file.input.pipeline;
  return o;
}

function loadAny(path: string): Loaded {
  const j = readJsonFile(path) as { format?: unknown; type?: unknown; model?: unknown };
  if (j?.format === CLI_MODEL_FORMAT) {
    const file = readModelFile(path);
    const options = fileOptions(file);
    const preprocessing = file.input.kind === 'columns' || !!file.input.scaler;
    const what = `${file.kind} model file (${file.task === 'classification' ? `${file.classNames.length} classes` : 'regression'}${preprocessing ? ', with its preprocessing' : ''})`;
    if (file.kind === 'mlp') {
      const s = Sequential.fromJSON(file.model);
      return { model: s, sequential: s, options, what, preprocessing };
    }
    return { model: classifierFromJSON(file.model), options, what, preprocessing };
  }
  if (j?.format === 'simdnet.sequential') {
    const s = Sequential.fromJSON(j);
    return { model: s, sequential: s, options: {}, what: 'Sequential model', preprocessing: false };
  }
  if (j?.format === 'simdnet.estimator') {
    const m: Classifier | MLPRegressor = j.type === 'MLPRegressor' ? MLPRegressor.fromJSON(j) : classifierFromJSON(j);
    return { model: m, options: {}, what: String(j.type), preprocessing: false, ...(m instanceof MLPRegressor ? { sequential: m.model } : {}) };
  }
  throw new DataError(`${path}: not a simdnet model (a model file from 'simdnet train --out', a Sequential JSON or an estimator JSON); its format is ${JSON.stringify(j?.format)}`);
}

/** The graph inputs of a column pipeline, for the user: name, type, shape and what they hold. */
function describeInputs(o: ToOnnxOptions): string {
  return columnInputs(o.pipeline!, o.inputName ?? 'X').map((l) => {
    if (l.kind === 'numeric') return `${l.input} float32 [batch, ${l.columns.length}] (${l.columns.map((c) => JSON.stringify(c)).join(', ')}; NaN = missing)`;
    if (l.kind === 'date') return `${l.input} float32 [batch, 6] (${JSON.stringify(l.column)} as ${l.parts.join(', ')}; NaN = missing)`;
    return `${l.input} string [batch, 1] (${JSON.stringify(l.column)}, ${l.kind}: the cell text)`;
  }).join('; ');
}

export async function exportModel(io: Io, args: string[], o: Record<string, unknown>): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError("'simdnet export' needs <model.json>");
  if (!o.format) throw new UsageError('--format is required: onnx or tfjs');
  if (!o.out) throw new UsageError('--out is required: the file (onnx) or directory (tfjs) to write');
  const out = resolve(String(o.out));
  const loaded = loadAny(path);
  try {
    if (o.format === 'onnx') {
      saveONNX(loaded.model, out, { ...loaded.options, ...(o.opset !== undefined ? { opset: o.opset as number } : {}) });
      io.err(`wrote ${loaded.what} as ONNX (opset ${(o.opset as number | undefined) ?? 17}) to ${out}\n`);
      if (loaded.options.pipeline) io.err(`inputs: ${describeInputs(loaded.options)}\n`);
      return;
    }
    if (!loaded.sequential) throw new UsageError(`--format tfjs: a ${loaded.what} is not a neural network; the TensorFlow.js Layers format holds Sequential models and MLPs (use --format onnx)`);
    if (loaded.preprocessing) throw new UsageError('--format tfjs: the TensorFlow.js Layers format has no layer for this model file\'s preprocessing (standardization, column pipeline); use --format onnx (which keeps it), or prepare rows yourself before the tfjs model');
    saveTfjs(loaded.sequential, out);
    io.err(`wrote ${loaded.what} as a TensorFlow.js Layers model to ${out}/model.json and ${out}/weights.bin\n`);
  } finally {
    (loaded.model as { dispose?: () => void }).dispose?.();
  }
}

/** A column pipeline of n numeric columns x1..xn used as they are (no imputation: a missing cell is an error; no scaling): an imported network's inputs. */
function numericPipeline(n: number): PipelineJSON {
  const names = Array.from({ length: n }, (_, k) => `x${k + 1}`);
  const json: PipelineJSON = {
    format: PIPELINE_FORMAT, version: PIPELINE_VERSION, dialect: { delimiter: ',', decimal: '.', naValues: [...DEFAULT_NA_VALUES] }, label: null, missing: 'drop',
    columns: names.map((name) => ({ name, type: 'numeric', fill: null, impute: 'median', indicator: false, center: 0, scale: 1, missingValues: [] })),
    features: names,
  };
  return ColumnPipeline.fromJSON(json).toJSON();
}

export async function importModel(io: Io, args: string[], o: Record<string, unknown>): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError("'simdnet import' needs <model.onnx> or a TensorFlow.js <model.json>");
  if (!o.out) throw new UsageError('--out is required: where to write the simdnet model');
  try { statSync(path); } catch { throw new DataError(`${path}: no such file`); }
  const isJson = readFileSync(path).subarray(0, 1)[0] === 0x7b; // '{'
  let model: Sequential;
  let classes: (string | number)[] | undefined;
  let source: string;
  if (isJson) {
    model = loadTfjs(path);
    source = 'TensorFlow.js Layers model';
  } else {
    const r = readONNX(readFileSync(path), { externalData: externalDataBeside(path), ...(o.output !== undefined ? { output: String(o.output) } : {}) });
    model = r.model;
    classes = r.classes;
    source = `ONNX model (${r.producer || 'unknown producer'}, opset ${r.opset})`;
  }
  try {
    const last = model.layers[model.layers.length - 1]!;
    const act = last.type === 'dense' ? last.activation : 'identity';
    const K = model.outputSize === 1 && act === 'sigmoid' ? 2 : model.outputSize;
    const classifier = !o.sequential && (act === 'softmax' || act === 'sigmoid' || classes !== undefined) && K >= 2 && (!classes || classes.length === K);
    const out = resolve(String(o.out));
    if (!classifier) {
      writeFileAtomic(out, JSON.stringify(model.toJSON()), '--out');
      io.err(`read a ${source}: ${model.summary().split('\n').length - 2} layers; wrote it as a Sequential JSON to ${out}\n`);
      return;
    }
    const labels = classes ?? Array.from({ length: K }, (_, k) => k);
    const file: CliModelFile = {
      format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, kind: 'mlp', task: 'classification',
      target: { task: 'classification', name: 'label', classes: labels },
      classNames: labels.map(String),
      input: { kind: 'columns', pipeline: numericPipeline(model.inputSize) },
      training: { importedFrom: path, source },
      model: model.toJSON(),
    };
    writeFileAtomic(out, JSON.stringify(file), '--out');
    io.err(`read a ${source}: a classifier of ${K} classes (${labels.slice(0, 10).join(', ')}${K > 10 ? ', ...' : ''}); wrote a model file to ${out} ('simdnet predict ${o.out} data.csv' runs it)\n`);
  } finally {
    model.dispose();
  }
}
