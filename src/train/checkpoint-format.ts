// The bytes of a checkpoint file: a magic, the format version, a JSON header in which every typed
// array is replaced by a reference into a binary body, the body (each array 8-byte aligned,
// little-endian), and a CRC-32 of everything before it. Doubles in the header are JSON numbers
// (shortest round-trip form: exact); non-finite ones ({ "$num": "Infinity" }) are spelled out, as
// JSON has none. decodeCheckpointBytes checks the magic, the version, every length and the CRC
// before it parses anything, so a truncated or altered file is refused with what is wrong.

import { ModelFormatError } from '../errors.js';

/** "SIMDNETC" then the version (u32), the header's byte length (u32). */
const MAGIC = [0x53, 0x49, 0x4d, 0x44, 0x4e, 0x45, 0x54, 0x43];
export const CHECKPOINT_VERSION = 1;
const PRELUDE = 16;

type Packed = Float32Array | Float64Array | Int32Array | Uint32Array;
const KINDS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u32: Uint32Array } as const;
type Kind = keyof typeof KINDS;

function kindOf(v: unknown): Kind | undefined {
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Int32Array) return 'i32';
  if (v instanceof Uint32Array) return 'u32';
  return undefined;
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib and PNG compute it. @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The bytes of a typed array (a view, not a copy). */
export function bytesOf(a: Packed | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Encodes a plain value (objects, arrays, numbers, strings, booleans, null, typed arrays) as checkpoint bytes. */
export function encodeCheckpointBytes(value: unknown): Uint8Array {
  const arrays: Packed[] = [];
  let bodyBytes = 0;
  const header = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    // JSON.stringify hands the replacer a typed array as itself (it has no toJSON).
    const kind = kindOf(v);
    if (kind) {
      const a = v as Packed;
      const ref = { $array: kind, offset: bodyBytes, length: a.length };
      arrays.push(a);
      bodyBytes += Math.ceil(a.byteLength / 8) * 8;
      return ref;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
  const head = new TextEncoder().encode(header);
  const bodyAt = Math.ceil((PRELUDE + head.length) / 8) * 8;
  const out = new Uint8Array(bodyAt + bodyBytes + 4);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, CHECKPOINT_VERSION, true);
  dv.setUint32(12, head.length, true);
  out.set(head, PRELUDE);
  let at = bodyAt;
  for (const a of arrays) {
    out.set(littleEndian(a), at);
    at += Math.ceil(a.byteLength / 8) * 8;
  }
  dv.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndian(a: Packed): Uint8Array {
  if (LITTLE) return bytesOf(a);
  const out = new Uint8Array(a.byteLength);
  const dv = new DataView(out.buffer);
  const w = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float32Array) dv.setFloat32(i * w, a[i]!, true);
    else if (a instanceof Float64Array) dv.setFloat64(i * w, a[i]!, true);
    else if (a instanceof Int32Array) dv.setInt32(i * w, a[i]!, true);
    else dv.setUint32(i * w, a[i]!, true);
  }
  return out;
}

/** Decodes checkpoint bytes (format checks and the CRC first); `what` names the source in messages. */
export function decodeCheckpointBytes(bytes: Uint8Array, what: string): unknown {
  const bad = (why: string) => new ModelFormatError(`${what}: not a readable simdnet checkpoint: ${why}`);
  if (bytes.length < PRELUDE + 4) throw bad(`${bytes.length} bytes is shorter than any checkpoint`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw bad('it does not start with the checkpoint signature SIMDNETC (is it a model file? load those with Sequential.load)');
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) throw bad(`format version ${version}; this simdnet reads version ${CHECKPOINT_VERSION}`);
  const headLen = dv.getUint32(12, true);
  const bodyAt = Math.ceil((PRELUDE + headLen) / 8) * 8;
  if (bodyAt + 4 > bytes.length) throw bad(`its header claims ${headLen} bytes but the file has ${bytes.length} (truncated?)`);
  const stored = dv.getUint32(bytes.length - 4, true);
  const actual = crc32(bytes.subarray(0, bytes.length - 4));
  if (stored !== actual) throw bad(`checksum mismatch (stored CRC-32 ${hex(stored)}, computed ${hex(actual)}): the file is truncated or corrupted`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PRELUDE, PRELUDE + headLen));
  } catch {
    throw bad('its header is not UTF-8');
  }
  const bodyLen = bytes.length - 4 - bodyAt;
  try {
    return JSON.parse(text, (_key, v: unknown) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      const o = v as { $array?: unknown; offset?: unknown; length?: unknown; $num?: unknown };
      if (typeof o.$num === 'string') {
        if (o.$num === 'Infinity') return Infinity;
        if (o.$num === '-Infinity') return -Infinity;
        if (o.$num === 'NaN') return NaN;
        throw bad(`unknown number ${o.$num}`);
      }
      if (typeof o.$array !== 'string') return v;
      const Ctor = Object.hasOwn(KINDS, o.$array) ? KINDS[o.$array as Kind] : undefined;
      if (!Ctor) throw bad(`unknown array type ${o.$array}`);
      const { offset, length } = o;
      if (!Number.isInteger(offset) || !Number.isInteger(length) || (offset as number) < 0 || (length as number) < 0
        || (offset as number) % 8 !== 0 || (offset as number) + (length as number) * Ctor.BYTES_PER_ELEMENT > bodyLen) {
        throw bad(`an array reference (offset ${String(offset)}, length ${String(length)}) lies outside the ${bodyLen}-byte body`);
      }
      const n = length as number;
      const src = bytes.subarray(bodyAt + (offset as number), bodyAt + (offset as number) + n * Ctor.BYTES_PER_ELEMENT);
      const out = new Ctor(n);
      if (LITTLE) bytesOf(out).set(src);
      else {
        const sv = new DataView(src.buffer, src.byteOffset, src.byteLength);
        for (let i = 0; i < n; i++) {
          const w = i * Ctor.BYTES_PER_ELEMENT;
          out[i] = Ctor === Float32Array ? sv.getFloat32(w, true) : Ctor === Float64Array ? sv.getFloat64(w, true) : Ctor === Int32Array ? sv.getInt32(w, true) : sv.getUint32(w, true);
        }
      }
      return out;
    });
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw bad(`its header is not valid JSON (${(e as Error).message})`);
  }
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
