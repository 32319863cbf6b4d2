// ReLU variants whose negative side depends on the unit, over [rows×cols] f32 matrices (row-major):
// bipolar_relu (even column j: relu(x), odd j: min(x, 0); derivative 1 on x ≥ 0 resp. x ≤ 0),
// prelu (a learned slope per column), rrelu (a random slope per element, drawn in training).
// Vectors start at column 0 of each row (unaligned loads are fine), tails via lanes.ts.

import { rngLoad, rngNext, rngStore } from '../rng/xoshiro';
import { loadTail, storeTail } from './lanes';

@inline
function bipolarMask(x: v128): v128 {
  return v128.bitselect(f32x4.ge(x, f32x4.splat(0)), f32x4.le(x, f32x4.splat(0)), i32x4(-1, 0, -1, 0));
}

export function f32_bipolar_relu_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  const c = <usize>cols;
  for (let r = 0; r < rows; r++) {
    const xRow = xPtr + (<usize>r * c << 2);
    const yRow = yPtr + (<usize>r * c << 2);
    let j: usize = 0;
    for (; j + 4 <= c; j += 4) {
      const vx = load<v128>(xRow + (j << 2));
      store<v128>(yRow + (j << 2), v128.and(vx, bipolarMask(vx)));
    }
    if (j < c) {
      const vx = loadTail(xRow + (j << 2), c - j);
      storeTail(yRow + (j << 2), v128.and(vx, bipolarMask(vx)), c - j);
    }
  }
}

export function f32_bipolar_relu_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  const c = <usize>cols;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * c << 2;
    let j: usize = 0;
    for (; j + 4 <= c; j += 4) {
      const o = off + (j << 2);
      store<v128>(dxPtr + o, v128.and(load<v128>(dyPtr + o), bipolarMask(load<v128>(xPtr + o))));
    }
    if (j < c) {
      const o = off + (j << 2);
      storeTail(dxPtr + o, v128.and(loadTail(dyPtr + o, c - j), bipolarMask(loadTail(xPtr + o, c - j))), c - j);
    }
  }
}

export function f32_prelu_fwd(xPtr: usize, slopePtr: usize, yPtr: usize, rows: i32, cols: i32): void {
  const c = <usize>cols;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * c << 2;
    let j: usize = 0;
    for (; j + 4 <= c; j += 4) {
      const vx = load<v128>(xPtr + off + (j << 2));
      const va = load<v128>(slopePtr + (j << 2));
      store<v128>(yPtr + off + (j << 2), v128.bitselect(vx, f32x4.mul(va, vx), f32x4.ge(vx, zero)));
    }
    if (j < c) {
      const vx = loadTail(xPtr + off + (j << 2), c - j);
      const va = loadTail(slopePtr + (j << 2), c - j);
      storeTail(yPtr + off + (j << 2), v128.bitselect(vx, f32x4.mul(va, vx), f32x4.ge(vx, zero)), c - j);
    }
  }
}

export function f32_prelu_bwd(xPtr: usize, slopePtr: usize, dyPtr: usize, dxPtr: usize, dslopePtr: usize, rows: i32, cols: i32): void {
  const c = <usize>cols;
  const zero = f32x4.splat(0);
  let j: usize = 0;
  for (; j < c; j += 4) {
    const rem = c - j < 4 ? c - j : 4;
    const va = rem == 4 ? load<v128>(slopePtr + (j << 2)) : loadTail(slopePtr + (j << 2), rem);
    let vacc = zero;
    for (let r = 0; r < rows; r++) {
      const o = (<usize>r * c + j) << 2;
      const vx = rem == 4 ? load<v128>(xPtr + o) : loadTail(xPtr + o, rem);
      const vdy = rem == 4 ? load<v128>(dyPtr + o) : loadTail(dyPtr + o, rem);
      const neg = f32x4.lt(vx, zero);
      const vdx = v128.bitselect(f32x4.mul(vdy, va), vdy, neg);
      vacc = f32x4.add(vacc, v128.and(f32x4.mul(vdy, vx), neg));
      if (rem == 4) store<v128>(dxPtr + o, vdx); else storeTail(dxPtr + o, vdx, rem);
    }
    if (rem == 4) store<v128>(dslopePtr + (j << 2), vacc); else storeTail(dslopePtr + (j << 2), vacc, rem);
  }
}

/** One uniform draw per element (negative or not), so the stream advances by exactly n. */
export function f32_rrelu_fwd_train(xPtr: usize, yPtr: usize, slopeOutPtr: usize, n: i32, lower: f32, upper: f32, rngPtr: usize): void {
  rngLoad(rngPtr);
  const span = upper - lower;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const slope = lower + span * (<f32>(rngNext() >>> 8) * <f32>5.9604644775390625e-8);
    const x = load<f32>(xPtr + o);
    store<f32>(slopeOutPtr + o, slope);
    store<f32>(yPtr + o, x >= 0 ? x : slope * x);
  }
  rngStore(rngPtr);
}

export function f32_rrelu_bwd(xPtr: usize, slopePtr: usize, dyPtr: usize, dxPtr: usize, n: i32): void {
  const count = <usize>n;
  const zero = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const o = i << 2;
    const vdy = load<v128>(dyPtr + o);
    store<v128>(dxPtr + o, v128.bitselect(vdy, f32x4.mul(vdy, load<v128>(slopePtr + o)), f32x4.ge(load<v128>(xPtr + o), zero)));
  }
  if (i < count) {
    const o = i << 2;
    const rem = count - i;
    const vdy = loadTail(dyPtr + o, rem);
    storeTail(dxPtr + o, v128.bitselect(vdy, f32x4.mul(vdy, loadTail(slopePtr + o, rem)), f32x4.ge(loadTail(xPtr + o, rem), zero)), rem);
  }
}
