// `simdnet train <data>`: load, split, (standardize), train, evaluate on the held-out part, and
// optionally save the model (with its preprocessing) and write the HTML report.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { backendInfo, ready } from '../backend.js';
import { takeRows, type Matrix } from '../data/matrix.js';
import { StandardScaler } from '../data/scalers.js';
import { trainTestSplit } from '../data/split.js';
import { ACTIVATIONS, type ActivationName } from '../nn/activations.js';
import { trainingReport } from '../report/report.js';
import type { OptimizerName } from '../train/optimizers.js';
import { trainingThroughput } from '../train/progress.js';
import type { OptionSpec } from './args.js';
import { readyOptions, THREADS_OPTION, UsageError } from './args.js';
import { loadData } from './data.js';
import { classesOf, encodeLabels } from './encode.js';
import { CLI_MODEL_FORMAT, CLI_MODEL_VERSION, type CliModelFile, type ModelKind } from './modelfile.js';
import { trainModel, type TrainSettings } from './models.js';
import { formatScores, Progress, rate, score, type Io, type Mode } from './output.js';

export const TRAIN_OPTIONS: Record<string, OptionSpec> = {
  label: { type: 'string', value: 'COL', help: 'CSV label column: a header name or a 0-based index (default: the last column)' },
  model: { type: 'string', choices: ['mlp', 'softmax', 'logistic', 'perceptron'], help: 'model kind (default mlp)' },
  strategy: { type: 'string', choices: ['ovr', 'ovo'], help: 'multiclass strategy for logistic/perceptron (default ovr)' },
  hidden: { type: 'list', value: '64,32', help: "hidden layer sizes of the MLP (default 64; 'none' for no hidden layer)" },
  activation: { type: 'string', choices: ACTIVATIONS.filter((a) => a !== 'softmax' && a !== 'step'), value: 'NAME', help: 'hidden activation (default relu)' },
  optimizer: { type: 'string', choices: ['adam', 'sgd', 'momentum', 'nesterov', 'rmsprop', 'adamw', 'adagrad'], help: 'optimizer (default adam)' },
  lr: { type: 'number', min: 1e-12, value: 'RATE', help: "learning rate (default: the optimizer's, 0.001 for adam)" },
  epochs: { type: 'int', min: 1, value: 'N', help: 'training epochs (default 50)' },
  'batch-size': { type: 'int', min: 1, value: 'N', help: 'mini-batch size (default 32)' },
  l2: { type: 'number', min: 0, value: 'λ', help: 'L2 penalty on the weights (default 0)' },
  dropout: { type: 'number', min: 0, below: 1, value: 'RATE', help: 'dropout after each hidden layer (default 0)' },
  'batch-norm': { type: 'bool', help: 'batch normalization after each hidden layer' },
  'validation-split': { type: 'number', min: 0, below: 1, value: 'F', help: 'fraction of the training part held out for validation (default 0.2)' },
  'test-split': { type: 'number', min: 0, below: 1, value: 'F', help: 'fraction held out for the final test (default 0.25; 0: score on the training data)' },
  standardize: { type: 'bool', help: 'scale features to zero mean and unit variance (fitted on the training part)' },
  seed: { type: 'int', min: 0, value: 'N', help: 'seed for the split, the initialization and shuffling (default 1)' },
  backend: { type: 'string', choices: ['wasm', 'js'], help: 'compute backend (default wasm when the host runs WASM SIMD)' },
  threads: THREADS_OPTION,
  out: { type: 'string', value: 'model.json', help: 'save the trained model (with its preprocessing) here' },
  report: { type: 'string', value: 'report.html', help: 'write the HTML training report here' },
  json: { type: 'bool', help: 'print JSON lines: one per epoch, then a summary' },
  quiet: { type: 'bool', help: 'print nothing but errors' },
  debug: { type: 'bool', help: 'show stack traces on errors' },
  help: { type: 'bool', help: 'show this help' },
};

function settingsFrom(o: Record<string, unknown>): TrainSettings {
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
    seed: (o.seed as number | undefined) ?? 1,
  };
}

