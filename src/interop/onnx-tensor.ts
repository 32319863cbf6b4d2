// Tensor values in and out of TensorProto. Reading accepts raw_data (little-endian, whatever the
// host) and the typed fields (float_data, int64_data, ...), as exporters use either; writing
// uses raw_data for numbers (what torch.onnx and skl2onnx write) and string_data for strings.

import { ModelFormatError } from './lib.js';
import { DT, dataTypeName, type OnnxTensor } from './onnx-proto.js';
import { utf8 } from './protobuf.js';

const BYTES: Record<number, number> = {
  [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.FLOAT16]: 2, [DT.INT64]: 8, [DT.INT32]: 4, [DT.INT16]: 2, [DT.INT8]: 1,
  [DT.UINT8]: 1, [DT.UINT16]: 2, [DT.UINT32]: 4, [DT.UINT64]: 8, [DT.BOOL]: 1,
};

/** IEEE half → number. */
export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** The values of a numeric tensor as float64 (exact for float32, float16, int32 and ints below 2^53). */
export function tensorNumbers(t: OnnxTensor, what = `tensor ${t.name}`): Float64Array {
  if (t.external) throw new ModelFormatError(`${what}: its data is stored in an external file (data_location = EXTERNAL); read it with loadONNX(path) or readONNX(bytes, { externalData })`);
  if (t.dims.some((d) => !Number.isInteger(d) || d < 0)) throw new ModelFormatError(`${what}: dims [${t.dims.join(', ')}] are not valid`);
  const n = elementCount(t.dims);
  const size = BYTES[t.dataType];
  if (size === undefined) throw new ModelFormatError(`${what}: element type ${dataTypeName(t.dataType)} is not a number type simdnet reads`);
  // the values are allocated once the data is known to hold them: dims alone may claim 10^9 of them
  if (t.raw) {
    if (t.raw.length !== n * size) throw new ModelFormatError(`${what}: raw_data has ${t.raw.length} bytes, dims [${t.dims.join(', ')}] of ${dataTypeName(t.dataType)} need ${n * size}`);
    const out = new Float64Array(n);
    const v = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      switch (t.dataType) {
        case DT.FLOAT: out[i] = v.getFloat32(o, true); break;
        case DT.DOUBLE: out[i] = v.getFloat64(o, true); break;
        case DT.FLOAT16: out[i] = halfToNumber(v.getUint16(o, true)); break;
        case DT.INT64: out[i] = Number(v.getBigInt64(o, true)); break;
        case DT.UINT64: out[i] = Number(v.getBigUint64(o, true)); break;
        case DT.INT32: out[i] = v.getInt32(o, true); break;
        case DT.UINT32: out[i] = v.getUint32(o, true); break;
        case DT.INT16: out[i] = v.getInt16(o, true); break;
        case DT.UINT16: out[i] = v.getUint16(o, true); break;
        case DT.INT8: out[i] = v.getInt8(o); break;
        default: out[i] = v.getUint8(o); // UINT8, BOOL
      }
    }
    return out;
  }
  let src: number[];
  switch (t.dataType) {
    case DT.FLOAT: src = t.floatData; break;
    case DT.DOUBLE: src = t.doubleData; break;
    case DT.INT64: src = t.int64Data; break;
    case DT.UINT64: case DT.UINT32: src = t.uint64Data; break;
    default: src = t.int32Data; // int32, int16, int8, uint16, uint8, bool, float16 (bits) live in int32_data
  }
  if (src.length !== n) throw new ModelFormatError(`${what}: holds ${src.length} values, dims [${t.dims.join(', ')}] need ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = t.dataType === DT.FLOAT16 ? halfToNumber(src[i]! & 0xffff) : src[i]!;
  return out;
}

export function tensorStrings(t: OnnxTensor, what = `tensor ${t.name}`): string[] {
  if (t.dataType !== DT.STRING) throw new ModelFormatError(`${what}: expected a string tensor, got ${dataTypeName(t.dataType)}`);
  const n = elementCount(t.dims);
  if (t.stringData.length !== n) throw new ModelFormatError(`${what}: holds ${t.stringData.length} strings, dims [${t.dims.join(', ')}] need ${n}`);
  const dec = new TextDecoder('utf-8', { fatal: true });
  return t.stringData.map((b) => {
    try { return dec.decode(b); } catch { throw new ModelFormatError(`${what}: a string is not valid UTF-8`); }
  });
}

function empty(name: string, dims: number[], dataType: number): OnnxTensor {
  return { name, dims, dataType, floatData: [], int32Data: [], int64Data: [], doubleData: [], uint64Data: [], stringData: [], external: false };
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  const t = empty(name, dims, DT.FLOAT);
  const a = Float32Array.from(values);
  t.raw = littleEndian(a, 4, (v, o, x) => v.setFloat32(o, x, true));
  return t;
}

export function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  const t = empty(name, dims, DT.DOUBLE);
  t.raw = littleEndian(Float64Array.from(values), 8, (v, o, x) => v.setFloat64(o, x, true));
  return t;
}

export function int64Tensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  const t = empty(name, dims, DT.INT64);
  t.raw = littleEndian(Float64Array.from(values), 8, (v, o, x) => v.setBigInt64(o, BigInt(x), true));
  return t;
}

export function boolTensor(name: string, dims: number[], values: ArrayLike<boolean>): OnnxTensor {
  const t = empty(name, dims, DT.BOOL);
  t.raw = Uint8Array.from(Array.from(values, (b) => (b ? 1 : 0)));
  return t;
}

export function stringTensor(name: string, dims: number[], values: readonly string[]): OnnxTensor {
  const t = empty(name, dims, DT.STRING);
  t.stringData = values.map((s) => utf8(s));
  return t;
}

function littleEndian(a: ArrayLike<number>, size: number, set: (v: DataView, o: number, x: number) => void): Uint8Array {
  const b = new Uint8Array(a.length * size);
  const v = new DataView(b.buffer);
  for (let i = 0; i < a.length; i++) set(v, i * size, a[i]!);
  return b;
}
