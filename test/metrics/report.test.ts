import { describe, expect, it } from 'vitest';
import { classificationReport, logLoss, meanAbsoluteError, meanSquaredError, r2 } from '../../src/metrics/index.js';
import { formatFixed } from '../../src/metrics/report.js';

describe('classificationReport', () => {
  it("reproduces scikit-learn's documented example text", () => {
    const yTrue = [0, 1, 2, 2, 2];
    const yPred = [0, 0, 2, 2, 1];
    const r = classificationReport(yTrue, yPred, { targetNames: ['class 0', 'class 1', 'class 2'] });
    expect(r.text).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '     class 0       0.50      1.00      0.67         1',
        '     class 1       0.00      0.00      0.00         1',
        '     class 2       1.00      0.67      0.80         3',
        '',
        '    accuracy                           0.60         5',
        '   macro avg       0.50      0.56      0.49         5',
        'weighted avg       0.70      0.60      0.61         5',
        '',
      ].join('\n'),
    );
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    expect(r.perClass.map((c) => c.support)).toEqual([1, 1, 3]);
    expect(r.perClass[2]).toMatchObject({ label: 2, name: 'class 2', precision: 1, support: 3 });
    expect(r.perClass[2].recall).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[2].f1).toBeCloseTo(0.8, 12);
    // macro f1 = (2/3 + 0 + 0.8)/3; weighted precision = (0.5 + 0 + 3)/5
    expect(r.macroAvg.f1).toBeCloseTo((2 / 3 + 0.8) / 3, 12);
    expect(r.weightedAvg.precision).toBeCloseTo(0.7, 12);
  });

  it('shows a micro avg row when the labels do not cover every class (scikit-learn doc example)', () => {
    const r = classificationReport([1, 1, 1], [1, 1, 0], { labels: [1, 2, 3] });
    expect(r.text).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '           1       1.00      0.67      0.80         3',
        '           2       0.00      0.00      0.00         0',
        '           3       0.00      0.00      0.00         0',
        '',
        '   micro avg       1.00      0.67      0.80         3',
        '   macro avg       0.33      0.22      0.27         3',
        'weighted avg       1.00      0.67      0.80         3',
        '',
      ].join('\n'),
    );
  });

  it('honours digits and long names', () => {
    const r = classificationReport(['a', 'b'], ['a', 'a'], { targetNames: ['a very long class name', 'b'], digits: 4 });
    const lines = r.text.split('\n');
    expect(lines[2]).toBe('a very long class name     0.5000    1.0000    0.6667         1');
  });

  it('rejects a wrong number of target names', () => {
    expect(() => classificationReport([0, 1], [0, 1], { targetNames: ['x'] })).toThrow(/targetNames: has 1 names, expected 2/);
  });

  it('rounds exact ties to even like Python', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(0.1 + 0.2, 2)).toBe('0.30');
    expect(formatFixed(2 / 3, 2)).toBe('0.67');
  });
});

