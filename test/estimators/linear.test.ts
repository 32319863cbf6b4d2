// Logistic and softmax regression against float64 oracles computed here: Newton's method on a
// tiny 1-D problem, plain float64 gradient descent on iris; plus solvers, L2 and warnings.
import { afterEach, describe, expect, it } from 'vitest';
import { LogisticRegression, setWarningHandler, SoftmaxRegression, type ConvergenceWarning } from '../../src/index.js';
import { standardizedSplit } from './helpers.js';

const X1 = [[-2], [-1], [-0.5], [0.5], [1], [2], [3]];
const Y1 = [0, 0, 1, 0, 1, 1, 1];

/** Minimizes mean BCE + (λ/2m)·w² over (w, b) by Newton's method in float64. */
function newton1d(x: number[], y: number[], l2: number): { w: number; b: number } {
  let w = 0, b = 0;
  const m = x.length;
  for (let it = 0; it < 100; it++) {
    let gw = (l2 / m) * w, gb = 0, hww = l2 / m, hwb = 0, hbb = 0;
    for (let i = 0; i < m; i++) {
      const p = 1 / (1 + Math.exp(-(w * x[i]! + b)));
      const r = (p - y[i]!) / m, s = (p * (1 - p)) / m;
      gw += r * x[i]!; gb += r;
      hww += s * x[i]! * x[i]!; hwb += s * x[i]!; hbb += s;
    }
    const det = hww * hbb - hwb * hwb;
    w -= (hbb * gw - hwb * gb) / det;
    b -= (hww * gb - hwb * gw) / det;
  }
  return { w, b };
}

const warnings: ConvergenceWarning[] = [];
const previous = setWarningHandler((w) => warnings.push(w));
afterEach(() => { warnings.length = 0; });
process.on('exit', () => setWarningHandler(previous));

