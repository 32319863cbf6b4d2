// The trajectory math against independent truths: Jacobi eigenpairs satisfy A·v = λ·v and are
// orthonormal; snapshots that lie in a 2-D affine plane are drawn isometrically (pairwise
// distances kept, all variance explained); the principal directions agree with power iteration
// on the P × P covariance matrix (a different algorithm on the other side of the Gram trick).
import { describe, expect, it } from 'vitest';
import { gridAxis, MAX_TRAJECTORY_BYTES, MAX_TRAJECTORY_SNAPSHOTS, principalPlane, resolveTrajectory, symmetricEigen, TrajectoryRecorder } from '../../src/train/trajectory.js';
import { testRng } from '../helpers/backends.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; };

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('A·v = λ·v for every pair, orthonormal vectors, λ sorted descending', () => {
    const r = testRng(3);
    const n = 7;
    const B = Array.from({ length: n * n }, () => 2 * r() - 1);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += B[i * n + k]! * B[j * n + k]!; A[i * n + j] = s; }
    const { values, vectors } = symmetricEigen(A, n);
    const col = (c: number) => Float64Array.from({ length: n }, (_, i) => vectors[i * n + c]!);
    for (let c = 0; c < n; c++) {
      const v = col(c);
      for (let i = 0; i < n; i++) {
        let Av = 0;
        for (let j = 0; j < n; j++) Av += A[i * n + j]! * v[j]!;
        expect(Av).toBeCloseTo(values[c]! * v[i]!, 10);
      }
      for (let d = 0; d < n; d++) expect(dot(v, col(d))).toBeCloseTo(c === d ? 1 : 0, 12);
      if (c > 0) expect(values[c]!).toBeLessThanOrEqual(values[c - 1]!);
    }
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i]!;
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 9);
  });
});

describe('principalPlane', () => {
  const P = 40;
  const r = testRng(8);
  // an orthonormal pair by Gram–Schmidt, a centre, and 12 points in that plane
  const u1 = Float64Array.from({ length: P }, () => r() - 0.5);
  const n1 = Math.sqrt(dot(u1, u1));
  u1.forEach((v, i) => { u1[i] = v / n1; });
  const u2 = Float64Array.from({ length: P }, () => r() - 0.5);
  const p = dot(u1, u2);
  u2.forEach((v, i) => { u2[i] = v - p * u1[i]!; });
  const n2 = Math.sqrt(dot(u2, u2));
  u2.forEach((v, i) => { u2[i] = v / n2; });
  const c = Float64Array.from({ length: P }, () => r());
  const coefs = Array.from({ length: 12 }, (_, t) => [3 * Math.cos(t / 3) + t / 4, Math.sin(t / 2)]);
  const snaps = coefs.map(([a, b]) => Float64Array.from({ length: P }, (_, i) => c[i]! + a! * u1[i]! + b! * u2[i]!));

  it('points in a plane: all variance explained, pairwise distances kept, the final point at the origin', () => {
    const plane = principalPlane(snaps, snaps[snaps.length - 1]!);
    expect(plane.explained[0] + plane.explained[1]).toBeCloseTo(1, 12);
    expect(plane.explained[0]).toBeGreaterThan(plane.explained[1]);
    expect(plane.x[11]).toBeCloseTo(0, 12);
    expect(plane.y[11]).toBeCloseTo(0, 12);
    for (let a = 0; a < 12; a++) {
      for (let b = 0; b < 12; b++) {
        const d2 = snaps[a]!.reduce((s, v, i) => s + (v - snaps[b]![i]!) ** 2, 0);
        expect((plane.x[a]! - plane.x[b]!) ** 2 + (plane.y[a]! - plane.y[b]!) ** 2).toBeCloseTo(d2, 9);
      }
    }
    for (const v of plane.directions) expect(dot(v, v)).toBeCloseTo(1, 12);
    expect(dot(plane.directions[0], plane.directions[1])).toBeCloseTo(0, 12);
  });

  it('directions agree with power iteration on the P × P covariance (noisy snapshots)', () => {
    const noisy = snaps.map((s) => s.map((v) => v + 0.01 * (r() - 0.5)));
    const plane = principalPlane(noisy, noisy[0]!);
    const mean = new Float64Array(P);
    for (const s of noisy) s.forEach((v, i) => { mean[i] += v / noisy.length; });
    const C = new Float64Array(P * P);
    for (const s of noisy) for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) C[i * P + j] += (s[i]! - mean[i]!) * (s[j]! - mean[j]!);
    const power = (deflate: Float64Array | undefined) => {
      let v = Float64Array.from({ length: P }, (_, i) => 1 + i / P);
      for (let it = 0; it < 3000; it++) {
        const w = new Float64Array(P);
        for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) w[i] += C[i * P + j]! * v[j]!;
        if (deflate) { const q = dot(w, deflate); w.forEach((x, i) => { w[i] = x - q * deflate[i]!; }); }
        const norm = Math.sqrt(dot(w, w));
        v = w.map((x) => x / norm);
      }
      return v;
    };
    const e1 = power(undefined);
    const e2 = power(e1);
    expect(Math.abs(dot(e1, plane.directions[0]))).toBeCloseTo(1, 8);
    expect(Math.abs(dot(e2, plane.directions[1]))).toBeCloseTo(1, 6);
    // explained variance ratio = λ_k / trace(C)
    let trace = 0;
    for (let i = 0; i < P; i++) trace += C[i * P + i]!;
    const rayleigh = (v: ArrayLike<number>) => { let s = 0; for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) s += v[i]! * C[i * P + j]! * v[j]!; return s; };
    expect(plane.explained[0]).toBeCloseTo(rayleigh(e1) / trace, 9);
    expect(plane.explained[1]).toBeCloseTo(rayleigh(e2) / trace, 7);
  });

  it('a single snapshot, or snapshots that never move, give zero directions and zero coordinates', () => {
    const same = principalPlane([c, c, c], c);
    expect(same.explained).toEqual([0, 0]);
    expect([...same.x, ...same.y].every((v) => v === 0)).toBe(true);
    expect(principalPlane([c], c).x).toEqual([0]);
  });
});

