// Shared setup of the browser tests: build the bundle and the demo page into a fresh directory
// (esbuild, about a second; never the developer's dist/), serve it with src/web/serve.mjs, and
// drive a real Chromium through playwright-core (./chromium.ts says which: Debian's, or the one an
// npm devDependency ships). No browser is downloaded.

import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildWeb } from '../../src/web/build.mjs';
import { findChromium, type Chromium } from './chromium.js';
import { startServer } from '../../src/web/serve.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = join(root, 'test-results');

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
  '--metrics-recording-only', '--no-default-browser-check', '--disable-domain-reliability',
];

export interface Served { origin: string; outDir: string; imports: string[]; close(): Promise<void> }

/** Builds dist-like browser/ and web/ into a temporary directory and serves it on a free port. */
export async function buildAndServe(): Promise<Served> {
  if (!existsSync(join(root, 'build/simd.wasm')) || !existsSync(join(root, 'build/relaxed.wasm'))) {
    execSync('npm run build:wasm', { cwd: root, stdio: 'inherit' });
  }
  const outDir = mkdtempSync(join(tmpdir(), 'simdnet-web-'));
  const { imports } = await buildWeb({ outDir, quiet: true });
  const server = await startServer({ root: outDir, port: 0 });
  return {
    origin: server.origin,
    outDir,
    imports,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export interface Browser { context: BrowserContext; close(): Promise<void> }

export async function launch(which?: Chromium): Promise<Browser> {
  const found = which ?? await findChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'simdnet-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: found.executablePath,
    headless: true,
    args: [...ARGS, ...found.args],
    viewport: { width: 1360, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A new page that records every request it (and its workers and frames) makes, and its console errors. */
export async function recordedPage(browser: Browser): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r: Request) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, requests, errors };
}

/** Requests that left localhost (data:, blob: and about: URLs stay in the page). */
export function outsideLocalhost(requests: readonly string[]): string[] {
  return requests.filter((u) => {
    const url = new URL(u);
    if (['data:', 'blob:', 'about:'].includes(url.protocol)) return false;
    return !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(resultsDir, { recursive: true });
  return join(resultsDir, name);
}

export type Simdnet = typeof import('../../src/web/browser.js');

/** Imports a bundle into the page as window[global] (a module script tag: page.evaluate code must not
 *  contain import(), which vitest would rewrite before it is sent to the page). */
export async function importBundle(page: Page, url: string, global: string): Promise<void> {
  await page.addScriptTag({ type: 'module', content: `import * as m from '${url}'; window.${global} = m;` });
  await page.waitForFunction((g) => g in window, global);
}

export interface BrowserEnv { served: Served; browser: Browser; page: Page; requests: string[]; errors: string[] }

/**
 * beforeAll/afterAll for a browser test file. A setup failure (no Chromium, a failed build) is
 * rethrown by every test that calls env(), so each test fails with the message instead of being
 * reported as skipped.
 */
export function useBrowser(open: (served: Served) => string, prepare?: (served: Served) => void): () => BrowserEnv {
  let env: BrowserEnv | undefined;
  let failure: unknown;
  let served: Served | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    try {
      served = await buildAndServe();
      prepare?.(served);
      browser = await launch();
      const { page, requests, errors } = await recordedPage(browser);
      await page.goto(open(served));
      env = { served, browser, page, requests, errors };
    } catch (e) {
      failure = e;
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });
  return () => {
    if (!env) throw failure ?? new Error('browser setup did not run');
    return env;
  };
}

/** Page-side source of a seeded three-class table (X: Float32Array rows × cols, y: Int32Array; ROWS, COLS
 *  declared): feature j leans to class j mod 3, plus uniform noise. The fixtures of the checkpoint tests. */
export function threeClassData(rows: number, cols: number): string {
  return `const ROWS = ${rows}, COLS = ${cols};
let seed = 12345;
const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const X = new Float32Array(ROWS * COLS), y = new Int32Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  y[i] = i % 3;
  for (let j = 0; j < COLS; j++) X[i * COLS + j] = (j % 3 === y[i] ? 1 : 0) + 1.2 * (next() - 0.5);
}
`;
}
