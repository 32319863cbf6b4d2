// The ONNX messages simdnet reads and writes (ModelProto, GraphProto, NodeProto, AttributeProto,
// TensorProto, ValueInfoProto, TypeProto), with the field numbers of onnx/onnx.proto. Fields this
// subset does not use are skipped on reading (protobuf's rule); a sub-graph attribute (If, Loop)
// is kept only as "present" so the importer can name the node it cannot handle.

import { ModelFormatError } from './lib.js';
import { ProtoReader, ProtoWriter, WIRE_I32, WIRE_LEN, WIRE_VARINT } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13 } as const;
const DT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DT).map(([k, v]) => [v, k.toLowerCase()]));
export function dataTypeName(t: number): string { return DT_NAMES[t] ?? `type ${t}`; }

/** AttributeProto.AttributeType values. */
export const AT = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9 } as const;

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  raw?: Uint8Array;
  floatData: number[];
  int32Data: number[];
  int64Data: number[];
  doubleData: number[];
  uint64Data: number[];
  stringData: Uint8Array[];
  /** data_location = EXTERNAL: the values are in a side file, found through `externalData` (location, offset, length). */
  external: boolean;
  /** TensorProto.external_data key/value pairs (location, offset, length, checksum), when external. */
  externalData?: { key: string; value: string }[];
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  hasGraph?: boolean;
  floats: number[];
  ints: number[];
  strings: Uint8Array[];
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** One dimension: a number, a symbolic name (dynamic: "batch"), or unknown. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  /** Tensor element type (0 when the value is not a tensor: a sequence, a map). */
  elemType: number;
  /** undefined: rank unknown. */
  shape?: OnnxDim[];
  /** For a non-tensor value: 'sequence', 'map', ... */
  kind: 'tensor' | 'sequence' | 'map' | 'other';
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: OnnxGraph;
  metadata: { key: string; value: string }[];
}

// ---- reading ---------------------------------------------------------------------------------

function readTensor(r: ProtoReader): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dataType: 0, floatData: [], int32Data: [], int64Data: [], doubleData: [], uint64Data: [], stringData: [], external: false };
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1: r.repeated(wire, () => r.int64(), t.dims); break;
      case 2: r.expect(wire, WIRE_VARINT, 'TensorProto.data_type'); t.dataType = r.varint(); break;
      case 4: r.repeated(wire, () => r.float(), t.floatData); break;
      case 5: r.repeated(wire, () => r.int64(), t.int32Data); break;
      case 6: r.expect(wire, WIRE_LEN, 'TensorProto.string_data'); t.stringData.push(r.bytesField()); break;
      case 7: r.repeated(wire, () => r.int64(), t.int64Data); break;
      case 8: r.expect(wire, WIRE_LEN, 'TensorProto.name'); t.name = r.string(); break;
      case 9: r.expect(wire, WIRE_LEN, 'TensorProto.raw_data'); t.raw = r.bytesField(); break;
      case 10: r.repeated(wire, () => r.double(), t.doubleData); break;
      case 11: r.repeated(wire, () => r.varint(), t.uint64Data); break;
      case 13: {
        r.expect(wire, WIRE_LEN, 'TensorProto.external_data');
        const e = r.message('external_data');
        const kv = { key: '', value: '' };
        while (!e.done) {
          const u = e.tag();
          if (u.field === 1 && u.wire === WIRE_LEN) kv.key = e.string();
          else if (u.field === 2 && u.wire === WIRE_LEN) kv.value = e.string();
          else e.skip(u.wire);
        }
        (t.externalData ??= []).push(kv);
        break;
      }
      case 14: r.expect(wire, WIRE_VARINT, 'TensorProto.data_location'); t.external = r.varint() === 1; break;
      default: r.skip(wire);
    }
  }
  return t;
}

function readAttribute(r: ProtoReader): OnnxAttribute {
  const a: OnnxAttribute = { name: '', type: 0, floats: [], ints: [], strings: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1: r.expect(wire, WIRE_LEN, 'AttributeProto.name'); a.name = r.string(); break;
      case 2: r.expect(wire, WIRE_I32, 'AttributeProto.f'); a.f = r.float(); break;
      case 3: r.expect(wire, WIRE_VARINT, 'AttributeProto.i'); a.i = r.int64(); break;
      case 4: r.expect(wire, WIRE_LEN, 'AttributeProto.s'); a.s = r.bytesField(); break;
      case 5: r.expect(wire, WIRE_LEN, 'AttributeProto.t'); a.t = readTensor(r.message(`tensor attribute ${a.name}`)); break;
      case 6: r.skip(wire); a.hasGraph = true; break;
      case 7: r.repeated(wire, () => r.float(), a.floats); break;
      case 8: r.repeated(wire, () => r.int64(), a.ints); break;
      case 9: r.expect(wire, WIRE_LEN, 'AttributeProto.strings'); a.strings.push(r.bytesField()); break;
      case 20: r.expect(wire, WIRE_VARINT, 'AttributeProto.type'); a.type = r.varint(); break;
      default: r.skip(wire);
    }
  }
  return a;
}

