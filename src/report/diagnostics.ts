// The "signals through the network" section: per dense layer, the distribution of its activations
// and of its gradient dJ/dz over epochs (median line, quartile band, min…max band: quantiles, so a
// band never leaves the range of its values, which mean ± std does), the scale of the weight
// gradients (log10 of their std) and the fraction of dead units, from history.diagnostics (fit with
// `diagnostics: true`).

import type { EpochDiagnostics, LayerDiagnostics, LayerStats } from '../train/fit.js';
import { lineChart, type Marker, type Series } from './charts.js';
import { colorOf, esc, num, pct } from './html.js';

const MARKERS: Marker[] = ['circle', 'square', 'triangle', 'diamond'];

function distribution(prefix: string, color: string, pick: (epoch: number) => LayerStats | undefined, epochs: number): Series[] {
  const of = (f: (s: LayerStats) => number) => Array.from({ length: epochs }, (_, e) => { const s = pick(e); return s ? f(s) : NaN; });
  return [
    {
      name: `${prefix}-median`, label: 'median; quartiles, min…max shaded', values: of((s) => s.median), color,
      bands: [
        { name: `${prefix}-range`, lower: of((s) => s.min), upper: of((s) => s.max), opacity: 0.12 },
        { name: `${prefix}-quartiles`, lower: of((s) => s.q1), upper: of((s) => s.q3), opacity: 0.3 },
      ],
    },
    { name: `${prefix}-mean`, label: 'mean', values: of((s) => s.mean), color: '#6b7280', dashed: true },
  ];
}

export function diagnosticsSection(diags: readonly EpochDiagnostics[], layerNames: Map<number, string>): string {
  if (diags.length === 0) return '';
  const epochs = diags.map((d) => d.epoch + 1);
  const layers = diags[0]!.layers.map((l) => l.layer);
  const nameOf = (layer: number, i: number) => layerNames.get(layer) ?? `dense ${i + 1}`;
  const at = (layer: number, e: number): LayerDiagnostics | undefined => diags[e]!.layers.find((x) => x.layer === layer);
  const series = (layer: number, pick: (l: LayerDiagnostics) => number) => diags.map((_, e) => { const l = at(layer, e); return l ? pick(l) : NaN; });
  const small: string[] = [];
  layers.forEach((layer, i) => {
    const name = nameOf(layer, i);
    small.push(`<h3>${esc(name)}</h3><div class="pair">`);
    small.push(lineChart({
      id: `chart-activation-L${layer}`, title: 'activations', xLabel: 'epoch', yLabel: 'value', x: epochs,
      series: distribution('activation', colorOf(i), (e) => at(layer, e)?.activation, diags.length),
    }));
    small.push(lineChart({
      id: `chart-gradient-L${layer}`, title: 'gradient dJ/dz', xLabel: 'epoch', yLabel: 'value', x: epochs,
      series: distribution('gradient', colorOf(i), (e) => at(layer, e)?.gradient, diags.length),
    }));
    small.push('</div>');
  });
  const scale = lineChart({
    id: 'chart-gradient-scale', title: 'Weight-gradient scale per layer', xLabel: 'epoch', yLabel: 'log10 std(dJ/dW)', x: epochs,
    series: layers.map((layer, i) => ({ name: `wgrad-L${layer}`, label: nameOf(layer, i), values: series(layer, (l) => Math.log10(Math.max(l.weightGradient.std, 1e-30))), color: colorOf(i) })),
  });
  // Dead units: only layers that had some are charted (with marks, so equal lines stay visible).
  const withDead = layers.map((layer, i) => ({ layer, i })).filter(({ layer }) => series(layer, (l) => l.deadFraction).some((v) => v > 0));
  const without = layers.map((layer, i) => ({ layer, i })).filter(({ layer }) => !withDead.some((d) => d.layer === layer));
  const noneText = without.length ? `No dead unit in any epoch: ${without.map(({ layer, i }) => esc(nameOf(layer, i))).join(', ')}.` : '';
  let dead: string;
  if (withDead.length) {
    const top = Math.max(...withDead.flatMap(({ layer }) => series(layer, (l) => l.deadFraction)));
    dead = `<figure>${lineChart({
      id: 'chart-dead', title: 'Dead units per layer', xLabel: 'epoch', yLabel: 'fraction of units', x: epochs, yRange: [0, top > 0.5 ? 1 : top > 0.2 ? 0.5 : top > 0.1 ? 0.2 : 0.1], yFormat: (v) => pct(v, 0),
      series: withDead.map(({ layer, i }, k) => ({ name: `dead-L${layer}`, label: nameOf(layer, i), values: series(layer, (l) => l.deadFraction), color: colorOf(i), marker: MARKERS[k % MARKERS.length] })),
    })}${noneText ? `<figcaption>${noneText}</figcaption>` : ''}</figure>`;
  } else {
    dead = `<div class="card-note" id="dead-none"><b>Dead units</b><p>None: in every epoch, every unit of every layer gave a non-zero output for at least one sample of the last batch.</p></div>`;
  }
  const last = diags[diags.length - 1]!;
  const quart = (s: LayerStats) => `${num(s.median)} [${num(s.q1)}, ${num(s.q3)}]`;
  const rows = last.layers.map((l, i) => `<tr><td>${esc(nameOf(l.layer, i))}</td><td>${quart(l.activation)}</td><td>${num(l.activation.min)} … ${num(l.activation.max)}</td><td>${pct(l.activation.zeroFraction, 1)}</td><td>${quart(l.gradient)}</td><td>${num(l.weightGradient.std)}</td><td>${pct(l.deadFraction, 1)}</td></tr>`);
  return `<section id="diagnostics">
<h2>Signals through the network</h2>
<p class="note">Statistics on the last mini-batch of each epoch. Activations that collapse to 0 or saturate, gradients whose scale shrinks layer after layer (vanishing) or grows (exploding), and units that output 0 for every sample (dead ReLUs) show up here. In the per-layer charts the line is the median, the darker band holds the middle half of the values (first to third quartile), the lighter band all of them (min…max), and the dashed line is the mean.</p>
<div class="grid2">${scale}${dead}</div>
${small.join('\n')}
<div class="table-wrap"><table id="diagnostics-last" class="num"><caption>Last epoch (${last.epoch + 1})</caption>
<thead><tr><th>layer</th><th>activation median [quartiles]</th><th>activation range</th><th>zeros</th><th>dJ/dz median [quartiles]</th><th>std dJ/dW</th><th>dead units</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>
</section>`;
}
