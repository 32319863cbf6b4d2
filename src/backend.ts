// Makes and holds the compute backend: the WebAssembly kernels (relaxed SIMD when the host
// validates it, else baseline SIMD) or the pure-TS twins. What a backend will be is decided by
// planBackend (src/backend-plan.ts, a pure function of the options and hostFeatures()); one
// instantiation serves the synchronous and the asynchronous loader. Both run on an arena in a
// WebAssembly.Memory, so every layer above calls the same pointer-based kernels either way.
// With `threads` > 1 (and a host that allows it) the memory is shared, the binary is the threads
// build, and `k` splits the large kernels over a pool of workers (src/threads/).

import { Arena } from './memory/arena.js';
import { WideViews } from './memory/views.js';
import type { KernelAbi } from './kernels/abi.js';
import { createRefKernels } from './ref/index.js';
import { detectFeatures } from './wasm/features.js';
import { BINARIES, type BinaryName } from './wasm/binaries.js';
import { loadModule, loadModuleSync, type LoadedModule, type WasmExports, type WasmSource } from './wasm/load.js';
import { threadHost, type ThreadHost } from './threads/host.js';
import { ThreadPool } from './threads/pool.js';
import { poolOpNames, threadedKernels, type ThreadExports } from './threads/kernels.js';
import { isSyncSource, planBackend, type BackendKind, type BackendPlan, type BinaryChoice, type HostFeatures, type LoaderKind, type ReadyOptions } from './backend-plan.js';
import { BackendError, ValidationError } from './errors.js';
import { nodeBuiltin } from './host.js';

export { BackendError } from './errors.js';
export type { BackendKind, BackendPlan, BinaryChoice, HostFeatures, ReadyOptions } from './backend-plan.js';

export interface Backend {
  readonly kind: BackendKind;
  readonly binary: BinaryChoice;
  readonly memory: WebAssembly.Memory;
  readonly arena: Arena;
  readonly k: KernelAbi;
  /** Threads the kernels use, the caller included (1: single-threaded). */
  readonly threadCount: number;
  /** Why this kind, binary and thread count ("relaxed SIMD validates on this host; threads: 2 (worker_threads, shared memory)"). */
  readonly why: string;
  /** Why this many threads ("threads: 2 (worker_threads, shared memory)", "single-threaded: ..."). */
  readonly threadWhy: string;
  /** What the kernels compute in: 'float32' (every backend users create), or 'float64' (the
   *  pure-TS twins in double precision, which gradient checks and traces can run on). */
  readonly precision: 'float32' | 'float64';
  /** Ends the worker pool (if any); the backend keeps working single-threaded. Idempotent. */
  dispose(): void;
}

export interface BackendInfo {
  backend: BackendKind;
  binary: BinaryChoice;
  simd: boolean;
  relaxedSimd: boolean;
  threads: boolean;
  /** Worker threads in use by the kernels (1: single-threaded). */
  threadCount: number;
  why: string;
  node?: string;
  v8?: string;
  userAgent?: string;
}

const JS_HEAP_BASE = 1024;

function newMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 16 });
}

/** Pages of a shared memory: the threads binaries' maximum (binary table), reserved up front. */
export const SHARED_MAX_PAGES = BINARIES.threads.sharedMaxPages;
const PAGE = 65536;

function newSharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true });
}

const SINGLE = { threadCount: 1, precision: 'float32' as const, dispose(): void {} };
const joinWhy = (binaryWhy: string, threadWhy: string): string => `${binaryWhy}; ${threadWhy}`;

function jsBackend(plan: BackendPlan): Backend {
  const memory = newMemory();
  const arena = new Arena(memory, JS_HEAP_BASE);
  return { kind: 'js', binary: 'js', memory, arena, k: createRefKernels(arena.views), ...SINGLE, why: joinWhy(plan.binaryWhy, plan.threadWhy), threadWhy: plan.threadWhy };
}

let float64: Backend | undefined;

/**
 * @internal The double-precision backend: the pure-TS twin of every kernel on WideViews (every float
 * slot of the arena is a double), in a memory of its own. One per process, made on first use; what
 * gradientCheck, trace and statistics run on with precision 'float64'.
 */
