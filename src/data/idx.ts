// IDX files (MNIST, Fashion-MNIST): magic 00 00 <type> <ndims>, then ndims big-endian u32
// dimensions, then the values big-endian, row-major. Type codes: 08 u8, 09 i8, 0B i16, 0C i32,
// 0D f32, 0E f64. Gzip'd files (1f 8b) are gunzipped with Node's zlib.

import { ValidationError } from '../errors.js';
import type { Matrix } from './matrix.js';
import { gunzip, isGzip, readFileBytes } from './node.js';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  /** Dimensions, outermost first: [n] for labels, [n, height, width] for images. */
  dims: number[];
  /** The values, row-major, in the file's type. */
  data: IdxData;
  type: 'u8' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64';
}

/** A file path (Node only), or the file's bytes. */
export type IdxSource = string | Uint8Array | ArrayBuffer;

const TYPES: Record<number, { type: IdxArray['type']; size: number }> = {
  0x08: { type: 'u8', size: 1 },
  0x09: { type: 'i8', size: 1 },
  0x0b: { type: 'i16', size: 2 },
  0x0c: { type: 'i32', size: 4 },
  0x0d: { type: 'f32', size: 4 },
  0x0e: { type: 'f64', size: 8 },
};

function hex(v: number, width: number): string {
  return '0x' + v.toString(16).padStart(width, '0');
}

function sourceBytes(source: IdxSource, argName: string): Uint8Array {
  let bytes: Uint8Array;
  if (typeof source === 'string') bytes = readFileBytes(source, argName);
  else if (source instanceof Uint8Array) bytes = source;
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else throw new ValidationError(argName, 'expected a file path, a Uint8Array or an ArrayBuffer');
  return isGzip(bytes) ? gunzip(bytes, argName) : bytes;
}

/**
 * Reads an IDX file (gzip'd or not) and checks its magic number and length.
 * @example const { dims, data } = readIdx('train-labels-idx1-ubyte.gz'); // dims [60000]
 */
export function readIdx(source: IdxSource, argName = 'source'): IdxArray {
  const bytes = sourceBytes(source, argName);
  if (bytes.length < 4) throw new ValidationError(argName, `has ${bytes.length} bytes, too short for an IDX header (4 bytes of magic number)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const code = bytes[2];
  const ndims = bytes[3];
  const t = TYPES[code];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !t || ndims === 0) {
    throw new ValidationError(argName, `magic number is ${hex(magic, 8)}, expected 0x0000TTNN with type TT one of 08, 09, 0b, 0c, 0d, 0e and NN ≥ 1 dimensions (e.g. 0x00000801 labels, 0x00000803 images); not an IDX file`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new ValidationError(argName, `has ${bytes.length} bytes, too short for the header of ${ndims} dimensions (${headerBytes} bytes)`);
  }
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const v = view.getUint32(4 + 4 * d, false);
    dims.push(v);
    count *= v;
  }
  const expected = headerBytes + count * t.size;
  if (bytes.length !== expected) {
    throw new ValidationError(argName, `has ${bytes.length} bytes, expected ${expected} for dimensions [${dims.join(', ')}] of ${t.type} (${bytes.length < expected ? 'truncated' : 'trailing bytes'})`);
  }
  let data: IdxData;
  const off = headerBytes;
  // Copies of exactly the value bytes: `bytes` may be a Node Buffer, a view into a shared pool
  // whose `.buffer` holds other data (and whose slice() is a view, not a copy).
  switch (t.type) {
    case 'u8': data = new Uint8Array(count); data.set(bytes.subarray(off, expected)); break;
    case 'i8': data = new Int8Array(bytes.buffer, bytes.byteOffset + off, count).slice(); break;
    case 'i16': data = new Int16Array(count); for (let i = 0; i < count; i++) data[i] = view.getInt16(off + 2 * i, false); break;
    case 'i32': data = new Int32Array(count); for (let i = 0; i < count; i++) data[i] = view.getInt32(off + 4 * i, false); break;
    case 'f32': data = new Float32Array(count); for (let i = 0; i < count; i++) data[i] = view.getFloat32(off + 4 * i, false); break;
    case 'f64': data = new Float64Array(count); for (let i = 0; i < count; i++) data[i] = view.getFloat64(off + 8 * i, false); break;
  }
  return { dims, data, type: t.type };
}

export interface IdxImagesOptions {
  /** Scale u8 pixels to [0, 1] by dividing by 255 (default true). */
  normalize?: boolean;
}

/**
 * Reads an IDX image file as a Matrix: one row per image, height·width columns.
 * @example const X = readIdxImages('t10k-images-idx3-ubyte.gz'); // 10000 × 784, values in [0, 1]
 */
export function readIdxImages(source: IdxSource, options: IdxImagesOptions = {}): Matrix {
  const { dims, data, type } = readIdx(source);
  if (dims.length < 2) {
    throw new ValidationError('source', `holds a ${dims.length}-D array [${dims.join(', ')}], expected images (3-D: count × height × width)`);
  }
  const normalize = options.normalize ?? true;
  if (normalize && type !== 'u8') {
    throw new ValidationError('normalize', `scales u8 pixels by 1/255, but the file holds ${type} values; pass normalize: false`);
  }
  const rows = dims[0];
  const cols = dims.slice(1).reduce((a, b) => a * b, 1);
  if (rows === 0 || cols === 0) {
    throw new ValidationError('source', `holds ${rows} images of ${dims.slice(1).join(' × ')} pixels: no values, expected at least one image of at least one pixel`);
  }
  const out = new Float32Array(data.length);
  if (normalize) for (let i = 0; i < data.length; i++) out[i] = data[i] / 255;
  else {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!Number.isFinite(v)) throw new ValidationError('source', `value ${i} is ${v}, expected a finite number`);
      out[i] = v;
      if (!Number.isFinite(out[i])) throw new ValidationError('source', `value ${i} is ${v}, outside the float32 range (±3.4e38) of a matrix; scale the data first`);
    }
  }
  return { data: out, rows, cols };
}

/**
 * Reads an IDX label file (1-D, integer type) as an Int32Array.
 * @example const y = readIdxLabels('t10k-labels-idx1-ubyte.gz'); // 10000 labels 0..9
 */
export function readIdxLabels(source: IdxSource): Int32Array {
  const { dims, data, type } = readIdx(source);
  if (dims.length !== 1) {
    throw new ValidationError('source', `holds a ${dims.length}-D array [${dims.join(', ')}], expected labels (1-D)`);
  }
  if (type === 'f32' || type === 'f64') {
    throw new ValidationError('source', `holds ${type} values, expected integer labels (u8, i8, i16 or i32)`);
  }
  if (dims[0] === 0) throw new ValidationError('source', 'holds 0 labels, expected at least one');
  return Int32Array.from(data as ArrayLike<number>);
}
