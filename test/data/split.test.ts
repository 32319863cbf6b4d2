import { describe, expect, it } from 'vitest';
import { kFold, trainTestSplit, type Matrix } from '../../src/data/index.js';

// Row i of X is [i, 10·i], so a row tells which sample it came from.
function data(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => [i, 10 * i]);
}
function ids(m: Matrix): number[] {
  const out: number[] = [];
  for (let r = 0; r < m.rows; r++) out.push(m.data[r * m.cols]);
  return out;
}
function countBy<T>(a: ArrayLike<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (let i = 0; i < a.length; i++) m.set(a[i], (m.get(a[i]) ?? 0) + 1);
  return m;
}

describe('trainTestSplit', () => {
  it('is disjoint and complete, rows and labels stay paired, sizes ⌈testSize·n⌉', () => {
    const X = data(10);
    const y = Array.from({ length: 10 }, (_, i) => i * 3);
    const s = trainTestSplit(X, y, { testSize: 0.25, seed: 7 });
    expect(s.XTest.rows).toBe(3); // ceil(2.5)
    expect(s.XTrain.rows).toBe(7);
    const all = [...ids(s.XTrain), ...ids(s.XTest)].sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.yTrain).toEqual(ids(s.XTrain).map((i) => i * 3));
    expect(s.yTest).toEqual(ids(s.XTest).map((i) => i * 3));
    expect(s.XTrain.data[1]).toBe(10 * s.XTrain.data[0]);
  });

  it('is deterministic by seed and changes with it', () => {
    const X = data(50);
    const y = Array.from({ length: 50 }, (_, i) => i % 2);
    const a = trainTestSplit(X, y, { seed: 1 });
    const b = trainTestSplit(X, y, { seed: 1 });
    const c = trainTestSplit(X, y, { seed: 2 });
    expect(ids(a.XTest)).toEqual(ids(b.XTest));
    expect(ids(a.XTest)).not.toEqual(ids(c.XTest));
  });

  it('keeps the type of y', () => {
    const X = data(8);
    expect(trainTestSplit(X, Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]), { seed: 3 }).yTest).toBeInstanceOf(Int32Array);
    expect(trainTestSplit(X, Float32Array.from([0.5, 1, 2, 3, 4, 5, 6, 7]), { seed: 3 }).yTrain).toBeInstanceOf(Float32Array);
    const s = trainTestSplit(X, ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'], { seed: 3 });
    expect(Array.isArray(s.yTest) && typeof s.yTest[0]).toBe('string');
  });

  it('without shuffle takes the last rows as the test set', () => {
    const s = trainTestSplit(data(5), [0, 1, 2, 3, 4], { testSize: 2, shuffle: false });
    expect(ids(s.XTrain)).toEqual([0, 1, 2]);
    expect(s.yTest).toEqual([3, 4]);
  });

  it('stratified: each class keeps its proportion (per-class rounding, total ⌈testSize·n⌉)', () => {
    // 60 / 30 / 10 samples; testSize 0.2 → 20 test: 12 / 6 / 2
    const y = [...Array(60).fill('a'), ...Array(30).fill('b'), ...Array(10).fill('c')];
    const X = data(100);
    for (const seed of [1, 2, 3]) {
      const s = trainTestSplit(X, y, { testSize: 0.2, stratify: true, seed });
      const t = countBy(s.yTest as string[]);
      expect([t.get('a'), t.get('b'), t.get('c')]).toEqual([12, 6, 2]);
      const r = countBy(s.yTrain as string[]);
      expect([r.get('a'), r.get('b'), r.get('c')]).toEqual([48, 24, 8]);
      // labels still match their rows
      expect((s.yTest as string[]).every((l, k) => l === y[ids(s.XTest)[k]])).toBe(true);
    }
    // 7 / 7 / 6, testSize 0.3 → ceil(6) = 6 test: exact shares 2.1, 2.1, 1.8 → 2, 2, 2
    const y2 = [...Array(7).fill(0), ...Array(7).fill(1), ...Array(6).fill(2)];
    const s2 = trainTestSplit(data(20), y2, { testSize: 0.3, stratify: y2, seed: 5 });
    const c2 = countBy(s2.yTest as number[]);
    expect([c2.get(0), c2.get(1), c2.get(2)]).toEqual([2, 2, 2]);
    expect(s2.XTest.rows).toBe(6);
  });

  it('validates sizes, lengths and data', () => {
    expect(() => trainTestSplit(data(3), [0, 1], {})).toThrow(/y: has 2 labels, expected 3/);
    expect(() => trainTestSplit(data(4), [0, 1, 0, 1], { testSize: 1.5 })).toThrow(/testSize: expected a fraction in \(0, 1\) or a whole count/);
    expect(() => trainTestSplit(data(4), [0, 1, 0, 1], { testSize: 4 })).toThrow(/leaves 0 of the 4 samples/);
    expect(() => trainTestSplit(data(4), [0, 0, 0, 1], { stratify: true, seed: 1 })).toThrow(/class 1 has only 1 sample/);
    expect(() => trainTestSplit([[1], [NaN]], [0, 1])).toThrow(/X: row 1, column 0 is NaN/);
    expect(() => trainTestSplit(data(2), [0, NaN])).toThrow(/y\[1\] is NaN/);
    expect(() => trainTestSplit(data(4), [0, 1, 0, 1], { stratify: true, shuffle: false })).toThrow(/needs shuffle/);
  });

  it('does not mutate X or y', () => {
    const X = data(6);
    const y = [0, 1, 0, 1, 0, 1];
    trainTestSplit(X, y, { stratify: true, seed: 1 });
    expect(X).toEqual(data(6));
    expect(y).toEqual([0, 1, 0, 1, 0, 1]);
  });
});

