// Runs every ```ts "try it" block of docs/lecture-notes.md, each in its own Node process through
// the TypeScript loader with 'simdnet' mapped to src/index.ts, and checks the JSON line it prints
// against the lecture notes (shared seeds/ folder; "note 00N §…" names the place). The expected
// values are the notes' printed numbers, or the notes' formulas evaluated here in float64 on the
// inputs the block printed; nothing expected comes from the library. Every block needs a check
// and every check a block.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

type Out = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Mat = { rows: number; cols: number; data: number[] };
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const step = (z: number) => (z >= 0 ? 1 : 0);
const close = (got: number[], want: number[], tol: number, what: string) => {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol));
};
const row = (M: Mat, r: number) => M.data.slice(r * M.cols, (r + 1) * M.cols);
const col = (M: Mat, c: number) => Array.from({ length: M.rows }, (_, r) => M.data[r * M.cols + c]!);

const CHECKS: Record<string, (o: Out) => void> = {
  // note 004 "Neural Network example 1: AND": h = g(−30 + 20x1 + 20x2), table g(−30), g(−10), g(−10), g(10)
  '004-and': (o) => {
    expect(o.z).toEqual([-30, -10, -10, 10]);
    close(o.h, [-30, -10, -10, 10].map(sigmoid), 1e-6, 'h');
    expect(o.h.map((p: number) => Math.round(p))).toEqual([0, 0, 0, 1]);
  },
  // note 004 "example 2: NOT": g(10) ≈ 1, g(−10) ≈ 0
  '004-not': (o) => {
    expect(o.z).toEqual([10, -10]);
    close(o.h, [10, -10].map(sigmoid), 1e-6, 'h');
  },
  // note 004 "example 3: XNOR" = (x1 AND x2) OR ((NOT x1) AND (NOT x2)), each unit as the notes build it
  '004-xnor': (o) => {
    const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const want = X.map(([a, b]) => { const h1 = sigmoid(-30 + 20 * a! + 20 * b!), h2 = sigmoid(10 - 20 * a! - 20 * b!); return [h1, h2, sigmoid(-10 + 20 * h1 + 20 * h2)]; });
    close(o.a2, want.flatMap((w) => w.slice(0, 2)), 1e-6, 'hidden a');
    close(o.h, want.map((w) => w[2]!), 1e-5, 'h');
    expect(o.h.map((p: number) => Math.round(p))).toEqual([1, 0, 0, 1]);
  },
  // note 003 §1 problem 1 (b)-(e) and its solution: z^H = (x − 1, x − 3), u^H = (1{x ≥ 1}, 1{x ≥ 3}), z^O = −u1 + 2u2 + 0.5, ŷ = 1{z^O ≥ 0}
  '003-problem-1': (o) => {
    const x: number[] = o.x;
    expect(o.zH).toEqual(x.flatMap((v) => [v - 1, v - 3]));
    expect(o.uH).toEqual(x.flatMap((v) => [v >= 1 ? 1 : 0, v >= 3 ? 1 : 0]));
    const zO = x.map((v) => -(v >= 1 ? 1 : 0) + 2 * (v >= 3 ? 1 : 0) + 0.5);
    expect(o.zO).toEqual(zO);
    expect(o.yHat).toEqual(zO.map(step));
  },
  // note 003 §1 problem 2, Table 1 (columns x = 0, 1, 3, 5, 3.5): rows z_i1, z_i2, u_i1, u_i2, z^O, ŷ; y = 0, 0, 1, 0 on the first four
  '003-table-1': (o) => {
    // the table prints z_i2(3.5) = 0.5; 3.5 − 4 = −0.5, as its own u_i2(3.5) = 0 says (a slip, docs/lecture-notes.md)
    const zH = [[-2, -1, 1, 3, 1.5], [-4, -3, -1, 1, -0.5]], uH = [[0, 0, 1, 1, 1], [0, 0, 0, 1, 0]];
    expect(o.zH).toEqual([0, 1, 2, 3, 4].flatMap((i) => [zH[0]![i], zH[1]![i]]));
    expect(o.uH).toEqual([0, 1, 2, 3, 4].flatMap((i) => [uH[0]![i], uH[1]![i]]));
    expect(o.zO).toEqual([-0.5, -0.5, 0.5, -1.5, 0.5]);
    expect(o.yHat).toEqual([0, 0, 1, 0, 1]);
    expect(o.yHat.slice(0, 4)).toEqual([0, 0, 1, 0]);
  },
  // note 003 §1 problem 3 solution, eq. (12): ŷ = 1 iff x1 ≥ 0, x2 ≥ 0, x1 + x2 < 1, where z^O = 0.5; z^O < 0 elsewhere
  '003-problem-3': (o) => {
    (o.X as number[][]).forEach(([x1, x2], i) => {
      const inside = x1! >= 0 && x2! >= 0 && x1! + x2! < 1;
      expect(o.yHat[i], `(${x1}, ${x2})`).toBe(inside ? 1 : 0);
      if (inside) expect(o.zO[i]).toBe(0.5); else expect(o.zO[i]).toBeLessThan(0);
    });
    expect((o.yHat as number[]).filter((v) => v === 1).length).toBeGreaterThan(3);
  },
  // note 000 "the perceptron": θ_j := θ_j + α(y − h_θ(x))x_j, h = g(θᵀx) = 1{θᵀx ≥ 0}; replayed here from θ = 0, α = 1, in order, until an epoch without a mistake
  '000-perceptron': (o) => {
    const X = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [0, 0, 0, 1];
    const th = [0, 0, 0]; // bias, w1, w2
    for (let epoch = 0, mistakes = 1; mistakes > 0 && epoch < 100; epoch++) {
      mistakes = 0;
      X.forEach(([a, b], i) => { const h = step(th[0]! + th[1]! * a! + th[2]! * b!); if (h !== y[i]) { mistakes++; [1, a!, b!].forEach((xj, j) => { th[j]! += (y[i]! - h) * xj; }); } });
    }
    expect(o.predict).toEqual(y);
    expect(o.converged).toBe(true);
    expect([o.intercept[0], ...o.coef[0]]).toEqual(th);
  },
  // note 004 "model representation": Θ(j) is s(j+1) × (s(j) + 1): 101 → 21 units gives 21 × 102; note 002's 3-3-1 network: Θ(1) 3 × 4, Θ(2) 1 × 4
  '004-theta-sizes': (o) => {
    expect(o.s101to21).toEqual([[21, 102]]);
    expect(o.net331).toEqual([[3, 4], [1, 4]]);
  },
  // note 004 "cost function" J(Θ) with (λ/2m)ΣΘ² (bias column excluded) and "backpropagation": δ(4) = a(4) − y,
  // δ(l) = Θ(l)ᵀδ(l+1) .* a(l)(1 − a(l)), Δ(l) += δ(l+1)a(l)ᵀ, D = Δ/m (+ (λ/m)Θ off the bias column: J's gradient; the printed λΘ is a slip)
  '004-3-5-5-4': (o) => {
    const X: number[][] = o.X, Y: number[][] = o.Y, lambda: number = o.lambda, m = X.length;
    const Ts: Mat[] = o.layers.map((l: Out) => l.Theta);
    expect(Ts.map((T) => [T.rows, T.cols])).toEqual([[5, 4], [5, 6], [4, 6]]);
    let J = 0;
    const Delta = Ts.map((T) => new Array(T.rows * T.cols).fill(0));
    X.forEach((x, i) => {
      const a = [x];
      for (const T of Ts) a.push(Array.from({ length: T.rows }, (_, r) => sigmoid(row(T, r).reduce((s, v, c) => s + v * (c === 0 ? 1 : a[a.length - 1]![c - 1]!), 0))));
      a.slice(1).forEach((al, l) => close(row(o.layers[l].a, i), al, 1e-12, `a(${l + 2}) of example ${i}`));
      a[3]!.forEach((h, k) => { J -= Y[i]![k]! * Math.log(h) + (1 - Y[i]![k]!) * Math.log(1 - h); });
      const d: number[][] = [];
      d[3] = a[3]!.map((v, k) => v - Y[i]![k]!);
      for (let l = 2; l >= 1; l--) d[l] = a[l]!.map((v, j) => col(Ts[l]!, j + 1).reduce((s, t, r) => s + t * d[l + 1]![r]!, 0) * v * (1 - v));
      for (let l = 0; l < 3; l++) {
        const u = Ts[l]!.rows;
        close(o.layers[l].delta.slice(i * u, (i + 1) * u), d[l + 1]!, 1e-12, `δ(${l + 2}) of example ${i}`);
        for (let r = 0; r < u; r++) for (let c = 0; c < Ts[l]!.cols; c++) Delta[l]![r * Ts[l]!.cols + c] += d[l + 1]![r]! * (c === 0 ? 1 : a[l]![c - 1]!);
      }
    });
    const reg = Ts.reduce((s, T) => s + T.data.reduce((t, v, q) => t + (q % T.cols === 0 ? 0 : v * v), 0), 0);
    J = J / m + (lambda / (2 * m)) * reg;
    expect(Math.abs(o.J - J) / J).toBeLessThan(1e-13);
    Ts.forEach((T, l) => close(o.layers[l].D.data, Delta[l]!.map((v, q) => v / m + (q % T.cols === 0 ? 0 : (lambda / m) * T.data[q]!)), 1e-13, `D(${l + 1})`));
  },
  // note 004 "gradient checking": gradApprox = (J(θ + ε) − J(θ − ε))/2ε, ε = 1e-4, "check gradApprox ≈ DVec"
  '004-gradient-check': (o) => {
    expect(o.epsilon).toBe(1e-4);
    const n: number[] = o.numeric, a: number[] = o.analytic;
    expect(n).toHaveLength(4 * 5 + 6 * 5 + 6 * 4);
    const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(norm(a.map((x, i) => x - n[i]!)) / (norm(a) + norm(n))).toBeLessThan(1e-7);
    expect(o.maxRelativeError).toBeLessThan(1e-7);
  },
  // note 004 "unrolling parameters": thetaVec = [Theta1(:); Theta2(:); Theta3(:)], Theta1 = reshape(thetaVec(1:110), 10, 11) (column-major); 110 + 110 + 11 values
  '004-unroll': (o) => {
    expect(o.length).toBe(110 + 110 + 11);
    const T1: number[] = o.Theta1; // 10 × 11 row-major, bias column first
    expect(T1).toHaveLength(110);
    expect(o.first110).toEqual(Array.from({ length: 110 }, (_, q) => T1[(q % 10) * 11 + Math.floor(q / 10)]));
    expect(o.restored).toBe(true);
  },
  // note 001 "Weight Initialization": printed std of hidden layers 1-9 (0.627953 … 0.228008); layer 6 and the last line are slips (docs)
  '001-xavier': (o) => {
    const printed = [0.627953, 0.486051, 0.407723, 0.357108, 0.320917, 0.222116, 0.273387, 0.254935, 0.228008];
    const std: number[] = o.std;
    expect(std).toHaveLength(10);
    for (const l of [0, 1, 2, 3, 4, 6, 7]) expect(Math.abs(std[l]! / printed[l]! - 1), `layer ${l + 1}`).toBeLessThan(0.02);
    expect(Math.abs(std[9]! / printed[8]! - 1), 'layer 10 = the last printed line').toBeLessThan(0.02);
    expect(std[5]).toBeLessThan(std[4]!);
    expect(std[5]).toBeGreaterThan(std[6]!);
    for (const mu of o.mean) expect(Math.abs(mu)).toBeLessThan(0.01); // the printed means are all below 0.002 in size
  },
  // note 003 §3 problem 2: ŷ_i = Σ_j α_j exp(z_ij), z_ij = Σ_k W_jk x_ik + b_j, L = Σ_i (y_i − ŷ_i)²; ∂L/∂α_j = Σ_i 2(ŷ_i − y_i)e^{z_ij},
  // ∂L/∂W_jk = Σ_i 2(ŷ_i − y_i)α_j e^{z_ij} x_ik (the notes print u_ik for x_ik, a slip), ∂L/∂x_ik = Σ_j 2(ŷ_i − y_i)α_j e^{z_ij} W_jk
  '003-exp': (o) => {
    const { W, b, alpha, X, y } = o as { W: number[]; b: number[]; alpha: number[]; X: number[][]; y: number[][] };
    const ez = X.map((x) => b.map((bj, j) => Math.exp(bj + x[0]! * W[2 * j]! + x[1]! * W[2 * j + 1]!)));
    const yHat = ez.map((e) => e.reduce((s, v, j) => s + alpha[j]! * v, 0));
    const r = yHat.map((h, i) => 2 * (h - y[i]![0]!));
    close(o.yHat, yHat, 1e-12, 'ŷ');
    expect(Math.abs(o.L - yHat.reduce((s, h, i) => s + (y[i]![0]! - h) ** 2, 0))).toBeLessThan(1e-12);
    close(o.dLdAlpha, alpha.map((_, j) => ez.reduce((s, e, i) => s + r[i]! * e[j]!, 0)), 1e-12, '∂L/∂α');
    close(o.dLdW, W.map((_, q) => { const j = Math.floor(q / 2), k = q % 2; return ez.reduce((s, e, i) => s + r[i]! * alpha[j]! * e[j]! * X[i]![k]!, 0); }), 1e-12, '∂L/∂W');
    close(o.dLdx, X.flatMap((_, i) => [0, 1].map((k) => alpha.reduce((s, aj, j) => s + r[i]! * aj * ez[i]![j]! * W[2 * j + k]!, 0))), 1e-12, '∂L/∂x');
  },
  // note 001 "Batch Normalization": x̂ = (x − E[x])/√Var[x] per feature over the batch (biased variance; simdnet's ε = 1e-5 added)
  '001-batch-norm': (o) => {
    const X: number[][] = o.X, m = X.length;
    const want = X.map((x) => x.map((v, k) => {
      const mu = X.reduce((s, r) => s + r[k]!, 0) / m, v2 = X.reduce((s, r) => s + (r[k]! - mu) ** 2, 0) / m;
      return (v - mu) / Math.sqrt(v2 + 1e-5);
    }));
    close(o.xHat, want.flat(), 1e-12, 'x̂');
  },
  // note 001 "BackProp": the 2-2-1 regression network's local-gradient table, f1…f4 and ∂E/∂w1 = −2(y − ŷ)·w5·h1(1 − h1)·x1
  '001-2-2-1': (o) => {
    const [w1, w2, w3, w4, w5, w6] = o.w as number[], [b1, b2, b3] = o.b as number[], [x1, x2] = o.x as number[], y: number = o.y;
    const h1 = sigmoid(x1! * w1! + x2! * w3! + b1!), h2 = sigmoid(x1! * w2! + x2! * w4! + b2!);
    const yHat = h1 * w5! + h2 * w6! + b3!, r = -2 * (y - yHat);
    close(o.h, [h1, h2], 1e-7, 'h');
    expect(Math.abs(o.yHat - yHat)).toBeLessThan(1e-7);
    expect(Math.abs(o.E - (y - yHat) ** 2)).toBeLessThan(1e-7);
    expect(Math.abs(o.dEdw1 - r * w5! * h1 * (1 - h1) * x1!)).toBeLessThan(1e-7);
    // W rows (w1, w3), (w2, w4): ∂E/∂w_{ji} = r·w_{5|6}·h_j(1 − h_j)·x_i
    close(o.dEdW1, [r * w5! * h1 * (1 - h1) * x1!, r * w5! * h1 * (1 - h1) * x2!, r * w6! * h2 * (1 - h2) * x1!, r * w6! * h2 * (1 - h2) * x2!], 1e-7, '∂E/∂W1');
    expect(Math.abs(o.dEdw5 - r * h1)).toBeLessThan(1e-7);
    close(o.dEdx, [r * (w5! * h1 * (1 - h1) * w1! + w6! * h2 * (1 - h2) * w2!), r * (w5! * h1 * (1 - h1) * w3! + w6! * h2 * (1 - h2) * w4!)], 1e-7, '∂E/∂x');
  },
  // note 002 "negative log Likelihood": −log a_y for y = 3 (a_3 = .1) and y = 1 (a_1 = .4)
  '002-nll': (o) => {
    close(o.p, o.a, 1e-6, 'softmax(log a) = a');
    expect(Math.abs(o.lossY3 + Math.log(0.1))).toBeLessThan(1e-5);
    expect(Math.abs(o.lossY1 + Math.log(0.4))).toBeLessThan(1e-5);
  },
  // note 001 "Dropout at test time": the Monte-Carlo average of n passes; each pass mask·x/(1 − p) has mean x and
  // sd |x|·√(p/(1 − p)): the mean within 6 standard errors, the std within 6 sd of its estimate (Bernoulli kurtosis)
  '001-mc-dropout': (o) => {
    const p: number = o.p, x: number[] = o.x, n: number = o.samples, q = 1 - p;
    expect(n).toBe(4000);
    close(o.plain, x, 0, 'the plain test-time pass (identity)');
    const kurtosis = (1 - 6 * q * (1 - q)) / (q * (1 - q)) + 3;
    x.forEach((xi, i) => {
      const sigma = Math.abs(xi) * Math.sqrt(p / q);
      expect(Math.abs(o.mean[i] - xi), `mean[${i}]`).toBeLessThan((6 * sigma) / Math.sqrt(n));
      expect(Math.abs(o.std[i] - sigma), `std[${i}]`).toBeLessThan(6 * (sigma / 2) * Math.sqrt((kurtosis - 1) / n));
    });
  },
  // note 000 "log softmax" a_i − log Σ_j exp(a_j); note 002 "chain rule" for softmax regression: ∂L/∂a, ∂a/∂z = a_i(δ_ij − a_j), ∂L/∂z = a − y
  '002-softmax': (o) => {
    const big: number[] = o.big, z: number[] = o.z;
    const lse = (v: number[]) => { const mx = Math.max(...v); return mx + Math.log(v.reduce((s, x) => s + Math.exp(x - mx), 0)); };
    close(o.logSoftmaxBig, big.map((x) => x - lse(big)), 1e-9, 'log softmax at logits near 1000');
    const a = z.map((x) => Math.exp(x - lse(z)));
    close(o.a, a, 1e-15, 'softmax');
    close(o.jacobian, a.flatMap((ai, i) => a.map((aj, j) => ai * ((i === j ? 1 : 0) - aj))), 1e-15, '∂a/∂z');
    close(o.dLdz, a.map((v, k) => v - (k === o.yTrue ? 1 : 0)), 1e-14, '∂L/∂z = a − y');
  },
};

