// The demo page in Chromium: trains on digits in a worker to ≥ 90 % while the page keeps running
// its timers, classifies a digit drawn with the mouse, draws decision regions for a 2-D set,
// renders the training report with real SVG geometry, stays on localhost. Screenshots go to
// test-results/ (gitignored) as artifacts.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { outsideLocalhost, screenshotPath, useBrowser } from './harness.js';

const env = useBrowser((s) => `${s.origin}/`);

/** The demo page, once it has loaded its kernels. */
async function demo(): Promise<Page> {
  const { page } = env();
  await page.waitForSelector('#status[data-state="idle"], #status[data-state="done"]', { timeout: 30_000 });
  return page;
}

async function trainAndWait(p: Page, settings: Record<string, string>): Promise<void> {
  for (const [id, v] of Object.entries(settings)) {
    const tag = await p.$eval(`#${id}`, (el) => el.tagName);
    if (tag === 'SELECT') await p.selectOption(`#${id}`, v);
    else await p.fill(`#${id}`, v);
  }
  await p.click('#train');
  await p.waitForSelector('#status[data-state="training"]');
  await p.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 180_000 });
  const status = await p.$eval('#status', (el) => `${(el as HTMLElement).dataset.state}: ${el.textContent}`);
  expect(status).toMatch(/^done/);
}

