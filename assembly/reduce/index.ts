// Reductions over n f32 values at ptr (any alignment): sums accumulate in f64 (each f32x4 is
// promoted to two f64x2 before adding), max/min in f32, argmax per row of A[m×n] (first maximum,
// 0 when the row has none, i.e. NaN), moments (5 f64 at an 8-byte aligned outPtr).

import { maxOf } from '../eltwise/rows';

@inline
function lane(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

@inline
function hi(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 0, 1);
}

export function f32_sum(ptr: usize, n: i32): f64 {
  const count = <usize>n;
  let vacc01 = f64x2.splat(0);
  let vacc23 = f64x2.splat(0);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const vx = load<v128>(ptr + (i << 2));
    vacc01 = f64x2.add(vacc01, f64x2.promote_low_f32x4(vx));
    vacc23 = f64x2.add(vacc23, f64x2.promote_low_f32x4(hi(vx)));
  }
  let s = lane(vacc01) + lane(vacc23);
  for (; i < count; i++) s += <f64>load<f32>(ptr + (i << 2));
  return s;
}

export function f32_sumsq(ptr: usize, n: i32): f64 {
  const count = <usize>n;
  let vacc01 = f64x2.splat(0);
  let vacc23 = f64x2.splat(0);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const vx = load<v128>(ptr + (i << 2));
    const vx01 = f64x2.promote_low_f32x4(vx);
    const vx23 = f64x2.promote_low_f32x4(hi(vx));
    vacc01 = f64x2.add(vacc01, f64x2.mul(vx01, vx01));
    vacc23 = f64x2.add(vacc23, f64x2.mul(vx23, vx23));
  }
  let s = lane(vacc01) + lane(vacc23);
  for (; i < count; i++) {
    const x = <f64>load<f32>(ptr + (i << 2));
    s += x * x;
  }
  return s;
}

export function f32_max(ptr: usize, n: i32): f32 {
  return maxOf(ptr, <usize>n);
}

export function f32_argmax_rows(aPtr: usize, outPtr: usize, m: i32, n: i32): void {
  const c = <usize>n;
  for (let r = 0; r < m; r++) {
    const row = aPtr + (<usize>r * c << 2);
    const best = maxOf(row, c);
    let idx: i32 = 0;
    for (let j: usize = 0; j < c; j++) {
      if (load<f32>(row + (j << 2)) == best) { idx = <i32>j; break; }
    }
    store<i32>(outPtr + (<usize>r << 2), idx);
  }
}

export function f32_moments(ptr: usize, n: i32, outPtr: usize): void {
  const count = <usize>n;
  const zero = f32x4.splat(0);
  let vs01 = f64x2.splat(0);
  let vs23 = f64x2.splat(0);
  let vq01 = f64x2.splat(0);
  let vq23 = f64x2.splat(0);
  let vmin = f32x4.splat(Infinity);
  let vmax = f32x4.splat(-Infinity);
  let vzeros = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const vx = load<v128>(ptr + (i << 2));
    const vx01 = f64x2.promote_low_f32x4(vx);
    const vx23 = f64x2.promote_low_f32x4(hi(vx));
    vs01 = f64x2.add(vs01, vx01);
    vs23 = f64x2.add(vs23, vx23);
    vq01 = f64x2.add(vq01, f64x2.mul(vx01, vx01));
    vq23 = f64x2.add(vq23, f64x2.mul(vx23, vx23));
    vmin = f32x4.min(vmin, vx);
    vmax = f32x4.max(vmax, vx);
    vzeros = i32x4.sub(vzeros, f32x4.eq(vx, zero));
  }
  let s = lane(vs01) + lane(vs23);
  let q = lane(vq01) + lane(vq23);
  let mn = min(min(f32x4.extract_lane(vmin, 0), f32x4.extract_lane(vmin, 1)), min(f32x4.extract_lane(vmin, 2), f32x4.extract_lane(vmin, 3)));
  let mx = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  let zeros = i32x4.extract_lane(vzeros, 0) + i32x4.extract_lane(vzeros, 1) + i32x4.extract_lane(vzeros, 2) + i32x4.extract_lane(vzeros, 3);
  for (; i < count; i++) {
    const x = load<f32>(ptr + (i << 2));
    const xd = <f64>x;
    s += xd;
    q += xd * xd;
    mn = min(mn, x);
    mx = max(mx, x);
    if (x == 0) zeros++;
  }
  store<f64>(outPtr, s);
  store<f64>(outPtr, q, 8);
  store<f64>(outPtr, <f64>mn, 16);
  store<f64>(outPtr, <f64>mx, 24);
  store<f64>(outPtr, <f64>zeros, 32);
}
