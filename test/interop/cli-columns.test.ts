// `simdnet export --format onnx` of CLI model files whose column pipeline has categorical, boolean
// and date columns: trained by the CLI, exported by the CLI, run in ONNX Runtime on raw rows (the
// inputs built by onnxFeeds, or by hand for the documented contract), compared with
// `simdnet predict` (labels) and with the model file's own full-precision probabilities / values
// on the same rows (the CLI's code path: openData + restoreModel).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, readTable, type Matrix } from '../../src/index.js';
import { onnxFeeds, type OnnxFeed } from '../../src/interop/index.js';
import { openData } from '../../src/cli/use.js';
import { restoreModel } from '../../src/cli/models.js';
import { readModelFile } from '../../src/cli/modelfile.js';
import { Target } from '../../src/data/columns/target.js';
import { ROOT } from '../cli/run.js';
import { runAsync } from '../consumer/package.js';
import { expectClose, printWorst } from './helpers.js';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-interop-columns-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); printWorst('ONNX Runtime vs the model files (column pipelines):'); });
beforeAll(() => ready());
const T = 180_000;
const TABLES = join(ROOT, 'test/fixtures/tables');

async function ok(args: string[]): Promise<string> {
  const r = await runAsync(process.execPath, ['--import', `${ROOT}bench/ts-loader.mjs`, `${ROOT}src/cli/main.ts`, ...args], { cwd: dir });
  if (r.code !== 0) throw new Error(`simdnet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

async function session(onnx: string, feeds: Record<string, OnnxFeed>): Promise<Record<string, ort.Tensor>> {
  const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(onnx)));
  try {
    return await s.run(Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, new ort.Tensor(f.type, f.data, f.dims)])));
  } finally {
    await s.release();
  }
}

/** The model file's own predictions on a CSV, at full precision, through the CLI's code path. */
async function own(file: string, csv: string): Promise<{ P?: Float32Array; values?: Float64Array; X: Matrix }> {
  const f = readModelFile(file);
  const { X } = openData(f, csv, {}, false);
  const m = await restoreModel(f.kind, f.model, f.task);
  try {
    if (f.task === 'regression') return { values: Target.fromJSON(f.target).unscale(m.predictValues!(X)), X };
    const P = m.predictProba!(X);
    // one sigmoid unit: P(second class); the probabilities output is [1 − p, p]
    const K = f.classNames.length;
    const full = P.cols === K ? P.data : Float32Array.from({ length: X.rows * 2 }, (_, k) => (k % 2 ? P.data[k >> 1]! : 1 - P.data[k >> 1]!));
    return { P: full, X };
  } finally {
    m.dispose();
  }
}

async function predictedLabels(file: string, csv: string): Promise<string[]> {
  return (await ok(['predict', file, csv])).trim().split('\n').slice(1).map((l) => (l.startsWith('"') ? JSON.parse(l.split('",')[0]! + '"') : l.split(',')[0]!));
}

/** Trains, exports and compares on the predict rows; returns the ORT outputs. */
async function roundTrip(name: string, train: string, predictCsv: string, args: string[], exportArgs: string[] = []): Promise<Record<string, ort.Tensor>> {
  const file = join(dir, `${name}.json`);
  const onnx = join(dir, `${name}.onnx`);
  await ok(['train', train, ...args, '--seed', '3', '--out', file, '--quiet']);
  await ok(['export', file, '--format', 'onnx', '--out', onnx, ...exportArgs]);
  const model = JSON.parse(readFileSync(file, 'utf8'));
  const table = readTable(predictCsv);
  const r = await session(onnx, onnxFeeds(model, table));
  const want = await own(file, predictCsv);
  if (model.task === 'regression') {
    expectClose(r.variable!.data as Float32Array, want.values!, `${name}: value`);
  } else {
    expect(Array.from(r.label!.data as string[])).toEqual(await predictedLabels(file, predictCsv));
    expectClose(r.probabilities!.data as Float32Array, want.P!, `${name}: probabilities`);
  }
  return r;
}

/** penguins_raw with the edge cases of predict-time data written in. */
function penguinsEdges(): string {
  const lines = readFileSync(join(TABLES, 'penguins_raw.csv'), 'utf8').trim().split('\n');
  const t = readTable(join(TABLES, 'penguins_raw.csv'));
  const col = (n: string) => t.names.indexOf(n);
  const rows = t.columns[0]!.map((_, i) => t.names.map((_, j) => t.columns[j]![i]!));
  const edit = (i: number, name: string, v: string) => { rows[i]![col(name)] = v; };
  edit(0, 'Island', 'Anvers Shelf');      // a category training never saw
  edit(1, 'Island', '');                  // missing
  edit(2, 'Sex', 'NA');
  edit(3, 'Clutch Completion', 'yes');    // other case than training's spelling
  edit(4, 'Clutch Completion', 'NO');
  edit(5, 'Clutch Completion', '');
  edit(6, 'Date Egg', '');
  edit(7, 'Date Egg', '2010-02-28');
  edit(8, 'Culmen Length (mm)', 'NA');
  edit(9, 'Body Mass (g)', '');
  const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const out = join(dir, 'penguins-edges.csv');
  writeFileSync(out, [lines[0], ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n');
  return out;
}

describe('simdnet export of a mixed-column table', () => {
  it('penguins_raw (categorical, boolean, date and numeric columns with missing cells): classification and regression', async () => {
    const csv = penguinsEdges();
    const drop = ['--drop', 'Comments,Individual ID,Sample Number,studyName'];
    await roundTrip('penguins-mlp', join(TABLES, 'penguins_raw.csv'), csv, ['--label', 'Species', '--hidden', '8', '--epochs', '8', ...drop]);
    const said = await runAsync(process.execPath, ['--import', `${ROOT}bench/ts-loader.mjs`, `${ROOT}src/cli/main.ts`, 'export', join(dir, 'penguins-mlp.json'), '--format', 'onnx', '--out', join(dir, 'again.onnx')], { cwd: dir });
    expect(said.stderr).toMatch(/inputs: X float32 \[batch, 6\] \("Culmen Length \(mm\)", .*; NaN = missing\); Island string \[batch, 1\] \("Island", categorical: the cell text\); Clutch_Completion string \[batch, 1\] \("Clutch Completion", boolean: the cell text\); Date_Egg float32 \[batch, 6\] \("Date Egg" as year, month, day, hour, minute, second; NaN = missing\)/);
    const f = JSON.parse(readFileSync(join(dir, 'penguins-mlp.json'), 'utf8'));
    const types = new Set(f.input.pipeline.columns.map((c: { type: string }) => c.type));
    for (const t of ['numeric', 'categorical', 'boolean', 'date']) expect(types, t).toContain(t);
    await roundTrip('penguins-ovo', join(TABLES, 'penguins_raw.csv'), csv, ['--label', 'Species', '--model', 'logistic', '--strategy', 'ovo', '--epochs', '20', ...drop]);
    // a pipeline fitted in one streamed pass (--stream) exports the same way
    await roundTrip('penguins-stream', join(TABLES, 'penguins_raw.csv'), csv, ['--label', 'Species', '--stream', '--hidden', '6', '--epochs', '3', ...drop]);
    // seattle-weather: a daily date column over four years and a categorical label
    const weather = join(TABLES, 'seattle-weather.csv');
    await roundTrip('weather', weather, weather, ['--label', 'weather', '--hidden', '8', '--epochs', '4']);
    await roundTrip('penguins-reg', join(TABLES, 'penguins_raw.csv'), csv, ['--label', 'Body Mass (g)', '--task', 'regression', '--hidden', '8', '--epochs', '8', ...drop]);
  }, T);
});

/** Seeded integers in [0, n). */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const COLORS = ['red', 'green', 'blue', 'teal', 'plum', 'sand'];
/** A table of every column kind: numbers with missing cells, dates with times (and one a year apart), dates day first,
 *  categories (rare ones share "(other)" under maxCategories 4), booleans Y/N in any case, a column named "label",
 *  one named "2nd size (cm)". */
function synthetic(rows: number, seed: number, unseen: boolean): string {
  const r = rng(seed);
  const p2 = (v: number) => String(v).padStart(2, '0');
  const lines = ['num a,when,day first,color,flag,label,2nd size (cm),target'];
  for (let i = 0; i < rows; i++) {
    const y = [1900, 1999, 2000, 2023, 2024, 2100][r(6)]! + (r(4) === 0 ? r(3) : 0);
    const m = 1 + r(12);
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
    const d = r(5) === 0 ? dim : 1 + r(dim);
    const when = r(9) === 0 ? 'NA' : `${y}-${p2(m)}-${p2(d)} ${p2(r(24))}:${p2(r(60))}${r(2) ? `:${p2(r(60))}` : ''}`;
    const dayFirst = r(11) === 0 ? '' : `${p2(1 + r(28))}.${p2(1 + r(12))}.${2000 + r(30)}`;
    const color = r(10) === 0 ? '' : unseen && r(6) === 0 ? 'mauve' : COLORS[Math.min(r(8), 5)]!;
    const flag = r(12) === 0 ? 'NA' : [['Y', 'y'], ['N', 'n']][r(2)]![unseen ? r(2) : 0]!;
    const num = r(7) === 0 ? '' : String((r(2000) - 1000) / 37);
    const label = ['a', 'b', 'c'][r(3)]!;
    const size = String(r(50) + 0.25);
    lines.push([num, when, dayFirst, color, flag, label, size, String(r(2))].join(','));
  }
  const path = join(dir, `synthetic-${seed}-${unseen ? 'predict' : 'train'}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('the column pipeline in the graph, feature by feature', () => {
  it('an identity network after the pipeline outputs exactly the features ColumnPipeline.transform computes', async () => {
    const { ColumnPipeline, dense, Sequential } = await import('../../src/index.js');
    const { toONNX } = await import('../../src/interop/index.js');
    const pipeline = ColumnPipeline.fit(readTable(synthetic(400, 1, false)), { label: 'target', maxCategories: 4 });
    const kinds = pipeline.columns.map((c) => c.type);
    expect(kinds).toEqual(['numeric', 'date', 'date', 'categorical', 'boolean', 'categorical', 'numeric']);
    const when = pipeline.columns[1] as { parts: { part: string }[] };
    expect(when.parts.map((p) => p.part)).toContain('hour_cos');
    const w = pipeline.width;
    const net = new Sequential({ inputSize: w, seed: 1, layers: [dense(w, { activation: 'identity' })] });
    net.setWeights([{ W: Float32Array.from({ length: w * w }, (_, k) => (k % (w + 1) === 0 ? 1 : 0)), b: new Float32Array(w) }]);
    const bytes = toONNX(net, { pipeline: pipeline.toJSON() });
    net.dispose();
    const onnx = join(dir, 'identity.onnx');
    writeFileSync(onnx, bytes);
    const table = readTable(synthetic(600, 2, true));
    const feeds = onnxFeeds(pipeline.toJSON(), table, { inputName: 'input' });
    // the numbers ("num a", "2nd size (cm)") share one input; "label" is an output's name
    expect(Object.keys(feeds)).toEqual(['input', 'when', 'day_first', 'color', 'flag', 'label_2']);
    const r = await session(onnx, feeds);
    const want = pipeline.transform(table).X;
    const e = expectClose(r.output!.data as Float32Array, want.data, 'pipeline features', 0, 1e-7);
    console.log(`pipeline features: ${want.rows} rows × ${want.cols}, max |Δ| ${e.maxAbs.toExponential(2)}`);

    // no numeric column: no numbers input at all
    const text = ColumnPipeline.fit(readTable(synthetic(400, 1, false)), { label: 'target', features: ['color', 'flag', 'when'] });
    const tw = text.width;
    const net2 = new Sequential({ inputSize: tw, seed: 1, layers: [dense(tw, { activation: 'identity' })] });
    net2.setWeights([{ W: Float32Array.from({ length: tw * tw }, (_, k) => (k % (tw + 1) === 0 ? 1 : 0)), b: new Float32Array(tw) }]);
    writeFileSync(join(dir, 'text.onnx'), toONNX(net2, { pipeline: text.toJSON() }));
    net2.dispose();
    const tf = onnxFeeds(text.toJSON(), table, { inputName: 'input' });
    expect(Object.keys(tf)).toEqual(['when', 'color', 'flag']);
    expectClose((await session(join(dir, 'text.onnx'), tf)).output!.data as Float32Array, text.transform(table, { extra: 'ignore' }).X.data, 'pipeline features', 0, 1e-7);
  }, T);
});

describe('the input contract', () => {
  it('synthetic edge cases through the CLI: a binary MLP, a logistic model and a regression, on rows with unseen categories and every kind missing', async () => {
    const train = synthetic(300, 3, false);
    const predict = synthetic(200, 4, true);
    const cats = ['--max-categories', '4', '--label', 'target'];
    await roundTrip('syn-mlp', train, predict, [...cats, '--hidden', '6', '--epochs', '6']);
    await roundTrip('syn-logistic', train, predict, [...cats, '--model', 'logistic', '--epochs', '10']);
    await roundTrip('syn-reg', train, predict, ['--max-categories', '4', '--label', '2nd size (cm)', '--drop', 'target', '--task', 'regression', '--hidden', '6', '--epochs', '6'], ['--opset', '21']);
    // the other imputers and scalers: a missing category read as the most frequent one, no indicators, min-max, a constant fill
    await roundTrip('syn-fill', train, predict, [...cats, '--categorical-missing', 'most-frequent', '--no-indicator', '--scale', 'minmax', '--impute', 'constant', '--fill-value', '2', '--hidden', '5', '--epochs', '4'], ['--opset', '13']);
    const fill = JSON.parse(readFileSync(join(dir, 'syn-fill.json'), 'utf8')).input.pipeline.columns;
    expect(fill.find((c: { name: string }) => c.name === 'color').missing).toBe('fill');
    // objects by column name feed the same tensors as a table
    const model = JSON.parse(readFileSync(join(dir, 'syn-mlp.json'), 'utf8'));
    const t = readTable(predict);
    const objects = Array.from({ length: 20 }, (_, i) => Object.fromEntries(t.names.map((n, j) => [n, t.columns[j]![i]!])));
    const first = onnxFeeds(model, { ...t, rows: 20, columns: t.columns.map((c) => c.slice(0, 20)), lines: t.lines.slice(0, 20) });
    expect(onnxFeeds(model, objects)).toEqual(first);
    // true / false in a boolean column are its spellings ("Y" / "N" in training)
    const flags = objects.map((o) => ({ ...o, flag: o.flag === 'NA' ? null : o.flag!.toLowerCase() === 'y' }));
    expect(onnxFeeds(model, flags).flag!.data).toEqual(objects.map((o) => (o.flag === 'NA' ? '' : o.flag!.toUpperCase()))); // null: the dialect's first missing spelling
    const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(dir, 'syn-mlp.onnx'))));
    expect(s.inputNames).toEqual(Object.keys(first));
    await s.release();
  }, T);

  it('hand-made inputs: a cell simdnet refuses gives NaN outputs (onnxFeeds and predict refuse it), an empty batch gives empty outputs', async () => {
    const file = join(dir, 'strict.json');
    const onnx = join(dir, 'strict.onnx');
    await ok(['train', synthetic(300, 5, false), '--label', 'target', '--missing', 'drop', '--unknown', 'error', '--hidden', '4', '--epochs', '3', '--out', file, '--quiet']);
    await ok(['export', file, '--format', 'onnx', '--out', onnx]);
    const f = JSON.parse(readFileSync(file, 'utf8'));
    const row = { X: [0.5, 12.25], when: [2001, 3, 4, 5, 6, 7], day_first: [2010, 11, 12, 0, 0, 0], color: 'red', flag: 'y', label_2: 'a' };
    const bad: [string, Partial<typeof row>][] = [['unseen color', { color: 'mauve' }], ['missing color', { color: '' }], ['missing number', { X: [NaN, 12.25] }],
      ['boolean spelled otherwise', { flag: 'maybe' }], ['missing date', { when: [NaN, NaN, NaN, NaN, NaN, NaN] }], ['missing boolean', { flag: 'NA' }]];
    const rows = [row, ...bad.map(([, b]) => ({ ...row, ...b }))];
    const n = rows.length;
    const feeds: Record<string, OnnxFeed> = {
      X: { type: 'float32', data: Float32Array.from(rows.flatMap((r) => r.X)), dims: [n, 2] },
      when: { type: 'float32', data: Float32Array.from(rows.flatMap((r) => r.when)), dims: [n, 6] },
      day_first: { type: 'float32', data: Float32Array.from(rows.flatMap((r) => r.day_first)), dims: [n, 6] },
      color: { type: 'string', data: rows.map((r) => r.color), dims: [n, 1] },
      flag: { type: 'string', data: rows.map((r) => r.flag), dims: [n, 1] },
      label_2: { type: 'string', data: rows.map((r) => r.label_2), dims: [n, 1] },
    };
    const P = (await session(onnx, feeds)).probabilities!.data as Float32Array;
    expect(Number.isFinite(P[0]) && Number.isFinite(P[1])).toBe(true);
    bad.forEach(([what], k) => expect([P[2 * k + 2], P[2 * k + 3]], what).toEqual([NaN, NaN]));
    const empty = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { ...v, data: v.type === 'string' ? [] : new Float32Array(0), dims: [0, v.dims[1]] } as OnnxFeed]));
    const r0 = await session(onnx, empty);
    expect([r0.label!.dims, r0.probabilities!.dims]).toEqual([[0], [0, 2]]);
    // the helper and the CLI refuse the rows the graph gives NaN for, with simdnet's message
    const csv = join(dir, 'strict-bad.csv');
    writeFileSync(csv, 'num a,when,day first,color,flag,label,2nd size (cm)\n0.5,2001-03-04 05:06:07,12.11.2010,mauve,y,a,12.25\n');
    expect(() => onnxFeeds(f, readTable(csv))).toThrow(/column 4 \("color"\) is "mauve", a category not seen in training \(unknown: 'error'/);
    const r = await runAsync(process.execPath, ['--import', `${ROOT}bench/ts-loader.mjs`, `${ROOT}src/cli/main.ts`, 'predict', file, csv], { cwd: dir });
    expect(r.stderr).toMatch(/"mauve", a category not seen in training/);
  }, T);
});