function readNode(r: ProtoReader): OnnxNode {
  const n: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1: r.expect(wire, WIRE_LEN, 'NodeProto.input'); n.inputs.push(r.string()); break;
      case 2: r.expect(wire, WIRE_LEN, 'NodeProto.output'); n.outputs.push(r.string()); break;
      case 3: r.expect(wire, WIRE_LEN, 'NodeProto.name'); n.name = r.string(); break;
      case 4: r.expect(wire, WIRE_LEN, 'NodeProto.op_type'); n.opType = r.string(); break;
      case 5: r.expect(wire, WIRE_LEN, 'NodeProto.attribute'); n.attributes.push(readAttribute(r.message(`attribute of node ${n.name || n.opType}`))); break;
      case 7: r.expect(wire, WIRE_LEN, 'NodeProto.domain'); n.domain = r.string(); break;
      default: r.skip(wire);
    }
  }
  return n;
}

function readShape(r: ProtoReader): OnnxDim[] {
  const dims: OnnxDim[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field !== 1) { r.skip(wire); continue; }
    r.expect(wire, WIRE_LEN, 'TensorShapeProto.dim');
    const d = r.message('dimension');
    let dim: OnnxDim = null;
    while (!d.done) {
      const t = d.tag();
      if (t.field === 1 && t.wire === WIRE_VARINT) dim = d.int64();
      else if (t.field === 2 && t.wire === WIRE_LEN) dim = d.string();
      else d.skip(t.wire);
    }
    dims.push(dim);
  }
  return dims;
}

function readValueInfo(r: ProtoReader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0, kind: 'other' };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_LEN) { v.name = r.string(); continue; }
    if (field !== 2 || wire !== WIRE_LEN) { r.skip(wire); continue; }
    const tp = r.message(`type of ${v.name}`);
    while (!tp.done) {
      const t = tp.tag();
      if (t.field === 1 && t.wire === WIRE_LEN) {
        v.kind = 'tensor';
        const tt = tp.message(`tensor type of ${v.name}`);
        while (!tt.done) {
          const u = tt.tag();
          if (u.field === 1 && u.wire === WIRE_VARINT) v.elemType = tt.varint();
          else if (u.field === 2 && u.wire === WIRE_LEN) v.shape = readShape(tt.message(`shape of ${v.name}`));
          else tt.skip(u.wire);
        }
      } else if (t.field === 4) { v.kind = 'sequence'; tp.skip(t.wire); } else if (t.field === 5) { v.kind = 'map'; tp.skip(t.wire); } else tp.skip(t.wire);
    }
  }
  return v;
}

function readGraph(r: ProtoReader): OnnxGraph {
  const g: OnnxGraph = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1: r.expect(wire, WIRE_LEN, 'GraphProto.node'); g.nodes.push(readNode(r.message(`node ${g.nodes.length}`))); break;
      case 2: r.expect(wire, WIRE_LEN, 'GraphProto.name'); g.name = r.string(); break;
      case 5: r.expect(wire, WIRE_LEN, 'GraphProto.initializer'); g.initializers.push(readTensor(r.message(`initializer ${g.initializers.length}`))); break;
      case 11: r.expect(wire, WIRE_LEN, 'GraphProto.input'); g.inputs.push(readValueInfo(r.message('graph input'))); break;
      case 12: r.expect(wire, WIRE_LEN, 'GraphProto.output'); g.outputs.push(readValueInfo(r.message('graph output'))); break;
      case 13: r.expect(wire, WIRE_LEN, 'GraphProto.value_info'); g.valueInfo.push(readValueInfo(r.message('value_info'))); break;
      default: r.skip(wire);
    }
  }
  return g;
}