describe('logLoss', () => {
  it("matches scikit-learn's doc example", () => {
    // −(ln 0.9 + ln 0.9 + ln 0.8 + ln 0.65) / 4
    const p = [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]];
    const want = -(Math.log(0.9) * 2 + Math.log(0.8) + Math.log(0.65)) / 4;
    expect(want).toBeCloseTo(0.21616, 5);
    expect(logLoss(['spam', 'ham', 'ham', 'spam'], p)).toBeCloseTo(want, 12);
    expect(logLoss(['spam', 'ham', 'ham', 'spam'], [0.9, 0.1, 0.2, 0.65])).toBeCloseTo(want, 12);
  });

  it('handles a 3-class hand case, explicit labels, and clipping of zeros', () => {
    const p = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]];
    expect(logLoss([0, 1, 2], p)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.8) + Math.log(0.6)) / 3, 12);
    expect(logLoss([0, 0], [[0.5, 0.5, 0], [1, 0, 0]], { labels: [0, 1, 2] })).toBeCloseTo(Math.log(2) / 2, 12);
    const clipped = logLoss([0, 1], [[0, 1], [0, 1]], { eps: 1e-7 });
    expect(clipped).toBeCloseTo((-Math.log(1e-7) - Math.log(1 - 1e-7)) / 2, 9);
    expect(Number.isFinite(logLoss([0, 1], [[0, 1], [0, 1]]))).toBe(true);
  });

  it('validates its inputs', () => {
    expect(() => logLoss([0, 1], [[0.5, 0.5]])).toThrow(/probs: has 1 rows, expected 2/);
    expect(() => logLoss([0, 1], [[2, -1], [0.5, 0.5]])).toThrow(/probs: row 0, column 0 is 2/);
    expect(() => logLoss([0, 1], [[0.7, 0.7], [0.5, 0.5]])).toThrow(/row 0 sums to 1.4/);
    expect(() => logLoss([0, 0], [[1, 0], [1, 0]])).toThrow(/single class/);
    expect(() => logLoss([0, 1, 2], [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]])).toThrow(/has 2 columns, expected 3/);
    expect(() => logLoss([0, 1], [[NaN, 1], [0.5, 0.5]])).toThrow(/row 0, column 0 is NaN/);
  });
});

describe('regression metrics', () => {
  const yTrue = [3, -0.5, 2, 7];
  const yPred = [2.5, 0, 2, 8];

  it('match hand-computed values', () => {
    // residuals 0.5, −0.5, 0, −1 → MSE (0.25 + 0.25 + 0 + 1)/4, MAE 2/4
    expect(meanSquaredError(yTrue, yPred)).toBeCloseTo(0.375, 12);
    expect(meanAbsoluteError(yTrue, yPred)).toBeCloseTo(0.5, 12);
    // mean 2.875, SS_tot = 0.125² + 3.375² + 0.875² + 4.125² = 29.1875, SS_res = 1.5
    expect(r2(yTrue, yPred)).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    expect(r2(Float32Array.from(yTrue), Float64Array.from(yPred))).toBeCloseTo(1 - 1.5 / 29.1875, 6);
  });

  it('average uniformly over outputs (scikit-learn doc example)', () => {
    const t = [[0.5, 1], [-1, 1], [7, -6]];
    const p = [[0, 2], [-1, 2], [8, -5]];
    expect(meanSquaredError(t, p)).toBeCloseTo(0.7083333333, 9);
    expect(meanAbsoluteError(t, p)).toBeCloseTo(0.75, 12);
    // column 0: mean 6.5/3, SS_tot = 32.1666…, SS_res 1.25; column 1: mean −4/3, SS_tot 147/3·… (computed below)
    const col = (k: number) => {
      const y = t.map((r) => r[k]);
      const m = y.reduce((a, b) => a + b) / y.length;
      const tot = y.reduce((a, v) => a + (v - m) ** 2, 0);
      const res = y.reduce((a, v, i) => a + (v - p[i][k]) ** 2, 0);
      return 1 - res / tot;
    };
    expect(r2(t, p)).toBeCloseTo((col(0) + col(1)) / 2, 12);
    expect(r2(t, p)).toBeCloseTo(0.9368, 4);
  });

  it('scores a constant target 1 if perfect, else 0', () => {
    expect(r2([-2, -2, -2], [-2, -2, -2])).toBe(1);
    expect(r2([-2, -2, -2], [-2, -2, -2 + 1e-8])).toBe(0);
  });

  it('validates shapes and values', () => {
    expect(() => meanSquaredError([1, 2], [1])).toThrow(/yPred: has 1 samples, expected 2/);
    expect(() => r2([], [])).toThrow(/yTrue: is empty/);
    expect(() => meanAbsoluteError([1, NaN], [1, 2])).toThrow(/yTrue\[1\] is NaN/);
    expect(() => r2([[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]])).toThrow(/yPred: has 3 outputs, expected 2/);
    expect(() => r2([[1, 2], [3]], [[1, 2], [3, 4]])).toThrow(/yTrue: row 1 has 1 columns, expected 2/);
  });
});
