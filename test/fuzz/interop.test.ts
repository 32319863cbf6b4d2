// Fuzz: the ONNX and TensorFlow.js importers on mutated real files (test/interop/fixtures: PyTorch,
// tf2onnx, skl2onnx and tfjs-layers exports). Three kinds of damage:
//   - bytes: truncation, bit flips, a byte set, inserted or deleted, a run of 0xff (runaway varints);
//   - structure (ONNX): the file decoded, one thing changed (an initializer's dims, type or data, a
//     node's op type or attribute, the input's shape), encoded again;
//   - JSON (tfjs): model.json edited as the model files are (test/fuzz/mutate.ts), the weight
//     shapes in the manifest changed, the weights file damaged.
// A file may be refused with a SimdnetError only. Where the change makes the file inconsistent
// (an initializer whose dims no longer match its data, a weight shape whose sizes no longer add up
// to the weights file, an op type that is a name of Object.prototype) it must be refused. A file
// that imports must predict without a foreign error. The arena is checked after every case (this
// file replaces test/interop/fuzz.test.ts, which checked it once at the end of 600 cases).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFormatError, SimdnetError, type Sequential } from '../../src/index.js';
import { fromTfjs, readONNX } from '../../src/interop/index.js';
import { decodeModel, encodeModel, type OnnxModel, type OnnxTensor } from '../../src/interop/onnx-proto.js';
import { FIXTURES, onnxFixture, tfjsFixture } from '../interop/helpers.js';
import { fuzz, printReports, type CaseOutcome, type Gen } from './harness.js';
import { mutateJson, mutateText, PROTOTYPE_NAMES } from './mutate.js';

const ONNX_SEEDS = readdirSync(join(FIXTURES, 'onnx')).filter((f) => f.endsWith('.onnx')).map((f) => f.replace(/\.onnx$/, '')).sort();
const TFJS_SEEDS = ['dense_relu_softmax', 'every_layer', 'binary_no_bias'];

const BYTE_MUTATORS: Record<string, (g: Gen, b: Uint8Array) => Uint8Array> = {
  truncate: (g, b) => b.slice(0, g.int(0, b.length - 1)),
  flip: (g, b) => { const c = b.slice(); for (let k = g.int(1, 4); k > 0; k--) c[g.int(0, c.length - 1)] ^= 1 << g.int(0, 7); return c; },
  byte: (g, b) => { const c = b.slice(); c[g.int(0, c.length - 1)] = g.int(0, 255); return c; },
  insert: (g, b) => { const at = g.int(0, b.length); const c = new Uint8Array(b.length + 1); c.set(b.subarray(0, at)); c[at] = g.int(0, 255); c.set(b.subarray(at), at + 1); return c; },
  remove: (g, b) => { const at = g.int(0, b.length - 1); const c = new Uint8Array(b.length - 1); c.set(b.subarray(0, at)); c.set(b.subarray(at + 1), at); return c; },
  varint: (g, b) => { const c = b.slice(); const at = g.int(0, c.length - 1); for (let k = at; k < Math.min(c.length, at + 10); k++) c[k] = 0xff; return c; },
};

function randomX(g: Gen, rows: number, cols: number): { data: Float32Array; rows: number; cols: number } {
  return { data: Float32Array.from({ length: rows * cols }, () => (g.r() - 0.5) * 4), rows, cols };
}

/** An imported model predicts, then is disposed whatever happens. */
function use(g: Gen, model: Sequential): void {
  try {
    const P = model.predict(randomX(g, 3, model.inputSize));
    expect(P.rows).toBe(3);
  } finally {
    model.dispose();
  }
}

function elements(t: OnnxTensor): number {
  if (t.raw) return t.raw.length / ({ 1: 4, 6: 4, 7: 8, 11: 8, 10: 2, 2: 1, 3: 1, 9: 1 } as Record<number, number>)[t.dataType]!;
  return t.floatData.length + t.int32Data.length + t.int64Data.length + t.doubleData.length + t.uint64Data.length + t.stringData.length;
}

