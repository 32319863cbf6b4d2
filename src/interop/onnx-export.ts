// Sequential → ONNX. Dense is Gemm(x, W, b, transB = 1) with W [out × in] as simdnet stores it
// (torch.onnx's form), batch norm is BatchNormalization with the running statistics, dropout is
// left out (the identity at inference), activations come from onnx-activations.ts. Input
// "input" [batch, inputSize] float32, output "output" [batch, outputSize] float32; "batch" is a
// symbolic (dynamic) dimension.

import { ValidationError } from './lib.js';
import type { Sequential } from '../nn/sequential.js';
import { emitActivation } from './onnx-activations.js';
import { checkOpset, f, finishModel, GraphBuilder, i, tensorInfo } from './onnx-builder.js';
import { DT } from './onnx-proto.js';

export interface OnnxExportOptions {
  /** ONNX opset, 13 to 21. Default 17 (IR version 8, ONNX 1.12). GELU is the Gelu operator from opset 20, the Erf form below. */
  opset?: number;
  /** Graph input name. Default 'input' (estimators: 'X'). */
  inputName?: string;
  /** Graph output name. Default 'output' (estimators: 'label' and 'probabilities'). */
  outputName?: string;
  /** Name of the dynamic batch dimension. Default 'batch'. */
  batchDim?: string;
  /** Stored as the model's doc_string. */
  docString?: string;
}

export function checkName(v: unknown, arg: string, fallback: string): string {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || v.length === 0) throw new ValidationError(arg, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

/** Writes the layers of `model` on the float32 value `x` [batch, inputSize]; returns the output value. */
export function emitSequential(b: GraphBuilder, model: Sequential, x: string, prefix = 'layers', output?: string): string {
  const weights = model.getWeights();
  let w = 0;
  let cur = x;
  let size = model.inputSize;
  model.layers.forEach((spec, li) => {
    const name = `${prefix}.${li}`;
    if (spec.type === 'dropout') return;
    const p = weights[w++]!;
    if (spec.type === 'batchNorm') {
      const ins = [cur, b.floats(`${name}.weight`, [size], p.gamma!), b.floats(`${name}.bias`, [size], p.beta!),
        b.floats(`${name}.running_mean`, [size], p.runningMean!), b.floats(`${name}.running_var`, [size], p.runningVar!)];
      cur = b.op('BatchNormalization', ins, { epsilon: f(spec.epsilon), momentum: f(1 - spec.momentum) });
      return;
    }
    const W = b.floats(`${name}.weight`, [spec.units, size], p.W!);
    const bias = b.floats(`${name}.bias`, [spec.units], p.b!);
    cur = b.op('Gemm', [cur, W, bias], { alpha: f(1), beta: f(1), transB: i(1) });
    cur = emitActivation(b, cur, spec, spec.units, p.slope);
    size = spec.units;
  });
  if (output !== undefined) {
    b.op('Identity', [cur], {}, { output });
    return output;
  }
  return cur;
}

/**
 * The model as an ONNX file (opset 17 unless asked): input 'input' [batch, inputSize] float32,
 * output 'output' [batch, outputSize] float32 (probabilities for a softmax or sigmoid output).
 * @example const bytes = sequentialToONNX(model); // then new ort.InferenceSession(bytes)
 */
export function sequentialToONNX(model: Sequential, options: OnnxExportOptions = {}): Uint8Array {
  const b = new GraphBuilder(checkOpset(options.opset));
  const input = b.reserve(checkName(options.inputName, 'inputName', 'input'));
  const output = b.reserve(checkName(options.outputName, 'outputName', 'output'));
  const batch = checkName(options.batchDim, 'batchDim', 'batch');
  emitSequential(b, model, input, 'layers', output);
  return finishModel({
    builder: b,
    name: 'simdnet_sequential',
    inputs: [tensorInfo(input, DT.FLOAT, [batch, model.inputSize])],
    outputs: [tensorInfo(output, DT.FLOAT, [batch, model.outputSize])],
    docString: options.docString ?? `simdnet Sequential: ${model.layers.map((l) => (l.type === 'dense' ? `dense(${l.units}, ${l.activation})` : l.type)).join(' → ')}`,
    metadata: { 'simdnet.kind': 'Sequential' },
  });
}