describe('demo page (dist/web/) in Chromium', () => {
  it('is served cross-origin isolated and runs the relaxed SIMD binary', async () => {
    const page = await demo();
    expect(page.url()).toBe(`${env().served.origin}/web/`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.$eval('#badge-binary', (el) => (el as HTMLElement).dataset.binary)).toBe('relaxed');
  });

  it('trains on digits in a worker to ≥ 90 % while the page stays responsive', async () => {
    const page = await demo();
    await page.evaluate(() => {
      const w = window as unknown as { ticks: number[] };
      w.ticks = [];
      setInterval(() => w.ticks.push(performance.now()), 20);
    });
    const t0 = await page.evaluate(() => performance.now());
    await trainAndWait(page, { dataset: 'digits', hidden: '64, 32', activation: 'relu', optimizer: 'adam', lr: '0.005', epochs: '30', batch: '8' });
    const t1 = await page.evaluate(() => performance.now());
    const ticks = await page.evaluate(() => (window as unknown as { ticks: number[] }).ticks);
    const during = ticks.filter((t) => t >= t0 && t <= t1);
    const gaps = during.slice(1).map((t, i) => t - during[i]!);
    // A 20 ms timer: at least a third of the expected firings, and no gap near the length of the
    // training (which a training step on the main thread would cause).
    console.log(`digits in the demo: ${(t1 - t0).toFixed(0)} ms of training, ${during.length} timer ticks, longest gap ${Math.max(...gaps).toFixed(0)} ms`);
    expect(during.length).toBeGreaterThan((t1 - t0) / 20 / 3);
    expect(Math.max(...gaps)).toBeLessThan(Math.max(250, (t1 - t0) / 3));

    const acc = Number(await page.$eval('#stat-val-accuracy', (el) => (el as HTMLElement).dataset.value));
    expect(acc).toBeGreaterThanOrEqual(0.9);
    expect(await page.$eval('#stat-binary', (el) => el.textContent)).toBe('relaxed SIMD');
    expect(Number((await page.$eval('#stat-samples-per-sec', (el) => el.textContent))!.replace(/,/g, ''))).toBeGreaterThan(0);
    // Live charts: one point per epoch, train and validation.
    const points = await page.$$eval('#loss-svg polyline', (ls) => ls.map((l) => l.getAttribute('points')!.trim().split(/\s+/).length));
    expect(points).toEqual([30, 30]);
    // Confusion matrix of the validation set: 10 × 10, counts summing to its size.
    const cells = await page.$$eval('table.confusion td', (tds) => tds.map((td) => Number(td.textContent)));
    expect(cells).toHaveLength(100);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(360);
  });

  it('classifies a digit drawn with the mouse: 10 probabilities that sum to 1', async () => {
    const page = await demo();
    const box = (await page.locator('#pad').boundingBox())!;
    const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
    // A "7": the top bar, then the diagonal down.
    await page.mouse.move(...at(0.25, 0.2));
    await page.mouse.down();
    for (const [fx, fy] of [[0.5, 0.2], [0.75, 0.2], [0.62, 0.5], [0.5, 0.8]] as const) await page.mouse.move(...at(fx, fy), { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector('#probs .prob');
    const probs = await page.$$eval('#probs .prob', (ps) => ps.map((p) => Number((p as HTMLElement).dataset.p)));
    expect(probs).toHaveLength(10);
    for (const p of probs) expect(p).toBeGreaterThanOrEqual(0);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const guess = Number(await page.$eval('#guess', (el) => el.textContent));
    expect(guess).toBe(probs.indexOf(Math.max(...probs)));
    // The 8×8 preview shows ink.
    const ink = await page.$eval('#preview', (c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 80, 80).data;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 128) dark++;
      return dark;
    });
    expect(ink).toBeGreaterThan(100);
  });

  it('renders the training report with non-empty SVG charts', async () => {
    const page = await demo();
    await page.click('#report-button');
    const frame = page.frameLocator('#report');
    await frame.locator('svg').first().waitFor();
    const charts = await frame.locator('body').evaluate((body) => Array.from(body.querySelectorAll('svg')).map((svg) => {
      const box = svg.getBBox();
      const marks = svg.querySelectorAll('polyline, path, rect, circle, line');
      let drawn = 0;
      marks.forEach((m) => { const b = (m as SVGGraphicsElement).getBBox(); if (b.width > 0 || b.height > 0) drawn++; });
      return { id: svg.id, width: box.width, height: box.height, drawn };
    }));
    expect(charts.length).toBeGreaterThanOrEqual(3);
    for (const c of charts) {
      expect(c.width, c.id).toBeGreaterThan(0);
      expect(c.height, c.id).toBeGreaterThan(0);
      expect(c.drawn, c.id).toBeGreaterThan(0);
    }
    await page.locator('#report').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('demo-digits.png'), fullPage: true });
  });

  it('redraws decision regions each epoch for a 2-D set (spirals, with the page\'s defaults)', async () => {
    const page = await demo();
    // A fresh page: the fields edited by the digits test above would be kept across the data-set change.
    await page.reload();
    await page.waitForSelector('#status[data-state="idle"]', { timeout: 30_000 });
    await page.selectOption('#dataset', 'spirals');
    await page.evaluate(() => {
      const w = window as unknown as { redraws: string[] };
      w.redraws = [];
      new MutationObserver(() => w.redraws.push(document.getElementById('regions')!.dataset.epoch!))
        .observe(document.getElementById('regions')!, { attributes: true, attributeFilter: ['data-epoch'] });
    });
    await trainAndWait(page, {});
    const redraws = await page.evaluate(() => (window as unknown as { redraws: string[] }).redraws.map(Number));
    expect(redraws).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await page.isVisible('#regions')).toBe(true);
    const colours = await page.$eval('#regions', (c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 320, 320).data;
      const seen = new Set<string>();
      for (let i = 0; i < d.length; i += 4 * 97) seen.add(`${d[i]! >> 4},${d[i + 1]! >> 4},${d[i + 2]! >> 4}`);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(3);
    const acc = Number(await page.$eval('#stat-val-accuracy', (el) => (el as HTMLElement).dataset.value));
    expect(acc).toBeGreaterThan(0.9);
    await page.screenshot({ path: screenshotPath('demo-spirals.png'), fullPage: true });
    await page.locator('#regions').screenshot({ path: screenshotPath('demo-regions.png') });
  });

  it('made no request outside localhost and logged no error', () => {
    const { requests, errors } = env();
    expect(requests.length).toBeGreaterThan(5);
    expect(outsideLocalhost(requests)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
