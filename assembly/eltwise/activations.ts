// Activations y = f(x) and their backward dx = dy·f'(x) over a [rows×cols] matrix of f32
// (row-major, contiguous rows·cols floats; any alignment, tails via lanes.ts). alpha/beta are each
// activation's parameters, ignored by the others. Every activation is an op class with
// fwd(x, a, b) and bwd(x, y, dy, a, b) on f32x4 lanes; bwd reads y (the forward output) where that is
// cheaper (sigmoid, tanh). bipolar_relu needs the column index and lives in relu_variants.ts.

import { madd } from '../simd';
import { checkDims } from '../checks';
import { mapBwd, mapFwd } from './lanes';
import { vatan, vexp, vlog1p01, vphi, vsigmoid, vtanh } from './vmath';


class Identity {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return x; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return dy; }
}

class Step {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return v128.and(f32x4.splat(1), f32x4.ge(x, f32x4.splat(0))); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return f32x4.splat(0); }
}

class Sigmoid {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return vsigmoid(x); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y))); }
}

class Tanh {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return vtanh(x); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return f32x4.mul(dy, f32x4.sub(f32x4.splat(1), f32x4.mul(y, y))); }
}

class Arctan {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return vatan(x); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return f32x4.div(dy, madd(x, x, f32x4.splat(1))); }
}

class Relu {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return v128.and(x, f32x4.ge(x, f32x4.splat(0))); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return v128.and(dy, f32x4.ge(x, f32x4.splat(0))); }
}

class LeakyRelu {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return v128.bitselect(x, f32x4.mul(a, x), f32x4.ge(x, f32x4.splat(0))); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return v128.bitselect(dy, f32x4.mul(a, dy), f32x4.ge(x, f32x4.splat(0))); }
}

/** e^x − 1 without cancellation near 0: 2t/(1−t), t = tanh(x/2). */
@inline
function vexpm1(x: v128): v128 {
  const t = vtanh(f32x4.mul(x, f32x4.splat(0.5)));
  return f32x4.div(f32x4.add(t, t), f32x4.sub(f32x4.splat(1), t));
}

class Elu {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return v128.bitselect(x, f32x4.mul(a, vexpm1(x)), f32x4.gt(x, f32x4.splat(0))); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    return v128.bitselect(dy, f32x4.mul(dy, f32x4.mul(a, vexp(x))), f32x4.gt(x, f32x4.splat(0)));
  }
}

class Softsign {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return f32x4.div(x, f32x4.add(f32x4.splat(1), f32x4.abs(x))); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    const d = f32x4.add(f32x4.splat(1), f32x4.abs(x));
    return f32x4.div(dy, f32x4.mul(d, d));
  }
}

class Softplus {
  @inline fwd(x: v128, a: v128, b: v128): v128 {
    const bx = f32x4.mul(b, x);
    const l = vlog1p01(vexp(f32x4.neg(f32x4.abs(bx))));
    return f32x4.div(f32x4.add(f32x4.max(bx, f32x4.splat(0)), l), b);
  }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return f32x4.mul(dy, vsigmoid(f32x4.mul(b, x))); }
}

class Mish {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return f32x4.mul(x, vtanh(vsoftplus(x))); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    // d/dx x·tanh(sp(x)) = t + x·σ(x)·(1 − t²). With e = eˣ and n = e(e + 2): t = n/(n + 2), σ = e/(e + 1) and
    // 1 − t² = 4(n + 1)/(n + 2)², free of the cancellation of 1 − t² near t = 1. x is capped at 20 in e, where
    // 1 − t² < 1e-17 already, so nothing overflows.
    const e = vexp(f32x4.min(x, f32x4.splat(20)));
    const n = f32x4.mul(e, f32x4.add(e, f32x4.splat(2)));
    const n2 = f32x4.add(n, f32x4.splat(2));
    const t = f32x4.div(n, n2);
    const s = f32x4.div(e, f32x4.add(e, f32x4.splat(1)));
    const q = f32x4.div(f32x4.mul(f32x4.splat(4), f32x4.add(n, f32x4.splat(1))), f32x4.mul(n2, n2));
    return f32x4.mul(dy, madd(f32x4.mul(x, s), q, t));
  }
}

/** log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}). */
@inline
function vsoftplus(x: v128): v128 {
  return f32x4.add(f32x4.max(x, f32x4.splat(0)), vlog1p01(vexp(f32x4.neg(f32x4.abs(x)))));
}

