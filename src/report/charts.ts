// Inline SVG line charts for the training report, with optional bands (e.g. a quantile range)
// drawn under the lines. Every chart is an <svg id="chart-..."> whose plot box and data domain
// are carried as data attributes, so a reader (or a test) can map points back to values:
//
//   x_px = left + (x − xMin) / (xMax − xMin) · width
//   y_px = top + height − (y − yMin) / (yMax − yMin) · height
//
// with data-plot="left top width height", data-x-min/max and data-y-min/max on the <svg>.
// The viewBox is 440 wide with 12-unit text: the CSS stretches a chart to its column, and at a
// 420 px wide window (about 380 px of column) text still renders at ≥ 10 px.

import { colorOf, esc, niceTicks, num, px } from './html.js';

/** A filled area between two curves, e.g. the quartiles or the min…max of a value per epoch. */
export interface Band {
  /** Written as data-series on the polygon. */
  name: string;
  lower: readonly number[];
  upper: readonly number[];
  /** Fill opacity (default 0.18). */
  opacity?: number;
}

export type Marker = 'circle' | 'square' | 'triangle' | 'diamond';

export interface Series {
  /** Machine name, written as data-series. */
  name: string;
  /** Legend text. */
  label: string;
  values: readonly number[];
  color?: string;
  dashed?: boolean;
  /** Bands in this series' colour, drawn under every line. */
  bands?: readonly Band[];
  /** A mark at every point, so lines that coincide stay distinguishable. */
  marker?: Marker;
}

export interface LineChartOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** x value of each point (epochs, 1-based). */
  x: readonly number[];
  series: readonly Series[];
  width?: number;
  height?: number;
  /** Force the y range (e.g. [0, 1] for accuracy). Data outside is clamped. */
  yRange?: [number, number];
  /** Tick label format. */
  yFormat?: (v: number) => string;
}

export const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

