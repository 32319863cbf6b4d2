// TensorFlow.js Layers format → Sequential: model.json (modelTopology + weightsManifest, as
// tf.LayersModel.save and tensorflowjs_converter write it) and the weight bytes. Dense kernels
// are Keras' [in, out] and are transposed to simdnet's [out × in]. Weights are found by name
// ("<layer>/kernel"), as tf.loadLayersModel does; float16 and uint8/uint16-quantized weights
// are expanded. Keras defaults apply where a config leaves a field out.

import { ModelFormatError } from './lib.js';
import type { ActivationName } from '../nn/activations.js';
import type { SequentialOptions } from '../nn/sequential.js';
import { Sequential } from './lib.js';
import { UnsupportedLayerError } from './errors.js';
import { complement, NetBuilder } from './netbuilder.js';
import { halfToNumber } from './onnx-tensor.js';

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface TfjsModelJSON {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest?: { paths: string[]; weights: TfjsWeightSpec[] }[];
  /** tf.io.ModelArtifacts form: the specs without the manifest. */
  weightSpecs?: TfjsWeightSpec[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** tfjs activation names (a Map: names come from the file, and 'constructor' is not an activation). */
const ACTIVATIONS: ReadonlyMap<string, ActivationName> = new Map(Object.entries({
  linear: 'identity', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', elu: 'elu', softplus: 'softplus',
  softsign: 'softsign', swish: 'silu', silu: 'silu', gelu: 'gelu',
} as const));

function activationName(v: unknown, layer: string, cls: string): ActivationName {
  const name = v === undefined || v === null ? 'linear' : isObj(v) ? (v.class_name ?? (isObj(v.config) ? v.config.name : undefined)) : v;
  const a = typeof name === 'string' ? ACTIVATIONS.get(name) ?? ACTIVATIONS.get(name.toLowerCase()) : undefined;
  if (!a) {
    throw new UnsupportedLayerError(layer, cls, `activation ${JSON.stringify(name)} has no simdnet equivalent (simdnet reads ${[...ACTIVATIONS.keys()].join(', ')})`);
  }
  return a;
}

/** Expands the weight bytes into named float arrays. */
export function decodeWeights(specs: TfjsWeightSpec[], data: Uint8Array): Map<string, { shape: number[]; values: Float64Array }> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Map<string, { shape: number[]; values: Float64Array }>();
  let off = 0;
  for (const s of specs) {
    if (!s || typeof s.name !== 'string' || !Array.isArray(s.shape) || s.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ModelFormatError(`weightsManifest: a weight entry is malformed (${JSON.stringify(s)?.slice(0, 80)})`);
    }
    const n = s.shape.reduce((a, d) => a * d, 1);
    const q = s.quantization;
    const kind = q ? q.dtype : s.dtype;
    const size = kind === 'float32' || kind === 'int32' ? 4 : kind === 'float16' || kind === 'uint16' ? 2 : kind === 'uint8' ? 1 : 0;
    if (!size) throw new ModelFormatError(`weight ${s.name}: dtype ${JSON.stringify(kind)} is not supported (float32, float16, int32, or uint8/uint16 quantization)`);
    if (off + n * size > data.byteLength) {
      throw new ModelFormatError(`weight ${s.name} needs bytes ${off}..${off + n * size}, the weight data has ${data.byteLength} (a truncated weights.bin, or files in the wrong order)`);
    }
    const v = new Float64Array(n);
    const scale = q?.scale ?? 1;
    const min = q?.min ?? 0;
    for (let k = 0; k < n; k++) {
      const o = off + k * size;
      switch (kind) {
        case 'float32': v[k] = view.getFloat32(o, true); break;
        case 'int32': v[k] = view.getInt32(o, true); break;
        case 'float16': v[k] = halfToNumber(view.getUint16(o, true)); break;
        case 'uint16': v[k] = view.getUint16(o, true) * scale + min; break;
        default: v[k] = view.getUint8(o) * scale + min;
      }
      if (!Number.isFinite(v[k]!)) throw new ModelFormatError(`weight ${s.name}: value ${k} is ${v[k]}`);
    }
    off += n * size;
    out.set(s.name, { shape: s.shape, values: v });
  }
  if (off !== data.byteLength) throw new ModelFormatError(`the weight data has ${data.byteLength} bytes, the manifest describes ${off}`);
  return out;
}

interface LayerEntry { cls: string; name: string; config: Obj }

/** The layers of a Sequential model, or of a functional model whose layers form a chain. */
function layerList(topology: unknown): LayerEntry[] {
  let t = isObj(topology) && isObj(topology.model_config) ? topology.model_config : topology;
  if (!isObj(t)) throw new ModelFormatError('modelTopology is not an object (not a TensorFlow.js Layers model.json)');
  const cls = t.class_name;
  const cfg = t.config;
  const raw = Array.isArray(cfg) ? cfg : isObj(cfg) && Array.isArray(cfg.layers) ? cfg.layers : undefined;
  if (!raw) throw new ModelFormatError(`modelTopology: a ${String(cls)} model without a layer list`);
  if (cls !== 'Sequential' && cls !== 'Model' && cls !== 'Functional') {
    throw new ModelFormatError(`modelTopology: class ${JSON.stringify(cls)} is not a Sequential or functional model`);
  }
  const layers = raw.map((l, k): LayerEntry => {
    if (!isObj(l) || typeof l.class_name !== 'string' || !isObj(l.config)) throw new ModelFormatError(`modelTopology: layer ${k} is malformed`);
    const name = typeof l.config.name === 'string' ? l.config.name : typeof l.name === 'string' ? l.name : `layer_${k}`;
    return { cls: l.class_name, name, config: l.config };
  });
  if (cls !== 'Sequential') {
    // A functional model: each layer must take the previous one's output.
    raw.forEach((l, k) => {
      if (k === 0) return;
      const inbound = JSON.stringify((l as Obj).inbound_nodes ?? []);
      if (!inbound.includes(JSON.stringify(layers[k - 1]!.name))) {
        throw new UnsupportedLayerError(layers[k]!.name, layers[k]!.cls, `does not take the output of ${JSON.stringify(layers[k - 1]!.name)}; only chain-shaped functional models map to a Sequential`);
      }
    });
  }
  return layers;
}

function inputWidth(c: Obj): number | undefined {
  const shape = c.batch_input_shape ?? c.batch_shape ?? (Array.isArray(c.input_shape) ? [null, ...c.input_shape as unknown[]] : undefined);
  if (!Array.isArray(shape)) return undefined;
  const dims = shape.slice(1);
  if (dims.length === 0 || dims.some((d) => typeof d !== 'number' || d < 1)) return undefined;
  return (dims as number[]).reduce((a, d) => a * d, 1);
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * Rebuilds a Sequential from a TensorFlow.js Layers model: the model.json object (or its text)
 * and the bytes of its weight files, concatenated in manifest order.
 * @example const model = fromTfjs(JSON.parse(modelJsonText), readFileSync('weights.bin'))
 */
export function fromTfjs(modelJson: TfjsModelJSON | string, weightData: Uint8Array | ArrayBuffer, options: { backend?: SequentialOptions['backend']; seed?: number } = {}): Sequential {
  let j: unknown = modelJson;
  if (typeof j === 'string') {
    try { j = JSON.parse(j); } catch (e) { throw new ModelFormatError(`model.json is not valid JSON: ${(e as Error).message}`); }
  }
  if (!isObj(j) || !('modelTopology' in j)) throw new ModelFormatError('not a TensorFlow.js Layers model.json: no modelTopology');
  const m = j as unknown as TfjsModelJSON;
  const specs = m.weightSpecs ?? (Array.isArray(m.weightsManifest) ? m.weightsManifest.flatMap((g) => (isObj(g) && Array.isArray(g.weights) ? g.weights : [])) : undefined);
  if (!specs) throw new ModelFormatError('model.json has no weightsManifest');
  const bytes = weightData instanceof Uint8Array ? weightData : weightData instanceof ArrayBuffer ? new Uint8Array(weightData) : undefined;
  if (!bytes) throw new ModelFormatError(`weightData must be bytes (Uint8Array or ArrayBuffer), got ${typeof weightData}`);
  const weights = decodeWeights(specs, bytes);
  const layers = layerList(m.modelTopology);
  let current: LayerEntry | undefined;
  const fail = (label: string, why: string): never => { throw new UnsupportedLayerError(label, current?.cls ?? 'layer', why); };
  const first = layers.find((l) => inputWidth(l.config) !== undefined);
  const nb = new NetBuilder(first ? inputWidth(first.config)! : 0, fail);
  const weight = (l: LayerEntry, param: string, n?: number): Float64Array => {
    const exact = weights.get(`${l.name}/${param}`);
    const hit = exact ?? [...weights.entries()].find(([k]) => k.endsWith(`/${l.name}/${param}`))?.[1];
    if (!hit) throw new ModelFormatError(`layer ${JSON.stringify(l.name)} (${l.cls}): weight ${l.name}/${param} is not in the manifest`);
    if (n !== undefined && hit.values.length !== n) throw new ModelFormatError(`weight ${l.name}/${param} has ${hit.values.length} values, expected ${n}`);
    return hit.values;
  };
  for (const l of layers) {
    current = l;
    const c = l.config;
    switch (l.cls) {
      case 'InputLayer': break;
      case 'Flatten': break; // rows arrive flattened; the input width is the product of the input shape
      case 'Dropout': nb.dropout(Math.min(Math.max(num(c.rate, 0), 0), 0.999), l.name); break;
      case 'Dense': {
        const units = num(c.units, 0);
        if (!Number.isInteger(units) || units < 1) fail(l.name, `units ${String(c.units)} is not a positive integer`);
        const kernel = weights.get(`${l.name}/kernel`) ?? [...weights.entries()].find(([k]) => k.endsWith(`/${l.name}/kernel`))?.[1];
        if (!kernel || kernel.shape.length !== 2 || kernel.shape[1] !== units) throw new ModelFormatError(`layer ${JSON.stringify(l.name)} (Dense): kernel missing or not [in, ${units}]`);
        const [inSize] = kernel.shape as [number, number];
        const W = new Float64Array(units * inSize);
        for (let r = 0; r < inSize; r++) for (let k = 0; k < units; k++) W[k * inSize + r] = kernel.values[r * units + k]!;
        const b = c.use_bias === false ? undefined : weight(l, 'bias', units);
        nb.dense(W, b, units, l.name);
        const act = activationName(c.activation, l.name, l.cls);
        if (act !== 'identity') nb.activation(act, {}, l.name);
        break;
      }
      case 'Activation': nb.activation(activationName(c.activation, l.name, l.cls), {}, l.name); break;
      case 'ReLU': {
        const slope = num(c.negative_slope, 0);
        if (c.max_value !== undefined && c.max_value !== null) fail(l.name, 'a ReLU with max_value (relu6 and kin) has no simdnet equivalent');
        if (num(c.threshold, 0) !== 0) fail(l.name, 'a ReLU with a threshold has no simdnet equivalent');
        nb.activation(slope === 0 ? 'relu' : 'leakyRelu', slope === 0 ? {} : { alpha: slope }, l.name);
        break;
      }
      case 'LeakyReLU': nb.activation('leakyRelu', { alpha: num(c.alpha ?? c.negative_slope, 0.3) }, l.name); break;
      case 'ELU': nb.activation('elu', { alpha: num(c.alpha, 1) }, l.name); break;
      case 'PReLU': {
        if (c.shared_axes !== undefined && c.shared_axes !== null) fail(l.name, 'shared_axes is not supported (simdnet learns one slope per unit)');
        nb.activation('prelu', { slope: weight(l, 'alpha', nb.size) }, l.name);
        break;
      }
      case 'Softmax': nb.activation('softmax', {}, l.name); break;
      case 'BatchNormalization': {
        const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
        if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== 1)) fail(l.name, `axis ${JSON.stringify(c.axis)} is not the feature axis`);
        const n = nb.size;
        nb.batchNorm({
          gamma: c.scale === false ? new Float64Array(n).fill(1) : weight(l, 'gamma', n),
          beta: c.center === false ? new Float64Array(n) : weight(l, 'beta', n),
          mean: weight(l, 'moving_mean', n), variance: weight(l, 'moving_variance', n),
          epsilon: num(c.epsilon, 1e-3), momentum: complement(num(c.momentum, 0.99)),
        }, l.name);
        break;
      }
      default: fail(l.name, 'this layer type is not supported');
    }
  }
  current = undefined;
  const { layers: specsOut, weights: w } = nb.finish();
  let model: Sequential;
  try {
    model = new Sequential({ inputSize: nb.inputSize, layers: specsOut, seed: options.seed ?? 0, backend: options.backend });
  } catch (e) {
    throw new ModelFormatError(`the TensorFlow.js model maps to an invalid simdnet network: ${(e as Error).message}`);
  }
  try {
    model.setWeights(w);
  } catch (e) {
    model.dispose();
    throw new ModelFormatError(`the TensorFlow.js weights do not fit: ${(e as Error).message}`);
  }
  return model;
}
