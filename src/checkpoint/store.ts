// Checkpoints where a browser keeps things: IndexedDB (database 'simdnet', object store
// 'checkpoints', one entry per key) and files (a download, and a File or Blob the user picks).
// What is stored is the checkpoint's bytes (encodeCheckpoint: versioned, CRC-32 checked), so a
// load checks exactly what a file load checks. A put is one IndexedDB transaction with strict
// durability: a reload, a closed tab or a crash during it leaves the previous entry whole.

import { FileError, ModelFormatError, ValidationError } from '../errors.js';
import { decodeCheckpoint, encodeCheckpoint } from '../train/checkpoint.js';
import type { Checkpoint } from '../train/types.js';

const DB_NAME = 'simdnet';
const STORE = 'checkpoints';

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') throw new ValidationError('key', `expected a non-empty string naming the checkpoint, got ${typeof key === 'string' ? '""' : typeof key}`);
}

function where(key: string): string {
  return `indexedDB:${DB_NAME}/${STORE}/${key}`;
}

function failed(what: string, key: string, e: unknown): FileError {
  const err = e as DOMException | null;
  return new FileError(`${what}: IndexedDB failed for ${JSON.stringify(key)}: ${err?.message || String(err)}`, where(key), err?.name || 'EIO');
}

function openDb(what: string, key: string): Promise<IDBDatabase> {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw new ValidationError(what, 'needs IndexedDB (a browser page or worker); in Node, give fit checkpoint.path and resumeFrom a file path');
  return new Promise((resolve, reject) => {
    const req = factory.open(DB_NAME, 1);
    req.onupgradeneeded = () => { if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE); };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(failed(what, key, req.error));
    req.onblocked = () => reject(failed(what, key, new DOMException('another tab holds an older version of the simdnet database open', 'InvalidStateError')));
  });
}

/** Runs one request in its own transaction; resolves with its result once the transaction has committed. */
async function transact<T>(what: string, key: string, mode: IDBTransactionMode, request: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb(what, key);
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode, { durability: 'strict' });
      const req = request(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(failed(what, key, tx.error ?? req.error));
      tx.onabort = () => reject(failed(what, key, tx.error ?? new DOMException('the transaction was aborted', 'AbortError')));
    });
  } finally {
    db.close();
  }
}

/**
 * Stores a checkpoint in IndexedDB under `key`, replacing the one there in one transaction.
 * @example await model.fit(X, y, { epochs: 50, checkpoint: { onSave: (c) => saveCheckpointToIndexedDB(c, 'digits') } })
 */
export async function saveCheckpointToIndexedDB(checkpoint: Checkpoint, key = 'checkpoint'): Promise<void> {
  checkKey(key);
  await saveCheckpointBytesToIndexedDB(encodeCheckpoint(checkpoint), key);
}

/** @internal saveCheckpointToIndexedDB of bytes already encoded (trainInWorker's worker posts the same bytes to the page). */
export async function saveCheckpointBytesToIndexedDB(bytes: Uint8Array, key: string, what = 'saveCheckpointToIndexedDB'): Promise<void> {
  checkKey(key);
  await transact(what, key, 'readwrite', (s) => s.put(bytes, key));
}

/**
 * The checkpoint stored under `key`, checked as a file is (signature, version, CRC-32), or
 * undefined when there is none: `resumeFrom: await loadCheckpointFromIndexedDB(key)` resumes when
 * one is there and starts afresh when not.
 * @example const c = await loadCheckpointFromIndexedDB('digits'); await model.fit(X, y, { epochs: 50, resumeFrom: c })
 */
export async function loadCheckpointFromIndexedDB(key = 'checkpoint'): Promise<Checkpoint | undefined> {
  checkKey(key);
  const v = await transact<unknown>('loadCheckpointFromIndexedDB', key, 'readonly', (s) => s.get(key));
  if (v === undefined) return undefined;
  if (!(v instanceof Uint8Array)) throw new ModelFormatError(`${where(key)}: not a simdnet checkpoint (the entry is ${v === null ? 'null' : typeof v === 'object' ? v.constructor?.name ?? 'an object' : typeof v}, expected checkpoint bytes)`);
  return decodeCheckpoint(v, where(key));
}

/** Removes the checkpoint stored under `key` (nothing happens when there is none). @example await deleteCheckpointFromIndexedDB('digits') */
export async function deleteCheckpointFromIndexedDB(key = 'checkpoint'): Promise<void> {
  checkKey(key);
  await transact('deleteCheckpointFromIndexedDB', key, 'readwrite', (s) => s.delete(key));
}

/** The checkpoint's bytes as a Blob (application/octet-stream), for a download or an upload. @example const blob = checkpointBlob(c) */
export function checkpointBlob(checkpoint: Checkpoint): Blob {
  return new Blob([encodeCheckpoint(checkpoint) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
}

/**
 * Offers the checkpoint as a file download (a page: a Blob URL on a temporary anchor).
 * @example checkpoint: { every: 10, onSave: (c) => downloadCheckpoint(c, 'run.ckpt') }
 */
export function downloadCheckpoint(checkpoint: Checkpoint, filename = 'simdnet.ckpt'): void {
  if (typeof filename !== 'string' || filename === '') throw new ValidationError('filename', `expected a non-empty string, got ${typeof filename === 'string' ? '""' : typeof filename}`);
  const doc = (globalThis as { document?: Document }).document;
  if (!doc || typeof URL.createObjectURL !== 'function') throw new ValidationError('downloadCheckpoint', 'needs a page (document and URL.createObjectURL); elsewhere use checkpointBlob() or encodeCheckpoint()');
  const url = URL.createObjectURL(checkpointBlob(checkpoint));
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  doc.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // The download has taken its reference by the next task; the URL is then only a leak.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/**
 * A checkpoint from a File or Blob (an <input type="file">, a drop, a fetch's blob()), checked as a file is.
 * @example const c = await loadCheckpointFromFile(input.files[0]); await model.fit(X, y, { epochs: 50, resumeFrom: c })
 */
export async function loadCheckpointFromFile(file: Blob): Promise<Checkpoint> {
  if (!file || typeof (file as Blob).arrayBuffer !== 'function') throw new ValidationError('file', `expected a File or Blob, got ${file === null ? 'null' : typeof file}`);
  const name = typeof (file as File).name === 'string' && (file as File).name ? (file as File).name : 'checkpoint file';
  return decodeCheckpoint(new Uint8Array(await file.arrayBuffer()), name);
}
