// ONNX → Sequential. Follows the chain of values from the graph input to the chosen output and
// turns each operator (or multi-operator activation, onnx-import-patterns.ts) into simdnet
// layers through NetBuilder. Anything else is an UnsupportedOnnxError naming the node: the
// import is the same model or no model. Class labels come from the label branch (ArgMax +
// ArrayFeatureExtractor/Gather, LinearClassifier's classlabels, ZipMap).

import { ModelFormatError } from './lib.js';
import type { SequentialOptions } from '../nn/sequential.js';
import { Sequential } from './lib.js';
import { UnsupportedOnnxError } from './errors.js';
import { NetBuilder } from './netbuilder.js';
import { nodeLabel, scalarOf, GraphView } from './onnx-graph.js';
import { applyNode, type ChainState } from './onnx-import-ops.js';
import { matchActivation } from './onnx-import-patterns.js';
import { attachExternalData, type ExternalDataResolver } from './onnx-external.js';
import { decodeModel, DT, dataTypeName, type OnnxNode } from './onnx-proto.js';

export interface OnnxImportOptions {
  /** The graph output the network computes; default: the only float output (for classifier graphs, the probabilities). */
  output?: string;
  /** Backend of the new model (default: the one ready() chose). */
  backend?: SequentialOptions['backend'];
  /** Seed of the new model (dropout masks if it is trained further). Default 0. */
  seed?: number;
  /** The bytes of external data files (initializers saved with data_location = EXTERNAL), by location. loadONNX reads them beside the model. */
  externalData?: ExternalDataResolver;
}

export interface OnnxImport {
  model: Sequential;
  /** Graph input and output names. */
  input: string;
  output: string;
  /** Class labels found in the graph (a classifier exported with its labels), else undefined. */
  classes?: number[] | string[];
  /** 'positiveClass' when the file's output is [1 − p, p] and the network gives p (one sigmoid unit). */
  outputForm: 'same' | 'positiveClass';
  producer: string;
  opset: number;
}

/** 2^24 features: 64 MiB of float32 for each unit of a first dense layer. */
const MAX_INPUT_WIDTH = 2 ** 24;

const FLOATS: readonly number[] = [DT.FLOAT, DT.DOUBLE, DT.FLOAT16];

function chooseOutput(g: GraphView, want: string | undefined): string {
  const outs = g.graph.outputs;
  if (want !== undefined) {
    if (!outs.some((o) => o.name === want) && !g.producer.has(want)) {
      throw new ModelFormatError(`options.output: the graph has no output ${JSON.stringify(want)}; its outputs are ${outs.map((o) => JSON.stringify(o.name)).join(', ')}`);
    }
    return want;
  }
  const zip = g.graph.nodes.find((n) => n.opType === 'ZipMap');
  if (zip) return zip.inputs[0]!;
  const floats = outs.filter((o) => o.kind === 'tensor' && (o.elemType === 0 || FLOATS.includes(o.elemType)));
  if (floats.length === 1) return floats[0]!.name;
  const named = floats.find((o) => o.name === 'probabilities' || o.name === 'output_probability');
  if (named) return named.name;
  throw new ModelFormatError(`the graph has ${floats.length} float outputs (${floats.map((o) => JSON.stringify(o.name)).join(', ') || 'none'}); pass { output: name } to say which one the network computes`);
}

/** Sees through Cast/Identity; a binary [1 − p, p] Concat becomes p. */
function retarget(g: GraphView, value: string): { value: string; positive: boolean } {
  let v = value;
  for (;;) {
    const n = g.producer.get(v);
    if (n && (n.opType === 'Cast' || n.opType === 'Identity') && n.domain === '') { v = n.inputs[0]!; continue; }
    if (n && n.opType === 'Concat' && n.inputs.length === 2 && Math.abs(g.attrInt(n, 'axis', 1)) === 1) {
      const sub = g.producer.get(n.inputs[0]!);
      if (sub && sub.opType === 'Sub' && sub.inputs[1] === n.inputs[1] && scalarOf(g.constant(sub.inputs[0]!)) === 1) return { value: n.inputs[1]!, positive: true };
    }
    return { value: v, positive: false };
  }
}

function findClasses(g: GraphView): number[] | string[] | undefined {
  for (const n of g.graph.nodes) {
    if (n.domain === 'ai.onnx.ml' && (n.opType === 'LinearClassifier' || n.opType === 'ZipMap')) {
      const s = g.attrStrings(n, 'classlabels_strings');
      if (s) return s;
      const ints = g.attrInts(n, n.opType === 'ZipMap' ? 'classlabels_int64s' : 'classlabels_ints');
      if (ints) return ints;
    }
  }
  for (const n of g.graph.nodes) {
    const isLookup = (n.opType === 'ArrayFeatureExtractor' && n.domain === 'ai.onnx.ml') || (n.opType === 'Gather' && n.domain === '');
    const idx = isLookup ? g.producer.get(n.inputs[1] ?? '') : undefined;
    if (!idx || idx.opType !== 'ArgMax') continue;
    const c = g.constant(n.inputs[0]!);
    if (c?.strings) return c.strings;
    if (c?.values) return Array.from(c.values);
  }
  return undefined;
}