/**
 * One structural change of an ONNX model; sets outcome.expectError where the change must be
 * refused. Only in graphs of one output: there every node and initializer is on the way to it,
 * while skl2onnx's label branch (ArgMax, a classes tensor, Cast) is not read for the probabilities.
 */
function mutateOnnx(g: Gen, m: OnnxModel, outcome: CaseOutcome): string {
  const graph = m.graph;
  const must = graph.outputs.length === 1;
  const used = new Set(graph.nodes.flatMap((n) => n.inputs));
  const inits = graph.initializers.filter((t) => used.has(t.name) && !t.external && elements(t) > 0);
  const op = g.int(0, 6);
  if (op <= 2 && inits.length) {
    const t = g.pick(inits);
    const count = t.dims.reduce((a, d) => a * d, 1);
    if (op === 0) {
      // dims that no longer match the data: a corrupt tensor
      const k = g.int(0, Math.max(0, t.dims.length - 1));
      const dims = t.dims.length ? t.dims.slice() : [1];
      dims[k] = g.pick([dims[k]! + 1, Math.max(0, dims[k]! - 1) === dims[k] ? dims[k]! + 2 : dims[k]! - 1, 1e9, 2 ** 31, dims[k]! * 2 + 1]);
      if (must && dims.reduce((a, d) => a * d, 1) !== count) outcome.expectError = ModelFormatError;
      t.dims = dims;
      return `dims of ${t.name} = [${dims.join(', ')}] (data holds ${count})`;
    }
    if (op === 1) {
      // the same count in another shape (a transposed weight matrix reads as another layer)
      t.dims = g.bool() ? [count] : [...t.dims].reverse();
      return `dims of ${t.name} reshaped to [${t.dims.join(', ')}]`;
    }
    if (t.raw) {
      t.raw = t.raw.slice(0, t.raw.length - g.pick([1, 4, 8]));
      if (must) outcome.expectError = ModelFormatError;
      return `data of ${t.name} cut short`;
    }
    if (t.floatData.length) {
      t.floatData[g.int(0, t.floatData.length - 1)] = g.pick([NaN, Infinity, -Infinity]);
      return `a non-finite value in ${t.name}`;
    }
    t.dataType = g.pick([0, 8, 9, 13, 16, 99]);
    return `type of ${t.name} = ${t.dataType}`;
  }
  if (op === 3 && graph.nodes.length) {
    const n = g.pick(graph.nodes);
    n.opType = g.pick(PROTOTYPE_NAMES);
    if (must) outcome.expectError = ModelFormatError;
    return `op type of ${n.name || n.outputs[0]} = ${n.opType}`;
  }
  if (op === 4 && graph.nodes.some((n) => n.attributes.length)) {
    const n = g.pick(graph.nodes.filter((x) => x.attributes.length));
    const a = g.pick(n.attributes);
    if (a.i !== undefined) a.i = g.pick([-1, 2, 1e9, a.i + 1]);
    else if (a.f !== undefined) a.f = g.pick([NaN, Infinity, -1, 0, a.f * 10]);
    else if (a.ints.length) a.ints = g.bool() ? [] : [...a.ints, 7];
    else a.name = g.pick(PROTOTYPE_NAMES);
    return `attribute ${a.name} of ${n.opType}`;
  }
  if (op === 5 && graph.inputs[0]?.shape?.length) {
    const s = graph.inputs[0].shape;
    const k = g.int(0, s.length - 1);
    s[k] = g.pick([0, 1, 1e9, -1, 'batch', null, typeof s[k] === 'number' ? s[k] + 1 : 3]);
    return `input shape [${s.join(', ')}]`;
  }
  if (graph.nodes.length > 1) {
    const at = g.int(0, graph.nodes.length - 1);
    if (g.bool()) graph.nodes.splice(at, 1); else graph.nodes.splice(at, 0, structuredClone(graph.nodes[at]!));
    return `node ${at} removed or duplicated`;
  }
  return 'unchanged';
}

