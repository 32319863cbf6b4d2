// f32-gemm-nt-panels, wasm SIMD: Z[m×n] = X[m×k]·W[n×k]ᵀ + bias[n] (optional ReLU) for a few rows
// (dense layers at ≤ 4 rows: inference latency), from W packed into column panels by
// f32_pack_nt_panels: panel t holds, for each depth p, the 8 values W[8t + 0..8, p] (32 bytes per
// p; columns past n zero), the layout of the packed GEMM's B panels. Inference packs once per
// weight change; a training forward packs every step (W changed). It replaced a kernel that read W
// in place: a 4×4 transpose per 16 multiply-adds left the shuffle unit, not the multipliers, as
// the limit (~9 GMAC/s); a packed column is one load per 4 outputs.
// Bit-identical to f32_gemm_nt: each output lane starts at bias (or C +
// bias), then one madd per p = 0..k−1 in order, ReLU last. Three panels at a time (6 accumulator
// chains): V8 issues every load of the loop body at its top, so 6 accumulators + 6 loaded columns
// + the splat of x fit x64's 16 vector registers; with 8 chains one accumulator was spilled and
// reloaded every step (a store→load→FMA chain: 2.5× slower). A last group of 1 or 2 panels
// re-reads its first panel in place of the missing ones and stores only its valid columns.
// Flags: bit 0 ReLU, bit 1 accumulate into Z (as f32_gemm_nt). Row-major, 4-byte aligned Z and X,
// 16-byte aligned panels.

import { madd } from '../simd';
import { checkDims, checkRegion, spanBytes } from '../checks';
import { GEMM_ACCUMULATE, GEMM_RELU } from './driver';
import { packRowsInterleaved } from './pack';

const PANEL: i32 = 8;
const PANEL_BYTES_PER_P: usize = 32;
const GROUP: i32 = 3;

/** Bytes of the packed panels of W[n×k]. */
export function f32_nt_panels_bytes(n: i32, k: i32): usize {
  if (n <= 0 || k <= 0) return 0;
  return <usize>((n + PANEL - 1) / PANEL) * <usize>k * PANEL_BYTES_PER_P;
}

/** Packs W[n×k] (row-major) into column panels of 8 (see the header): the packed GEMM's B packing
 *  of W (4×4 transposes), over the whole depth at once. */
export function f32_pack_nt_panels(wPtr: usize, dstPtr: usize, n: i32, k: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0 && k >= 0, 'f32_pack_nt_panels: n and k must be >= 0');
    checkRegion(wPtr, spanBytes(n, k, k), 4, 'f32_pack_nt_panels: W must be 4-byte aligned and inside the memory');
    checkRegion(dstPtr, n > 0 && k > 0 ? f32_nt_panels_bytes(n, k) : 0, 16, 'f32_pack_nt_panels: the panels must be 16-byte aligned and inside the memory');
  }
  if (n <= 0 || k <= 0) return;
  for (let j0 = 0; j0 < n; j0 += PANEL) {
    packRowsInterleaved(dstPtr + <usize>(j0 / PANEL) * <usize>k * PANEL_BYTES_PER_P, wPtr + <usize>j0 * (<usize>k << 2), k, min(PANEL, n - j0), PANEL, 0, k);
  }
}

/** Lanes of Z (or zero) plus bias, for `cols` ≤ 4 valid columns at z / bias. Not inlined (outside
 *  the depth loop, and six copies per group would cost the browser bundle ~0.5 KB gzip). */
function initLanes(z: usize, bias: usize, cols: i32, flags: i32): v128 {
  let c = f32x4.splat(0);
  if (cols <= 0) return c;
  if (flags & GEMM_ACCUMULATE) {
    if (cols >= 4) c = v128.load(z);
    else {
      c = f32x4.replace_lane(c, 0, load<f32>(z));
      if (cols > 1) c = f32x4.replace_lane(c, 1, load<f32>(z, 4));
      if (cols > 2) c = f32x4.replace_lane(c, 2, load<f32>(z, 8));
    }
  }
  if (bias) {
    let b = f32x4.splat(0);
    if (cols >= 4) b = v128.load(bias);
    else {
      b = f32x4.replace_lane(b, 0, load<f32>(bias));
      if (cols > 1) b = f32x4.replace_lane(b, 1, load<f32>(bias, 4));
      if (cols > 2) b = f32x4.replace_lane(b, 2, load<f32>(bias, 8));
    }
    c = f32x4.add(c, b);
  }
  return c;
}

