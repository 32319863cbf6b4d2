// Errors of the interop readers. Both extend ModelFormatError (and so SimdnetError): a caller
// that catches "a model file I cannot read" catches these too.

import { ModelFormatError } from './lib.js';

/** What fromONNX imports, for error messages. */
export const ONNX_SUPPORTED = 'Gemm, MatMul (+ Add), Relu, LeakyRelu, PRelu, Elu, Sigmoid, Tanh, Softplus, Softsign, Atan, Exp, '
  + 'Softmax and LogSoftmax (on the last layer), Gelu and its Erf form, x·Sigmoid(x) (SiLU), BatchNormalization, Dropout, Identity, Flatten, '
  + 'Reshape to [batch, n], Cast, Add/Sub/Mul/Div by constants, and ai.onnx.ml LinearClassifier, Scaler, Normalizer '
  + '(plus the label outputs: ArgMax, ArrayFeatureExtractor, Gather, ZipMap)';

/**
 * An ONNX graph that uses an operator or a pattern simdnet cannot express. Names the node.
 * @example catch (e) { if (e instanceof UnsupportedOnnxError) console.error(e.node, e.opType) }
 */
export class UnsupportedOnnxError extends ModelFormatError {
  override name = 'UnsupportedOnnxError';
  constructor(readonly node: string, readonly opType: string, why: string) {
    super(`ONNX node ${JSON.stringify(node)} (${opType}): ${why}. simdnet imports ${ONNX_SUPPORTED}`);
  }
}

/**
 * A TensorFlow.js Layers model that uses a layer or a setting simdnet cannot express. Names the layer.
 * @example catch (e) { if (e instanceof UnsupportedLayerError) console.error(e.layer, e.className) }
 */
export class UnsupportedLayerError extends ModelFormatError {
  override name = 'UnsupportedLayerError';
  constructor(readonly layer: string, readonly className: string, why: string) {
    super(`layer ${JSON.stringify(layer)} (${className}): ${why}. simdnet reads Dense, Dropout, BatchNormalization, Activation, `
      + 'ReLU, LeakyReLU, PReLU, ELU, Softmax and InputLayer layers of a Sequential (or a chain-shaped functional) model');
  }
}
