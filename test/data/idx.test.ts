import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readIdx, readIdxImages, readIdxLabels } from '../../src/data/index.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes an IDX file byte by byte, independently of the reader: big-endian header and values. */
function idx(typeCode: number, dims: number[], values: number[]): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[typeCode]!;
  const buf = Buffer.alloc(4 + 4 * dims.length + size * values.length);
  buf[2] = typeCode;
  buf[3] = dims.length;
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  let off = 4 + 4 * dims.length;
  for (const v of values) {
    switch (typeCode) {
      case 0x08: buf.writeUInt8(v, off); break;
      case 0x09: buf.writeInt8(v, off); break;
      case 0x0b: buf.writeInt16BE(v, off); break;
      case 0x0c: buf.writeInt32BE(v, off); break;
      case 0x0d: buf.writeFloatBE(v, off); break;
      case 0x0e: buf.writeDoubleBE(v, off); break;
    }
    off += size;
  }
  return new Uint8Array(buf);
}

// Two 2×3 "images" and their labels.
const pixels = [0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6];
const images = idx(0x08, [2, 2, 3], pixels);
const labels = idx(0x08, [2], [7, 3]);

describe('readIdx', () => {
  it('reads u8 images and labels (magic 0x00000803 / 0x00000801)', () => {
    expect(Array.from(images.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    const r = readIdx(images);
    expect(r.dims).toEqual([2, 2, 3]);
    expect(r.type).toBe('u8');
    expect(r.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(r.data)).toEqual(pixels);
    expect(Array.from(readIdx(labels).data)).toEqual([7, 3]);
  });

  it('round-trips every type code, big-endian', () => {
    const cases: [number, string, number[], unknown][] = [
      [0x09, 'i8', [-128, -1, 0, 127], Int8Array],
      [0x0b, 'i16', [-32768, -2, 258, 32767], Int16Array],
      [0x0c, 'i32', [-2147483648, -3, 16909060, 2147483647], Int32Array],
      [0x0d, 'f32', [-1.5, 0, 0.25, 2 ** 100], Float32Array],
      [0x0e, 'f64', [-1e300, Math.PI, 0, 1 / 3], Float64Array],
    ];
    for (const [code, type, values, Ctor] of cases) {
      const r = readIdx(idx(code, [2, 2], values));
      expect(r.type).toBe(type);
      expect(r.dims).toEqual([2, 2]);
      expect(r.data).toBeInstanceOf(Ctor);
      expect(Array.from(r.data)).toEqual(values);
    }
  });

  it('reads gzip bytes, files, gzip files, ArrayBuffers and offset views', () => {
    expect(Array.from(readIdx(new Uint8Array(gzipSync(labels))).data)).toEqual([7, 3]);
    const plain = join(dir, 'labels-idx1-ubyte');
    const gz = join(dir, 'images-idx3-ubyte.gz');
    writeFileSync(plain, labels);
    writeFileSync(gz, gzipSync(images));
    expect(Array.from(readIdx(plain).data)).toEqual([7, 3]);
    expect(readIdx(gz).dims).toEqual([2, 2, 3]);
    expect(readIdx(labels.slice().buffer).dims).toEqual([2]);
    const padded = new Uint8Array(labels.length + 5);
    padded.set(labels, 5);
    expect(Array.from(readIdx(padded.subarray(5)).data)).toEqual([7, 3]);
  });

  it('rejects a corrupted magic number', () => {
    const bad = labels.slice();
    bad[0] = 1;
    expect(() => readIdx(bad)).toThrow(/magic number is 0x01000801.*not an IDX file/);
    const badType = labels.slice();
    badType[2] = 0x0a;
    expect(() => readIdx(badType)).toThrow(/magic number is 0x00000a01/);
    expect(() => readIdx(new Uint8Array([0, 0]))).toThrow(/too short/);
  });

  it('rejects truncated data and trailing bytes', () => {
    expect(() => readIdx(images.subarray(0, images.length - 1))).toThrow(/has 27 bytes, expected 28 for dimensions \[2, 2, 3\] of u8 \(truncated\)/);
    expect(() => readIdx(images.subarray(0, 10))).toThrow(/too short for the header of 3 dimensions/);
    const longer = new Uint8Array(images.length + 1);
    longer.set(images);
    expect(() => readIdx(longer)).toThrow(/trailing bytes/);
    expect(() => readIdx(new Uint8Array(gzipSync(images)).subarray(0, 20))).toThrow(/not a valid gzip stream/);
  });

  it('does not modify the input bytes', () => {
    const copy = images.slice();
    const r = readIdx(images);
    (r.data as Uint8Array)[0] = 99;
    expect(images).toEqual(copy);
  });

  it('explains gzip needs Node when getBuiltinModule is missing', () => {
    const proc = globalThis.process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      expect(() => readIdx(new Uint8Array(gzipSync(labels)))).toThrow(/gzip-compressed.*decompress it first/);
      expect(readIdx(labels).dims).toEqual([2]);
    } finally {
      proc.getBuiltinModule = saved;
    }
  });
});

describe('readIdxImages / readIdxLabels', () => {
  it('gives one row per image scaled to [0, 1]', () => {
    const X = readIdxImages(images);
    expect([X.rows, X.cols]).toEqual([2, 6]);
    expect(Array.from(X.data)).toEqual(pixels.map((p) => Math.fround(p / 255)));
    const raw = readIdxImages(images, { normalize: false });
    expect(Array.from(raw.data)).toEqual(pixels);
  });

  it('gives Int32Array labels', () => {
    const y = readIdxLabels(new Uint8Array(gzipSync(labels)));
    expect(y).toBeInstanceOf(Int32Array);
    expect(Array.from(y)).toEqual([7, 3]);
  });

  it('rejects the wrong kind of file', () => {
    expect(() => readIdxImages(labels)).toThrow(/1-D array \[2\], expected images/);
    expect(() => readIdxLabels(images)).toThrow(/3-D array \[2, 2, 3\], expected labels/);
    expect(() => readIdxLabels(idx(0x0d, [2], [0.5, 1]))).toThrow(/integer labels/);
    expect(() => readIdxImages(idx(0x0d, [1, 1, 2], [0.5, 1]))).toThrow(/normalize: .*pass normalize: false/);
  });
});

describe('regressions (issue 13): data read back exactly, or refused', () => {
  // Node Buffers (from a path, from gunzip, or passed in) are views into a shared pool: their
  // `.buffer` is the pool, not the file, so decoding must copy exactly byteLength bytes from byteOffset.
  const signed = [-128, -1, 0, 1, 127, -40, 5, -7];
  const i8 = idx(0x09, [signed.length], signed);

  it('reads signed-byte labels from a path, a gzip file, gzip bytes and a pooled Buffer', () => {
    const plain = join(dir, 'signed-labels-idx1-ubyte');
    const gz = join(dir, 'signed-labels-idx1-ubyte.gz');
    writeFileSync(plain, i8);
    writeFileSync(gz, gzipSync(i8));
    const pooled = Buffer.from(i8); // small Buffers come from the 8 KiB pool
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    for (const src of [plain, gz, new Uint8Array(gzipSync(i8)), pooled]) {
      const r = readIdx(src);
      expect(r.data).toBeInstanceOf(Int8Array);
      expect(Array.from(r.data)).toEqual(signed);
      expect(Array.from(readIdxLabels(src))).toEqual(signed);
    }
  });

  it('returns u8 data as its own Uint8Array, not a view of a pooled Buffer', () => {
    const pooled = Buffer.from(images);
    const r = readIdx(pooled);
    expect(r.data.constructor).toBe(Uint8Array);
    expect(r.data.byteOffset).toBe(0);
    expect(r.data.buffer.byteLength).toBe(pixels.length);
    (r.data as Uint8Array)[0] = 9;
    expect(pooled[16]).toBe(0);
  });

  it('refuses f64 values a float32 matrix cannot hold instead of making them Infinity', () => {
    const big = idx(0x0e, [1, 1, 2], [1, 1e39]);
    expect(readIdx(big).data[1]).toBe(1e39);
    expect(() => readIdxImages(big, { normalize: false })).toThrow(/value 1 is 1e\+39, outside the float32 range/);
    expect(Array.from(readIdxImages(idx(0x0e, [1, 1, 2], [0.25, -3e38]), { normalize: false }).data)).toEqual([0.25, Math.fround(-3e38)]);
  });

  it('refuses images and label files with no values (N×0, 0×N, 0 labels)', () => {
    expect(() => readIdxImages(idx(0x08, [3, 0, 28], []))).toThrow(/3 images of 0 × 28 pixels: no values/);
    expect(() => readIdxImages(idx(0x08, [0, 28, 28], []))).toThrow(/0 images of 28 × 28 pixels: no values/);
    expect(() => readIdxLabels(idx(0x08, [0], []))).toThrow(/holds 0 labels/);
    expect(readIdx(idx(0x08, [0, 28, 28], [])).dims).toEqual([0, 28, 28]);
  });
});