describe('errors', () => {
  it('a pipeline that does not fit the model, or a column kind the pipeline does not know, is refused naming it', async () => {
    const { ColumnPipeline, dense, ModelFormatError, Sequential, SimdnetError, ValidationError } = await import('../../src/index.js');
    const { toONNX } = await import('../../src/interop/index.js');
    const p = ColumnPipeline.fit(readTable(synthetic(100, 6, false)), { label: 'target' }).toJSON();
    const net = new Sequential({ inputSize: 3, seed: 1, layers: [dense(2, { activation: 'softmax' })] });
    try {
      expect(() => toONNX(net, { pipeline: p, classLabels: ['a', 'b'] })).toThrow(ValidationError);
      expect(() => toONNX(net, { pipeline: p, classLabels: ['a', 'b'] })).toThrow(`pipeline: gives ${p.features.length} features, the model takes 3`);
      const text = { ...p, columns: [...p.columns, { name: 'notes', type: 'text' }] };
      expect(() => toONNX(net, { pipeline: text as never })).toThrow(ModelFormatError);
      expect(() => toONNX(net, { pipeline: text as never })).toThrow(/\("notes"\): unknown column type "text"/);
      const { columnInputs } = await import('../../src/interop/index.js');
      expect(() => columnInputs(text as never)).toThrow(/column "notes" is of kind "text", which the ONNX export cannot express; it carries numeric, categorical, boolean and date columns/);
      expect(() => onnxFeeds({ format: 'simdnet.sequential' }, [])).toThrow(SimdnetError);
      expect(() => onnxFeeds({ format: 'simdnet.sequential' }, [])).toThrow(/expected a CLI model file of a table/);
    } finally {
      net.dispose();
    }
  });
});
