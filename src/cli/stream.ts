// `simdnet train <file> --stream` (automatic past STREAM_BYTES): a table larger than memory. One
// pass fits the label and the column pipeline on the training rows; each epoch is one pass of
// shuffled batches; the validation and test rows come from a hash of the row index (splitPart),
// so they are the same on every pass; a last pass scores the test rows. Memory stays bounded by
// the shuffle buffer and one chunk of text.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BackendInfo } from '../backend.js';
import { CsvStream } from '../data/stream/csv-stream.js';
import { fitStream, TableDataset, type StreamSplit } from '../data/stream/dataset.js';
import { Sequential } from '../nn/sequential.js';
import { trainingReport } from '../report/report.js';
import type { Checkpoint } from '../train/types.js';
import { UsageError } from './args.js';
import { writeFileAtomic } from '../io/atomic.js';
import { CLI_MODEL_FORMAT, CLI_MODEL_VERSION, type CliModelFile } from './modelfile.js';
import { buildLayers, optimizerSpec, type TrainSettings } from './models.js';
import { formatScores, Progress, rate, score, type Io, type Mode } from './output.js';
import { formatRegression, regressionScores } from './scores.js';
import { classWeightFrom, dialectFrom, pipelineFrom, taskFrom } from './train-options.js';

/** Files larger than this are streamed without --stream. */
export const STREAM_BYTES = 256 * 1024 * 1024;

export function wantsStream(spec: string, o: Record<string, unknown>): boolean {
  if (o.stream) return true;
  if (spec === '-') return false;
  try { return statSync(spec).size > STREAM_BYTES; } catch { return false; }
}

class Growable {
  data: Float64Array = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.data.length) { const g = new Float64Array(this.n * 2); g.set(this.data); this.data = g; }
    this.data[this.n++] = v;
  }
  get values(): Float64Array { return this.data.subarray(0, this.n); }
}

