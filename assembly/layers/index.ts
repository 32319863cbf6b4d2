// PLACEHOLDER: exports of assembly/layers (filled in by its kernels).
export const layers_placeholder: i32 = 0;
