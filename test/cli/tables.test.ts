// `simdnet train <file> --label <col>` on public tables as they ship (test/fixtures/tables, see its
// README): text columns, missing cells, dates, numeric targets; evaluate and predict with the
// columns in another order; CSV dialects; class weights; and the errors of bad input. Runs the CLI
// in-process (main() with a captured Io) to keep the suite quick.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/app.js';
import type { Io } from '../../src/cli/output.js';
import { parseTable } from '../../src/data/table.js';
import { checkHtml, svgById } from '../report/html-check.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);
const fixture = (f: string) => new URL(`../fixtures/tables/${f}`, import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: Io & { stdout: string; stderr: string } = { stdout: '', stderr: '', isTTY: false, columns: 100, out: (s) => { io.stdout += s; }, err: (s) => { io.stderr += s; } };
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}
const last = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!) as Record<string, unknown>;

/** Writes a copy of a CSV with its columns in `order` (or reversed), through the quoting rules of RFC 4180. */
function reordered(src: string, dst: string, drop: string[] = [], add: string[] = []): void {
  const t = parseTable(readFileSync(src, 'utf8'));
  const order = t.names.filter((n) => !drop.includes(n)).reverse();
  const q = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const lines = [[...order, ...add].map(q).join(',')];
  for (let i = 0; i < t.rows; i++) lines.push([...order.map((n) => q(t.columns[t.names.indexOf(n)]![i]!)), ...add.map(() => '1')].join(','));
  writeFileSync(dst, lines.join('\n') + '\n');
}

