// Every WebAssembly binary simdnet ships, one row each. The build (src/wasm/build.mjs: one asc run
// per row), the loader (src/wasm/load.ts), the browser build (src/web/build.mjs: which binaries sit
// beside the bundle or inside the inline one) and the benches read this table; no other list of
// binaries exists.
//
// `url` is a static `new URL('<literal>', import.meta.url)` on purpose: bundlers (Vite, webpack,
// Rollup with a plugin) recognise only that exact shape and then emit the file as an asset. From
// src/wasm/ and dist/wasm/ the binaries are in build/, two levels up; the browser build rewrites
// each literal to './<name>.wasm' (the binaries sit beside simdnet.js), or drops it for a binary
// that is not shipped there.

export type WasmFeature = 'simd' | 'relaxed-simd' | 'threads';

export interface BinarySpec {
  /** WebAssembly features the binary uses (asc --enable). */
  readonly features: readonly WasmFeature[];
  /** Imports a shared memory of at most this many 64 KiB pages (threads binaries). */
  readonly sharedMaxPages?: number;
  /** Unoptimized, with assertions and debug info. */
  readonly debug: boolean;
  /** The binary the thread pool runs when this one is asked for with threads > 1. */
  readonly threaded?: string;
  /** Copied beside the browser bundle (dist/browser/). */
  readonly browser: boolean;
  /** Inlined (base64) in simdnet.inline.js. */
  readonly inline: boolean;
  /** Where the file is, as a static literal; null where this build does not ship it. */
  readonly url: () => URL | null;
}

/** A shared memory cannot move, so its maximum is reserved up front: 2 GiB. */
const SHARED_MAX_PAGES = 32768;

export const BINARIES = {
  simd: {
    features: ['simd'], debug: false, threaded: 'threads', browser: true, inline: true,
    url: () => new URL('../../build/simd.wasm', import.meta.url),
  },
  relaxed: {
    features: ['simd', 'relaxed-simd'], debug: false, threaded: 'threads-relaxed', browser: true, inline: true,
    url: () => new URL('../../build/relaxed.wasm', import.meta.url),
  },
  threads: {
    features: ['simd', 'threads'], sharedMaxPages: SHARED_MAX_PAGES, debug: false, browser: true, inline: false,
    url: () => new URL('../../build/threads.wasm', import.meta.url),
  },
  'threads-relaxed': {
    features: ['simd', 'relaxed-simd', 'threads'], sharedMaxPages: SHARED_MAX_PAGES, debug: false, browser: true, inline: false,
    url: () => new URL('../../build/threads-relaxed.wasm', import.meta.url),
  },
  debug: {
    features: ['simd'], debug: true, browser: false, inline: false,
    url: () => new URL('../../build/debug.wasm', import.meta.url),
  },
} as const satisfies Record<string, BinarySpec>;

export type BinaryName = keyof typeof BINARIES;

/** The table's names, in its order. */
export const BINARY_NAMES = Object.keys(BINARIES) as BinaryName[];

/** The row of a binary; a name outside the table is undefined (the table is looked up by users' strings). */
export function binarySpec(name: string): BinarySpec | undefined {
  return Object.hasOwn(BINARIES, name) ? (BINARIES as Record<string, BinarySpec>)[name] : undefined;
}
