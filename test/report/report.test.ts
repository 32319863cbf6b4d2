import { describe, expect, it } from 'vitest';
import { Sequential, dense, dropout, loadIris, StandardScaler, trainingReport, backendInfo, type History } from '../../src/index.js';
import { attrs, checkHtml, seriesValues, svgById } from './html-check.js';

function trained(cols: number[], epochs = 12) {
  const { X, y, classNames, featureNames } = loadIris();
  const Xs = { data: new Float32Array(X.rows * cols.length), rows: X.rows, cols: cols.length };
  for (let i = 0; i < X.rows; i++) cols.forEach((c, j) => { Xs.data[i * cols.length + j] = X.data[i * 4 + c]!; });
  const scaler = new StandardScaler().fit(Xs);
  const model = new Sequential({ inputSize: cols.length, seed: 3, backend: 'js', layers: [dense(8, { activation: 'relu' }), dropout(0.1), dense(6, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] });
  model.compile({ optimizer: 'adam', l2: 1e-4 });
  const history = model.fitSync(scaler.transform(Xs), y, { epochs, batchSize: 16, validationSplit: 0.2, diagnostics: true, seed: 3 });
  return { X: Xs, y, classNames, featureNames: cols.map((c) => featureNames[c]!), scaler, model, history };
}

function close(got: { x: number; y: number }[], xs: number[], ys: number[], yTol: number) {
  expect(got.length).toBe(ys.length);
  got.forEach((p, i) => {
    expect(Math.abs(p.x - xs[i]!)).toBeLessThan(1e-3);
    expect(Math.abs(p.y - ys[i]!)).toBeLessThan(yTol);
  });
}

describe('trainingReport', () => {
  const t = trained([0, 1, 2, 3]);
  const yPred = t.model.predictClasses(t.scaler.transform(t.X));
  const html = trainingReport({ history: t.history, model: t.model, evaluation: { yTrue: t.y, yPred, classNames: t.classNames, on: 'training set' }, backend: backendInfo(t.model.backend), trainingTime: 0.5, info: { data: 'iris' } });

  it('is one well-formed, self-contained HTML document', () => {
    const { errors, counts } = checkHtml(html);
    expect(errors).toEqual([]);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(counts.get('script')).toBeUndefined();
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/url\(/);
  });

  it('draws loss and accuracy per epoch at the values of the history', () => {
    const h: History = t.history;
    const xs = h.epoch.map((e) => e + 1);
    for (const [chart, series, values] of [
      ['chart-loss', 'loss', h.loss], ['chart-loss', 'valLoss', h.valLoss],
      ['chart-accuracy', 'accuracy', h.accuracy], ['chart-accuracy', 'valAccuracy', h.valAccuracy],
    ] as const) {
      const a = attrs(svgById(html, chart)!.tag);
      const [, , , height] = a['data-plot']!.split(' ').map(Number);
      const tol = ((Number(a['data-y-max']) - Number(a['data-y-min'])) / height!) * 0.011;
      close(seriesValues(html, chart, series), xs, values as number[], tol);
    }
  });

  it('has the confusion heat map with counts, the per-class table and the model summary', () => {
    const cm = svgById(html, 'chart-confusion')!;
    const cells = [...cm.inner.matchAll(/data-row="(\d+)" data-col="(\d+)" data-count="(\d+)"/g)];
    expect(cells.length).toBe(9);
    const total = cells.reduce((s, c) => s + Number(c[3]), 0);
    expect(total).toBe(150);
    const diag = cells.filter((c) => c[1] === c[2]).reduce((s, c) => s + Number(c[3]), 0);
    expect(diag).toBe(Array.from(yPred).filter((p, i) => p === t.y[i]).length);
    expect(cm.inner).toContain('>predicted →<');
    expect(cm.inner).toContain('>actual ↓<');
    for (const name of t.classNames) expect(html).toContain(`<td>${name}</td>`);
    expect(html).toMatch(/<table id="per-class"/);
    expect(html).toMatch(/<table id="model-summary"/);
    expect(html).toContain(`${t.model.paramCount}`);
    expect(html).toContain('adam');
  });

  it('plots per-layer activation and gradient statistics with bands and dead units', () => {
    const d0 = t.history.diagnostics;
    const layer = d0[0]!.layers[0]!.layer;
    const xs = d0.map((d) => d.epoch + 1);
    const a = attrs(svgById(html, `chart-activation-L${layer}`)!.tag);
    const tol = ((Number(a['data-y-max']) - Number(a['data-y-min'])) / Number(a['data-plot']!.split(' ')[3])) * 0.011;
    close(seriesValues(html, `chart-activation-L${layer}`, 'activation-mean'), xs, d0.map((d) => d.layers[0]!.activation.mean), tol);
    close(seriesValues(html, `chart-activation-L${layer}`, 'activation-median'), xs, d0.map((d) => d.layers[0]!.activation.median), tol);
    expect(svgById(html, `chart-activation-L${layer}`)!.inner).toContain('data-series="activation-quartiles"');
    expect(svgById(html, `chart-activation-L${layer}`)!.inner).toContain('data-series="activation-range"');
    expect(svgById(html, `chart-gradient-L${layer}`)).toBeDefined();
    // Dead units: a chart of the layers that had some, a note naming the others.
    const deadLayers = d0[0]!.layers.filter((l) => d0.some((d) => d.layers.find((x) => x.layer === l.layer)!.deadFraction > 0));
    for (const l of deadLayers) {
      close(seriesValues(html, 'chart-dead', `dead-L${l.layer}`), xs, d0.map((d) => d.layers.find((x) => x.layer === l.layer)!.deadFraction), 0.01);
    }
    if (deadLayers.length === 0) expect(html).toContain('id="dead-none"');
    else expect(html).not.toContain('id="dead-none"');
    expect(svgById(html, 'chart-gradient-scale')).toBeDefined();
  });

  it('draws decision regions for two-feature data', () => {
    const t2 = trained([2, 3], 20);
    const page = trainingReport({
      history: t2.history, model: t2.model,
      decision: { X: t2.X, y: t2.y, featureNames: t2.featureNames, classNames: t2.classNames, resolution: 40, predict: (g) => t2.model.predictClasses(t2.scaler.transform(g)) },
    });
    expect(checkHtml(page).errors).toEqual([]);
    const svg = svgById(page, 'chart-decision')!;
    expect(attrs(svg.tag)['data-grid']).toBe('40');
    expect([...svg.inner.matchAll(/<circle data-class=/g)].length).toBe(150);
    const regionClasses = new Set([...svg.inner.matchAll(/<rect data-class="(\d+)"/g)].map((m) => m[1]));
    expect(regionClasses.size).toBeGreaterThanOrEqual(2);
    expect(svg.inner).toContain('petal length (cm)');
  });

  it('works with nothing but a history, and escapes text', () => {
    const page = trainingReport({ title: 'a <b> & "c"', history: t.history });
    expect(checkHtml(page).errors).toEqual([]);
    expect(page).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(page).not.toContain('id="chart-confusion"');
  });
});
