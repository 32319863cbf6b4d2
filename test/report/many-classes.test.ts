// A report for 100 (and 127) classes stays small and readable: the heat map keeps the 11 classes
// involved in the most errors and pools the rest into "other" (counts preserved), the per-class
// table becomes a five-number summary, the weakest classes and a collapsed full table, and the
// most frequent confusions are listed. Truths are recomputed here from yTrue / yPred.
import { describe, expect, it } from 'vitest';
import { adam, dense, Sequential, trainingReport } from '../../src/index.js';
import { Rng } from '../../src/rng.js';
import { attrs, checkHtml, svgById } from './html-check.js';

function blobs(k: number, perClass: number, seed: number) {
  const rng = new Rng(seed);
  const d = 16;
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal(0, 1)));
  const X = new Float32Array(k * perClass * d);
  const y = new Int32Array(k * perClass);
  for (let c = 0; c < k; c++) for (let s = 0; s < perClass; s++) {
    const i = c * perClass + s;
    y[i] = c;
    for (let j = 0; j < d; j++) X[i * d + j] = centres[c]![j]! + rng.normal(0, 0.9);
  }
  return { X: { data: X, rows: k * perClass, cols: d }, y };
}

function build(k: number, names: (c: number) => string) {
  const { X, y } = blobs(k, 12, k);
  const model = new Sequential({ inputSize: 16, seed: 1, layers: [dense(48, { activation: 'relu' }), dense(k, { activation: 'softmax' })] });
  model.compile({ optimizer: adam({ learningRate: 0.01 }) });
  const history = model.fitSync(X, y, { epochs: 12, batchSize: 32, diagnostics: true, validationSplit: 0.2, seed: 3 });
  const yPred = model.predictClasses(X);
  const classNames = Array.from({ length: k }, (_, c) => names(c));
  const html = trainingReport({ history, model, evaluation: { yTrue: y, yPred, classNames, on: 'all samples' } });
  model.dispose();
  return { y, yPred, classNames, html };
}

describe('a report with many classes', () => {
  const r = build(100, (c) => `class ${c}`);

  it('stays under 300 KB and well formed', () => {
    expect(checkHtml(r.html).errors).toEqual([]);
    console.log(`100-class report: ${(r.html.length / 1024).toFixed(1)} KB`);
    expect(new TextEncoder().encode(r.html).length).toBeLessThanOrEqual(300 * 1024);
  });

  it('caps the heat map to the 11 classes with the most errors plus "other", keeping every count', () => {
    const k = 100;
    const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    r.y.forEach((t, i) => { cm[t]![r.yPred[i]!]!++; });
    const errors = cm.map((row, i) => row.reduce((s, v, j) => s + (j === i ? 0 : v + cm[j]![i]!), 0));
    const svg = svgById(r.html, 'chart-confusion')!;
    expect(attrs(svg.tag)['data-classes']).toBe('12');
    expect(attrs(svg.tag)['data-pooled']).toBe('89');
    const cells = [...svg.inner.matchAll(/data-row="(\d+)" data-col="(\d+)" data-count="(\d+)"/g)].map((m) => m.slice(1).map(Number));
    expect(cells.length).toBe(144);
    expect(cells.reduce((s, c) => s + c[2]!, 0)).toBe(r.y.length);
    // The shown classes are the 11 with the most errors (ties broken by support, then index).
    const shownNames = [...svg.inner.matchAll(/text-anchor="end" dominant-baseline="middle">([^<]+)</g)].map((m) => m[1]!);
    const expected = Array.from({ length: k }, (_, i) => i).sort((a, b) => errors[b]! - errors[a]! || a - b).slice(0, 11).sort((a, b) => a - b);
    expect(shownNames).toEqual([...expected.map((c) => `class ${c}`), 'other (89)']);
    // Each shown cell holds the original count; the pooled row holds the rest of each column.
    for (const [i, j, v] of cells) {
      if (i < 11 && j < 11) expect(v).toBe(cm[expected[i]!]![expected[j]!]);
      if (i === 11 && j < 11) expect(v).toBe(cm.reduce((s, row, a) => s + (expected.includes(a) ? 0 : row[expected[j]!]!), 0));
    }
    expect(r.html).toContain('pooled in the grey');
  });

  it('summarizes the per-class table and lists the most frequent confusions', () => {
    expect(r.html).toContain('id="per-class-summary"');
    expect(r.html).toContain('id="per-class-weakest"');
    expect(r.html).toMatch(/<details><summary>All 100 classes<\/summary><table id="per-class"/);
    const weakest = /<table id="per-class-weakest"[\s\S]*?<\/table>/.exec(r.html)![0];
    expect([...weakest.matchAll(/<tr><td>/g)].length).toBe(10);
    const top = /<table id="top-confusions"[\s\S]*?<\/table>/.exec(r.html)![0];
    const first = /<tbody><tr><td>([^<]+)<\/td><td>([^<]+)<\/td><td>(\d+)<\/td>/.exec(top)!;
    const k = 100;
    let best = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      if (i === j) continue;
      let n = 0;
      r.y.forEach((t, s) => { if (t === i && r.yPred[s] === j) n++; });
      best = Math.max(best, n);
    }
    expect(Number(first[3])).toBe(best);
  });

  it('127 classes with long names: under 300 KB, names shortened in the heat map with the full name as a tooltip', () => {
    const r2 = build(127, (c) => `a rather long class name ${c}`);
    expect(new TextEncoder().encode(r2.html).length).toBeLessThanOrEqual(300 * 1024);
    const svg = svgById(r2.html, 'chart-confusion')!;
    expect(svg.inner).toMatch(/a rather lo…<title>a rather long class name \d+<\/title>/);
  });
});