/** 1/√(1+αx²) */
@inline
function vrsq(x: v128, a: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.sqrt(madd(f32x4.mul(a, x), x, f32x4.splat(1))));
}

class Isru {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return f32x4.mul(x, vrsq(x, a)); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    const r = vrsq(x, a);
    return f32x4.mul(dy, f32x4.mul(f32x4.mul(r, r), r));
  }
}

class Isrlu {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return v128.bitselect(x, f32x4.mul(x, vrsq(x, a)), f32x4.ge(x, f32x4.splat(0))); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    const r = vrsq(x, a);
    return v128.bitselect(dy, f32x4.mul(dy, f32x4.mul(f32x4.mul(r, r), r)), f32x4.ge(x, f32x4.splat(0)));
  }
}

class Sqnl {
  // inside [−2, 2]: x − x·|x|/4 (= x ∓ x²/4); outside: ±1
  @inline fwd(x: v128, a: v128, b: v128): v128 {
    const two = f32x4.splat(2);
    const inner = madd(f32x4.mul(x, f32x4.abs(x)), f32x4.splat(-0.25), x);
    const outer = v128.bitselect(x, f32x4.splat(1), i32x4.splat(-2147483648));
    return v128.bitselect(inner, outer, f32x4.le(f32x4.abs(x), two));
  }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    const d = madd(f32x4.abs(x), f32x4.splat(-0.5), f32x4.splat(1));
    return v128.and(f32x4.mul(dy, d), f32x4.le(f32x4.abs(x), f32x4.splat(2)));
  }
}

class Gelu {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return f32x4.mul(x, vphi(x)); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    const pdf = f32x4.mul(vexp(f32x4.mul(f32x4.mul(x, x), f32x4.splat(-0.5))), f32x4.splat(<f32>0.3989422804014327));
    return f32x4.mul(dy, madd(x, pdf, vphi(x)));
  }
}

class Silu {
  @inline fwd(x: v128, a: v128, b: v128): v128 { return f32x4.mul(x, vsigmoid(x)); }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 {
    const s = vsigmoid(x);
    return f32x4.mul(dy, f32x4.mul(s, madd(x, f32x4.sub(f32x4.splat(1), s), f32x4.splat(1))));
  }
}

// e^x as the square of e^{x/2}: vexp clamps its argument at ln 2^127.5, so this reaches the float32
// range's end (e^88.72) and saturates at the largest finite float instead of Infinity. f' = e^x = y.
// @ts-ignore: decorator
@inline const F32_MAX: f32 = 3.4028234663852886e38;
class Exp {
  @inline fwd(x: v128, a: v128, b: v128): v128 {
    const h = vexp(f32x4.mul(x, f32x4.splat(0.5)));
    return f32x4.min(f32x4.mul(h, h), f32x4.splat(F32_MAX));
  }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128, b: v128): v128 { return f32x4.mul(dy, y); }
}

@inline
function count(rows: i32, cols: i32): usize {
  if (!ASC_NO_ASSERT) {
    checkDims(rows >= 0 && cols >= 0, 'activation kernel: rows and cols must be >= 0');
  }
  return <usize>rows * <usize>cols;
}

export function f32_identity_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Identity>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_identity_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Identity>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_step_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Step>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_step_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Step>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_sigmoid_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Sigmoid>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_sigmoid_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Sigmoid>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_tanh_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Tanh>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_tanh_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Tanh>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_arctan_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Arctan>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_arctan_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Arctan>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_relu_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Relu>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_relu_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Relu>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_leaky_relu_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<LeakyRelu>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_leaky_relu_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<LeakyRelu>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_elu_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Elu>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_elu_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Elu>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_softsign_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Softsign>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_softsign_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Softsign>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_softplus_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Softplus>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_softplus_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Softplus>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_isru_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Isru>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_isru_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Isru>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_isrlu_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Isrlu>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_isrlu_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Isrlu>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_sqnl_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Sqnl>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_sqnl_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Sqnl>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_gelu_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Gelu>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_gelu_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Gelu>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_silu_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Silu>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_silu_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Silu>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_exp_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Exp>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_exp_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Exp>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_mish_fwd(xPtr: usize, yPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapFwd<Mish>(xPtr, yPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
export function f32_mish_bwd(xPtr: usize, yPtr: usize, dyPtr: usize, dxPtr: usize, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  mapBwd<Mish>(xPtr, yPtr, dyPtr, dxPtr, count(rows, cols), f32x4.splat(alpha), f32x4.splat(beta));
}
