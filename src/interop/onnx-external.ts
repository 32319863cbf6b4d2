// External data (TensorProto.data_location = EXTERNAL): big models keep their initializers in side
// files, each tensor naming its file ("location", relative to the model's directory), "offset" and
// "length" in bytes (onnx/external_data_helper.py writes these keys; a missing length means "to the
// end of the file"). The bytes come from a resolver, so the reader itself needs no file system:
// loadONNX(path) and `simdnet import` read them beside the model (Node); in a browser, pass bytes.

import { ModelFormatError } from './lib.js';
import type { OnnxModel, OnnxTensor } from './onnx-proto.js';

/** Returns the bytes of an external data file, given its location as the model states it (relative to the model). */
export type ExternalDataResolver = (location: string, tensor: string) => Uint8Array;

function tensorsOf(m: OnnxModel): OnnxTensor[] {
  const out = m.graph.initializers.slice();
  for (const n of m.graph.nodes) for (const a of n.attributes) if (a.t) out.push(a.t);
  return out;
}

function byteCount(v: string | undefined, key: string, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new ModelFormatError(`${what}: external_data ${key} is ${JSON.stringify(v)}, expected a byte count`);
  return Number(v);
}

/** A location the model may name: relative, inside the model's directory (the rule of onnx's own loader). */
function checkLocation(location: string, what: string): void {
  const parts = location.split(/[\\/]/);
  if (location.startsWith('/') || location.startsWith('\\') || /^[A-Za-z]:/.test(location) || parts.includes('..')) {
    throw new ModelFormatError(`${what}: its external data location ${JSON.stringify(location)} must be a path relative to the model's directory, without ".."`);
  }
}

/** Replaces each external tensor's data by the bytes it points to (in place). No resolver: an error naming the first such tensor. */
export function attachExternalData(m: OnnxModel, resolve: ExternalDataResolver | undefined): void {
  const files = new Map<string, Uint8Array>();
  for (const t of tensorsOf(m)) {
    if (!t.external) continue;
    const what = `tensor ${JSON.stringify(t.name)}`;
    const kv = new Map((t.externalData ?? []).map((e) => [e.key, e.value]));
    const location = kv.get('location');
    if (!location) throw new ModelFormatError(`${what}: data_location is EXTERNAL but external_data has no "location"`);
    checkLocation(location, what);
    if (!resolve) {
      throw new ModelFormatError(`${what}: its data is in the external file ${JSON.stringify(location)}; pass { externalData: (location) => bytes } to readONNX, or read the model with loadONNX(path) (Node), which finds the file beside it`);
    }
    if (typeof resolve !== 'function') throw new ModelFormatError(`options.externalData: expected a function (location) => Uint8Array, got ${typeof resolve}`);
    let file = files.get(location);
    if (!file) {
      let got: unknown;
      try {
        got = resolve(location, t.name);
      } catch (e) {
        throw new ModelFormatError(`${what}: its external data file ${JSON.stringify(location)} could not be read: ${(e as Error).message}`);
      }
      if (!(got instanceof Uint8Array)) throw new ModelFormatError(`${what}: the resolver gave ${got === null ? 'null' : typeof got} for ${JSON.stringify(location)}, expected a Uint8Array`);
      file = got;
      files.set(location, file);
    }
    const offset = byteCount(kv.get('offset'), 'offset', what) ?? 0;
    const length = byteCount(kv.get('length'), 'length', what) ?? file.length - offset;
    if (offset + length > file.length || length < 0) {
      throw new ModelFormatError(`${what}: external data bytes ${offset} to ${offset + length} are past the end of ${JSON.stringify(location)} (${file.length} bytes)`);
    }
    t.raw = file.subarray(offset, offset + length);
    t.external = false;
  }
}
