// PLACEHOLDER: exports of assembly/gemm (filled in by its kernels).
export const gemm_placeholder: i32 = 0;
