// simdnet against scikit-learn on committed public tables (test/fixtures/tables, see its README):
// scores.json holds, per table and seed, the test rows of the split and the score of a
// scikit-learn pipeline of the same design (written by bench/tables/compare.py --fixture, Debian's
// python3-sklearn). Here the same splits train through the CLI with the same settings; the mean
// score over the seeds must be within 1.5 points (accuracy % or R² × 100). Also: each table trains
// with no flag but --label, and evaluate / predict take the raw columns in another order, and name
// the columns when a name differs (in case).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/app.js';
import type { Io } from '../../src/cli/output.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-scores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);
const fixture = (f: string) => new URL(`../fixtures/tables/${f}`, import.meta.url).pathname;

interface Scores { sklearn: string; tables: { table: string; label: string; task: string; sklearn: number[]; testRows: number[][] }[] }
const scores = JSON.parse(readFileSync(fixture('scores.json'), 'utf8')) as Scores;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: Io & { stdout: string; stderr: string } = { stdout: '', stderr: '', isTTY: false, columns: 100, out: (s) => { io.stdout += s; }, err: (s) => { io.stderr += s; } };
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The split of compare.py: raw lines, comment lines and the header to both parts, body rows by index. */
function split(file: string, testRows: number[], tag: string): { train: string; test: string } {
  const lines = readFileSync(fixture(file), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  let h = 0;
  while (lines[h]!.trimStart().startsWith('#')) h++;
  const head = lines.slice(0, h + 1);
  const body = lines.slice(h + 1);
  const inTest = new Set(testRows);
  const train = p(`${tag}-train.csv`);
  const test = p(`${tag}-test.csv`);
  writeFileSync(train, [...head, ...body.filter((_, i) => !inTest.has(i))].join('\n') + '\n');
  writeFileSync(test, [...head, ...body.filter((_, i) => inTest.has(i))].join('\n') + '\n');
  return { train, test };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('simdnet train within 1.5 points of scikit-learn on the same splits', () => {
  it('has a fixture to compare with', () => {
    expect(scores.tables.length).toBeGreaterThanOrEqual(4);
    for (const t of scores.tables) expect(t.testRows.length).toBe(t.sklearn.length);
  });

  for (const t of scores.tables) {
    it(`${t.table}, label ${t.label} (${t.task})`, async () => {
      const ours: number[] = [];
      for (let s = 0; s < t.sklearn.length; s++) {
        const { train, test } = split(t.table, t.testRows[s]!, `${t.table}-${s}`);
        const r = await run(['train', train, '--label', t.label, '--test-data', test, '--validation-split', '0', '--seed', String(s + 1), '--json']);
        expect(r.code, r.stderr).toBe(0);
        const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { task: string; accuracy?: number; r2?: number };
        expect(summary.task).toBe(t.task);
        ours.push((t.task === 'classification' ? summary.accuracy : summary.r2)!);
      }
      expect(Math.abs(100 * (mean(ours) - mean(t.sklearn))), `simdnet ${ours.map((x) => (100 * x).toFixed(2)).join(', ')} vs scikit-learn ${t.sklearn.map((x) => (100 * x).toFixed(2)).join(', ')}`).toBeLessThanOrEqual(1.5);
    }, 120_000);
  }
});

describe('no flags, and the raw columns in any order', () => {
  it('trains each fixture table with --label only', async () => {
    for (const t of scores.tables) {
      const r = await run(['train', fixture(t.table), '--label', t.label, '--quiet']);
      expect(r.code, `${t.table}: ${r.stderr}`).toBe(0);
    }
  }, 120_000);

  it('evaluates and predicts modechoice.csv (semicolons) with its columns shuffled, and names a column renamed in case', async () => {
    const model = p('mode.json');
    expect((await run(['train', fixture('modechoice.csv'), '--label', 'choice', '--epochs', '5', '--quiet', '--out', model])).code).toBe(0);
    const lines = readFileSync(fixture('modechoice.csv'), 'utf8').trim().split('\n').map((l) => l.split(';'));
    const order = [5, 2, 8, 0, 3, 7, 1, 6, 4];
    const shuffled = lines.map((r) => order.map((j) => r[j]!).join(';')).join('\n') + '\n';
    writeFileSync(p('shuffled.csv'), shuffled);
    const same = await run(['evaluate', model, fixture('modechoice.csv'), '--json']);
    const moved = await run(['evaluate', model, p('shuffled.csv'), '--json']);
    expect(moved.code, moved.stderr).toBe(0);
    const acc = (s: string) => (JSON.parse(s.trim().split('\n').at(-1)!) as { accuracy: number }).accuracy;
    expect(acc(moved.stdout)).toBe(acc(same.stdout));
    const pa = await run(['predict', model, fixture('modechoice.csv')]);
    const pb = await run(['predict', model, p('shuffled.csv')]);
    expect(pb.code, pb.stderr).toBe(0);
    expect(pb.stdout).toBe(pa.stdout);
    writeFileSync(p('renamed.csv'), shuffled.replace(/^(.*?)\bhinc\b/, '$1HINC'));
    const bad = await run(['evaluate', model, p('renamed.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"hinc"/);
    expect(bad.stderr).toMatch(/"HINC"/);
  }, 120_000);
});

describe('many classes', () => {
  it('past 20 classes prints the most frequent confusions, as counted from the --json matrix, instead of the matrix', async () => {
    const rows = ['x,y,cls'];
    for (let i = 0; i < 600; i++) { const c = i % 24; rows.push(`${(c % 6) + ((i * 7) % 10) / 10},${Math.floor(c / 6) + ((i * 3) % 10) / 10},k${c}`); }
    writeFileSync(p('many.csv'), rows.join('\n') + '\n');
    const args = ['train', p('many.csv'), '--label', 'cls', '--epochs', '3'];
    const text = await run(args);
    expect(text.code, text.stderr).toBe(0);
    const out = text.stdout + text.stderr;
    expect(out).not.toMatch(/confusion matrix \(rows/);
    expect(out).toMatch(/24 classes: the confusion matrix is in --json/);
    const json = JSON.parse((await run([...args, '--json'])).stdout.trim().split('\n').at(-1)!) as { confusionMatrix: number[][]; classNames: string[] };
    let top = 0;
    json.confusionMatrix.forEach((r, a) => r.forEach((n, b) => { if (a !== b) top = Math.max(top, n); }));
    const first = /most frequent confusions[^\n]*\n +(\d+) +(\S+) → (\S+)/.exec(out)!;
    expect(Number(first[1])).toBe(top);
    expect(json.confusionMatrix[json.classNames.indexOf(first[2]!)]![json.classNames.indexOf(first[3]!)]).toBe(top);
  }, 60_000);
});
