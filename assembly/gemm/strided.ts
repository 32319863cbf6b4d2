// Strided GEMMs: the three GEMMs with leading dimensions, which the thread pool's row and column
// splits call per share (src/threads/splits.ts), through the one driver (driver.ts gemmLd), and the
// tile sizes the splits are made of. A block computed with them is summed exactly as the whole GEMM sums it.

import { gemmLd, GEMM_SKIP_ZEROS, MR, NR } from './driver';

/** Rows of the GEMM micro-kernel tile: row splits are made of whole tiles. */
export function f32_gemm_row_quantum(): i32 {
  return MR;
}

/** Columns of the GEMM micro-kernel tile (one packed B panel): column splits are made of whole panels. */
export function f32_gemm_col_quantum(): i32 {
  return NR;
}

/** f32_gemm_nt writing Z with row stride ldz (≥ n): Z[m×n] (=|+=) X[m×k]·W[n×k]ᵀ + bias[n]. */
export function f32_gemm_nt_ld(xPtr: usize, wPtr: usize, biasPtr: usize, zPtr: usize, m: i32, n: i32, k: i32, ldz: i32, flags: i32, workPtr: usize): void {
  gemmLd(xPtr, false, k, wPtr, true, k, biasPtr, zPtr, ldz, m, n, k, flags, workPtr);
}

/** f32_gemm_tn with strides: C[m×n] (row stride ldc) (=|+=) A[k×m]ᵀ·B[k×n], A row stride lda, B row stride ldb. */
export function f32_gemm_tn_ld(aPtr: usize, bPtr: usize, cPtr: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, flags: i32, workPtr: usize): void {
  gemmLd(aPtr, true, lda, bPtr, false, ldb, 0, cPtr, ldc, m, n, k, flags, workPtr);
}

/** f32_gemm_nn with strides: C[m×n] (row stride ldc) (=|+=) A[m×k]·B[k×n], B row stride ldb. */
export function f32_gemm_nn_ld(aPtr: usize, bPtr: usize, cPtr: usize, m: i32, n: i32, k: i32, ldb: i32, ldc: i32, flags: i32, workPtr: usize): void {
  gemmLd(aPtr, false, k, bPtr, false, ldb, 0, cPtr, ldc, m, n, k, flags, workPtr);
}

/** f32_gemm_tn_step with strides: A rows lda apart; B, C, P and v rows ldn apart. */
export function f32_gemm_tn_step_ld(aPtr: usize, bPtr: usize, cPtr: usize, pPtr: usize, vPtr: usize, hPtr: usize, m: i32, n: i32, k: i32,
  lda: i32, ldn: i32, workPtr: usize): void {
  gemmLd(aPtr, true, lda, bPtr, false, ldn, 0, cPtr, ldn, m, n, k, GEMM_SKIP_ZEROS, workPtr, pPtr, vPtr, hPtr);
}
