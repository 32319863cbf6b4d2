// Row helpers shared by softmax, the fused losses and the reductions (inlined, not exports):
// the maximum of a row, e^{z − shift} with its f64 sum, and an in-place scale. Any alignment.

import { loadTail, storeTail } from './lanes';
import { vexp } from './vmath';

/** max of n floats at ptr (−Infinity for n = 0; NaN lanes are skipped as f32x4.max and max skip them). */
@inline
export function maxOf(ptr: usize, n: usize): f32 {
  let vmax = f32x4.splat(-Infinity);
  let j: usize = 0;
  for (; j + 4 <= n; j += 4) vmax = f32x4.max(vmax, load<v128>(ptr + (j << 2)));
  let m = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  for (; j < n; j++) m = max(m, load<f32>(ptr + (j << 2)));
  return m;
}

/** out[j] = e^{z[j] − shift} for n floats (not stored when outPtr = 0); returns Σ e in f64. */
@inline
export function expShiftSum(zPtr: usize, outPtr: usize, n: usize, shift: f32): f64 {
  const vs = f32x4.splat(shift);
  let vacc01 = f64x2.splat(0);
  let vacc23 = f64x2.splat(0);
  let j: usize = 0;
  for (; j + 4 <= n; j += 4) {
    const ve = vexp(f32x4.sub(load<v128>(zPtr + (j << 2)), vs));
    if (outPtr) store<v128>(outPtr + (j << 2), ve);
    vacc01 = f64x2.add(vacc01, f64x2.promote_low_f32x4(ve));
    vacc23 = f64x2.add(vacc23, f64x2.promote_low_f32x4(v128.shuffle<f32>(ve, ve, 2, 3, 0, 1)));
  }
  let sum = f64x2.extract_lane(vacc01, 0) + f64x2.extract_lane(vacc01, 1) + f64x2.extract_lane(vacc23, 0) + f64x2.extract_lane(vacc23, 1);
  if (j < n) {
    const rem = n - j;
    const ve = vexp(f32x4.sub(loadTail(zPtr + (j << 2), rem), vs));
    if (outPtr) storeTail(outPtr + (j << 2), ve, rem);
    sum += <f64>f32x4.extract_lane(ve, 0);
    if (rem > 1) sum += <f64>f32x4.extract_lane(ve, 1);
    if (rem > 2) sum += <f64>f32x4.extract_lane(ve, 2);
  }
  return sum;
}

/** x[j] *= s for n floats. */
@inline
export function scaleInPlace(ptr: usize, n: usize, s: f32): void {
  const vs = f32x4.splat(s);
  let j: usize = 0;
  for (; j + 4 <= n; j += 4) store<v128>(ptr + (j << 2), f32x4.mul(load<v128>(ptr + (j << 2)), vs));
  for (; j < n; j++) store<f32>(ptr + (j << 2), load<f32>(ptr + (j << 2)) * s);
}