function tsBlocks(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  for (const m of markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1]! });
  return out;
}

const page = readFileSync(join(ROOT, 'docs/lecture-notes.md'), 'utf8');
const blocks = tsBlocks(page).map((b) => ({ ...b, name: /^\/\/ try-it: (\S+)/.exec(b.code)?.[1] }));
const dir = mkdtempSync(join(tmpdir(), 'simdnet-docs-notes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const index = JSON.stringify(join(ROOT, 'src/index.ts'));

describe('docs/lecture-notes.md "try it" blocks against the notes', () => {
  it('every block is named, has a check, and every check has a block', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(Object.keys(CHECKS).length);
    for (const b of blocks) expect(b.name && b.name in CHECKS, `docs/lecture-notes.md:${b.line} (${b.name ?? 'no "// try-it: name" line'}) has no check`).toBe(true);
    expect(Object.keys(CHECKS).filter((k) => !blocks.some((b) => b.name === k))).toEqual([]);
    for (const b of blocks) for (const m of b.code.matchAll(/from '([^']+)'/g)) expect(m[1], `docs/lecture-notes.md:${b.line}`).toBe('simdnet');
  });
  for (const b of blocks) {
    it(`${b.name} (docs/lecture-notes.md:${b.line})`, () => {
      const file = join(dir, `block-${b.line}.ts`);
      writeFileSync(file, b.code.replace(/from 'simdnet'/g, `from ${index}`));
      const r = spawnSync(process.execPath, ['--import', join(ROOT, 'bench/ts-loader.mjs'), file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`docs/lecture-notes.md:${b.line} failed (exit ${r.status}):\n${r.stderr}`);
      const lines = r.stdout.trim().split('\n');
      const check = CHECKS[b.name ?? ''];
      if (!check) throw new Error(`docs/lecture-notes.md:${b.line}: no check for this block`);
      check(JSON.parse(lines[lines.length - 1]!));
    }, 120_000);
  }
});