function inputWidth(dims: (number | string | null)[] | undefined, first: OnnxNode | undefined): { size: number; rank: number } {
  if (!dims) return { size: 0, rank: 2 };
  const rest = dims.slice(1);
  if (rest.length === 0) throw new UnsupportedOnnxError(first ? nodeLabel(first) : 'input', first?.opType ?? 'input', 'the graph input has rank 1; simdnet needs [batch, features]');
  const size = rest.every((d) => typeof d === 'number' && d > 0) ? rest.reduce<number>((a, d) => a * (d as number), 1) : 0;
  // per-feature arrays (a Scaler's, an identity layer's) are built from this width before any weights are read
  if (size > MAX_INPUT_WIDTH) throw new ModelFormatError(`the graph input declares ${size} features ([${dims.join(', ')}]); simdnet imports at most ${MAX_INPUT_WIDTH}`);
  return { size, rank: dims.length };
}

/**
 * Reads an ONNX file written by torch.onnx.export (nn.Sequential MLPs), tf2onnx (Keras Dense
 * models), skl2onnx (MLPClassifier, LogisticRegression) or simdnet, and rebuilds the network.
 * @example const { model, classes } = readONNX(bytes); model.predict(X)
 */
export function readONNX(bytes: Uint8Array, options: OnnxImportOptions = {}): OnnxImport {
  const m = decodeModel(bytes);
  attachExternalData(m, options.externalData);
  const g = new GraphView(m);
  const inputs = g.graph.inputs.filter((v) => !g.isConstant(v.name));
  if (inputs.length !== 1) {
    throw new ModelFormatError(`simdnet imports graphs with one input, this one has ${inputs.length} (${inputs.map((v) => JSON.stringify(v.name)).join(', ')})`);
  }
  const input = inputs[0]!;
  if (input.kind !== 'tensor' || !FLOATS.includes(input.elemType)) {
    throw new ModelFormatError(`the graph input ${JSON.stringify(input.name)} is ${input.kind === 'tensor' ? `a ${dataTypeName(input.elemType)} tensor` : `a ${input.kind}`}; simdnet needs float features`);
  }
  const output = chooseOutput(g, options.output);
  const target = retarget(g, output);
  const within = g.ancestors(target.value);
  if (target.value !== input.name && !g.consumers(input.name, within).length) {
    throw new ModelFormatError(`the output ${JSON.stringify(output)} does not depend on the input ${JSON.stringify(input.name)}`);
  }
  const firstUse = g.consumers(input.name, within)[0];
  const { size, rank } = inputWidth(input.shape, firstUse);
  let current: OnnxNode | undefined;
  const fail = (label: string, why: string): never => { throw new UnsupportedOnnxError(label, current?.opType ?? 'layer', why); };
  const nb = new NetBuilder(rank > 2 ? 0 : size, fail);
  const state: ChainState = { flattened: rank <= 2, flatSize: size };
  let cur = input.name;
  let guard = g.graph.nodes.length + 1;
  while (cur !== target.value) {
    if (guard-- < 0) throw new ModelFormatError('the graph has a cycle');
    const uses = g.consumers(cur, within);
    if (uses.length === 0) throw new ModelFormatError(`the value ${JSON.stringify(cur)} leads nowhere on the way to ${JSON.stringify(output)}`);
    if (!state.flattened && !['Flatten', 'Reshape', 'Cast', 'Identity'].includes(uses[0]!.opType)) {
      throw new UnsupportedOnnxError(nodeLabel(uses[0]!), uses[0]!.opType, `the input has rank ${rank}; simdnet layers need [batch, features] (a Flatten first)`);
    }
    const hit = state.flattened ? matchActivation(g, within, cur, nb.size) : undefined;
    if (hit) {
      current = hit.first;
      nb.activation(hit.activation, hit.params, nodeLabel(hit.first));
      cur = hit.out;
      continue;
    }
    if (uses.length > 1) {
      throw new UnsupportedOnnxError(nodeLabel(uses[1]!), uses[1]!.opType, `the value ${JSON.stringify(cur)} feeds ${uses.length} nodes (${uses.map((n) => n.opType).join(', ')}), a branch; simdnet layers form a chain`);
    }
    current = uses[0]!;
    cur = applyNode(g, current, cur, nb, state);
  }
  current = undefined;
  const { layers, weights } = nb.finish();
  // read before the model exists: a corrupt classes tensor must not leave a model's regions behind
  const classes = findClasses(g);
  let model: Sequential;
  try {
    model = new Sequential({ inputSize: nb.inputSize, layers, seed: options.seed ?? 0, backend: options.backend });
  } catch (e) {
    throw new ModelFormatError(`the ONNX graph maps to an invalid simdnet network: ${(e as Error).message}`);
  }
  try {
    model.setWeights(weights);
  } catch (e) {
    model.dispose();
    throw new ModelFormatError(`the ONNX graph's weights do not fit: ${(e as Error).message}`);
  }
  return {
    model, input: input.name, output, ...(classes ? { classes } : {}), outputForm: target.positive ? 'positiveClass' : 'same',
    producer: `${m.producerName}${m.producerVersion ? ` ${m.producerVersion}` : ''}`, opset: g.opset,
  };
}