function marker(kind: Marker, x: number, y: number, color: string): string {
  const r = 3.5;
  if (kind === 'circle') return `<circle cx="${px(x)}" cy="${px(y)}" r="${r}" fill="${color}"/>`;
  if (kind === 'square') return `<rect x="${px(x - r)}" y="${px(y - r)}" width="${2 * r}" height="${2 * r}" fill="none" stroke="${color}" stroke-width="1.5"/>`;
  const pts = kind === 'triangle'
    ? [[x, y - r - 1], [x + r + 1, y + r], [x - r - 1, y + r]]
    : [[x, y - r - 1], [x + r + 1, y], [x, y + r + 1], [x - r - 1, y]];
  return `<polygon points="${pts.map(([a, b]) => `${px(a!)},${px(b!)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"/>`;
}

export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 440;
  const H = o.height ?? 280;
  const left = 60;
  const right = 14;
  const top = 34;
  const bottom = 62;
  const w = W - left - right;
  const h = H - top - bottom;
  const xs = o.x;
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMaxRaw = xs.length ? Math.max(...xs) : 1;
  const xMax = xMaxRaw > xMin ? xMaxRaw : xMin + 1;
  let lo = Infinity;
  let hi = -Infinity;
  const extend = (v: number) => { if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } };
  for (const s of o.series) {
    s.values.forEach(extend);
    for (const b of s.bands ?? []) { b.lower.forEach(extend); b.upper.forEach(extend); }
  }
  const yt = o.yRange ? niceTicks(o.yRange[0], o.yRange[1]) : niceTicks(lo, hi);
  const [yMin, yMax] = o.yRange ?? [yt.min, yt.max];
  const X = (x: number) => left + ((x - xMin) / (xMax - xMin)) * w;
  const Y = (y: number) => top + h - ((Math.min(yMax, Math.max(yMin, y)) - yMin) / (yMax - yMin)) * h;
  const fmt = o.yFormat ?? num;
  const parts: string[] = [];
  parts.push(`<svg id="${esc(o.id)}" class="chart line" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}" data-plot="${left} ${top} ${w} ${h}" data-x-min="${xMin}" data-x-max="${xMax}" data-y-min="${yMin}" data-y-max="${yMax}" ${FONT}>`);
  parts.push(`<text x="${left}" y="20" class="chart-title" font-size="14" font-weight="600" fill="#222">${esc(o.title)}</text>`);
  // Grid and y ticks.
  for (const t of yt.ticks) {
    if (t < yMin - 1e-12 || t > yMax + 1e-12) continue;
    const y = px(Y(t));
    parts.push(`<line x1="${left}" x2="${left + w}" y1="${y}" y2="${y}" stroke="#e5e7eb" stroke-width="1"/>`);
    parts.push(`<text x="${left - 6}" y="${y}" font-size="12" fill="#555" text-anchor="end" dominant-baseline="middle">${esc(fmt(t))}</text>`);
  }
  // X ticks: integers (epochs), at most ~6 labels.
  const xTicks = niceTicks(xMin, xMax, 5).ticks.filter((t) => t >= xMin - 1e-9 && t <= xMax + 1e-9 && Number.isInteger(t));
  if (!xTicks.includes(xMin)) xTicks.unshift(xMin);
  for (const t of xTicks) {
    const x = px(X(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${top + h}" y2="${top + h + 4}" stroke="#888"/>`);
    parts.push(`<text x="${x}" y="${top + h + 17}" font-size="12" fill="#555" text-anchor="middle">${esc(String(Math.round(t * 100) / 100))}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#9ca3af"/>`);
  parts.push(`<text x="${left + w / 2}" y="${top + h + 34}" font-size="12" fill="#333" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${top + h / 2}) rotate(-90)" font-size="12" fill="#333" text-anchor="middle">${esc(o.yLabel)}</text>`);
  // Bands under lines: the upper edge left to right, then the lower edge back.
  o.series.forEach((s, si) => {
    const color = s.color ?? colorOf(si);
    for (const b of s.bands ?? []) {
      const upper: string[] = [];
      const lower: string[] = [];
      xs.forEach((x, i) => {
        const u = b.upper[i];
        const l = b.lower[i];
        if (u === undefined || l === undefined || !Number.isFinite(u) || !Number.isFinite(l)) return;
        upper.push(`${px(X(x))},${px(Y(u))}`);
        lower.unshift(`${px(X(x))},${px(Y(l))}`);
      });
      if (upper.length) parts.push(`<polygon data-series="${esc(b.name)}" points="${upper.concat(lower).join(' ')}" fill="${color}" fill-opacity="${b.opacity ?? 0.18}" stroke="none"/>`);
    }
  });
  o.series.forEach((s, si) => {
    const color = s.color ?? colorOf(si);
    const pts: [number, number][] = [];
    s.values.forEach((v, i) => { if (Number.isFinite(v) && i < xs.length) pts.push([X(xs[i]!), Y(v)]); });
    parts.push(`<polyline data-series="${esc(s.name)}" points="${pts.map(([a, b]) => `${px(a)},${px(b)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} stroke-linejoin="round"/>`);
    if (s.marker && pts.length <= 60) for (const [a, b] of pts) parts.push(marker(s.marker, a, b, color));
    else if (pts.length === 1) parts.push(marker('circle', pts[0]![0], pts[0]![1], color));
  });
  // Legend along the bottom, wrapping onto more rows when needed (the svg grows to fit).
  let lx = left;
  let ly = top + h + 52;
  o.series.forEach((s, si) => {
    const color = s.color ?? colorOf(si);
    const wItem = 32 + s.label.length * 6.6;
    if (lx > left && lx + wItem > W - right) { lx = left; ly += 17; }
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    if (s.marker) parts.push(marker(s.marker, lx + 9, ly - 4, color));
    parts.push(`<text x="${lx + 22}" y="${ly}" font-size="12" fill="#333">${esc(s.label)}</text>`);
    lx += wItem;
  });
  if (ly + 10 > H) {
    const H2 = ly + 10;
    parts[0] = parts[0]!.replace(`viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"`, `viewBox="0 0 ${W} ${H2}" width="${W}" height="${H2}"`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
