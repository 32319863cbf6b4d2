// f32-gemm-nt-direct, wasm SIMD: Z[m×n] = X[m×k]·W[n×k]ᵀ + bias[n] (optional ReLU) for a few
// rows (m ≤ 8 is where it pays), WITHOUT packing. The packed GEMM copies all of W (n×k) into
// panels on every call, which for m = 1 costs more than the arithmetic; here each W row is read
// once, in place, and dotted with every X row while it sits in L1.
// Layout: row-major, 4-byte aligned, any k (the k % 4 tail is scalar). Dot products of 4 W rows
// at a time, two f32x4 accumulators each (depth unrolled by 8) to hide the add latency.
// Flags: bit 0 ReLU, bit 1 accumulate into Z (as f32_gemm_nt).

import { madd } from '../simd';

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline
function finish(acc: f32, zPtr: usize, biasPtr: usize, j: i32, flags: i32): void {
  let v = acc;
  if (biasPtr) v += load<f32>(biasPtr + (<usize>j << 2));
  if (flags & 2) v += load<f32>(zPtr);
  if (flags & 1) v = v > 0 ? v : 0;
  store<f32>(zPtr, v);
}

/** Dots of X row x with W rows w0..w3 (k floats each), finished into z[0..3] (columns j..j+3). */
@inline
function dot4(x: usize, w0: usize, w1: usize, w2: usize, w3: usize, k: i32, z: usize, biasPtr: usize, j: i32, flags: i32): void {
  let a0 = f32x4.splat(0), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
  let p = 0;
  for (; p + 8 <= k; p += 8) {
    const o = <usize>p << 2;
    const vx0123 = v128.load(x + o), vx4567 = v128.load(x + o, 16);
    a0 = madd(vx0123, v128.load(w0 + o), a0); b0 = madd(vx4567, v128.load(w0 + o, 16), b0);
    a1 = madd(vx0123, v128.load(w1 + o), a1); b1 = madd(vx4567, v128.load(w1 + o, 16), b1);
    a2 = madd(vx0123, v128.load(w2 + o), a2); b2 = madd(vx4567, v128.load(w2 + o, 16), b2);
    a3 = madd(vx0123, v128.load(w3 + o), a3); b3 = madd(vx4567, v128.load(w3 + o, 16), b3);
  }
  if (p + 4 <= k) {
    const o = <usize>p << 2;
    const vx0123 = v128.load(x + o);
    a0 = madd(vx0123, v128.load(w0 + o), a0);
    a1 = madd(vx0123, v128.load(w1 + o), a1);
    a2 = madd(vx0123, v128.load(w2 + o), a2);
    a3 = madd(vx0123, v128.load(w3 + o), a3);
    p += 4;
  }
  let s0 = hsum(f32x4.add(a0, b0)), s1 = hsum(f32x4.add(a1, b1)), s2 = hsum(f32x4.add(a2, b2)), s3 = hsum(f32x4.add(a3, b3));
  for (; p < k; p++) {
    const o = <usize>p << 2;
    const xv = load<f32>(x + o);
    s0 += xv * load<f32>(w0 + o); s1 += xv * load<f32>(w1 + o);
    s2 += xv * load<f32>(w2 + o); s3 += xv * load<f32>(w3 + o);
  }
  finish(s0, z, biasPtr, j, flags);
  finish(s1, z + 4, biasPtr, j + 1, flags);
  finish(s2, z + 8, biasPtr, j + 2, flags);
  finish(s3, z + 12, biasPtr, j + 3, flags);
}

/** One dot product (for the n % 4 tail of W rows). */
@inline
function dot1(x: usize, w: usize, k: i32): f32 {
  let a = f32x4.splat(0), b = a;
  let p = 0;
  for (; p + 8 <= k; p += 8) {
    const o = <usize>p << 2;
    a = madd(v128.load(x + o), v128.load(w + o), a);
    b = madd(v128.load(x + o, 16), v128.load(w + o, 16), b);
  }
  if (p + 4 <= k) { const o = <usize>p << 2; a = madd(v128.load(x + o), v128.load(w + o), a); p += 4; }
  let s = hsum(f32x4.add(a, b));
  for (; p < k; p++) s += load<f32>(x + (<usize>p << 2)) * load<f32>(w + (<usize>p << 2));
  return s;
}

export function f32_gemm_nt_direct(xPtr: usize, wPtr: usize, biasPtr: usize, zPtr: usize, m: i32, n: i32, k: i32, flags: i32): void {
  if (m <= 0 || n <= 0) return;
  const rowBytes = <usize>k << 2;
  const zRow = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const w0 = wPtr + <usize>j * rowBytes;
    const w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
    for (let i = 0; i < m; i++) {
      dot4(xPtr + <usize>i * rowBytes, w0, w1, w2, w3, k, zPtr + <usize>i * zRow + (<usize>j << 2), biasPtr, j, flags);
    }
  }
  for (; j < n; j++) {
    const w = wPtr + <usize>j * rowBytes;
    for (let i = 0; i < m; i++) {
      finish(dot1(xPtr + <usize>i * rowBytes, w, k), zPtr + <usize>i * zRow + (<usize>j << 2), biasPtr, j, flags);
    }
  }
}
