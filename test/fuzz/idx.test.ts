// Fuzz: the IDX readers against an independent encoder and decoder. Random arrays of every IDX
// type (u8, i8, i16, i32, f32, f64; 1 to 4 dimensions, empty ones included) are encoded here
// byte by byte, big-endian, then given to readIdx as a Uint8Array, an ArrayBuffer, a pooled Node
// Buffer (a view at an offset into a shared 8 KB pool), gzip'd bytes or a file. The values must
// come back exactly. Mutated files (header bytes, dimensions, lengths, any byte, gzip streams) are
// decoded by this file's own reading of the format: where it finds the file valid the library must
// return exactly its values, where it does not the library must refuse with a ValidationError.
// readIdxImages and readIdxLabels are checked on every decoded array against their documented rules.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.js';
import { readIdx, readIdxImages, readIdxLabels, type IdxArray } from '../../src/data/idx.js';
import { fuzz, printReports, type CaseOutcome, type Gen } from './harness.js';

type IdxType = IdxArray['type'];
const CODES: Record<IdxType, number> = { u8: 0x08, i8: 0x09, i16: 0x0b, i32: 0x0c, f32: 0x0d, f64: 0x0e };
const SIZES: Record<IdxType, number> = { u8: 1, i8: 1, i16: 2, i32: 4, f32: 4, f64: 8 };
const TYPES = Object.keys(CODES) as IdxType[];
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function randomValue(g: Gen, t: IdxType): number {
  switch (t) {
    case 'u8': return g.int(0, 255);
    case 'i8': return g.int(-128, 127);
    case 'i16': return g.int(-32768, 32767);
    case 'i32': return g.bool(0.2) ? g.pick([-2147483648, 2147483647, 0, -1]) : g.int(-2147483648, 2147483647);
    case 'f32': return g.bool(0.1) ? g.pick([NaN, Infinity, -Infinity, -0, 3.4028234663852886e38, 1.401298464324817e-45]) : Math.fround((g.r() - 0.5) * 2 ** g.int(-30, 30));
    case 'f64': return g.bool(0.15) ? g.pick([NaN, Infinity, -0, 1e300, -1e300, 3.5e38, 5e-324]) : (g.r() - 0.5) * 2 ** g.int(-60, 60);
  }
}

/** Big-endian bytes of one value: integers by shifts, floats by their host bytes reversed when the host is little-endian. */
function valueBytes(t: IdxType, v: number): number[] {
  if (t === 'u8' || t === 'i8') return [v & 0xff];
  if (t === 'i16') return [(v >> 8) & 0xff, v & 0xff];
  if (t === 'i32') return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const host = Array.from(new Uint8Array((t === 'f32' ? new Float32Array([v]) : new Float64Array([v])).buffer));
  return LITTLE ? host.reverse() : host;
}

function encode(t: IdxType, dims: number[], values: number[]): Uint8Array {
  const out: number[] = [0, 0, CODES[t], dims.length];
  for (const d of dims) out.push((d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff);
  for (const v of values) out.push(...valueBytes(t, v));
  return Uint8Array.from(out);
}

/** This file's own reading of the format: the array, or null for an invalid file. */
function decode(b: Uint8Array): { type: IdxType; dims: number[]; values: number[] } | null {
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0 || b[3] === 0) return null;
  const type = TYPES.find((t) => CODES[t] === b[2]);
  if (!type) return null;
  const nd = b[3]!;
  if (b.length < 4 + 4 * nd) return null;
  const dims: number[] = [];
  for (let d = 0; d < nd; d++) {
    const o = 4 + 4 * d;
    dims.push(b[o]! * 2 ** 24 + b[o + 1]! * 2 ** 16 + b[o + 2]! * 2 ** 8 + b[o + 3]!);
  }
  const count = dims.reduce((a, x) => a * x, 1);
  const size = SIZES[type];
  if (b.length !== 4 + 4 * nd + count * size) return null;
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const o = 4 + 4 * nd + i * size;
    const bytes = Array.from(b.subarray(o, o + size));
    let v: number;
    if (type === 'u8') v = bytes[0]!;
    else if (type === 'i8') v = bytes[0]! >= 128 ? bytes[0]! - 256 : bytes[0]!;
    else if (type === 'i16') { v = bytes[0]! * 256 + bytes[1]!; if (v >= 32768) v -= 65536; }
    else if (type === 'i32') { v = bytes[0]! * 2 ** 24 + bytes[1]! * 2 ** 16 + bytes[2]! * 256 + bytes[3]!; if (v >= 2 ** 31) v -= 2 ** 32; }
    else {
      const host = Uint8Array.from(LITTLE ? bytes.reverse() : bytes);
      v = type === 'f32' ? new Float32Array(host.buffer)[0]! : new Float64Array(host.buffer)[0]!;
    }
    values.push(v);
  }
  return { type, dims, values };
}

