// L-BFGS (limited-memory BFGS, Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithms
// 7.4 and 7.5) with a line search satisfying the strong Wolfe conditions (algorithms 3.5 / 3.6,
// cubic interpolation safeguarded by bisection). Float64 throughout; the objective supplies the
// loss and writes its gradient.

export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIter: number;
  /** Stop when max |∂J/∂x_i| ≤ tol. */
  tol: number;
  /** Number of (s, y) pairs kept. Default 10. */
  memory?: number;
  /** Stop when the relative decrease of J in one iteration is ≤ ftol (scipy's factr·eps). Default 64·eps. */
  ftol?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  /** max |gradient| at x. */
  gradMax: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why it stopped: 'gradient', 'relativeReduction', 'maxIter', 'lineSearch'. */
  reason: 'gradient' | 'relativeReduction' | 'maxIter' | 'lineSearch';
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LS = 25;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Minimizer of the cubic through (a, fa, da), (b, fb, db), or NaN. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
}

/**
 * Minimizes `fg` from x0. Never throws on a failed line search: it reports reason 'lineSearch'
 * with the best point found.
 */
export function lbfgs(fg: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const mem = options.memory ?? 10;
  const ftol = options.ftol ?? 64 * Number.EPSILON;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alphaBuf = new Float64Array(mem);

  const phi = (a: number): { f: number; dg: number } => {
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + a * d[i]!;
    const fv = fg(xNew, gNew);
    evaluations++;
    return { f: fv, dg: dot(gNew, d) };
  };

  // Strong-Wolfe line search along d; on success xNew/gNew hold the accepted point.
  const lineSearch = (step0: number, dg0: number): { a: number; f: number } | null => {
    let aPrev = 0, fPrev = f, dgPrev = dg0;
    let a = step0;
    let bestArmijo: { a: number; f: number } | null = null;
    const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number): { a: number; f: number } | null => {
      for (let it = 0; it < MAX_LS; it++) {
        const width = hi - lo;
        let t = Number.isFinite(fhi) ? cubicMin(lo, flo, dlo, hi, fhi, dhi) : NaN;
        const left = Math.min(lo, hi) + 0.1 * Math.abs(width);
        const right = Math.max(lo, hi) - 0.1 * Math.abs(width);
        if (!(t >= left && t <= right)) t = lo + 0.5 * width;
        const p = phi(t);
        if (!Number.isFinite(p.f) || p.f > f + C1 * t * dg0 || p.f >= flo) {
          hi = t; fhi = p.f; dhi = p.dg;
        } else {
          if (!bestArmijo || p.f < bestArmijo.f) bestArmijo = { a: t, f: p.f };
          if (Math.abs(p.dg) <= -C2 * dg0) return { a: t, f: p.f };
          if (p.dg * (hi - lo) >= 0) { hi = lo; fhi = flo; dhi = dlo; }
          lo = t; flo = p.f; dlo = p.dg;
        }
        if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
      }
      return null;
    };
    let found: { a: number; f: number } | null = null;
    for (let it = 0; it < MAX_LS && !found; it++) {
      const p = phi(a);
      if (!Number.isFinite(p.f) || p.f > f + C1 * a * dg0 || (it > 0 && p.f >= fPrev)) {
        found = zoom(aPrev, fPrev, dgPrev, a, p.f, p.dg);
        break;
      }
      if (!bestArmijo || p.f < bestArmijo.f) bestArmijo = { a, f: p.f };
      if (Math.abs(p.dg) <= -C2 * dg0) return { a, f: p.f };
      if (p.dg >= 0) {
        found = zoom(a, p.f, p.dg, aPrev, fPrev, dgPrev);
        break;
      }
      aPrev = a; fPrev = p.f; dgPrev = p.dg;
      a *= 2;
    }
    if (found) return found;
    // No strong-Wolfe point: fall back to the best point with sufficient decrease (Armijo).
    const b = bestArmijo as { a: number; f: number } | null;
    if (b && b.f < f) {
      phi(b.a);
      return b;
    }
    return null;
  };

  let iterations = 0;
  let reason: LbfgsResult['reason'] = 'maxIter';
  for (;;) {
    if (maxAbs(g) <= options.tol) { reason = 'gradient'; break; }
    if (iterations >= options.maxIter) { reason = 'maxIter'; break; }
    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      const a = rho[j]! * dot(S[j]!, d);
      alphaBuf[j] = a;
      const yj = Y[j]!;
      for (let i = 0; i < n; i++) d[i] -= a * yj[i]!;
    }
    if (k > 0) {
      const gamma = dot(S[k - 1]!, Y[k - 1]!) / dot(Y[k - 1]!, Y[k - 1]!);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const b = rho[j]! * dot(Y[j]!, d);
      const sj = S[j]!;
      const c = alphaBuf[j]! - b;
      for (let i = 0; i < n; i++) d[i] += c * sj[i]!;
    }
    let dg0 = dot(g, d);
    if (!(dg0 < 0)) {
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dg0 = dot(g, d);
      S.length = 0; Y.length = 0; rho.length = 0;
    }
    const step0 = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-dg0)) : 1;
    let ls = lineSearch(step0, dg0);
    if (!ls && S.length > 0) {
      // Retry once along the steepest descent with a fresh memory.
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dg0 = dot(g, d);
      ls = lineSearch(Math.min(1, 1 / Math.sqrt(-dg0)), dg0);
    }
    if (!ls) { reason = 'lineSearch'; break; }
    iterations++;
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) { s[i] = xNew[i]! - x[i]!; yv[i] = gNew[i]! - g[i]!; }
    const sy = dot(s, yv);
    if (sy > 1e-10 * dot(yv, yv)) {
      if (S.length === mem) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(yv); rho.push(1 / sy);
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = ls.f;
    if ((fOld - f) <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      reason = maxAbs(g) <= options.tol ? 'gradient' : 'relativeReduction';
      break;
    }
  }
  const gradMax = maxAbs(g);
  return { x, f, gradMax, iterations, evaluations, converged: reason === 'gradient' || reason === 'relativeReduction', reason };
}
