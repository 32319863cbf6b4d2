// PLACEHOLDER: exports of assembly/optim (filled in by its kernels).
export const optim_placeholder: i32 = 0;
