// GEMM exports (ABI in src/kernels/abi.ts, GemmAbi). All three layouts run one MR×8 f32x4
// micro-kernel (kernel.ts) through one blocked driver (driver.ts); they differ only in how the
// operands are packed (pack.ts). workPtr: f32_gemm_work_bytes(m, n, k) bytes, 64-byte aligned.

import { gemm, gemmLd, gemmWorkBytes, GEMM_SKIP_ZEROS } from './driver';
import { colsum } from './colsum';

/** Z[m×n] = X[m×k]·W[n×k]ᵀ + bias[n] (biasPtr 0: no bias). */
export function f32_gemm_nt(xPtr: usize, wPtr: usize, biasPtr: usize, zPtr: usize, m: i32, n: i32, k: i32, flags: i32, workPtr: usize): void {
  gemm(xPtr, false, wPtr, true, biasPtr, zPtr, m, n, k, flags, workPtr);
}

/** C[m×n] = A[k×m]ᵀ·B[k×n]. */
export function f32_gemm_tn(aPtr: usize, bPtr: usize, cPtr: usize, m: i32, n: i32, k: i32, flags: i32, workPtr: usize): void {
  gemm(aPtr, true, bPtr, false, 0, cPtr, m, n, k, flags, workPtr);
}

/** C[m×n] = A[k×m]ᵀ·B[k×n] (+ decay·P) with the SGD or momentum step of P fused in (step.ts); A's
 *  zeros are skipped when it is mostly zeros (GEMM_SKIP_ZEROS, sparse.ts: dZ after a ReLU). */
export function f32_gemm_tn_step(aPtr: usize, bPtr: usize, cPtr: usize, pPtr: usize, vPtr: usize, hPtr: usize, m: i32, n: i32, k: i32, workPtr: usize): void {
  gemmLd(aPtr, true, m, bPtr, false, n, 0, cPtr, n, m, n, k, GEMM_SKIP_ZEROS, workPtr, pPtr, vPtr, hPtr);
}

/** C[m×n] = A[m×k]·B[k×n]. */
export function f32_gemm_nn(aPtr: usize, bPtr: usize, cPtr: usize, m: i32, n: i32, k: i32, flags: i32, workPtr: usize): void {
  gemm(aPtr, false, bPtr, false, 0, cPtr, m, n, k, flags, workPtr);
}

/** Bytes of scratch the three GEMMs need for C[m×n] with depth k (0 when there is nothing to pack). */
export function f32_gemm_work_bytes(m: i32, n: i32, k: i32): usize {
  return gemmWorkBytes(m, n, k);
}

/** out[n] = Σ_i A[i, :] over the m rows of A[m×n]; GEMM_ACCUMULATE adds, GEMM_RELU clamps. */
export function f32_colsum(aPtr: usize, outPtr: usize, m: i32, n: i32, flags: i32): void {
  colsum(aPtr, outPtr, m, n, flags);
}
