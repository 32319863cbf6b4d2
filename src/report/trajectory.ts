// The "learning trajectory" section: the parameters' path through training, drawn in the plane of
// their first two principal components through the final weights (history.trajectory from fit
// with `trajectory: true`), over the loss on a grid of that plane: cells shaded by log(loss) and
// iso-loss lines (marching squares). The path's points are at their projected coordinates, which
// is exact only as far as the two components explain the path (stated under the chart).
// Same data-plot / data-x-* / data-y-* attributes as the other charts (y grows upward).

import type { LossSurface, Trajectory } from '../train/trajectory.js';
import { FONT } from './charts.js';
import { esc, heat, niceTicks, num, pct, px } from './html.js';

const PATH = '#e15759';

/** Iso-line segments of `level` over a grid (v[j][i] at (x[i], y[j])), by marching squares with the saddle decided by the cell mean. */
export function isoSegments(s: Pick<LossSurface, 'x' | 'y'>, v: readonly (readonly number[])[], level: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  const lerp = (a: number, b: number, fa: number, fb: number) => a + ((level - fa) / (fb - fa)) * (b - a);
  for (let j = 0; j + 1 < s.y.length; j++) {
    for (let i = 0; i + 1 < s.x.length; i++) {
      const x0 = s.x[i]!, x1 = s.x[i + 1]!, y0 = s.y[j]!, y1 = s.y[j + 1]!;
      const bl = v[j]![i]!, br = v[j]![i + 1]!, tr = v[j + 1]![i + 1]!, tl = v[j + 1]![i]!;
      if (![bl, br, tr, tl].every(Number.isFinite)) continue;
      // Crossing points on the four edges (undefined where the edge does not cross the level).
      const bottom = (bl < level) !== (br < level) ? [lerp(x0, x1, bl, br), y0] as const : undefined;
      const right = (br < level) !== (tr < level) ? [x1, lerp(y0, y1, br, tr)] as const : undefined;
      const top = (tl < level) !== (tr < level) ? [lerp(x0, x1, tl, tr), y1] as const : undefined;
      const left = (bl < level) !== (tl < level) ? [x0, lerp(y0, y1, bl, tl)] as const : undefined;
      const pts = [bottom, right, top, left].filter((p) => p !== undefined);
      if (pts.length === 2) out.push([pts[0]![0], pts[0]![1], pts[1]![0], pts[1]![1]]);
      else if (pts.length === 4) {
        // Saddle: join the crossings around the corners that lie on the same side as the centre.
        const centreBelow = (bl + br + tr + tl) / 4 < level;
        if (centreBelow === (bl < level)) { out.push([bottom![0], bottom![1], right![0], right![1]], [top![0], top![1], left![0], left![1]]); }
        else { out.push([bottom![0], bottom![1], left![0], left![1]], [top![0], top![1], right![0], right![1]]); }
      }
    }
  }
  return out;
}

