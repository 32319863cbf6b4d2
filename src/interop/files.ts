// Files for the Node helpers (saveONNX, loadTfjs...), through process.getBuiltinModule so that a
// browser bundle of interop never pulls in node:fs. Writes go through the library's
// writeFileAtomic (temp file in the same directory, fsync, rename): a crash leaves the old file or
// the new one, never half of one.

import { ModelFormatError, ValidationError, writeFileAtomic } from './lib.js';
// A plain function with no state: bundled into interop's own bundle (the classes come from lib.js).
import { nodeBuiltin } from '../host.js';

type Fs = typeof import('node:fs');
type Path = typeof import('node:path');

function builtin<T>(name: `node:${string}`, what: string): T {
  const m = nodeBuiltin<T>(name);
  if (!m) throw new ValidationError('path', `${what} needs Node ≥ 20.16 (files); in a browser, use the in-memory functions (toONNX, readONNX, toTfjs, fromTfjs)`);
  return m;
}

export function readBytes(path: string, what: string): Uint8Array {
  const fs = builtin<Fs>('node:fs', what);
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new ModelFormatError(`${what}: cannot read ${path}: ${(e as Error).message}`);
  }
}

export function writeAtomic(path: string, data: Uint8Array | string, what: string): void {
  writeFileAtomic(path, data, what);
}

export function joinPath(dir: string, name: string, what: string): string {
  return builtin<Path>('node:path', what).join(dir, name);
}

export function dirOf(path: string, what: string): string {
  return builtin<Path>('node:path', what).dirname(path);
}

export function makeDir(dir: string, what: string): void {
  builtin<Fs>('node:fs', what).mkdirSync(dir, { recursive: true });
}
