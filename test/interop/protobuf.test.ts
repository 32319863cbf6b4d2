// The hand-written protobuf codec against the wire format (protobuf.dev "Encoding"): varints up
// to 10 bytes, negative int64 as two's complement, packed and unpacked repeated fields, unknown
// fields skipped, and every out-of-bounds length a ModelFormatError.

import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/index.js';
import { ProtoReader, ProtoWriter, WIRE_LEN, WIRE_VARINT } from '../../src/interop/protobuf.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

describe('protobuf wire format', () => {
  it('varints as the spec writes them: 150 → 96 01, −1 → ten bytes, 2^53 − 1', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('08 96 01');
    expect(hex(new ProtoWriter().int(1, -1).finish())).toBe('08 ff ff ff ff ff ff ff ff ff 01');
    for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -2, -(2 ** 40)]) {
      const r = new ProtoReader(new ProtoWriter().int(3, v).finish(), 'test');
      expect(r.tag()).toEqual({ field: 3, wire: WIRE_VARINT });
      expect(r.int64()).toBe(v);
      expect(r.done).toBe(true);
    }
  });

  it('strings, floats and packed / unpacked repeated values', () => {
    const w = new ProtoWriter().string(1, 'Gemm · π').float(2, 0.1).packedInts(3, [1, -1, 300]).int(3, 7).packedFloats(4, [1.5, -2]);
    const r = new ProtoReader(w.finish(), 'test');
    const ints: number[] = [];
    const floats: number[] = [];
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field === 1) expect(r.string()).toBe('Gemm · π');
      else if (field === 2) expect(r.float()).toBe(Math.fround(0.1));
      else if (field === 3) r.repeated(wire, () => r.int64(), ints);
      else if (field === 4) r.repeated(wire, () => r.float(), floats);
    }
    expect(ints).toEqual([1, -1, 300, 7]);
    expect(floats).toEqual([1.5, -2]);
  });

  it('skips unknown fields of every wire type', () => {
    const bytes = Uint8Array.of(0x08, 0x05, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 0x02, 9, 9, 0x25, 1, 2, 3, 4, 0x28, 0x2a);
    const r = new ProtoReader(bytes, 'test');
    for (let k = 0; k < 4; k++) r.skip(r.tag().wire);
    expect(r.tag()).toEqual({ field: 5, wire: WIRE_VARINT });
    expect(r.varint()).toBe(42);
  });

  it('lengths past the end, 11-byte varints, groups and bad UTF-8 are ModelFormatErrors', () => {
    const cases = [
      Uint8Array.of(0x0a, 0x05, 1, 2), // a 5-byte field with 2 bytes left
      Uint8Array.of(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), // 11-byte varint
      Uint8Array.of(0x0b), // wire type 3 (group)
      Uint8Array.of(0x08), // tag without its value
      Uint8Array.of(0x0a, 0x02, 0xc3, 0x28), // invalid UTF-8
    ];
    for (const b of cases) {
      const r = new ProtoReader(b, 'test');
      expect(() => { while (!r.done) { const { field, wire } = r.tag(); if (field === 1 && wire === WIRE_LEN) r.string(); else r.skip(wire); } }, hex(b)).toThrow(ModelFormatError);
    }
  });
});
