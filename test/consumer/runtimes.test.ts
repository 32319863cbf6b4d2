// Other runtimes, from npm: Bun and Deno (the `bun` and `deno` devDependencies carry their binaries
// in per-platform packages; nothing is downloaded at install time) and Node 22 (the `node` package,
// installed into the scratch project at test time: its bin would shadow Node 20 in the repository).
// Each runs every README ```ts block (the quick start first) and a threaded training against the
// installed tarball.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, readmeBlocks, run, runAsync, scratchProject, type Ran } from './package.js';

/** Node 22 from npm (its preinstall fetches node-<platform>-<arch> from the registry). */
const NODE22 = '22.23.3';
const blocks = readmeBlocks();
let dir = '';

beforeAll(() => {
  dir = scratchProject('runtimes', { type: 'module' }, ['bun', 'deno']);
  run('npm', ['install', '--prefer-offline', `node@${NODE22}`], dir, { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error' });
  for (const b of blocks) writeFileSync(join(dir, `readme-${b.line}.ts`), b.code);
  writeFileSync(join(dir, 'version.ts'), `const g = globalThis as any;
    console.log(JSON.stringify({ bun: g.Bun?.version, deno: g.Deno?.version?.deno, node: g.process?.versions?.node }));`);
  writeFileSync(join(dir, 'threads.ts'), `
    import { ready, Sequential, dense, loadDigits, StandardScaler, trainTestSplit, accuracy, shutdown } from 'simdnet';
    const info = await ready({ threads: 2 });
    const { X, y } = loadDigits();
    const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.25, stratify: true, seed: 1 });
    const scaler = new StandardScaler().fit(XTrain);
    const model = new Sequential({ inputSize: 64, seed: 1, layers: [dense(64, { activation: 'relu' }), dense(10, { activation: 'softmax' })] });
    model.compile({ optimizer: 'adam' });
    model.fitSync(scaler.transform(XTrain), yTrain, { epochs: 20, batchSize: 32 });
    const acc = accuracy(yTest, model.predictClasses(scaler.transform(XTest)));
    console.log(JSON.stringify({ threads: info.threadCount, binary: info.binary, accuracy: acc }));
    model.dispose();
    shutdown();
  `);
}, 300_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

interface Runtime { name: string; command: (file: string) => [string, string[]] }

const RUNTIMES: Runtime[] = [
  { name: 'Bun', command: (f) => [join(dir, 'node_modules/.bin/bun'), [f]] },
  { name: 'Deno', command: (f) => [join(dir, 'node_modules/.bin/deno'), ['run', '--allow-read', '--allow-write', '--allow-env', f]] },
  { name: `Node ${NODE22}`, command: (f) => [join(dir, 'node_modules/node/bin/node'), [f]] },
];

function exec(rt: Runtime, file: string): Promise<Ran> {
  const [cmd, args] = rt.command(file);
  return runAsync(cmd, args, { cwd: dir, env: { NO_COLOR: '1' } });
}

/** stderr less the estimators' documented ConvergenceWarning (README.md's MLPClassifier block). */
function errors(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() && !/ConvergenceWarning|--trace-warnings/.test(l));
}

describe.each(RUNTIMES)('$name runs the installed package', (rt) => {
  it('is the runtime it says', async () => {
    const r = await exec(rt, join(dir, 'version.ts'));
    expect(existsSync(join(dir, 'version.ts'))).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as Record<string, string | undefined>;
    if (rt.name === 'Bun') expect(v.bun).toMatch(/^\d+\.\d+/);
    else if (rt.name === 'Deno') expect(v.deno).toMatch(/^\d+\.\d+/);
    else expect(v.node).toBe(NODE22);
  }, 60_000);

  it('runs every README ```ts block: the quick start reaches ≥ 90 % on iris', async () => {
    const results = await pool(blocks.map((b) => async () => ({ line: b.line, ...(await exec(rt, join(dir, `readme-${b.line}.ts`))) })));
    for (const r of results) {
      expect(r.code, `README.md:${r.line} on ${rt.name}:\n${r.stderr}`).toBe(0);
      expect(errors(r.stderr), `README.md:${r.line} on ${rt.name}`).toEqual([]);
      expect(r.stdout.length).toBeGreaterThan(0);
    }
    expect(Number(results[0]!.stdout.match(/test accuracy ([\d.]+)/)?.[1])).toBeGreaterThanOrEqual(0.9);
  }, 180_000);

  it('trains digits on two threads (worker_threads, shared memory)', async () => {
    const r = await exec(rt, join(dir, 'threads.ts'));
    expect(r.code, r.stderr).toBe(0);
    expect(errors(r.stderr)).toEqual([]);
    const out = JSON.parse(r.stdout) as { threads: number; binary: string; accuracy: number };
    expect(out.threads).toBe(2);
    expect(out.binary).toBe('threads-relaxed');
    expect(out.accuracy).toBeGreaterThanOrEqual(0.93);
  }, 120_000);
});
