// The options of `simdnet train`, and how they become model settings, column pipeline options,
// the CSV dialect and the class weights.

import { COLUMN_TYPES, type ColumnType } from '../data/columns/infer.js';
import { IMPUTERS, SCALERS, type Scaler } from '../data/columns/fitting.js';
import type { PipelineOptions } from '../data/columns/pipeline.js';
import type { Task } from '../data/columns/target.js';
import type { DialectOptions } from '../data/dialect.js';
import { HIDDEN_ACTIVATIONS, type ActivationName } from '../nn/activations.js';
import { OPTIMIZERS, type OptimizerName } from '../train/optimizers.js';
import { THREADS_OPTION, UsageError, type OptionSpec } from './args.js';
import type { ModelKind } from './modelfile.js';
import type { TrainSettings } from './models.js';

/** Whether a CSV's first row names the columns. */
export const HEADER_OPTION: OptionSpec = { type: 'string', choices: ['yes', 'no', 'auto'], help: "whether the first row names the columns (default auto: text above numbers says yes, numbers above numbers no; a tie is an error asking for this)" };

/** Options that say how a CSV is read: shared by train, evaluate and predict. */
export const DIALECT_OPTIONS: Record<string, OptionSpec> = {
  delimiter: { type: 'string', value: 'C', help: "CSV field delimiter: one character, tab, or 'auto' (default: sniffed among , ; tab |)" },
  decimal: { type: 'string', choices: ['.', ',', 'auto'], help: "decimal mark (default 'auto': a comma where the delimiter is not a comma and numbers read 3,14)" },
  na: { type: 'string', value: 'LIST', help: 'cells that mean missing, comma-separated (default: empty, NA, N/A, n/a, NaN, nan, null, NULL, Null, None, ?, #N/A)' },
  header: HEADER_OPTION,
};

/** Options of the commands that read data for a saved model (evaluate, predict, quantize): the model brings its NA spellings. */
export const MODEL_DATA_OPTIONS: Record<string, OptionSpec> = {
  delimiter: { type: 'string', value: 'C', help: "CSV field delimiter: one character, tab, or 'auto' (default: sniffed)" },
  decimal: { type: 'string', choices: ['.', ',', 'auto'], help: "decimal mark (default 'auto'); missing-value spellings come from the model" },
  header: HEADER_OPTION,
  backend: { type: 'string', choices: ['wasm', 'js'], help: 'compute backend (default wasm when the host runs WASM SIMD)' },
  threads: THREADS_OPTION,
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};

