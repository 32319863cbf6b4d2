// The per-class part of the evaluation: the scores table (every class while there are few; a
// five-number summary, the weakest classes and a collapsed full table when there are many) and
// the most frequent confusions.

import type { ClassReportRow } from '../metrics/report.js';
import { fiveNumbers } from '../metrics/quantiles.js';
import { esc } from './html.js';

/** Beyond this many classes the table is summarized. */
export const FULL_TABLE_MAX = 20;
const WEAKEST = 10;

function row(r: ClassReportRow): string {
  return `<tr><td>${esc(r.name)}</td><td>${r.precision.toFixed(3)}</td><td>${r.recall.toFixed(3)}</td><td>${r.f1.toFixed(3)}</td><td>${r.support}</td></tr>`;
}

const HEAD = '<thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead>';

/** The per-class scores: one table, or for many classes a summary plus the weakest classes. */
export function perClassTables(rows: readonly ClassReportRow[], averages: string): string {
  if (rows.length <= FULL_TABLE_MAX) {
    return `<div class="table-wrap"><table id="per-class" class="num">${HEAD}<tbody>${rows.map(row).join('')}</tbody><tfoot>${averages}</tfoot></table></div>`;
  }
  const stats = (['precision', 'recall', 'f1', 'support'] as const).map((key) => fiveNumbers(rows.map((r) => r[key])));
  const line = (label: string, pick: (s: (typeof stats)[number]) => number) => `<tr><td>${label}</td>${stats.map((s, c) => {
    const v = pick(s);
    return `<td>${c === 3 ? String(Math.round(v * 10) / 10) : v.toFixed(3)}</td>`;
  }).join('')}</tr>`;
  const summary = `<table id="per-class-summary" class="num"><caption>Per-class scores over ${rows.length} classes</caption>`
    + '<thead><tr><th>over the classes</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>'
    + line('min', (s) => s.min) + line('25 %', (s) => s.q1) + line('median', (s) => s.median) + line('75 %', (s) => s.q3) + line('max', (s) => s.max)
    + `</tbody><tfoot>${averages}</tfoot></table>`;
  const weakest = [...rows].sort((a, b) => a.f1 - b.f1 || b.support - a.support).slice(0, WEAKEST);
  const weak = `<table id="per-class-weakest" class="num"><caption>The ${WEAKEST} classes with the lowest F1</caption>${HEAD}<tbody>${weakest.map(row).join('')}</tbody></table>`;
  const all = `<details><summary>All ${rows.length} classes</summary><table id="per-class" class="num">${HEAD}<tbody>${rows.map(row).join('')}</tbody><tfoot>${averages}</tfoot></table></details>`;
  return `<div class="table-wrap">${summary}${weak}${all}</div>`;
}

/** The most frequent off-diagonal cells: actual → predicted, count and share of the actual class. */
export function topConfusions(names: readonly string[], matrix: readonly (readonly number[])[], limit = 10): string {
  const cells: [number, number, number][] = [];
  matrix.forEach((r, i) => r.forEach((v, j) => { if (i !== j && v > 0) cells.push([i, j, v]); }));
  if (cells.length === 0) return '<p class="note" id="top-confusions">No sample was misclassified.</p>';
  cells.sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
  const support = matrix.map((r) => r.reduce((a, b) => a + b, 0));
  const shown = cells.slice(0, limit);
  const errors = cells.reduce((s, c) => s + c[2], 0);
  return `<div class="table-wrap"><table id="top-confusions" class="num"><caption>Most frequent errors (${shown.length} of ${cells.length} kinds, ${errors} samples in all)</caption>`
    + '<thead><tr><th>actual</th><th>predicted as</th><th>samples</th><th>of the class</th></tr></thead><tbody>'
    + shown.map(([i, j, v]) => `<tr><td>${esc(names[i])}</td><td>${esc(names[j])}</td><td>${v}</td><td>${((100 * v) / support[i]!).toFixed(1)} %</td></tr>`).join('')
    + '</tbody></table></div>';
}
