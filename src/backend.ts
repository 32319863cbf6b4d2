// Chooses and holds the compute backend: the WebAssembly kernels (relaxed SIMD when the host
// validates it, else baseline SIMD) or the pure-TS twins. Both run on an arena in a
// WebAssembly.Memory, so every layer above calls the same pointer-based kernels either way.
// With `threads` > 1 (and a host that allows it) the memory is shared, the binary is the threads
// build, and `k` splits the large kernels over a pool of workers (src/threads/).

import { Arena } from './memory/arena.js';
import { WideViews } from './memory/views.js';
import type { KernelAbi } from './kernels/abi.js';
import { createRefKernels } from './ref/index.js';
import { detectFeatures, type Features } from './wasm/features.js';
import { BINARIES } from './wasm/binaries.js';
import { loadModule, loadModuleSync, type BinaryName, type WasmExports, type WasmSource } from './wasm/load.js';
import { threadHost, type ThreadHost } from './threads/host.js';
import { ThreadPool } from './threads/pool.js';
import { MAX_THREADS } from './threads/control.js';
import { poolOpNames, threadedKernels, type ThreadExports } from './threads/kernels.js';

export type BackendKind = 'wasm' | 'js';
export type BinaryChoice = BinaryName | 'js';

export interface ReadyOptions {
  /** 'wasm' (default when the host runs WASM SIMD) or 'js' (the pure-TS twins). */
  backend?: BackendKind;
  /** Force a binary: 'relaxed', 'simd' or 'debug' (assertions on). Default: relaxed when it validates. */
  binary?: BinaryName;
  /** Bytes, a compiled Module, a Response, a URL, or a URL prefix ending in '/' where <binary>.wasm lives.
   *  With threads, bytes or a Module must be a threads binary (else the backend stays single-threaded). */
  wasm?: WasmSource;
  /** Threads for the kernels, the caller included: a number, or 'auto' (the number of cores). Default 1.
   *  More than 1 needs shared memory (Node ≥ 20, or a cross-origin isolated page, inside a Worker). */
  threads?: number | 'auto';
}

export interface Backend {
  readonly kind: BackendKind;
  readonly binary: BinaryChoice;
  readonly memory: WebAssembly.Memory;
  readonly arena: Arena;
  readonly k: KernelAbi;
  /** Threads the kernels use, the caller included (1: single-threaded). */
  readonly threadCount: number;
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

export class BackendError extends Error {
  override name = 'BackendError';
}

function chooseBinary(opts: ReadyOptions, features: Features): { binary: BinaryName; why: string } {
  if (opts.binary) {
    if (opts.binary === 'relaxed' && !features.relaxedSimd) {
      throw new BackendError('binary: relaxed SIMD was requested but this host does not validate it (Node 20 needs --experimental-wasm-relaxed-simd)');
    }
    if (!features.simd) throw new BackendError(`binary: ${opts.binary} needs WebAssembly SIMD, which this host does not validate`);
    return { binary: opts.binary, why: `binary ${opts.binary} requested` };
  }
  if (features.relaxedSimd) return { binary: 'relaxed', why: 'relaxed SIMD validates on this host' };
  return { binary: 'simd', why: 'relaxed SIMD does not validate on this host; baseline SIMD' };
}

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

function wasmBackend(binary: BinaryName, memory: WebAssembly.Memory, exports: KernelAbi & { heap_base(): number }, threadWhy: string): Backend {
  const arena = new Arena(memory, exports.heap_base());
  return { kind: 'wasm', binary, memory, arena, k: exports, ...SINGLE, threadWhy };
}

function jsBackend(threadWhy: string): Backend {
  const memory = newMemory();
  const arena = new Arena(memory, JS_HEAP_BASE);
  return { kind: 'js', binary: 'js', memory, arena, k: createRefKernels(arena.views), ...SINGLE, threadWhy };
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
    float64 = { kind: 'js', binary: 'js', memory, arena, k: createRefKernels(views), threadCount: 1, precision: 'float64', threadWhy: 'single-threaded: the float64 twins run on one thread', dispose(): void {} };
  }
  return float64;
}

