import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHtml, svgById } from '../report/html-check.js';
import { simdnet } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);

function jsonLines(s: string): Record<string, unknown>[] {
  return s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('simdnet train / evaluate / predict on iris', () => {
  it('trains with --json: one object per epoch, then a summary; saves the model and the report', () => {
    const r = simdnet(['train', 'iris', '--epochs', '40', '--standardize', '--hidden', '16', '--lr', '0.01', '--json', '--out', p('iris.json'), '--report', p('iris.html')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.length).toBe(41);
    lines.slice(0, 40).forEach((l, i) => {
      expect(l.type).toBe('epoch');
      expect(l.epoch).toBe(i + 1);
      expect(typeof l.loss).toBe('number');
      expect(typeof l.valAccuracy).toBe('number');
    });
    const s = lines[40]!;
    expect(s.type).toBe('summary');
    expect(s.samples).toBe(38);
    expect(s.accuracy as number).toBeGreaterThan(0.85);
    expect(s.misclassificationRate).toBeCloseTo(1 - (s.accuracy as number), 12);
    expect((s.confusionMatrix as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(38);
    expect(s.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(s.samplesPerSec as number).toBeGreaterThan(0);
    expect(['wasm', 'js']).toContain(s.backend);
    expect(existsSync(p('iris.json'))).toBe(true);
    const html = readFileSync(p('iris.html'), 'utf8');
    expect(checkHtml(html).errors).toEqual([]);
    expect(svgById(html, 'chart-loss')).toBeDefined();
    expect(svgById(html, 'chart-confusion')).toBeDefined();
    expect(svgById(html, 'chart-gradient-scale')).toBeDefined();
    // Dead units: a chart when some layer had any, else a note that says none did.
    expect(Boolean(svgById(html, 'chart-dead')) !== html.includes('id="dead-none"')).toBe(true);
    // One training-speed figure: the report prints the one the CLI reports.
    expect(html).toContain(`${Math.round(s.samplesPerSec as number).toLocaleString('en-US')} samples/s (training samples × epochs`);
  });

  it('evaluates the saved model on raw data (the scaler travels with it)', () => {
    const r = simdnet(['evaluate', p('iris.json'), 'iris']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accuracy\s+\d+\.\d\d%/);
    expect(r.stdout).toMatch(/misclassification rate/);
    expect(r.stdout).toMatch(/macro F1/);
    expect(r.stdout).toMatch(/predicted/);
    expect(r.stdout).toMatch(/actual\s+setosa\s+versicolor\s+virginica/);
    const j = jsonLines(simdnet(['evaluate', p('iris.json'), 'iris', '--json']).stdout)[0]!;
    expect(j.samples).toBe(150);
    expect(j.accuracy as number).toBeGreaterThan(0.85);
  });

  it('predicts labels and probabilities to a CSV file', () => {
    const r = simdnet(['predict', p('iris.json'), 'iris', '--proba', '--out', p('pred.csv')]);
    expect(r.code).toBe(0);
    const rows = readFileSync(p('pred.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('prediction,p_setosa,p_versicolor,p_virginica');
    expect(rows.length).toBe(151);
    const [label, ...probs] = rows[1]!.split(',');
    expect(label).toBe('setosa');
    expect(probs.map(Number).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const plain = simdnet(['predict', p('iris.json'), 'iris']);
    expect(plain.stdout.split('\n')[0]).toBe('prediction');
  });

  it('prints one line per epoch (on stderr) when stderr is not a TTY, and nothing with --quiet', () => {
    const r = simdnet(['train', 'iris', '--epochs', '3', '--backend', 'js']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/epoch 1\/3 {2}loss/);
    expect(r.stderr).toMatch(/epoch 3\/3/);
    expect(r.stdout).toMatch(/backend js/);
    expect(r.stderr).not.toContain('\r');
    const q = simdnet(['train', 'iris', '--epochs', '2', '--quiet']);
    expect(q.code).toBe(0);
    expect(q.stdout).toBe('');
    expect(q.stderr).toBe('');
  });
});

describe('simdnet on digits', () => {
  it('trains an MLP to ≥ 93% test accuracy and evaluates the saved model', () => {
    const r = simdnet(['train', 'digits', '--hidden', '32', '--epochs', '15', '--standardize', '--quiet', '--out', p('digits.json')]);
    expect(r.code).toBe(0);
    const j = jsonLines(simdnet(['evaluate', p('digits.json'), 'digits', '--json']).stdout)[0]!;
    expect(j.accuracy as number).toBeGreaterThan(0.93);
    expect((j.classNames as string[]).length).toBe(10);
  });
});

describe('estimators through the CLI', () => {
  for (const args of [['--model', 'softmax'], ['--model', 'logistic', '--strategy', 'ovo'], ['--model', 'perceptron', '--strategy', 'ovr']]) {
    it(args.join(' '), () => {
      const file = p(`est-${args[1]}.json`);
      const r = simdnet(['train', 'iris', '--standardize', ...args, '--json', '--out', file]);
      expect(r.code).toBe(0);
      const s = jsonLines(r.stdout).at(-1)!;
      expect(s.model).toBe(args[1]);
      expect(s.accuracy as number).toBeGreaterThan(args[1] === 'perceptron' ? 0.6 : 0.85);
      const e = jsonLines(simdnet(['evaluate', file, 'iris', '--json']).stdout)[0]!;
      expect(e.samples).toBe(150);
      const pr = simdnet(['predict', file, 'iris', '--proba']);
      expect(pr.stdout.split('\n')[0]).toBe('prediction,p_setosa,p_versicolor,p_virginica');
    });
  }
});

describe('CSV and IDX data', () => {
  const lines = ['petal_length,petal_width,species'];
  const irisRows = [[1.4, 0.2, 'setosa'], [1.3, 0.2, 'setosa'], [1.5, 0.3, 'setosa'], [1.7, 0.4, 'setosa'], [1.6, 0.2, 'setosa'], [1.4, 0.3, 'setosa'],
    [4.7, 1.4, 'versicolor'], [4.5, 1.5, 'versicolor'], [4.9, 1.5, 'versicolor'], [4.0, 1.3, 'versicolor'], [4.6, 1.5, 'versicolor'], [3.9, 1.1, 'versicolor'],
    [6.0, 2.5, 'virginica'], [5.1, 1.9, 'virginica'], [5.9, 2.1, 'virginica'], [5.6, 1.8, 'virginica'], [5.8, 2.2, 'virginica'], [6.6, 2.1, 'virginica']];
  for (let k = 0; k < 3; k++) for (const r of irisRows) lines.push(`${(r[0] as number) + 0.05 * k},${(r[1] as number) + 0.03 * k},${r[2]}`);

  it('trains on a CSV with a named label column; the report shows decision regions', () => {
    const csv = p('flowers.csv');
    writeFileSync(csv, lines.map((l) => { const c = l.split(','); return [c[2], c[0], c[1]].join(','); }).join('\n') + '\n');
    const r = simdnet(['train', csv, '--label', 'species', '--epochs', '60', '--standardize', '--lr', '0.02', '--json', '--out', p('flowers.json'), '--report', p('flowers.html')]);
    expect(r.stderr).toBe('');
    const s = jsonLines(r.stdout).at(-1)!;
    expect(s.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const html = readFileSync(p('flowers.html'), 'utf8');
    expect(checkHtml(html).errors).toEqual([]);
    const svg = svgById(html, 'chart-decision')!;
    expect(svg).toBeDefined();
    expect(svg.inner).toContain('petal_length');
    // evaluate with the label column in the same place, predict on features only
    expect(simdnet(['evaluate', p('flowers.json'), csv]).code).toBe(0);
    const featuresOnly = p('features.csv');
    writeFileSync(featuresOnly, 'petal_length,petal_width\n1.4,0.2\n6.1,2.3\n');
    const pr = simdnet(['predict', p('flowers.json'), featuresOnly]);
    expect(pr.code).toBe(0);
    expect(pr.stdout.trim().split('\n')).toEqual(['prediction', 'setosa', 'virginica']);
  });

  it('reads an IDX images file and the labels file beside it', () => {
    const n = 60;
    const img = Buffer.alloc(16 + n * 16);
    img.writeUInt32BE(0x00000803, 0); img.writeUInt32BE(n, 4); img.writeUInt32BE(4, 8); img.writeUInt32BE(4, 12);
    const lab = Buffer.alloc(8 + n);
    lab.writeUInt32BE(0x00000801, 0); lab.writeUInt32BE(n, 4);
    for (let i = 0; i < n; i++) {
      const c = i % 2;
      lab[8 + i] = c;
      for (let k = 0; k < 16; k++) img[16 + i * 16 + k] = (c === 0 ? k < 8 : k >= 8) ? 200 + (i % 50) : (i * 7 + k) % 40;
    }
    writeFileSync(p('train-images-idx3-ubyte.gz'), gzipSync(img));
    writeFileSync(p('train-labels-idx1-ubyte'), lab);
    const r = simdnet(['train', p('train-images-idx3-ubyte.gz'), '--epochs', '30', '--hidden', '8', '--lr', '0.01', '--json', '--validation-split', '0']);
    expect(r.stderr).toBe('');
    const s = jsonLines(r.stdout).at(-1)!;
    expect(s.classNames).toEqual(['0', '1']);
    expect(s.accuracy as number).toBeGreaterThan(0.9);
  });
});

describe('errors: one line on stderr, exit code 2', () => {
  const badCsv = p('bad.csv');
  writeFileSync(badCsv, 'a,b,label\n1,2,x\n3,oops,y\n');
  const raggedCsv = p('ragged.csv');
  writeFileSync(raggedCsv, 'a,b,label\n1,2,x\n3,4\n');
  const quoteCsv = p('quote.csv');
  writeFileSync(quoteCsv, 'a,b,label\n"1,2,x\n3,4,y\n');
  const cases: [string, string[], RegExp][] = [
    ['missing file', ['train', p('nope.csv')], /nope\.csv: no such file/],
    ['ragged CSV row', ['train', raggedCsv], /ragged\.csv: line 3 has 2 fields, expected 3 \(as line 1\)/],
    ['unclosed quote', ['train', quoteCsv], /quote\.csv: line 2, column 1: quoted field never closed/],
    ['unknown option', ['train', 'iris', '--epochz', '3'], /unknown option --epochz/],
    ['unknown value', ['train', 'iris', '--optimizer', 'lion'], /--optimizer must be one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad/],
    ['bad number', ['train', 'iris', '--epochs', 'many'], /--epochs expects a number, got "many"/],
    ['nonexistent label column', ['train', badCsv, '--label', 'species'], /"species" is not a column; the columns are "a", "b", "label"/],
    ['unknown command', ['fly'], /unknown command "fly"/],
    ['missing data argument', ['train'], /needs <data>/],
    ['missing value', ['train', 'iris', '--epochs'], /--epochs needs a value/],
    ['not a model file', ['evaluate', badCsv, 'iris'], /bad\.csv: not a model file/],
    ['missing model file', ['evaluate', p('none.json'), 'iris'], /none\.json: no such model file/],
    ['bad thread count', ['train', 'iris', '--threads', 'lots'], /--threads expects a whole number from 1 to 64 or 'auto', got "lots"/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = simdnet(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).toMatch(/^simdnet: error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('labels the model never saw', () => {
    const r = simdnet(['evaluate', p('iris.json'), badCsv]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBe(1);
  });

  it('--debug adds the stack trace', () => {
    const r = simdnet(['train', badCsv, '--debug']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('threads', () => {
  it('--threads 2 trains on two threads, reports it, and the process exits on its own', () => {
    const r = simdnet(['train', 'digits', '--epochs', '3', '--threads', '2', '--quiet']);
    expect(r.code).toBe(0);
    const i = JSON.parse(simdnet(['info', '--json', '--threads', '2']).stdout) as Record<string, unknown>;
    expect(i.threadCount).toBe(2);
    expect(String(i.why)).toMatch(/threads: 2/);
    const t = simdnet(['train', 'iris', '--epochs', '3', '--threads', '2']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/2 threads/);
  });
});

describe('simdnet info and help', () => {
  it('prints backendInfo', () => {
    const r = simdnet(['info', '--json']);
    expect(r.code).toBe(0);
    const i = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(i.backend).toBe('wasm');
    expect(i.binary).toBe('relaxed'); // the CLI sets --experimental-wasm-relaxed-simd before loading WASM
    expect(i.node).toBe(process.versions.node);
    const t = simdnet(['info']);
    expect(t.stdout).toMatch(/relaxed SIMD\s+yes/);
    expect(t.stdout).toMatch(/V8\s+\d/);
  });

  it('prints usage and per-command help', () => {
    const r = simdnet(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('simdnet evaluate <model.json> <data> [--json]');
    const t = simdnet(['train', '--help']);
    expect(t.stdout).toContain('--batch-norm');
    expect(t.stdout).toContain('--validation-split');
  });
});
