// Helpers for f32x4 loops over arbitrary lengths: a tail of 1–3 floats is gathered into the low
// lanes of one vector (other lanes 0) and scattered back, so no byte past the buffer is read or
// written and the tail gets exactly the lane arithmetic of the body. Generic maps over "op" classes
// (methods called on changetype<Op>(0): no instance, no allocation; everything inlines).

import { checkRegion } from '../checks';

@inline
export function loadTail(ptr: usize, rem: usize): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(ptr));
  if (rem > 1) v = f32x4.replace_lane(v, 1, load<f32>(ptr, 4));
  if (rem > 2) v = f32x4.replace_lane(v, 2, load<f32>(ptr, 8));
  return v;
}

@inline
export function storeTail(ptr: usize, v: v128, rem: usize): void {
  store<f32>(ptr, f32x4.extract_lane(v, 0));
  if (rem > 1) store<f32>(ptr, f32x4.extract_lane(v, 1), 4);
  if (rem > 2) store<f32>(ptr, f32x4.extract_lane(v, 2), 8);
}

/** `rem` (1–4) floats at ptr: a full vector, or the tail gathered into the low lanes. */
@inline
export function loadN(ptr: usize, rem: usize): v128 {
  return rem == 4 ? load<v128>(ptr) : loadTail(ptr, rem);
}

/** Stores the low `rem` (1–4) lanes of v at ptr. */
@inline
export function storeN(ptr: usize, v: v128, rem: usize): void {
  if (rem == 4) store<v128>(ptr, v); else storeTail(ptr, v, rem);
}

/** y[i] = op.fwd(x[i], a, b) over n floats. */
@inline
export function mapFwd<Op>(xPtr: usize, yPtr: usize, n: usize, a: v128, b: v128): void {
  if (!ASC_NO_ASSERT) {
    checkRegion(xPtr, n << 2, 4, 'activation fwd: x must be 4-byte aligned with rows*cols floats inside the memory');
    checkRegion(yPtr, n << 2, 4, 'activation fwd: y must be 4-byte aligned with rows*cols floats inside the memory');
  }
  const op = changetype<Op>(0);
  let i: usize = 0;
  // One vector per iteration, like mapBwd: the long activations (exp, tanh) have ILP of their own,
  // and a second copy of their body cost ~1.5 KB of binary each.
  for (; i + 4 <= n; i += 4) {
    const o = i << 2;
    store<v128>(yPtr + o, op.fwd(load<v128>(xPtr + o), a, b));
  }
  const rem = n - i;
  if (rem > 0) {
    const o = i << 2;
    storeTail(yPtr + o, op.fwd(loadTail(xPtr + o, rem), a, b), rem);
  }
}

/** dx[i] = op.bwd(x[i], y[i], dy[i], a, b) over n floats. */
@inline
export function mapBwd<Op>(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, n: usize, a: v128, b: v128): void {
  if (!ASC_NO_ASSERT) {
    checkRegion(xPtr, n << 2, 4, 'activation bwd: x must be 4-byte aligned with rows*cols floats inside the memory');
    checkRegion(dyPtr, n << 2, 4, 'activation bwd: dy must be 4-byte aligned with rows*cols floats inside the memory');
    checkRegion(dxPtr, n << 2, 4, 'activation bwd: dx must be 4-byte aligned with rows*cols floats inside the memory');
  }
  const op = changetype<Op>(0);
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const o = i << 2;
    store<v128>(dxPtr + o, op.bwd(load<v128>(xPtr + o), load<v128>(yPtr + o), load<v128>(dyPtr + o), a, b));
  }
  const rem = n - i;
  if (rem > 0) {
    const o = i << 2;
    storeTail(dxPtr + o, op.bwd(loadTail(xPtr + o, rem), loadTail(yPtr + o, rem), loadTail(dyPtr + o, rem), a, b), rem);
  }
}
