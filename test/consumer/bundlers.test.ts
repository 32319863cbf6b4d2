// Bundlers, for real: the packed tarball installed in a scratch project with Vite, webpack, esbuild
// and Rollup (the versions package-lock.json holds), one web app per bundler that imports
// `{ ready, Sequential, … } from 'simdnet'`, trains iris in the page and again in a worker
// (trainInWorker), and shows the accuracy. Each app is built with exactly the commands and the
// configuration docs/browser.md shows (read from it), served on localhost and loaded in Chromium:
// the binary must be fetched from the bundle's output, nothing may be logged as an error.

import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/web/serve.mjs';
import { launch, outsideLocalhost, recordedPage, screenshotPath, type Browser } from '../browser/harness.js';
import { pool, ROOT, runAsync, scratchProject } from './package.js';

export const BUNDLERS = ['Vite', 'webpack', 'esbuild', 'Rollup'] as const;
type Bundler = (typeof BUNDLERS)[number];

interface Recipe { files: Record<string, string>; commands: string[] }

/**
 * What docs/browser.md says to do with a bundler: under its `### <Bundler>` heading, every ```js
 * block whose first line is `// <file name>` is that file, every ```sh block holds the build commands.
 */
export function recipe(markdown: string, bundler: Bundler): Recipe {
  const section = markdown.split(/^### /m).find((s) => s.startsWith(`${bundler}\n`) || s.startsWith(`${bundler} `));
  if (!section) throw new Error(`docs/browser.md has no "### ${bundler}" section`);
  const files: Record<string, string> = {};
  const commands: string[] = [];
  for (const m of section.matchAll(/^```(js|sh)\n([\s\S]*?)^```$/gm)) {
    const body = m[2]!;
    if (m[1] === 'js') {
      const name = /^\/\/ ([\w.-]+)\n/.exec(body)?.[1];
      if (name) files[name] = body;
    } else commands.push(...body.split('\n').filter((l) => l.trim() && !l.startsWith('#')));
  }
  if (commands.length === 0) throw new Error(`docs/browser.md: "### ${bundler}" shows no build command`);
  return { files, commands };
}

/** The page of every app: an output line, then the bundled script (Vite starts from this file). */
function page(bundler: Bundler, script: string, module: boolean): string {
  return `<!doctype html><meta charset="utf-8"><title>simdnet + bundler</title><link rel="icon" href="data:,">
<style>body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; } pre { white-space: pre-wrap; }</style>
<h1>simdnet, bundled by ${bundler}</h1>
<pre id="out">training…</pre>
<script${module ? ' type="module"' : ''} src="${script}"></script>
`;
}

const docs = readFileSync(join(ROOT, 'docs/browser.md'), 'utf8');
const APP = readFileSync(join(ROOT, 'test/consumer/fixtures/app.js'), 'utf8');
let dir = '';
let browser: Browser | undefined;
const built = new Map<Bundler, { out: string; log: string }>();
let setupError: unknown;

beforeAll(async () => {
  try {
    dir = scratchProject('bundlers', { type: 'module' }, ['vite', 'webpack', 'webpack-cli', 'rollup', '@rollup/plugin-node-resolve', '@web/rollup-plugin-import-meta-assets', 'esbuild']);
    const results = await pool(BUNDLERS.map((b) => async () => {
      const app = join(dir, b.toLowerCase());
      mkdirSync(join(app, 'src'), { recursive: true });
      symlinkSync('../node_modules', join(app, 'node_modules'));
      writeFileSync(join(app, 'src/index.js'), APP);
      const { files, commands } = recipe(docs, b);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);
      if (b === 'Vite') writeFileSync(join(app, 'index.html'), page(b, '/src/index.js', true));
      let log = '';
      for (const command of commands) {
        const r = await runAsync('sh', ['-c', command], { cwd: app });
        log += `$ ${command}\n${r.stdout}${r.stderr}`;
        if (r.code !== 0) throw new Error(`${b}: \`${command}\` exited ${r.code}:\n${log}`);
      }
      const out = join(app, 'dist');
      if (b !== 'Vite') writeFileSync(join(out, 'index.html'), page(b, b === 'webpack' ? './main.js' : './index.js', b !== 'webpack'));
      return [b, { out, log }] as const;
    }), 4);
    for (const [b, r] of results) built.set(b, r);
    browser = await launch();
  } catch (e) {
    setupError = e;
  }
}, 300_000);
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bundled apps in Chromium (production builds of an app that imports simdnet)', () => {
  it('docs/browser.md shows a recipe for every bundler, and only the one line each needs', () => {
    expect(Object.keys(recipe(docs, 'Vite').files)).toEqual([]);
    expect(recipe(docs, 'Vite').commands).toEqual(['npx vite build']);
    expect(Object.keys(recipe(docs, 'webpack').files)).toEqual([]);
    expect(Object.keys(recipe(docs, 'Rollup').files)).toEqual(['rollup.config.js']);
    expect(recipe(docs, 'esbuild').commands.length).toBe(2);
  });

  for (const bundler of BUNDLERS) {
    it(`${bundler}: trains iris in the page and in a worker, binaries from the build output, no console errors`, async () => {
      if (setupError) throw setupError;
      const { out, log } = built.get(bundler)!;
      expect(existsSync(join(out, 'index.html')), log).toBe(true);
      const server = await startServer({ root: out, port: 0 });
      const { page: p, requests, errors } = await recordedPage(browser!);
      p.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
      try {
        await p.goto(`${server.origin}/index.html`);
        await p.waitForFunction(() => document.body.dataset.result, null, { timeout: 60_000 });
        const result = JSON.parse((await p.evaluate(() => document.body.dataset.result))!) as
          { error?: string; binary: string; accuracy: number; workerBinary: string; workerAccuracy: number };
        expect(result.error, log).toBeUndefined();
        expect(result.binary).toBe('relaxed');
        expect(result.workerBinary).toBe('relaxed');
        expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
        expect(result.workerAccuracy).toBe(result.accuracy); // same seed, same binary: the same model
        expect(await p.textContent('#out')).toContain(`test accuracy ${(100 * result.accuracy).toFixed(1)}%`);
        expect(errors).toEqual([]);
        const wasm = requests.filter((u) => u.startsWith(server.origin) && u.endsWith('.wasm'));
        expect(wasm.length, requests.join('\n')).toBe(2); // the page's and the worker's relaxed binary
        expect(requests.some((u) => u.includes('node_modules'))).toBe(false);
        expect(outsideLocalhost(requests)).toEqual([]);
        await p.screenshot({ path: screenshotPath(`bundler-${bundler.toLowerCase()}.png`) });
      } finally {
        await p.close();
        await server.close();
      }
    }, 120_000);
  }
});
