// Peak probe for the benchmarks: the 128-bit f32 throughput of this machine, as the GEMM kernels
// could use it. Relaxed binary: 12 independent fused chains acc = relaxed_madd(acc, m, c).
// Baseline binary: 6 independent f32x4.mul chains and 6 independent f32x4.add chains (a mul+add
// chain would be bound by their summed latency, not by the pipes). Every iteration runs 12 f32x4
// operations on independent registers; returns the flop count done (as f64) so nothing is
// dead code. Multipliers are ±1 and addends tiny, so no value overflows or goes denormal.

import { madd } from '../simd';

/** Runs `iters` iterations and returns the number of f32 flops executed. */
export function f32_peak_probe(iters: i32): f64 {
  let a0 = f32x4.splat(0.1), a1 = f32x4.splat(0.2), a2 = f32x4.splat(0.3), a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5), a5 = f32x4.splat(0.6), a6 = f32x4.splat(0.7), a7 = f32x4.splat(0.8);
  let a8 = f32x4.splat(0.9), a9 = f32x4.splat(1.0), a10 = f32x4.splat(1.1), a11 = f32x4.splat(1.2);
  let flopsPerIter: f64;
  if (ASC_FEATURE_RELAXED_SIMD) {
    const vm = f32x4.splat(-1), vc = f32x4.splat(0.5);
    for (let i = 0; i < iters; i++) {
      a0 = madd(a0, vm, vc); a1 = madd(a1, vm, vc); a2 = madd(a2, vm, vc); a3 = madd(a3, vm, vc);
      a4 = madd(a4, vm, vc); a5 = madd(a5, vm, vc); a6 = madd(a6, vm, vc); a7 = madd(a7, vm, vc);
      a8 = madd(a8, vm, vc); a9 = madd(a9, vm, vc); a10 = madd(a10, vm, vc); a11 = madd(a11, vm, vc);
    }
    flopsPerIter = 12 * 4 * 2;
  } else {
    const vm = f32x4.splat(-1), vc = f32x4.splat(0.5);
    for (let i = 0; i < iters; i++) {
      a0 = f32x4.mul(a0, vm); a1 = f32x4.add(a1, vc); a2 = f32x4.mul(a2, vm); a3 = f32x4.add(a3, vc);
      a4 = f32x4.mul(a4, vm); a5 = f32x4.add(a5, vc); a6 = f32x4.mul(a6, vm); a7 = f32x4.add(a7, vc);
      a8 = f32x4.mul(a8, vm); a9 = f32x4.add(a9, vc); a10 = f32x4.mul(a10, vm); a11 = f32x4.add(a11, vc);
    }
    flopsPerIter = 12 * 4;
  }
  let s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  s = f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  // The lane sum is finite; multiplying it by 0 keeps it live at no cost to the result.
  const live = <f64>(f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 3));
  return flopsPerIter * <f64>iters + live * 0;
}
