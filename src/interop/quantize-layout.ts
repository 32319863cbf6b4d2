// Where the int8 kernels' operands live in the arena (layouts: assembly/q8's header; offsets:
// src/ref/q8.ts): sizes of activation panels and packed weights for a backend's binary, and the
// weight packing, done once when a QuantizedModel is built.

import type { Backend } from '../backend.js';
import type { Q8Abi } from '../kernels/abi.js';
import { makeQ8Ref, q8KPad, q8MPad, q8WeightOffset } from '../ref/q8.js';

export { q8ActOffset, q8WeightOffset } from '../ref/q8.js';

/** The backend's q8 kernels: the binary's exports, or on the TS backend the twins, installed here
 *  on first use (they stay out of the main browser bundle). @internal */
export function q8Kernels(backend: Backend): Q8Abi {
  const k = backend.k as Backend['k'] & Partial<Q8Abi>;
  if (typeof k.q8_gemm_nt !== 'function') Object.assign(k, makeQ8Ref(backend.arena.views));
  return k as Q8Abi;
}

/** Bytes of one activation row of depth k: k rounded up to 4 values of q8_value_bytes() each. @internal */
export function q8RowBytes(backend: Backend, k: number): number {
  return q8KPad(k) * q8Kernels(backend).q8_value_bytes();
}

/** Bytes of the activation panels of m rows of depth k (m rounded up to 3 rows, 4 on the baseline binary). @internal */
export function q8ActBytes(backend: Backend, m: number, k: number): number {
  return q8MPad(m, q8Kernels(backend).q8_value_bytes()) * q8RowBytes(backend, k);
}

/** n rounded up to the 8 channels of a weight panel: the length of corr, scale and bias. @internal */
export const q8NPad = (n: number): number => (n + 7) & ~7;

/** Bytes of packed weights W[n×k]: n rounded up to 8 rows of q8RowBytes(k). @internal */
export function q8WeightsBytes(backend: Backend, n: number, k: number): number {
  return q8NPad(n) * q8RowBytes(backend, k);
}

/** Writes W (n×k values in [−127, 127], row-major) at dst in the binary's panel layout, 1 or 2 bytes
 *  per value (little-endian), zero padding. @internal */
export function packQ8Weights(backend: Backend, w: Int8Array, n: number, k: number, dstPtr: number): void {
  const eb = q8Kernels(backend).q8_value_bytes();
  const u8 = backend.arena.views.u8;
  u8.fill(0, dstPtr, dstPtr + q8WeightsBytes(backend, n, k));
  const dv = new DataView(u8.buffer);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) {
      const at = dstPtr + q8WeightOffset(eb, k, j, p);
      if (eb === 1) dv.setInt8(at, w[j * k + p]!);
      else dv.setInt16(at, w[j * k + p]!, true);
    }
  }
}
