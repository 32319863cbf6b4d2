// `simdnet quantize`: an MLP model file in, an int8 model file out that evaluate and predict read
// like the original (same preprocessing and class names), within 0.3 points of its accuracy on
// digits; bad uses are one-line errors with exit code 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simdnet } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-quantize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);
const json = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('simdnet quantize', () => {
  it('writes an int8 model file that evaluate and predict read; accuracy within 0.3 points on digits', () => {
    const t = simdnet(['train', 'digits', '--hidden', '64', '--epochs', '30', '--lr', '0.001', '--standardize', '--seed', '1', '--quiet', '--out', p('d.json')]);
    expect(t.code, t.stderr).toBe(0);
    const q = simdnet(['quantize', p('d.json'), '--calibration', 'digits', '--out', p('d8.json')]);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stderr).toMatch(/wrote the int8 model to .*d8\.json \(2 dense layers, .* bytes of weights; calibrated on 1797 rows of digits, maxabs\)/);
    const file = JSON.parse(readFileSync(p('d8.json'), 'utf8'));
    const orig = JSON.parse(readFileSync(p('d.json'), 'utf8'));
    expect(file.model.format).toBe('simdnet.int8');
    expect(file.input).toEqual(orig.input); // the same scaler
    expect(file.classNames).toEqual(orig.classNames);
    const f32 = json(simdnet(['evaluate', p('d.json'), 'digits', '--json']).stdout);
    const i8 = json(simdnet(['evaluate', p('d8.json'), 'digits', '--json']).stdout);
    expect(f32.accuracy as number).toBeGreaterThan(0.97);
    expect(Math.abs((i8.accuracy as number) - (f32.accuracy as number))).toBeLessThanOrEqual(0.003);
    const pred = simdnet(['predict', p('d8.json'), 'digits', '--proba']);
    expect(pred.code, pred.stderr).toBe(0);
    const lines = pred.stdout.trim().split('\n');
    expect(lines[0]).toBe(['prediction', ...orig.classNames.map((c: string) => `p_${c}`)].join(','));
    expect(lines.length).toBe(1798);
  });

  it('bad uses: no --calibration, no --out, not an MLP, already int8, a corrupt int8 entry', () => {
    expect(simdnet(['train', 'iris', '--model', 'softmax', '--epochs', '5', '--quiet', '--out', p('s.json')]).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['quantize', p('d.json'), '--out', p('x.json')], /--calibration <data> is required/],
      [['quantize', p('d.json'), '--calibration', 'digits'], /--out <file> is required/],
      [['quantize', p('s.json'), '--calibration', 'iris', '--out', p('x.json')], /a softmax model; 'simdnet quantize' quantizes MLP models/],
      [['quantize', p('d8.json'), '--calibration', 'digits', '--out', p('x.json')], /already an int8 model/],
      [['quantize', p('d.json'), '--calibration', 'iris', '--out', p('x.json')], /has 4 features, the model expects 64/],
      [['quantize', p('d.json'), '--calibration', 'digits', '--percentile', '50', '--out', p('x.json')], /percentile.*\[90, 100\], got 50/],
    ];
    for (const [args, re] of cases) {
      const r = simdnet(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    const bad = JSON.parse(readFileSync(p('d8.json'), 'utf8'));
    bad.model.layers[0].inputZeroPoint = 5;
    writeFileSync(p('bad8.json'), JSON.stringify(bad));
    const r = simdnet(['evaluate', p('bad8.json'), 'digits']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad8\.json: corrupt model: int8 model file: layers\[0\]\.inputZeroPoint is 5, expected 0 or 64/);
  });
});
