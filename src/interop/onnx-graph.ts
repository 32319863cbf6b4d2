// A read-only view of an ONNX graph for the importer: constants (initializers and Constant
// nodes), who produces and who consumes each value, attributes with their ONNX defaults, and
// the set of nodes the chosen output depends on.

import { ModelFormatError } from './lib.js';
import { UnsupportedOnnxError } from './errors.js';
import { AT, DT, type OnnxAttribute, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-proto.js';
import { tensorNumbers, tensorStrings } from './onnx-tensor.js';

export interface Constant {
  dims: number[];
  values?: Float64Array;
  strings?: string[];
  dataType: number;
}

const textDecoder = new TextDecoder();

export function nodeLabel(n: OnnxNode): string {
  return n.name || `${n.opType} → ${n.outputs[0] ?? '?'}`;
}

export class GraphView {
  readonly graph: OnnxGraph;
  readonly opset: number;
  readonly mlOpset: number;
  private readonly constants = new Map<string, OnnxTensor>();
  private readonly decoded = new Map<string, Constant>();
  readonly producer = new Map<string, OnnxNode>();
  readonly consumersOf = new Map<string, OnnxNode[]>();
  readonly outputs: Set<string>;

  constructor(readonly model: OnnxModel) {
    const g = model.graph;
    this.graph = g;
    const op = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    this.opset = op?.version ?? 0;
    this.mlOpset = model.opsets.find((o) => o.domain === 'ai.onnx.ml')?.version ?? 0;
    if (!op) throw new ModelFormatError('ONNX model imports no version of the default operator set (opset_import is missing)');
    for (const t of g.initializers) this.constants.set(t.name, t);
    for (const n of g.nodes) {
      for (const o of n.outputs) if (o) this.producer.set(o, n);
      for (const i of n.inputs) {
        if (!i) continue;
        const list = this.consumersOf.get(i);
        if (list) list.push(n);
        else this.consumersOf.set(i, [n]);
      }
      if (n.opType === 'Constant' && n.domain === '') this.constants.set(n.outputs[0]!, this.constantNodeTensor(n));
    }
    this.outputs = new Set(g.outputs.map((o) => o.name));
  }

  private constantNodeTensor(n: OnnxNode): OnnxTensor {
    const a = n.attributes[0];
    const base = { name: n.outputs[0]!, floatData: [], int32Data: [], int64Data: [], doubleData: [], uint64Data: [], stringData: [], external: false };
    if (!a) throw new UnsupportedOnnxError(nodeLabel(n), 'Constant', 'has no value attribute');
    switch (a.name) {
      case 'value': if (a.t) return { ...a.t, name: n.outputs[0]! }; break;
      case 'value_float': return { ...base, dims: [], dataType: DT.FLOAT, floatData: [a.f ?? 0] };
      case 'value_floats': return { ...base, dims: [a.floats.length], dataType: DT.FLOAT, floatData: a.floats };
      case 'value_int': return { ...base, dims: [], dataType: DT.INT64, int64Data: [a.i ?? 0] };
      case 'value_ints': return { ...base, dims: [a.ints.length], dataType: DT.INT64, int64Data: a.ints };
      default: break;
    }
    throw new UnsupportedOnnxError(nodeLabel(n), 'Constant', `a constant given as ${a.name} is not supported`);
  }

  isConstant(name: string): boolean {
    return this.constants.has(name);
  }

  /** The value of a constant (initializer or Constant node), or undefined for a computed value. */
  constant(name: string): Constant | undefined {
    if (!name) return undefined;
    const hit = this.decoded.get(name);
    if (hit) return hit;
    const t = this.constants.get(name);
    if (!t) return undefined;
    const c: Constant = t.dataType === DT.STRING
      ? { dims: t.dims, strings: tensorStrings(t, `constant ${name}`), dataType: t.dataType }
      : { dims: t.dims, values: tensorNumbers(t, `constant ${name}`), dataType: t.dataType };
    this.decoded.set(name, c);
    return c;
  }

  /** A constant's numbers, or an error naming `node` when the input is computed. */
  numbers(node: OnnxNode, input: number, what: string): Constant & { values: Float64Array } {
    const c = this.constant(node.inputs[input] ?? '');
    if (!c || !c.values) throw new UnsupportedOnnxError(nodeLabel(node), node.opType, `its ${what} (input ${input}) must be a numeric constant (an initializer), it is computed in the graph`);
    return c as Constant & { values: Float64Array };
  }

  /** The nodes that use a value, restricted to those the chosen output depends on. */
  consumers(name: string, within?: Set<OnnxNode>): OnnxNode[] {
    const all = this.consumersOf.get(name) ?? [];
    return within ? all.filter((n) => within.has(n)) : all;
  }

  /** Every node the value depends on (its producer and theirs, recursively). */
  ancestors(name: string): Set<OnnxNode> {
    const out = new Set<OnnxNode>();
    const stack = [name];
    while (stack.length) {
      const v = stack.pop()!;
      const n = this.producer.get(v);
      if (!n || out.has(n)) continue;
      out.add(n);
      for (const i of n.inputs) if (i && !this.constants.has(i)) stack.push(i);
    }
    return out;
  }

  attr(n: OnnxNode, name: string): OnnxAttribute | undefined {
    return n.attributes.find((a) => a.name === name);
  }

  attrFloat(n: OnnxNode, name: string, fallback: number): number {
    const a = this.attr(n, name);
    return a?.f ?? (a && a.type === AT.INT ? a.i : undefined) ?? fallback;
  }

  attrInt(n: OnnxNode, name: string, fallback: number): number {
    return this.attr(n, name)?.i ?? fallback;
  }

  attrString(n: OnnxNode, name: string, fallback: string): string {
    const a = this.attr(n, name);
    return a?.s ? textDecoder.decode(a.s) : fallback;
  }

  attrStrings(n: OnnxNode, name: string): string[] | undefined {
    const a = this.attr(n, name);
    return a && a.strings.length ? a.strings.map((s) => textDecoder.decode(s)) : undefined;
  }

  attrFloats(n: OnnxNode, name: string): number[] | undefined {
    const a = this.attr(n, name);
    return a && a.floats.length ? a.floats : undefined;
  }

  attrInts(n: OnnxNode, name: string): number[] | undefined {
    const a = this.attr(n, name);
    return a && a.ints.length ? a.ints : undefined;
  }
}

/** A scalar-like constant (one value, any shape) or undefined. */
export function scalarOf(c: Constant | undefined): number | undefined {
  return c?.values && c.values.length === 1 ? c.values[0] : undefined;
}

/** True when |a − b| is within float32 rounding of b. */
export function near(a: number | undefined, b: number): boolean {
  return a !== undefined && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}