describe('fuzz: interop importers', () => {
  afterAll(printReports);
  const onnx = ONNX_SEEDS.map((n) => onnxFixture(n).bytes);
  const tfjs = TFJS_SEEDS.map(tfjsFixture);

  it('readONNX: damaged bytes are refused with a SimdnetError or import a model that predicts', async () => {
    const names = Object.keys(BYTE_MUTATORS);
    const r = await fuzz('onnx.bytes', 3000, (g, outcome) => {
      const k = g.int(0, onnx.length - 1);
      const m = g.pick(names);
      outcome.kind = m;
      outcome.detail = `${ONNX_SEEDS[k]} ${m}`;
      outcome.expectError = SimdnetError;
      outcome.mayRefuse = true;
      use(g, readONNX(BYTE_MUTATORS[m]!(g, onnx[k]!)).model);
    });
    expect(r.errors).toBeGreaterThan(r.cases / 4);
  }, 120_000);

  it('readONNX: structural changes (dims, types, data, op types, attributes, input shape, nodes); inconsistent files refused', async () => {
    const decoded = onnx.map((b) => decodeModel(b));
    const r = await fuzz('onnx.structure', 3000, (g, outcome) => {
      const k = g.int(0, decoded.length - 1);
      const m = structuredClone(decoded[k]!);
      const what = mutateOnnx(g, m, outcome);
      outcome.kind = what.split(' ')[0];
      outcome.detail = `${ONNX_SEEDS[k]}: ${what}`;
      if (!outcome.expectError) { outcome.expectError = SimdnetError; outcome.mayRefuse = true; }
      use(g, readONNX(encodeModel(m)).model);
    });
    expect(r.errors).toBeGreaterThan(r.cases / 4);
  }, 120_000);

  it('fromTfjs: edited model.json, wrong weight shapes and damaged weights are refused with a SimdnetError or import a model that predicts', async () => {
    const names = Object.keys(BYTE_MUTATORS);
    const r = await fuzz('tfjs', 4000, (g, outcome) => {
      const k = g.int(0, tfjs.length - 1);
      const f = tfjs[k]!;
      let json: unknown = f.modelJson;
      let weights = f.weights;
      const kind = g.pick(['json', 'text', 'shape', 'weights'] as const);
      outcome.kind = kind;
      outcome.expectError = SimdnetError;
      outcome.mayRefuse = true;
      if (kind === 'json') {
        const m = mutateJson(g, json);
        json = m.doc;
        outcome.detail = `${TFJS_SEEDS[k]}: ${m.what}`;
      } else if (kind === 'text') {
        const t = mutateText(g, JSON.stringify(json));
        json = t.text;
        outcome.detail = `${TFJS_SEEDS[k]}: ${t.what}`;
      } else if (kind === 'shape') {
        // a weight shape whose size changes: the manifest no longer adds up to the weights file
        const j = structuredClone(json) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
        const w = g.pick(j.weightsManifest.flatMap((grp) => grp.weights));
        const before = w.shape.reduce((a, d) => a * d, 1);
        const d = g.int(0, w.shape.length - 1);
        w.shape[d] = g.pick([w.shape[d]! + 1, w.shape[d]! - 1, 0, 1e9, 2 ** 31]);
        if (w.shape.reduce((a, x) => a * x, 1) !== before) outcome.expectError = ModelFormatError;
        outcome.mayRefuse = outcome.expectError !== ModelFormatError;
        json = j;
        outcome.detail = `${TFJS_SEEDS[k]}: shape of ${w.name} = [${w.shape.join(', ')}]`;
      } else {
        const m = g.pick(names);
        weights = BYTE_MUTATORS[m]!(g, weights);
        outcome.detail = `${TFJS_SEEDS[k]}: weights ${m}`;
      }
      use(g, fromTfjs(json as never, weights));
    });
    expect(r.errors).toBeGreaterThan(r.cases / 4);
  }, 120_000);
});
