// The training report as a reader sees it, in Chromium: at 1400 px the line charts fill their
// columns; at 420 px nothing scrolls sideways and no chart text renders below 10 px; with 100
// classes the page stays short. Screenshots go to test-results/ (report-*.png).

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adam, dense, loadDigits, makeToyDataset, Sequential, trainingReport, trainTestSplit } from '../../src/web/browser.js';
import { Rng } from '../../src/rng.js';
import { launch, recordedPage, screenshotPath, type Browser } from './harness.js';

function digitsReport(): string {
  const { X, y, classNames } = loadDigits();
  const Xs = { ...X, data: X.data.map((v) => v / 16) };
  const s = trainTestSplit(Xs, y, { testSize: 0.2, stratify: true, seed: 1 });
  const model = new Sequential({ inputSize: 64, seed: 1, layers: [dense(32, { activation: 'relu' }), dense(16, { activation: 'relu' }), dense(10, { activation: 'softmax' })] });
  model.compile({ optimizer: adam({ learningRate: 0.01 }) });
  const history = model.fitSync(s.XTrain, s.yTrain, { epochs: 15, batchSize: 32, validationData: [s.XTest, s.yTest], diagnostics: true });
  const html = trainingReport({ title: 'digits', history, model, evaluation: { yTrue: s.yTest, yPred: model.predictClasses(s.XTest), classNames, on: 'test set' }, trainingTime: 1 });
  model.dispose();
  return html;
}

function spiralsReport(): string {
  const { X, y, classNames } = makeToyDataset('spirals', { samples: 400, noise: 0.05, seed: 1 });
  const model = new Sequential({ inputSize: 2, seed: 1, layers: [dense(32, { activation: 'relu' }), dense(32, { activation: 'relu' }), dense(2, { activation: 'softmax' })] });
  model.compile({ optimizer: adam({ learningRate: 0.01 }) });
  const history = model.fitSync(X, y, { epochs: 80, batchSize: 8, diagnostics: true });
  const html = trainingReport({ title: 'spirals', history, model, evaluation: { yTrue: y, yPred: model.predictClasses(X), classNames }, decision: { X, y, classNames, resolution: 60 } });
  model.dispose();
  return html;
}

function manyClassesReport(k: number): string {
  const rng = new Rng(k);
  const n = k * 10;
  const yTrue = Int32Array.from({ length: n }, (_, i) => i % k);
  const yPred = yTrue.map((c) => (rng.uniform() < 0.75 ? c : Math.floor(rng.uniform() * k)));
  const classNames = Array.from({ length: k }, (_, c) => `species ${c}`);
  return trainingReport({ title: `${k} classes`, evaluation: { yTrue, yPred, classNames } });
}

interface Look { scrollWidth: number; innerWidth: number; height: number; smallest: { px: number; text: string }; lineCharts: { id: string; width: number; column: number }[] }

async function look(page: Page, html: string, width: number, shot: string): Promise<Look> {
  await page.setViewportSize({ width, height: 900 });
  await page.setContent(html);
  await page.screenshot({ path: screenshotPath(shot), fullPage: true });
  return page.evaluate(() => {
    let smallest = { px: Infinity, text: '' };
    for (const t of Array.from(document.querySelectorAll('svg text'))) {
      const el = t as SVGTextElement;
      const svg = el.ownerSVGElement!;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const px = Number(el.getAttribute('font-size') ?? el.closest('[font-size]')?.getAttribute('font-size') ?? 16) * scale;
      if (px < smallest.px) smallest = { px, text: el.textContent ?? '' };
    }
    // A chart's column: its grid track when its parent is a grid, else the parent's content box.
    const lineCharts = Array.from(document.querySelectorAll('svg.chart.line')).map((svg) => {
      const parent = svg.parentElement!;
      const style = getComputedStyle(parent);
      const tracks = style.display === 'grid' ? style.gridTemplateColumns.split(' ').map(parseFloat) : [parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)];
      return { id: svg.id, width: svg.getBoundingClientRect().width, column: Math.max(...tracks) };
    });
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, height: document.documentElement.scrollHeight, smallest, lineCharts };
  });
}

describe('the training report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const reports = { digits: digitsReport(), spirals: spiralsReport(), classes100: manyClassesReport(100) };
  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await recordedPage(browser));
  }, 60_000);
  afterAll(async () => { await browser?.close(); });

  it('at 1400 px the line charts fill their column', async () => {
    for (const [name, html] of Object.entries(reports)) {
      const l = await look(page, html, 1400, `report-${name}-1400.png`);
      expect(l.scrollWidth, name).toBeLessThanOrEqual(l.innerWidth);
      for (const c of l.lineCharts) expect(c.width, `${name} ${c.id}`).toBeGreaterThan(c.column - 2);
      expect(l.smallest.px, `${name}: "${l.smallest.text}"`).toBeGreaterThanOrEqual(10);
    }
  });

  it('at 420 px nothing scrolls sideways and chart text stays ≥ 10 px', async () => {
    for (const [name, html] of Object.entries(reports)) {
      const l = await look(page, html, 420, `report-${name}-420.png`);
      expect(l.scrollWidth, name).toBeLessThanOrEqual(420);
      expect(l.smallest.px, `${name}: "${l.smallest.text}"`).toBeGreaterThanOrEqual(10);
    }
  });

  it('100 classes: a page of normal length', async () => {
    const l = await look(page, reports.classes100, 1400, 'report-classes100-1400.png');
    expect(l.height).toBeLessThan(2600);
    expect(errors).toEqual([]);
  });
});
