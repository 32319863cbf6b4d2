// The demo page as a new user meets it, in Chromium: the digits preset trains and then reads a
// "0", "1" and "7" drawn with the mouse; bad form values are refused with a message and never
// replaced; changing the data set keeps what was typed and clears the old results; a long epoch
// shows progress per batch and stops within a second; an exploding loss is flagged and can be
// read on a log axis; the layout holds at 1400 and 390 px. Screenshots: test-results/demo-*.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotPath, useBrowser } from './harness.js';

const env = useBrowser((s) => `${s.origin}/`);

async function fresh(width = 1400): Promise<Page> {
  const { page } = env();
  await page.setViewportSize({ width, height: 1000 });
  await page.reload();
  await page.waitForSelector('#status[data-state="idle"]', { timeout: 30_000 });
  return page;
}

const status = (p: Page) => p.$eval('#status', (el) => ({ state: (el as HTMLElement).dataset.state!, text: el.textContent! }));

async function trainToEnd(p: Page): Promise<{ state: string; text: string }> {
  await p.click('#train');
  await p.waitForSelector('#status:not([data-state="idle"])');
  await p.waitForSelector('#status[data-state="done"], #status[data-state="error"], #status[data-state="stopped"], #status[data-state="invalid"]', { timeout: 180_000 });
  return status(p);
}

/** Draws a polyline on the pad with the mouse; points are fractions of the pad. */
async function draw(p: Page, strokes: [number, number][][]): Promise<{ guess: number; p: number[] }> {
  await p.click('#clear');
  const box = (await p.locator('#pad').boundingBox())!;
  for (const s of strokes) {
    await p.mouse.move(box.x + s[0]![0] * box.width, box.y + s[0]![1] * box.height);
    await p.mouse.down();
    for (const [fx, fy] of s.slice(1)) await p.mouse.move(box.x + fx * box.width, box.y + fy * box.height, { steps: 6 });
    await p.mouse.up();
  }
  await p.waitForSelector('#probs .prob');
  return {
    guess: Number(await p.$eval('#guess', (el) => el.textContent)),
    p: await p.$$eval('#probs .prob', (ps) => ps.map((x) => Number((x as HTMLElement).dataset.p))),
  };
}

const ellipse = (cx: number, cy: number, rx: number, ry: number): [number, number][] =>
  Array.from({ length: 25 }, (_, i) => [cx + rx * Math.sin((2 * Math.PI * i) / 24), cy - ry * Math.cos((2 * Math.PI * i) / 24)]);

