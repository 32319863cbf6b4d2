// trainingReport: one self-contained HTML page (inline CSS and SVG, no scripts, no external
// requests) with the learning curves, the confusion matrix, per-class scores, per-layer signal
// statistics, the learning trajectory over its loss-surface slice, the model summary and, for
// two-feature data, the decision regions.

import type { BackendInfo } from '../backend.js';
import type { Labels } from '../data/labels.js';
import { formatLabel } from '../data/labels.js';
import type { Matrix } from '../data/matrix.js';
import { confusionMatrix } from '../metrics/confusion.js';
import { classificationReport } from '../metrics/report.js';
import { r2 } from '../metrics/regression.js';
import { Sequential } from '../nn/sequential.js';
import type { History } from '../train/fit.js';
import { trainingThroughput } from '../train/progress.js';
import { lineChart } from './charts.js';
import { perClassTables, topConfusions } from './classes.js';
import { capConfusion, confusionHeatmap } from './heatmap.js';
import { decisionRegions, type DecisionRegionData } from './decision.js';
import { columnsSection } from './columns.js';
import { diagnosticsSection } from './diagnostics.js';
import { regressionSection, type ReportRegression } from './regression.js';
import { trajectorySection } from './trajectory.js';
import type { ColumnNote } from '../data/columns/pipeline.js';
import { esc, num, pct } from './html.js';
import { STYLE } from './style.js';

export interface ReportEvaluation {
  /** True labels (class indices 0..k−1 when classNames are given, else any labels). */
  yTrue: Labels;
  yPred: Labels;
  /** Display name of each class; with numeric labels, classNames[i] names label i. */
  classNames?: readonly string[];
  /** What the scores were computed on, e.g. "test set, 450 samples". */
  on?: string;
}

/** One row of the model summary, for models that are not a Sequential (estimators). */
export interface ModelDescription {
  name: string;
  layers?: { type: string; units?: number; activation?: string; params: number }[];
  params?: number;
  loss?: string;
  optimizer?: string;
  seed?: number;
}

export interface TrainingReportOptions {
  title?: string;
  /** What fit() returned; loss/accuracy curves, (with diagnostics: true) the signal section and (with trajectory) the learning trajectory over the loss-surface slice. */
  history?: History;
  /** The trained model, for its summary (and its predictions on the decision-region grid). */
  model?: Sequential | ModelDescription;
  /** Predictions on held-out data: confusion matrix and per-class scores. */
  evaluation?: ReportEvaluation;
  /** Regression predictions on held-out data: scores, predicted-vs-actual and residual plots. */
  regression?: ReportRegression;
  /** How each column of a table was read (ColumnPipeline.describe()), with notes. */
  columns?: { columns: readonly ColumnNote[]; notes?: readonly string[] };
  /** Two-feature data: decision regions over the input plane with these points. */
  decision?: DecisionRegionData;
  /** Backend that trained the model (backendInfo()). */
  backend?: BackendInfo;
  /** Wall-clock training time in seconds. */
  trainingTime?: number;
  /** Extra rows for the summary table (data set, split, preprocessing...). */
  info?: Record<string, string | number | boolean>;
  /** Shown in the footer; default now. */
  generatedAt?: Date;
}

function layerRows(model: Sequential): { type: string; units: number; activation: string; params: number }[] {
  return model.describeLayers().map((d) => ({ type: d.label, units: d.units, activation: d.activation ?? '', params: d.params }));
}

function optimizerText(model: Sequential): string {
  const o = model.compiled?.optimizer;
  if (!o) return 'not compiled';
  const lr = typeof o.learningRate === 'number' ? `learning rate ${num(o.learningRate)}` : `schedule ${o.learningRate.type} from ${num(o.learningRate.initial)}`;
  const extra = o.momentum ? `, momentum ${o.momentum}` : '';
  return `${o.type} (${lr}${extra})`;
}