describe('LogisticRegression matches float64 oracles', () => {
  for (const l2 of [1, 0.1]) {
    // The data term's gradient comes from float32 kernels, so agreement is to about 1e-4.
    it(`1-D problem, l2 = ${l2}: L-BFGS lands on Newton's optimum`, () => {
      const ref = newton1d(X1.map((r) => r[0]!), Y1, l2);
      const clf = new LogisticRegression({ l2, tol: 1e-6 }).fit(X1, Y1);
      expect(Math.abs(clf.coef![0]![0]! - ref.w)).toBeLessThan(2e-4);
      expect(Math.abs(clf.intercept![0]! - ref.b)).toBeLessThan(2e-4);
      const p = clf.predictProba([[0.25]]).data[1]!;
      expect(p).toBeCloseTo(1 / (1 + Math.exp(-(ref.w * 0.25 + ref.b))), 4);
    });
  }

  it('gd and sgd approach the same optimum', () => {
    const ref = newton1d(X1.map((r) => r[0]!), Y1, 1);
    const gd = new LogisticRegression({ solver: 'gd', learningRate: 1, maxIter: 5000, tol: 1e-6 }).fit(X1, Y1);
    expect(gd.converged).toBe(true);
    expect(gd.coef![0]![0]).toBeCloseTo(ref.w, 4);
    expect(gd.intercept![0]).toBeCloseTo(ref.b, 4);
    // 8 rows in batches of 2: every sample weighs the same in an epoch (no short last batch).
    const X8 = [...X1, [1.5]], Y8 = [...Y1, 0];
    const ref8 = newton1d(X8.map((r) => r[0]!), Y8, 1);
    const sgd = new LogisticRegression({ solver: 'sgd', learningRate: 0.01, batchSize: 2, maxIter: 3000, tol: 0 }).fit(X8, Y8);
    expect(Math.abs(sgd.coef![0]![0]! - ref8.w)).toBeLessThan(0.03);
    expect(Math.abs(sgd.intercept![0]! - ref8.b)).toBeLessThan(0.03);
  });

  it('L2 never touches the intercept: a huge λ sends w to 0 and b to the log-odds of the class frequency', () => {
    const clf = new LogisticRegression({ l2: 1e7 }).fit(X1, Y1);
    expect(Math.abs(clf.coef![0]![0]!)).toBeLessThan(1e-4);
    expect(clf.intercept![0]).toBeCloseTo(Math.log(4 / 3), 3);
  });

  it('iris seed 0: softmax regression matches float64 gradient descent (coefficients and predictions)', () => {
    const s = standardizedSplit('iris', 0);
    const d = s.Xtr.cols, K = 3, m = s.Xtr.rows;
    const W = new Float64Array(K * d), b = new Float64Array(K);
    const gW = new Float64Array(K * d), gb = new Float64Array(K);
    let gmax = Infinity;
    for (let it = 0; it < 20000 && gmax > 1e-9; it++) {
      gW.set(W.map((w) => w / m)); gb.fill(0);
      for (let i = 0; i < m; i++) {
        const z = Array.from({ length: K }, (_, k) => b[k]! + Array.from({ length: d }, (_, j) => W[k * d + j]! * s.Xtr.data[i * d + j]!).reduce((a, c) => a + c, 0));
        const mx = Math.max(...z);
        const e = z.map((v) => Math.exp(v - mx));
        const sum = e.reduce((a, c) => a + c, 0);
        for (let k = 0; k < K; k++) {
          const r = (e[k]! / sum - (s.ytr[i] === k ? 1 : 0)) / m;
          gb[k] += r;
          for (let j = 0; j < d; j++) gW[k * d + j] += r * s.Xtr.data[i * d + j]!;
        }
      }
      gmax = Math.max(...gW.map(Math.abs), ...gb.map(Math.abs));
      for (let i = 0; i < W.length; i++) W[i] -= 1 * gW[i]!;
      for (let k = 0; k < K; k++) b[k] -= 1 * gb[k]!;
    }
    expect(gmax).toBeLessThan(1e-8);
    const clf = new SoftmaxRegression({ tol: 1e-5 }).fit(s.Xtr, s.ytr);
    clf.coef!.forEach((row, k) => row.forEach((w, j) => expect(Math.abs(w - W[k * d + j]!)).toBeLessThan(2e-3)));
    const ref = Array.from({ length: s.Xte.rows }, (_, i) => {
      const z = Array.from({ length: K }, (_, k) => b[k]! + Array.from({ length: d }, (_, j) => W[k * d + j]! * s.Xte.data[i * d + j]!).reduce((a, c) => a + c, 0));
      return z.indexOf(Math.max(...z));
    });
    expect(clf.predict(s.Xte)).toEqual(ref);
    expect(clf.score(s.Xte, s.yte)).toBeCloseTo(34 / 38, 10);
  });
});

describe('convergence warnings (warnings, not exceptions)', () => {
  it('lbfgs stopped by maxIter', () => {
    const s = standardizedSplit('iris', 0);
    const clf = new SoftmaxRegression({ maxIter: 2 }).fit(s.Xtr, s.ytr);
    expect(clf.converged).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.name).toBe('ConvergenceWarning');
    expect(warnings[0]!.message).toMatch(/SoftmaxRegression \(solver 'lbfgs'\) did not converge: stopped at maxIter = 2/);
    expect(warnings[0]!.message).toMatch(/StandardScaler.*maxIter.*learningRate/);
  });
  it('gd and sgd stopped by maxIter', () => {
    new LogisticRegression({ solver: 'gd', maxIter: 3 }).fit(X1, Y1);
    new LogisticRegression({ solver: 'sgd', maxIter: 3 }).fit(X1, Y1);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/solver 'gd'.*maxIter = 3/), expect.stringMatching(/solver 'sgd'.*maxIter = 3 epochs/)]);
  });
  it('no warning when tol is met', () => {
    const clf = new LogisticRegression().fit(X1, Y1);
    expect(clf.converged).toBe(true);
    expect(warnings).toHaveLength(0);
  });
});