function randomArray(g: Gen): { type: IdxType; dims: number[]; values: number[] } {
  const type = g.pick(TYPES);
  const nd = g.int(1, 4);
  const dims = Array.from({ length: nd }, () => (g.bool(0.05) ? 0 : g.int(1, nd === 1 ? 40 : 6)));
  const count = dims.reduce((a, x) => a * x, 1);
  return { type, dims, values: Array.from({ length: count }, () => randomValue(g, type)) };
}

let dir: string | undefined;
function asSource(g: Gen, bytes: Uint8Array): { source: string | Uint8Array | ArrayBuffer; how: string } {
  const how = g.pick(['bytes', 'arraybuffer', 'pooled buffer', 'gzip', 'gzip buffer', 'file']);
  if (how === 'arraybuffer') return { source: bytes.slice().buffer, how };
  if (how === 'pooled buffer') return { source: Buffer.from(bytes), how };
  if (how === 'gzip') return { source: new Uint8Array(gzipSync(bytes)), how };
  if (how === 'gzip buffer') return { source: gzipSync(bytes), how };
  if (how === 'file') {
    dir ??= mkdtempSync(join(tmpdir(), 'simdnet-fuzz-idx-'));
    const path = join(dir, `f${g.int(0, 1e9)}${g.bool() ? '.gz' : ''}`);
    writeFileSync(path, g.bool() ? gzipSync(bytes) : bytes);
    return { source: path, how };
  }
  return { source: bytes, how };
}

function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}[${i}] is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Checks readIdx, readIdxImages and readIdxLabels on `bytes`, whose meaning `decode` gives. */
function check(g: Gen, bytes: Uint8Array, outcome: CaseOutcome): void {
  const want = decode(bytes);
  const { source, how } = asSource(g, bytes);
  const reader = g.pick(['readIdx', 'images', 'images raw', 'labels'] as const);
  outcome.kind = `${reader}${want ? '' : ' (invalid)'}`;
  if (!want) {
    outcome.expectError = ValidationError;
    readIdx(source);
    return;
  }
  const count = want.values.length;
  if (reader === 'readIdx') {
    const a = readIdx(source);
    expect(a.type).toBe(want.type);
    expect(a.dims).toEqual(want.dims);
    sameValues(a.data, want.values, `${how} data`);
  } else if (reader === 'labels') {
    const ok = want.dims.length === 1 && want.type !== 'f32' && want.type !== 'f64' && count > 0;
    if (!ok) outcome.expectError = ValidationError;
    const y = readIdxLabels(source);
    expect(y).toBeInstanceOf(Int32Array);
    sameValues(y, want.values, `${how} labels`);
  } else {
    const normalize = reader === 'images';
    const cols = want.dims.slice(1).reduce((a, x) => a * x, 1);
    const expected = want.values.map((v) => Math.fround(normalize ? v / 255 : v));
    const ok = want.dims.length >= 2 && want.dims[0]! > 0 && cols > 0 && (normalize ? want.type === 'u8' : expected.every(Number.isFinite));
    if (!ok) outcome.expectError = ValidationError;
    const X = readIdxImages(source, { normalize });
    expect([X.rows, X.cols]).toEqual([want.dims[0], cols]);
    sameValues(X.data, expected, `${how} images`);
  }
}