export function float64Backend(): Backend {
  if (!float64) {
    const memory = newMemory();
    const views = new WideViews(memory);
    const arena = new Arena(memory, JS_HEAP_BASE, undefined, views);
    const threadWhy = 'single-threaded: the float64 twins run on one thread';
    float64 = { kind: 'js', binary: 'js', memory, arena, k: createRefKernels(views), threadCount: 1, precision: 'float64', why: joinWhy('float64 twins of the kernels', threadWhy), threadWhy, dispose(): void {} };
  }
  return float64;
}

/** Cores of this host (Node: os.availableParallelism; browsers: navigator.hardwareConcurrency). */
export function coreCount(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** What this host offers a backend: the inputs of planBackend. */
export function hostFeatures(): HostFeatures {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  return {
    ...detectFeatures(),
    cores: coreCount(),
    sharedArrayBuffer: typeof g.SharedArrayBuffer === 'function',
    crossOriginIsolated: g.crossOriginIsolated,
    threadHost: threadHost(),
  };
}

/** The two ways of loading: each call returns its result (sync) or a promise of it (async). */
interface Loader {
  module(binary: BinaryName, memory: WebAssembly.Memory, wasm: WasmSource | undefined): LoadedModule | Promise<LoadedModule>;
  pool(host: ThreadHost, loaded: LoadedModule, memory: WebAssembly.Memory, arena: Arena, threads: number): ThreadPool | Promise<ThreadPool>;
}

const LOADERS: Record<LoaderKind, Loader> = {
  async: {
    module: (binary, memory, wasm) => loadModule(binary, memory, wasm),
    pool: (host, { module, exports }, memory, arena, threads) => ThreadPool.start(host, module, exports, memory, arena, threads, poolOpNames(exports)),
  },
  sync: {
    module: (binary, memory, wasm) => {
      if (!isSyncSource(wasm)) throw new BackendError('wasm: a synchronous load takes bytes or a WebAssembly.Module');
      return loadModuleSync(binary, memory, wasm instanceof ArrayBuffer ? new Uint8Array(wasm) : wasm);
    },
    pool: (host, { module, exports }, memory, arena, threads) => ThreadPool.startSync(host, module, exports, memory, arena, threads, poolOpNames(exports)),
  },
};

function isLinkError(e: unknown): boolean {
  return e instanceof WebAssembly.LinkError;
}

/**
 * The plan made real. A generator, so that one body serves both loaders: each `yield` hands over a
 * loader's result (sync) or its promise (async), and gets back the value; a rejection comes back
 * as a throw at the yield.
 */
function* instantiate(plan: BackendPlan, f: HostFeatures, loader: Loader, wasm: WasmSource | undefined): Generator<unknown, Backend, unknown> {
  if (plan.kind === 'js') return jsBackend(plan);
  let threadWhy = plan.threadWhy;
  if (plan.threads > 1) {
    const binary = plan.binary as BinaryName;
    const memory = newSharedMemory();
    try {
      const loaded = (yield loader.module(binary, memory, wasm)) as LoadedModule;
      const arena = new Arena(memory, loaded.exports.heap_base(), SHARED_MAX_PAGES * PAGE);
      const pool = (yield loader.pool(f.threadHost as ThreadHost, loaded, memory, arena, plan.threads)) as ThreadPool;
      const started = threadWhy;
      // A worker that dies ends the pool (pool.fault says how); from then on the kernels run on one thread, and say so.
      const nowWhy = (): string => pool.fault ? `single-threaded: the thread pool failed (${pool.fault})` : started;
      return {
        kind: 'wasm', binary, memory, arena, k: threadedKernels(loaded.exports as unknown as ThreadExports, pool),
        get threadCount() { return pool.fault ? 1 : plan.threads; },
        get why() { return joinWhy(plan.binaryWhy, nowWhy()); },
        get threadWhy() { return nowWhy(); },
        precision: 'float32',
        dispose(): void { pool.dispose(); },
      };
    } catch (e) {
      if (plan.strict && !isLinkError(e)) throw new BackendError(`threads: ${plan.threads} could not start: ${(e as Error).message}`);
      threadWhy = `single-threaded: ${isLinkError(e) ? 'the given wasm is not a threads binary' : (e as Error).message}`;
    }
  }
  const binary = plan.single as BinaryName;
  const memory = newMemory();
  const { exports } = (yield loader.module(binary, memory, wasm)) as LoadedModule;
  const arena = new Arena(memory, (exports as WasmExports).heap_base());
  return { kind: 'wasm', binary, memory, arena, k: exports, ...SINGLE, why: joinWhy(plan.binaryWhy, threadWhy), threadWhy };
}

function runSync(g: Generator<unknown, Backend, unknown>): Backend {
  let step = g.next();
  while (!step.done) step = g.next(step.value);
  return step.value;
}

async function runAsync(g: Generator<unknown, Backend, unknown>): Promise<Backend> {
  let step = g.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = await step.value;
    } catch (e) {
      step = g.throw(e);
      continue;
    }
    step = g.next(value);
  }
  return step.value;
}

