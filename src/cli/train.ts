// `simdnet train <data>`: read (a table through its column pipeline, or a bundled set / IDX
// matrix), split, train a classifier or a regressor, score it on the held-out part, and optionally
// save the model (with its preprocessing) and write the HTML report. Every choice made on the
// user's behalf (task, column types, dropped rows) is printed as a note.

import { resolve } from 'node:path';
import { backendInfo, ready } from '../backend.js';
import { ColumnPipeline } from '../data/columns/pipeline.js';
import { classWeights } from '../data/weights.js';
import { trainingReport } from '../report/report.js';
import { readCheckpoint } from '../train/checkpoint.js';
import { trainingThroughput } from '../train/progress.js';
import { readyOptions, UsageError } from './args.js';
import { isMatrixSpec, loadData, loadTable } from './data.js';
import { assertWritable, writeFileAtomic } from '../io/atomic.js';
import { CLI_MODEL_FORMAT, CLI_MODEL_VERSION, type CliModelFile } from './modelfile.js';
import { trainModel } from './models.js';
import { formatScores, Progress, rate, score, type Io, type Mode } from './output.js';
import { prepareMatrixData, prepareTableData, type PreparedData } from './prepare.js';
import { trainStream, wantsStream } from './stream.js';
import { formatRegression, regressionScores } from './scores.js';
import { classWeightFrom, dialectFrom, pipelineFrom, settingsFrom, taskFrom } from './train-options.js';

export { TRAIN_OPTIONS } from './train-options.js';

function weightsFor(o: Record<string, unknown>, prep: PreparedData): { weights?: Float64Array; note?: string } {
  const spec = classWeightFrom(o);
  if (!spec) return {};
  if (prep.task === 'regression') throw new UsageError('--class-weight applies to classification; this is regression');
  const given = spec === 'balanced' ? 'balanced' : Object.fromEntries(spec);
  const weights = classWeights(prep.yTrain, prep.classNames.length, given, '--class-weight', prep.classNames);
  const shown = prep.classNames.slice(0, 8).map((n, c) => `${n} ${Number(weights[c]!.toPrecision(3))}`).join(', ');
  return { weights, note: `class weights (${spec === 'balanced' ? 'balanced' : 'as given'}): ${shown}${prep.classNames.length > 8 ? ', ...' : ''}` };
}

/** The columns and how each is read: one line each, or a summary by type for wide tables. */
export function columnLines(pipeline: ColumnPipeline, label: string): string {
  const cols = pipeline.describe();
  const width = Math.min(28, Math.max(...cols.map((c) => c.name.length), label.length) + 2);
  const line = (name: string, text: string) => `  ${name.length > width - 2 ? name.slice(0, width - 3) + '…' : name.padEnd(width)}${text}\n`;
  let out = 'columns:\n' + line(label, 'label');
  const shown = cols.length <= 40 ? cols : cols.filter((c) => c.type !== 'numeric').slice(0, 20);
  for (const c of shown) out += line(c.name, `${c.reason}${c.outputs > 1 ? ` → ${c.outputs} features` : ''}`);
  if (shown.length < cols.length) {
    const counts = new Map<string, number>();
    for (const c of cols) counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
    out += `  ... ${cols.length} columns in all: ${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}\n`;
  }
  return out;
}

/** --checkpoint FILE [--checkpoint-every N] as fit's checkpoint option. */
function checkpointing(o: Record<string, unknown>): { checkpoint?: { path: string; every: number } } {
  return o.checkpoint ? { checkpoint: { path: resolve(String(o.checkpoint)), every: (o['checkpoint-every'] as number | undefined) ?? 1 } } : {};
}

