// Row-wise softmax of Z[m×n] (f32, row-major, any alignment): p = e^{z − max}/Σ e^{z − max}, the
// sum accumulated in f64.

import { expShiftSum, maxOf, scaleInPlace } from './rows';

export function f32_softmax_fwd(zPtr: usize, pPtr: usize, m: i32, n: i32): void {
  const c = <usize>n;
  for (let i = 0; i < m; i++) {
    const zRow = zPtr + (<usize>i * c << 2);
    const pRow = pPtr + (<usize>i * c << 2);
    const sum = expShiftSum(zRow, pRow, c, maxOf(zRow, c));
    scaleInPlace(pRow, c, <f32>(1.0 / sum));
  }
}

/** Row-wise log-softmax: out = (z − max) − log Σ e^{z − max}, the sum in f64; finite for finite z; in place allowed. */
export function f32_log_softmax_fwd(zPtr: usize, outPtr: usize, m: i32, n: i32): void {
  const c = <usize>n;
  for (let i = 0; i < m; i++) {
    const zRow = zPtr + (<usize>i * c << 2);
    const oRow = outPtr + (<usize>i * c << 2);
    const mx = maxOf(zRow, c);
    const vlog = f32x4.splat(<f32>Math.log(expShiftSum(zRow, 0, c, mx)));
    const vmx = f32x4.splat(mx);
    let j: usize = 0;
    for (; j + 4 <= c; j += 4) store<v128>(oRow + (j << 2), f32x4.sub(f32x4.sub(load<v128>(zRow + (j << 2)), vmx), vlog));
    const lg = f32x4.extract_lane(vlog, 0);
    for (; j < c; j++) store<f32>(oRow + (j << 2), (load<f32>(zRow + (j << 2)) - mx) - lg);
  }
}
