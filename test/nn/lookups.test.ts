// Lookups by a name a user (or a file) gives (issue 13, defect 7): Object.prototype's names —
// constructor, __proto__, toString, hasOwnProperty, valueOf — are unknown names like any other,
// with the usual "unknown X; expected one of …" error, in the library, the CLI and the importers.
import { describe, expect, it } from 'vitest';
import {
  createBackendSync, dense, ModelFormatError, Sequential, SimdnetError, ValidationError,
} from '../../src/index.js';
import { createClassifier } from '../../src/estimators/base.js';
import { main } from '../../src/cli/app.js';
import { fromTfjs, readONNX, toONNX, UnsupportedLayerError, UnsupportedOnnxError } from '../../src/interop/index.js';
import { tfjsFixture } from '../interop/helpers.js';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

function thrown(f: () => unknown): Error {
  try { f(); } catch (e) { return e as Error; }
  throw new Error('did not throw');
}

describe('library lookups by name', () => {
  const backend = createBackendSync({ backend: 'js' });
  const net = () => new Sequential({ inputSize: 2, backend, layers: [dense(2, { activation: 'softmax' })] });

  it.each(NAMES)('%s is an unknown optimizer, loss, activation, initializer, layer type and estimator', (name) => {
    const m = net();
    const cases: [() => unknown, RegExp][] = [
      [() => m.compile({ optimizer: name as 'adam' }), new RegExp(`^optimizer: unknown optimizer "${name}"; expected one of sgd, `)],
      [() => m.compile({ optimizer: { type: name, learningRate: 0.1 } as never }), /^optimizer: expected an optimizer \(sgd\(\), adam\(\), \.\.\.\) or one of sgd/],
      [() => m.compile({ loss: name as 'categoricalCrossentropy' }), new RegExp(`^loss: unknown loss "${name}"; expected one of `)],
      [() => dense(2, { activation: name as 'relu' }), new RegExp(`^dense\\.activation: unknown activation "${name}"; expected one of `)],
      [() => dense(2, { init: name as 'he' }), new RegExp(`^init: unknown initializer "${name}"; expected one of `)],
      [() => new Sequential({ inputSize: 2, backend, layers: [{ type: name } as never] }), new RegExp(`^layers\\[0\\]\\.type: expected 'dense', 'dropout' or 'batchNorm', got "${name}"`)],
      [() => createClassifier(name), new RegExp(`^type: no estimator type "${name}" can be created; known: `)],
    ];
    for (const [f, message] of cases) {
      const e = thrown(f);
      expect(e, message.source).toBeInstanceOf(ValidationError);
      expect(e.message).toMatch(message);
    }
    expect(m.compiled).toBeUndefined();
    m.dispose();
  });

  it('a model file whose optimizer or layer type is such a name is a ModelFormatError', () => {
    const json = net().compile().toJSON();
    for (const name of NAMES) {
      const bad = { ...json, compile: { ...json.compile!, optimizer: { ...json.compile!.optimizer, type: name } } };
      expect(() => Sequential.fromJSON(JSON.stringify(bad), { backend })).toThrow(ModelFormatError);
      const badLayer = { ...json, layers: [{ ...json.layers[0]!, type: name }] };
      expect(() => Sequential.fromJSON(JSON.stringify(badLayer), { backend })).toThrow(/layers\[0\]\.type: expected 'dense'/);
    }
  });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, columns: 80 });
  return { code, out, err };
}

describe('CLI lookups by name', () => {
  it.each(NAMES)('`simdnet %s` is an unknown command', async (name) => {
    const r = await cli([name]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`simdnet: error: unknown command ${JSON.stringify(name)}; the commands are train, evaluate, predict, export, import, quantize, info (see 'simdnet --help')\n`);
  });

  it.each(NAMES)('`simdnet train iris --%s 1` is an unknown option', async (name) => {
    const r = await cli(['train', 'iris', `--${name}`, '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^simdnet: error: unknown option --${name.replace(/[$]/g, '\\$&')} for 'simdnet train'`));
  });

  it.each(NAMES)('choices and named delimiters: --optimizer and --delimiter %s', async (name) => {
    const o = await cli(['train', 'iris', '--optimizer', name]);
    expect(o.code).toBe(2);
    expect(o.err).toMatch(new RegExp(`^simdnet: error: --optimizer must be one of sgd, .*; got "${name}"`));
    const d = await cli(['train', 'iris', '--delimiter', name]);
    expect(d.code).toBe(2);
    expect(d.err).toBe(`simdnet: error: --delimiter expects one character, tab or auto, got "${name}"\n`);
  });
});

describe('importer lookups by the names a file gives', () => {
  const backend = createBackendSync({ backend: 'js' });

  it.each(NAMES)('a TensorFlow.js layer whose activation is %s: UnsupportedLayerError', (name) => {
    const f = tfjsFixture('dense_relu_softmax');
    const j = structuredClone(f.modelJson) as { modelTopology: { config: { layers: { config: { activation: string } }[] } } };
    j.modelTopology.config.layers[0]!.config.activation = name;
    const live = backend.arena.liveBytes;
    const e = thrown(() => fromTfjs(j as never, f.weights, { backend }));
    expect(e).toBeInstanceOf(UnsupportedLayerError);
    expect(e).toBeInstanceOf(SimdnetError);
    expect(e.message).toContain(`activation ${JSON.stringify(name)} has no simdnet equivalent (simdnet reads linear, relu,`);
    expect(backend.arena.liveBytes).toBe(live);
  });

  it('an ONNX node whose op type is valueOf (Sigmoid renamed in the bytes): UnsupportedOnnxError', () => {
    const m = new Sequential({ inputSize: 3, seed: 1, backend, layers: [dense(4, { activation: 'sigmoid' }), dense(2, { activation: 'softmax' })] });
    const bytes = toONNX(m);
    m.dispose();
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('Sigmoid');
    const renamed = new Uint8Array(Buffer.from(text.replaceAll('Sigmoid', 'valueOf'), 'latin1'));
    expect(renamed.length).toBe(bytes.length);
    const e = thrown(() => readONNX(renamed, { backend }));
    expect(e).toBeInstanceOf(UnsupportedOnnxError);
    expect(e.message).toMatch(/valueOf/);
  });
});
