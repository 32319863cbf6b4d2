// The demo page's live line charts: plain SVG redrawn from the series each epoch (a few hundred
// points at most, so a full redraw is cheaper than bookkeeping).

export interface Series { name: string; color: string; values: (number | undefined)[]; dashed?: boolean }

const W = 460;
const H = 220;
const PAD = { left: 48, right: 12, top: 26, bottom: 30 };

function ticks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(0) : String(Number(v.toPrecision(3)));
}

/** SVG markup of a line chart over epochs 1..n; yRange fixes the axis (e.g. [0, 1] for accuracy). */
export function liveChart(id: string, title: string, series: Series[], epochs: number, yRange?: [number, number]): string {
  const w = W - PAD.left - PAD.right;
  const h = H - PAD.top - PAD.bottom;
  const finite = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  let [lo, hi] = yRange ?? [Math.min(0, ...finite), finite.length ? Math.max(...finite) : 1];
  if (!(hi > lo)) hi = lo + 1;
  const yt = ticks(lo, hi, 4);
  if (!yRange) hi = Math.max(hi, yt[yt.length - 1]!);
  const n = Math.max(2, epochs);
  const X = (i: number) => PAD.left + (i / (n - 1)) * w;
  const Y = (v: number) => PAD.top + h - ((v - lo) / (hi - lo)) * h;
  const parts = [`<svg id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}" class="live-chart">`];
  parts.push(`<text x="${PAD.left}" y="16" class="title">${title}</text>`);
  for (const v of yt) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${Y(v)}" y2="${Y(v)}" class="grid"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${Y(v) + 4}" text-anchor="end" class="tick">${fmt(v)}</text>`);
  }
  for (const e of ticks(1, n, 5).filter((e) => Number.isInteger(e))) {
    parts.push(`<text x="${X(e - 1)}" y="${PAD.top + h + 16}" text-anchor="middle" class="tick">${e}</text>`);
  }
  parts.push(`<text x="${PAD.left + w}" y="${H - 2}" text-anchor="end" class="tick">epoch</text>`);
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => (v === undefined || !Number.isFinite(v) ? '' : `${X(i).toFixed(1)},${Y(Math.min(hi, Math.max(lo, v))).toFixed(1)}`)).filter(Boolean);
    if (pts.length === 1) parts.push(`<circle cx="${pts[0]!.split(',')[0]}" cy="${pts[0]!.split(',')[1]}" r="2.5" fill="${s.color}"/>`);
    if (pts.length > 1) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    const lx = PAD.left + w - 110 * (series.length - k);
    parts.push(`<line x1="${lx}" x2="${lx + 16}" y1="12" y2="12" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="${lx + 20}" y="16" class="legend">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
