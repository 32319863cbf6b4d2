// Peak probe for the benchmarks: 12 independent f32x4 chains acc = madd(acc, m, c) (mul + add,
// or one fused op in the relaxed binary) for `iters` iterations, so latency is hidden and the
// FP pipes are the limit. Flops = iters·12 chains·4 lanes·2. Returns a lane sum (keeps it live).

import { madd } from '../simd';

export function f32_peak_probe(iters: i32): f32 {
  const vm = f32x4.splat(0.9999999), vc = f32x4.splat(1e-7);
  let a0 = f32x4.splat(0.1), a1 = f32x4.splat(0.2), a2 = f32x4.splat(0.3), a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5), a5 = f32x4.splat(0.6), a6 = f32x4.splat(0.7), a7 = f32x4.splat(0.8);
  let a8 = f32x4.splat(0.9), a9 = f32x4.splat(1.0), a10 = f32x4.splat(1.1), a11 = f32x4.splat(1.2);
  for (let i = 0; i < iters; i++) {
    a0 = madd(a0, vm, vc); a1 = madd(a1, vm, vc); a2 = madd(a2, vm, vc); a3 = madd(a3, vm, vc);
    a4 = madd(a4, vm, vc); a5 = madd(a5, vm, vc); a6 = madd(a6, vm, vc); a7 = madd(a7, vm, vc);
    a8 = madd(a8, vm, vc); a9 = madd(a9, vm, vc); a10 = madd(a10, vm, vc); a11 = madd(a11, vm, vc);
  }
  let s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  s = f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
