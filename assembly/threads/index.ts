// Exports for the thread pool (src/threads/): the pieces a row split of the GEMMs needs.

import { MR } from '../gemm/driver';
import { gemmTnRows } from './tn_rows';

/** Rows of the GEMM micro-kernel tile: row splits are made of whole tiles. */
export function f32_gemm_row_quantum(): i32 {
  return MR;
}

/** C[m×n] (=|+=) A[:, 0:m]ᵀ·B[k×n] with A stored k×lda (lda ≥ m); f32_gemm_tn when lda = m. */
export function f32_gemm_tn_ld(aPtr: usize, bPtr: usize, cPtr: usize, m: i32, n: i32, k: i32, lda: i32, flags: i32, workPtr: usize): void {
  gemmTnRows(aPtr, bPtr, cPtr, m, n, k, lda, flags, workPtr);
}
