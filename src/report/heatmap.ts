// The confusion-matrix heat map, and how many classes it shows: beyond `cap` classes it keeps the
// classes involved in the most errors and pools the others into one "other" row and column, so
// the picture stays readable (and the file small) with hundreds of classes.

import { FONT } from './charts.js';
import { esc, heat } from './html.js';

export interface ConfusionView {
  names: string[];
  matrix: number[][];
  /** Original index of each shown class (the pooled row/column, when there is one, is last and not listed). */
  shown: number[];
  /** Number of classes pooled into the last row/column ("other"); 0 when every class is shown. */
  pooled: number;
}

/** Errors a class is involved in: its misclassified samples plus the samples wrongly given to it. */
function errorsOf(matrix: readonly (readonly number[])[], i: number): number {
  let e = 0;
  for (let j = 0; j < matrix.length; j++) if (j !== i) e += matrix[i]![j]! + matrix[j]![i]!;
  return e;
}

/**
 * At most `cap` rows and columns: every class when there are that few, else the cap − 1 classes
 * with the most errors (ties: the larger support) in their original order, then "other".
 */
export function capConfusion(names: readonly string[], matrix: readonly (readonly number[])[], cap = 12): ConfusionView {
  const k = names.length;
  if (k <= cap) return { names: [...names], matrix: matrix.map((r) => [...r]), shown: names.map((_, i) => i), pooled: 0 };
  const support = matrix.map((r) => r.reduce((a, b) => a + b, 0));
  const order = names.map((_, i) => i).sort((a, b) => errorsOf(matrix, b) - errorsOf(matrix, a) || support[b]! - support[a]! || a - b);
  const shown = order.slice(0, cap - 1).sort((a, b) => a - b);
  const slot = new Int32Array(k).fill(cap - 1);
  shown.forEach((c, s) => { slot[c] = s; });
  const m = Array.from({ length: cap }, () => new Array<number>(cap).fill(0));
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) m[slot[i]!]![slot[j]!]! += matrix[i]![j]!;
  return { names: [...shown.map((c) => names[c]!), `other (${k - shown.length})`], matrix: m, shown, pooled: k - shown.length };
}

/** A count in at most 4 characters (1234 → 1.2k), to fit a cell. */
const count = (v: number) => (v < 1000 ? String(v) : v < 9950 ? `${(v / 1000).toFixed(1)}k` : v < 999500 ? `${Math.round(v / 1000)}k` : `${(v / 1e6).toPrecision(2)}M`);

const short = (s: string) => (s.length > 12 ? `${s.slice(0, 11)}…` : s);

/**
 * Heat map of a confusion matrix (rows actual, columns predicted); diagonal cells shaded by the
 * row's share (recall), errors in red, counts printed. With `pooled` > 0 the last row and column
 * are the pooled classes, drawn in grey (their diagonal mixes hits and confusions among them).
 */
export function confusionHeatmap(id: string, names: readonly string[], matrix: readonly (readonly number[])[], pooled = 0): string {
  const k = names.length;
  const longest = 7 * Math.max(...names.map((n) => short(n).length), 3);
  const left = 8 + Math.max(60, Math.min(100, 10 + longest));
  // About 440 units wide, so that at a 420 px window text still renders at ≥ 10 px. Column labels turn
  // by 40° when one would not fit over its cell; room is made above and to the right.
  const fit = (right: number) => Math.max(26, Math.min(64, Math.floor((440 - left - right) / k)));
  const turn = longest > fit(16);
  const right = turn ? Math.max(16, Math.ceil(longest * Math.cos((40 * Math.PI) / 180) - 12)) : 16;
  const cell = fit(right);
  const top = turn ? 34 + Math.ceil(longest * Math.sin((40 * Math.PI) / 180)) : 58;
  const W = left + k * cell + right;
  const H = top + k * cell + 16;
  const parts: string[] = [];
  parts.push(`<svg id="${esc(id)}" class="chart heatmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="confusion matrix" data-classes="${k}" data-pooled="${pooled}" ${FONT}>`);
  parts.push(`<text x="${left + (k * cell) / 2}" y="16" font-size="12" font-weight="600" fill="#333" text-anchor="middle">predicted →</text>`);
  parts.push(`<text x="${left - 6}" y="${top - 8}" font-size="12" font-weight="600" fill="#333" text-anchor="end">actual ↓</text>`);
  names.forEach((n, j) => {
    const t = n === short(n) ? esc(n) : `${esc(short(n))}<title>${esc(n)}</title>`;
    parts.push(turn
      ? `<text transform="translate(${left + j * cell + cell / 2 + 4} ${top - 6}) rotate(-40)" font-size="12" fill="#444">${t}</text>`
      : `<text x="${left + j * cell + cell / 2}" y="${top - 10}" font-size="12" fill="#444" text-anchor="middle">${t}</text>`);
    parts.push(`<text x="${left - 6}" y="${top + j * cell + cell / 2}" font-size="12" fill="#444" text-anchor="end" dominant-baseline="middle">${t}</text>`);
  });
  for (let i = 0; i < k; i++) {
    const rowSum = matrix[i]!.reduce((a, b) => a + b, 0);
    for (let j = 0; j < k; j++) {
      const v = matrix[i]![j]!;
      const t = rowSum ? v / rowSum : 0;
      const isPooled = pooled > 0 && (i === k - 1 || j === k - 1);
      const fill = isPooled ? (v ? `rgba(107,114,128,${(0.1 + 0.5 * t).toFixed(3)})` : '#fafafa')
        : i === j ? heat(t) : v === 0 ? '#fafafa' : `rgba(225,87,89,${(0.15 + 0.85 * t).toFixed(3)})`;
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect data-row="${i}" data-col="${j}" data-count="${v}" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"><title>${esc(names[i])} → ${esc(names[j])}: ${v}</title></rect>`);
      const dark = !isPooled && (i === j ? t > 0.5 : t > 0.6);
      parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2}" font-size="12" fill="${dark ? '#fff' : '#222'}" text-anchor="middle" dominant-baseline="middle">${count(v)}</text>`);
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
