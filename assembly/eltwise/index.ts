// PLACEHOLDER: exports of assembly/eltwise (filled in by its kernels).
export const eltwise_placeholder: i32 = 0;
