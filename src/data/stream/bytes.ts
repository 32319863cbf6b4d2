// Where a stream's bytes come from, and text out of them: a file path (Node: fs streams), a Blob
// or File (browsers: blob.stream()), a web ReadableStream, any async iterable of byte or string
// chunks (Node streams are), or a function that opens one of those. gzip is recognised by its
// first two bytes and inflated on the way (zlib in Node, DecompressionStream in browsers). A path,
// a Blob and a function can be read again (one pass per epoch); a stream or an iterator once.

import { ValidationError } from '../../errors.js';
import { nodeBuiltin as builtin } from '../../host.js';

export type ByteChunks = AsyncIterable<Uint8Array | string>;
export type ByteSource = string | Blob | ReadableStream<Uint8Array> | ByteChunks | (() => ByteSource | Promise<ByteSource>);

type NodeFs = typeof import('node:fs');
type NodeZlib = typeof import('node:zlib');

/** True when the source can be opened again for another pass. */
export function isReopenable(s: ByteSource): boolean {
  return typeof s === 'string' || typeof s === 'function' || (typeof Blob !== 'undefined' && s instanceof Blob);
}

async function* fromReader(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function open(s: ByteSource, name: string): Promise<ByteChunks> {
  if (typeof s === 'function') return open(await s(), name);
  if (typeof s === 'string') {
    const fs = builtin<NodeFs>('node:fs');
    if (!fs) throw new ValidationError('source', `cannot open the path ${JSON.stringify(s)}: reading files needs Node ≥ 20.16; in a browser pass a Blob, a ReadableStream or a function that fetches one`);
    if (!fs.existsSync(s)) throw new ValidationError('source', `${s}: no such file`);
    return fs.createReadStream(s, { highWaterMark: 1 << 20 }) as unknown as ByteChunks;
  }
  if (typeof Blob !== 'undefined' && s instanceof Blob) return fromReader(s.stream() as ReadableStream<Uint8Array>);
  if (typeof ReadableStream !== 'undefined' && s instanceof ReadableStream) return fromReader(s);
  if (s && typeof (s as ByteChunks)[Symbol.asyncIterator] === 'function') return s as ByteChunks;
  throw new ValidationError('source', `${name}: expected a file path, a Blob, a ReadableStream, an async iterable of chunks or a function returning one`);
}

async function* gunzipped(first: Uint8Array, rest: AsyncIterator<Uint8Array | string>, name: string): AsyncGenerator<Uint8Array> {
  const zlib = builtin<NodeZlib>('node:zlib');
  if (zlib) {
    const z = zlib.createGunzip();
    const feed = (async () => {
      try {
        z.write(first);
        for (let r = await rest.next(); !r.done; r = await rest.next()) {
          if (!z.write(r.value)) await new Promise((res) => z.once('drain', res));
        }
        z.end();
      } catch (e) { z.destroy(e as Error); }
    })();
    try {
      for await (const c of z as AsyncIterable<Uint8Array>) yield c;
    } catch (e) {
      throw new ValidationError('source', `${name}: is not a valid gzip stream: ${(e as Error).message}`);
    }
    await feed;
    return;
  }
  if (typeof DecompressionStream === 'undefined') throw new ValidationError('source', `${name}: is gzip-compressed and this host has neither zlib nor DecompressionStream`);
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const feed = (async () => {
    await writer.write(first as Uint8Array<ArrayBuffer>);
    for (let r = await rest.next(); !r.done; r = await rest.next()) await writer.write((typeof r.value === 'string' ? new TextEncoder().encode(r.value) : r.value) as Uint8Array<ArrayBuffer>);
    await writer.close();
  })();
  yield* fromReader(ds.readable as ReadableStream<Uint8Array>);
  await feed;
}

/**
 * The bytes of a source, chunk by chunk (gzip inflated). A source whose first chunk is a string
 * gives strings (the rest made strings too), else every chunk is bytes (strings UTF-8 encoded).
 */
export async function* byteChunks(s: ByteSource, name = 'source'): AsyncGenerator<Uint8Array | string> {
  const chunks = await open(s, name);
  const it = chunks[Symbol.asyncIterator]();
  const head = await it.next();
  if (head.done) return;
  if (typeof head.value === 'string') {
    yield head.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield String(r.value);
    return;
  }
  const first = head.value;
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) { yield* gunzipped(first, it, name); return; }
  yield first;
  for (let r = await it.next(); !r.done; r = await it.next()) yield typeof r.value === 'string' ? new TextEncoder().encode(r.value) : r.value;
}

/** The text of a source, chunk by chunk (UTF-8, gzip inflated). */
export async function* textChunks(s: ByteSource, name = 'source'): AsyncGenerator<string> {
  const dec = new TextDecoder('utf-8');
  for await (const c of byteChunks(s, name)) {
    if (typeof c === 'string') { yield c; continue; }
    const t = dec.decode(c, { stream: true });
    if (t) yield t;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}
