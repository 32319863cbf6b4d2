// Optimizer steps on one parameter buffer p[n] with its gradient g[n] (f32, any alignment) and
// state buffers of n floats, PyTorch conventions (see src/kernels/abi.ts). Decay rates arrive as f64
// so 1 − β is formed before rounding to f32 (1 − f32(0.999) would be off by 1.3e-5 relative). f32x4 body; the tail of
// 1–3 floats goes through the same lane arithmetic (lanes.ts), nothing past n is touched.

import { madd } from '../simd';
import { checkDims, checkRegion } from '../checks';
import { loadN, storeN } from '../eltwise/lanes';

export function f32_sgd_step(pPtr: usize, gPtr: usize, n: i32, lr: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_sgd_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_sgd_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_sgd_step: gPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const vnlr = f32x4.splat(-lr);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    storeN(pPtr + o, madd(vnlr, loadN(gPtr + o, rem), loadN(pPtr + o, rem)), rem);
  }
}

export function f32_momentum_step(pPtr: usize, gPtr: usize, vPtr: usize, n: i32, lr: f32, mu: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_momentum_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_momentum_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_momentum_step: gPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(vPtr, <usize>max(n, 0) << 2, 4, 'f32_momentum_step: vPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const vnlr = f32x4.splat(-lr);
  const vmu = f32x4.splat(mu);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vv = madd(vmu, loadN(vPtr + o, rem), loadN(gPtr + o, rem));
    storeN(vPtr + o, vv, rem);
    storeN(pPtr + o, madd(vnlr, vv, loadN(pPtr + o, rem)), rem);
  }
}

export function f32_nesterov_step(pPtr: usize, gPtr: usize, vPtr: usize, n: i32, lr: f32, mu: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_nesterov_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_nesterov_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_nesterov_step: gPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(vPtr, <usize>max(n, 0) << 2, 4, 'f32_nesterov_step: vPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const vnlr = f32x4.splat(-lr);
  const vmu = f32x4.splat(mu);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vg = loadN(gPtr + o, rem);
    const vv = madd(vmu, loadN(vPtr + o, rem), vg);
    storeN(vPtr + o, vv, rem);
    storeN(pPtr + o, madd(vnlr, madd(vmu, vv, vg), loadN(pPtr + o, rem)), rem);
  }
}

export function f32_adam_step(pPtr: usize, gPtr: usize, mPtr: usize, vPtr: usize, n: i32, lr: f64, b1: f64, b2: f64, eps: f64,
  c1: f64, c2: f64, wd: f64): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_adam_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_adam_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_adam_step: gPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(mPtr, <usize>max(n, 0) << 2, 4, 'f32_adam_step: mPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(vPtr, <usize>max(n, 0) << 2, 4, 'f32_adam_step: vPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const vb1 = f32x4.splat(<f32>b1);
  const vb2 = f32x4.splat(<f32>b2);
  const v1b1 = f32x4.splat(<f32>(1 - b1));
  const v1b2 = f32x4.splat(<f32>(1 - b2));
  const veps = f32x4.splat(<f32>eps);
  const vc1 = f32x4.splat(<f32>c1);
  const vc2 = f32x4.splat(<f32>c2);
  const vnlr = f32x4.splat(<f32>-lr);
  const vdecay = f32x4.splat(<f32>(1 - lr * wd));
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vg = loadN(gPtr + o, rem);
    let vp = loadN(pPtr + o, rem);
    if (wd != 0) vp = f32x4.mul(vp, vdecay);
    const vm = madd(vb1, loadN(mPtr + o, rem), f32x4.mul(v1b1, vg));
    const vv = madd(vb2, loadN(vPtr + o, rem), f32x4.mul(v1b2, f32x4.mul(vg, vg)));
    storeN(mPtr + o, vm, rem);
    storeN(vPtr + o, vv, rem);
    const vstep = f32x4.div(f32x4.mul(vm, vc1), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
    storeN(pPtr + o, madd(vnlr, vstep, vp), rem);
  }
}

