// f32x4 elementary functions for activations, softmax and losses. Branch-free, NaN in → NaN out.
//
// vexp: Cody–Waite reduction x = n·ln2 + r (|r| ≤ ln2/2, ln2 split hi/lo), e^r by its degree-7
//   Taylor polynomial (truncation ≤ 6e-9), times 2^n built in the exponent bits. x is clamped to
//   [ln 2^-126, ln 2^127.5] so 2^n stays a normal float (no overflow to Infinity or NaN), and
//   x < ln 2^-126 flushes to 0 (so e^-1e4 = 0 exactly). Relative error ≈ 2e-7 (measured in tests).
// vtanh: |x| < 0.5 odd Taylor polynomial to x^17 (relative accuracy near 0), else 1 − 2/(e^{2|x|}+1).
// vsigmoid: 1/(1+e^{−|x|}) mirrored for x < 0, so σ(±1e4) is exactly 1 / 0.
// vlog1p01: log(1+u) for u ∈ [0, 1] as 2·atanh(s), s = u/(2+u) ≤ 1/3, series to s^15.
// vphi: the normal CDF Φ(x) = erfc(−x/√2)/2 with the Chebyshev-fitted erfc of Numerical Recipes
//   (erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1+z/2), fractional error < 1.2e-7 for z ≥ 0).
// vatan: reduction to |t| ≤ tan(π/8) (1/x and (x−1)/(x+1)), odd Taylor series to t^23.

import { madd } from '../simd';

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;
// @ts-ignore: decorator
@inline const EXP_HI: f32 = 88.3762626647949;
// @ts-ignore: decorator
@inline const EXP_LO: f32 = -87.3365447505531;

@inline
export function vsplat(x: f32): v128 {
  return f32x4.splat(x);
}

@inline
export function vexp(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const vn = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = madd(vn, f32x4.splat(-LN2_HI), xc);
  r = madd(vn, f32x4.splat(-LN2_LO), r);
  let p = madd(r, f32x4.splat(1.0 / 5040.0), f32x4.splat(1.0 / 720.0));
  p = madd(p, r, f32x4.splat(1.0 / 120.0));
  p = madd(p, r, f32x4.splat(1.0 / 24.0));
  p = madd(p, r, f32x4.splat(1.0 / 6.0));
  p = madd(p, r, f32x4.splat(0.5));
  p = madd(p, r, f32x4.splat(1.0));
  p = madd(p, r, f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(vn), i32x4.splat(127)), 23);
  // lanes below EXP_LO underflow to 0 (NaN lanes compare false and stay NaN)
  return v128.andnot(f32x4.mul(p, scale), f32x4.lt(x, f32x4.splat(EXP_LO)));
}

@inline
export function vtanh(x: v128): v128 {
  const sign = i32x4.splat(0x80000000);
  const a = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = madd(z, f32x4.splat(<f32>(6404582.0 / 10854718875.0)), f32x4.splat(<f32>(-929569.0 / 638512875.0)));
  p = madd(p, z, f32x4.splat(<f32>(21844.0 / 6081075.0)));
  p = madd(p, z, f32x4.splat(<f32>(-1382.0 / 155925.0)));
  p = madd(p, z, f32x4.splat(<f32>(62.0 / 2835.0)));
  p = madd(p, z, f32x4.splat(<f32>(-17.0 / 315.0)));
  p = madd(p, z, f32x4.splat(<f32>(2.0 / 15.0)));
  p = madd(p, z, f32x4.splat(<f32>(-1.0 / 3.0)));
  const small = madd(f32x4.mul(p, z), x, x);
  const e = vexp(f32x4.add(a, a));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const bigSigned = v128.bitselect(x, big, sign);
  return v128.bitselect(small, bigSigned, f32x4.lt(a, f32x4.splat(0.5)));
}

@inline
export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, f32x4.splat(0)));
}

@inline
export function vlog1p01(u: v128): v128 {
  const s = f32x4.div(u, f32x4.add(u, f32x4.splat(2)));
  const z = f32x4.mul(s, s);
  let p = madd(z, f32x4.splat(<f32>(1.0 / 15.0)), f32x4.splat(<f32>(1.0 / 13.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 11.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 9.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 7.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 5.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 3.0)));
  const s2 = f32x4.add(s, s);
  return madd(f32x4.mul(p, z), s2, s2);
}

/** erfc(z) for z ≥ 0 (fractional error < 1.2e-7 plus vexp's). */
@inline
export function verfcPos(z: v128): v128 {
  const t = f32x4.div(f32x4.splat(1), madd(z, f32x4.splat(0.5), f32x4.splat(1)));
  let p = madd(t, f32x4.splat(0.17087277), f32x4.splat(-0.82215223));
  p = madd(p, t, f32x4.splat(1.48851587));
  p = madd(p, t, f32x4.splat(-1.13520398));
  p = madd(p, t, f32x4.splat(0.27886807));
  p = madd(p, t, f32x4.splat(-0.18628806));
  p = madd(p, t, f32x4.splat(0.09678418));
  p = madd(p, t, f32x4.splat(0.37409196));
  p = madd(p, t, f32x4.splat(1.00002368));
  p = madd(p, t, f32x4.splat(-1.26551223));
  return f32x4.mul(t, vexp(f32x4.sub(p, f32x4.mul(z, z))));
}

/** Φ(x), the standard normal CDF. */
@inline
export function vphi(x: v128): v128 {
  const half = f32x4.mul(verfcPos(f32x4.mul(f32x4.abs(x), f32x4.splat(<f32>0.70710678118654752))), f32x4.splat(0.5));
  return v128.bitselect(half, f32x4.sub(f32x4.splat(1), half), f32x4.lt(x, f32x4.splat(0)));
}

@inline
export function vatan(x: v128): v128 {
  const sign = i32x4.splat(0x80000000);
  const a = f32x4.abs(x);
  const inv = f32x4.gt(a, f32x4.splat(1));
  const a1 = v128.bitselect(f32x4.div(f32x4.splat(1), a), a, inv);
  const mid = f32x4.gt(a1, f32x4.splat(<f32>0.41421356237309505));
  const t = v128.bitselect(f32x4.div(f32x4.sub(a1, f32x4.splat(1)), f32x4.add(a1, f32x4.splat(1))), a1, mid);
  const z = f32x4.mul(t, t);
  let p = madd(z, f32x4.splat(<f32>(-1.0 / 23.0)), f32x4.splat(<f32>(1.0 / 21.0)));
  p = madd(p, z, f32x4.splat(<f32>(-1.0 / 19.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 17.0)));
  p = madd(p, z, f32x4.splat(<f32>(-1.0 / 15.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 13.0)));
  p = madd(p, z, f32x4.splat(<f32>(-1.0 / 11.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 9.0)));
  p = madd(p, z, f32x4.splat(<f32>(-1.0 / 7.0)));
  p = madd(p, z, f32x4.splat(<f32>(1.0 / 5.0)));
  p = madd(p, z, f32x4.splat(<f32>(-1.0 / 3.0)));
  let r = madd(f32x4.mul(p, z), t, t);
  r = f32x4.add(r, v128.and(mid, f32x4.splat(<f32>0.78539816339744831)));
  r = v128.bitselect(f32x4.sub(f32x4.splat(<f32>1.5707963267948966), r), r, inv);
  return v128.bitselect(x, r, sign);
}
