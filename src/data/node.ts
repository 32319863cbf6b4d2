// Node built-ins without a static `node:` import, so a browser bundle never pulls them in.
// process.getBuiltinModule exists from Node 20.16 / 22.3.

import { ValidationError } from '../errors.js';
import { nodeBuiltin as builtin } from '../host.js';

type NodeFs = typeof import('node:fs');
type NodeZlib = typeof import('node:zlib');

/** Reads a whole file with Node's fs, or explains that paths need Node. */
export function readFileBytes(path: string, argName: string): Uint8Array {
  const fs = builtin<NodeFs>('node:fs');
  if (!fs) {
    throw new ValidationError(argName, `cannot read the file path ${JSON.stringify(path)}: reading files needs Node ≥ 20.16; in a browser, fetch the file and pass its contents instead`);
  }
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new ValidationError(argName, `cannot read ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}

/** True when `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with Node's zlib, or explains what to do in a browser. */
export function gunzip(bytes: Uint8Array, argName: string): Uint8Array {
  const zlib = builtin<NodeZlib>('node:zlib');
  if (!zlib) {
    throw new ValidationError(argName, 'is gzip-compressed, and gunzipping needs Node ≥ 20.16; in a browser, decompress it first (e.g. with DecompressionStream("gzip")) and pass the bytes');
  }
  try {
    return zlib.gunzipSync(bytes);
  } catch (e) {
    throw new ValidationError(argName, `is not a valid gzip stream: ${(e as Error).message}`);
  }
}
