// The pure-TS twins of every kernel, bound to one memory's views: same names, same signatures
// and same pointer arguments as the WebAssembly exports (see src/kernels/abi.ts).

import type { KernelAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';
import { makeGemmRef } from './gemm.js';
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
    // The TS twin has no packing to skip: the direct variant is the same computation.
    f32_gemm_nt_direct: (x: number, w: number, b: number, z: number, m: number, n: number, k: number, flags: number) =>
      gemm.f32_gemm_nt(x, w, b, z, m, n, k, flags, 0),
    ...makeEltwiseRef(v),
    ...makeReduceRef(v),
    ...makeActivationRef(v),
    ...makeLossRef(v),
    ...makeOptimRef(v),
    ...makeLayerRef(v),
    ...makeRngRef(v),
  } as KernelAbi;
}
