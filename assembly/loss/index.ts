// Fused losses from logits Z[m×n] and targets Y[m×n] (f32, row-major, any alignment). Each returns
// the batch mean (1/m)·Σ_i loss_i accumulated in f64 (0 when m = 0); writes probabilities / σ(z) /
// a copy of ŷ to outPtr and the gradient w.r.t. the logits, already ÷ m, to gradPtr, each only
// when the pointer ≠ 0. Stable for any finite logits: log-sum-exp with the row max subtracted,
// and log(1 + e^{−|z|}) for the binary case, so ±1e4 gives no NaN or Infinity.

import { loadN, storeN } from '../eltwise/lanes';
import { expShiftSum, maxOf, scaleInPlace } from '../eltwise/rows';
import { vexp, vlog1p01 } from '../eltwise/vmath';
import { checkDims, checkRegion } from '../checks';

/** The losses' entry contract (debug binary): m, n ≥ 0; Z and Y m·n floats; w m floats, out and grad m·n floats when given. */
@inline
function checkLoss(zPtr: usize, yPtr: usize, wPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(m >= 0 && n >= 0, 'loss kernel: m and n must be >= 0');
  }
  const bytes = m >= 0 && n >= 0 ? (<usize>m * <usize>n) << 2 : 0;
  if (!ASC_NO_ASSERT) {
    checkRegion(zPtr, bytes, 4, 'loss kernel: Z must be 4-byte aligned with m*n floats inside the memory');
    checkRegion(yPtr, bytes, 4, 'loss kernel: Y must be 4-byte aligned with m*n floats inside the memory');
    checkRegion(wPtr, wPtr ? <usize>max(m, 0) << 2 : 0, 4, 'loss kernel: w must be 4-byte aligned with m floats inside the memory');
    checkRegion(outPtr, outPtr ? bytes : 0, 4, 'loss kernel: out must be 4-byte aligned with m*n floats inside the memory');
    checkRegion(gradPtr, gradPtr ? bytes : 0, 4, 'loss kernel: grad must be 4-byte aligned with m*n floats inside the memory');
  }
}

@inline
function hsum(v01: v128, v23: v128): f64 {
  return f64x2.extract_lane(v01, 0) + f64x2.extract_lane(v01, 1) + f64x2.extract_lane(v23, 0) + f64x2.extract_lane(v23, 1);
}

@inline
function tailMask(rem: usize): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(<i32>rem));
}

// One row of the fused softmax cross-entropy: returns loss_i; probabilities to dst (outPtr's row,
// else the gradient's row as scratch), the gradient (p − y)·scale to gRow when gRow ≠ 0.
@inline
function xentRow(zRow: usize, yRow: usize, dst: usize, gRow: usize, c: usize, probsOut: bool, scale: f32): f64 {
  const zmax = maxOf(zRow, c);
  const sum = expShiftSum(zRow, dst, c, zmax);
  const logSum = Math.log(sum);
  const vmax = f32x4.splat(zmax);
  // loss_i = Σ_j y_j·(max − z_j) + (Σ_j y_j)·log Σ e^{z−max}
  let vd01 = f64x2.splat(0);
  let vd23 = f64x2.splat(0);
  let vy01 = f64x2.splat(0);
  let vy23 = f64x2.splat(0);
  for (let j: usize = 0; j < c; j += 4) {
    const rem = c - j < 4 ? c - j : 4;
    const vy = loadN(yRow + (j << 2), rem);
    const vd = f32x4.mul(vy, f32x4.sub(vmax, loadN(zRow + (j << 2), rem)));
    const keep = tailMask(rem);
    const vdk = v128.and(vd, keep);
    vd01 = f64x2.add(vd01, f64x2.promote_low_f32x4(vdk));
    vd23 = f64x2.add(vd23, f64x2.promote_low_f32x4(v128.shuffle<f32>(vdk, vdk, 2, 3, 0, 1)));
    vy01 = f64x2.add(vy01, f64x2.promote_low_f32x4(vy));
    vy23 = f64x2.add(vy23, f64x2.promote_low_f32x4(v128.shuffle<f32>(vy, vy, 2, 3, 0, 1)));
  }
  const loss = hsum(vd01, vd23) + hsum(vy01, vy23) * logSum;
  const inv = <f32>(1.0 / sum);
  if (probsOut) scaleInPlace(dst, c, inv);
  if (gRow) {
    const vinv = f32x4.splat(probsOut ? 1 : inv);
    const vscale = f32x4.splat(scale);
    for (let j: usize = 0; j < c; j += 4) {
      const rem = c - j < 4 ? c - j : 4;
      const vp = f32x4.mul(loadN(dst + (j << 2), rem), vinv);
      storeN(gRow + (j << 2), f32x4.mul(f32x4.sub(vp, loadN(yRow + (j << 2), rem)), vscale), rem);
    }
  }
  return loss;
}

