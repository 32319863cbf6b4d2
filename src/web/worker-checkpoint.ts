// Checkpoints of a fit in trainInWorker's worker (worker.ts). The page cannot hand the worker a
// path or an onSave function, so fit.checkpoint crosses as { every, indexedDB } (protocol.ts) and
// becomes fit's own option here: each checkpoint is encoded once (the file format), put into
// IndexedDB in one strict-durability transaction when a key is given (a reload or a closed tab
// during the put leaves the previous entry), and then posted to the page (onCheckpoint) with its
// buffer transferred. fit awaits all of it before the next epoch. fit.resumeFrom crosses as bytes,
// the object or { indexedDB: key }, and is read here into the Checkpoint fit resumes from.
// Importing this module brings the checkpoint implementation into the worker bundle (it installs
// itself into the fit loop); the main bundle, which has a size budget, does not carry it.

import { ValidationError } from '../errors.js';
import { loadCheckpointFromIndexedDB, saveCheckpointBytesToIndexedDB } from '../checkpoint/store.js';
import { encodeCheckpoint, readCheckpoint } from '../train/checkpoint.js';
import type { Checkpoint, CheckpointOptions } from '../train/types.js';
import type { WorkerCheckpointOptions, WorkerResumeSource } from './protocol.js';

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? JSON.stringify(v)
  : typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v);

function checkKey(key: unknown, arg: string): void {
  if (typeof key !== 'string' || key === '') throw new ValidationError(arg, `expected a non-empty string naming the checkpoint in IndexedDB, got ${describe(key)}`);
}

/** Checks fit.checkpoint and fit.resumeFrom as trainInWorker takes them (protocol.ts), before anything is loaded. */
export function checkWorkerCheckpoints(fit: { checkpoint?: unknown; resumeFrom?: unknown }): void {
  const c = fit.checkpoint as Record<string, unknown> | undefined;
  if (c !== undefined) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) throw new ValidationError('fit.checkpoint', `expected { every?, indexedDB? }, got ${describe(c)}`);
    for (const k of Object.keys(c)) {
      if (k === 'path') throw new ValidationError('fit.checkpoint.path', 'a worker has no file system: give checkpoint.indexedDB a key, or listen with onCheckpoint((bytes) => …)');
      if (k !== 'every' && k !== 'indexedDB') throw new ValidationError('fit.checkpoint', `unknown option ${JSON.stringify(k)} (a worker's checkpoint takes every, indexedDB)`);
    }
    if (c.every !== undefined && !(Number.isInteger(c.every) && (c.every as number) >= 1)) throw new ValidationError('fit.checkpoint.every', `expected an integer ≥ 1 (epochs), got ${describe(c.every)}`);
    if (c.indexedDB !== undefined) checkKey(c.indexedDB, 'fit.checkpoint.indexedDB');
  }
  const r = fit.resumeFrom as { indexedDB?: unknown } | undefined;
  if (r === undefined || r instanceof Uint8Array || r instanceof ArrayBuffer) return;
  if (!r || typeof r !== 'object' || Array.isArray(r)) {
    const hint = typeof r === 'string' ? ' (a path needs Node\'s file system)' : '';
    throw new ValidationError('fit.resumeFrom', `expected { indexedDB: key }, the checkpoint's bytes (Uint8Array / ArrayBuffer) or the checkpoint, got ${describe(r)}${hint}`);
  }
  if ('indexedDB' in r) checkKey(r.indexedDB, 'fit.resumeFrom.indexedDB');
}

/** The checkpoint to resume from, or undefined when there is none (nothing stored under the key). */
export async function resumeCheckpoint(source: WorkerResumeSource | undefined): Promise<Checkpoint | undefined> {
  if (source === undefined) return undefined;
  if (!(source instanceof Uint8Array) && !(source instanceof ArrayBuffer) && 'indexedDB' in source) {
    return loadCheckpointFromIndexedDB(source.indexedDB);
  }
  return readCheckpoint(source as Uint8Array | ArrayBuffer | Checkpoint, 'fit.resumeFrom');
}

/** fit's checkpoint option for the worker's options; `post` hands the bytes to the page. */
export function workerCheckpoint(o: WorkerCheckpointOptions, post: (bytes: Uint8Array, epoch: number) => void): CheckpointOptions {
  const key = o.indexedDB;
  return {
    every: o.every,
    onSave: async (c) => {
      const bytes = encodeCheckpoint(c);
      if (key !== undefined) await saveCheckpointBytesToIndexedDB(bytes, key, 'fit.checkpoint.indexedDB');
      post(bytes, c.epoch);
    },
  };
}
