// toONNX(): one entry for every model simdnet has. A Sequential gives input 'input' → output
// 'output'; a classifier (an estimator, or a Sequential given classLabels) gives input 'X' →
// 'label' [batch] and 'probabilities' [batch, K], the outputs skl2onnx writes with zipmap=False;
// MLPRegressor gives 'X' → 'variable' [batch, outputs], as skl2onnx names it. A scaler (the CLI's
// standardization) is written as the first operators, so raw rows go in.

import { ValidationError } from './lib.js';
import type { Classifier } from '../estimators/base.js';
import { MLPRegressor, Sequential } from './lib.js';
import type { StandardScaler } from '../data/scalers.js';
import { checkOpset, finishModel, GraphBuilder, i, tensorInfo } from './onnx-builder.js';
import { emitClassifier, makeInput, type ClassifierOut } from './onnx-estimators.js';
import { checkName, emitSequential, sequentialToONNX, type OnnxExportOptions } from './onnx-export.js';
import { DT } from './onnx-proto.js';
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
  /** A regression network learned (y − center) / scale: the output is scaled back (Sequential and MLPRegressor). */
  targetScale?: { center: number; scale: number };
}

export interface NumericColumn { name: string; fill: number | null; center: number; scale: number; indicator: boolean }

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

/** The numeric column pipeline: NaN (missing) → fill, (x − center) / scale in float64, indicators. */
function emitColumns(b: GraphBuilder, x: string, cols: readonly NumericColumn[]): string {
  const xd = b.cast(x, DT.DOUBLE);
  const parts: string[] = [];
  cols.forEach((c, j) => {
    const v = b.column(xd, j);
    const nan = b.op('IsNaN', [v]);
    const filled = c.fill === null ? v : b.op('Where', [nan, b.scalar(c.fill, DT.DOUBLE), v]);
    parts.push(b.cast(b.op('Div', [b.op('Sub', [filled, b.scalar(c.center, DT.DOUBLE)]), b.scalar(c.scale, DT.DOUBLE)]), DT.FLOAT));
    if (c.indicator) parts.push(b.cast(nan, DT.FLOAT));
  });
  return parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: i(1) });
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
  if (model instanceof Sequential && !options.classLabels && !options.scaler && !options.numericColumns && !options.targetScale) return sequentialToONNX(model, options);
  const b = new GraphBuilder(checkOpset(options.opset));
  const batch = checkName(options.batchDim, 'batchDim', 'batch');
  const netWidth = inputWidth(model);
  const cols = options.numericColumns;
  if (cols && cols.reduce((a, c) => a + (c.indicator ? 2 : 1), 0) !== netWidth) {
    throw new ValidationError('numericColumns', `give ${cols.reduce((a, c) => a + (c.indicator ? 2 : 1), 0)} features, the model takes ${netWidth}`);
  }
  const width = cols ? cols.length : netWidth;
  const classifier = !(model instanceof Sequential || model instanceof MLPRegressor) || options.classLabels !== undefined;
  const input = b.reserve(checkName(options.inputName, 'inputName', model instanceof Sequential && !classifier ? 'input' : 'X'));
  const x = cols ? emitColumns(b, input, cols) : emitScaler(b, input, options.scaler, width);
  const metadata: Record<string, string> = { 'simdnet.kind': model.constructor.name };
  if (cols) metadata['simdnet.input_columns'] = JSON.stringify(cols.map((c) => c.name));
  const parts = { builder: b, inputs: [tensorInfo(input, DT.FLOAT, [batch, width])], docString: options.docString ?? '', metadata };
  if (!classifier) {
    const net = model instanceof Sequential ? model : (model as MLPRegressor).model;
    if (!net) throw new ValidationError('model', 'MLPRegressor is not fitted yet: call fit(X, y) before exporting it');
    const output = b.reserve(checkName(options.outputName, 'outputName', model instanceof Sequential ? 'output' : 'variable'));
    const t = options.targetScale;
    if (t) {
      const y = b.cast(emitSequential(b, net, x), DT.DOUBLE);
      b.cast(b.op('Add', [b.op('Mul', [y, b.scalar(t.scale, DT.DOUBLE)]), b.scalar(t.center, DT.DOUBLE)]), DT.FLOAT, output);
    } else {
      emitSequential(b, net, x, 'layers', output);
    }
    return finishModel({ ...parts, name: `simdnet_${model.constructor.name}`, outputs: [tensorInfo(output, DT.FLOAT, [batch, net.outputSize])] });
  }
  const labelName = b.reserve(checkName(options.labelName, 'labelName', 'label'));
  const probaName = b.reserve(checkName(options.probabilitiesName, 'probabilitiesName', 'probabilities'));
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