describe('a raw table with text, dates and missing cells (penguins_raw.csv)', () => {
  it('trains from the file as it ships, says how it read each column, and saves the pipeline with the model', async () => {
    const r = await run(['train', fixture('penguins_raw.csv'), '--label', 'Species', '--epochs', '40', '--seed', '2', '--out', p('penguins.json'), '--report', p('penguins.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: task: classification \(inferred: the label "Species" holds text \(3 classes\)/);
    expect(r.stderr).toMatch(/Date Egg +date \(ymd\) → year, month, day/);
    expect(r.stderr).toMatch(/Individual ID +dropped: ID-like or free text/);
    expect(r.stderr).toMatch(/Culmen Length \(mm\) +numeric · missing → median [\d.]+ \+ indicator/);
    const acc = Number(/accuracy\s+([\d.]+)%/.exec(r.stdout)![1]);
    expect(acc).toBeGreaterThan(95);
    const html = readFileSync(p('penguins.html'), 'utf8');
    expect(checkHtml(html).errors).toEqual([]);
    expect(html).toContain('id="column-table"');
    expect(svgById(html, 'chart-confusion')).toBeDefined();
  });

  it('evaluates and predicts with the columns in any order; a missing or an unknown column is named', async () => {
    reordered(fixture('penguins_raw.csv'), p('reversed.csv'));
    const a = last((await run(['evaluate', p('penguins.json'), fixture('penguins_raw.csv'), '--json'])).stdout);
    const b = last((await run(['evaluate', p('penguins.json'), p('reversed.csv'), '--json'])).stdout);
    expect(b.accuracy).toBe(a.accuracy);
    expect(b.confusionMatrix).toEqual(a.confusionMatrix);
    reordered(fixture('penguins_raw.csv'), p('unlabelled.csv'), ['Species']);
    const pa = await run(['predict', p('penguins.json'), fixture('penguins_raw.csv'), '--proba']);
    const pb = await run(['predict', p('penguins.json'), p('unlabelled.csv'), '--proba']);
    expect(pb.code, pb.stderr).toBe(0);
    expect(pb.stdout).toBe(pa.stdout);
    reordered(fixture('penguins_raw.csv'), p('lacking.csv'), ['Island', 'Sex']);
    const lacking = await run(['predict', p('penguins.json'), p('lacking.csv')]);
    expect(lacking.code).toBe(2);
    expect(lacking.stderr).toMatch(/lacking\.csv: the data lacks the columns "Island", "Sex" that the model uses/);
    reordered(fixture('penguins_raw.csv'), p('extra.csv'), [], ['Tag']);
    expect((await run(['evaluate', p('penguins.json'), p('extra.csv')])).stderr).toMatch(/extra\.csv: the data has a column the model was not trained with: "Tag"/);
  });
});

describe('regression from the CLI', () => {
  it('infers regression for miles per gallon, prints MSE, MAE and R², and plots predicted against actual and residuals', async () => {
    const r = await run(['train', fixture('cars.csv'), '--label', 'Miles_per_Gallon', '--epochs', '60', '--json', '--out', p('cars.json'), '--report', p('cars.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const s = last(r.stdout);
    expect(s.task).toBe('regression');
    expect((s.notes as string[])[0]).toMatch(/task: regression \(inferred: the label "Miles_per_Gallon" has \d+ distinct numeric values/);
    expect((s.notes as string[])[1]).toBe('8 rows without a label left out');
    expect(s.r2 as number).toBeGreaterThan(0.75);
    expect(s.rmse as number).toBeCloseTo(Math.sqrt(s.mse as number), 10);
    const html = readFileSync(p('cars.html'), 'utf8');
    expect(checkHtml(html).errors).toEqual([]);
    expect(svgById(html, 'chart-pred-actual')!.inner.match(/<circle/g)!.length).toBe(100);
    expect(svgById(html, 'chart-residuals')).toBeDefined();
    expect(html).toContain('id="score-r2"');
    const e = last((await run(['evaluate', p('cars.json'), fixture('cars.csv'), '--json'])).stdout);
    expect(e.samples).toBe(398);
    expect(e.r2 as number).toBeGreaterThan(0.75);
    const pr = (await run(['predict', p('cars.json'), fixture('cars.csv')])).stdout.trim().split('\n');
    expect(pr[0]).toBe('prediction');
    expect(pr.length).toBe(407);
    expect(Number(pr[1])).toBeGreaterThan(8);
  });
});

describe('CSV dialects', () => {
  it('a semicolon file with decimal commas, gzip-compressed, trains the same model as the comma original', async () => {
    const text = readFileSync(fixture('penguins.csv'), 'utf8');
    const semi = text.split('\n').map((l) => l.split(',').map((c) => c.replace('.', ',')).join(';')).join('\n');
    writeFileSync(p('penguins-semi.csv.gz'), gzipSync(Buffer.from(semi)));
    const args = ['--label', 'species', '--epochs', '15', '--seed', '4', '--json'];
    const a = last((await run(['train', fixture('penguins.csv'), ...args])).stdout);
    const b = last((await run(['train', p('penguins-semi.csv.gz'), ...args])).stdout);
    expect(b.confusionMatrix).toEqual(a.confusionMatrix);
    expect(b.accuracy).toBe(a.accuracy);
    const forced = await run(['train', p('penguins-semi.csv.gz'), ...args, '--delimiter', ',']);
    expect(forced.code).toBe(2);
  });
});

describe('class weights', () => {
  it('--class-weight balanced is said, weights the loss, and raises the recall of the rare classes', async () => {
    const args = ['train', fixture('seattle-weather.csv'), '--label', 'weather', '--epochs', '30', '--seed', '1', '--json'];
    const plain = last((await run(args)).stdout);
    const weighted = last((await run([...args, '--class-weight', 'balanced', '--report', p('weather.html')])).stdout);
    expect((weighted.notes as string[]).at(-1)).toMatch(/^class weights \(balanced\): drizzle [\d.]+, fog [\d.]+, rain [\d.]+, snow [\d.]+, sun [\d.]+$/);
    const recall = (s: Record<string, unknown>, c: string) => (s.perClass as { name: string; recall: number }[]).find((x) => x.name === c)!.recall;
    const rare = ['drizzle', 'snow'];
    expect(rare.reduce((a, c) => a + recall(weighted, c), 0)).toBeGreaterThan(rare.reduce((a, c) => a + recall(plain, c), 0));
    expect(readFileSync(p('weather.html'), 'utf8')).toMatch(/id="per-class"/);
    const explicit = await run([...args, '--class-weight', 'snow=5,fog=2']);
    expect(last(explicit.stdout).notes).toContainEqual(expect.stringMatching(/class weights \(as given\): drizzle 1, fog 2, rain 1, snow 5, sun 1/));
    expect((await run([...args, '--class-weight', 'hail=2'])).stderr).toMatch(/--class-weight: names the class "hail"/);
  });
});

describe('bad input: one line naming file, line, column and value', () => {
  it('an unseen category under --unknown error', async () => {
    writeFileSync(p('train.csv'), 'color,size,y\nred,1,a\nblue,2,b\nred,3,a\nblue,4,b\nred,5,a\nblue,6,b\n');
    writeFileSync(p('new.csv'), 'color,size,y\nred,1,a\ngreen,2,b\n');
    expect((await run(['train', p('train.csv'), '--unknown', 'error', '--epochs', '2', '--test-split', '0', '--quiet', '--out', p('strict.json')])).code).toBe(0);
    const r = await run(['evaluate', p('strict.json'), p('new.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/new\.csv: line 3, column 1 \("color"\) is "green", a category not seen in training \(unknown: 'error'; known: "blue", "red"\)/);
  });

  it('an all-missing column, a one-class label, a text label for regression, a label the model never saw', async () => {
    writeFileSync(p('empty-col.csv'), 'a,b,y\n1,NA,x\n2,,y\n3,?,x\n4,,y\n');
    const empty = await run(['train', p('empty-col.csv'), '--test-split', '0', '--epochs', '1']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stderr).toMatch(/ b +dropped: no values: all \d cells are missing/);
    expect((await run(['train', p('empty-col.csv'), '--features', 'a,b'])).stderr).toMatch(/column 2 \("b"\) has no values: all \d cells are missing; it cannot be used/);
    writeFileSync(p('one-class.csv'), 'a,y\n1,k\n2,k\n3,k\n');
    expect((await run(['train', p('one-class.csv')])).stderr).toMatch(/the label "y" has a single class \("k"\)/);
    writeFileSync(p('text-label.csv'), 'a,y\n1,2.5\n2,x\n3,4.5\n');
    expect((await run(['train', p('text-label.csv'), '--task', 'regression'])).stderr).toMatch(/line 3: the label "y" is "x", not a number; regression needs a numeric label/);
    writeFileSync(p('other-label.csv'), 'color,size,y\nred,1,zzz\n');
    expect((await run(['evaluate', p('strict.json'), p('other-label.csv')])).stderr).toMatch(/other-label\.csv: line 2, column 3 \("y"\): the label is "zzz", a class the model was not trained on/);
    for (const f of ['one-class.csv', 'text-label.csv']) {
      const r = await run(['train', p(f), ...(f === 'text-label.csv' ? ['--task', 'regression'] : [])]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n').length).toBe(1);
    }
  });
});

describe('--stream', () => {
  it('trains a streamed table (pipeline in one pass, hashed split), reports read and step rates, and saves a model evaluate reads', async () => {
    const r = await run(['train', fixture('penguins_raw.csv'), '--label', 'Species', '--stream', '--epochs', '15', '--json', '--out', p('streamed.json')]);
    expect(r.code, r.stderr).toBe(0);
    const s = last(r.stdout);
    expect(s.streamed).toBe(true);
    expect(s.accuracy as number).toBeGreaterThan(0.9);
    expect(s.readRowsPerSec as number).toBeGreaterThan(0);
    expect(s.stepSamplesPerSec as number).toBeGreaterThan(0);
    expect((s.notes as string[]).join(' ')).toMatch(/by a hash of the row index \(seed 1\)/);
    const e = last((await run(['evaluate', p('streamed.json'), fixture('penguins_raw.csv'), '--json'])).stdout);
    expect(e.samples).toBe(344);
    expect((await run(['train', fixture('penguins_raw.csv'), '--stream', '--model', 'softmax'])).stderr).toMatch(/a streamed table trains --model mlp/);
  });

  it('stops a streamed run early on the hashed validation part (--early-stopping N), streamed or not', async () => {
    for (const stream of [['--stream'], []]) {
      const r = await run(['train', fixture('penguins_raw.csv'), '--label', 'Body Mass (g)', ...stream, '--epochs', '400', '--lr', '0.05', '--early-stopping', '2', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const s = last(r.stdout);
      expect(s.epochs as number).toBeLessThan(400);
      expect(s.epochs as number).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('spellings that used to need hand cleaning', () => {
  it('trains on quoted numbers with thousands separators and month-name dates, saying how it read them, in memory and streamed', async () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const rows = ['population,founded,y'];
    for (let i = 0; i < 40; i++) rows.push(`"${1 + (i % 9)},${String(100 + i * 7).padStart(3, '0')}",${months[i % 12]} ${1 + (i % 28)} ${1990 + i},${i % 2 ? 'big' : 'small'}`);
    writeFileSync(p('grouped.csv'), rows.join('\n') + '\n');
    for (const extra of [[], ['--stream']]) {
      const r = await run(['train', p('grouped.csv'), '--label', 'y', '--epochs', '3', '--seed', '1', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/population +numeric · .*\(thousands separator ","\)/);
      expect(r.stderr).toMatch(/founded +date \(named\) → year, month, day/);
    }
  });
});

describe('--test-data with a class the training never saw', () => {
  it('counts its rows as wrong and names the class and count, instead of stopping', async () => {
    const row = (i: number, y: string) => `${i % 7},${(i * 3) % 5 > 1 ? 'u' : 'v'},${y}`;
    writeFileSync(p('seen-train.csv'), ['a,b,y', ...Array.from({ length: 60 }, (_, i) => row(i, i % 7 > 3 ? 'hi' : 'lo'))].join('\n') + '\n');
    const known = Array.from({ length: 12 }, (_, i) => row(i + 5, (i + 5) % 7 > 3 ? 'hi' : 'lo'));
    writeFileSync(p('seen-test.csv'), ['a,b,y', ...known].join('\n') + '\n');
    writeFileSync(p('unseen-test.csv'), ['a,b,y', ...known, row(1, 'zzz'), row(2, 'new'), row(3, 'zzz')].join('\n') + '\n');
    const r = await run(['train', p('seen-train.csv'), '--label', 'y', '--test-data', p('unseen-test.csv'), '--epochs', '20', '--seed', '3', '--json', '--out', p('seen.json'), '--report', p('unseen.html')]);
    expect(r.code, r.stderr).toBe(0);
    const out = last(r.stdout);
    expect((out.notes as string[]).join('\n')).toMatch(/3 rows of .*unseen-test\.csv have a class the training never saw, counted as wrong: "zzz" \(2\), "new" \(1\)/);
    // the same model on the 12 known rows alone (evaluate): the 3 unseen rows only add wrong answers
    const e = await run(['evaluate', p('seen.json'), p('seen-test.csv'), '--json']);
    expect(e.code, e.stderr).toBe(0);
    const knownAcc = last(e.stdout).accuracy as number;
    expect(out.accuracy as number).toBeCloseTo((knownAcc * 12) / 15, 12);
    expect(out.samples).toBe(15);
    const html = readFileSync(p('unseen.html'), 'utf8');
    expect(checkHtml(html).errors).toEqual([]);
    expect(html).toContain('zzz');
  });
});
