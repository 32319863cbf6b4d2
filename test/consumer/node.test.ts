// The packed tarball installed in a scratch project outside the repository, used as a Node user
// would: `import('simdnet')`, every README ```ts block (ESM), a CommonJS script (require(esm),
// Node ≥ 20.19), tsc --noEmit of TypeScript consumers under module nodenext and under
// moduleResolution bundler, and the installed `simdnet` bin.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, readmeBlocks, ROOT, runAsync, scratchProject } from './package.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const blocks = readmeBlocks();
let dir = '';

beforeAll(() => {
  dir = scratchProject('node', { type: 'module' }, ['typescript', '@types/node']);
}, 240_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const node = (args: string[], input?: string) => runAsync(process.execPath, args, { cwd: dir, input });

describe('the installed package (npm install <tarball>) on Node', () => {
  it('is installed with its runtime dependencies only, and nothing from the repository is reachable', () => {
    expect(dir.startsWith(ROOT)).toBe(false);
    const req = createRequire(join(dir, 'index.js'));
    expect(req.resolve('simdnet')).toBe(join(dir, 'node_modules/simdnet/dist/index.js'));
    // No runtime dependency: nothing is installed for simdnet but simdnet (the scratch project's own TypeScript aside).
    expect(JSON.parse(readFileSync(join(dir, 'node_modules/simdnet/package.json'), 'utf8')).dependencies).toBeUndefined();
    expect(existsSync(join(dir, 'node_modules/@assemblyscript'))).toBe(false);
    expect(() => req.resolve('assemblyscript')).toThrow();
    expect(() => req.resolve('vitest')).toThrow();
  });

  it("node -e \"import('simdnet').then(s => s.ready())\" works", async () => {
    const r = await node(['-e', "import('simdnet').then(async (s) => console.log(JSON.stringify(await s.ready())))"]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as { backend: string; binary: string; node: string };
    expect(info.backend).toBe('wasm');
    expect(info.binary).toBe('simd'); // Node 20 without --experimental-wasm-relaxed-simd
    expect(info.node).toBe(process.versions.node);
  }, 60_000);

  it('resolves every subpath of the exports map to a file of the package', async () => {
    const r = await node(['--input-type=module', '-e', `
      const out = {};
      for (const s of ['simdnet', 'simdnet/browser', 'simdnet/browser/inline', 'simdnet/simd.wasm', 'simdnet/relaxed.wasm', 'simdnet/threads.wasm', 'simdnet/threads-relaxed.wasm', 'simdnet/package.json']) out[s] = import.meta.resolve(s);
      console.log(JSON.stringify(out));`]);
    expect(r.stderr).toBe('');
    const urls = JSON.parse(r.stdout) as Record<string, string>;
    const pkgDir = `file://${dir}/node_modules/simdnet/`;
    expect(urls).toEqual({
      simdnet: `${pkgDir}dist/index.js`,
      'simdnet/browser': `${pkgDir}dist/browser/simdnet.js`,
      'simdnet/browser/inline': `${pkgDir}dist/browser/simdnet.inline.js`,
      'simdnet/simd.wasm': `${pkgDir}build/simd.wasm`,
      'simdnet/relaxed.wasm': `${pkgDir}build/relaxed.wasm`,
      'simdnet/threads.wasm': `${pkgDir}build/threads.wasm`,
      'simdnet/threads-relaxed.wasm': `${pkgDir}build/threads-relaxed.wasm`,
      'simdnet/package.json': `${pkgDir}package.json`,
    });
    for (const u of Object.values(urls)) expect(existsSync(new URL(u))).toBe(true);
    expect(readFileSync(new URL(urls['simdnet/simd.wasm']!))).toEqual(readFileSync(join(ROOT, 'build/simd.wasm')));
  }, 60_000);

  it('runs every README ```ts block as a consumer writes it (ESM, types stripped)', async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    const results = await pool(blocks.map((b) => async () => {
      const file = join(dir, `readme-${b.line}.mjs`);
      writeFileSync(file, transformSync(b.code, { loader: 'ts', format: 'esm', target: 'node20' }).code);
      return { line: b.line, ...(await node([file])) };
    }));
    for (const r of results) {
      expect(r.code, `README.md:${r.line} exited ${r.code}:\n${r.stderr}`).toBe(0);
      // ConvergenceWarning is the estimators' documented process warning (README.md:153 trains a small MLP).
      const stderr = r.stderr.split('\n').filter((l) => l && !/^\(node:\d+\) ConvergenceWarning: |^\(Use `node --trace-warnings/.test(l));
      expect(stderr, `README.md:${r.line}`).toEqual([]);
      expect(r.stdout.length, `README.md:${r.line} printed nothing`).toBeGreaterThan(0);
    }
    // The quick start (first block) prints its test accuracy: iris, 60 epochs of Adam.
    const quick = results[0]!.stdout.match(/test accuracy ([\d.]+)/);
    expect(Number(quick?.[1])).toBeGreaterThanOrEqual(0.9);
    expect(existsSync(join(dir, 'xor.json'))).toBe(true);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  }, 180_000);

  it('runs a CommonJS script: require(simdnet) loads the ESM build (Node ≥ 20.19) and trains iris', async () => {
    writeFileSync(join(dir, 'train.cjs'), `
      const { ready, Sequential, dense, adam, loadIris, trainTestSplit, StandardScaler, accuracy, backendInfo } = require('simdnet');
      const { version } = require('simdnet/package.json');
      (async () => {
        await ready();
        const { X, y } = loadIris();
        const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.25, stratify: true, seed: 1 });
        const scaler = new StandardScaler().fit(XTrain);
        const model = new Sequential({ inputSize: 4, seed: 1, layers: [dense(16, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
        model.compile({ optimizer: adam({ learningRate: 0.01 }) });
        model.fitSync(scaler.transform(XTrain), yTrain, { epochs: 60, batchSize: 16 });
        const acc = accuracy(yTest, model.predictClasses(scaler.transform(XTest)));
        console.log(JSON.stringify({ version, acc, binary: backendInfo().binary, esm: typeof require('simdnet').Sequential }));
        model.dispose();
      })();
    `);
    const r = await node([join(dir, 'train.cjs')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { version: string; acc: number; binary: string; esm: string };
    expect(out.version).toBe(version);
    expect(out.acc).toBeGreaterThanOrEqual(0.9);
    expect(out.binary).toBe('simd');
    expect(out.esm).toBe('function');
  }, 60_000);

  it('type-checks under module nodenext (ESM: every README block; CommonJS: import = require) and under moduleResolution bundler', async () => {
    const strict = { strict: true, noEmit: true, target: 'es2022', noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true };
    writeFileSync(join(dir, 'tsconfig.nodenext.json'), JSON.stringify({
      compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] },
      files: [...blocks.map((b) => `readme-${b.line}.ts`), 'cjs.cts', 'wrong.ts'],
    }));
    for (const b of blocks) writeFileSync(join(dir, `readme-${b.line}.ts`), b.code + '\nexport {};\n');
    writeFileSync(join(dir, 'cjs.cts'), `
      import simdnet = require('simdnet');
      const model: simdnet.Sequential = new simdnet.Sequential({ inputSize: 2, layers: [simdnet.dense(1, { activation: 'sigmoid' })] });
      const info: Promise<simdnet.BackendInfo> = simdnet.ready();
      export = { model, info };
    `);
    // A deliberate type error, so the check is known to look at the package's types.
    writeFileSync(join(dir, 'wrong.ts'), `import { dense } from 'simdnet';\n// @ts-expect-error units is a number\ndense('sixteen');\nexport {};\n`);

    writeFileSync(join(dir, 'tsconfig.bundler.json'), JSON.stringify({
      compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'dom.iterable'], types: [] },
      files: ['app.ts'],
    }));
    writeFileSync(join(dir, 'app.ts'), `
      import { ready, Sequential, dense, loadIris, accuracy, type BackendInfo } from 'simdnet';
      import { trainInWorker, preloadDigits, type WorkerTraining } from 'simdnet/browser';
      import * as inline from 'simdnet/browser/inline';
      const info: BackendInfo = await ready();
      const { X, y } = loadIris();
      const model = new Sequential({ inputSize: 4, layers: [dense(3, { activation: 'softmax' })] });
      model.compile({ optimizer: 'adam' });
      await model.fit(X, y, { epochs: 1 });
      const acc: number = accuracy(y, model.predictClasses(X));
      const t: WorkerTraining = trainInWorker({ X, y, layers: [dense(3, { activation: 'softmax' })] });
      await preloadDigits();
      const again: BackendInfo = await inline.ready();
      export { info, acc, t, again };
    `);
    const tsc = join(dir, 'node_modules/typescript/bin/tsc');
    const [nodenext, bundler] = await Promise.all(['nodenext', 'bundler'].map((c) => node([tsc, '-p', `tsconfig.${c}.json`])));
    expect(nodenext!.stdout + nodenext!.stderr, 'tsc -p tsconfig.nodenext.json').toBe('');
    expect(nodenext!.code).toBe(0);
    expect(bundler!.stdout + bundler!.stderr, 'tsc -p tsconfig.bundler.json').toBe('');
    expect(bundler!.code).toBe(0);
  }, 240_000);

  it('has the simdnet bin: --version from package.json, train iris --json (JSON lines on stdout)', async () => {
    const v = await runAsync('npx', ['--no-install', 'simdnet', '--version'], { cwd: dir });
    expect(v.stdout).toBe(`simdnet ${version}\n`);
    const r = await runAsync('npx', ['--no-install', 'simdnet', 'train', 'iris', '--json', '--standardize', '--epochs', '40', '--hidden', '16', '--lr', '0.01'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; accuracy?: number; binary?: string });
    expect(lines.filter((l) => l.type === 'epoch')).toHaveLength(40);
    const summary = lines.at(-1)!;
    expect(summary.type).toBe('summary');
    expect(summary.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(summary.binary).toBe('relaxed'); // the bin switches relaxed SIMD on
  }, 60_000);
  it('simdnet/interop: resolves to dist/interop, round-trips a model through ONNX and tfjs, and its types add Sequential.fromONNX / model.toONNX', async () => {
    writeFileSync(join(dir, 'interop.ts'), `
      import { ready, Sequential, dense, LogisticRegression, loadIris } from 'simdnet';
      import { toONNX, readONNX, toTfjs, fromTfjs, UnsupportedOnnxError } from 'simdnet/interop';
      await ready();
      const model = new Sequential({ inputSize: 4, seed: 1, layers: [dense(5, { activation: 'gelu' }), dense(3, { activation: 'softmax' })] });
      const bytes: Uint8Array = model.toONNX({ opset: 17 });
      const back: Sequential = Sequential.fromONNX(bytes);
      const { modelJson, weightData } = toTfjs(model);
      const again = fromTfjs(modelJson, weightData);
      const x = [[5.1, 3.5, 1.4, 0.2]];
      const same = [back, again].every((m) => m.predict(x).data.every((v, k) => v === model.predict(x).data[k]));
      const iris = loadIris();
      const clf = new LogisticRegression().fit(iris.X, iris.y);
      const clfBytes: Uint8Array = clf.toONNX();
      console.log(JSON.stringify({ same, onnx: bytes.length > 0 && readONNX(bytes).opset === 17 && toONNX(clf).length === clfBytes.length, err: typeof UnsupportedOnnxError, url: import.meta.resolve('simdnet/interop') }));
      export {};
    `);
    writeFileSync(join(dir, 'interop.mjs'), transformSync(readFileSync(join(dir, 'interop.ts'), 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' }).code);
    const r = await node(['interop.mjs']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ same: true, onnx: true, err: 'function', url: `file://${dir}/node_modules/simdnet/dist/interop/index.js` });
    writeFileSync(join(dir, 'tsconfig.interop.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] }, files: ['interop.ts'],
    }));
    const tsc = await node([join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.interop.json']);
    expect(tsc.stdout + tsc.stderr, 'tsc -p tsconfig.interop.json').toBe('');
  }, 120_000);
});