export function f32_softmax_xent(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32): f64 {
  if (!ASC_NO_ASSERT) {
    checkLoss(zPtr, yPtr, 0, outPtr, gradPtr, m, n);
  }
  if (m <= 0) return 0;
  const c = <usize>n;
  const invm = <f32>(1.0 / <f64>m);
  let total: f64 = 0;
  for (let i = 0; i < m; i++) {
    const off = <usize>i * c << 2;
    const dst = outPtr ? outPtr + off : (gradPtr ? gradPtr + off : 0);
    total += xentRow(zPtr + off, yPtr + off, dst, gradPtr ? gradPtr + off : 0, c, outPtr != 0, invm);
  }
  return total / <f64>m;
}

// Σ of the binary cross-entropy over `count` contiguous elements; σ(z) to outPtr, (σ(z) − y)·scale to gradPtr.
@inline
function bceSpan(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, count: usize, scale: f32): f64 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const vscale = f32x4.splat(scale);
  let vacc01 = f64x2.splat(0);
  let vacc23 = f64x2.splat(0);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vz = loadN(zPtr + o, rem);
    const vy = loadN(yPtr + o, rem);
    const ve = vexp(f32x4.neg(f32x4.abs(vz)));
    let vl = f32x4.add(f32x4.sub(f32x4.max(vz, zero), f32x4.mul(vz, vy)), vlog1p01(ve));
    vl = v128.and(vl, tailMask(rem));
    vacc01 = f64x2.add(vacc01, f64x2.promote_low_f32x4(vl));
    vacc23 = f64x2.add(vacc23, f64x2.promote_low_f32x4(v128.shuffle<f32>(vl, vl, 2, 3, 0, 1)));
    if (outPtr || gradPtr) {
      const vs = f32x4.div(one, f32x4.add(one, ve));
      const vsig = v128.bitselect(vs, f32x4.mul(ve, vs), f32x4.ge(vz, zero));
      if (outPtr) storeN(outPtr + o, vsig, rem);
      if (gradPtr) storeN(gradPtr + o, f32x4.mul(f32x4.sub(vsig, vy), vscale), rem);
    }
  }
  return hsum(vacc01, vacc23);
}

export function f32_sigmoid_bce(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32): f64 {
  if (!ASC_NO_ASSERT) {
    checkLoss(zPtr, yPtr, 0, outPtr, gradPtr, m, n);
  }
  if (m <= 0) return 0;
  return bceSpan(zPtr, yPtr, outPtr, gradPtr, <usize>m * <usize>n, <f32>(1.0 / <f64>m)) / <f64>m;
}

// Σ of the squared error over `count` contiguous elements; ŷ to outPtr, (ŷ − y)·scale to gradPtr.
@inline
function mseSpan(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, count: usize, scale: f32): f64 {
  const vg = f32x4.splat(scale);
  let vacc01 = f64x2.splat(0);
  let vacc23 = f64x2.splat(0);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vz = loadN(zPtr + o, rem);
    const vd = f32x4.sub(vz, loadN(yPtr + o, rem));
    const vd01 = f64x2.promote_low_f32x4(vd);
    const vd23 = f64x2.promote_low_f32x4(v128.shuffle<f32>(vd, vd, 2, 3, 0, 1));
    vacc01 = f64x2.add(vacc01, f64x2.mul(vd01, vd01));
    vacc23 = f64x2.add(vacc23, f64x2.mul(vd23, vd23));
    if (outPtr) storeN(outPtr + o, vz, rem);
    if (gradPtr) storeN(gradPtr + o, f32x4.mul(vd, vg), rem);
  }
  return hsum(vacc01, vacc23);
}

