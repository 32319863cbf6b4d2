// toONNX(): one entry for every model simdnet has. A Sequential gives input 'input' → output
// 'output'; a classifier (an estimator, or a Sequential given classLabels) gives input 'X' →
// 'label' [batch] and 'probabilities' [batch, K], the outputs skl2onnx writes with zipmap=False;
// MLPRegressor gives 'X' → 'variable' [batch, outputs], as skl2onnx names it. A scaler (the CLI's
// standardization) or a column pipeline (its tables: onnx-columns.ts) is written as the first
// operators, so raw rows go in.

import { ColumnPipeline, MLPRegressor, Sequential, ValidationError } from './lib.js';
import type { Classifier } from '../estimators/base.js';
import type { StandardScaler } from '../data/scalers.js';
import type { PipelineJSON } from '../data/columns/pipeline.js';
import { emitNumbers, emitPipeline, ML_OPSET, type NumericColumn } from './onnx-columns.js';
import { checkOpset, finishModel, GraphBuilder, i, tensorInfo } from './onnx-builder.js';
import { emitClassifier, makeInput, type ClassifierOut } from './onnx-estimators.js';
import { checkName, emitSequential, sequentialToONNX, type OnnxExportOptions } from './onnx-export.js';
import { DT, type OnnxValueInfo } from './onnx-proto.js';
import { doubleTensor, int64Tensor, stringTensor } from './onnx-tensor.js';

export interface ToOnnxOptions extends OnnxExportOptions {
  /** Classifiers: name of the label output. Default 'label'. */
  labelName?: string;
  /** Classifiers: name of the probabilities output. Default 'probabilities'. */
  probabilitiesName?: string;
  /** The label of each class index: makes a Sequential classifier (softmax, or one sigmoid unit for 2 labels) write label + probabilities; for an estimator, replaces its classes (the CLI writes its class names). */
  classLabels?: readonly (string | number)[];
  /** Standardization applied to raw rows first ((x − mean) / scale in float64, like StandardScaler.transform). */
  scaler?: StandardScaler | { mean: readonly number[]; scale: readonly number[] };
  /** Numeric columns of a column pipeline (the CLI's model files): input column j is raw, NaN when missing; each
   *  gives ((missing ? fill : x) − center) / scale, then a 0/1 missing indicator when `indicator`. */
  numericColumns?: readonly NumericColumn[];
  /** A column pipeline (a CLI model file's input.pipeline, or ColumnPipeline.toJSON()): numeric columns in 'X' (NaN = missing),
   *  each categorical or boolean column a string input, each date column a float32 [batch, 6] input; see onnx-columns.ts. */
  pipeline?: PipelineJSON;
  /** A regression network learned (y − center) / scale: the output is scaled back (Sequential and MLPRegressor). */
  targetScale?: { center: number; scale: number };
}

export type { NumericColumn };

export type ExportableModel = Sequential | Classifier | MLPRegressor;

function labelsTensor(name: string, labels: readonly (string | number)[]): { t: ReturnType<typeof stringTensor>; type: number } {
  if (labels.length === 0) throw new ValidationError('classLabels', 'is empty');
  if (labels.every((l) => typeof l === 'string')) return { t: stringTensor(name, [labels.length], labels as string[]), type: DT.STRING };
  if (labels.every((l) => typeof l === 'number' && Number.isFinite(l))) {
    const ints = (labels as number[]).every((l) => Number.isSafeInteger(l));
    return ints ? { t: int64Tensor(name, [labels.length], labels as number[]), type: DT.INT64 } : { t: doubleTensor(name, [labels.length], labels as number[]), type: DT.DOUBLE };
  }
  throw new ValidationError('classLabels', 'must be all strings or all finite numbers');
}

function emitScaler(b: GraphBuilder, x: string, s: ToOnnxOptions['scaler'], width: number): string {
  if (!s) return x;
  const mean = s.mean;
  const scale = s.scale;
  if (!mean || !scale) throw new ValidationError('scaler', 'is not fitted (no mean / scale)');
  if (mean.length !== width || scale.length !== width) throw new ValidationError('scaler', `has ${mean.length} columns, the model takes ${width}`);
  const xd = b.cast(x, DT.DOUBLE);
  const z = b.op('Div', [b.op('Sub', [xd, b.doubles('scaler.mean', [width], mean)]), b.doubles('scaler.scale', [width], scale)]);
  return b.cast(z, DT.FLOAT);
}

function inputWidth(m: ExportableModel): number {
  if (m instanceof Sequential) return m.inputSize;
  const n = (m as { nFeatures?: number }).nFeatures;
  if (n === undefined) throw new ValidationError('model', `${m.constructor.name} is not fitted yet: call fit(X, y) before exporting it`);
  return n;
}

function sequentialClassifier(b: GraphBuilder, x: string, m: Sequential, K: number): ClassifierOut {
  const act = m.layers[m.layers.length - 1]!;
  const p = emitSequential(b, m, x);
  if (m.outputSize === 1 && act.type === 'dense' && act.activation === 'sigmoid' && K === 2) {
    const codes = b.op('Reshape', [b.cast(b.op('GreaterOrEqual', [p, b.scalar(0.5)]), DT.INT64), b.ints('flat', [1], [-1])]);
    return { codes, proba: b.op('Concat', [b.op('Sub', [b.scalar(1), p]), p], { axis: i(1) }), probaType: DT.FLOAT };
  }
  if (m.outputSize !== K || m.outputSize < 2) {
    throw new ValidationError('classLabels', `has ${K} labels, the model has ${m.outputSize} outputs (a classifier needs one per class, or one sigmoid unit for 2 classes)`);
  }
  // a log-softmax network's outputs are log-probabilities: the probabilities output is their exponential
  const proba = act.type === 'dense' && act.activation === 'logSoftmax' ? b.op('Exp', [p]) : p;
  return { codes: b.op('ArgMax', [p], { axis: i(1), keepdims: i(0) }), proba, probaType: DT.FLOAT };
}

