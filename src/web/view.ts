// What the demo page shows of a run: the stats row, the live charts, the decision regions, the
// confusion matrix, and resetting all of it (a new run, another data set, an error before training).

import { argmaxAt, confusionMatrix, type BatchProgress, type WorkerProgress } from './browser.js';
import { liveChart, type Series } from './livechart.js';
import type { Prepared } from './presets.js';

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
export { plural };

export function drawRegions(data: Prepared, probs: Float32Array | undefined, k: number): void {
  const canvas = $<HTMLCanvasElement>('regions');
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  const grid = data.grid!;
  const [x0, x1, y0, y1] = grid.bounds;
  if (probs) {
    // One pixel per grid cell (class colour over white, stronger where the model is sure), scaled up smoothly.
    const G = grid.G;
    const cells = new ImageData(G, G);
    for (let i = 0; i < G * G; i++) {
      const best = argmaxAt(probs, i * k, k);
      const alpha = 0.18 + 0.4 * Math.max(0, (probs[i * k + best]! - 1 / k) / (1 - 1 / k));
      const hex = PALETTE[best % PALETTE.length]!;
      for (let ch = 0; ch < 3; ch++) {
        const v = parseInt(hex.slice(1 + 2 * ch, 3 + 2 * ch), 16);
        cells.data[4 * i + ch] = Math.round(255 * (1 - alpha) + v * alpha);
      }
      cells.data[4 * i + 3] = 255;
    }
    const off = new OffscreenCanvas(G, G);
    off.getContext('2d')!.putImageData(cells, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, W, H);
  }
  const M = data.XTrain;
  for (let i = 0; i < M.rows; i++) {
    const px = ((M.data[2 * i]! - x0) / (x1 - x0)) * W;
    const py = H - ((M.data[2 * i + 1]! - y0) / (y1 - y0)) * H;
    ctx.beginPath();
    ctx.arc(px, py, 3, 0, 2 * Math.PI);
    ctx.fillStyle = PALETTE[data.yTrain[i]! % PALETTE.length]!;
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}

/** The loss and accuracy charts; `partial` is the running loss of the epoch in progress. */
export function renderCharts(progress: readonly WorkerProgress[], epochs: number, log: boolean, partial?: BatchProgress): void {
  const s = (key: keyof WorkerProgress) => progress.map((p) => p[key] as number | undefined);
  const train = s('loss');
  if (partial && partial.epoch === progress.length + 1) train.push(partial.loss);
  const loss: Series[] = [
    { name: 'train', color: '#1f77b4', values: train },
    { name: 'validation', color: '#ff7f0e', values: s('valLoss'), dashed: true },
  ];
  const acc: Series[] = [
    { name: 'train', color: '#1f77b4', values: s('accuracy') },
    { name: 'validation', color: '#ff7f0e', values: s('valAccuracy'), dashed: true },
  ];
  $('loss-chart').innerHTML = liveChart('loss-svg', log ? 'Loss (log scale)' : 'Loss', loss, epochs, { log });
  $('acc-chart').innerHTML = liveChart('acc-svg', 'Accuracy', acc, epochs, { yRange: [0, 1] });
}

export interface StatsView {
  epoch: string;
  loss: string;
  valAccuracy?: number;
  samplesPerSec: string;
  binary: string;
  /** Fraction of the current epoch done (0..1), for the bar under the stats. */
  within?: number;
}

export function renderStats(v: StatsView): void {
  const cells: [string, string, string][] = [
    ['epoch', v.epoch, 'epoch'],
    ['loss', v.loss, 'loss'],
    ['val. accuracy', v.valAccuracy !== undefined ? `${(v.valAccuracy * 100).toFixed(1)} %` : '–', 'val-accuracy'],
    ['samples/s', v.samplesPerSec, 'samples-per-sec'],
    ['binary', v.binary, 'binary'],
  ];
  $('stats').innerHTML = cells.map(([k, val, id]) => `<div class="stat"><span class="k">${k}</span><span class="v" id="stat-${id}">${val}</span></div>`).join('');
  if (v.valAccuracy !== undefined) $('stat-val-accuracy').dataset.value = String(v.valAccuracy);
  const bar = $('epoch-bar');
  bar.hidden = v.within === undefined;
  bar.querySelector('i')!.style.width = `${((v.within ?? 0) * 100).toFixed(1)}%`;
}

export const rate = (sps: number) => Math.round(sps).toLocaleString('en-US');

export function statsOfEpoch(p: WorkerProgress, binary: string): StatsView {
  return { epoch: `${p.epoch} / ${p.epochs}`, loss: p.loss.toFixed(4), valAccuracy: p.valAccuracy, samplesPerSec: rate(p.samplesPerSec), binary };
}

export function statsOfBatch(b: BatchProgress, last: WorkerProgress | undefined, binary: string): StatsView {
  return {
    epoch: `${b.epoch} / ${b.epochs} · ${Math.floor((100 * b.batch) / b.batches)} %`,
    loss: b.loss.toFixed(4),
    valAccuracy: last?.valAccuracy,
    samplesPerSec: rate(b.samplesPerSec),
    binary,
    within: b.batch / b.batches,
  };
}

export function renderConfusion(data: Prepared, yPred: Int32Array): void {
  const labels = data.classNames.map((_, i) => i);
  const { matrix } = confusionMatrix(data.yVal, yPred, { labels });
  const max = Math.max(1, ...matrix.flat());
  const k = data.classNames.length;
  const head = `<tr><th></th><th class="axis top" colspan="${k}">predicted →</th></tr>`
    + `<tr><th class="axis">actual ↓</th>${data.classNames.map((n) => `<th>${n}</th>`).join('')}</tr>`;
  const rows = matrix.map((row, i) => `<tr><th>${data.classNames[i]}</th>${row.map((v, j) => {
    const a = v / max;
    const bg = i === j ? `rgba(31,119,180,${(0.12 + 0.88 * a).toFixed(2)})` : v ? `rgba(214,39,40,${(0.15 + 0.85 * a).toFixed(2)})` : 'transparent';
    return `<td style="background:${bg};color:${a > 0.55 ? '#fff' : '#222'}">${v}</td>`;
  }).join('')}</tr>`).join('');
  $('confusion').innerHTML = `<div class="table-scroll"><table class="confusion">${head}${rows}</table></div>`;
}

/** Clears everything a previous run left: charts, stats, warning, regions, matrix, report. */
export function resetResults(data: { grid?: unknown } | undefined, epochs: number, binary: string, log: boolean): void {
  renderCharts([], epochs, log);
  renderStats({ epoch: '–', loss: '–', samplesPerSec: '–', binary });
  $('warning').hidden = true;
  $('warning').textContent = '';
  const twoD = Boolean(data?.grid);
  $('regions-panel').hidden = !twoD;
  const canvas = $<HTMLCanvasElement>('regions');
  canvas.getContext('2d')!.clearRect(0, 0, canvas.width, canvas.height);
  delete canvas.dataset.epoch;
  $('confusion').innerHTML = '<p class="muted">Shown when training ends.</p>';
  $('report-button').setAttribute('disabled', '');
  $('report').hidden = true;
  $<HTMLIFrameElement>('report').srcdoc = '';
  $('report-download').hidden = true;
}
