import { describe, expect, it } from 'vitest';
import { get, kernelSuiteBackends, put, randomArray } from '../helpers/backends.js';
import { expectGuard, expectUnchanged, LENGTHS, putGuarded, relErr } from './util.js';

// Each step is recomputed in f64 from the formulas of abi.ts (PyTorch conventions); kernels run in
// f32, so the bound is relative 1e-6 (above a floor of 0.1 in the random tests: p − lr·step loses
// ~1 ulp of the operands when the result is small).
const TOL = 1e-6;

describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('optimizers on %s', (_name, b) => {
  const k = b.k;

  it('golden single steps on 3 numbers, by hand', () => {
    const step = (fn: (p: number, g: number, s1: number, s2: number) => void, p: number[], g: number[], s1: number[] = [0, 0, 0], s2: number[] = [0, 0, 0]) => {
      const pp = put(b, p), pg = put(b, g), ps1 = put(b, s1), ps2 = put(b, s2);
      fn(pp, pg, ps1, ps2);
      return { p: Array.from(get(b, pp, 3)), s1: Array.from(get(b, ps1, 3)), s2: Array.from(get(b, ps2, 3)) };
    };
    const close = (a: number[], e: number[]) => a.forEach((v, i) => expect(Math.abs(v - e[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e[i]!))));
    // sgd: p = [1, 2, 3] − 0.1·[1, −2, 0.5]
    close(step((p, g) => k.f32_sgd_step(p, g, 3, 0.1), [1, 2, 3], [1, -2, 0.5]).p, [0.9, 2.2, 2.95]);
    // momentum: v = 0.9·[1, 1, 1] + [1, −2, 0.5] = [1.9, −1.1, 1.4]; p −= 0.1·v
    const mo = step((p, g, v) => k.f32_momentum_step(p, g, v, 3, 0.1, 0.9), [1, 2, 3], [1, -2, 0.5], [1, 1, 1]);
    close(mo.s1, [1.9, -1.1, 1.4]);
    close(mo.p, [0.81, 2.11, 2.86]);
    // nesterov: same v; p −= 0.1·(g + 0.9·v) = 0.1·[2.71, −2.99, 1.76]
    const ne = step((p, g, v) => k.f32_nesterov_step(p, g, v, 3, 0.1, 0.9), [1, 2, 3], [1, -2, 0.5], [1, 1, 1]);
    close(ne.s1, [1.9, -1.1, 1.4]);
    close(ne.p, [0.729, 2.299, 2.824]);
    // rmsprop (rho 0.9, eps 1e-8): v = 0.1·g² = [0.1, 0.4, 0.025]; p −= 0.01·g/√v
    const rm = step((p, g, v) => k.f32_rmsprop_step(p, g, v, 3, 0.01, 0.9, 1e-8), [1, 2, 3], [1, -2, 0.5]);
    close(rm.s1, [0.1, 0.4, 0.025]);
    close(rm.p, [1 - 0.01 / Math.sqrt(0.1), 2 + 0.02 / Math.sqrt(0.4), 3 - 0.005 / Math.sqrt(0.025)]);
    // adagrad: s = [1, 4, 0.25] + g² ... starting from s = [1, 1, 1]: [2, 5, 1.25]
    const ad = step((p, g, s) => k.f32_adagrad_step(p, g, s, 3, 0.1, 1e-10), [1, 2, 3], [1, -2, 0.5], [1, 1, 1]);
    close(ad.s1, [2, 5, 1.25]);
    close(ad.p, [1 - 0.1 / Math.sqrt(2), 2 + 0.2 / Math.sqrt(5), 3 - 0.05 / Math.sqrt(1.25)]);
  });

  it('adam: two consecutive steps (bias correction), and AdamW decoupled decay', () => {
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    for (const wd of [0, 0.1]) {
      const p0 = [0.5, -1, 2], g1 = [0.2, -0.4, 1], g2 = [-0.1, -0.4, 3];
      const pp = put(b, p0), pm = put(b, [0, 0, 0]), pv = put(b, [0, 0, 0]);
      const want = [...p0], m = [0, 0, 0], v = [0, 0, 0];
      [g1, g2].forEach((g, t0) => {
        const t = t0 + 1;
        const c1 = 1 / (1 - b1 ** t), c2 = 1 / (1 - b2 ** t);
        k.f32_adam_step(pp, put(b, g), pm, pv, 3, lr, b1, b2, eps, c1, c2, wd);
        for (let i = 0; i < 3; i++) {
          want[i] = want[i]! * (1 - lr * wd);
          m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
          v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
          want[i] = want[i]! - lr * (m[i]! * c1) / (Math.sqrt(v[i]! * c2) + eps);
        }
      });
      // hand check of step 1 without decay: m̂ = g, v̂ = g², so p moves by lr·sign(g)
      if (wd === 0) expect(Math.abs(p0[0]! - 0.01 - (p0[0]! - lr * ((1 - b1) * g1[0]! * 10) / (Math.sqrt((1 - b2) * g1[0]! ** 2 * 1000) + eps)))).toBeLessThan(1e-9);
      expect(relErr(get(b, pp, 3), want, 1e-3)).toBeLessThanOrEqual(TOL);
      expect(relErr(get(b, pm, 3), m, 1e-3)).toBeLessThanOrEqual(TOL);
      expect(relErr(get(b, pv, 3), v, 1e-6)).toBeLessThanOrEqual(TOL);
    }
  });

  it('every optimizer, every length, vs f64 (state in/out, sentinels, g unchanged)', () => {
    for (const n of LENGTHS) {
      const p = randomArray(n, n + 1), g = randomArray(n, n + 2), s1 = randomArray(n, n + 3), s2 = randomArray(n, n + 4, 0.01, 1);
      const sq = randomArray(n, n + 5, 0.01, 1);
      const cases: Array<[string, (pp: number, pg: number, a: number, c: number) => void, (i: number) => [number, number, number]]> = [
        ['sgd', (pp, pg) => k.f32_sgd_step(pp, pg, n, 0.05), (i) => [p[i]! - 0.05 * g[i]!, s1[i]!, s2[i]!]],
        ['momentum', (pp, pg, a) => k.f32_momentum_step(pp, pg, a, n, 0.05, 0.8), (i) => {
          const v = 0.8 * s1[i]! + g[i]!; return [p[i]! - 0.05 * v, v, s2[i]!];
        }],
        ['nesterov', (pp, pg, a) => k.f32_nesterov_step(pp, pg, a, n, 0.05, 0.8), (i) => {
          const v = 0.8 * s1[i]! + g[i]!; return [p[i]! - 0.05 * (g[i]! + 0.8 * v), v, s2[i]!];
        }],
        ['adam', (pp, pg, a, c) => k.f32_adam_step(pp, pg, a, c, n, 0.01, 0.9, 0.99, 1e-8, 1 / (1 - 0.9 ** 3), 1 / (1 - 0.99 ** 3), 0.05), (i) => {
          const m = 0.9 * s1[i]! + 0.1 * g[i]!, v = 0.99 * s2[i]! + 0.01 * g[i]! ** 2;
          return [p[i]! * (1 - 0.01 * 0.05) - (0.01 * m / (1 - 0.9 ** 3)) / (Math.sqrt(v / (1 - 0.99 ** 3)) + 1e-8), m, v];
        }],
        ['nadam', (pp, pg, a, c) => k.f32_nadam_step(pp, pg, a, c, n, 0.01, 0.9, 0.99, 1e-8, 0.7, 1.9, 1 / (1 - 0.99 ** 3)), (i) => {
          const m = 0.9 * s1[i]! + 0.1 * g[i]!, v = 0.99 * s2[i]! + 0.01 * g[i]! ** 2;
          return [p[i]! - 0.01 * (0.7 * g[i]! + 1.9 * m) / (Math.sqrt(v / (1 - 0.99 ** 3)) + 1e-8), m, v];
        }],
        ['rmsprop', (pp, pg, _a, c) => k.f32_rmsprop_step(pp, pg, c, n, 0.01, 0.9, 1e-8), (i) => {
          const v = 0.9 * s2[i]! + 0.1 * g[i]! ** 2; return [p[i]! - 0.01 * g[i]! / (Math.sqrt(v) + 1e-8), s1[i]!, v];
        }],
        ['adagrad', (pp, pg, _a, c) => k.f32_adagrad_step(pp, pg, c, n, 0.01, 1e-8), (i) => {
          const s = sq[i]! + g[i]! ** 2; return [p[i]! - 0.01 * g[i]! / (Math.sqrt(s) + 1e-8), s1[i]!, s];
        }],
      ];
      for (const [name, fn, ref] of cases) {
        const pp = putGuarded(b, p), pg = put(b, g), pa = putGuarded(b, s1), pc = putGuarded(b, name === 'adagrad' ? sq : s2);
        fn(pp, pg, pa, pc);
        const wantP = new Float64Array(n), wantA = new Float64Array(n), wantC = new Float64Array(n);
        for (let i = 0; i < n; i++) [wantP[i], wantA[i], wantC[i]] = ref(i);
        expect(relErr(get(b, pp, n), wantP, 0.1), `${name} p, n=${n}`).toBeLessThanOrEqual(TOL);
        expect(relErr(get(b, pa, n), wantA, 0.1), `${name} state 1, n=${n}`).toBeLessThanOrEqual(TOL);
        expect(relErr(get(b, pc, n), wantC, 0.1), `${name} state 2, n=${n}`).toBeLessThanOrEqual(TOL);
        for (const ptr of [pp, pa, pc]) expectGuard(b, ptr, n);
        expectUnchanged(b, pg, g);
      }
    }
  });

  it('amsgrad: the running maximum of v (third state) decides the denominator, every length vs f64', () => {
    const lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-8, c1 = 1 / (1 - b1 ** 3), c2 = 1 / (1 - b2 ** 3);
    for (const n of LENGTHS) {
      // vmax above v on even elements, below on odd: both branches of the maximum
      const p = randomArray(n, n + 1), g = randomArray(n, n + 2), m0 = randomArray(n, n + 3), v0 = randomArray(n, n + 4, 0.01, 1);
      const x0 = Float32Array.from(v0, (v, i) => (i % 2 === 0 ? v * 3 : v * 0.25));
      const pp = putGuarded(b, p), pg = put(b, g), pm = putGuarded(b, m0), pv = putGuarded(b, v0), px = putGuarded(b, x0);
      k.f32_amsgrad_step(pp, pg, pm, pv, px, n, lr, b1, b2, eps, c1, c2);
      const want = { p: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n), x: new Float64Array(n) };
      for (let i = 0; i < n; i++) {
        want.m[i] = b1 * m0[i]! + (1 - b1) * g[i]!;
        want.v[i] = b2 * v0[i]! + (1 - b2) * g[i]! ** 2;
        want.x[i] = Math.max(x0[i]!, want.v[i]!);
        want.p[i] = p[i]! - lr * want.m[i]! * c1 / (Math.sqrt(want.x[i]! * c2) + eps);
      }
      expect(relErr(get(b, pp, n), want.p, 0.1), `p, n=${n}`).toBeLessThanOrEqual(TOL);
      expect(relErr(get(b, pm, n), want.m, 0.1), `m, n=${n}`).toBeLessThanOrEqual(TOL);
      expect(relErr(get(b, pv, n), want.v, 0.1), `v, n=${n}`).toBeLessThanOrEqual(TOL);
      expect(relErr(get(b, px, n), want.x, 0.1), `vmax, n=${n}`).toBeLessThanOrEqual(TOL);
      for (const ptr of [pp, pm, pv, px]) expectGuard(b, ptr, n);
      expectUnchanged(b, pg, g);
    }
  });
});
