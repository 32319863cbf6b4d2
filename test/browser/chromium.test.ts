// The browser tests' Chromium: the one shipped inside the @sparticuz/chromium npm package is the
// fallback on a machine without Debian's, so it is launched here on every run (also where
// /usr/bin/chromium exists) and must run the bundle: relaxed SIMD, a worker, training.
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumFromNpm, findChromium } from './chromium.js';
import { buildAndServe, importBundle, launch, recordedPage, type Browser, type Served, type Simdnet } from './harness.js';

let served: Served | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('Chromium for the browser tests', () => {
  it('SIMDNET_CHROMIUM must name a file', async () => {
    const saved = process.env.SIMDNET_CHROMIUM;
    process.env.SIMDNET_CHROMIUM = '/nonexistent/chromium';
    try {
      await expect(findChromium()).rejects.toThrow('SIMDNET_CHROMIUM is "/nonexistent/chromium", but no file is there');
    } finally {
      if (saved === undefined) delete process.env.SIMDNET_CHROMIUM; else process.env.SIMDNET_CHROMIUM = saved;
    }
  });

  it('the npm-packaged Chromium launches under playwright-core and trains with the bundle', async () => {
    const npm = await chromiumFromNpm();
    expect(npm.executablePath).not.toBe('/usr/bin/chromium');
    served = await buildAndServe();
    browser = await launch(npm);
    const { page, errors } = await recordedPage(browser);
    await page.goto(`${served.origin}/web/index.html`);
    await importBundle(page, '/browser/simdnet.js', 'simdnet');
    const out = await page.evaluate(async () => {
      const s = (window as unknown as { simdnet: Simdnet }).simdnet;
      const info = await s.ready();
      const { X, y } = s.loadIris();
      const Xs = new s.StandardScaler().fitTransform(X);
      const job = s.trainInWorker({ X: Xs, y, seed: 1, layers: [s.dense(8, { activation: 'relu' }), s.dense(3, { activation: 'softmax' })], compile: { optimizer: s.adam({ learningRate: 0.02 }) }, fit: { epochs: 40, batchSize: 16 } });
      const { modelJson, backend } = await job.result;
      const model = s.Sequential.fromJSON(modelJson);
      return { binary: info.binary, worker: backend.binary, accuracy: s.accuracy(y, model.predictClasses(Xs)), ua: navigator.userAgent, isolated: crossOriginIsolated };
    });
    expect(out.ua).toMatch(/HeadlessChrome\/\d+/);
    expect(out.binary).toBe('relaxed');
    expect(out.worker).toBe('relaxed');
    expect(out.isolated).toBe(true);
    expect(out.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(errors).toEqual([]);
  }, 120_000);
});