function storeLanes(z: usize, c: v128, cols: i32, flags: i32): void {
  if (cols <= 0) return;
  let v = c;
  if (flags & GEMM_RELU) v = f32x4.pmax(v, f32x4.splat(0));
  if (cols >= 4) { v128.store(z, v); return; }
  store<f32>(z, f32x4.extract_lane(v, 0));
  if (cols > 1) store<f32>(z, f32x4.extract_lane(v, 1), 4);
  if (cols > 2) store<f32>(z, f32x4.extract_lane(v, 2), 8);
}

/** One X row against three panels at pa, pb, pc: columns 0..cols (≤ 24) of z. */
function rowPanels3(x: usize, pa: usize, pb: usize, pc: usize, k: i32, z: usize, bias: usize, cols: i32, flags: i32): void {
  let c0 = initLanes(z, bias, cols, flags), c1 = initLanes(z + 16, bias ? bias + 16 : 0, cols - 4, flags);
  let c2 = initLanes(z + 32, bias ? bias + 32 : 0, cols - 8, flags), c3 = initLanes(z + 48, bias ? bias + 48 : 0, cols - 12, flags);
  let c4 = initLanes(z + 64, bias ? bias + 64 : 0, cols - 16, flags), c5 = initLanes(z + 80, bias ? bias + 80 : 0, cols - 20, flags);
  const end = x + (<usize>k << 2);
  while (x < end) {
    const xs = v128.load32_splat(x);
    c0 = madd(xs, v128.load(pa), c0); c1 = madd(xs, v128.load(pa, 16), c1);
    c2 = madd(xs, v128.load(pb), c2); c3 = madd(xs, v128.load(pb, 16), c3);
    c4 = madd(xs, v128.load(pc), c4); c5 = madd(xs, v128.load(pc, 16), c5);
    x += 4; pa += PANEL_BYTES_PER_P; pb += PANEL_BYTES_PER_P; pc += PANEL_BYTES_PER_P;
  }
  storeLanes(z, c0, cols, flags); storeLanes(z + 16, c1, cols - 4, flags);
  storeLanes(z + 32, c2, cols - 8, flags); storeLanes(z + 48, c3, cols - 12, flags);
  storeLanes(z + 64, c4, cols - 16, flags); storeLanes(z + 80, c5, cols - 20, flags);
}

export function f32_gemm_nt_panels(xPtr: usize, panelPtr: usize, biasPtr: usize, zPtr: usize, m: i32, n: i32, k: i32, flags: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && n >= 0 && k >= 0, 'f32_gemm_nt_panels: m, n and k must be >= 0');
    checkRegion(xPtr, spanBytes(m, k, k), 4, 'f32_gemm_nt_panels: X must be 4-byte aligned and inside the memory');
    checkRegion(panelPtr, n > 0 && k > 0 ? f32_nt_panels_bytes(n, k) : 0, 16, 'f32_gemm_nt_panels: the panels must be 16-byte aligned and inside the memory');
    checkRegion(zPtr, spanBytes(m, n, n), 4, 'f32_gemm_nt_panels: Z must be 4-byte aligned and inside the memory');
    checkRegion(biasPtr, biasPtr ? <usize>n << 2 : 0, 4, 'f32_gemm_nt_panels: bias must be 4-byte aligned and inside the memory');
  }
  if (m <= 0 || n <= 0) return;
  const xRow = <usize>k << 2;
  const zRow = <usize>n << 2;
  const panelBytes = <usize>k * PANEL_BYTES_PER_P;
  const panels = (n + PANEL - 1) / PANEL;
  for (let i = 0; i < m; i++) {
    const x = xPtr + <usize>i * xRow;
    const z = zPtr + <usize>i * zRow;
    for (let t = 0; t < panels; t += GROUP) {
      const pa = panelPtr + <usize>t * panelBytes;
      const pb = t + 1 < panels ? pa + panelBytes : pa;
      const pc = t + 2 < panels ? pa + 2 * panelBytes : pa;
      const j = t * PANEL;
      rowPanels3(x, pa, pb, pc, k, z + (<usize>j << 2), biasPtr ? biasPtr + (<usize>j << 2) : 0, min(GROUP * PANEL, n - j), flags);
    }
  }
}
