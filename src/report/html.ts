// Small string helpers for the report: escaping, number formatting, axis ticks, colours.

/** Escapes text for HTML element content and attribute values. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number as a short string: 4 significant digits, exponent form for very small or large values. */
export function num(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(Math.max(0, digits - 2));
  return String(Number(x.toPrecision(digits)));
}

/** Rounds a pixel coordinate to 2 decimals (what the SVG carries). */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function pct(x: number, digits = 2): string {
  return `${(100 * x).toFixed(digits)}%`;
}

/** "Nice" axis bounds and ticks covering [lo, hi] (1, 2, 5 × 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): { min: number; max: number; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) > 1e-12 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad; hi += pad;
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step * 1e-6; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return { min, max, ticks };
}

/** Tableau 10: distinct, colour-blind-friendly class and series colours. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function colorOf(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** White → blue ramp for heat maps; t in [0, 1]. */
export function heat(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const mix = from.map((f, i) => Math.round(f + (to[i]! - f) * c));
  return `rgb(${mix.join(',')})`;
}

/** A '#rrggbb' colour mixed with white: t = 1 keeps it, t = 0 gives white. */
export function tint(hex: string, t: number): string {
  const v = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${v.map((c) => Math.round(255 + (c - 255) * t)).join(',')})`;
}
