// The browser build's stand-in for atomic.ts (src/web/build.mjs swaps it in): there is no file
// system to write to, so each function says so with the FileError the Node version would throw.

import { FileError } from '../errors.js';

function noFiles(what: string, path: string): never {
  throw new FileError(`${what}: writing ${path} needs Node's file system; in a browser, keep the data in memory (checkpoints: saveCheckpointToIndexedDB or downloadCheckpoint from simdnet/checkpoint)`, path, 'ENOSYS');
}

export function writeFileAtomic(path: string, _data: string | Uint8Array, what = 'write'): void { noFiles(what, path); }
export async function writeFileAtomicAsync(path: string, _data: string | Uint8Array, what = 'write'): Promise<void> { noFiles(what, path); }
export function assertWritable(path: string, what = 'write'): void { noFiles(what, path); }
