// What the CLI writes and reads back, from hostile or broken input (issue 13): class names that are
// spreadsheet formulas (neutralized as OWASP advises), class names holding terminal escapes (shown
// escaped), model files whose classNames do not fit the model (refused in one line), an --out that
// cannot be written (found before training), and a first row that cannot be told header or data.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/app.js';
import { csvCell, printable, type Io } from '../../src/cli/output.js';
import { parseTable } from '../../src/data/table.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-hygiene-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);

async function run(args: string[], tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const io: Io & { stdout: string; stderr: string } = { stdout: '', stderr: '', isTTY: tty, outIsTTY: tty, columns: 100, out: (s) => { io.stdout += s; }, err: (s) => { io.stderr += s; } };
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** 60 rows of two features; the class is the quadrant's label from `labels`. */
function table(path: string, labels: string[]): void {
  const q = (c: string) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const lines = ['a,b,label'];
  for (let i = 0; i < 60; i++) {
    const k = i % labels.length;
    lines.push(`${(k + 0.1 * (i % 5)).toFixed(2)},${(k * 2 - 0.1 * (i % 3)).toFixed(2)},${q(labels[k]!)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '@SUM(A1:A9)', "+cmd|' /C calc'!A0", '-2+3', '\tTAB', '-1', 'plain'];

describe('predictions.csv against CSV injection (OWASP)', () => {
  it('csvCell: a leading = + - @ tab or CR gets a quote prefix, plain numbers stay, quoting per RFC 4180', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('+cmd')).toBe(`"'+cmd"`);
    expect(csvCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvCell('\tx')).toBe(`"'\tx"`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('=HYPERLINK("a")')).toBe(`"'=HYPERLINK(""a"")"`);
    for (const n of ['-1', '+1', '-0.5', '1e-3', '3']) expect(csvCell(n)).toBe(n);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('setosa')).toBe('setosa');
  });

  it('predict --out writes formula-like class names neutralized, every other name as it is', async () => {
    table(p('formulas.csv'), FORMULAS);
    const t = await run(['train', p('formulas.csv'), '--epochs', '300', '--hidden', '32', '--lr', '0.01', '--test-split', '0', '--validation-split', '0', '--out', p('formulas.json'), '--quiet']);
    expect(t.code, t.stderr).toBe(0);
    const r = await run(['predict', p('formulas.json'), p('formulas.csv'), '--out', p('formulas-pred.csv'), '--proba']);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(p('formulas-pred.csv'), 'utf8');
    // Read back by an RFC 4180 reader: every cell that would start a formula now starts with '.
    const back = parseTable(text, { header: true, delimiter: ',' });
    const cells = new Set(back.columns[0]);
    const names = back.names.slice(1);
    for (const cell of cells) {
      if (cell === '-1') continue;
      expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(names).toContain(`p_=HYPERLINK("http://evil.example","x")`);
    expect([...cells].sort()).toEqual(expect.arrayContaining(["'=HYPERLINK(\"http://evil.example\",\"x\")", "'@SUM(A1:A9)", "'+cmd|' /C calc'!A0", '-1', 'plain']));
  });
});

describe('terminal escapes in the data are shown, not obeyed', () => {
  it('printable escapes C0/C1 controls and bidi overrides, keeps tabs, newlines and text', () => {
    expect(printable('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(printable('a\tb\nc')).toBe('a\tb\nc');
    expect(printable('\x9b2J \x07 \x7f \u202eevil')).toBe('\\x9b2J \\x07 \\x7f \\u202eevil');
    expect(printable('café ✓ 数字')).toBe('café ✓ 数字');
  });

  it('class names with escape sequences reach neither stderr nor a terminal stdout raw', async () => {
    const evil = ['\x1b]0;owned\x07', '\x1b[2J\x1b[31mred', 'ok'];
    table(p('escapes.csv'), evil);
    const t = await run(['train', p('escapes.csv'), '--epochs', '3', '--hidden', '4', '--out', p('escapes.json')], true);
    expect(t.code, t.stderr).toBe(0);
    const e = await run(['evaluate', p('escapes.json'), p('escapes.csv')], true);
    expect(e.code, e.stderr).toBe(0);
    const pr = await run(['predict', p('escapes.json'), p('escapes.csv')], true);
    for (const out of [t.stdout, t.stderr.replaceAll('\r\x1b[K', ''), e.stdout, e.stderr, pr.stdout]) {
      expect(out).not.toMatch(/[\x07\x1b\x9b]/);
    }
    expect(e.stdout).toContain('\\x1b[2J\\x1b[31mred');
    // To a file or a pipe, the predictions keep the class names exactly.
    const piped = await run(['predict', p('escapes.json'), p('escapes.csv')], false);
    expect(parseTable(piped.stdout, { header: true, delimiter: ',' }).columns[0]).toContain('\x1b[2J\x1b[31mred');
  });
});

describe('model files whose classNames do not fit the model', () => {
  it('are refused with one line naming the problem, for predict and evaluate', async () => {
    const t = await run(['train', 'iris', '--epochs', '2', '--out', p('iris.json'), '--quiet']);
    expect(t.code, t.stderr).toBe(0);
    const file = JSON.parse(readFileSync(p('iris.json'), 'utf8')) as { classNames: unknown[] };
    const cases: [unknown[], RegExp][] = [
      [[1, 2, 3], /classNames\[0\] is 1, expected a string/],
      [['setosa', null, 'virginica'], /classNames\[1\] is null, expected a string/],
      [['setosa', 'versicolor'], /classNames has 2 names, the target 3 classes/],
      [['setosa', 'setosa', 'virginica'], /classNames lists "setosa" twice/],
    ];
    for (const [names, message] of cases) {
      writeFileSync(p('bad.json'), JSON.stringify({ ...file, classNames: names }));
      for (const cmd of ['predict', 'evaluate']) {
        const r = await run([cmd, p('bad.json'), 'iris']);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe('');
      }
    }
    const m = JSON.parse(readFileSync(p('iris.json'), 'utf8')) as { model: { layers: { units: number }[] }; target: { classes: unknown[] }; classNames: string[] };
    m.classNames = ['a', 'b', 'c', 'd'];
    m.target.classes = [0, 1, 2, 3];
    writeFileSync(p('bad.json'), JSON.stringify(m));
    const r = await run(['predict', p('bad.json'), 'iris']);
    expect(r.stderr).toMatch(/classNames has 4 names, the model predicts 3 classes/);
  });
  it('a corrupt network inside a model file is named once: "corrupt model: seed is -1 …", not "corrupt model: model file is corrupt: …"', async () => {
    const m = JSON.parse(readFileSync(p('iris.json'), 'utf8')) as { model: { seed: number } };
    m.model.seed = -1;
    writeFileSync(p('badseed.json'), JSON.stringify(m));
    const r = await run(['predict', p('badseed.json'), 'iris']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/badseed\.json: corrupt model: seed is -1, expected an integer in \[0, 2\^32\)/);
    expect(r.stderr.match(/corrupt/g)).toHaveLength(1);
  });
});

describe('files and headers settled before the work', () => {
  it('an --out or --report that cannot be written stops train before the first epoch', async () => {
    writeFileSync(p('plain-file'), 'x');
    writeFileSync(p('streamed.csv'), 'a,b,label\n' + Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 5},${i % 2 ? 'x' : 'y'}`).join('\n') + '\n');
    const cases = [['--out', p('no-dir/model.json')], ['--report', p('plain-file/report.html')], ['--out', dir], ['--checkpoint', p('no-dir/run.ckpt')]];
    for (const [data, args] of [...cases.map((c) => ['digits', c] as const), ...cases.map((c) => [p('streamed.csv'), [...c, '--stream']] as const)]) {
      const r = await run(['train', data, '--epochs', '50', '--json', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe(''); // not one epoch line
      expect(r.stderr).toMatch(new RegExp(`^simdnet: error: ${args[0]}: cannot write `));
    }
    const pr = await run(['predict', p('iris.json'), 'iris', '--out', p('no-dir/pred.csv')]);
    expect(pr.code).toBe(2);
    expect(pr.stderr).toMatch(/--out: cannot write .*no such file or directory/);
  });

  it('a first row that cannot be told header or data asks for --header, which settles it', async () => {
    writeFileSync(p('ambiguous.csv'), '-,2,cat\n' + Array.from({ length: 40 }, (_, i) => `${i % 4},${i % 5},${i % 2 ? 'cat' : 'dog'}`).join('\n') + '\n');
    const r = await run(['train', p('ambiguous.csv'), '--epochs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/first row is a header or data.*--header yes or no/);
    const yes = await run(['train', p('ambiguous.csv'), '--epochs', '1', '--header', 'yes', '--json', '--test-split', '0']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(JSON.parse(yes.stdout.trim().split('\n').at(-1)!).samples).toBe(40);
  });
});
