// f32_gemm_tn on a block of output rows, for the thread pool (src/threads/): C[m×n] (=|+=) A'ᵀ·B
// where A' is the k×m column block of a k×lda row-major A (lda ≥ m: the caller offsets aPtr by
// the block's first column). C[m×n] and B[k×n] are contiguous row-major. With lda = m this is
// f32_gemm_tn. The loops, blocking (NC, equal-size KC depth blocks, MC), packing and micro-kernel
// are the GEMM driver's (assembly/gemm/driver.ts), in the same order, so every element of C is
// summed exactly as the single-threaded f32_gemm_tn sums it: a row split is bit-identical.
// workPtr: f32_gemm_work_bytes(m, n, k) bytes, 64-byte aligned; edge tiles go through its first
// 192 bytes; C is never touched outside its m×n floats.

import { f32_ukernel_5x8, INIT_C, INIT_ZERO } from '../gemm/kernel';
import { packColsContiguous } from '../gemm/pack';
import { GEMM_ACCUMULATE, GEMM_RELU, KC, MC, MR, NC, NR } from '../gemm/driver';

const TILE_BYTES: usize = 192;

@inline
function align64(x: usize): usize {
  return (x + 63) & ~(<usize>63);
}

function edgeTile(kc: i32, a: usize, b: usize, c: usize, ldc: usize, mr: i32, nr: i32, init: i32, relu: bool, tile: usize): void {
  for (let r = 0; r < MR; r++) {
    const t = tile + (<usize>r << 5);
    const cr = c + <usize>r * ldc;
    for (let j = 0; j < NR; j++) {
      const v: f32 = r < mr && j < nr && (init & INIT_C) ? load<f32>(cr + (<usize>j << 2)) : 0;
      store<f32>(t + (<usize>j << 2), v);
    }
  }
  f32_ukernel_5x8(kc, a, b, tile, 32, INIT_C, 0, relu);
  for (let r = 0; r < mr; r++) {
    const t = tile + (<usize>r << 5);
    const cr = c + <usize>r * ldc;
    for (let j = 0; j < nr; j++) store<f32>(cr + (<usize>j << 2), load<f32>(t + (<usize>j << 2)));
  }
}

export function gemmTnRows(aPtr: usize, bPtr: usize, cPtr: usize, m: i32, n: i32, k: i32, lda: i32, flags: i32, workPtr: usize): void {
  if (m <= 0 || n <= 0) return;
  const acc = (flags & GEMM_ACCUMULATE) != 0;
  const relu = (flags & GEMM_RELU) != 0;
  if (k <= 0) {
    for (let i = 0; i < m; i++) {
      const cr = cPtr + (<usize>i * <usize>n << 2);
      for (let j = 0; j < n; j++) {
        let v: f32 = acc ? load<f32>(cr + (<usize>j << 2)) : 0;
        if (relu && v < 0) v = 0;
        store<f32>(cr + (<usize>j << 2), v);
      }
    }
    return;
  }
  const tile = workPtr;
  const aPack = workPtr + TILE_BYTES;
  const bPack = aPack + align64(<usize>min((m + MR - 1) / MR * MR, MC) * <usize>min(k, KC) << 2);
  const ldc = <usize>n << 2;
  const kBlocks = (k + KC - 1) / KC;
  const kStep = (k + kBlocks - 1) / kBlocks;
  const firstInit = acc ? INIT_C : INIT_ZERO;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      const init = pc == 0 ? firstInit : INIT_C;
      const reluNow = relu && pc + kc == k;
      for (let jr = 0; jr < nc; jr += NR) {
        const nr = min(NR, nc - jr);
        packColsContiguous(bPack + (<usize>jr * <usize>kc << 2), bPtr + (<usize>(jc + jr) << 2), n, nr, NR, pc, kc);
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          packColsContiguous(aPack + (<usize>ir * <usize>kc << 2), aPtr + (<usize>(ic + ir) << 2), lda, mr, MR, pc, kc);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const b = bPack + (<usize>jr * <usize>kc << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const a = aPack + (<usize>ir * <usize>kc << 2);
            const c = cPtr + ((<usize>(ic + ir) * <usize>n + <usize>(jc + jr)) << 2);
            if (mr == MR && nr == NR) f32_ukernel_5x8(kc, a, b, c, ldc, init, 0, reluNow);
            else edgeTile(kc, a, b, c, ldc, mr, nr, init, reluNow, tile);
          }
        }
      }
    }
  }
}