function summarySection(o: TrainingReportOptions): string {
  const rows: [string, string][] = [];
  let layers = '';
  const m = o.model;
  if (m instanceof Sequential) {
    const lr = layerRows(m);
    layers = `<table id="model-layers" class="num"><thead><tr><th>#</th><th>layer</th><th>units</th><th>activation</th><th>parameters</th></tr></thead><tbody>`
      + `<tr><td>0</td><td>input</td><td>${m.inputSize}</td><td></td><td></td></tr>`
      + lr.map((l, i) => `<tr><td>${i + 1}</td><td>${esc(l.type)}</td><td>${l.units}</td><td>${esc(l.activation)}</td><td>${l.params.toLocaleString('en-US')}</td></tr>`).join('')
      + `</tbody><tfoot><tr><td></td><td>total</td><td></td><td></td><td>${m.paramCount.toLocaleString('en-US')}</td></tr></tfoot></table>`;
    rows.push(['model', `Sequential ${[m.inputSize, ...m.layers.filter((l) => l.type === 'dense').map((l) => (l as { units: number }).units)].join('–')}`]);
    rows.push(['parameters', m.paramCount.toLocaleString('en-US')]);
    if (m.compiled) {
      rows.push(['loss', m.compiled.loss]);
      rows.push(['optimizer', optimizerText(m)]);
      rows.push(['L2 λ', String(m.compiled.l2)]);
    }
    rows.push(['seed', String(m.seed)]);
  } else if (m) {
    rows.push(['model', m.name]);
    if (m.params !== undefined) rows.push(['parameters', m.params.toLocaleString('en-US')]);
    if (m.loss) rows.push(['loss', m.loss]);
    if (m.optimizer) rows.push(['optimizer', m.optimizer]);
    if (m.seed !== undefined) rows.push(['seed', String(m.seed)]);
    if (m.layers) {
      layers = `<table id="model-layers" class="num"><thead><tr><th>#</th><th>layer</th><th>units</th><th>activation</th><th>parameters</th></tr></thead><tbody>`
        + m.layers.map((l, i) => `<tr><td>${i + 1}</td><td>${esc(l.type)}</td><td>${l.units ?? ''}</td><td>${esc(l.activation ?? '')}</td><td>${l.params}</td></tr>`).join('') + '</tbody></table>';
    }
  }
  const h = o.history;
  if (h && h.epoch.length) {
    rows.push(['epochs', `${h.epoch.length}${h.stoppedEarly ? ' (stopped early)' : ''}`]);
    rows.push(['training speed', `${Math.round(trainingThroughput(h)).toLocaleString('en-US')} samples/s (training samples × epochs ÷ the epochs' time, validation included)`]);
  }
  const time = o.trainingTime ?? (h ? h.time.reduce((a, b) => a + b, 0) : undefined);
  if (time !== undefined) rows.push(['training time', `${time.toFixed(2)} s`]);
  const b = o.backend ?? (m instanceof Sequential ? { backend: m.backend.kind, binary: m.backend.binary } as Partial<BackendInfo> : undefined);
  if (b) {
    rows.push(['backend', `${b.backend} (binary ${b.binary})`]);
    if (b.simd !== undefined) rows.push(['host', `SIMD ${b.simd ? 'yes' : 'no'}, relaxed SIMD ${b.relaxedSimd ? 'yes' : 'no'}, threads ${b.threads ? 'yes' : 'no'}${b.node ? `; Node ${b.node}, V8 ${b.v8}` : ''}`]);
  }
  for (const [k, v] of Object.entries(o.info ?? {})) rows.push([k, String(v)]);
  if (rows.length === 0 && !layers) return '';
  return `<section id="summary"><h2>Model</h2><div class="grid2">
<div class="table-wrap"><table id="model-summary"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table></div>
${layers ? `<div class="table-wrap">${layers}</div>` : ''}</div></section>`;
}

function curvesSection(h: History): string {
  const x = h.epoch.map((e) => e + 1);
  const loss = [{ name: 'loss', label: 'training loss', values: h.loss, color: '#4e79a7' }];
  if (h.valLoss.length) loss.push({ name: 'valLoss', label: 'validation loss', values: h.valLoss, color: '#f28e2b' });
  const charts = [lineChart({ id: 'chart-loss', title: 'Loss per epoch', xLabel: 'epoch', yLabel: 'loss', x, series: loss })];
  if (h.accuracy.length) {
    const acc = [{ name: 'accuracy', label: 'training accuracy', values: h.accuracy, color: '#4e79a7' }];
    if (h.valAccuracy.length) acc.push({ name: 'valAccuracy', label: 'validation accuracy', values: h.valAccuracy, color: '#f28e2b' });
    const lo = Math.min(...acc.flatMap((s) => s.values));
    charts.push(lineChart({ id: 'chart-accuracy', title: 'Accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy', x, series: acc, yRange: [lo >= 0.8 ? 0.8 : lo >= 0.5 ? 0.5 : 0, 1], yFormat: (v) => pct(v, 0) }));
  }
  const last = h.epoch.length - 1;
  const facts: string[] = [`final training loss <b>${num(h.loss[last]!)}</b>`];
  if (h.accuracy.length) facts.push(`training accuracy <b>${pct(h.accuracy[last]!)}</b>`);
  if (h.valLoss.length) facts.push(`validation loss <b>${num(h.valLoss[last]!)}</b>`);
  if (h.valAccuracy.length) facts.push(`validation accuracy <b>${pct(h.valAccuracy[last]!)}</b>`);
  return `<section id="curves"><h2>Learning curves</h2><p class="note">${facts.join(' · ')}</p><div class="grid2">${charts.join('\n')}</div></section>`;
}

