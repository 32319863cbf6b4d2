// What a backend will be, decided before anything is loaded: a pure function of the options and
// of what the host offers (WebAssembly features, cores, shared memory, a worker host), so every
// branch can be tested without the host having it. src/backend.ts instantiates the plan with a
// synchronous or an asynchronous loader.

import { BackendError } from './errors.js';
import type { Features } from './wasm/features.js';
import { binarySpec, type BinaryName } from './wasm/binaries.js';
import type { WasmSource } from './wasm/load.js';
import type { ThreadHost } from './threads/host.js';
import { MAX_THREADS } from './threads/control.js';

export type BackendKind = 'wasm' | 'js';
export type BinaryChoice = BinaryName | 'js';

export interface ReadyOptions {
  /** 'wasm' (default when the host runs WASM SIMD) or 'js' (the pure-TS twins). */
  backend?: BackendKind;
  /** Force a binary: 'relaxed', 'simd' or 'debug' (assertions on). Default: relaxed when it validates. */
  binary?: BinaryName;
  /** Bytes, a compiled Module, a Response, a URL, or a URL prefix ending in '/' where <binary>.wasm lives.
   *  With threads, bytes or a Module must be a threads binary (else the backend stays single-threaded).
   *  createBackendSync takes bytes or a Module only. */
  wasm?: WasmSource;
  /** Threads for the kernels, the caller included: a number, or 'auto' (the number of cores). Default 1.
   *  More than 1 needs shared memory (Node ≥ 20, or a cross-origin isolated page, inside a Worker). */
  threads?: number | 'auto';
}

/** What the host offers a backend (hostFeatures() in src/backend.ts reads the real one). */
export interface HostFeatures extends Features {
  /** Node: os.availableParallelism(); browsers: navigator.hardwareConcurrency. */
  readonly cores: number;
  readonly sharedArrayBuffer: boolean;
  /** globalThis.crossOriginIsolated: undefined in Node (no isolation needed). */
  readonly crossOriginIsolated: boolean | undefined;
  /** Where pool workers come from, or why there are none. */
  readonly threadHost: ThreadHost | string;
}

export interface BackendPlan {
  readonly kind: BackendKind;
  /** The binary to instantiate ('js': none). With threads > 1, its threads build. */
  readonly binary: BinaryChoice;
  /** The single-threaded binary a threaded plan falls back to (the binary itself otherwise). */
  readonly single: BinaryChoice;
  /** Threads the kernels use, the caller included. */
  readonly threads: number;
  /** True when the thread count was asked for by number: a pool that cannot start is then an error. */
  readonly strict: boolean;
  /** Why this kind and binary ("relaxed SIMD validates on this host", "pure-TS backend requested"). */
  readonly binaryWhy: string;
  /** Why this many threads ("threads: 2 (worker_threads, shared memory)", "single-threaded: ..."). */
  readonly threadWhy: string;
}

/** A plan is made for one of the two loaders: a synchronous one cannot wait for a fetch or for workers that start later. */
export type LoaderKind = 'sync' | 'async';

function planKind(opts: ReadyOptions, f: HostFeatures): { kind: BackendKind; why?: string } {
  if (opts.backend !== undefined && opts.backend !== 'wasm' && opts.backend !== 'js') {
    throw new BackendError(`backend must be 'wasm' or 'js', got ${JSON.stringify(opts.backend)}`);
  }
  if (opts.backend === 'js') return { kind: 'js', why: 'pure-TS backend requested' };
  if (!f.simd) {
    if (opts.backend === 'wasm') throw new BackendError('backend: wasm was requested but this host does not validate WebAssembly SIMD');
    return { kind: 'js', why: 'WebAssembly SIMD is not available; pure-TS backend' };
  }
  return { kind: 'wasm' };
}

