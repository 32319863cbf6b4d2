// simdnet train --checkpoint / --resume end to end: the CLI is SIGKILLed mid-training (after the
// JSON line of an epoch, or inside a checkpoint write between its temp file and the rename), then
// the same command with --resume finishes the run. Its model file equals the uninterrupted run's
// (every byte of the model, and the whole file but the wall-clock training.seconds), and so do its
// test scores. A checkpoint of another architecture is refused in one line with exit code 2.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOOK = join(ROOT, 'test/cli/fixtures/kill-hook.mjs');

function run(args: string[], kill?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(CLI[0], [CLI[1], CLI[2], '--import', HOOK, ...CLI.slice(3), ...args], {
      cwd: dir, env: { ...process.env, SIMDNET_TEST_KILL: kill ?? '' },
    });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const TRAIN = ['train', 'digits', '--hidden', '32', '--batch-norm', '--dropout', '0.2', '--epochs', '14', '--batch-size', '64', '--seed', '5', '--json'];

function modelFile(name: string): { file: Record<string, unknown>; model: string } {
  const text = readFileSync(join(dir, name), 'utf8');
  const file = JSON.parse(text) as { training: Record<string, unknown>; model: unknown };
  delete file.training.seconds;
  return { file, model: JSON.stringify(file.model) };
}
/** The summary line without its clock readings and file paths. */
function summary(stdout: string): Record<string, unknown> {
  const s = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  for (const k of Object.keys(s)) if (/Seconds|PerSec|Path$/.test(k)) delete s[k];
  return s;
}

/** A CSV table: 6 numeric features and a 3-class text label, 600 rows. */
function table(): string {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const lines = ['a,b,c,d,e,f,label'];
  for (let i = 0; i < 600; i++) {
    const k = i % 3;
    lines.push([...Array.from({ length: 6 }, (_, j) => ((j % 3 === k ? 1 : 0) + next() - 0.5).toFixed(4)), ['red', 'green', 'blue'][k]].join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * The command left alone, then killed after the JSON line of epoch `first` (before its checkpoint),
 * resumed and killed inside its `writes`-th checkpoint write (temp file complete, before the rename),
 * then resumed to the end: the model file and the summary of the run left alone.
 */
async function killTwiceAndResume(args: string[], name: string, first: number, writes: number): Promise<void> {
  const alone = await run([...args, '--checkpoint', `${name}-alone.ckpt`, '--out', `${name}-alone.json`]);
  expect(alone.stderr).toBe('');
  expect(alone.code).toBe(0);
  // --threads 2 really runs the shared-memory binary with its worker.
  expect((JSON.parse(alone.stdout.trim().split('\n').at(-1)!) as { binary: string }).binary.startsWith('threads')).toBe(args.includes('--threads'));
  const ck = `${name}.ckpt`;
  const one = await run([...args, '--checkpoint', ck, '--out', `${name}.json`], `epoch:${first}`);
  expect(one.signal).toBe('SIGKILL');
  expect(one.stdout).toContain(`"epoch":${first},`);
  expect(one.stdout).not.toContain(`"epoch":${first + 1},`);
  const two = await run([...args, '--checkpoint', ck, '--resume', ck, '--out', `${name}.json`], `rename:${writes}`);
  expect(two.signal).toBe('SIGKILL');
  // Resumed after the first-1 epochs on disk; killed inside its writes-th checkpoint write.
  const killedIn = first - 1 + writes;
  expect(two.stdout.split('\n')[0]).toContain(`"epoch":${first},`);
  expect(two.stdout).toContain(`"epoch":${killedIn},`);
  expect(two.stdout).not.toContain(`"epoch":${killedIn + 1},`);
  expect(readdirSync(dir).some((f) => f.startsWith(`.${ck}.`) && f.endsWith('.tmp'))).toBe(true);
  const three = await run([...args, '--checkpoint', ck, '--resume', ck, '--out', `${name}.json`]);
  expect(three.stderr).toBe('');
  expect(three.code).toBe(0);
  expect(three.stdout.split('\n')[0]).toContain(`"epoch":${killedIn},`);
  const a = modelFile(`${name}-alone.json`);
  const b = modelFile(`${name}.json`);
  expect(b.model).toBe(a.model);
  expect(b.file).toEqual(a.file);
  expect(summary(three.stdout)).toEqual(summary(alone.stdout));
}

describe('simdnet train --checkpoint / --resume', () => {
  it('killed after epoch 5, then inside the checkpoint write of epoch 9, resumed each time: the model file of the uninterrupted run', async () => {
    const alone = await run([...TRAIN, '--checkpoint', 'alone.ckpt', '--out', 'alone.json']);
    expect(alone.stderr).toBe('');
    expect(alone.code).toBe(0);

    const first = await run([...TRAIN, '--checkpoint', 'run.ckpt', '--out', 'run.json'], 'epoch:5');
    expect(first.signal).toBe('SIGKILL');
    expect(first.stdout).toContain('"epoch":5,');
    expect(first.stdout).not.toContain('"epoch":6,');

    const second = await run([...TRAIN, '--checkpoint', 'run.ckpt', '--resume', 'run.ckpt', '--out', 'run.json'], 'rename:5');
    expect(second.signal).toBe('SIGKILL');
    // Resumed after the 4 epochs on disk (the kill came before epoch 5's checkpoint); killed inside its 5th write, that of epoch 9.
    expect(second.stdout.split('\n')[0]).toContain('"epoch":5,');
    expect(second.stdout).toContain('"epoch":9,');
    expect(second.stdout).not.toContain('"epoch":10,');
    expect(readdirSync(dir).some((f) => f.startsWith('.run.ckpt.') && f.endsWith('.tmp'))).toBe(true);

    const third = await run([...TRAIN, '--checkpoint', 'run.ckpt', '--resume', 'run.ckpt', '--out', 'run.json'], '');
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);
    expect(third.stdout.split('\n')[0]).toContain('"epoch":9,'); // 8 epochs were on disk
    const a = modelFile('alone.json');
    const b = modelFile('run.json');
    expect(b.model).toBe(a.model);
    expect(b.file).toEqual(a.file);
    expect(summary(third.stdout)).toEqual(summary(alone.stdout));
  });

  it('the same with --threads 2: killed after epoch 3, then inside the checkpoint write of epoch 5, resumed: the uninterrupted run\'s model file', async () => {
    await killTwiceAndResume([...TRAIN, '--threads', '2'], 't2', 3, 3);
  });

  it('--stream (a TableDataset per epoch, shuffle buffer, validation part): killed twice and resumed, on one thread and on two', async () => {
    writeFileSync(join(dir, 'table.csv'), table());
    const STREAM = ['train', 'table.csv', '--label', 'label', '--stream', '--hidden', '16', '--dropout', '0.2', '--epochs', '9', '--batch-size', '16',
      '--shuffle-buffer', '50', '--early-stopping', '20', '--seed', '5', '--json'];
    await killTwiceAndResume(STREAM, 's1', 2, 4);
    await killTwiceAndResume([...STREAM, '--threads', '2'], 's2', 4, 2);
  });

  it('killed inside the write of train --out, --report and predict --out (temp file complete, before the rename): the old file stays byte for byte and loads', async () => {
    const base = ['train', 'iris', '--hidden', '4', '--epochs', '2', '--seed', '3', '--quiet'];
    expect((await run([...base, '--out', 'keep.json', '--report', 'keep.html'])).code).toBe(0);
    const model = readFileSync(join(dir, 'keep.json'));
    const report = readFileSync(join(dir, 'keep.html'));
    for (const [file, args] of [['keep.json', ['--out', 'keep.json']], ['keep.html', ['--report', 'keep.html']]] as const) {
      const r = await run([...base.map((a) => (a === '3' ? '4' : a)), ...args], `file:${file}`);
      expect(r.signal, r.stderr).toBe('SIGKILL');
      expect(readdirSync(dir).some((f) => f.startsWith(`.${file}.`) && f.endsWith('.tmp'))).toBe(true);
    }
    expect(readFileSync(join(dir, 'keep.json')).equals(model)).toBe(true);
    expect(readFileSync(join(dir, 'keep.html')).equals(report)).toBe(true);
    const pred = await run(['predict', 'keep.json', 'iris', '--out', 'pred.csv']);
    expect(pred.code, pred.stderr).toBe(0);
    const csv = readFileSync(join(dir, 'pred.csv'));
    const killed = await run(['predict', 'keep.json', 'iris', '--proba', '--out', 'pred.csv'], 'file:pred.csv');
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(join(dir, 'pred.csv')).equals(csv)).toBe(true);
    expect((await run(['predict', 'keep.json', 'iris', '--out', 'again.csv'])).code).toBe(0);
    expect(readFileSync(join(dir, 'again.csv')).equals(csv)).toBe(true);
  });

  it('text mode says where it resumes; a checkpoint of another architecture is refused in one line (exit 2)', async () => {
    const ok = await run([...TRAIN.filter((x) => x !== '--json'), '--resume', 'alone.ckpt']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('resuming from alone.ckpt: 14 of 14 epochs done');
    const other = await run(['train', 'digits', '--hidden', '33', '--batch-norm', '--dropout', '0.2', '--epochs', '14', '--batch-size', '64', '--seed', '5', '--resume', 'alone.ckpt']);
    expect(other.code).toBe(2);
    expect(other.stderr.trim().split('\n').at(-1)).toMatch(/^simdnet: .*resumeFrom: the checkpoint does not belong to this run: layer 0 is .*"units":32.* there, .*"units":33/);
    const missing = await run([...TRAIN, '--resume', 'nothing.ckpt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--resume: cannot read checkpoint file .*nothing\.ckpt/);
    const est = await run(['train', 'iris', '--model', 'softmax', '--checkpoint', 'x.ckpt']);
    expect(est.code).toBe(2);
    expect(est.stderr).toMatch(/--checkpoint and --resume apply to --model mlp/);
  });
});