export async function trainStream(io: Io, mode: Mode, spec: string, o: Record<string, unknown>, s: TrainSettings, info: BackendInfo,
  columnLines: (p: import('../data/columns/pipeline.js').ColumnPipeline, label: string) => string,
  ck: { checkpoint?: { path: string; every: number }; resumeFrom?: Checkpoint } = {}): Promise<void> {
  if (s.kind !== 'mlp') throw new UsageError(`--model ${s.kind} trains in memory; a streamed table trains --model mlp`);
  if (o['test-data'] !== undefined) throw new UsageError('--test-data is not available with --stream: the test rows are a hashed part of the file (--test-split)');
  const say = (line: string) => { if (mode === 'text') io.err(line + '\n'); };
  const testSplit = (o['test-split'] as number | undefined) ?? 0.25;
  const split: StreamSplit = { test: testSplit, validation: s.validationSplit * (1 - testSplit), seed: s.seed };
  const source = spec === '-' ? 'standard input' : spec;
  const stream = new CsvStream(spec === '-' ? (process.stdin as unknown as AsyncIterable<Uint8Array>) : spec, { ...dialectFrom(o), source });
  const { names } = await stream.open();
  const label = o.label === undefined ? names[names.length - 1]! : names.includes(String(o.label)) || !/^-?\d+$/.test(String(o.label)) ? String(o.label) : names.at(Number(o.label))!;
  const t0 = performance.now();
  const fit = await fitStream(stream, { ...pipelineFrom(o, null), label, task: taskFrom(o), split });
  const fitSeconds = (performance.now() - t0) / 1000;
  const { pipeline, target } = fit;
  const regression = target.task === 'regression';
  const k = target.classes.length;
  const notes = [...stream.notes, ...fit.notes, `streamed: ${fit.rows.toLocaleString('en-US')} training rows; the pipeline was fitted in one pass (${fitSeconds.toFixed(1)} s); test ${testSplit} and validation ${split.validation.toFixed(3)} of the rows by a hash of the row index (seed ${s.seed})`];
  let classWeight: Float64Array | undefined;
  const cwSpec = classWeightFrom(o);
  if (cwSpec) {
    if (regression) throw new UsageError('--class-weight applies to classification; this is regression');
    const counts = fit.classCounts!;
    const n = counts.reduce((a, b) => a + b, 0);
    classWeight = cwSpec === 'balanced' ? counts.map((c) => (c > 0 ? n / (k * c) : 0)) : Float64Array.from(target.classNames, (c) => cwSpec.get(c) ?? 1);
    notes.push(`class weights (${cwSpec === 'balanced' ? 'balanced' : 'as given'}): ${target.classNames.slice(0, 8).map((c, i) => `${c} ${Number(classWeight![i]!.toPrecision(3))}`).join(', ')}`);
  }
  say(`simdnet train · ${source} (streamed): ${names.length - 1} columns → ${pipeline.width} features, ${regression ? `regression of ${JSON.stringify(label)}` : `${k} classes`}`);
  for (const n of notes) say(`note: ${n}`);
  if (mode === 'text') io.err(columnLines(pipeline, label));
  const outputs = regression ? 1 : k;
  say(`model: mlp ${[pipeline.width, ...s.hidden, outputs].join('-')} ${s.activation} · ${s.optimizer} · ${s.epochs} epochs, batch ${s.batchSize} · seed ${s.seed} · backend ${info.backend} (${info.binary})`);

  const net = new Sequential({ inputSize: pipeline.width, seed: s.seed, layers: buildLayers(s, outputs, target.task) });
  net.compile({ loss: regression ? 'squaredError' : 'categoricalCrossentropy', optimizer: optimizerSpec(s.optimizer, s.lr), l2: s.l2 });
  const shuffleBuffer = (o['shuffle-buffer'] as number | undefined) ?? 8192;
  const dropMissing = o.missing === 'drop';
  const train = new TableDataset(stream, pipeline, target, { batchSize: s.batchSize, shuffleBuffer, seed: s.seed, split, part: 'train', dropMissing });
  const val = split.validation > 0 ? new TableDataset(stream, pipeline, target, { batchSize: 4096, shuffleBuffer: 0, split, part: 'validation', dropMissing }) : undefined;
  if (ck.resumeFrom) say(`resuming from ${String(o.resume)}: ${ck.resumeFrom.epoch} of ${s.epochs} epochs done${ck.resumeFrom.stopped ? ' (training had stopped there)' : ''}`);
  const progress = new Progress(io, mode, s.epochs, Math.ceil(fit.rows / s.batchSize));
  if (ck.resumeFrom) progress.resumeAt(ck.resumeFrom.epoch);
  const t1 = performance.now();
  const history = await net.fit(train, {
    epochs: s.epochs, batchSize: s.batchSize, ...(val ? { validationData: val } : {}), ...(classWeight ? { classWeight } : {}),
    ...(s.earlyStopping !== undefined ? { earlyStopping: { patience: s.earlyStopping, restoreBestWeights: true } } : {}),
    callbacks: { onEpochEnd: progress.onEpochEnd, onBatchEnd: progress.onBatchEnd },
    ...(ck.checkpoint ? { checkpoint: ck.checkpoint } : {}),
    ...(ck.resumeFrom ? { resumeFrom: ck.resumeFrom } : {}),
  });
  const trainSeconds = (performance.now() - t1) / 1000;
  const rows = train.rowsRead * history.epoch.length;
  const epochSeconds = history.time.reduce((a, b) => a + b, 0);
  const waited = history.sourceTime!.reduce((a, b) => a + b, 0);
  const overall = rows / Math.max(1e-9, epochSeconds);
  const readRate = rows / Math.max(1e-9, waited);
  const stepRate = rows / Math.max(1e-9, epochSeconds - waited);

  // the test rows, in one more pass
  const t2 = performance.now();
  const test = new TableDataset(stream, pipeline, target, { batchSize: 4096, shuffleBuffer: 0, split, part: 'test', dropMissing });
  const yTrue = new Growable();
  const yPred = new Growable();
  for await (const b of test) {
    const P = regression ? net.predict(b.X).data : net.predictClasses(b.X);
    for (let i = 0; i < b.X.rows; i++) {
      yTrue.push(b.y[i]!);
      yPred.push(P[i]!);
    }
  }
  const testSeconds = (performance.now() - t2) / 1000;
  if (yTrue.n === 0) throw new UsageError(`no test row: --test-split ${testSplit} of the file's rows gave none`);
  const on = 'test set';
  const cls = regression ? undefined : score(Int32Array.from(yTrue.values), Int32Array.from(yPred.values), target.classNames);
  const actual = regression ? target.unscale(yTrue.values) : undefined;
  const predicted = regression ? target.unscale(yPred.values) : undefined;
  const reg = regression ? regressionScores(actual!, predicted!) : undefined;

  let outPath: string | undefined;
  if (o.out) {
    const file: CliModelFile = {
      format: CLI_MODEL_FORMAT, version: CLI_MODEL_VERSION, kind: 'mlp', task: target.task, target: target.toJSON(), classNames: target.classNames,
      input: { kind: 'columns', pipeline: pipeline.toJSON() },
      training: { data: source, streamed: true, ...s, testSplit, seconds: trainSeconds, ...(cls ? { testAccuracy: cls.accuracy } : { testR2: reg!.r2 }), backend: info.backend, binary: info.binary, notes },
      model: net.toJSON(),
    };
    outPath = resolve(String(o.out));
    writeFileAtomic(outPath, JSON.stringify(file), '--out');
  }
  let reportPath: string | undefined;
  if (o.report) {
    const html = trainingReport({
      title: `simdnet · ${source}`, history, model: net, backend: info, trainingTime: trainSeconds,
      ...(cls ? { evaluation: { yTrue: Int32Array.from(yTrue.values), yPred: Int32Array.from(yPred.values), classNames: target.classNames, on: `${on}, ${yTrue.n} samples` } } : {}),
      ...(reg ? { regression: { yTrue: actual!, yPred: predicted!, label, on: `${on}, ${yTrue.n} samples` } } : {}),
      columns: { columns: pipeline.describe(), notes },
      info: { data: `${source} (streamed, ${fit.rows} training rows)`, preprocessing: `${pipeline.width} features`, 'batch size': s.batchSize, 'shuffle buffer': shuffleBuffer },
    });
    reportPath = resolve(String(o.report));
    writeFileAtomic(reportPath, html, '--report');
  }
  net.dispose();
  const speed = { samplesPerSec: overall, readRowsPerSec: readRate, stepSamplesPerSec: stepRate, fitPipelineSeconds: fitSeconds, testSeconds };
  if (mode === 'json') {
    io.out(JSON.stringify({ type: 'summary', task: target.task, data: source, model: 'mlp', on, ...(cls ?? reg), epochs: history.epoch.length, trainSeconds, ...speed, backend: info.backend, binary: info.binary, modelPath: outPath ?? null, reportPath: reportPath ?? null, notes, streamed: true }) + '\n');
  } else if (mode === 'text') {
    say('');
    io.out(cls ? formatScores(cls, on) + '\n' : formatRegression(reg!, on, label) + '\n');
    io.out(`speed: ${rate(overall)} overall (reading and encoding ${Math.round(readRate).toLocaleString('en-US')} rows/s, training steps ${rate(stepRate)}) · ${trainSeconds.toFixed(1)} s · backend ${info.backend}, binary ${info.binary}\n`);
    if (outPath) say(`model saved to ${outPath}`);
    if (reportPath) say(`report written to ${reportPath}`);
  }
}
