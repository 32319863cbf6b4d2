// The one place that instantiates simdnet's WebAssembly binaries. Their only imports are the
// memory and, in the debug binary, abort (whose message this module decodes into a KernelError).
// Bytes come from where the binary table (./binaries.ts) says the file is (build/ from src/ or
// dist/, beside the bundle in the browser build), from base64 inlined in the bundle, or from the
// caller: bytes, a compiled WebAssembly.Module, a Response, or a URL prefix.

import type { KernelAbi } from '../kernels/abi.js';
import { BINARIES, type BinaryName } from './binaries.js';
import { BackendError, KernelError } from '../errors.js';
import { nodeBuiltin } from '../host.js';

export type { BinaryName } from './binaries.js';

/** What the caller may hand over instead of letting simdnet find build/<binary>.wasm. */
export type WasmSource = ArrayBuffer | Uint8Array | WebAssembly.Module | Response | Promise<Response> | URL | string;

export interface WasmExports extends KernelAbi {
  heap_base(): number;
  has_relaxed_simd(): number;
}

export interface LoadedModule {
  exports: WasmExports;
  module: WebAssembly.Module;
}

// Set by the browser build of simdnet.inline.js (src/web/build.mjs) through esbuild's `define`; undeclared elsewhere.
declare const __SIMDNET_WASM_INLINE__: Partial<Record<BinaryName, string>>;

/** Where `<binary>.wasm` is found when the caller gives no source. */
export function defaultBinaryUrl(binary: BinaryName): URL {
  const url = BINARIES[binary].url();
  if (!url) throw new BackendError(`simdnet: the ${binary} binary is not shipped with this build; pass its bytes, Module or URL as \`wasm\``);
  return url;
}

/** The bytes of a binary inlined (base64) in the bundle, if this build has them. */
export function inlinedBinary(binary: BinaryName): Uint8Array | undefined {
  const b64 = typeof __SIMDNET_WASM_INLINE__ === 'object' ? __SIMDNET_WASM_INLINE__[binary] : undefined;
  if (!b64) return undefined;
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

interface NodeFs { readFileSync(path: URL | string): Uint8Array }

/** Node ≥ 20.16 exposes built-ins synchronously; browsers do not. */
export function nodeFs(): NodeFs | undefined {
  return nodeBuiltin<NodeFs>('node:fs');
}

async function bytesOf(source: WasmSource | undefined, binary: BinaryName): Promise<Uint8Array | WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (source !== undefined && typeof (source as Promise<Response>).then === 'function') source = await (source as Promise<Response>);
  if (typeof Response !== 'undefined' && source instanceof Response) return new Uint8Array(await source.arrayBuffer());
  let url: URL;
  if (source === undefined) {
    const inlined = inlinedBinary(binary);
    if (inlined) return inlined;
    url = defaultBinaryUrl(binary);
  }
  else if (typeof source === 'string') url = source.endsWith('/') ? new URL(`${binary}.wasm`, new URL(source, baseHref())) : new URL(source, baseHref());
  else url = source as URL;
  if (url.protocol === 'file:') {
    // Node ≥ 20.16, Bun and Deno have process.getBuiltinModule; browsers never reach this (no file: URLs there).
    const fs = nodeFs();
    if (!fs) throw new BackendError(`simdnet: cannot read ${url.href}: this host has no Node file system (process.getBuiltinModule, Node ≥ 20.16); pass the binary's bytes or an http(s) URL as \`wasm\``);
    return fs.readFileSync(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new BackendError(`simdnet: could not fetch ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function baseHref(): string {
  const loc = (globalThis as { location?: { href: string } }).location;
  return loc?.href ?? import.meta.url;
}

/** An AssemblyScript string in linear memory: UTF-16 code units, their byte length in the 4 bytes before. */
function wasmString(memory: WebAssembly.Memory, ptr: number): string | null {
  if (!ptr) return null;
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0]!;
  const units = new Uint16Array(memory.buffer, ptr, bytes >>> 1);
  let s = '';
  for (let i = 0; i < units.length; i += 1024) s += String.fromCharCode(...units.subarray(i, i + 1024));
  return s;
}

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  // A kernel's abort (the debug binary's entry checks) as a KernelError, its message decoded from memory.
  const abort = (msg: number, file: number, line: number, column: number): never => {
    const where = wasmString(memory, file);
    throw new KernelError(`abort: ${wasmString(memory, msg) ?? 'no message'}${where ? ` at ${where}:${line}:${column}` : ''}`);
  };
  return { env: { memory, abort } };
}

/** Instantiates a binary on the given memory. */
export async function loadModule(binary: BinaryName, memory: WebAssembly.Memory, source?: WasmSource): Promise<LoadedModule> {
  const bytes = await bytesOf(source, binary);
  const module = bytes instanceof WebAssembly.Module ? bytes : await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, imports(memory));
  return { exports: instance.exports as unknown as WasmExports, module };
}

/** Synchronous variant for Node (reads build/<binary>.wasm) or a given Module / bytes. */
export function loadModuleSync(binary: BinaryName, memory: WebAssembly.Memory, source?: Uint8Array | WebAssembly.Module): LoadedModule {
  let module: WebAssembly.Module;
  if (source instanceof WebAssembly.Module) module = source;
  else {
    let bytes = source ?? inlinedBinary(binary);
    if (!bytes) {
      const fs = nodeFs();
      if (!fs) throw new BackendError('simdnet: call `await ready()` before using models in this environment (no synchronous file access here)');
      bytes = fs.readFileSync(defaultBinaryUrl(binary));
    }
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  }
  const instance = new WebAssembly.Instance(module, imports(memory));
  return { exports: instance.exports as unknown as WasmExports, module };
}
