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
