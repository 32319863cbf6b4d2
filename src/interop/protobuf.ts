// Protocol Buffers wire format, the subset ONNX files use: varints (wire type 0), 64-bit (1),
// length-delimited (2) and 32-bit (5) fields. A reader that checks every length against the
// buffer (a truncated or corrupt file is a ModelFormatError, never a RangeError or a hang), and a
// writer that grows one buffer. Written from the encoding spec (protobuf.dev, "Encoding"), not
// generated: the ONNX subset needs about 200 lines, a generated codec ten times that.

import { ModelFormatError } from './lib.js';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Reads one message's fields; `what` names the message in error messages. */
export class ProtoReader {
  pos: number;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array, readonly what: string, start = 0, readonly end = bytes.length) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private fail(message: string): never {
    throw new ModelFormatError(`${this.what}: ${message} at byte ${this.pos}`);
  }

  /** The next tag: field number and wire type. */
  tag(): { field: number; wire: number } {
    const t = this.varint();
    const field = Math.floor(t / 8);
    const wire = t % 8;
    if (field < 1) this.fail(`field number ${field} is not valid (a corrupt or truncated file)`);
    return { field, wire };
  }

  /** An unsigned varint up to 2^53 exactly; larger (or negative int64) values go through BigInt. */
  varint(): number {
    let lo = 0;
    let shift = 0;
    let p = this.pos;
    for (let i = 0; i < 10; i++) {
      if (p >= this.end) { this.pos = p; this.fail('a number runs past the end of the data'); }
      const b = this.bytes[p++]!;
      if (i < 7) {
        lo += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (b < 0x80) { this.pos = p; return lo; }
      } else {
        // Bytes 8..10 carry bits 49..63: rare (negative int64, huge values). Re-read with BigInt.
        return this.bigVarint();
      }
    }
    this.pos = p;
    return this.fail('a varint is longer than 10 bytes');
  }

  private bigVarint(): number {
    let v = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('a number runs past the end of the data');
      const b = this.bytes[this.pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) return Number(BigInt.asIntN(64, v));
    }
    return this.fail('a varint is longer than 10 bytes');
  }

  /** int64 / int32 fields: two's complement varints (varint() sign-extends 10-byte ones). */
  int64(): number {
    return this.varint();
  }

  float(): number {
    if (this.pos + 4 > this.end) this.fail('a float runs past the end of the data');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('a double runs past the end of the data');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field's [start, end) in `bytes`. */
  span(): [number, number] {
    const n = this.varint();
    if (n < 0 || n > this.end - this.pos) this.fail(`a field of ${n} bytes runs past the end of the data (${this.end - this.pos} left)`);
    const s = this.pos;
    this.pos += n;
    return [s, s + n];
  }

  bytesField(): Uint8Array {
    const [s, e] = this.span();
    return this.bytes.subarray(s, e);
  }

  string(): string {
    const b = this.bytesField();
    try {
      return utf8Decoder.decode(b);
    } catch {
      return this.fail('a string is not valid UTF-8');
    }
  }

  /** A sub-message reader over the next length-delimited field. */
  message(what: string): ProtoReader {
    const [s, e] = this.span();
    return new ProtoReader(this.bytes, what, s, e);
  }

  /** Repeated scalars: accepts the packed form (one length-delimited run) and single values. */
  repeated(wire: number, one: () => number, out: number[]): void {
    if (wire !== WIRE_LEN) { out.push(one()); return; }
    const [s, e] = this.span();
    const save = this.pos;
    const endSave = this.end;
    this.pos = s;
    (this as { end: number }).end = e;
    try {
      while (this.pos < e) out.push(one());
    } finally {
      this.pos = save;
      (this as { end: number }).end = endSave;
    }
  }

  /** Skips a field of the given wire type (unknown fields are allowed by protobuf). */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT: this.varint(); return;
      case WIRE_I64: if (this.pos + 8 > this.end) this.fail('a field runs past the end of the data'); this.pos += 8; return;
      case WIRE_LEN: this.span(); return;
      case WIRE_I32: if (this.pos + 4 > this.end) this.fail('a field runs past the end of the data'); this.pos += 4; return;
      default: this.fail(`wire type ${wire} is not used by ONNX files (a corrupt file?)`);
    }
  }

  /** Fails unless the field has the wire type the schema gives it. */
  expect(wire: number, want: number, field: string): void {
    if (wire !== want) this.fail(`field ${field} has wire type ${wire}, expected ${want}`);
  }
}

/** Builds one message. Nested messages are written by a child writer and copied in. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private rawVarint(v: number): void {
    this.reserve(10);
    if (v < 0) {
      let b = BigInt.asUintN(64, BigInt(v));
      while (b >= 0x80n) { this.buf[this.len++] = Number(b & 0x7fn) | 0x80; b >>= 7n; }
      this.buf[this.len++] = Number(b);
      return;
    }
    while (v >= 0x80) { this.buf[this.len++] = (v % 0x80) | 0x80; v = Math.floor(v / 0x80); }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** int32 / int64 / enum / bool (negative numbers as 10-byte two's complement). */
  int(field: number, v: number): this {
    if (!Number.isSafeInteger(v)) throw new ModelFormatError(`protobuf field ${field}: ${v} is not a safe integer`);
    this.tag(field, WIRE_VARINT);
    this.rawVarint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, WIRE_I32);
    this.reserve(4);
    this.scratch.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = this.scratch.getUint8(i);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.rawVarint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8Encoder.encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  /** A packed run of varints (int64 dims, ints attributes). */
  packedInts(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const w = new ProtoWriter();
    for (const v of values) w.rawVarint(v);
    return this.bytes(field, w.finish());
  }

  /** A packed run of float32 values. */
  packedFloats(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}