export const TRAIN_OPTIONS: Record<string, OptionSpec> = {
  label: { type: 'string', value: 'COL', help: 'CSV label column: a header name or a 0-based index (default: the last column)' },
  task: { type: 'string', choices: ['classification', 'regression'], help: 'default: inferred from the label (text or ≤ 20 distinct integers: classification), and said' },
  model: { type: 'string', choices: ['mlp', 'softmax', 'logistic', 'perceptron'], help: 'model kind (default mlp; regression: mlp)' },
  strategy: { type: 'string', choices: ['ovr', 'ovo'], help: 'multiclass strategy for logistic/perceptron (default ovr)' },
  hidden: { type: 'list', value: '64,32', help: "hidden layer sizes of the MLP (default 64; 'none' for no hidden layer)" },
  activation: { type: 'string', choices: HIDDEN_ACTIVATIONS, value: 'NAME', help: 'hidden activation (default relu)' },
  optimizer: { type: 'string', choices: OPTIMIZERS, help: 'optimizer (default adam)' },
  lr: { type: 'number', min: 1e-12, value: 'RATE', help: "learning rate (default: the optimizer's, 0.001 for adam)" },
  epochs: { type: 'int', min: 1, value: 'N', help: 'training epochs (default 50)' },
  'batch-size': { type: 'int', min: 1, value: 'N', help: 'mini-batch size (default 32)' },
  'early-stopping': { type: 'int', min: 0, value: 'N', help: 'stop after N epochs without a better validation loss (the training loss with --validation-split 0) and keep the best epoch\'s weights (mlp; streamed tables too)' },
  l2: { type: 'number', min: 0, value: 'λ', help: 'L2 penalty on the weights (default 0)' },
  dropout: { type: 'number', min: 0, below: 1, value: 'RATE', help: 'dropout after each hidden layer (default 0)' },
  'batch-norm': { type: 'bool', help: 'batch normalization after each hidden layer' },
  'class-weight': { type: 'string', value: 'balanced|C=W,...', help: "weigh the loss by class: 'balanced' (n / (k·n_c)) or explicit weights (others 1)" },
  'validation-split': { type: 'number', min: 0, below: 1, value: 'F', help: 'fraction of the training part held out for validation (default 0.2)' },
  'test-split': { type: 'number', min: 0, below: 1, value: 'F', help: 'fraction held out for the final test (default 0.25; 0: score on the training data)' },
  'test-data': { type: 'string', value: 'FILE', help: 'score on this file instead of a held-out part (all of <data> trains)' },
  scale: { type: 'string', choices: SCALERS, help: 'numeric columns: standard (default for every model here: they are trained by gradient steps), minmax, none' },
  standardize: { type: 'bool', help: 'same as --scale standard (the default)' },
  drop: { type: 'string', value: 'COLS', help: 'columns not to use, comma-separated' },
  features: { type: 'string', value: 'COLS', help: 'use only these columns, comma-separated' },
  types: { type: 'string', value: 'COL=TYPE,...', help: `column types instead of the inferred ones (${COLUMN_TYPES.join(', ')})` },
  impute: { type: 'string', choices: IMPUTERS, help: 'missing numbers and date parts (default median)' },
  'fill-value': { type: 'number', value: 'X', help: 'the value of --impute constant (default 0)' },
  missing: { type: 'string', choices: ['impute', 'drop'], help: "missing cells: impute (default), or drop the training rows that have one" },
  'no-indicator': { type: 'bool', help: 'no 0/1 "missing" column beside imputed columns' },
  'categorical-missing': { type: 'string', choices: ['category', 'most-frequent'], help: 'a missing category: its own one-hot column (default) or the most frequent category' },
  unknown: { type: 'string', choices: ['ignore', 'error'], help: 'a category not seen in training, later: ignore (default: all its columns 0) or error' },
  'max-categories': { type: 'int', min: 2, value: 'N', help: 'one-hot columns per categorical column at most, "(other)" included (default 50)' },
  stream: { type: 'bool', help: 'read the table as a stream, never whole (automatic for files over 256 MB): the pipeline is fitted in one pass, each epoch is a pass' },
  'shuffle-buffer': { type: 'int', min: 0, value: 'N', help: 'rows held to shuffle a streamed table (default 8192; 0: file order)' },
  ...DIALECT_OPTIONS,
  seed: { type: 'int', min: 0, value: 'N', help: 'seed for the split, the initialization and shuffling (default 1)' },
  backend: { type: 'string', choices: ['wasm', 'js'], help: 'compute backend (default wasm when the host runs WASM SIMD)' },
  threads: THREADS_OPTION,
  out: { type: 'string', value: 'model.json', help: 'save the trained model (with its preprocessing) here' },
  checkpoint: { type: 'string', value: 'FILE', help: 'write the whole training state here (atomically) every --checkpoint-every epochs, for --resume (mlp)' },
  'checkpoint-every': { type: 'int', min: 1, value: 'N', help: 'epochs between checkpoints (default 1; the last epoch always writes)' },
  resume: { type: 'string', value: 'FILE', help: 'continue the run this checkpoint holds: the same command with --resume ends exactly as the uninterrupted run' },
  report: { type: 'string', value: 'report.html', help: 'write the HTML training report here' },
  trajectory: { type: 'bool', help: "with --report: record the parameters' path (a snapshot per epoch, at most 256) and plot it over the loss-surface slice of its first two principal components (mlp, in-memory)" },
  json: { type: 'bool', help: 'print JSON lines: one per epoch, then a summary' },
  quiet: { type: 'bool', help: 'print nothing but errors' },
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};