/** Creates an independent backend (own memory and arena). Most code uses the default one from `ready()`.
 *  @example const b = await createBackend({ threads: 'auto' }); ...; b.dispose(); */
export async function createBackend(opts: ReadyOptions = {}): Promise<Backend> {
  const f = hostFeatures();
  return runAsync(instantiate(planBackend(opts, f, 'async'), f, LOADERS.async, opts.wasm));
}

/** Synchronous variant (Node ≥ 20.16, or `wasm` given as bytes / a Module).
 *  @example const b = createBackendSync({ threads: 2 }); */
export function createBackendSync(opts: ReadyOptions = {}): Backend {
  const f = hostFeatures();
  return runSync(instantiate(planBackend(opts, f, 'sync'), f, LOADERS.sync, opts.wasm));
}

let current: Backend | undefined;

/**
 * Loads the best backend and makes it the default for new models.
 * @example await ready(); // or ready({ backend: 'js' }), ready({ binary: 'simd' }), ready({ threads: 'auto' })
 */
export async function ready(opts: ReadyOptions = {}): Promise<BackendInfo> {
  const next = await createBackend(opts);
  // Models made on the previous default keep working, single-threaded.
  current?.dispose();
  current = next;
  return backendInfo();
}

/** The default backend; created synchronously on first use when `ready()` was not awaited (Node). */
export function defaultBackend(): Backend {
  current ??= createBackendSync();
  return current;
}

/**
 * What runs: backend, binary, SIMD / relaxed SIMD / threads support, Node and V8 versions.
 * @example console.log(backendInfo().binary); // 'relaxed'
 */
/** A model's `backend` option: a Backend, 'wasm' or 'js' for a fresh one, or undefined for the default. */
export function resolveBackend(b: Backend | BackendKind | undefined): Backend {
  if (b === undefined) return defaultBackend();
  if (b === 'wasm' || b === 'js') return createBackendSync({ backend: b });
  if (typeof b === 'object' && b && 'arena' in b && 'k' in b) return b;
  throw new ValidationError('backend', `expected a Backend, 'wasm' or 'js', got ${String(b)}`);
}

export function backendInfo(backend: Backend = defaultBackend()): BackendInfo {
  const f = detectFeatures();
  const g = globalThis as { process?: { versions?: Record<string, string> }; navigator?: { userAgent?: string } };
  const info: BackendInfo = {
    backend: backend.kind,
    binary: backend.binary,
    simd: f.simd,
    relaxedSimd: f.relaxedSimd,
    threads: f.threads,
    threadCount: backend.threadCount,
    why: backend.why,
  };
  const versions = g.process?.versions;
  if (versions?.node) { info.node = versions.node; info.v8 = versions.v8; }
  else if (g.navigator?.userAgent) info.userAgent = g.navigator.userAgent;
  return info;
}

/**
 * Ends the default backend's worker pool; models keep working on one thread. A Node script does
 * not need it to exit (the workers do not keep the process alive).
 * @example await ready({ threads: 'auto' }); ...; shutdown();
 */
export function shutdown(): void {
  current?.dispose();
}
