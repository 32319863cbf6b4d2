// simdnet/interop: models in and out. ONNX export (every Sequential, every estimator, the CLI's
// model files) and import (torch.onnx, tf2onnx, skl2onnx and simdnet graphs), and the
// TensorFlow.js Layers format both ways. A separate entry point: the protobuf codec and the
// graph code stay out of the main bundle. Importing it also adds model.toONNX(),
// Sequential.fromONNX(), model.toTfjs() and Sequential.fromTfjs().

import type { SequentialOptions } from '../nn/sequential.js';
import { dirOf, joinPath, makeDir, readBytes, writeAtomic } from './files.js';
import {
  LogisticRegression, MLPClassifier, MLPRegressor, ModelFormatError, OneVsOneClassifier, OneVsRestClassifier, Perceptron, Sequential,
  SoftmaxRegression,
} from './lib.js';
import { toONNX, type ExportableModel, type ToOnnxOptions } from './onnx.js';
import { readONNX, type OnnxImportOptions } from './onnx-import.js';
import type { ExternalDataResolver } from './onnx-external.js';
import { fromTfjs, type TfjsModelJSON } from './tfjs-read.js';
import { toTfjs, type TfjsArtifacts } from './tfjs-write.js';

export { toONNX, readONNX, toTfjs, fromTfjs };
export { quantize, QuantizedModel, type QuantizeOptions, type QuantizedJSON, type QuantizedLayer } from './quantize.js';
export type { ExportableModel, ToOnnxOptions, OnnxImportOptions, TfjsModelJSON, TfjsArtifacts };
export type { NumericColumn } from './onnx.js';
export { onnxFeeds, type OnnxFeed, type RawRow } from './onnx-feeds.js';
export { columnInputs, DATE_INPUT_PARTS, RESERVED_NAMES, type ColumnInput } from './onnx-columns.js';
export type { OnnxImport } from './onnx-import.js';
export type { ExternalDataResolver } from './onnx-external.js';
export type { OnnxExportOptions } from './onnx-export.js';
export type { TfjsWeightSpec } from './tfjs-read.js';
export { UnsupportedOnnxError, UnsupportedLayerError } from './errors.js';
export { DEFAULT_OPSET, MIN_OPSET, MAX_OPSET } from './onnx-builder.js';

/**
 * Imports an ONNX network as a Sequential (readONNX() also returns its class labels and names).
 * @example const model = fromONNX(readFileSync('mlp.onnx'))
 */
export function fromONNX(bytes: Uint8Array, options: OnnxImportOptions = {}): Sequential {
  return readONNX(bytes, options).model;
}

/** Writes toONNX(model) to a file, atomically (Node). @example saveONNX(model, 'model.onnx') */
export function saveONNX(model: ExportableModel, path: string, options: ToOnnxOptions = {}): void {
  writeAtomic(path, toONNX(model, options), 'saveONNX');
}

/** Reads an .onnx file into a Sequential (Node); external data files are read from the model's directory. @example const model = loadONNX('mlp.onnx') */
export function loadONNX(path: string, options: OnnxImportOptions = {}): Sequential {
  return readONNX(readBytes(path, 'loadONNX'), { externalData: externalDataBeside(path), ...options }).model;
}

/** A resolver that reads external data files from the directory of the model at `modelPath` (Node). @example readONNX(bytes, { externalData: externalDataBeside('big.onnx') }) */
export function externalDataBeside(modelPath: string): ExternalDataResolver {
  return (location) => readBytes(joinPath(dirOf(modelPath, 'loadONNX'), location, 'loadONNX'), 'loadONNX');
}

/** Writes model.json and weights.bin into `dir` (created if needed), atomically (Node). @example saveTfjs(model, 'web-model') */
export function saveTfjs(model: Sequential, dir: string): void {
  makeDir(dir, 'saveTfjs');
  const { modelJson, weightData } = toTfjs(model);
  writeAtomic(joinPath(dir, 'weights.bin', 'saveTfjs'), weightData, 'saveTfjs');
  writeAtomic(joinPath(dir, 'model.json', 'saveTfjs'), JSON.stringify(modelJson), 'saveTfjs');
}

