// A hand-written ONNX encoder for one graph: the 784-256-128-10 MLP as
// Gemm(transB) → Relu → Gemm → Relu → Gemm → Softmax(axis 1), with seeded random weights.
// Used for onnxruntime-web when PyTorch (torch.onnx.export) is not installed.
// Protobuf wire format: field key = (number << 3) | wire type; 0 varint, 2 length-delimited.
// Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto...).

import { randomF32 } from './common.mjs';

const te = new TextEncoder();

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const concat = (parts) => {
  const len = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const int = (field, n) => Uint8Array.from([...varint(field << 3), ...varint(n)]);
const bytes = (field, b) => concat([Uint8Array.from([...varint((field << 3) | 2), ...varint(b.length)]), b]);
const str = (field, s) => bytes(field, te.encode(s));
const msg = (field, ...parts) => bytes(field, concat(parts));

const FLOAT = 1;

function tensor(name, dims, data) {
  return concat([...dims.map((d) => int(1, d)), int(2, FLOAT), str(8, name), bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))]);
}
function valueInfo(field, name, dims) {
  const shape = concat(dims.map((d) => (typeof d === 'string' ? msg(1, str(2, d)) : msg(1, int(1, d)))));
  return msg(field, str(1, name), msg(2, msg(1, int(1, FLOAT), bytes(2, shape))));
}
function node(opType, inputs, outputs, attrs = []) {
  return msg(1, ...inputs.map((i) => str(1, i)), ...outputs.map((o) => str(2, o)), str(3, `${opType}_${outputs[0]}`), str(4, opType), ...attrs);
}
const intAttr = (name, v) => msg(5, str(1, name), int(3, v), int(20, 2));

/** Bytes of an ONNX model (opset 13) of the MLP; weights uniform ±1/√fan_in from a fixed seed. */
export function encodeMlp(sizes = [784, 256, 128, 10], seed = 1) {
  const nodes = [];
  const inits = [];
  let prev = 'x';
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const scale = 1 / Math.sqrt(fanIn);
    inits.push(msg(5, tensor(`W${l}`, [fanOut, fanIn], randomF32(fanIn * fanOut, seed + 2 * l).map((v) => v * scale))));
    inits.push(msg(5, tensor(`b${l}`, [fanOut], randomF32(fanOut, seed + 2 * l + 1).map((v) => v * scale))));
    const z = `z${l}`;
    nodes.push(node('Gemm', [prev, `W${l}`, `b${l}`], [z], [intAttr('transB', 1)]));
    if (l + 2 < sizes.length) { nodes.push(node('Relu', [z], [`a${l}`])); prev = `a${l}`; } else prev = z;
  }
  nodes.push(node('Softmax', [prev], ['y'], [intAttr('axis', 1)]));
  const graph = msg(7, ...nodes, str(2, 'mlp'), ...inits, valueInfo(11, 'x', ['batch', sizes[0]]), valueInfo(12, 'y', ['batch', sizes.at(-1)]));
  return concat([int(1, 7), str(2, 'simdnet-bench'), graph, msg(8, str(1, ''), int(2, 13))]);
}
