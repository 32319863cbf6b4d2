// The package as its users get it: `npm pack` of the built repository (once per content: the
// tarball is cached under the temp directory by a hash of what it packs), installed with npm into
// scratch projects outside the repository, offline from the npm cache that `npm ci` filled.

import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../cli/run.js';

export { ROOT };

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string; version: string; files: string[]; devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };

/** The version package-lock.json holds for a devDependency (so installs come from the npm cache). */
export function lockedVersion(name: string): string {
  const v = lock.packages[`node_modules/${name}`]?.version;
  if (!v) throw new Error(`${name} is not in package-lock.json; add it to devDependencies`);
  return v;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Runs a command to the end; a non-zero exit is an error carrying its output. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface Ran { code: number | null; stdout: string; stderr: string }

/** The same, without blocking the test process (so several can run side by side). */
export function runAsync(cmd: string, args: string[], options: SpawnOptions & { input?: string } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, env: { ...process.env, ...options.env }, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** Environment for npm in tests: no lifecycle noise, no audit, no funding, no update check. */
const NPM_ENV = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_loglevel: 'error' };

/**
 * The packed tarball of the current build. Built once per content (dist/, build/, package.json,
 * README, LICENSE): later calls, also from other test files, reuse it.
 */
export function packedTarball(): string {
  if (!existsSync(join(ROOT, 'dist/index.js')) || !existsSync(join(ROOT, 'dist/browser/simdnet.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the consumer tests (npm ci does it through prepare)');
  }
  const hash = createHash('sha256');
  for (const f of ['package.json', 'README.md', 'LICENSE', ...files(join(ROOT, 'dist')), ...files(join(ROOT, 'build'))].sort()) {
    const path = f.startsWith('/') ? f : join(ROOT, f);
    hash.update(relative(ROOT, path)).update(readFileSync(path));
  }
  const dir = join(tmpdir(), `simdnet-tarball-${hash.digest('hex').slice(0, 16)}`);
  const tarball = join(dir, `${pkg.name}-${pkg.version}.tgz`);
  if (existsSync(tarball)) return tarball;
  const staging = mkdtempSync(join(tmpdir(), 'simdnet-pack-'));
  // --ignore-scripts: `prepare` would rebuild everything; the tests pack what was built.
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', staging], ROOT, NPM_ENV);
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another test file packed the same content first
  }
  return tarball;
}

/** A scratch project outside the repository with the tarball (and `extra` locked devDependencies) installed. */
export function scratchProject(name: string, manifest: Record<string, unknown>, extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), `simdnet-consumer-${name}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, ...manifest }, null, 2));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  const specs = [packedTarball(), ...extra.map((n) => `${n}@${lockedVersion(n)}`)];
  run('npm', ['install', '--prefer-offline', ...specs], dir, NPM_ENV);
  return dir;
}

/** README.md's ```ts blocks with their line numbers. */
export function readmeBlocks(): { line: number; code: string }[] {
  const markdown = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const out: { line: number; code: string }[] = [];
  for (const m of markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1]! });
  return out;
}

/** Runs `tasks` with at most `limit` at a time (the machine has two cores). */
export async function pool<T>(tasks: (() => Promise<T>)[], limit = 2): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  }));
  return out;
}
