// TS side of the GEMM kernels (ABI: GemmAbi in abi.ts; WASM in assembly/gemm, twin in src/ref/gemm.ts):
// argument checks before a call, and the scratch size a dense layer needs for its three GEMMs.
// The kernels themselves trust their arguments; these helpers are where bad ones are caught.

import { ValidationError } from '../errors.js';
import type { GemmAbi } from './abi.js';

export type GemmLayout = 'nt' | 'tn' | 'nn';

function checkDim(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new ValidationError(name, `expected a non-negative integer dimension, got ${value}`);
  }
}

function checkPtr(name: string, ptr: number, floats: number, memoryBytes: number): void {
  if (floats === 0) return;
  if (!Number.isInteger(ptr) || ptr <= 0 || ptr % 4 !== 0) {
    throw new ValidationError(name, `expected a 4-byte aligned byte pointer, got ${ptr}`);
  }
  if (ptr + floats * 4 > memoryBytes) {
    throw new ValidationError(name, `${floats} floats at ${ptr} end past the memory (${memoryBytes} bytes)`);
  }
}

/**
 * Checks the dimensions and pointers of one GEMM call (C[m×n] from operands of depth k), so the
 * kernel, which does no bounds checks, can be called safely. Throws ValidationError.
 * @example checkGemm('nt', { m: 128, n: 256, k: 784, aPtr: x, bPtr: w, cPtr: z, workPtr, workBytes }, memory.buffer.byteLength);
 */
export function checkGemm(layout: GemmLayout, a: {
  m: number; n: number; k: number; aPtr: number; bPtr: number; cPtr: number; biasPtr?: number; workPtr: number; workBytes: number;
}, memoryBytes: number): void {
  checkDim('m', a.m);
  checkDim('n', a.n);
  checkDim('k', a.k);
  const { m, n, k } = a;
  if (m === 0 || n === 0) return;
  const [aName, bName] = layout === 'nt' ? ['X', 'W'] : ['A', 'B'];
  checkPtr(aName, a.aPtr, m * k, memoryBytes);
  checkPtr(bName, a.bPtr, n * k, memoryBytes);
  checkPtr('C', a.cPtr, m * n, memoryBytes);
  if (a.biasPtr) {
    if (layout !== 'nt') throw new ValidationError('bias', `only f32_gemm_nt takes a bias, not f32_gemm_${layout}`);
    checkPtr('bias', a.biasPtr, n, memoryBytes);
  }
  if (a.workBytes > 0) {
    if (a.workPtr % 64 !== 0) throw new ValidationError('work', `expected a 64-byte aligned pointer, got ${a.workPtr}`);
    checkPtr('work', a.workPtr, a.workBytes / 4, memoryBytes);
  }
}

/**
 * Scratch bytes for the three GEMMs of a dense layer at batch ≤ `batch`: forward Z = X·Wᵀ (nt),
 * dW = dZᵀ·X (tn) and dX = dZ·W (nn). The kernels' work size only grows with m, n and k, so
 * one buffer of this size serves every smaller batch too.
 * @example const work = arena.alloc(denseWorkBytes(backend.k, 128, 784, 256));
 */
export function denseWorkBytes(k: GemmAbi, batch: number, inSize: number, outSize: number): number {
  return Math.max(
    k.f32_gemm_work_bytes(batch, outSize, inSize),
    k.f32_gemm_work_bytes(outSize, inSize, batch),
    k.f32_gemm_work_bytes(batch, inSize, outSize),
  );
}

/** Floating-point operations of one GEMM (a multiply and an add per term), for GFLOPS figures. */
export function gemmFlops(m: number, n: number, k: number): number {
  return 2 * m * n * k;
}
