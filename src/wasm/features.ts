// Feature probes: tiny hand-assembled modules that only validate where the host has the feature.

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
// type () -> v128; one function of that type.
const V128_FUNC_TYPE = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** (func (result v128) v128.const 0) */
const SIMD_PROBE = new Uint8Array([...HEADER, ...V128_FUNC_TYPE, 0x0a, 0x16, 0x01, 0x14, 0x00, ...V128_ZERO, 0x0b]);

/** (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))) */
const RELAXED_PROBE = new Uint8Array([
  ...HEADER, ...V128_FUNC_TYPE, 0x0a, 0x3d, 0x01, 0x3b, 0x00,
  ...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x85, 0x02, 0x0b,
]);

/** (memory 1 1 shared) */
const THREADS_PROBE = new Uint8Array([...HEADER, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

export interface Features {
  wasm: boolean;
  simd: boolean;
  relaxedSimd: boolean;
  /** Shared memory validates and SharedArrayBuffer is usable (cross-origin isolated in pages). */
  threads: boolean;
}

let cached: Features | undefined;

export function detectFeatures(): Features {
  if (cached) return cached;
  const wasm = typeof WebAssembly === 'object';
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  const isolated = g.crossOriginIsolated !== false; // undefined in Node: no isolation needed
  cached = {
    wasm,
    simd: wasm && validates(SIMD_PROBE),
    relaxedSimd: wasm && validates(RELAXED_PROBE),
    threads: wasm && typeof g.SharedArrayBuffer === 'function' && isolated && validates(THREADS_PROBE),
  };
  return cached;
}