export async function train(io: Io, mode: Mode, dataSpec: string | undefined, o: Record<string, unknown>): Promise<void> {
  if (!dataSpec) throw new UsageError("'simdnet train' needs <data>: a CSV file, an IDX images file, or iris / digits");
  const s = settingsFrom(o);
  const testSplit = (o['test-split'] as number | undefined) ?? 0.25;
  await ready(readyOptions(o));
  const info = backendInfo();
  const say = (line: string) => { if (mode === 'text') io.err(line + '\n'); };

  const data = loadData(dataSpec, { label: o.label as string | undefined });
  const { classes, classNames } = classesOf(data);
  const codes = encodeLabels(data.y!, classes, data.source);
  let XTrain: Matrix = data.X;
  let yTrain = codes;
  let XTest: Matrix = data.X;
  let yTest = codes;
  if (testSplit > 0) {
    const sp = trainTestSplit(data.X, codes, { testSize: testSplit, stratify: classes.length <= data.X.rows * testSplit, seed: s.seed });
    ({ XTrain, XTest, yTrain, yTest } = sp);
  }
  const scaler = o.standardize ? new StandardScaler().fit(XTrain) : undefined;
  const XTrainIn = scaler ? scaler.transform(XTrain) : XTrain;
  const XTestIn = scaler ? scaler.transform(XTest) : XTest;

  const nFit = Math.round(XTrain.rows * (1 - s.validationSplit));
  say(`simdnet train · ${data.source}: ${data.X.rows} samples × ${data.X.cols} features, ${classes.length} classes`);
  say(`split: ${XTrain.rows} train${s.validationSplit > 0 ? ` (${XTrain.rows - nFit} of them for validation)` : ''}, ${testSplit > 0 ? `${XTest.rows} test` : 'no test part (scores on the training data)'}${scaler ? ' · standardized' : ''}`);
  const arch = s.kind === 'mlp' ? `mlp ${[data.X.cols, ...s.hidden, classes.length].join('-')} ${s.activation}${s.dropout ? ` dropout ${s.dropout}` : ''}${s.batchNorm ? ' batch-norm' : ''} · ${s.optimizer}${s.lr !== undefined ? ` lr ${s.lr}` : ''}` : `${s.kind}${s.strategy ? ` (${s.strategy})` : ''}`;
  say(`model: ${arch} · ${s.epochs} epochs, batch ${s.batchSize} · seed ${s.seed} · backend ${info.backend} (${info.binary})`);

  const progress = new Progress(io, mode, s.epochs, Math.ceil(Math.max(1, nFit) / s.batchSize));
  const t0 = performance.now();
  const { model, history } = await trainModel(s, XTrainIn, yTrain, classes.length, {
    callbacks: { onEpochEnd: progress.onEpochEnd, onBatchEnd: progress.onBatchEnd },
    diagnostics: Boolean(o.report),
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  // With a history: samples over the epochs' own time (validation included), the figure the report prints.
  const trainRate = history ? trainingThroughput(history) : (nFit * s.epochs) / trainSeconds;
  const t1 = performance.now();
  const pred = model.predictClasses(XTestIn);
  const predictRate = XTest.rows / Math.max(1e-9, (performance.now() - t1) / 1000);
  const scores = score(yTest, pred, classNames);
  const on = testSplit > 0 ? 'test set' : 'training set';

  let outPath: string | undefined;
  if (o.out) {
    const file: CliModelFile = {
      format: CLI_MODEL_FORMAT,
      version: CLI_MODEL_VERSION,
      kind: s.kind,
      ...(s.strategy ? { strategy: s.strategy } : {}),
      classes,
      classNames,
      featureNames: data.featureNames,
      labelName: data.labelName,
      ...(o.label !== undefined ? { labelColumn: o.label as string } : {}),
      dataKind: data.kind,
      scaler: scaler ? scaler.toJSON() : null,
      training: { data: data.source, ...s, testSplit, standardize: Boolean(scaler), seconds: trainSeconds, testAccuracy: scores.accuracy, backend: info.backend, binary: info.binary },
      model: model.toJSON(),
    };
    outPath = resolve(String(o.out));
    writeFileSync(outPath, JSON.stringify(file));
  }
  let reportPath: string | undefined;
  if (o.report) {
    const twoD = data.X.cols === 2;
    const html = trainingReport({
      title: `simdnet · ${data.source}`,
      history,
      model: model.describe(),
      evaluation: { yTrue: yTest, yPred: pred, classNames, on: `${on}, ${XTest.rows} samples` },
      decision: twoD ? {
        X: XTrain, y: yTrain, featureNames: data.featureNames, classNames,
        predict: (g) => model.predictClasses(scaler ? scaler.transform(g) : g),
      } : undefined,
      backend: info,
      trainingTime: trainSeconds,
      info: {
        data: `${data.source} (${data.X.rows} × ${data.X.cols}, ${classes.length} classes)`,
        split: `${XTrain.rows} train (validation ${s.validationSplit}), ${testSplit > 0 ? `${XTest.rows} test` : 'no test part'}`,
        preprocessing: scaler ? 'standardized (fitted on the training part)' : 'none',
        'batch size': s.batchSize,
      },
    });
    reportPath = resolve(String(o.report));
    writeFileSync(reportPath, html);
  }
  model.dispose();

  if (mode === 'json') {
    io.out(JSON.stringify({
      type: 'summary', data: data.source, model: s.kind, on, ...scores,
      epochs: history ? history.epoch.length : s.epochs, trainSeconds, samplesPerSec: trainRate, predictSamplesPerSec: predictRate,
      backend: info.backend, binary: info.binary, modelPath: outPath ?? null, reportPath: reportPath ?? null,
    }) + '\n');
  } else if (mode === 'text') {
    say('');
    io.out(formatScores(scores, on) + '\n');
    io.out(`speed: training ${rate(trainRate)}, prediction ${rate(predictRate)} · ${trainSeconds.toFixed(2)} s · backend ${info.backend}, binary ${info.binary}, ${info.threadCount} thread${info.threadCount === 1 ? "" : "s"}\n`);
    if (outPath) say(`model saved to ${outPath}`);
    if (reportPath) say(`report written to ${reportPath}`);
  }
}
