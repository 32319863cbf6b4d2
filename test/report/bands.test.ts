// Report geometry: every band of the per-layer charts, mapped back from its SVG polygon to data
// values, stays inside the range of the values it describes (min…max of that layer in that
// epoch, as the f32_moments kernel measured them), the quartile band inside the min…max band;
// so a ReLU band never dips below 0 and a softmax band never leaves [0, 1].
import { describe, expect, it } from 'vitest';
import { adam, dense, loadIris, Sequential, StandardScaler, trainingReport } from '../../src/index.js';
import { attrs, bandValues, checkHtml, svgById } from './html-check.js';

describe('report bands stay inside the data range', () => {
  const { X, y } = loadIris();
  const model = new Sequential({ inputSize: 4, seed: 11, layers: [dense(16, { activation: 'relu' }), dense(8, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] });
  model.compile({ optimizer: adam({ learningRate: 0.02 }) });
  const history = model.fitSync(new StandardScaler().fit(X).transform(X), y, { epochs: 15, batchSize: 16, diagnostics: true, seed: 2 });
  const html = trainingReport({ history, model });
  const layers = history.diagnostics[0]!.layers;
  const activations = ['relu', 'tanh', 'softmax'];

  it('is well formed and has two bands per distribution chart', () => {
    expect(checkHtml(html).errors).toEqual([]);
    for (const l of layers) for (const kind of ['activation', 'gradient']) {
      const svg = svgById(html, `chart-${kind}-L${l.layer}`)!;
      expect(svg.inner).toContain(`data-series="${kind}-range"`);
      expect(svg.inner).toContain(`data-series="${kind}-quartiles"`);
    }
  });

  for (const kind of ['activation', 'gradient'] as const) {
    it(`${kind}: quartile band ⊂ min…max band = [min, max] of the layer's values, every epoch`, () => {
      layers.forEach((l, li) => {
        const id = `chart-${kind}-L${l.layer}`;
        const a = attrs(svgById(html, id)!.tag);
        const [, , , height] = a['data-plot']!.split(' ').map(Number);
        // Polygon coordinates carry 2 decimals: half a hundredth of a pixel, in data units, plus float slack.
        const tol = ((Number(a['data-y-max']) - Number(a['data-y-min'])) / height!) * 0.006 + 1e-6;
        const range = bandValues(html, id, `${kind}-range`);
        const quart = bandValues(html, id, `${kind}-quartiles`);
        history.diagnostics.forEach((d, e) => {
          const s = d.layers[li]![kind];
          expect(Math.abs(range.upper[e]!.x - (e + 1))).toBeLessThan(1e-3);
          expect(range.upper[e]!.y).toBeLessThanOrEqual(s.max + tol);
          expect(range.lower[e]!.y).toBeGreaterThanOrEqual(s.min - tol);
          expect(Math.abs(range.upper[e]!.y - s.max)).toBeLessThan(tol);
          expect(Math.abs(range.lower[e]!.y - s.min)).toBeLessThan(tol);
          expect(quart.upper[e]!.y).toBeLessThanOrEqual(range.upper[e]!.y + tol);
          expect(quart.lower[e]!.y).toBeGreaterThanOrEqual(range.lower[e]!.y - tol);
          expect(quart.lower[e]!.y).toBeLessThanOrEqual(quart.upper[e]!.y + tol);
          if (kind === 'activation' && activations[li] === 'relu') expect(range.lower[e]!.y).toBeGreaterThanOrEqual(-tol);
          if (kind === 'activation' && activations[li] !== 'relu') {
            expect(range.lower[e]!.y).toBeGreaterThanOrEqual((activations[li] === 'tanh' ? -1 : 0) - tol);
            expect(range.upper[e]!.y).toBeLessThanOrEqual(1 + tol);
          }
        });
      });
    });
  }
  model.dispose();
});
