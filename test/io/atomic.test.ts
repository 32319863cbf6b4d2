// Atomic writes: the new bytes or the old ones, never a part. A writer killed (SIGKILL) between the
// open of its temp file and the rename, and a writer stopped by a file-size limit (ulimit -f, the
// stand-in for a full disk: EFBIG as ENOSPC would be), both leave the old model file byte for byte,
// and it still loads and predicts. Failures are FileErrors naming the path; no temp file is left.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertWritable, dense, FileError, ready, Sequential, writeFileAtomic, writeFileAtomicAsync } from '../../src/index.js';
import { CLI, ROOT } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOADER = ['--import', `${ROOT}bench/ts-loader.mjs`];
const SAVER = `${ROOT}test/io/fixtures/save-model.ts`;

function run(cmd: string, args: string[], opts: { onSpawn?: (pid: number) => void } = {}): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    if (opts.onSpawn) opts.onSpawn(child.pid!);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function tempFiles(d: string): string[] {
  return readdirSync(d).filter((f) => f.endsWith('.tmp'));
}

async function goodModelFile(path: string): Promise<{ bytes: Buffer; predictions: Float32Array }> {
  const r = await run(process.execPath, [...LOADER, SAVER, path, '8', '1']);
  expect(r.stdout.trim()).toBe('saved');
  const m = await Sequential.load(path, { backend: 'js' });
  const predictions = m.predict([Array.from({ length: 64 }, (_, i) => i / 64)]).data;
  m.dispose();
  return { bytes: readFileSync(path), predictions };
}

async function expectIntact(path: string, good: { bytes: Buffer; predictions: Float32Array }): Promise<void> {
  expect(readFileSync(path).equals(good.bytes)).toBe(true);
  const m = await Sequential.load(path, { backend: 'js' });
  expect(Array.from(m.predict([Array.from({ length: 64 }, (_, i) => i / 64)]).data)).toEqual(Array.from(good.predictions));
  m.dispose();
}

