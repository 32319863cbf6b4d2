// The CLI's streams: results on stdout, progress and messages on stderr, JSON lines only with
// --json, clean CSV from predict, and data read from standard input with `-`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/app.js';
import type { Io } from '../../src/cli/output.js';
import { loadIris } from '../../src/data/datasets/index.js';
import { CLI, ROOT, simdnet } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-streams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Iris as CSV text with a header, the label (a class name) in the last column. */
function irisCsv(withLabel = true): string {
  const { X, y, featureNames, classNames } = loadIris();
  const rows = [[...featureNames, ...(withLabel ? ['species'] : [])].join(',')];
  for (let i = 0; i < X.rows; i++) {
    const cells = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols), (v) => String(Number(v.toPrecision(6))));
    if (withLabel) cells.push(classNames[y[i]!]!);
    rows.push(cells.join(','));
  }
  return rows.join('\n') + '\n';
}

function fakeIo(isTTY: boolean): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTTY, columns: 120, out: (s: string) => { io.stdout += s; }, err: (s: string) => { io.stderr += s; } };
  return io;
}

const TRAIN = ['--epochs', '20', '--hidden', '8', '--lr', '0.02', '--standardize', '--seed', '3'];

beforeAll(() => {
  writeFileSync(p('iris.csv'), irisCsv());
  const r = simdnet(['train', p('iris.csv'), ...TRAIN, '--quiet', '--out', p('model.json')]);
  expect(r.code).toBe(0);
});

