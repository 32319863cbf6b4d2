// PLACEHOLDER: exports of assembly/rng (filled in by its kernels).
export const rng_placeholder: i32 = 0;
