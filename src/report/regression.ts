// The regression part of the training report: R², MSE, RMSE and MAE, a predicted-vs-actual
// scatter with the y = x line, and residuals against the prediction with the zero line. Charts
// carry their plot box and domain as data attributes like the line charts (see charts.ts), and
// every point its values (data-x, data-y). At most 2,000 points are drawn (every k-th row).

import { meanAbsoluteError, meanSquaredError, r2 } from '../metrics/regression.js';
import { esc, niceTicks, num, px } from './html.js';

export interface ReportRegression {
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  /** The label's name, for the axes. */
  label?: string;
  /** What the scores were computed on, e.g. "test set, 86 samples". */
  on?: string;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
const MAX_POINTS = 2000;

interface Scatter { id: string; title: string; xLabel: string; yLabel: string; x: Float64Array; y: Float64Array; line: 'identity' | 'zero' }

function scatter(o: Scatter): string {
  const W = 500, H = 320, left = 66, right = 16, top = 34, bottom = 50;
  const w = W - left - right, h = H - top - bottom;
  let xlo = Infinity, xhi = -Infinity, ylo = Infinity, yhi = -Infinity;
  for (let i = 0; i < o.x.length; i++) {
    xlo = Math.min(xlo, o.x[i]!); xhi = Math.max(xhi, o.x[i]!);
    ylo = Math.min(ylo, o.y[i]!); yhi = Math.max(yhi, o.y[i]!);
  }
  if (o.line === 'identity') { xlo = ylo = Math.min(xlo, ylo); xhi = yhi = Math.max(xhi, yhi); }
  if (o.line === 'zero') { ylo = Math.min(ylo, 0); yhi = Math.max(yhi, 0); }
  const xt = niceTicks(xlo, xhi);
  const yt = niceTicks(ylo, yhi);
  const X = (v: number) => left + ((v - xt.min) / (xt.max - xt.min)) * w;
  const Y = (v: number) => top + h - ((v - yt.min) / (yt.max - yt.min)) * h;
  const parts = [`<svg id="${esc(o.id)}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}" data-plot="${left} ${top} ${w} ${h}" data-x-min="${xt.min}" data-x-max="${xt.max}" data-y-min="${yt.min}" data-y-max="${yt.max}" data-points="${o.x.length}" ${FONT}>`];
  parts.push(`<text x="${left}" y="20" font-size="14" font-weight="600" fill="#222">${esc(o.title)}</text>`);
  for (const t of yt.ticks) {
    const y = px(Y(t));
    parts.push(`<line x1="${left}" x2="${left + w}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${left - 6}" y="${y}" font-size="11" fill="#555" text-anchor="end" dominant-baseline="middle">${esc(num(t))}</text>`);
  }
  for (const t of xt.ticks) {
    const x = px(X(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${top + h}" y2="${top + h + 4}" stroke="#888"/><text x="${x}" y="${top + h + 17}" font-size="11" fill="#555" text-anchor="middle">${esc(num(t))}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#9ca3af"/>`);
  parts.push(`<text x="${left + w / 2}" y="${top + h + 36}" font-size="12" fill="#333" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${top + h / 2}) rotate(-90)" font-size="12" fill="#333" text-anchor="middle">${esc(o.yLabel)}</text>`);
  if (o.line === 'identity') {
    const a = Math.max(xt.min, yt.min), b = Math.min(xt.max, yt.max);
    parts.push(`<line data-line="identity" x1="${px(X(a))}" y1="${px(Y(a))}" x2="${px(X(b))}" y2="${px(Y(b))}" stroke="#9ca3af" stroke-dasharray="5 4"/>`);
  } else {
    parts.push(`<line data-line="zero" x1="${left}" x2="${left + w}" y1="${px(Y(0))}" y2="${px(Y(0))}" stroke="#9ca3af" stroke-dasharray="5 4"/>`);
  }
  const step = Math.max(1, Math.ceil(o.x.length / MAX_POINTS));
  for (let i = 0; i < o.x.length; i += step) {
    parts.push(`<circle data-x="${num(o.x[i]!, 6)}" data-y="${num(o.y[i]!, 6)}" cx="${px(X(o.x[i]!))}" cy="${px(Y(o.y[i]!))}" r="2.6" fill="#4e79a7" fill-opacity="0.6"/>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The regression section of the report. */
export function regressionSection(e: ReportRegression): string {
  const t = Float64Array.from(e.yTrue);
  const p = Float64Array.from(e.yPred);
  const label = e.label ?? 'target';
  const mse = meanSquaredError(t, p);
  const residual = p.map((v, i) => t[i]! - v);
  const card = (id: string, v: string, what: string) => `<div class="card"><div class="big" id="${id}">${v}</div><div>${what}</div></div>`;
  return `<section id="regression"><h2>Evaluation${e.on ? ` <span class="sub">on the ${esc(e.on)}</span>` : ''}</h2>
<div class="cards">
${card('score-r2', r2(t, p).toFixed(4), 'R²')}${card('score-mse', num(mse), 'mean squared error')}${card('score-rmse', num(Math.sqrt(mse)), 'root mean squared error')}${card('score-mae', num(meanAbsoluteError(t, p)), 'mean absolute error')}${card('score-samples', String(t.length), 'samples')}
</div>
<div class="grid2">
<figure>${scatter({ id: 'chart-pred-actual', title: 'Predicted against actual', xLabel: `actual ${label}`, yLabel: `predicted ${label}`, x: t, y: p, line: 'identity' })}<figcaption>Each point is a row; on the dashed line the prediction is exact.</figcaption></figure>
<figure>${scatter({ id: 'chart-residuals', title: 'Residuals', xLabel: `predicted ${label}`, yLabel: 'actual − predicted', x: p, y: residual, line: 'zero' })}<figcaption>Residuals should scatter evenly around zero at every predicted value; a funnel or a curve shows what the model misses.</figcaption></figure>
</div></section>`;
}
