// The "signals through the network" section: per dense layer, activation and gradient
// mean ± std over epochs, the scale of the weight gradients (log10 of their std) and the
// fraction of dead units, from history.diagnostics (fit with `diagnostics: true`).

import type { EpochDiagnostics } from '../train/fit.js';
import { lineChart } from './charts.js';
import { colorOf, esc, num, pct } from './html.js';

export function diagnosticsSection(diags: readonly EpochDiagnostics[], layerNames: Map<number, string>): string {
  if (diags.length === 0) return '';
  const epochs = diags.map((d) => d.epoch + 1);
  const layers = diags[0]!.layers.map((l) => l.layer);
  const nameOf = (layer: number, i: number) => layerNames.get(layer) ?? `dense ${i + 1}`;
  const series = (layer: number, pick: (l: EpochDiagnostics['layers'][number]) => number) =>
    diags.map((d) => { const l = d.layers.find((x) => x.layer === layer); return l ? pick(l) : NaN; });
  const small: string[] = [];
  layers.forEach((layer, i) => {
    const name = nameOf(layer, i);
    small.push('<div class="pair">');
    small.push(lineChart({
      id: `chart-activation-L${layer}`, title: `${name}: activations`, xLabel: 'epoch', yLabel: 'value', x: epochs, width: 420, height: 250,
      series: [
        { name: 'activation-mean', label: 'mean ± std', values: series(layer, (l) => l.activation.mean), band: series(layer, (l) => l.activation.std), color: colorOf(i) },
        { name: 'activation-max', label: 'max', values: series(layer, (l) => l.activation.max), color: '#9ca3af', dashed: true },
      ],
    }));
    small.push(lineChart({
      id: `chart-gradient-L${layer}`, title: `${name}: gradient dJ/dz`, xLabel: 'epoch', yLabel: 'value', x: epochs, width: 420, height: 250,
      series: [{ name: 'gradient-mean', label: 'mean ± std', values: series(layer, (l) => l.gradient.mean), band: series(layer, (l) => l.gradient.std), color: colorOf(i) }],
    }));
    small.push('</div>');
  });
  const scale = lineChart({
    id: 'chart-gradient-scale', title: 'Weight-gradient scale per layer', xLabel: 'epoch', yLabel: 'log10 std(dJ/dW)', x: epochs,
    series: layers.map((layer, i) => ({ name: `wgrad-L${layer}`, label: nameOf(layer, i), values: series(layer, (l) => Math.log10(Math.max(l.weightGradient.std, 1e-30))), color: colorOf(i) })),
  });
  const dead = lineChart({
    id: 'chart-dead', title: 'Dead units per layer', xLabel: 'epoch', yLabel: 'fraction of units', x: epochs, yRange: [0, 1], yFormat: (v) => pct(v, 0),
    series: layers.map((layer, i) => ({ name: `dead-L${layer}`, label: nameOf(layer, i), values: series(layer, (l) => l.deadFraction), color: colorOf(i) })),
  });
  const last = diags[diags.length - 1]!;
  const rows = last.layers.map((l, i) => `<tr><td>${esc(nameOf(l.layer, i))}</td><td>${num(l.activation.mean)} ± ${num(l.activation.std)}</td><td>${num(l.activation.min)} … ${num(l.activation.max)}</td><td>${pct(l.activation.zeroFraction, 1)}</td><td>${num(l.gradient.mean)} ± ${num(l.gradient.std)}</td><td>${num(l.weightGradient.std)}</td><td>${pct(l.deadFraction, 1)}</td></tr>`);
  return `<section id="diagnostics">
<h2>Signals through the network</h2>
<p class="note">Statistics on the last mini-batch of each epoch. Activations that collapse to 0 or saturate, gradients whose scale shrinks layer after layer (vanishing) or grows (exploding), and units that output 0 for every sample (dead ReLUs) show up here.</p>
<div class="grid2">${scale}${dead}</div>
${small.join('\n')}
<table id="diagnostics-last" class="num"><caption>Last epoch (${last.epoch + 1})</caption>
<thead><tr><th>layer</th><th>activation mean ± std</th><th>activation range</th><th>zeros</th><th>dJ/dz mean ± std</th><th>std dJ/dW</th><th>dead units</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
</section>`;
}