describe('writeFileAtomic', () => {
  it('replaces a file whole, keeps its mode and a symbolic link to it, leaves no temp file', async () => {
    const p = join(dir, 'plain.txt');
    writeFileAtomic(p, 'one');
    expect(readFileSync(p, 'utf8')).toBe('one');
    chmodSync(p, 0o640);
    writeFileAtomic(p, new TextEncoder().encode('two'));
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    const link = join(dir, 'link.txt');
    symlinkSync(p, link);
    await writeFileAtomicAsync(link, 'three');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(p);
    expect(readFileSync(p, 'utf8')).toBe('three');
    expect(tempFiles(dir)).toEqual([]);
  });

  it('fails with a FileError naming the path and its code, the old file untouched', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'keep');
    const cases: [string, string][] = [
      [join(dir, 'no-such-dir', 'm.json'), 'ENOENT'],
      [join(file, 'm.json'), 'ENOTDIR'],
      [dir, 'EISDIR'],
    ];
    for (const [path, code] of cases) {
      for (const f of [() => writeFileAtomic(path, 'x', '--out'), () => assertWritable(path, '--out')]) {
        let err: unknown;
        try { f(); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(FileError);
        expect((err as FileError).code).toBe(code);
        expect((err as FileError).message).toContain(`--out: cannot write ${path}`);
      }
      await expect(writeFileAtomicAsync(path, 'x')).rejects.toBeInstanceOf(FileError);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep');
    expect(() => writeFileAtomic('', 'x')).toThrow(FileError);
    expect(() => writeFileAtomic(join(dir, 'nul\0name'), 'x')).toThrow(FileError);
    assertWritable(join(dir, 'fine.json'));
    expect(existsSync(join(dir, 'fine.json'))).toBe(false);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('a file-size limit (ulimit -f) stops Sequential.save with EFBIG: the old model stays intact and loadable', async () => {
    await ready({ backend: 'js' });
    const sub = join(dir, 'ulimit');
    mkdirSync(sub);
    const path = join(sub, 'model.json');
    const good = await goodModelFile(path);
    expect(good.bytes.length).toBeLessThan(16 * 1024);
    // 64 blocks is at most 64 KiB whatever the shell's block size; the new model is about 1.2 MB.
    const r = await run('/bin/sh', ['-c', `ulimit -f 64 && exec "${process.execPath}" ${LOADER.join(' ')} "${SAVER}" "${path}" 1024 2`]);
    await expectIntact(path, good);
    expect(r.stdout.trim()).toBe('FileError EFBIG');
    expect(tempFiles(sub)).toEqual([]);
  });

  it('the CLI under a file-size limit: one line, exit 2, the old report and model intact', async () => {
    const sub = join(dir, 'cli');
    mkdirSync(sub);
    const model = join(sub, 'model.json');
    const good = await goodModelFile(model);
    const report = join(sub, 'report.html');
    writeFileSync(report, '<!doctype html><title>old</title>');
    const cli = CLI.map((a) => `"${a}"`).join(' ');
    const r = await run('/bin/sh', ['-c', `ulimit -f 64 && exec ${cli} train iris --epochs 1 --hidden 512,512 --out "${model}" --report "${report}" --quiet`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^simdnet: error: --out: cannot write .*model\.json: file too large/);
    await expectIntact(model, good);
    expect(readFileSync(report, 'utf8')).toBe('<!doctype html><title>old</title>');
    expect(tempFiles(sub)).toEqual([]);
  });

  it('predict --out under a file-size limit: one line, exit 2, the old predictions intact; without the limit the same command writes them', async () => {
    const sub = join(dir, 'predict');
    mkdirSync(sub);
    const model = join(sub, 'digits.json');
    const cli = CLI.map((a) => `"${a}"`).join(' ');
    const t = await run('/bin/sh', ['-c', `exec ${cli} train digits --epochs 1 --hidden 8 --out "${model}" --quiet`]);
    expect(t.code, t.stderr).toBe(0);
    const out = join(sub, 'pred.csv');
    writeFileSync(out, 'old,predictions\n');
    const r = await run('/bin/sh', ['-c', `ulimit -f 64 && exec ${cli} predict "${model}" digits --proba --out "${out}"`]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^simdnet: error: --out: cannot write .*pred\.csv: file too large/);
    expect(readFileSync(out, 'utf8')).toBe('old,predictions\n');
    expect(tempFiles(sub)).toEqual([]);
    const ok = await run('/bin/sh', ['-c', `exec ${cli} predict "${model}" digits --proba --out "${out}"`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(64 * 1024);
  });

  it('a writer killed (SIGKILL) mid-write leaves the old model byte for byte', async () => {
    await ready({ backend: 'js' });
    const sub = join(dir, 'kill');
    mkdirSync(sub);
    const path = join(sub, 'model.json');
    let caught = 0;
    for (let attempt = 0; attempt < 8 && caught < 2; attempt++) {
      const good = await goodModelFile(path);
      // An 8 MB model file: the parent watches for the writer's first trace (its temp file, or the
      // target itself changing, as an in-place write would) and kills it then.
      let pid = 0;
      const before = statSync(path);
      const done = run(process.execPath, [...LOADER, SAVER, path, 20_000, String(3 + attempt)].map(String), { onSpawn: (p) => { pid = p; } });
      const deadline = Date.now() + 30_000;
      let killed = false;
      const touched = () => { const st = statSync(path, { throwIfNoEntry: false }); return !st || st.size !== before.size || st.mtimeMs !== before.mtimeMs; };
      while (Date.now() < deadline) {
        const t = tempFiles(sub);
        if (t.length > 0 || touched()) {
          if (attempt % 2 === 1 && t.length > 0) while (Date.now() < deadline && statSync(join(sub, t[0]!), { throwIfNoEntry: false })?.size === 0) { /* until bytes flow */ }
          process.kill(pid, 'SIGKILL');
          killed = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 1));
      }
      const r = await done;
      expect(killed).toBe(true);
      if (r.signal !== 'SIGKILL') continue; // the save won the race: a whole new file, tried again
      const left = tempFiles(sub);
      if (left.length === 0 && !readFileSync(path).equals(good.bytes)) {
        // Killed after the rename: the target must then be the whole new model.
        (await Sequential.load(path, { backend: 'js' })).dispose();
        continue;
      }
      caught++;
      await expectIntact(path, good);
      expect(left).toHaveLength(1);
      for (const t of left) unlinkSync(join(sub, t));
    }
    expect(caught).toBeGreaterThan(0);
  });
});
