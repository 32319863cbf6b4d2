// Inline SVG charts for the training report: line charts (with optional ±std bands) and the
// confusion-matrix heat map. Every chart is an <svg id="chart-..."> whose plot box and data
// domain are carried as data attributes, so a reader (or a test) can map points back to values:
//
//   x_px = left + (x − xMin) / (xMax − xMin) · width
//   y_px = top + height − (y − yMin) / (yMax − yMin) · height
//
// with data-plot="left top width height", data-x-min/max and data-y-min/max on the <svg>.

import { colorOf, esc, heat, niceTicks, num, px } from './html.js';

export interface Series {
  /** Machine name, written as data-series. */
  name: string;
  /** Legend text. */
  label: string;
  values: readonly number[];
  color?: string;
  dashed?: boolean;
  /** ± band around values (e.g. a standard deviation), drawn as a translucent polygon. */
  band?: readonly number[];
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

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 500;
  const H = o.height ?? 300;
  const left = 62;
  const right = 16;
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
  for (const s of o.series) {
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const b = s.band?.[i] ?? 0;
      lo = Math.min(lo, v - (Number.isFinite(b) ? b : 0));
      hi = Math.max(hi, v + (Number.isFinite(b) ? b : 0));
    });
  }
  const yt = o.yRange ? niceTicks(o.yRange[0], o.yRange[1]) : niceTicks(lo, hi);
  const [yMin, yMax] = o.yRange ?? [yt.min, yt.max];
  const X = (x: number) => left + ((x - xMin) / (xMax - xMin)) * w;
  const Y = (y: number) => top + h - ((Math.min(yMax, Math.max(yMin, y)) - yMin) / (yMax - yMin)) * h;
  const fmt = o.yFormat ?? num;
  const parts: string[] = [];
  parts.push(`<svg id="${esc(o.id)}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}" data-plot="${left} ${top} ${w} ${h}" data-x-min="${xMin}" data-x-max="${xMax}" data-y-min="${yMin}" data-y-max="${yMax}" ${FONT}>`);
  parts.push(`<text x="${left}" y="20" class="chart-title" font-size="14" font-weight="600" fill="#222">${esc(o.title)}</text>`);
  // Grid and y ticks.
  for (const t of yt.ticks) {
    if (t < yMin - 1e-12 || t > yMax + 1e-12) continue;
    const y = px(Y(t));
    parts.push(`<line x1="${left}" x2="${left + w}" y1="${y}" y2="${y}" stroke="#e5e7eb" stroke-width="1"/>`);
    parts.push(`<text x="${left - 6}" y="${y}" font-size="11" fill="#555" text-anchor="end" dominant-baseline="middle">${esc(fmt(t))}</text>`);
  }
  // X ticks: integers (epochs), at most ~8 labels.
  const xTicks = niceTicks(xMin, xMax, 6).ticks.filter((t) => t >= xMin - 1e-9 && t <= xMax + 1e-9 && Number.isInteger(t));
  if (!xTicks.includes(xMin)) xTicks.unshift(xMin);
  for (const t of xTicks) {
    const x = px(X(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${top + h}" y2="${top + h + 4}" stroke="#888"/>`);
    parts.push(`<text x="${x}" y="${top + h + 17}" font-size="11" fill="#555" text-anchor="middle">${esc(String(Math.round(t * 100) / 100))}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#9ca3af"/>`);
  parts.push(`<text x="${left + w / 2}" y="${top + h + 34}" font-size="12" fill="#333" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${top + h / 2}) rotate(-90)" font-size="12" fill="#333" text-anchor="middle">${esc(o.yLabel)}</text>`);
  // Bands under lines.
  o.series.forEach((s, si) => {
    if (!s.band) return;
    const color = s.color ?? colorOf(si);
    const upper: string[] = [];
    const lower: string[] = [];
    s.values.forEach((v, i) => {
      const b = s.band![i]!;
      if (!Number.isFinite(v) || !Number.isFinite(b) || i >= xs.length) return;
      upper.push(`${px(X(xs[i]!))},${px(Y(v + b))}`);
      lower.unshift(`${px(X(xs[i]!))},${px(Y(v - b))}`);
    });
    if (upper.length) parts.push(`<polygon data-series="${esc(s.name)}-band" points="${upper.concat(lower).join(' ')}" fill="${color}" fill-opacity="0.18" stroke="none"/>`);
  });
  o.series.forEach((s, si) => {
    const color = s.color ?? colorOf(si);
    const pts: string[] = [];
    s.values.forEach((v, i) => {
      if (Number.isFinite(v) && i < xs.length) pts.push(`${px(X(xs[i]!))},${px(Y(v))}`);
    });
    parts.push(`<polyline data-series="${esc(s.name)}" points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} stroke-linejoin="round"/>`);
    if (pts.length === 1) {
      const [cx, cy] = pts[0]!.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
  });
  // Legend along the bottom, wrapping onto more rows when needed (the svg grows to fit).
  let lx = left;
  let ly = top + h + 52;
  o.series.forEach((s, si) => {
    const color = s.color ?? colorOf(si);
    const wItem = 30 + s.label.length * 6.2;
    if (lx > left && lx + wItem > W - right) { lx = left; ly += 16; }
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    parts.push(`<text x="${lx + 22}" y="${ly}" font-size="11" fill="#333">${esc(s.label)}</text>`);
    lx += wItem;
  });
  if (ly + 10 > H) {
    const H2 = ly + 10;
    parts[0] = parts[0]!.replace(`viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"`, `viewBox="0 0 ${W} ${H2}" width="${W}" height="${H2}"`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Confusion matrix heat map: rows actual, columns predicted; colour by row share (recall), counts printed. */
export function confusionHeatmap(id: string, names: readonly string[], matrix: readonly (readonly number[])[]): string {
  const k = names.length;
  const cell = k <= 4 ? 64 : k <= 10 ? 42 : Math.max(18, Math.floor(440 / k));
  const labelW = Math.min(140, 16 + 7 * Math.max(...names.map((n) => n.length), 4));
  const left = 28 + labelW;
  const top = 58;
  const W = left + k * cell + 20;
  const H = top + k * cell + 22;
  const parts: string[] = [];
  parts.push(`<svg id="${esc(id)}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="confusion matrix" data-classes="${k}" ${FONT}>`);
  parts.push(`<text x="${left + (k * cell) / 2}" y="16" font-size="12" font-weight="600" fill="#333" text-anchor="middle">predicted</text>`);
  parts.push(`<text transform="translate(12 ${top + (k * cell) / 2}) rotate(-90)" font-size="12" font-weight="600" fill="#333" text-anchor="middle">actual</text>`);
  names.forEach((n, j) => {
    parts.push(`<text x="${left + j * cell + cell / 2}" y="${top - 10}" font-size="11" fill="#444" text-anchor="middle">${esc(n)}</text>`);
    parts.push(`<text x="${left - 6}" y="${top + j * cell + cell / 2}" font-size="11" fill="#444" text-anchor="end" dominant-baseline="middle">${esc(n)}</text>`);
  });
  for (let i = 0; i < k; i++) {
    const rowSum = matrix[i]!.reduce((a, b) => a + b, 0);
    for (let j = 0; j < k; j++) {
      const v = matrix[i]![j]!;
      const t = rowSum ? v / rowSum : 0;
      const fill = i === j ? heat(t) : v === 0 ? '#fafafa' : `rgba(225,87,89,${(0.15 + 0.85 * t).toFixed(3)})`;
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect data-row="${i}" data-col="${j}" data-count="${v}" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"><title>${esc(names[i])} → ${esc(names[j])}: ${v}</title></rect>`);
      if (v > 0 || k <= 12) {
        const dark = i === j ? t > 0.5 : t > 0.6;
        parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2}" font-size="${cell >= 40 ? 12 : 9}" fill="${dark ? '#fff' : '#222'}" text-anchor="middle" dominant-baseline="middle">${v}</text>`);
      }
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