const MUTATORS: Record<string, (g: Gen, b: Uint8Array) => Uint8Array> = {
  magic: (g, b) => { const c = b.slice(); c[g.int(0, 3)] = g.int(0, 255); return c; },
  type: (g, b) => { const c = b.slice(); c[2] = g.pick([0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0xff]); return c; },
  ndims: (g, b) => { const c = b.slice(); c[3] = g.pick([0, 1, 2, 3, 4, 5, 255]); return c; },
  dim: (g, b) => {
    const c = b.slice();
    const nd = Math.max(1, c[3]!);
    const o = 4 + 4 * g.int(0, nd - 1);
    const v = g.pick([0, 1, 2, 0xffffffff, 0x80000000, 0x10000, g.int(0, 100)]);
    if (o + 3 < c.length) { c[o] = (v >>> 24) & 0xff; c[o + 1] = (v >>> 16) & 0xff; c[o + 2] = (v >>> 8) & 0xff; c[o + 3] = v & 0xff; }
    return c;
  },
  truncate: (g, b) => b.slice(0, g.int(0, b.length - 1)),
  trailing: (g, b) => { const c = new Uint8Array(b.length + g.int(1, 9)); c.set(b); return c; },
  byte: (g, b) => { const c = b.slice(); for (let k = g.int(1, 4); k > 0; k--) c[g.int(0, c.length - 1)] ^= 1 << g.int(0, 7); return c; },
};

describe('fuzz: IDX', () => {
  afterAll(() => {
    printReports();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('random arrays of every type round-trip exactly through every source kind and reader', async () => {
    const r = await fuzz('idx.valid', 4000, (g, outcome) => {
      const a = randomArray(g);
      check(g, encode(a.type, a.dims, a.values), outcome);
    }, { arena: false });
    expect(r.ok).toBeGreaterThan(r.cases / 3);
  }, 120_000);

  it('mutated files: exactly the values this file decodes, or a ValidationError where it finds the file invalid', async () => {
    const names = Object.keys(MUTATORS);
    const r = await fuzz('idx.mutated', 6000, (g, outcome) => {
      const a = randomArray(g);
      let bytes = encode(a.type, a.dims, a.values);
      const m = g.pick(names);
      bytes = MUTATORS[m]!(g, bytes);
      if (g.bool(0.1)) {
        // a damaged gzip stream: whatever zlib makes of it, or a ValidationError when it refuses
        const z = new Uint8Array(gzipSync(encode(a.type, a.dims, a.values)));
        const zm = MUTATORS[g.pick(['byte', 'truncate', 'trailing'])]!(g, z);
        let inner: Uint8Array | null = null;
        try { inner = zm[0] === 0x1f && zm[1] === 0x8b ? new Uint8Array(gunzipSync(zm)) : zm; } catch { inner = null; }
        outcome.kind = 'gzip';
        if (!inner || !decode(inner)) outcome.expectError = ValidationError;
        const got = readIdx(zm);
        const want = decode(inner!)!;
        expect(got.dims).toEqual(want.dims);
        sameValues(got.data, want.values, 'gzip data');
        return;
      }
      check(g, bytes, outcome);
      outcome.kind = `${m}: ${outcome.kind}`;
    }, { arena: false });
    expect(r.errors).toBeGreaterThan(r.cases / 3);
  }, 120_000);

  it('not IDX at all (wrong argument types, empty and tiny inputs, huge declared sizes): a ValidationError', async () => {
    const r = await fuzz('idx.foreign', 300, (g, outcome) => {
      outcome.expectError = ValidationError;
      const pick = g.int(0, 5);
      outcome.kind = ['type', 'empty', 'tiny', 'huge', 'ndims', 'typed array'][pick];
      if (pick === 0) readIdx(g.pick([null, undefined, 42, {}, [], new DataView(new ArrayBuffer(8))]) as never);
      else if (pick === 1) readIdx(new Uint8Array(0));
      else if (pick === 2) readIdx(Uint8Array.from({ length: g.int(1, 7) }, () => g.int(0, 3)));
      else if (pick === 3) readIdx(encode(g.pick(TYPES), [0xffffffff, 0xffffffff, 0xffffffff], []));
      else if (pick === 4) readIdx(Uint8Array.from([0, 0, 8, g.int(1, 255), 0, 0, 0]));
      else readIdx(new Int16Array(g.int(2, 10)) as never);
    }, { arena: false });
    expect(r.errors).toBe(r.cases);
  }, 60_000);
});