function resolveKind(opts: ReadyOptions, features: Features): { kind: BackendKind; why?: string } {
  if (opts.backend !== undefined && opts.backend !== 'wasm' && opts.backend !== 'js') {
    throw new BackendError(`backend must be 'wasm' or 'js', got ${JSON.stringify(opts.backend)}`);
  }
  if (opts.backend === 'js') return { kind: 'js', why: 'pure-TS backend requested' };
  if (!features.simd) {
    if (opts.backend === 'wasm') throw new BackendError('backend: wasm was requested but this host does not validate WebAssembly SIMD');
    return { kind: 'js', why: 'WebAssembly SIMD is not available; pure-TS backend' };
  }
  return { kind: 'wasm' };
}

/** Cores of this host (Node: os.availableParallelism; browsers: navigator.hardwareConcurrency). */
export function coreCount(): number {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown }; navigator?: { hardwareConcurrency?: number } };
  const os = g.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

interface ThreadPlan { threads: number; why: string; host?: ThreadHost; strict: boolean }

/** How many threads a backend gets, and why; `host` is set when a pool is to be started. */
function planThreads(opts: ReadyOptions, features: Features, kind: BackendKind, sync: boolean): ThreadPlan {
  const req = opts.threads ?? 1;
  if (req !== 'auto' && !(Number.isInteger(req) && req >= 1)) {
    throw new BackendError(`threads must be a positive integer or 'auto', got ${JSON.stringify(req)}`);
  }
  const strict = req !== 'auto';
  const single = (why: string): ThreadPlan => ({ threads: 1, why: `single-threaded: ${why}`, strict });
  if (req === 1) return single('threads: 1 requested');
  const n = Math.min(req === 'auto' ? coreCount() : req, MAX_THREADS);
  if (n === 1) return single(`threads: 'auto' found 1 core`);
  if (kind === 'js') return single('the pure-TS backend runs on one thread');
  if (opts.binary === 'debug') return single('the debug binary has no threads build');
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  if (typeof g.SharedArrayBuffer !== 'function') return single('SharedArrayBuffer unavailable');
  if (g.crossOriginIsolated === false) return single('not cross-origin isolated (serve the page with COOP/COEP headers)');
  if (!features.threads) return single('this host does not validate shared WebAssembly memory');
  const host = threadHost();
  if (typeof host === 'string') return single(host);
  if (!host.canBlock) return single('Atomics.wait is not allowed on a page\'s main thread: create the model in a Worker');
  if (sync && !host.startsWhileBlocked) return single('workers start asynchronously here: use `await ready({ threads })` or createBackend');
  return { threads: n, why: `threads: ${n} (${host.name}, shared memory)`, host, strict };
}

function threadsBinary(binary: BinaryName): BinaryName {
  const spec = BINARIES[binary];
  return 'threaded' in spec ? spec.threaded : 'threads';
}

/** A threaded backend on a started pool; the pool's start-up is the caller's (sync or async). */
function threadedBackend(binary: BinaryName, memory: WebAssembly.Memory, exports: WasmExports, plan: ThreadPlan,
  startPool: (arena: Arena, names: string[]) => ThreadPool): Backend {
  const arena = new Arena(memory, exports.heap_base(), SHARED_MAX_PAGES * PAGE);
  const base = exports as unknown as ThreadExports;
  const pool = startPool(arena, poolOpNames(exports));
  return {
    kind: 'wasm', binary, memory, arena, k: threadedKernels(base, pool), threadCount: plan.threads, threadWhy: plan.why, precision: 'float32',
    dispose(): void { pool.dispose(); },
  };
}

function isLinkError(e: unknown): boolean {
  return e instanceof WebAssembly.LinkError;
}

/** Creates an independent backend (own memory and arena). Most code uses the default one from `ready()`.
 *  @example const b = await createBackend({ threads: 'auto' }); ...; b.dispose(); */
