// Where pool workers come from: Node's worker_threads, or Web Workers in a browser (a page that
// is cross-origin isolated, or a worker of one). Both run workerSource(); the pool only sees a
// WorkerHandle. The caller of a threaded kernel blocks in Atomics.wait, which browsers forbid on
// a page's main thread: there the host reports why and the backend stays single-threaded.

import { workerSource } from './worker-source.js';
import { nodeBuiltin } from '../host.js';

export interface WorkerHandle {
  post(message: unknown): void;
  /** Called once with 'ready' or 'failed' (the worker's first message). */
  onFirstMessage(cb: (m: unknown) => void): void;
  /** Called once when the worker has ended, with its exit code (Node) or 0 (every callback registered). */
  onExit(cb: (code: number) => void): void;
  /** Called on an uncaught error in the worker (after its first message). */
  onError(cb: (message: string) => void): void;
  terminate(): void;
}

export interface ThreadHost {
  readonly name: 'worker_threads' | 'web-worker';
  /** False where Atomics.wait throws (a page's main thread). */
  readonly canBlock: boolean;
  /** True where a worker starts while its creator blocks (Node); browsers need the creator's event loop. */
  readonly startsWhileBlocked: boolean;
  spawn(): WorkerHandle;
}

interface NodeWorker {
  postMessage(m: unknown): void;
  once(ev: 'message', cb: (m: unknown) => void): void;
  once(ev: 'exit', cb: (code: number) => void): void;
  on(ev: 'error', cb: (e: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerCtor = new (src: string, opts: { eval: true }) => NodeWorker;

function nodeWorkerCtor(): NodeWorkerCtor | undefined {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!p?.versions?.node) return undefined;
  return nodeBuiltin<{ Worker?: NodeWorkerCtor }>('node:worker_threads')?.Worker;
}

let nodeLive = 0;

/** Node workers alive now (spawned, not yet exited): tests use it to check the pool leaks none. */
export function liveNodeWorkers(): number {
  return nodeLive;
}

function nodeHost(Worker: NodeWorkerCtor): ThreadHost {
  return {
    name: 'worker_threads',
    canBlock: true,
    startsWhileBlocked: true,
    spawn(): WorkerHandle {
      const w = new Worker(workerSource(), { eval: true });
      nodeLive++;
      // A pool must not keep the process alive: a script that trains and returns exits, and Node
      // ends the workers (parked in Atomics.wait) on the way out.
      w.unref();
      const exitCbs: ((code: number) => void)[] = [];
      let errorCb: ((message: string) => void) | undefined;
      let exitCode: number | undefined;
      w.once('exit', (code) => { nodeLive--; exitCode = code; for (const cb of exitCbs) cb(code); });
      w.on('error', (e) => { errorCb?.(`${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`); });
      return {
        post: (m) => w.postMessage(m),
        onFirstMessage: (cb) => w.once('message', cb),
        onExit: (cb) => { if (exitCode !== undefined) cb(exitCode); else exitCbs.push(cb); },
        onError: (cb) => { errorCb = cb; },
        terminate: () => { void w.terminate(); },
      };
    },
  };
}

interface WebWorkerLike {
  postMessage(m: unknown): void;
  addEventListener(ev: 'message' | 'error', cb: (e: { data?: unknown; message?: string }) => void, opts?: { once?: boolean }): void;
  terminate(): void;
}

function webHost(): ThreadHost | undefined {
  const g = globalThis as {
    Worker?: new (url: string) => WebWorkerLike; Blob?: typeof Blob; URL?: typeof URL; document?: unknown;
  };
  if (typeof g.Worker !== 'function' || !g.Blob || !g.URL?.createObjectURL) return undefined;
  let url: string | undefined;
  return {
    name: 'web-worker',
    canBlock: canAtomicsWait(),
    startsWhileBlocked: false,
    spawn(): WorkerHandle {
      url ??= g.URL!.createObjectURL(new g.Blob!([workerSource()], { type: 'text/javascript' }));
      const w = new g.Worker!(url);
      const exitCbs: ((code: number) => void)[] = [];
      let exited = false;
      return {
        post: (m) => w.postMessage(m),
        onFirstMessage: (cb) => {
          w.addEventListener('message', (e) => cb(e.data), { once: true });
          w.addEventListener('error', (e) => cb(`failed: ${e.message ?? 'worker error'}`), { once: true });
        },
        onExit: (cb) => { if (exited) cb(0); else exitCbs.push(cb); },
        onError: (cb) => w.addEventListener('error', (e) => cb(`Error: ${e.message ?? 'worker error'}`)),
        terminate: () => { w.terminate(); if (!exited) { exited = true; for (const cb of exitCbs) cb(0); } },
      };
    },
  };
}

/** Atomics.wait throws a TypeError on a browser page's main thread. */
function canAtomicsWait(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The host of this environment, or why there is none. */
export function threadHost(): ThreadHost | string {
  const ctor = nodeWorkerCtor();
  if (ctor) return nodeHost(ctor);
  const web = webHost();
  if (web) return web;
  return 'no worker threads in this environment (Node < 20.16 or no Worker)';
}
