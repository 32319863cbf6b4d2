// fit({ trajectory }): the snapshots' projection against an independent float64 PCA of the same
// parameters (collected by the test itself through getParams before fit and in onEpochEnd), and the
// loss-surface slice against evaluate() at each grid point of the plane those components span.
import { describe, expect, it } from 'vitest';
import { dense, Sequential, sgd } from '../../src/index.js';

function topTwo(G: number[][]): { vecs: number[][]; vals: number[] } {
  // power iteration with deflation on the symmetric T × T Gram matrix (float64)
  const n = G.length;
  const A = G.map((r) => r.slice());
  const vecs: number[][] = [];
  const vals: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v = Array.from({ length: n }, (_, i) => 1 + i * 0.37);
    let lam = 0;
    for (let it = 0; it < 5000; it++) {
      const w = A.map((r) => r.reduce((s, a, j) => s + a * v[j]!, 0));
      const norm = Math.hypot(...w);
      v = w.map((x) => x / norm);
      lam = norm;
    }
    vecs.push(v);
    vals.push(lam);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i]![j]! -= lam * v[i]! * v[j]!;
  }
  return { vecs, vals };
}

describe('fit({ trajectory })', () => {
  it('projects the snapshots on the first two principal components of an independent float64 PCA', async () => {
    const X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.2], [0.1, 0.9]];
    const y = [[0], [1], [1], [0], [1], [1]];
    const model = new Sequential({ inputSize: 2, seed: 3, layers: [dense(3, { activation: 'tanh' }), dense(1, { activation: 'sigmoid' })] });
    model.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 0.5 }) });
    const snaps: number[][] = [Array.from(model.getParams())];
    const h = await model.fit(X, y, { epochs: 8, batchSize: 2, trajectory: { grid: 5 }, callbacks: { onEpochEnd: () => { snaps.push(Array.from(model.getParams())); } } });
    const t = h.trajectory!;
    expect(t.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const T = snaps.length;
    const P = snaps[0]!.length;
    const mean = Array.from({ length: P }, (_, j) => snaps.reduce((s, r) => s + r[j]!, 0) / T);
    const C = snaps.map((r) => r.map((v, j) => v - mean[j]!));
    const G = C.map((a) => C.map((b) => a.reduce((s, v, j) => s + v * b[j]!, 0)));
    const { vecs, vals } = topTwo(G);
    const trace = G.reduce((s, r, i) => s + r[i]!, 0);
    const final = snaps[T - 1]!;
    for (let k = 0; k < 2; k++) {
      const dir = Array.from({ length: P }, (_, j) => C.reduce((s, r, i) => s + r[j]! * vecs[k]![i]!, 0));
      const n = Math.hypot(...dir);
      const proj = snaps.map((r) => r.reduce((s, v, j) => s + (v - final[j]!) * dir[j]! / n, 0));
      const got = k === 0 ? t.x : t.y;
      const sign = Math.sign(got.reduce((s, v, i) => s + v * proj[i]!, 0)) || 1;
      for (let i = 0; i < T; i++) expect(got[i]!).toBeCloseTo(sign * proj[i]!, 5);
      expect(t.explained[k]!).toBeCloseTo(vals[k]! / trace, 6);
    }
    expect(t.x[T - 1]).toBeCloseTo(0, 12);
    // every point of the surface is evaluate() at θ_n + x·v₁ + y·v₂, the directions built here from the independent PCA
    const s = t.surface!;
    expect(s.x).toHaveLength(5);
    expect(s.rows).toBe(6);
    const dirs = [0, 1].map((k) => {
      const dir = Array.from({ length: P }, (_, j) => C.reduce((acc, r, i) => acc + r[j]! * vecs[k]![i]!, 0));
      const n = Math.hypot(...dir);
      const sign = Math.sign(t.directions[k]!.reduce((acc, v, j) => acc + v * dir[j]!, 0)) || 1;
      return dir.map((v) => (sign * v) / n);
    });
    const probe = new Sequential({ inputSize: 2, seed: 3, layers: [dense(3, { activation: 'tanh' }), dense(1, { activation: 'sigmoid' })] });
    probe.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 0.5 }) });
    let points = 0;
    s.loss.forEach((lossRow, j) => lossRow.forEach((v, i) => {
      probe.setParams(final.map((f, q) => f + s.x[i]! * dirs[0]![q]! + s.y[j]! * dirs[1]![q]!));
      expect(v, `surface (${i}, ${j})`).toBeCloseTo(probe.evaluate(X, y).loss, 4);
      points++;
    }));
    expect(points).toBe(25);
    probe.dispose();
    expect(Array.from(model.getParams())).toEqual(final); // the weights are put back after the surface
    model.dispose();
  });
});