/**
 * Writes a model as ONNX bytes. A Sequential: 'input' → 'output'. A classifier (estimator, or a
 * Sequential with classLabels): 'X' → 'label', 'probabilities'. MLPRegressor: 'X' → 'variable'.
 * @example const bytes = toONNX(new LogisticRegression().fit(X, y)); // run it with onnxruntime
 */
export function toONNX(model: ExportableModel, options: ToOnnxOptions = {}): Uint8Array {
  if (model instanceof Sequential && !options.classLabels && !options.scaler && !options.numericColumns && !options.pipeline && !options.targetScale) return sequentialToONNX(model, options);
  const b = new GraphBuilder(checkOpset(options.opset));
  const batch = checkName(options.batchDim, 'batchDim', 'batch');
  const netWidth = inputWidth(model);
  const cols = options.numericColumns;
  if (cols && options.pipeline) throw new ValidationError('pipeline', 'give numericColumns or pipeline, not both');
  if (cols && cols.reduce((a, c) => a + (c.indicator ? 2 : 1), 0) !== netWidth) {
    throw new ValidationError('numericColumns', `give ${cols.reduce((a, c) => a + (c.indicator ? 2 : 1), 0)} features, the model takes ${netWidth}`);
  }
  const classifier = !(model instanceof Sequential || model instanceof MLPRegressor) || options.classLabels !== undefined;
  const inputName = checkName(options.inputName, 'inputName', model instanceof Sequential && !classifier ? 'input' : 'X');
  const outputNames = classifier ? [checkName(options.labelName, 'labelName', 'label'), checkName(options.probabilitiesName, 'probabilitiesName', 'probabilities')]
    : [checkName(options.outputName, 'outputName', model instanceof Sequential ? 'output' : 'variable')];
  const metadata: Record<string, string> = { 'simdnet.kind': model.constructor.name };
  let x: string;
  let inputs: OnnxValueInfo[];
  let mlOpset: number | undefined;
  if (options.pipeline) {
    const pipeline = ColumnPipeline.fromJSON(options.pipeline).toJSON();
    if (pipeline.features.length !== netWidth) throw new ValidationError('pipeline', `gives ${pipeline.features.length} features, the model takes ${netWidth}`);
    const e = emitPipeline(b, pipeline, batch, inputName, outputNames);
    ({ x, inputs } = e);
    if (e.usesMl) mlOpset = ML_OPSET;
    const numbers = e.layout.find((l) => l.kind === 'numeric');
    if (numbers) metadata['simdnet.input_columns'] = JSON.stringify(numbers.columns);
    metadata['simdnet.inputs'] = JSON.stringify(e.layout);
  } else {
    const input = b.reserve(inputName);
    const width = cols ? cols.length : netWidth;
    if (cols) {
      const parts = emitNumbers(b, input, cols);
      x = parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: i(1) });
      metadata['simdnet.input_columns'] = JSON.stringify(cols.map((c) => c.name));
    } else {
      x = emitScaler(b, input, options.scaler, width);
    }
    inputs = [tensorInfo(input, DT.FLOAT, [batch, width])];
  }
  const parts = { builder: b, inputs, docString: options.docString ?? '', metadata, mlOpset };
  if (!classifier) {
    const net = model instanceof Sequential ? model : (model as MLPRegressor).model;
    if (!net) throw new ValidationError('model', 'MLPRegressor is not fitted yet: call fit(X, y) before exporting it');
    const output = b.reserve(outputNames[0]!);
    const t = options.targetScale;
    if (t) {
      const y = b.cast(emitSequential(b, net, x), DT.DOUBLE);
      b.cast(b.op('Add', [b.op('Mul', [y, b.scalar(t.scale, DT.DOUBLE)]), b.scalar(t.center, DT.DOUBLE)]), DT.FLOAT, output);
    } else {
      emitSequential(b, net, x, 'layers', output);
    }
    return finishModel({ ...parts, name: `simdnet_${model.constructor.name}`, outputs: [tensorInfo(output, DT.FLOAT, [batch, net.outputSize])] });
  }
  const labelName = b.reserve(outputNames[0]!);
  const probaName = b.reserve(outputNames[1]!);
  let out: ClassifierOut;
  let labels: readonly (string | number)[];
  if (model instanceof Sequential) {
    labels = options.classLabels!;
    out = sequentialClassifier(b, x, model, labels.length);
  } else if (model instanceof MLPRegressor) {
    throw new ValidationError('classLabels', 'MLPRegressor is not a classifier');
  } else {
    const own = (model as Classifier).classes;
    labels = options.classLabels ?? own ?? [];
    if (own && labels.length !== own.length) throw new ValidationError('classLabels', `has ${labels.length} labels, the model has ${own.length} classes`);
    out = emitClassifier(b, makeInput(b, x), model as Classifier);
  }
  const lt = labelsTensor(b.unique('classes'), labels);
  b.initializer(lt.t);
  b.op('Gather', [lt.t.name, out.codes], { axis: i(0) }, { output: labelName });
  if (out.probaType === DT.FLOAT) b.op('Identity', [out.proba], {}, { output: probaName });
  else b.cast(out.proba, DT.FLOAT, probaName);
  return finishModel({
    ...parts,
    name: `simdnet_${model.constructor.name}`,
    outputs: [tensorInfo(labelName, lt.type, [batch]), tensorInfo(probaName, DT.FLOAT, [batch, labels.length])],
  });
}
