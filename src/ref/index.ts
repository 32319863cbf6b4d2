// The pure-TS twins of every kernel, bound to one memory's views: same names, same signatures
// and same pointer arguments as the WebAssembly exports (see src/kernels/abi.ts).

import type { KernelAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';
import { makeGemmRef } from './gemm.js';
import { makePanelsRef } from './panels.js';
import { makeEltwiseRef } from './eltwise.js';
import { makeReduceRef } from './reduce.js';
import { makeActivationRef } from './activations.js';
import { makeLossRef } from './loss.js';
import { makeOptimRef } from './optim.js';
import { makeLayerRef } from './layers.js';
import { makeRngRef } from './rng.js';

export function createRefKernels(v: Views): KernelAbi {
  const gemm = makeGemmRef(v);
  return {
    ...gemm,
    ...makePanelsRef(v),
    ...makeEltwiseRef(v),
    ...makeReduceRef(v),
    ...makeActivationRef(v),
    ...makeLossRef(v),
    ...makeOptimRef(v),
    ...makeLayerRef(v),
    ...makeRngRef(v),
  } as KernelAbi;
}

/** Exports of the binaries that have no pure-TS twin, and why (the ABI parity test holds this list to the binary). */
export const NO_TWIN: Readonly<Record<string, string>> = {
  _start: 'the module\'s start function (asc exportStart), run once by the loader',
  heap_base: 'the binary\'s own layout: the TS backend\'s arena starts at a fixed base',
  has_relaxed_simd: 'a property of the binary',
  f32_peak_probe: 'the benchmarks\' peak-FLOPS probe of the SIMD unit: nothing to twin in TS',
  f32_gemm_row_quantum: 'the micro-kernel\'s tile rows: the thread splits\' unit (the TS backend runs on one thread)',
  f32_gemm_col_quantum: 'the micro-kernel\'s tile columns: the thread splits\' unit',
  f32_gemm_nt_ld: 'strided GEMM for the thread splits only (the TS backend runs on one thread)',
  f32_gemm_tn_ld: 'strided GEMM for the thread splits only',
  f32_gemm_nn_ld: 'strided GEMM for the thread splits only',
  f32_gemm_tn_step_ld: 'strided GEMM with the fused step, for the thread splits only',
};
