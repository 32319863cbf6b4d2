// The trajectory chart: marching squares against fields whose iso-lines are known exactly (a
// plane gives straight lines, which linear interpolation on the cell edges reproduces exactly;
// a saddle's two branches), and the chart's points mapped back through data-plot to the
// trajectory's coordinates.
import { describe, expect, it } from 'vitest';
import { isoSegments, trajectoryChart, trajectorySection } from '../../src/report/trajectory.js';
import type { Trajectory } from '../../src/train/trajectory.js';
import { attrs, checkHtml, svgById } from './html-check.js';

const axis = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('isoSegments (marching squares)', () => {
  it('on f = x + 2y every segment end lies on x + 2y = level, and the segments cover the line across the grid', () => {
    const s = { x: axis(-1, 1, 9), y: axis(-1, 1, 7) };
    const v = s.y.map((y) => s.x.map((x) => x + 2 * y));
    for (const level of [-1.3, 0.05, 0.9]) {
      const segs = isoSegments(s, v, level);
      expect(segs.length).toBeGreaterThan(0);
      let length = 0;
      for (const [a, b, c, d] of segs) {
        expect(a + 2 * b).toBeCloseTo(level, 12);
        expect(c + 2 * d).toBeCloseTo(level, 12);
        length += Math.hypot(c - a, d - b);
      }
      // the line x = level − 2y clipped to the square [−1, 1]²
      const ys = [-1, 1].map((x) => (level - x) / 2).map((y) => Math.max(-1, Math.min(1, y)));
      const ends = ys.map((y) => [level - 2 * y, y] as const);
      expect(length).toBeCloseTo(Math.hypot(ends[1]![0] - ends[0]![0], ends[1]![1] - ends[0]![1]), 10);
    }
  });

  it('a saddle x·y at level 0 gives the two axes; no crossing gives no segment', () => {
    const s = { x: [-1, 1], y: [-1, 1] };
    const v = [[1, -1], [-1, 1]]; // v[j][i] = x_i·y_j
    const segs = isoSegments(s, v, 0.5);
    expect(segs).toHaveLength(2);
    for (const [a, b, c, d] of segs) for (const [x, y] of [[a, b], [c, d]]) expect(Math.abs(x) === 1 || Math.abs(y) === 1).toBe(true);
    expect(isoSegments(s, v, 5)).toEqual([]);
  });
});

describe('trajectoryChart', () => {
  const t: Trajectory = {
    epoch: [0, 1, 2, 3], x: [-2, -1.2, -0.4, 0], y: [0.5, -0.3, 0.1, 0], explained: [0.8, 0.15],
    directions: [new Float64Array(2), new Float64Array(2)], origin: new Float64Array(2),
    surface: { x: axis(-2.5, 0.5, 7), y: axis(-0.8, 0.8, 5), loss: axis(-0.8, 0.8, 5).map((b) => axis(-2.5, 0.5, 7).map((a) => 0.1 + a * a + 4 * b * b)), rows: 30 },
  };

  it('maps every snapshot back to its coordinates; one shaded cell per grid point; well-formed', () => {
    const html = `<!DOCTYPE html><html><head></head><body>${trajectorySection(t)}</body></html>`;
    expect(checkHtml(html).errors).toEqual([]);
    const svg = svgById(html, 'chart-trajectory')!;
    const a = attrs(svg.tag);
    const [left, top, width, height] = a['data-plot']!.split(' ').map(Number) as [number, number, number, number];
    const [x0, x1, y0, y1] = ['data-x-min', 'data-x-max', 'data-y-min', 'data-y-max'].map((k) => Number(a[k]));
    const circles = [...svg.inner.matchAll(/<circle data-epoch="(\d+)" cx="([\d.]+)" cy="([\d.]+)"/g)];
    expect(circles.map((c) => Number(c[1]))).toEqual(t.epoch);
    circles.forEach((c, i) => {
      expect(x0! + ((Number(c[2]) - left) / width) * (x1! - x0!)).toBeCloseTo(t.x[i]!, 1);
      expect(y0! + ((top + height - Number(c[3])) / height) * (y1! - y0!)).toBeCloseTo(t.y[i]!, 1);
    });
    expect(svg.inner.match(/<rect data-loss=/g)).toHaveLength(35);
    expect(svg.inner).toContain('PC 1 (80.0% of the path');
    expect(html).toContain('95.0% of the path');
    expect(html).toContain('on 30 training rows');
  });

  it('without a surface: the path alone; fewer than two snapshots: no section', () => {
    const { surface: _, ...bare } = t;
    expect(trajectoryChart('c', bare)).not.toContain('data-loss');
    expect(trajectorySection({ ...bare, x: [0], y: [0], epoch: [0] })).toBe('');
    expect(trajectorySection({ ...bare, explained: [0.3, 0.1] })).toContain('bends out of this plane');
  });
});

describe('the report and the CLI draw a recorded trajectory', () => {
  it('trainingReport puts the section in when history.trajectory is there, and only then', async () => {
    const { dense, Sequential, sgd, trainingReport } = await import('../../src/index.js');
    const model = new Sequential({ inputSize: 2, seed: 5, layers: [dense(4, { activation: 'tanh' }), dense(1, { activation: 'sigmoid' })] })
      .compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 0.5 }) });
    const X = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [0, 1, 1, 1];
    const h = model.fitSync(X, y, { epochs: 6, batchSize: 2, trajectory: { grid: 5 } });
    const html = trainingReport({ history: h, model });
    expect(checkHtml(html).errors).toEqual([]);
    const svg = svgById(html, 'chart-trajectory');
    expect(svg).toBeDefined();
    expect((svg!.inner.match(/<circle data-epoch=/g) ?? []).length).toBe(7);
    expect((svg!.inner.match(/<rect data-loss=/g) ?? []).length).toBe(25);
    const plain = model.fitSync(X, y, { epochs: 2 });
    expect(trainingReport({ history: plain, model })).not.toContain('id="trajectory"');
    model.dispose();
  });

  it('simdnet train --trajectory writes it; without --report, or with a non-mlp model, it is a usage error', async () => {
    const { simdnet } = await import('../cli/run.js');
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-traj-'));
    try {
      const out = join(dir, 'r.html');
      const r = simdnet(['train', 'iris', '--epochs', '5', '--report', out, '--trajectory', '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const svg = svgById(readFileSync(out, 'utf8'), 'chart-trajectory');
      expect((svg!.inner.match(/<circle data-epoch=/g) ?? []).length).toBe(6);
      const bad = simdnet(['train', 'iris', '--epochs', '2', '--trajectory']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/--trajectory .*--report/);
      const est = simdnet(['train', 'iris', '--epochs', '2', '--model', 'softmax', '--report', out, '--trajectory']);
      expect(est.code).not.toBe(0);
      expect(est.stderr).toMatch(/--trajectory applies to --model mlp/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