function evaluationSection(e: ReportEvaluation): string {
  const numeric = e.yTrue.length > 0 && typeof e.yTrue[0] === 'number';
  const labels: number[] | undefined = e.classNames && numeric ? e.classNames.map((_, i) => i) : undefined;
  const cm = confusionMatrix(e.yTrue, e.yPred, labels ? { labels } : {});
  const names = labels ? e.classNames!.map(String) : cm.labels.map(formatLabel);
  const rep = classificationReport(e.yTrue, e.yPred, { labels: cm.labels as Labels, targetNames: names });
  const n = e.yTrue.length;
  const avg = (name: string, s: { precision: number; recall: number; f1: number; support: number }) => `<tr class="avg"><td>${name}</td><td>${s.precision.toFixed(3)}</td><td>${s.recall.toFixed(3)}</td><td>${s.f1.toFixed(3)}</td><td>${s.support}</td></tr>`;
  const view = capConfusion(names, cm.matrix);
  const caption = view.pooled
    ? `Confusion matrix of the ${view.shown.length} classes involved in the most errors; the other ${view.pooled} classes are pooled in the grey "other" row and column (its corner cell counts hits and confusions among them alike). Rows are the actual classes, columns the predicted ones.`
    : 'Confusion matrix: rows are the actual classes, columns the predicted ones; diagonal cells are shaded by recall, off-diagonal errors in red.';
  return `<section id="evaluation"><h2>Evaluation${e.on ? ` <span class="sub">on the ${esc(e.on)}</span>` : ''}</h2>
<div class="cards">
<div class="card"><div class="big" id="score-accuracy">${pct(rep.accuracy)}</div><div>accuracy</div></div>
<div class="card"><div class="big">${pct(1 - rep.accuracy)}</div><div>misclassification rate</div></div>
<div class="card"><div class="big">${rep.macroAvg.precision.toFixed(3)}</div><div>macro precision</div></div>
<div class="card"><div class="big">${rep.macroAvg.recall.toFixed(3)}</div><div>macro recall</div></div>
<div class="card"><div class="big">${rep.macroAvg.f1.toFixed(3)}</div><div>macro F1</div></div>
<div class="card"><div class="big">${n}</div><div>samples</div></div>
</div>
<div class="grid2">
<figure>${confusionHeatmap('chart-confusion', view.names, view.matrix, view.pooled)}<figcaption>${esc(caption)}</figcaption></figure>
<div>${perClassTables(rep.perClass, avg('macro avg', rep.macroAvg) + avg('weighted avg', rep.weightedAvg))}
${names.length > 2 ? topConfusions(names, cm.matrix) : ''}</div>
</div></section>`;
}

function layerNames(model: TrainingReportOptions['model']): Map<number, string> {
  const map = new Map<number, string>();
  if (!(model instanceof Sequential)) return map;
  let dense = 0;
  model.layers.forEach((l, i) => {
    if (l.type === 'dense') {
      dense++;
      map.set(i, `dense ${dense} (${l.units} ${l.activation}${i === model.layers.length - 1 ? ', output' : ''})`);
    }
  });
  return map;
}

/**
 * Builds a self-contained HTML training report (inline SVG and CSS, no scripts, no external
 * requests): learning curves, confusion matrix heat map, per-class scores, per-layer
 * activation/gradient statistics, model summary and, for two-feature data, decision regions.
 * @example writeFileSync('report.html', trainingReport({ history, model, evaluation: { yTrue, yPred: model.predictClasses(XTest) } }));
 */
export function trainingReport(options: TrainingReportOptions): string {
  const o = options ?? {};
  const title = o.title ?? 'simdnet training report';
  const sections: string[] = [];
  const headline: string[] = [];
  if (o.evaluation && o.evaluation.yTrue.length) {
    let hits = 0;
    for (let i = 0; i < o.evaluation.yTrue.length; i++) if (o.evaluation.yTrue[i] === o.evaluation.yPred[i]) hits++;
    headline.push(`accuracy ${pct(hits / o.evaluation.yTrue.length)}${o.evaluation.on ? ` on the ${esc(o.evaluation.on)}` : ''}`);
  }
  if (o.history && o.history.epoch.length) {
    headline.push(`${o.history.epoch.length} epochs`);
    sections.push(curvesSection(o.history));
  }
  if (o.evaluation && o.evaluation.yTrue.length) sections.push(evaluationSection(o.evaluation));
  if (o.regression && o.regression.yTrue.length) {
    sections.push(regressionSection(o.regression));
    headline.push(`R² ${r2(Float64Array.from(o.regression.yTrue), Float64Array.from(o.regression.yPred)).toFixed(4)}${o.regression.on ? ` on the ${esc(o.regression.on)}` : ''}`);
  }
  if (o.columns) sections.push(columnsSection(o.columns.columns, o.columns.notes));
  if (o.decision) {
    const predict = o.decision.predict ?? (o.model instanceof Sequential ? (g: Matrix) => (o.model as Sequential).predictClasses(g) : undefined);
    if (predict) {
      sections.push(`<section id="decision"><h2>Decision regions</h2><p class="note">The model's predicted class over a grid covering the two input features, with the training points on top.</p>${decisionRegions('chart-decision', o.decision, predict)}</section>`);
    }
  }
  if (o.history?.diagnostics?.length) sections.push(diagnosticsSection(o.history.diagnostics, layerNames(o.model)));
  const path = trajectorySection(o.history?.trajectory);
  if (path) sections.push(path);
  const summary = summarySection(o);
  if (summary) sections.push(summary);
  const when = (o.generatedAt ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p class="sub">${headline.join(' · ')}</p></header>
<main>
${sections.join('\n')}
</main>
<footer>Generated by simdnet on ${esc(when)}. This file is self-contained: no scripts, no network.</footer>
</body>
</html>
`;
}
