// Decision regions of a classifier on two-feature data: predict on a grid over the input plane,
// draw each row of the grid as runs of same-class rectangles, then the training points on top.
// Same data-plot / data-x-* / data-y-* attributes as the line charts (y grows upward).

import { toMatrix, type Matrix, type MatrixLike } from '../data/matrix.js';
import { ValidationError } from '../errors.js';
import { colorOf, esc, niceTicks, num, px, tint } from './html.js';

export interface DecisionRegionData {
  /** The points, n × 2, in the coordinates to show (usually the raw features). */
  X: MatrixLike;
  /** Class index (0..k−1) of each point. */
  y: ArrayLike<number>;
  /** Class index for each row of a grid matrix (same coordinates as X). Default: the report's model.predictClasses. */
  predict?: (grid: Matrix) => ArrayLike<number>;
  featureNames?: readonly string[];
  classNames?: readonly string[];
  /** Grid cells per side (default 90). */
  resolution?: number;
}

export function decisionRegions(id: string, d: DecisionRegionData, predict: (grid: Matrix) => ArrayLike<number>): string {
  const M = toMatrix(d.X, 'decision.X');
  if (M.cols !== 2) throw new ValidationError('decision.X', `has ${M.cols} columns, decision regions need exactly 2 features`);
  if (d.y.length !== M.rows) throw new ValidationError('decision.y', `has ${d.y.length} labels, expected ${M.rows}`);
  const G = Math.max(10, Math.min(300, Math.floor(d.resolution ?? 90)));
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < M.rows; i++) {
    const a = M.data[2 * i]!;
    const b = M.data[2 * i + 1]!;
    x0 = Math.min(x0, a); x1 = Math.max(x1, a); y0 = Math.min(y0, b); y1 = Math.max(y1, b);
  }
  const padX = (x1 - x0 || 1) * 0.06;
  const padY = (y1 - y0 || 1) * 0.06;
  const xt = niceTicks(x0 - padX, x1 + padX);
  const yt = niceTicks(y0 - padY, y1 + padY);
  const [xMin, xMax, yMin, yMax] = [xt.min, xt.max, yt.min, yt.max];
  const grid = new Float32Array(G * G * 2);
  for (let r = 0; r < G; r++) {
    for (let c = 0; c < G; c++) {
      const i = r * G + c;
      grid[2 * i] = xMin + ((c + 0.5) / G) * (xMax - xMin);
      grid[2 * i + 1] = yMax - ((r + 0.5) / G) * (yMax - yMin);
    }
  }
  const cls = predict({ data: grid, rows: G * G, cols: 2 });
  const W = 440;
  const H = 410;
  const left = 62;
  const top = 34;
  const w = W - left - 16;
  const h = H - top - 62;
  const X = (v: number) => left + ((v - xMin) / (xMax - xMin)) * w;
  const Y = (v: number) => top + h - ((v - yMin) / (yMax - yMin)) * h;
  const cw = w / G;
  const ch = h / G;
  const names = d.featureNames ?? ['x₁', 'x₂'];
  const parts: string[] = [];
  parts.push(`<svg id="${esc(id)}" class="chart square" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="decision regions" data-plot="${left} ${top} ${w} ${h}" data-x-min="${xMin}" data-x-max="${xMax}" data-y-min="${yMin}" data-y-max="${yMax}" data-grid="${G}" font-family="system-ui, sans-serif">`);
  parts.push(`<text x="${left}" y="20" font-size="14" font-weight="600" fill="#222">Decision regions, ${G}×${G} grid</text>`);
  parts.push('<g class="regions" shape-rendering="crispEdges">');
  for (let r = 0; r < G; r++) {
    let c = 0;
    while (c < G) {
      const k = cls[r * G + c]!;
      let e = c + 1;
      while (e < G && cls[r * G + e] === k) e++;
      parts.push(`<rect data-class="${k}" x="${px(left + c * cw)}" y="${px(top + r * ch)}" width="${px((e - c) * cw + 0.5)}" height="${px(ch + 0.5)}" fill="${tint(colorOf(k), 0.3)}"/>`);
      c = e;
    }
  }
  parts.push('</g>');
  for (const t of xt.ticks) {
    parts.push(`<text x="${px(X(t))}" y="${top + h + 17}" font-size="12" fill="#555" text-anchor="middle">${esc(num(t))}</text>`);
  }
  for (const t of yt.ticks) {
    parts.push(`<text x="${left - 6}" y="${px(Y(t))}" font-size="12" fill="#555" text-anchor="end" dominant-baseline="middle">${esc(num(t))}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#9ca3af"/>`);
  parts.push('<g class="points">');
  for (let i = 0; i < M.rows; i++) {
    const k = d.y[i]!;
    parts.push(`<circle data-class="${k}" cx="${px(X(M.data[2 * i]!))}" cy="${px(Y(M.data[2 * i + 1]!))}" r="3.2" fill="${colorOf(k)}" stroke="#222" stroke-width="0.6"/>`);
  }
  parts.push('</g>');
  parts.push(`<text x="${left + w / 2}" y="${top + h + 34}" font-size="12" fill="#333" text-anchor="middle">${esc(names[0])}</text>`);
  parts.push(`<text transform="translate(14 ${top + h / 2}) rotate(-90)" font-size="12" fill="#333" text-anchor="middle">${esc(names[1])}</text>`);
  const classes = new Set<number>();
  for (let i = 0; i < d.y.length; i++) classes.add(d.y[i]!);
  let lx = left;
  for (const k of [...classes].sort((a, b) => a - b)) {
    const label = d.classNames?.[k] ?? String(k);
    parts.push(`<circle cx="${lx + 5}" cy="${H - 14}" r="5" fill="${colorOf(k)}" stroke="#222" stroke-width="0.6"/>`);
    parts.push(`<text x="${lx + 14}" y="${H - 10}" font-size="12" fill="#333">${esc(label)}</text>`);
    lx += 28 + label.length * 7;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
