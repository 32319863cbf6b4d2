// Sequential → TensorFlow.js Layers format (what tf.loadLayersModel reads): a Keras Sequential
// topology with snake_case configs, one weights.bin of little-endian float32 in manifest order.
// A dense layer is a Dense with the activation both libraries share, or a linear Dense followed
// by a LeakyReLU / PReLU layer (Keras' own layers for parameterized activations); rrelu is
// written as its inference form, a LeakyReLU with the mean slope.

import { ValidationError } from './lib.js';
import type { ActivationName } from '../nn/activations.js';
import type { Sequential } from '../nn/sequential.js';
import type { TfjsModelJSON, TfjsWeightSpec } from './tfjs-read.js';

const SHARED: Partial<Record<ActivationName, string>> = {
  identity: 'linear', linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', softsign: 'softsign',
  silu: 'swish', gelu: 'gelu',
};

export interface TfjsArtifacts {
  modelJson: TfjsModelJSON & { weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[] };
  weightData: Uint8Array;
}

const GENERATED_BY = 'simdnet 0.1.0';

/**
 * The model as a TensorFlow.js Layers model: the model.json object and the weights.bin bytes.
 * @example const { modelJson, weightData } = toTfjs(model) // tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weightData.buffer }))
 */
export function toTfjs(model: Sequential, options: { weightsPath?: string } = {}): TfjsArtifacts {
  const weights = model.getWeights();
  const layers: Record<string, unknown>[] = [];
  const specs: TfjsWeightSpec[] = [];
  const chunks: Float32Array[] = [];
  const counts = new Map<string, number>();
  const nameOf = (base: string) => {
    const k = (counts.get(base) ?? 0) + 1;
    counts.set(base, k);
    return `${base}_${k}`;
  };
  const add = (name: string, shape: number[], values: Float32Array) => {
    specs.push({ name, shape, dtype: 'float32' });
    chunks.push(values);
  };
  const push = (cls: string, config: Record<string, unknown>) => {
    if (layers.length === 0) Object.assign(config, { batch_input_shape: [null, model.inputSize], dtype: 'float32' });
    layers.push({ class_name: cls, config: { ...config, trainable: true } });
  };
  let w = 0;
  let size = model.inputSize;
  model.layers.forEach((spec, li) => {
    if (spec.type === 'dropout') { push('Dropout', { name: nameOf('dropout'), rate: spec.rate, noise_shape: null, seed: null }); return; }
    const p = weights[w++]!;
    if (spec.type === 'batchNorm') {
      const name = nameOf('batch_normalization');
      push('BatchNormalization', {
        name, axis: -1, momentum: Number((1 - spec.momentum).toPrecision(12)), epsilon: spec.epsilon, center: true, scale: true,
        beta_initializer: { class_name: 'Zeros', config: {} }, gamma_initializer: { class_name: 'Ones', config: {} },
        moving_mean_initializer: { class_name: 'Zeros', config: {} }, moving_variance_initializer: { class_name: 'Ones', config: {} },
      });
      add(`${name}/gamma`, [size], p.gamma!);
      add(`${name}/beta`, [size], p.beta!);
      add(`${name}/moving_mean`, [size], p.runningMean!);
      add(`${name}/moving_variance`, [size], p.runningVar!);
      return;
    }
    const act = spec.activation;
    const shared = SHARED[act] ?? (act === 'elu' && Math.fround(spec.alpha) === 1 ? 'elu' : act === 'softplus' && Math.fround(spec.beta) === 1 ? 'softplus' : undefined);
    const follow = shared ? undefined : act === 'leakyRelu' || act === 'rrelu' || act === 'prelu' ? act : undefined;
    if (!shared && !follow) {
      throw new ValidationError(`layers[${li}].activation`, `${act}${act === 'softplus' ? ` with β = ${spec.beta}` : act === 'elu' ? ` with α = ${spec.alpha} (tfjs' ELU supports α = 1 only)` : ''} has no TensorFlow.js equivalent; tfjs and simdnet share ${Object.keys(SHARED).join(', ')}, elu (α = 1), softplus (β = 1), leakyRelu, rrelu (as its mean slope), prelu`);
    }
    const name = nameOf('dense');
    const W = p.W!;
    const units = spec.units;
    const kernel = new Float32Array(size * units);
    for (let k = 0; k < units; k++) for (let r = 0; r < size; r++) kernel[r * units + k] = W[k * size + r]!;
    push('Dense', {
      name, units, activation: shared ?? 'linear', use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    });
    add(`${name}/kernel`, [size, units], kernel);
    add(`${name}/bias`, [units], p.b!);
    if (follow === 'leakyRelu' || follow === 'rrelu') push('LeakyReLU', { name: nameOf('leaky_re_lu'), alpha: follow === 'rrelu' ? (spec.alpha + spec.beta) / 2 : spec.alpha });
    else if (follow === 'prelu') {
      const pname = nameOf('p_re_lu');
      push('PReLU', { name: pname, alpha_initializer: { class_name: 'Constant', config: { value: 0.25 } }, alpha_regularizer: null, alpha_constraint: null, shared_axes: null });
      add(`${pname}/alpha`, [units], p.slope!);
    }
    size = units;
  });
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const data = new Uint8Array(total * 4);
  const view = new DataView(data.buffer);
  let off = 0;
  for (const c of chunks) for (let k = 0; k < c.length; k++, off += 4) view.setFloat32(off, c[k]!, true);
  return {
    modelJson: {
      format: 'layers-model', generatedBy: GENERATED_BY, convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: GENERATED_BY, backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [options.weightsPath ?? 'weights.bin'], weights: specs }],
    },
    weightData: data,
  };
}
