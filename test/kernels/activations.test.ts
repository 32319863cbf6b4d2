import { describe, expect, it } from 'vitest';
import { ACTIVATION_KERNELS, ACTIVATION_TABLE, type ActivationKernel, type ActivationRecord } from '../../src/kernels/activations.js';
import type { ActivationName } from '../../src/nn/activations.js';
import { get, kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { ACTIVATION_ORACLE, phi64 } from '../helpers/oracle.js';
import { expectGuard, expectUnchanged, LENGTHS, outBuf, relErr } from './util.js';

// Every element-wise kernel of the activation table against the f64 oracle (test/helpers/oracle.ts).
interface Spec {
  f: (x: number, a: number, b: number, col: number) => number;
  alpha: number;
  beta: number;
  /** forward: relative error bound above |y| = floor */
  tol: number;
  floor: number;
  /** points where f' jumps (the finite-difference check stays 1e-2 away) */
  kinks: readonly number[];
  /** backward: relative error bound above |dx| = bwdFloor (bwd from y = f(x) in f32 loses ~1 ulp of 1 absolutely) */
  bwdTol: number;
  bwdFloor: number;
}
/** Tolerances and test parameters where a kernel differs from the defaults (alpha, beta: the table's defaults). */
const TOLERANCES: Partial<Record<ActivationKernel, Partial<Spec>>> = {
  identity: { tol: 0, floor: 1 },
  step: { tol: 0, floor: 1 },
  sigmoid: { bwdFloor: 0.1 },
  tanh: { floor: 1e-30, bwdFloor: 0.1 },
  arctan: { floor: 1e-30 },
  relu: { tol: 0, floor: 1 },
  leaky_relu: { tol: 1e-7, floor: 1e-30 },
  elu: { floor: 1e-30, alpha: 0.7 },
  softsign: { tol: 3e-7, floor: 1e-30 },
  softplus: { beta: 1.5 },
  isru: { tol: 5e-7, floor: 1e-30, alpha: 0.8 },
  isrlu: { tol: 5e-7, floor: 1e-30, alpha: 0.8 },
  sqnl: { tol: 3e-7, floor: 1e-30 },
  bipolar_relu: { tol: 0, floor: 1 },
  gelu: { tol: 2e-6, bwdTol: 1e-5, bwdFloor: 1e-2 },
  exp: { tol: 6e-7 },
  // mish′ = t + x·σ(x)·(1 − t²) is built from eˣ by four divisions (closed form, no 1 − t² cancellation):
  // 2.06e-6 measured on simd, 1.9e-6 on relaxed, against 2e-6 for one transcendental.
  mish: { bwdTol: 3e-6 },
};
/** The first public name of each kernel (leaky_relu → leakyRelu). */
const NAME = new Map<string, ActivationName>();
for (const [name, r] of Object.entries(ACTIVATION_TABLE) as [ActivationName, ActivationRecord][]) {
  if ('kernel' in r && !NAME.has(r.kernel)) NAME.set(r.kernel, name);
}
const SPECS = Object.fromEntries(ACTIVATION_KERNELS.map((kernel) => {
  const name = NAME.get(kernel)! as Exclude<ActivationName, 'softmax' | 'logSoftmax'>;
  const r: ActivationRecord = ACTIVATION_TABLE[name];
  const o = ACTIVATION_ORACLE[name];
  const spec: Spec = {
    f: o.f, kinks: o.kinks, alpha: r.alpha?.default ?? 0, beta: r.beta?.default ?? 0,
    tol: 1e-6, floor: 1e-6, bwdTol: 2e-6, bwdFloor: 1e-2, ...TOLERANCES[kernel],
  };
  return [kernel, spec];
})) as Record<ActivationKernel, Spec>;

const SHAPES: Array<[number, number]> = LENGTHS.map((n) => (n === 1000 ? [40, 25] : n % 3 === 0 && n > 0 ? [3, n / 3] : [1, n]));
const SPECIAL = [0, -0, 1e-8, -1e-8, 1e-3, -1e-3, 0.49, 0.51, -0.5, 1, -1, 2, -2, 2.5, -2.5, 10, -10, 15, -15, 30, -30,
  80, -80, 88, -88, 90, -90, 100, -100, 1e4, -1e4];

function refFwd(name: ActivationKernel, x: Float32Array, cols: number): Float64Array {
  const s = SPECS[name];
  return Float64Array.from(x, (v, i) => s.f(v, Math.fround(s.alpha), Math.fround(s.beta), i % cols));
}

describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('activations on %s', (_name, b) => {
  const k = b.k;
  const fwd = (name: ActivationKernel, x: Float32Array, rows: number, cols: number) => {
    const s = SPECS[name];
    const px = put(b, x), py = outBuf(b, x.length);
    k[`f32_${name}_fwd`](px, py, rows, cols, s.alpha, s.beta);
    expectGuard(b, py, x.length);
    expectUnchanged(b, px, x);
    return { px, py, y: get(b, py, x.length) };
  };

  it.each(ACTIVATION_KERNELS.map((n) => [n]))('%s forward vs f64 reference, all lengths', (name) => {
    const s = SPECS[name];
    for (const [rows, cols] of SHAPES) {
      const x = randomArray(rows * cols, rows * 1000 + cols, -6, 6);
      const { y } = fwd(name, x, rows, cols);
      expect(relErr(y, refFwd(name, x, cols), s.floor), `${name} ${rows}×${cols}`).toBeLessThanOrEqual(s.tol + 6e-8);
    }
  });

  it.each(ACTIVATION_KERNELS.map((n) => [n]))('%s forward at special points (±1e4 finite, saturation)', (name) => {
    const s = SPECS[name];
    const x = Float32Array.from(SPECIAL);
    const { y } = fwd(name, x, 1, x.length);
    const want = refFwd(name, x, x.length);
    for (let i = 0; i < x.length; i++) {
      expect(Number.isFinite(y[i]), `${name}(${x[i]})`).toBe(true);
      const err = Math.abs(y[i]! - want[i]!) / Math.max(Math.abs(want[i]!), s.floor);
      expect(err, `${name}(${x[i]}) = ${y[i]}, want ${want[i]}`).toBeLessThanOrEqual(s.tol + 6e-8);
    }
  });

  it.each(ACTIVATION_KERNELS.map((n) => [n]))('%s backward vs central differences of the f64 forward', (name) => {
    const s = SPECS[name];
    for (const [rows, cols] of SHAPES) {
      const n = rows * cols;
      const x = randomArray(n, rows * 7 + cols, -5, 5);
      for (let i = 0; i < n; i++) {
        for (const kink of s.kinks) if (Math.abs(x[i]! - kink) < 1e-2) x[i] = kink + (x[i]! >= kink ? 2e-2 : -2e-2);
      }
      const dy = randomArray(n, n + 99, -1, 1);
      const { px, py } = fwd(name, x, rows, cols);
      const pdy = put(b, dy), pdx = outBuf(b, n);
      const y = get(b, py, n);
      k[`f32_${name}_bwd`](px, py, pdy, pdx, rows, cols, s.alpha, s.beta);
      const dx = get(b, pdx, n);
      const want = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const h = 1e-5 * Math.max(1, Math.abs(x[i]!));
        const f = (v: number) => s.f(v, Math.fround(s.alpha), Math.fround(s.beta), i % cols);
        want[i] = dy[i]! * (f(x[i]! + h) - f(x[i]! - h)) / (2 * h);
      }
      expect(relErr(dx, want, s.bwdFloor), `${name} ${rows}×${cols}`).toBeLessThanOrEqual(s.bwdTol);
      expectGuard(b, pdx, n);
      expectUnchanged(b, px, x);
      expectUnchanged(b, py, y);
      expectUnchanged(b, pdy, dy);
    }
  });

  it('golden values from the definitions', () => {
    const at = (name: ActivationKernel, x: number, alpha = SPECS[name].alpha, beta = SPECS[name].beta): number => {
      const px = put(b, [x]), py = outBuf(b, 1);
      k[`f32_${name}_fwd`](px, py, 1, 1, alpha, beta);
      return get(b, py, 1)[0]!;
    };
    const close = (a: number, e: number, tol = 3e-7) => expect(Math.abs(a - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
    expect(at('sqnl', 1)).toBe(0.75);
    expect(at('sqnl', -1)).toBe(-0.75);
    expect(at('sqnl', 3)).toBe(1);
    expect(at('sqnl', -3)).toBe(-1);
    close(at('isru', 1, 1), Math.SQRT1_2);
    close(at('isrlu', -1, 1), -Math.SQRT1_2);
    expect(at('isrlu', 1, 1)).toBe(1);
    expect(at('sigmoid', 0)).toBe(0.5);
    expect(at('sigmoid', -1e4)).toBe(0);
    expect(at('sigmoid', 1e4)).toBe(1);
    expect(at('tanh', 1e4)).toBe(1);
    expect(at('tanh', -1e4)).toBe(-1);
    expect(at('tanh', 0)).toBe(0);
    close(at('tanh', 1e-4), Math.tanh(1e-4), 1e-6);
    close(at('softplus', 0, 0, 1), Math.LN2);
    close(at('softplus', 1e4, 0, 1), 1e4);
    expect(at('softplus', -1e4, 0, 1)).toBe(0);
    close(at('gelu', 1), 0.8413447460685429);
    close(at('gelu', -1), -0.15865525393145707);
    close(at('silu', 1), 0.7310585786300049);
    close(at('elu', -1, 1), Math.exp(-1) - 1);
    expect(at('elu', 2, 1)).toBe(2);
    expect(at('softsign', 1)).toBe(0.5);
    close(at('arctan', 1), Math.PI / 4);
    close(at('arctan', -1e4), -Math.PI / 2 + 1e-4);
    expect(at('leaky_relu', -2, 0.01)).toBe(Math.fround(-0.02));
    expect(at('step', 0)).toBe(1);
    expect(at('relu', 0)).toBe(0);
    const px = put(b, [-1, -1, 2, 2, -3]), py = outBuf(b, 5);
    k.f32_bipolar_relu_fwd(px, py, 1, 5, 0, 0);
    expect(Array.from(get(b, py, 5))).toEqual([0, -1, 2, 0, 0]);
  });

  it('backward is finite at ±1e4 and ±100', () => {
    const x = Float32Array.from([1e4, -1e4, 100, -100, 88, -88]);
    for (const name of ACTIVATION_KERNELS) {
      const s = SPECS[name];
      const { px, py } = fwd(name, x, 1, x.length);
      const pdy = put(b, new Float32Array(x.length).fill(1)), pdx = outBuf(b, x.length);
      k[`f32_${name}_bwd`](px, py, pdy, pdx, 1, x.length, s.alpha, s.beta);
      for (const v of get(b, pdx, x.length)) expect(Number.isFinite(v), name).toBe(true);
    }
  });

  it('accuracy of the exp and erf approximations (measured through elu′ and gelu)', () => {
    // elu′(x) = alpha·e^x for x ≤ 0 with alpha = 1: the kernel's exp on [−87, 0]
    const n = 200_001;
    const x = Float32Array.from({ length: n }, (_, i) => Math.fround(-87 * i / (n - 1)));
    const px = put(b, x), py = outBuf(b, n), pdy = put(b, new Float32Array(n).fill(1)), pdx = outBuf(b, n);
    k.f32_elu_fwd(px, py, 1, n, 1, 0);
    k.f32_elu_bwd(px, py, pdy, pdx, 1, n, 1, 0);
    const e = get(b, pdx, n);
    let expErr = 0;
    for (let i = 0; i < n; i++) expErr = Math.max(expErr, Math.abs(e[i]! - Math.exp(x[i]!)) / Math.exp(x[i]!));
    // Φ(x) = gelu(x)/x against the f64 series
    const xs = Float32Array.from({ length: 16001 }, (_, i) => Math.fround(-8 + i * 0.001)).filter((v) => Math.abs(v) >= 0.1);
    const pg = put(b, xs), pgy = outBuf(b, xs.length);
    k.f32_gelu_fwd(pg, pgy, 1, xs.length, 0, 0);
    const g = get(b, pgy, xs.length);
    let phiErr = 0;
    for (let i = 0; i < xs.length; i++) phiErr = Math.max(phiErr, Math.abs(g[i]! / xs[i]! - phi64(xs[i]!)));
    console.log(`[${b.binary}] exp max relative error on [−87, 0]: ${expErr.toExponential(2)}; Φ max absolute error on [−8, 8]: ${phiErr.toExponential(2)}`);
    // both include the final rounding to f32 (6e-8); measured: wasm exp 9.3e-8, Φ 2.0e-7 (simd) / 1.5e-7 (relaxed)
    expect(expErr).toBeLessThan(2e-7);
    expect(phiErr).toBeLessThan(b.kind === 'js' ? 1e-7 : 2.5e-7);
  });
});