/** A comma-separated list (or a JSON array, for names holding commas). */
export function nameList(raw: unknown, option: string): string[] {
  const s = String(raw).trim();
  if (s.startsWith('[')) {
    try {
      const v = JSON.parse(s) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch { /* fall through to the message */ }
    throw new UsageError(`--${option} expects names separated by commas or a JSON array of strings, got ${s}`);
  }
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

const DELIMITER_NAMES: ReadonlyMap<string, string> = new Map([['tab', '\t'], ['\\t', '\t'], ['comma', ','], ['semicolon', ';'], ['pipe', '|'], ['space', ' '], ['auto', 'auto']]);

export function dialectFrom(o: Record<string, unknown>): DialectOptions & { header?: boolean | 'auto' } {
  const d: DialectOptions & { header?: boolean | 'auto' } = {};
  if (o.header !== undefined) d.header = o.header === 'yes' ? true : o.header === 'no' ? false : 'auto';
  if (o.delimiter !== undefined) {
    const raw = String(o.delimiter);
    const v = DELIMITER_NAMES.get(raw) ?? raw;
    if (v !== 'auto' && v.length !== 1) throw new UsageError(`--delimiter expects one character, tab or auto, got ${JSON.stringify(raw)}`);
    d.delimiter = v;
  }
  if (o.decimal !== undefined) d.decimal = String(o.decimal);
  if (o.na !== undefined) d.naValues = String(o.na).split(',').map((x) => x.trim());
  return d;
}

export function pipelineFrom(o: Record<string, unknown>, label: string | null): PipelineOptions {
  if (o.standardize && o.scale !== undefined && o.scale !== 'standard') throw new UsageError(`--standardize and --scale ${String(o.scale)} contradict each other`);
  const p: PipelineOptions = { label, scale: (o.scale as Scaler | undefined) ?? 'standard' };
  if (o.drop !== undefined) p.drop = nameList(o.drop, 'drop');
  if (o.features !== undefined) p.features = nameList(o.features, 'features');
  if (o.types !== undefined) {
    const types: Record<string, ColumnType> = Object.create(null) as Record<string, ColumnType>;
    for (const item of nameList(o.types, 'types')) {
      const eq = item.lastIndexOf('=');
      const t = item.slice(eq + 1).trim();
      if (eq <= 0 || !(COLUMN_TYPES as readonly string[]).includes(t)) throw new UsageError(`--types expects COLUMN=TYPE items with TYPE one of ${COLUMN_TYPES.join(', ')}, got ${JSON.stringify(item)}`);
      types[item.slice(0, eq).trim()] = t as ColumnType;
    }
    p.types = types;
  }
  if (o.impute !== undefined) p.impute = o.impute as PipelineOptions['impute'];
  if (o['fill-value'] !== undefined) {
    if (o.impute !== 'constant') throw new UsageError('--fill-value goes with --impute constant');
    p.fillValue = o['fill-value'] as number;
  }
  if (o.missing !== undefined) p.missing = o.missing as 'impute' | 'drop';
  if (o['no-indicator']) p.missingIndicator = false;
  if (o['categorical-missing'] !== undefined) p.categoricalMissing = o['categorical-missing'] as 'category' | 'most-frequent';
  if (o.unknown !== undefined) p.unknown = o.unknown as 'ignore' | 'error';
  if (o['max-categories'] !== undefined) p.maxCategories = o['max-categories'] as number;
  return p;
}

/** --class-weight: 'balanced', or class=weight pairs. */
export function classWeightFrom(o: Record<string, unknown>): 'balanced' | Map<string, number> | undefined {
  if (o['class-weight'] === undefined) return undefined;
  const raw = String(o['class-weight']).trim();
  if (raw === 'balanced') return 'balanced';
  const m = new Map<string, number>();
  for (const item of nameList(raw, 'class-weight')) {
    const eq = item.lastIndexOf('=');
    const w = Number(item.slice(eq + 1));
    if (eq <= 0 || !Number.isFinite(w) || w < 0) throw new UsageError(`--class-weight expects 'balanced' or CLASS=WEIGHT items with weights ≥ 0, got ${JSON.stringify(item)}`);
    m.set(item.slice(0, eq).trim(), w);
  }
  return m;
}

export function taskFrom(o: Record<string, unknown>): Task | 'auto' {
  return (o.task as Task | undefined) ?? 'auto';
}

export function settingsFrom(o: Record<string, unknown>): TrainSettings {
  const kind = (o.model as ModelKind | undefined) ?? 'mlp';
  if (o.strategy !== undefined && kind === 'mlp') throw new UsageError('--strategy applies to --model logistic or perceptron (an MLP is multiclass by itself)');
  return {
    kind,
    strategy: o.strategy as 'ovr' | 'ovo' | undefined,
    hidden: (o.hidden as number[] | undefined) ?? [64],
    activation: (o.activation as ActivationName | undefined) ?? 'relu',
    optimizer: (o.optimizer as OptimizerName | undefined) ?? 'adam',
    lr: o.lr as number | undefined,
    epochs: (o.epochs as number | undefined) ?? 50,
    batchSize: (o['batch-size'] as number | undefined) ?? 32,
    l2: (o.l2 as number | undefined) ?? 0,
    dropout: (o.dropout as number | undefined) ?? 0,
    batchNorm: Boolean(o['batch-norm']),
    validationSplit: (o['validation-split'] as number | undefined) ?? 0.2,
    ...(o['early-stopping'] !== undefined ? { earlyStopping: o['early-stopping'] as number } : {}),
    seed: (o.seed as number | undefined) ?? 1,
  };
}