describe('train', () => {
  it('--json piped into a JSON-lines reader: every stdout line parses, nothing on stderr', () => {
    const reader = "let n=0;for(const l of require('fs').readFileSync(0,'utf8').trim().split('\\n')){JSON.parse(l);n++}console.log(n)";
    const cmd = `${CLI.map(sh).join(' ')} train iris --epochs 5 --hidden 8 --json | ${sh(process.execPath)} -e ${sh(reader)}`;
    const r = spawnSync('sh', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('6'); // 5 epoch objects and the summary
  });

  it('text mode: the scores and the speed on stdout; header, epoch lines and messages on stderr', () => {
    const r = simdnet(['train', 'iris', '--epochs', '3', '--hidden', '8', '--out', p('t.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^test set \(38 samples\)$/);
    expect(r.stdout).toMatch(/accuracy\s+\d+\.\d\d%/);
    expect(r.stdout).toMatch(/^speed: training /m);
    expect(r.stdout).not.toMatch(/epoch \d|simdnet train ·|model saved/);
    expect(r.stderr).toMatch(/^simdnet train · iris: 150 samples × 4 columns → 4 features, 3 classes$/m);
    expect(r.stderr.match(/^epoch \d\/3 {2}loss/gm)).toHaveLength(3);
    expect(r.stderr).toContain(`model saved to ${p('t.json')}`);
  });

  it('the progress bar is drawn on stderr when stderr is a terminal; stdout gets no control characters', async () => {
    const io = fakeIo(true);
    expect(await main(['train', 'iris', '--epochs', '3', '--hidden', '8', '--backend', 'js'], io)).toBe(0);
    expect(io.stderr).toContain('\r\x1b[K[');
    expect(io.stderr).toMatch(/█.*epoch \d\/3 {2}loss \d/);
    expect(io.stdout).not.toMatch(/[\r\x1b█]/);
    expect(io.stdout).toMatch(/^test set/);
  });

  it('reads CSV from standard input with "-": the same model as from the file', () => {
    const fromFile = JSON.parse(simdnet(['train', p('iris.csv'), ...TRAIN, '--json']).stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    const r = simdnet(['train', '-', ...TRAIN, '--json'], ROOT, readFileSync(p('iris.csv')));
    expect(r.stderr).toBe('');
    const fromStdin = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(fromStdin.data).toBe('standard input');
    expect(fromStdin.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(fromStdin.confusionMatrix).toEqual(fromFile.confusionMatrix);
    expect(fromStdin.accuracy).toBe(fromFile.accuracy);
    expect(fromStdin.accuracy as number).toBeGreaterThan(0.85);
    // gzip'd CSV on stdin too
    const gz = simdnet(['train', '-', ...TRAIN, '--json'], ROOT, gzipSync(readFileSync(p('iris.csv'))));
    expect(JSON.parse(gz.stdout.trim().split('\n').at(-1)!).confusionMatrix).toEqual(fromFile.confusionMatrix);
  });

  it('IDX images on standard input have no labels: train says so in one line', () => {
    const img = Buffer.alloc(16 + 4 * 4);
    img.writeUInt32BE(0x00000803, 0); img.writeUInt32BE(4, 4); img.writeUInt32BE(2, 8); img.writeUInt32BE(2, 12);
    const r = simdnet(['train', '-'], ROOT, img);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('simdnet: error: standard input: IDX images have no labels file beside them on standard input; give the images file\'s path instead of "-"\n');
  });
});

describe('predict and evaluate', () => {
  it('predict without --out: stdout is the CSV and nothing else', () => {
    const r = simdnet(['predict', p('model.json'), p('iris.csv'), '--proba']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rows = r.stdout.split('\n');
    expect(rows.at(-1)).toBe('');
    expect(rows[0]).toBe('prediction,p_setosa,p_versicolor,p_virginica');
    expect(rows.length).toBe(152);
    for (const row of rows.slice(1, -1)) {
      const [label, ...probs] = row.split(',');
      expect(['setosa', 'versicolor', 'virginica']).toContain(label);
      expect(probs.map(Number).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
  });

  it('predict --out: the CSV in the file, the message on stderr, stdout empty', () => {
    const r = simdnet(['predict', p('model.json'), p('iris.csv'), '--out', p('pred.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote 150 predictions to ${p('pred.csv')}\n`);
    expect(readFileSync(p('pred.csv'), 'utf8')).toBe(simdnet(['predict', p('model.json'), p('iris.csv')]).stdout);
  });

  it('predict and evaluate read standard input with "-"', () => {
    writeFileSync(p('features.csv'), irisCsv(false));
    const fromFile = simdnet(['predict', p('model.json'), p('features.csv')]).stdout;
    const fromStdin = simdnet(['predict', p('model.json'), '-'], ROOT, irisCsv(false));
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.stdout).toBe(fromFile);
    expect(fromFile.split('\n').length).toBe(152);
    const ev = simdnet(['evaluate', p('model.json'), '-', '--json'], ROOT, irisCsv());
    expect(ev.stderr).toBe('');
    const evFile = simdnet(['evaluate', p('model.json'), p('iris.csv'), '--json']);
    expect(JSON.parse(ev.stdout).confusionMatrix).toEqual(JSON.parse(evFile.stdout).confusionMatrix);
  });

  it('predict reads IDX images from standard input (labels not needed)', () => {
    const n = 40;
    const img = Buffer.alloc(16 + n * 16);
    img.writeUInt32BE(0x00000803, 0); img.writeUInt32BE(n, 4); img.writeUInt32BE(4, 8); img.writeUInt32BE(4, 12);
    const lab = Buffer.alloc(8 + n);
    lab.writeUInt32BE(0x00000801, 0); lab.writeUInt32BE(n, 4);
    for (let i = 0; i < n; i++) {
      lab[8 + i] = i % 2;
      for (let k = 0; k < 16; k++) img[16 + i * 16 + k] = ((i % 2 === 0) === (k < 8)) ? 220 : (i * 5 + k) % 30;
    }
    writeFileSync(p('train-images-idx3-ubyte'), img);
    writeFileSync(p('train-labels-idx1-ubyte'), lab);
    expect(simdnet(['train', p('train-images-idx3-ubyte'), '--epochs', '30', '--hidden', '8', '--lr', '0.02', '--validation-split', '0', '--quiet', '--out', p('idx.json')]).code).toBe(0);
    const fromFile = simdnet(['predict', p('idx.json'), p('train-images-idx3-ubyte')]).stdout;
    const r = simdnet(['predict', p('idx.json'), '-'], ROOT, gzipSync(img));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(fromFile);
    const predicted = r.stdout.trim().split('\n').slice(1);
    expect(predicted.filter((c, i) => c === String(i % 2)).length).toBeGreaterThanOrEqual(36);
  });
});

describe('--version', () => {
  it("prints package.json's version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = simdnet(['--version']);
    expect(r.stdout).toBe(`simdnet ${pkg.version}\n`);
    expect(r.code).toBe(0);
  });
});
