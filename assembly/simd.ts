// The one place that switches between baseline and relaxed SIMD.
// madd(a, b, c) = a * b + c per f32 lane. With relaxed SIMD it may be fused (one rounding),
// so relaxed results can differ from baseline ones in the last bit.

@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}
