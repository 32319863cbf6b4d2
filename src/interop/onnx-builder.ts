// Builds an ONNX graph for export: nodes with unique names, initializers, shared scalar
// constants, and the few operators whose signature changed between opsets (ReduceSum moved
// `axes` to an input at 13, ReduceMax at 18; Gelu exists from 20).

import { ValidationError } from './lib.js';
import { AT, DT, encodeModel, type OnnxAttribute, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto.js';
import { doubleTensor, floatTensor, int64Tensor } from './onnx-tensor.js';
import { utf8 } from './protobuf.js';

/** The opset simdnet writes by default: 17 (ONNX 1.12, IR version 8), which Debian's onnx checker, torch 1.13 and every current ONNX Runtime read. */
export const DEFAULT_OPSET = 17;
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
/** IR version per opset (onnx/helper.py VERSION_TABLE). */
const IR_FOR_OPSET: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

export type Attr = { f: number } | { i: number } | { s: string } | { ints: number[] } | { floats: number[] } | { strings: string[] } | { t: OnnxTensor };
export const f = (v: number): Attr => ({ f: v });
export const i = (v: number): Attr => ({ i: v });

function toAttribute(name: string, a: Attr): OnnxAttribute {
  const base = { name, floats: [], ints: [], strings: [] };
  if ('f' in a) return { ...base, type: AT.FLOAT, f: a.f };
  if ('i' in a) return { ...base, type: AT.INT, i: a.i };
  if ('s' in a) return { ...base, type: AT.STRING, s: utf8(a.s) };
  if ('ints' in a) return { ...base, type: AT.INTS, ints: a.ints };
  if ('floats' in a) return { ...base, type: AT.FLOATS, floats: a.floats };
  if ('strings' in a) return { ...base, type: AT.STRINGS, strings: a.strings.map(utf8) };
  return { ...base, type: AT.TENSOR, t: a.t };
}

export function checkOpset(opset: unknown): number {
  const v = opset ?? DEFAULT_OPSET;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_OPSET || v > MAX_OPSET) {
    throw new ValidationError('opset', `expected an integer from ${MIN_OPSET} to ${MAX_OPSET} (default ${DEFAULT_OPSET}), got ${String(opset)}`);
  }
  return v;
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly consts = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  constructor(readonly opset: number) {}

  /** A name not used yet, from `base`. */
  unique(base: string): string {
    let name = base;
    let k = this.counts.get(base) ?? 0;
    while (this.used.has(name)) name = `${base}_${++k}`;
    this.counts.set(base, k);
    this.used.add(name);
    return name;
  }

  /** Reserves an exact name (graph inputs and outputs). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new ValidationError('names', `the name ${JSON.stringify(name)} is used twice`);
    this.used.add(name);
    return name;
  }

  initializer(t: OnnxTensor): string {
    this.initializers.push(t);
    return t.name;
  }

  floats(base: string, dims: number[], values: ArrayLike<number>): string {
    return this.initializer(floatTensor(this.unique(base), dims, values));
  }

  doubles(base: string, dims: number[], values: ArrayLike<number>): string {
    return this.initializer(doubleTensor(this.unique(base), dims, values));
  }

  ints(base: string, dims: number[], values: ArrayLike<number>): string {
    return this.initializer(int64Tensor(this.unique(base), dims, values));
  }

  /** A shared scalar constant of the given element type. */
  scalar(v: number, type: number = DT.FLOAT): string {
    const key = `${type}:${Object.is(v, -0) ? '-0' : String(v)}`;
    let name = this.consts.get(key);
    if (!name) {
      const tag = type === DT.DOUBLE ? 'd' : type === DT.INT64 ? 'i' : 'f';
      const base = `const_${tag}_${String(v).replace(/[^0-9a-zA-Z]+/g, '_')}`;
      name = type === DT.DOUBLE ? this.doubles(base, [], [v]) : type === DT.INT64 ? this.ints(base, [], [v]) : this.floats(base, [], [v]);
      this.consts.set(key, name);
    }
    return name;
  }

  /** Adds a node; returns its (first) output name. */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, options: { output?: string; domain?: string } = {}): string {
    return this.opN(opType, inputs, 1, attrs, options)[0]!;
  }

  opN(opType: string, inputs: string[], outputs: number, attrs: Record<string, Attr> = {}, options: { output?: string; domain?: string } = {}): string[] {
    const name = this.unique(opType);
    const outs = Array.from({ length: outputs }, (_, k) => (k === 0 && options.output ? options.output : this.unique(`${name}_out${k === 0 ? '' : k}`)));
    this.nodes.push({
      name, opType, domain: options.domain ?? '', inputs, outputs: outs,
      attributes: Object.entries(attrs).map(([n, a]) => toAttribute(n, a)),
    });
    return outs;
  }

  cast(x: string, to: number, output?: string): string {
    return this.op('Cast', [x], { to: i(to) }, { output });
  }

  /** Cast to float and back: rounds a double tensor to float32 values, where simdnet stores a Float32Array. */
  roundF32(x: string): string {
    return this.cast(this.cast(x, DT.FLOAT), DT.DOUBLE);
  }

  reduceSum(x: string, axes: number[], keepdims: boolean): string {
    return this.op('ReduceSum', [x, this.ints('axes', [axes.length], axes)], { keepdims: i(keepdims ? 1 : 0) });
  }

  reduceMax(x: string, axes: number[], keepdims: boolean): string {
    if (this.opset >= 18) return this.op('ReduceMax', [x, this.ints('axes', [axes.length], axes)], { keepdims: i(keepdims ? 1 : 0) });
    return this.op('ReduceMax', [x], { axes: { ints: axes }, keepdims: i(keepdims ? 1 : 0) });
  }

  unsqueeze(x: string, axes: number[]): string {
    return this.op('Unsqueeze', [x, this.ints('axes', [axes.length], axes)]);
  }

  /** A [rows × 1] column of a 2-D tensor. */
  column(x: string, j: number): string {
    return this.op('Slice', [x, this.ints('starts', [1], [j]), this.ints('ends', [1], [j + 1]), this.ints('slice_axes', [1], [1])]);
  }
}

export interface ModelParts {
  builder: GraphBuilder;
  name: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  docString: string;
  metadata: Record<string, string>;
  /** ai.onnx.ml operators used (none in simdnet's own exports). */
  mlOpset?: number;
}

export const PRODUCER = 'simdnet';
export const PRODUCER_VERSION = '0.1.0';

export function finishModel(p: ModelParts): Uint8Array {
  const b = p.builder;
  return encodeModel({
    irVersion: IR_FOR_OPSET[b.opset]!,
    opsets: [{ domain: '', version: b.opset }, ...(p.mlOpset ? [{ domain: 'ai.onnx.ml', version: p.mlOpset }] : [])],
    producerName: PRODUCER,
    producerVersion: PRODUCER_VERSION,
    docString: p.docString,
    graph: { name: p.name, nodes: b.nodes, initializers: b.initializers, inputs: p.inputs, outputs: p.outputs, valueInfo: [] },
    metadata: Object.entries(p.metadata).map(([key, value]) => ({ key, value })),
  });
}

export function tensorInfo(name: string, elemType: number, shape: (number | string)[]): OnnxValueInfo {
  return { name, elemType, shape, kind: 'tensor' };
}