/** Reads a TensorFlow.js Layers model.json and its weight files (paths relative to it) (Node). @example const model = loadTfjs('web-model/model.json') */
export function loadTfjs(modelJsonPath: string, options: { backend?: SequentialOptions['backend']; seed?: number } = {}): Sequential {
  const text = new TextDecoder().decode(readBytes(modelJsonPath, 'loadTfjs'));
  let json: TfjsModelJSON;
  try {
    json = JSON.parse(text) as TfjsModelJSON;
  } catch (e) {
    throw new ModelFormatError(`${modelJsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  const groups = Array.isArray(json?.weightsManifest) ? json.weightsManifest : [];
  const parts = groups.flatMap((g) => (Array.isArray(g?.paths) ? g.paths : [])).map((p) => {
    if (typeof p !== 'string' || p.includes('..') || p.startsWith('/')) throw new ModelFormatError(`${modelJsonPath}: weight path ${JSON.stringify(p)} must be a file name beside model.json`);
    return readBytes(joinPath(dirOf(modelJsonPath, 'loadTfjs'), p, 'loadTfjs'), 'loadTfjs');
  });
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const p of parts) { data.set(p, off); off += p.length; }
  return fromTfjs(json, data, options);
}

// ---- methods on the model classes ---------------------------------------------------------

declare module '../nn/sequential.js' {
  interface Sequential {
    /** ONNX bytes of this model (needs `import 'simdnet/interop'`). @example const bytes = model.toONNX() */
    toONNX(options?: ToOnnxOptions): Uint8Array;
    /** TensorFlow.js Layers model.json + weights.bin bytes (needs `import 'simdnet/interop'`). @example const { modelJson, weightData } = model.toTfjs() */
    toTfjs(): TfjsArtifacts;
  }
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Sequential {
    /** Imports an ONNX network (needs `import 'simdnet/interop'`). @example const m = Sequential.fromONNX(bytes) */
    function fromONNX(bytes: Uint8Array, options?: OnnxImportOptions): Sequential;
    /** Imports a TensorFlow.js Layers model (needs `import 'simdnet/interop'`). @example const m = Sequential.fromTfjs(modelJson, weightData) */
    function fromTfjs(modelJson: TfjsModelJSON | string, weightData: Uint8Array | ArrayBuffer, options?: { backend?: SequentialOptions['backend']; seed?: number }): Sequential;
  }
}

interface WithToOnnx { toONNX(options?: ToOnnxOptions): Uint8Array }
declare module '../estimators/linear.js' {
  interface LogisticRegression extends WithToOnnx {}
  interface SoftmaxRegression extends WithToOnnx {}
}
declare module '../estimators/perceptron.js' { interface Perceptron extends WithToOnnx {} }
declare module '../estimators/mlp.js' {
  interface MLPClassifier extends WithToOnnx {}
  interface MLPRegressor extends WithToOnnx {}
}
declare module '../estimators/multiclass.js' {
  interface OneVsRestClassifier extends WithToOnnx {}
  interface OneVsOneClassifier extends WithToOnnx {}
}

for (const cls of [Sequential, LogisticRegression, SoftmaxRegression, Perceptron, MLPClassifier, MLPRegressor, OneVsRestClassifier, OneVsOneClassifier]) {
  Object.defineProperty(cls.prototype, 'toONNX', {
    value: function toONNXMethod(this: ExportableModel, options?: ToOnnxOptions) { return toONNX(this, options); },
    writable: true, configurable: true,
  });
}
Object.defineProperty(Sequential.prototype, 'toTfjs', { value: function toTfjsMethod(this: Sequential) { return toTfjs(this); }, writable: true, configurable: true });
Object.assign(Sequential, { fromONNX, fromTfjs });