export async function createBackend(opts: ReadyOptions = {}): Promise<Backend> {
  const features = detectFeatures();
  const { kind } = resolveKind(opts, features);
  const plan = planThreads(opts, features, kind, false);
  if (kind === 'js') return jsBackend(plan.why);
  const { binary } = chooseBinary(opts, features);
  if (plan.host) {
    const tb = threadsBinary(binary);
    const memory = newSharedMemory();
    try {
      const { exports, module } = await loadModule(tb, memory, opts.wasm);
      const arena = new Arena(memory, exports.heap_base(), SHARED_MAX_PAGES * PAGE);
      const pool = await ThreadPool.start(plan.host, module, exports, memory, arena, plan.threads, poolOpNames(exports));
      const base = exports as unknown as ThreadExports;
      return {
        kind: 'wasm', binary: tb, memory, arena, k: threadedKernels(base, pool), threadCount: plan.threads, threadWhy: plan.why, precision: 'float32',
        dispose(): void { pool.dispose(); },
      };
    } catch (e) {
      if (plan.strict && !isLinkError(e)) throw new BackendError(`threads: ${plan.threads} could not start: ${(e as Error).message}`);
      plan.why = `single-threaded: ${isLinkError(e) ? 'the given wasm is not a threads binary' : (e as Error).message}`;
    }
  }
  const memory = newMemory();
  const { exports } = await loadModule(binary, memory, opts.wasm);
  return wasmBackend(binary, memory, exports, plan.why);
}

/** Synchronous variant (Node ≥ 20.16, or `wasm` given as bytes / a Module).
 *  @example const b = createBackendSync({ threads: 2 }); */
export function createBackendSync(opts: ReadyOptions = {}): Backend {
  const features = detectFeatures();
  const { kind } = resolveKind(opts, features);
  const plan = planThreads(opts, features, kind, true);
  if (kind === 'js') return jsBackend(plan.why);
  const { binary } = chooseBinary(opts, features);
  const src = opts.wasm instanceof WebAssembly.Module || opts.wasm instanceof Uint8Array ? opts.wasm : undefined;
  if (plan.host) {
    const tb = threadsBinary(binary);
    const host = plan.host;
    const memory = newSharedMemory();
    try {
      const { exports, module } = loadModuleSync(tb, memory, src);
      return threadedBackend(tb, memory, exports, plan, (arena, names) => ThreadPool.startSync(host, module, exports, memory, arena, plan.threads, names));
    } catch (e) {
      if (plan.strict && !isLinkError(e)) throw new BackendError(`threads: ${plan.threads} could not start: ${(e as Error).message}`);
      plan.why = `single-threaded: ${isLinkError(e) ? 'the given wasm is not a threads binary' : (e as Error).message}`;
    }
  }
  const memory = newMemory();
  const { exports } = loadModuleSync(binary, memory, src);
  return wasmBackend(binary, memory, exports, plan.why);
}

let current: Backend | undefined;
let currentWhy = '';

/**
 * Loads the best backend and makes it the default for new models.
 * @example await ready(); // or ready({ backend: 'js' }), ready({ binary: 'simd' }), ready({ threads: 'auto' })
 */
export async function ready(opts: ReadyOptions = {}): Promise<BackendInfo> {
  const features = detectFeatures();
  const next = await createBackend(opts);
  // Models made on the previous default keep working, single-threaded.
  current?.dispose();
  current = next;
  currentWhy = whyOf(opts, features);
  return backendInfo();
}

function whyOf(opts: ReadyOptions, features: Features): string {
  const { kind, why } = resolveKind(opts, features);
  if (kind === 'js') return why ?? '';
  return chooseBinary(opts, features).why;
}

/** The default backend; created synchronously on first use when `ready()` was not awaited (Node). */
export function defaultBackend(): Backend {
  if (!current) {
    current = createBackendSync();
    currentWhy = whyOf({}, detectFeatures());
  }
  return current;
}

/**
 * What runs: backend, binary, SIMD / relaxed SIMD / threads support, Node and V8 versions.
 * @example console.log(backendInfo().binary); // 'relaxed'
 */
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
    why: `${backend === current ? currentWhy : `backend ${backend.kind} (${backend.binary})`}; ${backend.threadWhy}`,
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