describe('kFold', () => {
  function checkPartition(folds: { train: Int32Array; test: Int32Array }[], n: number) {
    const seen = new Array(n).fill(0);
    for (const { train, test } of folds) {
      for (const i of test) seen[i]++;
      expect(train.length + test.length).toBe(n);
      const inTest = new Set(test);
      for (const i of train) expect(inTest.has(i)).toBe(false);
      expect(Array.from(test)).toEqual(Array.from(test).sort((a, b) => a - b));
    }
    expect(seen.every((c) => c === 1)).toBe(true);
  }

  it('covers every index exactly once as test, sizes differ by at most one', () => {
    const folds = kFold(11, { k: 3 });
    checkPartition(folds, 11);
    expect(folds.map((f) => f.test.length)).toEqual([4, 4, 3]);
    expect(Array.from(folds[0].test)).toEqual([0, 1, 2, 3]);
    const shuffled = kFold(23, { k: 5, shuffle: true, seed: 9 });
    checkPartition(shuffled, 23);
    expect(shuffled.map((f) => f.test.length)).toEqual([5, 5, 5, 4, 4]);
  });

  it('is deterministic by seed', () => {
    const a = kFold(30, { k: 4, shuffle: true, seed: 3 });
    const b = kFold(30, { k: 4, shuffle: true, seed: 3 });
    const c = kFold(30, { k: 4, shuffle: true, seed: 4 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('stratified folds keep class proportions', () => {
    const y = [...Array(20).fill(0), ...Array(10).fill(1)];
    const folds = kFold(30, { k: 5, stratify: y, shuffle: true, seed: 1 });
    checkPartition(folds, 30);
    for (const { test } of folds) {
      const c = countBy(Array.from(test, (i) => y[i]));
      expect([c.get(0), c.get(1)]).toEqual([4, 2]);
    }
  });

  it('validates n, k and stratify', () => {
    expect(() => kFold(3, { k: 4 })).toThrow(/k: expected an integer in \[2, n = 3\], got 4/);
    expect(() => kFold(10, { k: 1 })).toThrow(/k:/);
    expect(() => kFold(1)).toThrow(/n: expected an integer ≥ 2/);
    expect(() => kFold(4, { k: 2, stratify: [0, 1] })).toThrow(/stratify: has 2 labels, expected n = 4/);
  });
});
