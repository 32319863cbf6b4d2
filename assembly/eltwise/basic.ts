// Element-wise f32 kernels over n floats: fill, copy, add, mul, scale, axpy, gather_rows.
// Any alignment (unaligned v128 loads are legal), f32x4 body and a scalar tail that touches
// nothing past n. copy uses memory.copy (overlap-safe); gather_rows needs dst apart from src and idx.

import { madd } from '../simd';
import { checkDims, checkRegion } from '../checks';
import { loadN, storeN } from './lanes';

export function f32_fill(ptr: usize, n: i32, value: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_fill: n must be >= 0');
    checkRegion(ptr, <usize>max(n, 0) << 2, 4, 'f32_fill: ptr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const v = f32x4.splat(value);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) store<v128>(ptr + (i << 2), v);
  for (; i < count; i++) store<f32>(ptr + (i << 2), value);
}

export function f32_copy(dstPtr: usize, srcPtr: usize, n: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_copy: n must be >= 0');
    checkRegion(dstPtr, <usize>max(n, 0) << 2, 4, 'f32_copy: dstPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(srcPtr, <usize>max(n, 0) << 2, 4, 'f32_copy: srcPtr must be 4-byte aligned with n floats inside the memory');
  }
  memory.copy(dstPtr, srcPtr, <usize>n << 2);
}

export function f32_add(aPtr: usize, bPtr: usize, outPtr: usize, n: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_add: n must be >= 0');
    checkRegion(aPtr, <usize>max(n, 0) << 2, 4, 'f32_add: aPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(bPtr, <usize>max(n, 0) << 2, 4, 'f32_add: bPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(outPtr, <usize>max(n, 0) << 2, 4, 'f32_add: outPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const o = i << 2;
    store<v128>(outPtr + o, f32x4.add(load<v128>(aPtr + o), load<v128>(bPtr + o)));
  }
  for (; i < count; i++) {
    const o = i << 2;
    store<f32>(outPtr + o, load<f32>(aPtr + o) + load<f32>(bPtr + o));
  }
}

export function f32_mul(aPtr: usize, bPtr: usize, outPtr: usize, n: i32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_mul: n must be >= 0');
    checkRegion(aPtr, <usize>max(n, 0) << 2, 4, 'f32_mul: aPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(bPtr, <usize>max(n, 0) << 2, 4, 'f32_mul: bPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(outPtr, <usize>max(n, 0) << 2, 4, 'f32_mul: outPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const o = i << 2;
    store<v128>(outPtr + o, f32x4.mul(load<v128>(aPtr + o), load<v128>(bPtr + o)));
  }
  for (; i < count; i++) {
    const o = i << 2;
    store<f32>(outPtr + o, load<f32>(aPtr + o) * load<f32>(bPtr + o));
  }
}

export function f32_scale(xPtr: usize, outPtr: usize, n: i32, alpha: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_scale: n must be >= 0');
    checkRegion(xPtr, <usize>max(n, 0) << 2, 4, 'f32_scale: xPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(outPtr, <usize>max(n, 0) << 2, 4, 'f32_scale: outPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const va = f32x4.splat(alpha);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const o = i << 2;
    store<v128>(outPtr + o, f32x4.mul(load<v128>(xPtr + o), va));
  }
  for (; i < count; i++) {
    const o = i << 2;
    store<f32>(outPtr + o, load<f32>(xPtr + o) * alpha);
  }
}

export function f32_axpy(xPtr: usize, yPtr: usize, n: i32, alpha: f32): void {
  if (!ASC_NO_ASSERT) {
    checkDims(n >= 0, 'f32_axpy: n must be >= 0');
    checkRegion(xPtr, <usize>max(n, 0) << 2, 4, 'f32_axpy: xPtr must be 4-byte aligned with n floats inside the memory');
    checkRegion(yPtr, <usize>max(n, 0) << 2, 4, 'f32_axpy: yPtr must be 4-byte aligned with n floats inside the memory');
  }
  const count = <usize>n;
  const va = f32x4.splat(alpha);
  let i: usize = 0;
  for (; i + 8 <= count; i += 8) {
    const o = i << 2;
    store<v128>(yPtr + o, madd(va, load<v128>(xPtr + o), load<v128>(yPtr + o)));
    store<v128>(yPtr + o, madd(va, load<v128>(xPtr + o, 16), load<v128>(yPtr + o, 16)), 16);
  }
  // The 1–3 tail floats get the body's lane arithmetic (madd: fused on relaxed), as the optimizer
  // steps do, so an L2 term fused into the dW GEMM's epilogue (gemm/step.ts) rounds like this one.
  for (; i < count; i += 4) {
    const rem = count - i < 4 ? count - i : 4;
    const o = i << 2;
    storeN(yPtr + o, madd(va, loadN(xPtr + o, rem), loadN(yPtr + o, rem)), rem);
  }
}

/** dst row r = src row idx[r]. Four rows at a time, their vectors interleaved: the rows of a
 *  shuffled batch sit at random places of a data set far larger than the caches, and four streams
 *  in flight keep more misses outstanding than one memory.copy per row (a batch of 128 × 784 floats
 *  from 60,000 rows: 62–66 µs against 89–90 µs, bench/README.md). Rows are byte copies either way. */
export function f32_gather_rows(srcPtr: usize, idxPtr: usize, dstPtr: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  const vecBytes = rowBytes & ~(<usize>15);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const i = idxPtr + (<usize>r << 2);
    const s0 = srcPtr + <usize>load<i32>(i) * rowBytes, s1 = srcPtr + <usize>load<i32>(i, 4) * rowBytes;
    const s2 = srcPtr + <usize>load<i32>(i, 8) * rowBytes, s3 = srcPtr + <usize>load<i32>(i, 12) * rowBytes;
    const d0 = dstPtr + <usize>r * rowBytes, d1 = d0 + rowBytes, d2 = d1 + rowBytes, d3 = d2 + rowBytes;
    for (let o: usize = 0; o < vecBytes; o += 16) {
      v128.store(d0 + o, v128.load(s0 + o));
      v128.store(d1 + o, v128.load(s1 + o));
      v128.store(d2 + o, v128.load(s2 + o));
      v128.store(d3 + o, v128.load(s3 + o));
    }
    for (let o = vecBytes; o < rowBytes; o += 4) {
      store<f32>(d0 + o, load<f32>(s0 + o));
      store<f32>(d1 + o, load<f32>(s1 + o));
      store<f32>(d2 + o, load<f32>(s2 + o));
      store<f32>(d3 + o, load<f32>(s3 + o));
    }
  }
  for (; r < rows; r++) {
    const idx = <usize>load<i32>(idxPtr + (<usize>r << 2));
    memory.copy(dstPtr + <usize>r * rowBytes, srcPtr + idx * rowBytes, rowBytes);
  }
}
