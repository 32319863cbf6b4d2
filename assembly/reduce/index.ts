// PLACEHOLDER: exports of assembly/reduce (filled in by its kernels).
export const reduce_placeholder: i32 = 0;