export function f32_mse(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32): f64 {
  if (!ASC_NO_ASSERT) {
    checkLoss(zPtr, yPtr, 0, outPtr, gradPtr, m, n);
  }
  if (m <= 0) return 0;
  return mseSpan(zPtr, yPtr, outPtr, gradPtr, <usize>m * <usize>n, <f32>(2.0 / <f64>m)) / <f64>m;
}

// Weighted by row: w[i] (f32 at wPtr) multiplies loss_i and the gradient of row i; the result is
// (1/m)·Σ_i w_i·loss_i, stored at lossPtr (class weights and sample weights in training).
export function f32_softmax_xent_w_to(zPtr: usize, yPtr: usize, wPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32, lossPtr: usize): void {
  if (!ASC_NO_ASSERT) {
    checkLoss(zPtr, yPtr, wPtr, outPtr, gradPtr, m, n);
    checkRegion(lossPtr, 8, 8, 'loss kernel: lossPtr must be 8-byte aligned inside the memory');
  }
  const c = <usize>n;
  const invm = <f32>(1.0 / <f64>m);
  let total: f64 = 0;
  for (let i = 0; i < m; i++) {
    const off = <usize>i * c << 2;
    const w = load<f32>(wPtr + (<usize>i << 2));
    const dst = outPtr ? outPtr + off : (gradPtr ? gradPtr + off : 0);
    total += <f64>w * xentRow(zPtr + off, yPtr + off, dst, gradPtr ? gradPtr + off : 0, c, outPtr != 0, invm * w);
  }
  store<f64>(lossPtr, m > 0 ? total / <f64>m : 0);
}

export function f32_sigmoid_bce_w_to(zPtr: usize, yPtr: usize, wPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32, lossPtr: usize): void {
  if (!ASC_NO_ASSERT) {
    checkLoss(zPtr, yPtr, wPtr, outPtr, gradPtr, m, n);
    checkRegion(lossPtr, 8, 8, 'loss kernel: lossPtr must be 8-byte aligned inside the memory');
  }
  const c = <usize>n;
  const invm = <f32>(1.0 / <f64>m);
  let total: f64 = 0;
  for (let i = 0; i < m; i++) {
    const off = <usize>i * c << 2;
    const w = load<f32>(wPtr + (<usize>i << 2));
    total += <f64>w * bceSpan(zPtr + off, yPtr + off, outPtr ? outPtr + off : 0, gradPtr ? gradPtr + off : 0, c, invm * w);
  }
  store<f64>(lossPtr, m > 0 ? total / <f64>m : 0);
}

export function f32_mse_w_to(zPtr: usize, yPtr: usize, wPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32, lossPtr: usize): void {
  if (!ASC_NO_ASSERT) {
    checkLoss(zPtr, yPtr, wPtr, outPtr, gradPtr, m, n);
    checkRegion(lossPtr, 8, 8, 'loss kernel: lossPtr must be 8-byte aligned inside the memory');
  }
  const c = <usize>n;
  const g = <f32>(2.0 / <f64>m);
  let total: f64 = 0;
  for (let i = 0; i < m; i++) {
    const off = <usize>i * c << 2;
    const w = load<f32>(wPtr + (<usize>i << 2));
    total += <f64>w * mseSpan(zPtr + off, yPtr + off, outPtr ? outPtr + off : 0, gradPtr ? gradPtr + off : 0, c, g * w);
  }
  store<f64>(lossPtr, m > 0 ? total / <f64>m : 0);
}

// The same losses storing the mean at lossPtr (an f64) instead of returning it. Training calls
// these: a JS caller receives an f64 result as a heap-allocated number whenever the engine does
// not inline the call, and a training step must allocate nothing.
export function f32_softmax_xent_to(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32, lossPtr: usize): void {
  store<f64>(lossPtr, f32_softmax_xent(zPtr, yPtr, outPtr, gradPtr, m, n));
}

export function f32_sigmoid_bce_to(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32, lossPtr: usize): void {
  store<f64>(lossPtr, f32_sigmoid_bce(zPtr, yPtr, outPtr, gradPtr, m, n));
}

export function f32_mse_to(zPtr: usize, yPtr: usize, outPtr: usize, gradPtr: usize, m: i32, n: i32, lossPtr: usize): void {
  store<f64>(lossPtr, f32_mse(zPtr, yPtr, outPtr, gradPtr, m, n));
}