function planBinary(opts: ReadyOptions, f: HostFeatures): { binary: BinaryName; why: string } {
  if (opts.binary !== undefined) {
    const spec = binarySpec(opts.binary);
    if (!spec || spec.sharedMaxPages) {
      throw new BackendError(`binary must be one of ${SINGLE_BINARIES.map((b) => `'${b}'`).join(', ')}, got ${JSON.stringify(opts.binary)} (threads builds are chosen by \`threads\`)`);
    }
    if (opts.binary === 'relaxed' && !f.relaxedSimd) {
      throw new BackendError('binary: relaxed SIMD was requested but this host does not validate it (Node 20 needs --experimental-wasm-relaxed-simd)');
    }
    return { binary: opts.binary, why: `binary ${opts.binary} requested` };
  }
  if (f.relaxedSimd) return { binary: 'relaxed', why: 'relaxed SIMD validates on this host' };
  return { binary: 'simd', why: 'relaxed SIMD does not validate on this host; baseline SIMD' };
}

/** The binaries a caller may name: every single-threaded row of the table. */
const SINGLE_BINARIES: readonly BinaryName[] = ['simd', 'relaxed', 'debug'];

interface ThreadCount { threads: number; why: string; strict: boolean }

function planThreads(opts: ReadyOptions, f: HostFeatures, kind: BackendKind, binary: BinaryName | undefined, loader: LoaderKind): ThreadCount {
  const req = opts.threads ?? 1;
  if (req !== 'auto' && !(Number.isInteger(req) && req >= 1)) {
    throw new BackendError(`threads must be a positive integer or 'auto', got ${JSON.stringify(req)}`);
  }
  const strict = req !== 'auto';
  const single = (why: string): ThreadCount => ({ threads: 1, why: `single-threaded: ${why}`, strict });
  if (req === 1) return single('threads: 1 requested');
  const n = Math.min(req === 'auto' ? f.cores : req, MAX_THREADS);
  if (n === 1) return single(`threads: 'auto' found 1 core`);
  if (kind === 'js') return single('the pure-TS backend runs on one thread');
  if (binary && !binarySpec(binary)?.threaded) return single(`the ${binary} binary has no threads build`);
  if (!f.sharedArrayBuffer) return single('SharedArrayBuffer unavailable');
  if (f.crossOriginIsolated === false) return single('not cross-origin isolated (serve the page with COOP/COEP headers)');
  if (!f.threads) return single('this host does not validate shared WebAssembly memory');
  const host = f.threadHost;
  if (typeof host === 'string') return single(host);
  if (!host.canBlock) return single('Atomics.wait is not allowed on a page\'s main thread: create the model in a Worker');
  if (loader === 'sync' && !host.startsWhileBlocked) return single('workers start asynchronously here: use `await ready({ threads })` or createBackend');
  return { threads: n, why: `threads: ${n} (${host.name}, shared memory)`, strict };
}

/** True for the sources a synchronous loader can use without waiting. */
export function isSyncSource(wasm: WasmSource | undefined): wasm is Uint8Array | ArrayBuffer | WebAssembly.Module | undefined {
  return wasm === undefined || wasm instanceof Uint8Array || wasm instanceof ArrayBuffer || wasm instanceof WebAssembly.Module;
}

/**
 * @internal The backend these options get on this host: kind, binary, threads and why. Pure (reads
 * nothing but its arguments); throws a BackendError for options the host cannot honour.
 */
export function planBackend(opts: ReadyOptions, f: HostFeatures, loader: LoaderKind): BackendPlan {
  if (loader === 'sync' && !isSyncSource(opts.wasm)) {
    throw new BackendError('wasm: createBackendSync takes the binary as bytes (Uint8Array, ArrayBuffer) or a WebAssembly.Module; a URL or a Response needs `await createBackend(...)` or `await ready(...)`');
  }
  const { kind, why } = planKind(opts, f);
  if (kind === 'js') {
    const t = planThreads(opts, f, kind, undefined, loader);
    return { kind, binary: 'js', single: 'js', threads: 1, strict: t.strict, binaryWhy: why!, threadWhy: t.why };
  }
  const b = planBinary(opts, f);
  const t = planThreads(opts, f, kind, b.binary, loader);
  const binary = t.threads > 1 ? binarySpec(b.binary)!.threaded as BinaryName : b.binary;
  return { kind, binary, single: b.binary, threads: t.threads, strict: t.strict, binaryWhy: b.why, threadWhy: t.why };
}
