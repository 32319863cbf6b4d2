// `simdnet export` and `simdnet import`, end to end: a model file trained by the CLI (with its
// standardization and class names) runs in ONNX Runtime on raw rows and names the classes the
// CLI's own predict names; imported ONNX and tfjs models run under `simdnet predict`.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIris } from '../../src/index.js';
import { loadTfjs } from '../../src/interop/index.js';
import { ROOT } from '../cli/run.js';
import { runAsync } from '../consumer/package.js';
import { expectClose, FIXTURES, onnxFixture } from './helpers.js';
import { runOnnx } from './ort.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-interop-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T = 120_000;
const iris = loadIris();

/** The CLI from source, spawned without blocking this worker's event loop (a run of CLI calls under
 *  spawnSync can starve vitest's worker RPC on a loaded machine). */
function simdnet(args: string[], cwd: string) {
  return runAsync(process.execPath, ['--import', `${ROOT}bench/ts-loader.mjs`, `${ROOT}src/cli/main.ts`, ...args], { cwd });
}

/** Runs a command that must succeed; returns its stdout (results) and stderr (messages). */
async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await simdnet(args, dir);
  if (r.code !== 0) throw new Error(`simdnet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}
const ok = async (args: string[]) => (await run(args)).stdout;
const said = async (args: string[]) => (await run(args)).stderr;

/** `simdnet predict --proba` output: class names and probabilities. */
async function predictCsv(model: string, data: string): Promise<{ names: string[]; P: number[] }> {
  const lines = (await ok(['predict', model, data, '--proba'])).trim().split('\n').slice(1);
  return { names: lines.map((l) => l.split(',')[0]!), P: lines.flatMap((l) => l.split(',').slice(1).map(Number)) };
}

describe('simdnet export', () => {
  for (const [model, extra] of [['mlp', ['--hidden', '8', '--epochs', '5']], ['logistic', ['--strategy', 'ovo']]] as const) {
    it(`a ${model} model file with --standardize: raw rows in, class names out, as 'simdnet predict' gives`, async () => {
      const file = join(dir, `${model}.json`);
      await ok(['train', 'iris', '--model', model, ...extra, '--standardize', '--seed', '3', '--out', file, '--quiet']);
      expect(await said(['export', file, '--format', 'onnx', '--out', join(dir, `${model}.onnx`)])).toMatch(/as ONNX \(opset 17\)/);
      const r = await runOnnx(new Uint8Array(readFileSync(join(dir, `${model}.onnx`))), { X: { data: iris.X.data, dims: [iris.X.rows, 4] } });
      const want = await predictCsv(file, 'iris');
      expect(Array.from(r.label!.data as string[])).toEqual(want.names);
      // predict prints 6 significant digits.
      expectClose(r.probabilities!.data as Float32Array, want.P, `CLI ${model}`, 5e-6, 1e-6);
    }, T);
  }

  it('a CSV table with missing cells: the column pipeline (imputation, scaling, missing indicators) is in the graph; NaN marks a missing cell', async () => {
    const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    const rows: string[] = [[...names, 'species'].join(',')];
    const X = new Float32Array(iris.X.rows * 4);
    for (let i = 0; i < iris.X.rows; i++) {
      const cells = Array.from(iris.X.data.subarray(i * 4, i * 4 + 4), (v, j) => ((i * 7 + j * 3) % 23 === 0 ? '' : String(v)));
      cells.forEach((c, j) => { X[i * 4 + j] = c === '' ? NaN : Number(c); });
      rows.push([...cells, iris.classNames[iris.y[i]!]].join(','));
    }
    writeFileSync(join(dir, 'iris-missing.csv'), rows.join('\n') + '\n');
    const file = join(dir, 'table.json');
    await ok(['train', join(dir, 'iris-missing.csv'), '--label', 'species', '--hidden', '8', '--epochs', '5', '--seed', '2', '--out', file, '--quiet']);
    const m = JSON.parse(readFileSync(file, 'utf8'));
    expect(m.input.kind).toBe('columns');
    expect(m.input.pipeline.columns.some((c: { indicator: boolean }) => c.indicator)).toBe(true);
    await ok(['export', file, '--format', 'onnx', '--out', join(dir, 'table.onnx')]);
    const r = await runOnnx(new Uint8Array(readFileSync(join(dir, 'table.onnx'))), { X: { data: X, dims: [iris.X.rows, 4] } });
    const want = await predictCsv(file, join(dir, 'iris-missing.csv'));
    expect(Array.from(r.label!.data as string[])).toEqual(want.names);
    expectClose(r.probabilities!.data as Float32Array, want.P, 'CLI column pipeline', 5e-6, 1e-6);

    // Regression: the target's scaling is in the graph too.
    const reg = join(dir, 'reg.json');
    await ok(['train', join(dir, 'iris-missing.csv'), '--label', 'petal_width', '--drop', 'species', '--task', 'regression', '--hidden', '6', '--epochs', '5', '--seed', '2', '--out', reg, '--quiet']);
    await ok(['export', reg, '--format', 'onnx', '--out', join(dir, 'reg.onnx')]);
    const X3 = Float32Array.from({ length: iris.X.rows * 3 }, (_, k) => X[Math.floor(k / 3) * 4 + (k % 3)]!);
    const rr = await runOnnx(new Uint8Array(readFileSync(join(dir, 'reg.onnx'))), { X: { data: X3, dims: [iris.X.rows, 3] } });
    const lines = (await ok(['predict', reg, join(dir, 'iris-missing.csv')])).trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    expectClose(rr.variable!.data as Float32Array, lines, 'CLI regression', 5e-6, 1e-6);
  }, T);

  it('--format tfjs writes model.json + weights.bin that simdnet reads back; a standardized model file is refused', async () => {
    const file = join(dir, 'plain.json');
    await ok(['train', 'iris', '--hidden', '5', '--epochs', '3', '--scale', 'none', '--out', file, '--quiet']);
    await ok(['export', file, '--format', 'tfjs', '--out', join(dir, 'web')]);
    const m = loadTfjs(join(dir, 'web', 'model.json'));
    expect(m.outputSize).toBe(3);
    m.dispose();
    const bad = await simdnet(['export', join(dir, 'mlp.json'), '--format', 'tfjs', '--out', join(dir, 'web2')], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no layer for this model file's preprocessing .*; use --format onnx/);
    expect((await simdnet(['export', file, '--out', 'x.onnx'], dir)).stderr).toMatch(/--format is required/);
  }, T);
});

describe('simdnet import', () => {
  it('an skl2onnx-style classifier becomes a model file that simdnet predict runs', async () => {
    const f = onnxFixture('skl2onnx_mlp_multiclass');
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, ['x1,x2,x3,x4', ...Array.from({ length: f.rows }, (_, i) => Array.from(f.X.subarray(i * 4, i * 4 + 4)).join(','))].join('\n') + '\n');
    const out = await said(['import', join(FIXTURES, 'onnx', 'skl2onnx_mlp_multiclass.onnx'), '--out', join(dir, 'skl.json')]);
    expect(out).toMatch(/a classifier of 3 classes \(0, 1, 2\)/);
    const { names, P } = await predictCsv(join(dir, 'skl.json'), csv);
    expect(names).toEqual((f.outputs.label as number[]).map(String));
    expectClose(P, f.outputs.probabilities as number[], 'CLI import skl2onnx', 5e-6, 1e-6);
  }, T);

  it('a torch network with logits becomes a Sequential JSON; a tfjs model.json imports too', async () => {
    expect(await said(['import', join(FIXTURES, 'onnx', 'torch_mlp.onnx'), '--out', join(dir, 'torch.json')])).toMatch(/wrote it as a Sequential JSON/);
    expect(JSON.parse(readFileSync(join(dir, 'torch.json'), 'utf8')).format).toBe('simdnet.sequential');
    expect(await said(['import', join(FIXTURES, 'tfjs', 'dense_relu_softmax', 'model.json'), '--out', join(dir, 'tf.json')])).toMatch(/TensorFlow.js Layers model: a classifier of 3 classes/);
  }, T);

  it('an unsupported graph exits 2 naming the node and the operator', async () => {
    const r = await simdnet(['import', join(FIXTURES, 'onnx', 'torch_selu.onnx'), '--out', join(dir, 'x.json')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ONNX node ".*Selu.*" \(Selu\)/);
  }, T);
});