export function f32_nadam_step(pPtr: usize, gPtr: usize, mPtr: usize, vPtr: usize, n: i32, lr: f64, b1: f64, b2: f64, eps: f64,
  cg: f64, cm: f64, c2: f64): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_nadam_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_nadam_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_nadam_step: gPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(mPtr, <usize>max(n, 0) << 2, 4, 'f32_nadam_step: mPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(vPtr, <usize>max(n, 0) << 2, 4, 'f32_nadam_step: vPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const vb1 = f32x4.splat(<f32>b1);
  const vb2 = f32x4.splat(<f32>b2);
  const v1b1 = f32x4.splat(<f32>(1 - b1));
  const v1b2 = f32x4.splat(<f32>(1 - b2));
  const veps = f32x4.splat(<f32>eps);
  const vc2 = f32x4.splat(<f32>c2);
  const vncg = f32x4.splat(<f32>(-lr * cg));
  const vncm = f32x4.splat(<f32>(-lr * cm));
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vg = loadN(gPtr + o, rem);
    const vm = madd(vb1, loadN(mPtr + o, rem), f32x4.mul(v1b1, vg));
    const vv = madd(vb2, loadN(vPtr + o, rem), f32x4.mul(v1b2, f32x4.mul(vg, vg)));
    storeN(mPtr + o, vm, rem);
    storeN(vPtr + o, vv, rem);
    const vdenom = f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps);
    storeN(pPtr + o, f32x4.add(loadN(pPtr + o, rem), f32x4.div(madd(vncm, vm, f32x4.mul(vncg, vg)), vdenom)), rem);
  }
}

export function f32_amsgrad_step(pPtr: usize, gPtr: usize, mPtr: usize, vPtr: usize, vmaxPtr: usize, n: i32, lr: f64, b1: f64, b2: f64,
  eps: f64, c1: f64, c2: f64): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_amsgrad_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_amsgrad_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_amsgrad_step: gPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(mPtr, <usize>max(n, 0) << 2, 4, 'f32_amsgrad_step: mPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(vPtr, <usize>max(n, 0) << 2, 4, 'f32_amsgrad_step: vPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(vmaxPtr, <usize>max(n, 0) << 2, 4, 'f32_amsgrad_step: vmaxPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const vb1 = f32x4.splat(<f32>b1);
  const vb2 = f32x4.splat(<f32>b2);
  const v1b1 = f32x4.splat(<f32>(1 - b1));
  const v1b2 = f32x4.splat(<f32>(1 - b2));
  const veps = f32x4.splat(<f32>eps);
  const vc1 = f32x4.splat(<f32>c1);
  const vc2 = f32x4.splat(<f32>c2);
  const vnlr = f32x4.splat(<f32>-lr);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vg = loadN(gPtr + o, rem);
    const vm = madd(vb1, loadN(mPtr + o, rem), f32x4.mul(v1b1, vg));
    const vv = madd(vb2, loadN(vPtr + o, rem), f32x4.mul(v1b2, f32x4.mul(vg, vg)));
    const vmax = f32x4.max(loadN(vmaxPtr + o, rem), vv);
    storeN(mPtr + o, vm, rem);
    storeN(vPtr + o, vv, rem);
    storeN(vmaxPtr + o, vmax, rem);
    const vstep = f32x4.div(f32x4.mul(vm, vc1), f32x4.add(f32x4.sqrt(f32x4.mul(vmax, vc2)), veps));
    storeN(pPtr + o, madd(vnlr, vstep, loadN(pPtr + o, rem)), rem);
  }
}

export function f32_rmsprop_step(pPtr: usize, gPtr: usize, vPtr: usize, n: i32, lr: f32, rho: f64, eps: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_rmsprop_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_rmsprop_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_rmsprop_step: gPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(vPtr, <usize>max(n, 0) << 2, 4, 'f32_rmsprop_step: vPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const vrho = f32x4.splat(<f32>rho);
  const v1rho = f32x4.splat(<f32>(1 - rho));
  const veps = f32x4.splat(eps);
  const vnlr = f32x4.splat(-lr);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vg = loadN(gPtr + o, rem);
    const vv = madd(vrho, loadN(vPtr + o, rem), f32x4.mul(v1rho, f32x4.mul(vg, vg)));
    storeN(vPtr + o, vv, rem);
    storeN(pPtr + o, madd(vnlr, f32x4.div(vg, f32x4.add(f32x4.sqrt(vv), veps)), loadN(pPtr + o, rem)), rem);
  }
}

export function f32_adagrad_step(pPtr: usize, gPtr: usize, sPtr: usize, n: i32, lr: f32, eps: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_adagrad_step: n must be >= 0');
    checkRegion(pPtr, <usize>max(n, 0) << 2, 4, 'f32_adagrad_step: pPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(gPtr, <usize>max(n, 0) << 2, 4, 'f32_adagrad_step: gPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(sPtr, <usize>max(n, 0) << 2, 4, 'f32_adagrad_step: sPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const veps = f32x4.splat(eps);
  const vnlr = f32x4.splat(-lr);
  for (let i: usize = 0; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    const vg = loadN(gPtr + o, rem);
    const vs = madd(vg, vg, loadN(sPtr + o, rem));
    storeN(sPtr + o, vs, rem);
    storeN(pPtr + o, madd(vnlr, f32x4.div(vg, f32x4.add(f32x4.sqrt(vs), veps)), loadN(pPtr + o, rem)), rem);
  }
}
