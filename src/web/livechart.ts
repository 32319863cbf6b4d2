// The demo page's live line charts: plain SVG redrawn from the series each epoch (a few hundred
// points at most, so a full redraw is cheaper than bookkeeping). The y axis always ends on a
// tick at or above the data, and can be logarithmic (for a loss that spans decades).

export interface Series { name: string; color: string; values: (number | undefined)[]; dashed?: boolean }

export interface LiveChartOptions {
  /** Fixes the axis (e.g. [0, 1] for accuracy). */
  yRange?: [number, number];
  /** A log10 axis; values ≤ 0 are left out. */
  log?: boolean;
}

const W = 460;
const H = 220;
const PAD = { left: 48, right: 12, top: 26, bottom: 30 };

/** 1, 2, 2.5, 5 × 10^k steps from the first multiple at or below min to the first at or above max. */
export function linearTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= step0 * (1 - 1e-9)) ?? step0;
  const out: number[] = [];
  const first = Math.floor(min / step + 1e-9) * step;
  for (let v = first; v < max + step * (1 - 1e-9); v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1]! < max - 1e-12 * Math.abs(max)) out.push(Number((out[out.length - 1]! + step).toPrecision(12)));
  return out;
}

/** Powers of ten from the one at or below min to the one at or above max (with 2 and 5 between
 *  them when that spans at most two decades). */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) {
    out.push(Number((10 ** e).toPrecision(12)));
    if (hi - lo <= 2 && e < hi) out.push(Number((2 * 10 ** e).toPrecision(12)), Number((5 * 10 ** e).toPrecision(12)));
  }
  return out;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(0).replace('e+', 'e') : String(Number(v.toPrecision(3)));
}

/** SVG markup of a line chart over epochs 1..n. */
export function liveChart(id: string, title: string, series: Series[], epochs: number, options: LiveChartOptions = {}): string {
  const w = W - PAD.left - PAD.right;
  const h = H - PAD.top - PAD.bottom;
  const log = options.log === true;
  const usable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!log || v > 0);
  const finite = series.flatMap((s) => s.values.filter(usable));
  let yt: number[];
  if (options.yRange) {
    yt = linearTicks(options.yRange[0], options.yRange[1], 4);
  } else if (log) {
    const lo = finite.length ? Math.min(...finite) : 0.01;
    const hi = finite.length ? Math.max(...finite) : 10;
    yt = logTicks(lo, Math.max(hi, lo * 1.0001));
  } else {
    yt = linearTicks(Math.min(0, ...finite), finite.length ? Math.max(...finite) : 1, 4);
  }
  const lo = options.yRange ? options.yRange[0] : yt[0]!;
  const hi = options.yRange ? options.yRange[1] : yt[yt.length - 1]!;
  const t = (v: number) => (log ? Math.log10(v) : v);
  const n = Math.max(2, epochs);
  const X = (i: number) => PAD.left + (i / (n - 1)) * w;
  const Y = (v: number) => PAD.top + h - ((t(Math.min(hi, Math.max(lo, v))) - t(lo)) / (t(hi) - t(lo) || 1)) * h;
  const parts = [`<svg id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}" class="live-chart" data-y-min="${lo}" data-y-max="${hi}" data-scale="${log ? 'log' : 'linear'}">`];
  parts.push(`<text x="${PAD.left}" y="16" class="title">${title}</text>`);
  for (const v of yt) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${Y(v)}" y2="${Y(v)}" class="grid"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${Y(v) + 4}" text-anchor="end" class="tick">${fmt(v)}</text>`);
  }
  for (const e of linearTicks(1, n, 5).filter((e) => Number.isInteger(e) && e >= 1 && e <= n)) {
    parts.push(`<text x="${X(e - 1)}" y="${PAD.top + h + 16}" text-anchor="middle" class="tick">${e}</text>`);
  }
  parts.push(`<text x="${PAD.left + w}" y="${H - 2}" text-anchor="end" class="tick">epoch</text>`);
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => (usable(v) ? `${X(i).toFixed(1)},${Y(v).toFixed(1)}` : '')).filter(Boolean);
    if (pts.length === 1) parts.push(`<circle cx="${pts[0]!.split(',')[0]}" cy="${pts[0]!.split(',')[1]}" r="2.5" fill="${s.color}"/>`);
    if (pts.length > 1) parts.push(`<polyline data-series="${s.name}" points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    const lx = PAD.left + w - 110 * (series.length - k);
    parts.push(`<line x1="${lx}" x2="${lx + 16}" y1="12" y2="12" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="${lx + 20}" y="16" class="legend">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
