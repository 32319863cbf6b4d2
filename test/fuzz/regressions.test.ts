// The failures the fuzz suite found in the model loaders, each as a focused case (the CSV ones are
// in test/data/tokenizer.test.ts). Each was accepted before its fix; the expected refusal names
// the field.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, cosineDecay, dense, exponentialDecay, ModelFormatError, ready, Sequential, sgd, SimdnetError, stepDecay, ValidationError, adam, adamw } from '../../src/index.js';
import { readModelFile } from '../../src/cli/modelfile.js';
import { defaultBackend } from '../../src/index.js';
import { readONNX } from '../../src/interop/index.js';
import { decodeModel as decodeOnnx, encodeModel as encodeOnnx } from '../../src/interop/onnx-proto.js';
import { onnxFixture } from '../interop/helpers.js';

type Json = Record<string, any>;

let base: Json;
let dir: string;

beforeAll(async () => {
  await ready();
  const m = new Sequential({ inputSize: 3, seed: 5, layers: [dense(4, { activation: 'relu' }), batchNorm(), dense(2, { activation: 'softmax' })] }).compile({ optimizer: adam() });
  base = m.toJSON() as unknown as Json;
  m.dispose();
  dir = mkdtempSync(join(tmpdir(), 'simdnet-fuzz-regressions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refused(edit: (j: Json) => void, text: RegExp): void {
  const j = structuredClone(base);
  edit(j);
  expect(() => Sequential.fromJSON(j)).toThrow(ModelFormatError);
  expect(() => Sequential.fromJSON(j)).toThrow(text);
}

describe('fuzz regressions: Sequential.fromJSON', () => {
  it('refuses a compile entry that is not { loss, optimizer, l2 } (a string compiled with the defaults)', () => {
    refused((j) => { j.compile = 'valueOf'; }, /compile is "valueOf"/);
    refused((j) => { delete j.compile.loss; }, /compile is/);
    refused((j) => { j.compile.l2 = '0'; }, /compile is/);
  });

  it('refuses a tensor the layer does not have, or a missing one (a misspelt runningMean kept its initial zeros)', () => {
    refused((j) => { j.weights[1].runningM_an = j.weights[1].runningMean; delete j.weights[1].runningMean; }, /weights\[1\] has no tensor "runningMean"/);
    refused((j) => { j.weights[0].extra = j.weights[0].b; }, /weights\[0\] has a tensor "extra"/);
  });

  it('refuses a seed that is not a uint32 (-1 became 4294967295)', () => {
    refused((j) => { j.seed = -1; }, /seed is -1/);
    refused((j) => { j.seed = 1.5; }, /seed is 1.5/);
    refused((j) => { j.seed = '5'; }, /seed is "5"/);
  });

  it('refuses a tensor that is not a string (a number\'s digits were read as base64 weights)', () => {
    refused((j) => { j.weights[2].b = 12345678; }, /weights\[2\]\.b is 12345678, expected a base64 string/);
  });

  it('refuses non-finite optimizer settings and schedules (an infinite initial rate or epsilon trained on NaN)', () => {
    refused((j) => { j.compile.optimizer.epsilon = Infinity; }, /epsilon/);
    refused((j) => { j.compile.optimizer.clipNorm = Infinity; }, /clipNorm/);
    refused((j) => { j.compile.optimizer.learningRate = { type: 'step', initial: Infinity, factor: 0.5, every: 10 }; }, /learningRate\.initial/);
    refused((j) => { j.compile.optimizer.learningRate = { type: 'step', initial: 0.1, factor: 0.5, every: 0 }; }, /learningRate\.every/);
  });
});

describe('fuzz regressions: schedules and optimizers from the API', () => {
  it('checks every field of a schedule', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => sgd({ learningRate: stepDecay({ initial: 0.1, factor: NaN }) }), /learningRate\.factor/],
      [() => sgd({ learningRate: exponentialDecay({ initial: 0.1, rate: -1 }) }), /learningRate\.rate/],
      [() => sgd({ learningRate: exponentialDecay({ initial: 0.1, every: 0 }) }), /learningRate\.every/],
      [() => sgd({ learningRate: cosineDecay({ initial: 0.1, epochs: 0 }) }), /learningRate\.epochs/],
      [() => sgd({ learningRate: cosineDecay({ initial: 0.1, epochs: 10, min: 0.5 }) }), /learningRate\.min/],
      [() => adamw({ weightDecay: Infinity }), /weightDecay/],
    ];
    for (const [make, text] of bad) {
      expect(make).toThrow(ValidationError);
      expect(make).toThrow(text);
    }
    expect(() => sgd({ learningRate: cosineDecay({ initial: 0.1, epochs: 10, min: 0.01 }) })).not.toThrow();
  });
});

describe('fuzz regressions: the CLI model file', () => {
  it('refuses estimator classes that are not the indices 0..k-1 (a class -2 was predicted, a blank cell)', () => {
    const file = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/cli-iris-softmax.json'), 'utf8'));
    for (const classes of [[0, 1, -2], [0, 2, 1], [0, 1, 'x']]) {
      file.model.classes = classes;
      const p = join(dir, 'm.json');
      writeFileSync(p, JSON.stringify(file));
      expect(() => readModelFile(p)).toThrow(SimdnetError);
      expect(() => readModelFile(p)).toThrow(/model\.classes\[\d\] is/);
    }
  });
});

describe('fuzz regressions: readONNX', () => {
  function edited(name: string, edit: (m: ReturnType<typeof decodeOnnx>) => void): Uint8Array {
    const m = decodeOnnx(onnxFixture(name).bytes);
    edit(m);
    return encodeOnnx(m);
  }
  const arena = () => { const a = defaultBackend().arena; return [a.liveBytes, a.liveCount, a.top]; };

  it('refuses an initializer whose dims claim 10^9 values before allocating them (a RangeError escaped)', () => {
    const bytes = edited('torch_mlp', (m) => { m.graph.initializers.find((t) => t.dims.length === 2)!.dims[0] = 1e9; });
    expect(() => readONNX(bytes)).toThrow(ModelFormatError);
    expect(() => readONNX(bytes)).toThrow(/dims \[1000000000, \d+\]/);
  });

  it('frees the model when the classes tensor is corrupt (the network built before it stayed in the arena)', () => {
    const bytes = edited('skl2onnx_mlp_multiclass', (m) => {
      const t = m.graph.initializers.find((x) => x.name === 'classes')!;
      t.raw = t.raw!.slice(0, 8);
    });
    const before = arena();
    expect(() => readONNX(bytes)).toThrow(/classes: raw_data has 8 bytes/);
    expect(arena()).toEqual(before);
  });

  it('refuses a declared input width of 10^9 features before building per-feature arrays (the process ran out of heap)', () => {
    const bytes = edited('skl2onnx_pipeline_scaler_logreg', (m) => { m.graph.inputs[0]!.shape![1] = 1e9; });
    expect(() => readONNX(bytes)).toThrow(ModelFormatError);
    expect(() => readONNX(bytes)).toThrow(/declares 1000000000 features/);
  });
});
