// Pure-TS twin of assembly/gemm/panels.ts: W packed into column panels of 8 (panel t holds, for
// each depth p, W[8t + 0..8, p]; columns past n zero) and the few-row GEMM that reads them. The
// sums are those of the twin's f32_gemm_nt (f64 over p = 0..k−1, then + bias, + the old value),
// so on the TS backend too a row's outputs do not depend on the path.

import { GEMM_ACCUMULATE, GEMM_RELU, type GemmDirectAbi } from '../kernels/abi.js';
import type { Views } from '../memory/views.js';

/** Float index of W[j, p] in the panels at float index p0. */
const at = (p0: number, j: number, p: number, k: number) => p0 + (j >> 3) * 8 * k + p * 8 + (j & 7);

export function makePanelsRef(v: Views): Pick<GemmDirectAbi, 'f32_nt_panels_bytes' | 'f32_pack_nt_panels' | 'f32_gemm_nt_panels'> {
  return {
    f32_nt_panels_bytes: (n, k) => (n > 0 && k > 0 ? ((n + 7) >> 3) * 32 * k : 0),
    f32_pack_nt_panels(wPtr, dstPtr, n, k) {
      const f = v.f32;
      for (let j = 0; j < ((n + 7) & ~7); j++) for (let p = 0; p < k; p++) f[at(dstPtr >>> 2, j, p, k)] = j < n ? f[(wPtr >>> 2) + j * k + p]! : 0;
    },
    f32_gemm_nt_panels(xPtr, panelPtr, biasPtr, zPtr, m, n, k, flags) {
      const f = v.f32;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += f[(xPtr >>> 2) + i * k + p]! * f[at(panelPtr >>> 2, j, p, k)]!;
          if (biasPtr !== 0) s += f[(biasPtr >>> 2) + j]!;
          const zi = (zPtr >>> 2) + i * n + j;
          if (flags & GEMM_ACCUMULATE) s += f[zi]!;
          f[zi] = s;
          if (flags & GEMM_RELU && f[zi]! < 0) f[zi] = 0;
        }
      }
    },
  };
}
