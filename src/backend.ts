// Chooses and holds the compute backend: the WebAssembly kernels (relaxed SIMD when the host
// validates it, else baseline SIMD) or the pure-TS twins. Both run on an arena in a
// WebAssembly.Memory, so every layer above calls the same pointer-based kernels either way.

import { Arena } from './memory/arena.js';
import type { KernelAbi } from './kernels/abi.js';
import { createRefKernels } from './ref/index.js';
import { detectFeatures, type Features } from './wasm/features.js';
import { loadModule, loadModuleSync, type BinaryName, type WasmSource } from './wasm/load.js';

export type BackendKind = 'wasm' | 'js';
export type BinaryChoice = BinaryName | 'js';

export interface ReadyOptions {
  /** 'wasm' (default when the host runs WASM SIMD) or 'js' (the pure-TS twins). */
  backend?: BackendKind;
  /** Force a binary: 'relaxed', 'simd' or 'debug' (assertions on). Default: relaxed when it validates. */
  binary?: BinaryName;
  /** Bytes, a compiled Module, a Response, a URL, or a URL prefix ending in '/' where <binary>.wasm lives. */
  wasm?: WasmSource;
}

export interface Backend {
  readonly kind: BackendKind;
  readonly binary: BinaryChoice;
  readonly memory: WebAssembly.Memory;
  readonly arena: Arena;
  readonly k: KernelAbi;
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

function wasmBackend(binary: BinaryName, memory: WebAssembly.Memory, exports: KernelAbi & { heap_base(): number }): Backend {
  const arena = new Arena(memory, exports.heap_base());
  return { kind: 'wasm', binary, memory, arena, k: exports };
}

function jsBackend(): Backend {
  const memory = newMemory();
  const arena = new Arena(memory, JS_HEAP_BASE);
  return { kind: 'js', binary: 'js', memory, arena, k: createRefKernels(arena.views) };
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

/** Creates an independent backend (own memory and arena). Most code uses the default one from `ready()`. */
export async function createBackend(opts: ReadyOptions = {}): Promise<Backend> {
  const features = detectFeatures();
  const { kind } = resolveKind(opts, features);
  if (kind === 'js') return jsBackend();
  const { binary } = chooseBinary(opts, features);
  const memory = newMemory();
  const { exports } = await loadModule(binary, memory, opts.wasm);
  return wasmBackend(binary, memory, exports);
}

/** Synchronous variant (Node ≥ 20.16, or `wasm` given as bytes / a Module). */
export function createBackendSync(opts: ReadyOptions = {}): Backend {
  const features = detectFeatures();
  const { kind } = resolveKind(opts, features);
  if (kind === 'js') return jsBackend();
  const { binary } = chooseBinary(opts, features);
  const memory = newMemory();
  const src = opts.wasm instanceof WebAssembly.Module || opts.wasm instanceof Uint8Array ? opts.wasm : undefined;
  const { exports } = loadModuleSync(binary, memory, src);
  return wasmBackend(binary, memory, exports);
}

let current: Backend | undefined;
let currentWhy = '';

/**
 * Loads the best backend and makes it the default for new models.
 * @example await ready(); // or ready({ backend: 'js' }), ready({ binary: 'simd' })
 */
export async function ready(opts: ReadyOptions = {}): Promise<BackendInfo> {
  const features = detectFeatures();
  current = await createBackend(opts);
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
    threadCount: 1,
    why: backend === current ? currentWhy : `backend ${backend.kind} (${backend.binary})`,
  };
  const versions = g.process?.versions;
  if (versions?.node) { info.node = versions.node; info.v8 = versions.v8; }
  else if (g.navigator?.userAgent) info.userAgent = g.navigator.userAgent;
  return info;
}