/** Parses a .onnx file (a serialized ModelProto). */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError(`an ONNX model is bytes (a Uint8Array or Buffer), got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length === 0) throw new ModelFormatError('the ONNX data is empty (0 bytes)');
  const r = new ProtoReader(bytes, 'ONNX model');
  const m: OnnxModel = { irVersion: 0, opsets: [], producerName: '', producerVersion: '', docString: '', graph: undefined as unknown as OnnxGraph, metadata: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1: r.expect(wire, WIRE_VARINT, 'ModelProto.ir_version'); m.irVersion = r.int64(); break;
      case 2: r.expect(wire, WIRE_LEN, 'ModelProto.producer_name'); m.producerName = r.string(); break;
      case 3: r.expect(wire, WIRE_LEN, 'ModelProto.producer_version'); m.producerVersion = r.string(); break;
      case 6: r.expect(wire, WIRE_LEN, 'ModelProto.doc_string'); m.docString = r.string(); break;
      case 7: r.expect(wire, WIRE_LEN, 'ModelProto.graph'); m.graph = readGraph(r.message('graph')); break;
      case 8: {
        r.expect(wire, WIRE_LEN, 'ModelProto.opset_import');
        const o = r.message('opset_import');
        const op = { domain: '', version: 0 };
        while (!o.done) {
          const t = o.tag();
          if (t.field === 1 && t.wire === WIRE_LEN) op.domain = o.string();
          else if (t.field === 2 && t.wire === WIRE_VARINT) op.version = o.int64();
          else o.skip(t.wire);
        }
        m.opsets.push(op);
        break;
      }
      case 14: {
        r.expect(wire, WIRE_LEN, 'ModelProto.metadata_props');
        const e = r.message('metadata_props');
        const kv = { key: '', value: '' };
        while (!e.done) {
          const t = e.tag();
          if (t.field === 1 && t.wire === WIRE_LEN) kv.key = e.string();
          else if (t.field === 2 && t.wire === WIRE_LEN) kv.value = e.string();
          else e.skip(t.wire);
        }
        m.metadata.push(kv);
        break;
      }
      default: r.skip(wire);
    }
  }
  if (!m.graph) throw new ModelFormatError('not an ONNX model: no graph (a truncated file, or not a .onnx file)');
  return m;
}

// ---- writing ---------------------------------------------------------------------------------

function writeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims);
  w.int(2, t.dataType);
  for (const s of t.stringData) w.bytes(6, s);
  if (t.int64Data.length) w.packedInts(7, t.int64Data);
  w.string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  for (const kv of t.externalData ?? []) w.message(13, new ProtoWriter().string(1, kv.key).string(2, kv.value));
  if (t.external) w.int(14, 1);
  return w;
}

function writeAttribute(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, a.name);
  switch (a.type) {
    case AT.FLOAT: w.float(2, a.f!); break;
    case AT.INT: w.int(3, a.i!); break;
    case AT.STRING: w.bytes(4, a.s!); break;
    case AT.TENSOR: w.message(5, writeTensor(a.t!)); break;
    case AT.FLOATS: w.packedFloats(7, a.floats); break;
    case AT.INTS: w.packedInts(8, a.ints); break;
    case AT.STRINGS: for (const s of a.strings) w.bytes(9, s); break;
    default: throw new ModelFormatError(`attribute ${a.name}: type ${a.type} is not written by simdnet`);
  }
  w.int(20, a.type);
  return w;
}

function writeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes) w.message(5, writeAttribute(a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function writeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape ?? []) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else if (typeof d === 'string') dim.string(2, d);
    shape.message(1, dim);
  }
  const tensor = new ProtoWriter().int(1, v.elemType);
  if (v.shape) tensor.message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensor));
}

/** Serializes a model (the .onnx bytes). */
export function encodeModel(m: OnnxModel): Uint8Array {
  const g = new ProtoWriter();
  for (const n of m.graph.nodes) g.message(1, writeNode(n));
  g.string(2, m.graph.name);
  for (const t of m.graph.initializers) g.message(5, writeTensor(t));
  for (const v of m.graph.inputs) g.message(11, writeValueInfo(v));
  for (const v of m.graph.outputs) g.message(12, writeValueInfo(v));
  for (const v of m.graph.valueInfo) g.message(13, writeValueInfo(v));
  const w = new ProtoWriter();
  w.int(1, m.irVersion);
  w.string(2, m.producerName);
  w.string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, g);
  for (const o of m.opsets) {
    const op = new ProtoWriter();
    if (o.domain) op.string(1, o.domain);
    op.int(2, o.version);
    w.message(8, op);
  }
  for (const kv of m.metadata) w.message(14, new ProtoWriter().string(1, kv.key).string(2, kv.value));
  return w.finish();
}
