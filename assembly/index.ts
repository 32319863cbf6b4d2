// The ABI of simdnet's WebAssembly kernels: exports only. Every export takes byte
// pointers into the imported linear memory and dimensions; nothing allocates.

/** First free byte after the module's static data: the arena starts here. */
export function heap_base(): usize {
  return __heap_base;
}

/** 1 when this binary was compiled with relaxed SIMD. */
export function has_relaxed_simd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

export * from './gemm/index';
export * from './eltwise/index';
export * from './reduce/index';
export * from './loss/index';
export * from './optim/index';
export * from './layers/index';
export * from './rng/index';
export * from './bench/index';
export * from './gemm/strided';
export * from './gemm/panels';
export * from './q8/index';