describe('TrajectoryRecorder and the surface grid', () => {
  it('records epoch 0 and every k-th, forced last; the surface is J on the grid of the plane through the final point', () => {
    const rec = new TrajectoryRecorder(resolveTrajectory({ every: 2, grid: 5 })!, 3, 5);
    expect(rec.capacity).toBe(2 + 3); // epoch 0, 2, 4 and the forced last
    const path = (t: number) => [Math.cos(t), Math.sin(t), 0.1 * t];
    for (let e = 0; e <= 5; e++) rec.record(e, path(e), e === 5);
    expect(rec.count).toBe(4);
    const J = (th: ArrayLike<number>) => th[0]! ** 2 + 2 * th[1]! ** 2 + th[2]!;
    const t = rec.finish(path(5), (th) => J(th), 7);
    expect(t.epoch).toEqual([0, 2, 4, 5]);
    expect(t.surface!.x).toHaveLength(5);
    expect(t.surface!.rows).toBe(7);
    t.surface!.loss.forEach((row, j) => row.forEach((v, i) => {
      const th = t.origin.map((o, k) => o + t.surface!.x[i]! * t.directions[0][k]! + t.surface!.y[j]! * t.directions[1][k]!);
      expect(v).toBeCloseTo(J(th), 12);
    }));
    // one width on both axes (equal units in the plane), and the grid covers every point and the origin
    const sx = t.surface!.x, sy = t.surface!.y;
    expect(sx[4]! - sx[0]!).toBeCloseTo(sy[4]! - sy[0]!, 12);
    for (const v of t.x) expect(v).toBeGreaterThan(t.surface!.x[0]!);
    expect(Math.min(...t.surface!.y)).toBeLessThan(Math.min(0, ...t.y));
  });

  it('options are checked', () => {
    expect(resolveTrajectory(undefined)).toBeUndefined();
    expect(resolveTrajectory(true)).toEqual({ every: undefined, surface: true, grid: 21, rows: 1024 });
    expect(() => resolveTrajectory({ every: 0 })).toThrow(/trajectory.every: expected an integer ≥ 1, got 0/);
    expect(() => resolveTrajectory({ grd: 3 } as never)).toThrow(/trajectory.grd: is not an option/);
    expect(() => resolveTrajectory('yes' as never)).toThrow(/trajectory: expected true/);
    expect(gridAxis([1, 3], 3, 0)).toEqual([-0.75, 1.5, 3.75]);
    expect(gridAxis([1, 3], 3, 0, 9)).toEqual([-3, 1.5, 6]); // widened about the same centre
    expect(gridAxis([1, 3], 3, 0, 1)).toEqual([-0.75, 1.5, 3.75]); // never narrowed
  });

  it('snapshots are capped at MAX_TRAJECTORY_SNAPSHOTS (256) and MAX_TRAJECTORY_BYTES (256 MB); without every, the step is chosen to fit', () => {
    expect(MAX_TRAJECTORY_SNAPSHOTS).toBe(256);
    expect(MAX_TRAJECTORY_BYTES).toBe(256 * 2 ** 20);
    const opts = resolveTrajectory(true)!;
    expect(new TrajectoryRecorder(opts, 10, 50).every).toBe(1);
    expect(new TrajectoryRecorder(opts, 10, 254).capacity).toBe(256);
    const r = new TrajectoryRecorder(opts, 10, 1000); // ⌈1000 / 254⌉ = 4: epochs 0, 4, …, 1000 and the last
    expect(r.every).toBe(4);
    expect(r.capacity).toBe(252);
    // every epoch of the run recorded: never past the block
    for (let e = 0; e <= 1000; e++) r.record(e, new Float64Array(10).fill(e), e === 0 || e === 1000);
    expect(r.count).toBe(251);
    expect(() => new TrajectoryRecorder(resolveTrajectory({ every: 1 })!, 10, 255)).toThrow(/trajectory.every: 255 epochs with a snapshot every 1 give up to 257 snapshots, over the cap of 256: use every ≥ 2/);
    expect(() => new TrajectoryRecorder(opts, 2e6, 100)).toThrow(/trajectory: 102 snapshots of 2000000 parameters take 1556.4 MB, over the cap of 256 MB: raise trajectory.every to \d+/);
    // the suggested every fits
    const every = Number(/every to (\d+)/.exec((() => { try { new TrajectoryRecorder(opts, 2e6, 100); } catch (e) { return (e as Error).message; } return ''; })())![1]);
    expect(new TrajectoryRecorder(resolveTrajectory({ every })!, 2e6, 100).capacity * 2e6 * 8).toBeLessThanOrEqual(MAX_TRAJECTORY_BYTES);
  });
});
