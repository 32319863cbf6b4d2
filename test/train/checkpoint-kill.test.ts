// Kill and resume: a training child process is stopped dead with SIGKILL (mid-epoch, or just after
// a checkpoint was written), then resumed from its checkpoint file, possibly several times. The
// oracle is the same run left alone: final weights, predictions and history (every number but
// the wall-clock time) must be bit-identical, on one thread and on two (every kernel split), for
// SGD with momentum and a step schedule, for batch norm + dropout + Adam + early stopping, and for
// a streamed fit (fit(source) on a TableDataset read from a CSV file).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunArgs } from './fixtures/checkpoint-run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'simdnet-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result { params: string; predictions: string; history: Record<string, unknown>; resumedFrom: number; epochs: number; threadCount: number }

/** Runs the child; with a kill point, SIGKILLs it when it reports that point. Resolves with how it ended. */
function child(args: RunArgs): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', './bench/ts-loader.mjs', 'test/train/fixtures/checkpoint-run.ts', JSON.stringify(args)], { cwd: root });
    let stderr = '';
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('KILL\n')) p.kill('SIGKILL');
    });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function finished(args: RunArgs): Promise<Result> {
  const r = await child(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(args.out, 'utf8')) as Result;
}

let n = 0;
type Kill = NonNullable<RunArgs['kill']>;

/** An uninterrupted run, and the same run killed at each point of `kills` in turn and resumed after each. */
async function compare(config: RunArgs['config'], threads: 1 | 2, fit: RunArgs['fit'], kills: Kill[], resumedFrom: number[]): Promise<void> {
  const id = ++n;
  const base = { config, threads, fit, resume: false };
  const want = await finished({ ...base, ckpt: join(dir, `${id}-alone.ckpt`), out: join(dir, `${id}-alone.json`) });
  expect(want.threadCount).toBe(threads);
  const ckpt = join(dir, `${id}.ckpt`);
  for (let i = 0; i < kills.length; i++) {
    const r = await child({ ...base, resume: i > 0, ckpt, out: join(dir, `${id}-killed-${i}.json`), kill: kills[i] });
    expect(r.signal, `run ${i} was to be killed at ${JSON.stringify(kills[i])}: ${r.stderr}`).toBe('SIGKILL');
    expect(existsSync(join(dir, `${id}-killed-${i}.json`))).toBe(false);
  }
  const got = await finished({ ...base, resume: true, ckpt, out: join(dir, `${id}-resumed.json`) });
  expect(got.resumedFrom).toBe(resumedFrom.at(-1));
  expect(got.threadCount).toBe(threads);
  expect(got.epochs).toBe(want.epochs);
  expect(got.params).toBe(want.params);
  expect(got.predictions).toBe(want.predictions);
  expect(got.history).toEqual(want.history);
}

describe('SIGKILL and resume from the checkpoint file: bit-identical to the run left alone', () => {
  it('SGD momentum + step decay + L2, 1 thread, fitSync: killed mid-epoch 4', async () => {
    await compare('plain', 1, 'sync', [{ epoch: 3, batch: 5 }], [3]);
  });
  it('same, killed right after the checkpoint of epoch 5 was written', async () => {
    await compare('plain', 1, 'sync', [{ afterCheckpoint: 5 }], [5]);
  });
  it('same, killed three times (epochs 2, 5 and 7) and resumed each time', async () => {
    await compare('plain', 1, 'sync', [{ epoch: 1, batch: 0 }, { epoch: 4, batch: 9 }, { epoch: 6, batch: 3 }], [1, 4, 6]);
  });
  it('2 threads, every kernel split, async fit: killed twice', async () => {
    await compare('plain', 2, 'async', [{ epoch: 2, batch: 2 }, { epoch: 5, batch: 0 }], [2, 5]);
  });
  it('batch norm + dropout + Adam + early stopping (restore best), 1 thread, async fit: killed mid-run', async () => {
    await compare('bn', 1, 'async', [{ epoch: 3, batch: 4 }], [3]);
  });
  it('same, 2 threads, fitSync: killed mid-run, then after the checkpoint of the epoch that stopped early', async () => {
    await compare('bn', 2, 'sync', [{ epoch: 2, batch: 7 }, { afterCheckpoint: 8 }], [2, 8]);
  });
  it('fit(source) on a TableDataset (shuffle buffer, validation source, dropout, early stopping), 1 thread: killed mid-epoch 4, then right after the checkpoint of epoch 6', async () => {
    await compare('stream', 1, 'async', [{ epoch: 3, batch: 5 }, { afterCheckpoint: 6 }], [3, 6]);
  });
  it('same, 2 threads, every kernel split: killed right after the checkpoint of epoch 2, then at the first batch of epoch 5', async () => {
    await compare('stream', 2, 'async', [{ afterCheckpoint: 2 }, { epoch: 4, batch: 0 }], [2, 4]);
  });
});
