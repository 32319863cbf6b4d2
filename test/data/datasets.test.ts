import { describe, expect, it } from 'vitest';
import { loadDigits, loadIris } from '../../src/data/index.js';

function counts(y: Int32Array): number[] {
  const c: number[] = [];
  for (const v of y) c[v] = (c[v] ?? 0) + 1;
  return c;
}

describe('loadIris', () => {
  it('has 150 × 4 features and 50 flowers per class', () => {
    const { X, y, classNames, featureNames } = loadIris();
    expect([X.rows, X.cols, X.data.length, y.length]).toEqual([150, 4, 600, 150]);
    expect(X.data).toBeInstanceOf(Float32Array);
    expect(y).toBeInstanceOf(Int32Array);
    expect(counts(y)).toEqual([50, 50, 50]);
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(featureNames).toHaveLength(4);
  });

  it('first and last rows match iris.csv (5.1,3.5,1.4,0.2,0 and 5.9,3.0,5.1,1.8,2)', () => {
    const { X, y } = loadIris();
    expect(Array.from(X.data.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(y[0]).toBe(0);
    expect(Array.from(X.data.subarray(596, 600))).toEqual([5.9, 3.0, 5.1, 1.8].map(Math.fround));
    expect(y[149]).toBe(2);
  });

  it('returns fresh copies, so callers cannot corrupt the cache', () => {
    const a = loadIris();
    a.X.data[0] = 999;
    a.y[0] = 7;
    a.classNames[0] = 'x';
    const b = loadIris();
    expect(b.X.data[0]).toBe(Math.fround(5.1));
    expect(b.y[0]).toBe(0);
    expect(b.classNames[0]).toBe('setosa');
  });
});

describe('loadDigits', () => {
  // First and last lines of digits.csv.gz, copied by hand when writing this test.
  const first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
    0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0];
  const last = [0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15, 8, 15, 0, 0, 0, 0, 5, 16, 16, 10, 0, 0,
    0, 0, 12, 15, 15, 12, 0, 0, 0, 4, 16, 6, 4, 16, 6, 0, 0, 8, 16, 10, 8, 16, 8, 0, 0, 1, 8, 12, 14, 12, 1, 0];

  it('has 1797 × 64 pixels in 0..16', () => {
    const { X, y, classNames } = loadDigits();
    expect([X.rows, X.cols, X.data.length, y.length]).toEqual([1797, 64, 1797 * 64, 1797]);
    expect(classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    let min = Infinity;
    let max = -Infinity;
    for (const v of X.data) { min = Math.min(min, v); max = Math.max(max, v); }
    expect([min, max]).toEqual([0, 16]);
  });

  it('has the per-class counts scikit-learn documents for load_digits', () => {
    expect(counts(loadDigits().y)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  });

  it('first and last rows match the source file', () => {
    const { X, y } = loadDigits();
    expect(Array.from(X.data.subarray(0, 64))).toEqual(first);
    expect(y[0]).toBe(0);
    expect(Array.from(X.data.subarray(1796 * 64))).toEqual(last);
    expect(y[1796]).toBe(8);
  });

  it('returns fresh copies', () => {
    const a = loadDigits();
    a.X.data.fill(3);
    expect(loadDigits().X.data[2]).toBe(5);
  });
});