/** The trajectory chart: surface cells and iso-lines (when there is a surface), then the path. */
export function trajectoryChart(id: string, t: Trajectory): string {
  const s = t.surface;
  const W = 440;
  const H = 34 + (W - 62 - 16) + 86; // a square plot box: the grid has one width on both axes, so units stay equal
  const left = 62;
  const top = 34;
  const w = W - left - 16;
  const h = H - top - 86;
  let x0: number, x1: number, y0: number, y1: number;
  if (s) {
    const dx = (s.x[1]! - s.x[0]!) / 2;
    const dy = (s.y[1]! - s.y[0]!) / 2;
    [x0, x1, y0, y1] = [s.x[0]! - dx, s.x[s.x.length - 1]! + dx, s.y[0]! - dy, s.y[s.y.length - 1]! + dy];
  } else {
    const pad = (v: number[]) => { const lo = Math.min(0, ...v), hi = Math.max(0, ...v); const p = (hi - lo || 1) * 0.1; return [lo - p, hi + p]; };
    [x0, x1] = pad(t.x);
    [y0, y1] = pad(t.y);
  }
  const X = (v: number) => left + ((v - x0) / (x1 - x0)) * w;
  const Y = (v: number) => top + h - ((v - y0) / (y1 - y0)) * h;
  const parts: string[] = [];
  parts.push(`<svg id="${esc(id)}" class="chart square" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="learning trajectory" data-plot="${left} ${top} ${w} ${h}" data-x-min="${x0}" data-x-max="${x1}" data-y-min="${y0}" data-y-max="${y1}" ${FONT}>`);
  parts.push(`<text x="${left}" y="20" font-size="14" font-weight="600" fill="#222">${s ? 'Path over the loss in its plane' : 'Path in its plane'}</text>`);
  let lo = Infinity;
  let hi = -Infinity;
  if (s) {
    const logs = s.loss.map((row) => row.map((v) => (v > 0 && Number.isFinite(v) ? Math.log10(v) : NaN)));
    for (const row of logs) for (const v of row) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const span = hi - lo || 1;
    const cw = w / s.x.length;
    const ch = h / s.y.length;
    parts.push('<g class="surface" shape-rendering="crispEdges">');
    logs.forEach((row, j) => row.forEach((v, i) => {
      const fill = Number.isFinite(v) ? heat(0.08 + 0.8 * ((v - lo) / span)) : '#fde2e2';
      parts.push(`<rect data-loss="${num(s.loss[j]![i]!, 6)}" x="${px(X(s.x[i]!) - cw / 2)}" y="${px(Y(s.y[j]!) - ch / 2)}" width="${px(cw + 0.5)}" height="${px(ch + 0.5)}" fill="${fill}"/>`);
    }));
    parts.push('</g>');
    // Iso-loss lines at 8 levels evenly spaced in log10(loss).
    parts.push('<g class="iso" fill="none" stroke="#ffffff" stroke-opacity="0.75" stroke-width="1">');
    for (let k = 1; k <= 8; k++) {
      const level = lo + (span * k) / 9;
      const segs = isoSegments(s, logs, level);
      if (segs.length) parts.push(`<path data-level="${num(10 ** level, 4)}" d="${segs.map(([a, b, c, d]) => `M${px(X(a))} ${px(Y(b))}L${px(X(c))} ${px(Y(d))}`).join('')}"/>`);
    }
    parts.push('</g>');
  }
  const xt = niceTicks(x0, x1);
  const yt = niceTicks(y0, y1);
  for (const v of xt.ticks) if (v >= x0 && v <= x1) parts.push(`<text x="${px(X(v))}" y="${top + h + 17}" font-size="12" fill="#555" text-anchor="middle">${esc(num(v))}</text>`);
  for (const v of yt.ticks) if (v >= y0 && v <= y1) parts.push(`<text x="${left - 6}" y="${px(Y(v))}" font-size="12" fill="#555" text-anchor="end" dominant-baseline="middle">${esc(num(v))}</text>`);
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#9ca3af"/>`);
  // The path, its snapshots, the start (hollow) and the end (filled, at the origin).
  const pts = t.x.map((x, i) => `${px(X(x))},${px(Y(t.y[i]!))}`);
  parts.push(`<polyline data-series="trajectory" points="${pts.join(' ')}" fill="none" stroke="${PATH}" stroke-width="2" stroke-linejoin="round"/>`);
  t.x.forEach((x, i) => {
    const last = i === t.x.length - 1;
    const r = i === 0 || last ? 5 : 2.6;
    parts.push(`<circle data-epoch="${t.epoch[i]}" cx="${px(X(x))}" cy="${px(Y(t.y[i]!))}" r="${r}" fill="${i === 0 ? '#fff' : PATH}" stroke="${i === 0 || last ? '#222' : PATH}" stroke-width="${i === 0 || last ? 1.4 : 0}"/>`);
  });
  parts.push(`<text x="${left + w / 2}" y="${top + h + 34}" font-size="12" fill="#333" text-anchor="middle">PC 1 (${esc(pct(t.explained[0], 1))} of the path's variance)</text>`);
  parts.push(`<text transform="translate(14 ${top + h / 2}) rotate(-90)" font-size="12" fill="#333" text-anchor="middle">PC 2 (${esc(pct(t.explained[1], 1))})</text>`);
  // Legend: start, end, and the loss colour ramp.
  const ly = H - 24;
  parts.push(`<circle cx="${left + 6}" cy="${ly}" r="5" fill="#fff" stroke="#222" stroke-width="1.4"/><text x="${left + 16}" y="${ly + 4}" font-size="12" fill="#333">start (epoch ${t.epoch[0]})</text>`);
  parts.push(`<circle cx="${left + 126}" cy="${ly}" r="5" fill="${PATH}" stroke="#222" stroke-width="1.4"/><text x="${left + 136}" y="${ly + 4}" font-size="12" fill="#333">end (epoch ${t.epoch[t.epoch.length - 1]})</text>`);
  if (s && Number.isFinite(lo)) {
    const bx = left + 236;
    const bw = w - 236;
    for (let k = 0; k < 10; k++) parts.push(`<rect x="${px(bx + (k * bw) / 10)}" y="${ly - 6}" width="${px(bw / 10 + 0.5)}" height="10" fill="${heat(0.08 + 0.8 * (k / 9))}"/>`);
    parts.push(`<text x="${bx}" y="${ly + 18}" font-size="11" fill="#555">loss ${esc(num(10 ** lo))}</text>`);
    parts.push(`<text x="${bx + bw}" y="${ly + 18}" font-size="11" fill="#555" text-anchor="end">${esc(num(10 ** hi))}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export function trajectorySection(t: Trajectory | undefined): string {
  if (!t || t.x.length < 2) return '';
  const both = t.explained[0] + t.explained[1];
  const s = t.surface;
  const note = `The parameters after each recorded epoch, projected on the first two principal components of the ${t.x.length} snapshots and drawn in the plane those two directions span through the final weights (Li et al., 2018). `
    + `Together they hold ${pct(both, 1)} of the path's variance${both < 0.6 ? ': the path bends out of this plane, so distances here understate it' : ''}. `
    + (s ? `Under the path, the loss at ${s.x.length}×${s.y.length} points of the plane, on ${s.rows} training rows (darker is higher, log scale; white lines are iso-loss levels): a slice through the surface, so a point of the path can sit on a different loss than the snapshot itself had.` : '');
  return `<section id="trajectory"><h2>Learning trajectory</h2><p class="note">${esc(note)}</p><div class="grid2"><figure>${trajectoryChart('chart-trajectory', t)}</figure></div></section>`;
}