export async function train(io: Io, mode: Mode, dataSpec: string | undefined, o: Record<string, unknown>): Promise<void> {
  if (!dataSpec) throw new UsageError("'simdnet train' needs <data>: a CSV file, an IDX images file, or iris / digits");
  const s = settingsFrom(o);
  // Found out now, not after an hour of training: every file this run will write can be written.
  if (o.out) assertWritable(resolve(String(o.out)), '--out');
  if (o.report) assertWritable(resolve(String(o.report)), '--report');
  if (o['checkpoint-every'] !== undefined && !o.checkpoint) throw new UsageError('--checkpoint-every goes with --checkpoint FILE');
  if (o.checkpoint) assertWritable(resolve(String(o.checkpoint)), '--checkpoint');
  if (o.trajectory && !o.report) throw new UsageError('--trajectory draws the parameters\' path in the report: add --report FILE');
  // Read (and checked) before the data is: a missing or damaged file is said at once.
  const resumeFrom = o.resume === undefined ? undefined : readCheckpoint(resolve(String(o.resume)), '--resume');
  const testSplit = (o['test-split'] as number | undefined) ?? 0.25;
  await ready(readyOptions(o));
  const info = backendInfo();
  const say = (line: string) => { if (mode === 'text') io.err(line + '\n'); };

  if (!isMatrixSpec(dataSpec) && wantsStream(dataSpec, o)) {
    if (o.trajectory) throw new UsageError('--trajectory applies to in-memory training; a streamed table (--stream, or a file over 256 MB) keeps no parameter snapshots');
    await trainStream(io, mode, dataSpec, o, s, info, columnLines, { ...checkpointing(o), resumeFrom });
    return;
  }
  const dialect = dialectFrom(o);
  const settings = {
    label: o.label as string | undefined, task: taskFrom(o), testSplit, testData: o['test-data'] as string | undefined,
    seed: s.seed, pipeline: pipelineFrom(o, null), dialect,
  };
  const prep = isMatrixSpec(dataSpec)
    ? prepareMatrixData(loadData(dataSpec, { label: settings.label }), settings)
    : prepareTableData(loadTable(dataSpec, dialect), settings);
  const regression = prep.task === 'regression';
  const source = dataSpec === '-' ? 'standard input' : dataSpec;
  const { weights, note: weightNote } = weightsFor(o, prep);
  const notes = weightNote ? [...prep.notes, weightNote] : prep.notes;
  const what = regression ? `regression of ${JSON.stringify(prep.target.name)}` : `${prep.classNames.length} classes`;
  say(`simdnet train · ${source}: ${prep.rows} samples × ${prep.columns} columns → ${prep.XTrain.cols} features, ${what}`);
  for (const n of notes) say(`note: ${n}`);
  if (mode === 'text' && prep.input.kind === 'columns') io.err(columnLines(ColumnPipeline.fromJSON(prep.input.pipeline), prep.target.name));
  const nFit = Math.round(prep.XTrain.rows * (1 - s.validationSplit));
  say(`split: ${prep.split}${s.validationSplit > 0 ? ` (${prep.XTrain.rows - nFit} of the training rows for validation)` : ''}`);
  const outputs = regression ? 1 : prep.classNames.length;
  const arch = s.kind === 'mlp' ? `mlp ${[prep.XTrain.cols, ...s.hidden, outputs].join('-')} ${s.activation}${s.dropout ? ` dropout ${s.dropout}` : ''}${s.batchNorm ? ' batch-norm' : ''} · ${s.optimizer}${s.lr !== undefined ? ` lr ${s.lr}` : ''}` : `${s.kind}${s.strategy ? ` (${s.strategy})` : ''}`;
  say(`model: ${arch} · ${s.epochs} epochs, batch ${s.batchSize} · seed ${s.seed} · backend ${info.backend} (${info.binary})`);
  if (resumeFrom) say(`resuming from ${String(o.resume)}: ${resumeFrom.epoch} of ${s.epochs} epochs done${resumeFrom.stopped ? ' (training had stopped there)' : ''}`);

  const progress = new Progress(io, mode, s.epochs, Math.ceil(Math.max(1, nFit) / s.batchSize));
  if (resumeFrom) progress.resumeAt(resumeFrom.epoch);
  const t0 = performance.now();
  const { model, history } = await trainModel(s, prep.XTrain, prep.yTrain, prep.task, prep.classNames.length, {
    callbacks: { onEpochEnd: progress.onEpochEnd, onBatchEnd: progress.onBatchEnd },
    diagnostics: Boolean(o.report),
    ...(o.trajectory ? { trajectory: true } : {}),
    ...(weights ? { classWeight: weights } : {}),
    ...checkpointing(o),
    ...(resumeFrom ? { resumeFrom } : {}),
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  // With a history: samples over the epochs' own time (validation included), the figure the report prints.
  const trainRate = history ? trainingThroughput(history) : (nFit * s.epochs) / trainSeconds;
  const t1 = performance.now();
  const pred = regression ? prep.target.unscale(model.predictValues!(prep.XTest)) : model.predictClasses(prep.XTest);
  const predictRate = prep.XTest.rows / Math.max(1e-9, (performance.now() - t1) / 1000);
  const actual = regression ? prep.target.unscale(prep.yTest) : undefined;
  const cls = regression ? undefined : score(prep.yTest as Int32Array, pred as Int32Array, prep.testClassNames ?? prep.classNames);
  const reg = regression ? regressionScores(actual!, pred) : undefined;
  const scores = (cls ?? reg)!;
  const on = prep.on;

  let outPath: string | undefined;
  if (o.out) {
    const file: CliModelFile = {
      format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, kind: s.kind, ...(s.strategy ? { strategy: s.strategy } : {}),
      task: prep.task, target: prep.target.toJSON(), classNames: prep.classNames, input: prep.input,
      training: {
        data: source, ...s, testSplit, scale: settings.pipeline.scale, seconds: trainSeconds, ...(cls ? { testAccuracy: cls.accuracy } : { testR2: reg!.r2 }),
        ...(weights ? { classWeight: Array.from(weights) } : {}), backend: info.backend, binary: info.binary, notes,
      },
      model: model.toJSON(),
    };
    outPath = resolve(String(o.out));
    writeFileAtomic(outPath, JSON.stringify(file), '--out');
  }
  let reportPath: string | undefined;
  if (o.report) {
    const pipeline = prep.input.kind === 'columns' ? ColumnPipeline.fromJSON(prep.input.pipeline) : undefined;
    const d = prep.decision;
    const html = trainingReport({
      title: `simdnet · ${source}`,
      history,
      model: model.describe(),
      ...(cls ? { evaluation: { yTrue: prep.yTest as Int32Array, yPred: pred as Int32Array, classNames: prep.testClassNames ?? prep.classNames, on: `${on}, ${prep.XTest.rows} samples` } } : {}),
      ...(reg ? { regression: { yTrue: actual!, yPred: pred, label: prep.target.name, on: `${on}, ${prep.XTest.rows} samples` } } : {}),
      ...(pipeline ? { columns: { columns: pipeline.describe(), notes } } : {}),
      decision: d && !regression ? { X: d.X, y: d.y, featureNames: d.featureNames, classNames: prep.classNames, predict: (g) => model.predictClasses(d.toInputs(g)) } : undefined,
      backend: info,
      trainingTime: trainSeconds,
      info: {
        data: `${source} (${prep.rows} × ${prep.columns}, ${what})`,
        split: `${prep.split}, validation ${s.validationSplit}`,
        preprocessing: prep.preprocessing,
        'batch size': s.batchSize,
        ...(weightNote ? { 'class weights': weightNote.replace(/^class weights /, '') } : {}),
      },
    });
    reportPath = resolve(String(o.report));
    writeFileAtomic(reportPath, html, '--report');
  }
  model.dispose();

  if (mode === 'json') {
    io.out(JSON.stringify({
      type: 'summary', task: prep.task, data: source, model: s.kind, on, ...scores,
      epochs: history ? history.epoch.length : s.epochs, trainSeconds, samplesPerSec: trainRate, predictSamplesPerSec: predictRate,
      backend: info.backend, binary: info.binary, modelPath: outPath ?? null, reportPath: reportPath ?? null, notes,
    }) + '\n');
  } else if (mode === 'text') {
    say('');
    io.out(cls ? formatScores(cls, on) + '\n' : formatRegression(reg!, on, prep.target.name) + '\n');
    io.out(`speed: training ${rate(trainRate)}, prediction ${rate(predictRate)} · ${trainSeconds.toFixed(2)} s · backend ${info.backend}, binary ${info.binary}, ${info.threadCount} thread${info.threadCount === 1 ? '' : 's'}\n`);
    if (outPath) say(`model saved to ${outPath}`);
    if (reportPath) say(`report written to ${reportPath}`);
  }
}
