// Batch normalization per column j over the m rows of X[m×n] (f32, row-major, any alignment).
// Columns go 4 at a time (the last 1–3 through lanes.ts), rows strided; sums in f64 (f64x2 pairs).
// Training: mean, biased var (two passes), invstd = 1/√(var + eps) → invstdPtr[n], xhat → xhatPtr[m×n],
// y = gamma·xhat + beta; running = (1 − momentum)·running + momentum·batch, with the running var
// taken unbiased (·m/(m−1)) when m > 1; for m = 1 the batch var is 0 and enters unscaled.
// Backward: dgamma = Σ dy·xhat, dbeta = Σ dy (overwritten); dx = (gamma·invstd/m)·(m·dy − dbeta − xhat·dgamma).

import { madd } from '../simd';
import { loadN, storeN } from '../eltwise/lanes';

@inline
function narrow(v01: v128, v23: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(v01), f32x4.demote_f64x2_zero(v23), 0, 1, 4, 5);
}

@inline
function hi(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 0, 1);
}

export function f32_batchnorm_fwd_train(xPtr: usize, gammaPtr: usize, betaPtr: usize, yPtr: usize, xhatPtr: usize, invstdPtr: usize,
  runMeanPtr: usize, runVarPtr: usize, m: i32, n: i32, momentum: f64, eps: f32): void {
  if (m <= 0) return;
  const c = <usize>n;
  const rowBytes = c << 2;
  const vm = f64x2.splat(<f64>m);
  const veps = f64x2.splat(<f64>eps);
  const factor: f64 = m > 1 ? <f64>m / <f64>(m - 1) : 1;
  const vmom = f32x4.splat(<f32>momentum);
  const vkeep = f32x4.splat(<f32>(1 - momentum));
  for (let j: usize = 0; j < c; j += 4) {
    const rem = c - j < 4 ? c - j : 4;
    const col = j << 2;
    let vs01 = f64x2.splat(0);
    let vs23 = f64x2.splat(0);
    for (let r = 0; r < m; r++) {
      const vx = loadN(xPtr + <usize>r * rowBytes + col, rem);
      vs01 = f64x2.add(vs01, f64x2.promote_low_f32x4(vx));
      vs23 = f64x2.add(vs23, f64x2.promote_low_f32x4(hi(vx)));
    }
    const vmean = narrow(f64x2.div(vs01, vm), f64x2.div(vs23, vm));
    let vq01 = f64x2.splat(0);
    let vq23 = f64x2.splat(0);
    for (let r = 0; r < m; r++) {
      const vd = f32x4.sub(loadN(xPtr + <usize>r * rowBytes + col, rem), vmean);
      const vd01 = f64x2.promote_low_f32x4(vd);
      const vd23 = f64x2.promote_low_f32x4(hi(vd));
      vq01 = f64x2.add(vq01, f64x2.mul(vd01, vd01));
      vq23 = f64x2.add(vq23, f64x2.mul(vd23, vd23));
    }
    const vvar01 = f64x2.div(vq01, vm);
    const vvar23 = f64x2.div(vq23, vm);
    const one = f64x2.splat(1);
    const vinv = narrow(f64x2.div(one, f64x2.sqrt(f64x2.add(vvar01, veps))), f64x2.div(one, f64x2.sqrt(f64x2.add(vvar23, veps))));
    storeN(invstdPtr + col, vinv, rem);
    const vgamma = loadN(gammaPtr + col, rem);
    const vbeta = loadN(betaPtr + col, rem);
    for (let r = 0; r < m; r++) {
      const o = <usize>r * rowBytes + col;
      const vxhat = f32x4.mul(f32x4.sub(loadN(xPtr + o, rem), vmean), vinv);
      storeN(xhatPtr + o, vxhat, rem);
      storeN(yPtr + o, madd(vgamma, vxhat, vbeta), rem);
    }
    const vf = f64x2.splat(factor);
    const vvarU = narrow(f64x2.mul(vvar01, vf), f64x2.mul(vvar23, vf));
    storeN(runMeanPtr + col, madd(vkeep, loadN(runMeanPtr + col, rem), f32x4.mul(vmom, vmean)), rem);
    storeN(runVarPtr + col, madd(vkeep, loadN(runVarPtr + col, rem), f32x4.mul(vmom, vvarU)), rem);
  }
}

export function f32_batchnorm_fwd_infer(xPtr: usize, gammaPtr: usize, betaPtr: usize, runMeanPtr: usize, runVarPtr: usize, yPtr: usize,
  m: i32, n: i32, eps: f32): void {
  const c = <usize>n;
  const rowBytes = c << 2;
  const veps = f32x4.splat(eps);
  for (let j: usize = 0; j < c; j += 4) {
    const rem = c - j < 4 ? c - j : 4;
    const col = j << 2;
    const vscale = f32x4.div(loadN(gammaPtr + col, rem), f32x4.sqrt(f32x4.add(loadN(runVarPtr + col, rem), veps)));
    const vmean = loadN(runMeanPtr + col, rem);
    const vbeta = loadN(betaPtr + col, rem);
    for (let r = 0; r < m; r++) {
      const o = <usize>r * rowBytes + col;
      storeN(yPtr + o, madd(f32x4.sub(loadN(xPtr + o, rem), vmean), vscale, vbeta), rem);
    }
  }
}

export function f32_batchnorm_bwd(dyPtr: usize, xhatPtr: usize, gammaPtr: usize, invstdPtr: usize, dxPtr: usize, dgammaPtr: usize,
  dbetaPtr: usize, m: i32, n: i32): void {
  const c = <usize>n;
  const rowBytes = c << 2;
  const vmf = f32x4.splat(<f32>m);
  for (let j: usize = 0; j < c; j += 4) {
    const rem = c - j < 4 ? c - j : 4;
    const col = j << 2;
    let vb01 = f64x2.splat(0);
    let vb23 = f64x2.splat(0);
    let vg01 = f64x2.splat(0);
    let vg23 = f64x2.splat(0);
    for (let r = 0; r < m; r++) {
      const o = <usize>r * rowBytes + col;
      const vdy = loadN(dyPtr + o, rem);
      const vdyx = f32x4.mul(vdy, loadN(xhatPtr + o, rem));
      vb01 = f64x2.add(vb01, f64x2.promote_low_f32x4(vdy));
      vb23 = f64x2.add(vb23, f64x2.promote_low_f32x4(hi(vdy)));
      vg01 = f64x2.add(vg01, f64x2.promote_low_f32x4(vdyx));
      vg23 = f64x2.add(vg23, f64x2.promote_low_f32x4(hi(vdyx)));
    }
    const vdbeta = narrow(vb01, vb23);
    const vdgamma = narrow(vg01, vg23);
    storeN(dbetaPtr + col, vdbeta, rem);
    storeN(dgammaPtr + col, vdgamma, rem);
    if (m <= 0) continue;
    const vk = f32x4.div(f32x4.mul(loadN(gammaPtr + col, rem), loadN(invstdPtr + col, rem)), vmf);
    for (let r = 0; r < m; r++) {
      const o = <usize>r * rowBytes + col;
      const vt = f32x4.sub(f32x4.sub(f32x4.mul(vmf, loadN(dyPtr + o, rem)), vdbeta), f32x4.mul(loadN(xhatPtr + o, rem), vdgamma));
      storeN(dxPtr + o, f32x4.mul(vk, vt), rem);
    }
  }
}
