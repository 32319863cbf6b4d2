// Fuzz: the model loaders on mutated valid files. Sequential.fromJSON gets model JSON (as an
// object, as text, and as damaged text) of several architectures with one to three edits each
// (test/fuzz/mutate.ts); the CLI's loader (readModelFile + restoreModel) gets mutated model files
// written by `simdnet train --out` (test/fuzz/fixtures). A file may be refused, with a SimdnetError
// only; one that loads must hold exactly what the file says (every value of the input is in the
// model's own toJSON(), nothing non-finite was accepted), must predict without a foreign error,
// and (CLI) must give class indices within its classNames. The arena is checked after every case.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adam, batchNorm, dense, dropout, ready, rmsprop, Sequential, sgd, SimdnetError, stepDecay, type SequentialJSON } from '../../src/index.js';
import { ColumnPipeline } from '../../src/data/columns/pipeline.js';
import { readModelFile, type CliModelFile } from '../../src/cli/modelfile.js';
import { restoreModel } from '../../src/cli/models.js';
import { fuzz, printReports, type Gen } from './harness.js';
import { firstDifference, mutateJson, mutateText, nonFinite, PROTOTYPE_NAMES } from './mutate.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CLI_SEEDS = ['cli-iris-mlp', 'cli-penguins-mlp', 'cli-iris-softmax', 'cli-iris-perceptron', 'cli-autos-regression'];

let seeds: SequentialJSON[] = [];


function buildSeeds(): SequentialJSON[] {
  const specs = [
    () => new Sequential({ inputSize: 4, seed: 1, layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })] }).compile({ optimizer: adam({ learningRate: 0.01 }) }),
    () => new Sequential({ inputSize: 3, seed: 2, layers: [dense(5, { activation: 'tanh' }), dropout(0.2), batchNorm(), dense(1, { activation: 'sigmoid' })] })
      .compile({ optimizer: sgd({ learningRate: stepDecay({ initial: 0.1, factor: 0.5, every: 5 }), momentum: 0.9 }), l2: 0.01 }),
    () => new Sequential({ inputSize: 3, seed: 3, layers: [dense(2)] }),
    () => new Sequential({ inputSize: 6, seed: 4, layers: [dense(6, { activation: 'sigmoid' }), batchNorm(), dense(4, { activation: 'softmax' })] }).compile({ optimizer: rmsprop({ learningRate: 0.001, clipNorm: 1 }) }),
  ];
  return specs.map((make) => { const m = make(); const j = m.toJSON(); m.dispose(); return j; });
}

/** Drops the keys the mutator adds under Object.prototype's names: a reader may ignore unknown keys. */
function withoutPrototypeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutPrototypeKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !PROTOTYPE_NAMES.includes(k)).map(([k, x]) => [k, withoutPrototypeKeys(x)]));
  return v;
}

/** Weights as canonical base64 (padding restored): unpadded base64 of the same bytes is the same tensor. */
function canonicalWeights(j: unknown): unknown {
  const w = (j as { weights?: unknown } | null)?.weights;
  if (!Array.isArray(w)) return j;
  const canon = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? Buffer.from(v, 'base64').toString('base64') : v);
  return { ...(j as object), weights: w.map((t) => (t && typeof t === 'object' ? Object.fromEntries(Object.entries(t).map(([k, v]) => [k, canon(v)])) : t)) };
}

function randomX(g: Gen, rows: number, cols: number): { data: Float32Array; rows: number; cols: number } {
  return { data: Float32Array.from({ length: rows * cols }, () => (g.r() - 0.5) * 4), rows, cols };
}

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

let dir: string | undefined;

describe('fuzz: model loaders', () => {
  beforeAll(async () => {
    await ready();
    seeds = buildSeeds();
    dir = mkdtempSync(join(tmpdir(), 'simdnet-fuzz-models-'));
  });
  afterAll(() => {
    printReports();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Sequential.fromJSON: mutated model JSON is refused with a SimdnetError or loaded exactly as written', async () => {
    const r = await fuzz('model.fromJSON', 5000, (g, outcome) => {
      const seed = g.pick(seeds);
      const m = mutateJson(g, seed);
      const form = g.pick(['object', 'object', 'text', 'damaged text'] as const);
      let input: unknown = m.doc;
      let what = m.what;
      if (form !== 'object') {
        const text = JSON.stringify(seed);
        const t = form === 'text' ? { text: JSON.stringify(m.doc), what: '' } : mutateText(g, text);
        input = t.text;
        if (form === 'damaged text') what = t.what;
      }
      outcome.kind = form;
      outcome.detail = what;
      outcome.expectError = SimdnetError;
      outcome.mayRefuse = true;
      const model = Sequential.fromJSON(input);
      try {
        // loaded: it must be what the file says, nothing defaulted over, nothing non-finite
        const read = canonicalWeights(withoutPrototypeKeys(typeof input === 'string' ? JSON.parse(input) : input));
        const out = model.toJSON();
        const diff = firstDifference(read, out);
        if (diff) expect.fail(`${what}: loaded, but ${diff}`);
        const bad = nonFinite(read);
        if (bad) expect.fail(`${what}: loaded with a non-finite value at ${bad}`);
        for (const w of model.getWeights()) for (const [k, v] of Object.entries(w)) if (!allFinite(v)) expect.fail(`${what}: loaded with a non-finite value in ${k}`);
        const P = model.predict(randomX(g, 3, out.inputSize));
        expect(P.rows).toBe(3);
        outcome.kind = `${form} (loaded)`;
      } finally {
        model.dispose();
      }
    });
    expect(r.errors).toBeGreaterThan(r.cases / 4);
  }, 120_000);

  it('the CLI model loader: mutated model files are refused with a SimdnetError, or predict within their classNames', async () => {
    const files = CLI_SEEDS.map((n) => JSON.parse(readFileSync(join(FIXTURES, `${n}.json`), 'utf8')) as CliModelFile);
    const r = await fuzz('model.cli', 3000, async (g, outcome) => {
      const k = g.int(0, files.length - 1);
      const { doc, what } = mutateJson(g, files[k]);
      const path = join(dir!, `m${k}.json`);
      writeFileSync(path, JSON.stringify(doc));
      outcome.kind = CLI_SEEDS[k];
      outcome.detail = what;
      outcome.expectError = SimdnetError;
      outcome.mayRefuse = true;
      const file = readModelFile(path);
      const model = await restoreModel(file.kind, file.model, file.task);
      try {
        const cols = file.input.kind === 'columns' ? ColumnPipeline.fromJSON(file.input.pipeline).width : file.input.featureNames.length;
        const X = randomX(g, 4, cols);
        if (file.task === 'classification') {
          const pred = model.predictClasses(X);
          for (const c of pred) if (!(Number.isInteger(c) && c >= 0 && c < file.classNames.length)) expect.fail(`${what}: loaded, predicts class ${c} of ${file.classNames.length} names`);
          const P = model.predictProba?.(X);
          if (P && !(P.cols === file.classNames.length || (P.cols === 1 && file.classNames.length === 2))) expect.fail(`${what}: loaded, ${P.cols} probability columns for ${file.classNames.length} classes`);
        } else {
          expect(model.predictValues!(X).length).toBe(4);
        }
        outcome.kind = `${CLI_SEEDS[k]} (loaded)`;
      } finally {
        model.dispose();
      }
    });
    expect(r.errors).toBeGreaterThan(r.cases / 4);
  }, 120_000);
});