describe('the demo page, used as a new user would', () => {
  it('digits with the page\'s own settings, then a clean 0, 1 and 7 drawn with the mouse are read right with ≥ 80 %', async () => {
    const page = await fresh();
    expect(await page.isHidden('#regions-panel')).toBe(true);
    expect(await trainToEnd(page)).toEqual({ state: 'done', text: expect.stringMatching(/^Done: 20 epochs in [\d.]+ s, validation accuracy 9\d\.\d %\.$/) });
    const read: string[] = [];
    for (const [digit, strokes] of [
      [0, [ellipse(0.5, 0.5, 0.2, 0.3)]],
      [1, [[[0.5, 0.2], [0.5, 0.8]]]],
      [7, [[[0.3, 0.2], [0.7, 0.2], [0.45, 0.8]]]],
    ] as [number, [number, number][][]][]) {
      const r = await draw(page, strokes);
      read.push(`${digit} → ${r.guess} (${(100 * r.p[r.guess]!).toFixed(1)} %)`);
      expect(r.guess, read.join(', ')).toBe(digit);
      expect(r.p[digit], read.join(', ')).toBeGreaterThanOrEqual(0.8);
    }
    console.log(`drawn on the pad: ${read.join(', ')}`);
    await page.screenshot({ path: screenshotPath('demo-1400.png'), fullPage: true });
    // No empty grid cell beside the drawing card: it spans the columns the regions card leaves.
    const boxes = await page.$$eval('main > .panel:not([hidden])', (ps) => ps.map((p) => { const r = p.getBoundingClientRect(); return { id: p.id || p.className, right: r.right }; }));
    const mainRight = await page.$eval('main', (m) => m.getBoundingClientRect().right - parseFloat(getComputedStyle(m).paddingRight));
    expect(boxes.find((b) => b.id.includes('draw'))!.right).toBeGreaterThan(mainRight - 2);
    // At 1600 px still three columns: the training card ends where the row ends.
    await page.setViewportSize({ width: 1600, height: 1000 });
    const cols = await page.$eval('main', (m) => getComputedStyle(m).gridTemplateColumns.split(' ').length);
    expect(cols).toBe(3);
  });

  it('refuses bad values with a message under each field and never replaces what was typed', async () => {
    const page = await fresh();
    const typed = { hidden: '32, abc', lr: '0', epochs: '0', batch: '0' };
    for (const [id, v] of Object.entries(typed)) await page.fill(`#${id}`, v);
    await page.click('#train');
    await page.waitForSelector('#status[data-state="invalid"]');
    expect(await status(page)).toEqual({ state: 'invalid', text: 'Not started: fix the 4 marked fields first.' });
    for (const [id, v] of Object.entries(typed)) {
      expect(await page.inputValue(`#${id}`)).toBe(v);
      expect(await page.getAttribute(`#${id}`, 'aria-invalid')).toBe('true');
      expect(await page.isVisible(`#err-${id}`)).toBe(true);
    }
    expect(await page.textContent('#err-lr')).toBe('A number above 0, like 0.01; got "0".');
    expect(await page.textContent('#err-epochs')).toBe('A whole number from 1 to 10,000; got "0".');
    expect(await page.textContent('#err-batch')).toMatch(/^A whole number from 1 to 1,437 /);
    await page.screenshot({ path: screenshotPath('demo-form-errors.png'), clip: { x: 0, y: 0, width: 1400, height: 620 } });
    await page.fill('#epochs', '99999');
    await page.click('#train');
    await page.waitForFunction(() => /99999/.test(document.getElementById('err-epochs')!.textContent ?? ''));
    expect(await page.textContent('#err-epochs')).toBe('A whole number from 1 to 10,000; got "99999".');
    expect(await page.inputValue('#epochs')).toBe('99999');
    // Fixing a field takes its message away as it is typed; the others stay.
    await page.fill('#lr', '0.01');
    expect(await page.isHidden('#err-lr')).toBe(true);
    expect(await page.isVisible('#err-batch')).toBe(true);
    expect((await status(page)).state).toBe('invalid');
  });

  it('changing the data set keeps edited fields, fills the others from its preset and clears the old results', async () => {
    const page = await fresh();
    await page.selectOption('#dataset', 'xor');
    expect(await trainToEnd(page)).toMatchObject({ state: 'done' });
    expect(await page.isVisible('#regions')).toBe(true);
    expect(await page.$$eval('table.confusion td', (tds) => tds.length)).toBe(4);
    await page.fill('#hidden', '24');
    await page.fill('#lr', '0.02');
    await page.selectOption('#dataset', 'iris');
    expect(await page.inputValue('#hidden')).toBe('24');
    expect(await page.inputValue('#lr')).toBe('0.02');
    expect(await page.inputValue('#epochs')).toBe('50');
    expect(await page.inputValue('#batch')).toBe('8');
    // Nothing of the XOR run is left: no regions card, no matrix, no stats, no report.
    expect(await page.isHidden('#regions-panel')).toBe(true);
    expect(await page.$$eval('table.confusion', (t) => t.length)).toBe(0);
    expect(await page.textContent('#stat-loss')).toBe('–');
    expect(await page.isDisabled('#report-button')).toBe(true);
    expect(await page.$$eval('#loss-svg polyline', (l) => l.length)).toBe(0);
  });

  it('iris with its preset reaches the accuracy the preset states (28 of 30: two flowers no model separates)', async () => {
    const page = await fresh();
    await page.selectOption('#dataset', 'iris');
    expect(await trainToEnd(page)).toMatchObject({ state: 'done', text: expect.stringMatching(/^Done: 50 epochs/) });
    const acc = Number(await page.$eval('#stat-val-accuracy', (el) => (el as HTMLElement).dataset.value));
    expect(acc).toBeGreaterThanOrEqual(0.93);
    // The matrix's axis labels ("predicted →", "actual ↓") stay on one line each.
    const lines = await page.$$eval('table.confusion th.axis', (ths) => ths.map((th) => {
      const r = document.createRange();
      r.selectNodeContents(th);
      return new Set(Array.from(r.getClientRects(), (b) => Math.round(b.top))).size;
    }));
    expect(lines).toEqual([1, 1]);
  });

  it('a long epoch (1024, 1024 hidden, batch 1) shows per-batch progress and stops within a second', async () => {
    const page = await fresh();
    await page.fill('#hidden', '1024, 1024');
    await page.fill('#batch', '1');
    await page.fill('#epochs', '3');
    await page.click('#train');
    await page.waitForFunction(() => /%/.test(document.getElementById('stat-epoch')?.textContent ?? ''), undefined, { timeout: 30_000 });
    const during = await page.evaluate(() => ({ epoch: document.getElementById('stat-epoch')!.textContent, loss: document.getElementById('stat-loss')!.textContent, sps: document.getElementById('stat-samples-per-sec')!.textContent }));
    expect(during.epoch).toMatch(/^1 \/ 3 · \d+ %$/);
    expect(Number(during.loss)).toBeGreaterThan(0);
    expect(Number(during.sps!.replace(/,/g, ''))).toBeGreaterThan(0);
    const ms = await page.evaluate(() => new Promise<number>((resolve) => {
      const t0 = performance.now();
      const el = document.getElementById('status')!;
      new MutationObserver(() => { if (el.dataset.state === 'stopped') resolve(performance.now() - t0); }).observe(el, { attributes: true, childList: true, subtree: true });
      document.getElementById('stop')!.click();
    }));
    const s = await status(page);
    // No timed assertion (the machine may be busy); the figure is printed. What is asserted: training
    // ended inside the first epoch, far from its end, and the page says where.
    console.log(`stop: ${ms.toFixed(0)} ms from the click to "stopped": ${s.text}`);
    const m = /^Stopped in epoch 1 of 3, after ([\d,]+) of 1,437 batches \([\d.]+ s\), validation accuracy [\d.]+ %\. The model is kept as it was\.$/.exec(s.text);
    expect(m, s.text).not.toBeNull();
    expect(Number(m![1]!.replace(/,/g, ''))).toBeLessThan(1437 / 2);
    expect(await page.isDisabled('#report-button')).toBe(false);
  });

  it('flags an exploding loss before it turns NaN and shows it on a log axis', async () => {
    const page = await fresh();
    // The case: 64, 32 relu units, adam at learning rate 10, batch 8: the loss climbs to ~1e4 in epoch 1.
    await page.fill('#hidden', '64, 32');
    await page.fill('#batch', '8');
    await page.fill('#lr', '10');
    await page.fill('#epochs', '4');
    const end = await trainToEnd(page);
    expect(end).toEqual({ state: 'stopped', text: expect.stringMatching(/^Done: 4 epochs in [\d.]+ s, validation accuracy [\d.]+ %\. The loss exploded on the way \(see above\)\.$/) });
    expect(await page.isVisible('#warning'), `${end.state}: ${end.text}; losses ${await page.$eval('#loss-svg', (s) => s.outerHTML.slice(0, 300))}`).toBe(true);
    expect(await page.textContent('#warning')).toMatch(/^The training loss is exploding: .+ The learning rate 10 is probably too high: try 1 /);
    const linear = await page.$eval('#loss-svg', (svg) => ({ scale: svg.getAttribute('data-scale'), max: Number(svg.getAttribute('data-y-max')), top: Math.min(...(svg.querySelector('polyline')!.getAttribute('points')!.trim().split(/\s+/).map((p) => Number(p.split(',')[1])))) }));
    expect(linear.scale).toBe('linear');
    // The curve never starts above the top tick (y of the top grid line is 26).
    expect(linear.top).toBeGreaterThanOrEqual(26 - 0.1);
    await page.check('#log-loss');
    const log = await page.$eval('#loss-svg', (svg) => ({ scale: svg.getAttribute('data-scale'), min: Number(svg.getAttribute('data-y-min')), max: Number(svg.getAttribute('data-y-max')) }));
    expect(log.scale).toBe('log');
    expect(Math.log10(log.max / log.min)).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('demo-explosion.png'), clip: { x: 0, y: 0, width: 1400, height: 620 } });
  });

  it('at 390 px: one column, nothing wider than the screen', async () => {
    const page = await fresh(390);
    await page.selectOption('#dataset', 'circles');
    expect(await trainToEnd(page)).toMatchObject({ state: 'done' });
    const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(390);
    await page.click('#report-button');
    await page.frameLocator('#report').locator('svg').first().waitFor();
    await page.screenshot({ path: screenshotPath('demo-390.png'), fullPage: true });
    const { errors } = env();
    expect(errors).toEqual([]);
  });
});
