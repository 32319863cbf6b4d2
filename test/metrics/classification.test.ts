import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  f1,
  formatConfusionMatrix,
  misclassificationRate,
  precision,
  recall,
  sensitivity,
  specificity,
} from '../../src/metrics/index.js';
import { ValidationError } from '../../src/errors.js';

// Binary fixture, counted by hand (positive class 1):
//   yTrue 1 1 1 1 0 0 0 0 0 0
//   yPred 1 1 1 0 1 1 0 0 0 0
//   tp = 3, fn = 1, fp = 2, tn = 4
//   confusion (rows actual 0, 1): [[4, 2], [1, 3]]
//   precision 3/5, recall 3/4, specificity 4/6, f1 = 2·3 / (2·3 + 2 + 1) = 6/9, accuracy 7/10
const bTrue = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const bPred = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];

// Three classes, 'fox' is never predicted:
//   actual \ predicted   cat dog fox
//   cat                    2   1   0    support 3
//   dog                    1   2   0    support 3
//   fox                    1   3   0    support 4
//   cat: tp 2, fp 2, fn 1, tn 5 → precision 2/4, recall 2/3, f1 4/7, specificity 5/7
//   dog: tp 2, fp 4, fn 1, tn 3 → precision 2/6, recall 2/3, f1 4/9, specificity 3/7
//   fox: tp 0, fp 0, fn 4, tn 6 → precision 0 (0/0 → 0), recall 0, f1 0, specificity 6/6
//   macro:    precision (1/2 + 1/3 + 0)/3 = 5/18, recall (2/3 + 2/3 + 0)/3 = 4/9,
//             f1 (4/7 + 4/9 + 0)/3 = 64/189, specificity (5/7 + 3/7 + 1)/3 = 5/7
//   micro:    tp 4, fp 6, fn 6, tn 14 → precision = recall = f1 = 4/10, specificity 14/20
//   weighted: precision (3·1/2 + 3·1/3 + 4·0)/10 = 1/4, recall 4/10,
//             f1 (3·4/7 + 3·4/9)/10 = 64/210, specificity (3·5/7 + 3·3/7 + 4·1)/10 = 52/70
const mTrue = ['cat', 'cat', 'cat', 'dog', 'dog', 'dog', 'fox', 'fox', 'fox', 'fox'];
const mPred = ['cat', 'cat', 'dog', 'dog', 'dog', 'cat', 'cat', 'dog', 'dog', 'dog'];

describe('confusionMatrix', () => {
  it('counts a binary fixture: rows actual, columns predicted', () => {
    expect(confusionMatrix(bTrue, bPred)).toEqual({ labels: [0, 1], matrix: [[4, 2], [1, 3]] });
  });

  it('counts a 3-class fixture with a class never predicted', () => {
    expect(confusionMatrix(mTrue, mPred)).toEqual({
      labels: ['cat', 'dog', 'fox'],
      matrix: [[2, 1, 0], [1, 2, 0], [1, 3, 0]],
    });
  });

  it('sorts numeric labels numerically, not as strings', () => {
    expect(confusionMatrix([10, 2, 1], [2, 10, 1]).labels).toEqual([1, 2, 10]);
  });

  it('follows explicit labels and drops samples outside them', () => {
    // scikit-learn docs: confusion_matrix(["cat","ant","cat","cat","ant","bird"], [...], labels=["ant","bird","cat"])
    const yTrue = ['cat', 'ant', 'cat', 'cat', 'ant', 'bird'];
    const yPred = ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'];
    expect(confusionMatrix(yTrue, yPred, { labels: ['ant', 'bird', 'cat'] }).matrix).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    expect(confusionMatrix(yTrue, yPred, { labels: ['cat', 'ant'] }).matrix).toEqual([[2, 1], [0, 2]]);
  });

  it('accepts typed arrays', () => {
    expect(confusionMatrix(Int32Array.from(bTrue), Float64Array.from(bPred)).matrix).toEqual([[4, 2], [1, 3]]);
  });

  it('renders with both axes named and aligned columns', () => {
    const text = formatConfusionMatrix(confusionMatrix(mTrue, mPred));
    const lines = text.split('\n');
    expect(lines[0].trim()).toBe('predicted');
    expect(lines[1]).toMatch(/^actual\s+cat\s+dog\s+fox$/);
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/))).toEqual([
      ['cat', '2', '1', '0'],
      ['dog', '1', '2', '0'],
      ['fox', '1', '3', '0'],
    ]);
    // right-aligned: every line of the table ends at the same column
    const ends = lines.slice(1).map((l) => l.length);
    expect(new Set(ends).size).toBe(1);
    const big = formatConfusionMatrix({ labels: [0, 1], matrix: [[1234, 5], [6, 78]] }, { targetNames: ['no', 'yes'] });
    const bl = big.split('\n');
    expect(bl[2].length).toBe(bl[3].length);
    expect(bl[2]).toMatch(/no\s+1234\s+5$/);
  });
});

describe('binary scores', () => {
  it('matches the hand counts with positive class 1', () => {
    expect(accuracy(bTrue, bPred)).toBeCloseTo(0.7, 12);
    expect(misclassificationRate(bTrue, bPred)).toBeCloseTo(0.3, 12);
    expect(precision(bTrue, bPred)).toBeCloseTo(3 / 5, 12);
    expect(recall(bTrue, bPred)).toBeCloseTo(3 / 4, 12);
    expect(sensitivity(bTrue, bPred)).toBeCloseTo(3 / 4, 12);
    expect(specificity(bTrue, bPred)).toBeCloseTo(4 / 6, 12);
    expect(f1(bTrue, bPred)).toBeCloseTo(6 / 9, 12);
  });

  it('uses positiveLabel 0 when asked (roles of the classes swap)', () => {
    // class 0: tp 4, fp 1, fn 2, tn 3
    expect(precision(bTrue, bPred, { positiveLabel: 0 })).toBeCloseTo(4 / 5, 12);
    expect(recall(bTrue, bPred, { positiveLabel: 0 })).toBeCloseTo(4 / 6, 12);
    expect(specificity(bTrue, bPred, { positiveLabel: 0 })).toBeCloseTo(3 / 4, 12);
  });

  it('defaults to the larger label when 1 is absent', () => {
    const yt = ['ham', 'spam', 'spam', 'ham'];
    const yp = ['ham', 'spam', 'ham', 'spam'];
    // positive 'spam': tp 1, fp 1, fn 1
    expect(precision(yt, yp)).toBeCloseTo(0.5, 12);
    expect(recall([2, 3, 3], [2, 3, 2])).toBeCloseTo(0.5, 12);
  });

  it('gives 0, never NaN, on zero divisions', () => {
    expect(precision([0, 0, 1], [0, 0, 0])).toBe(0); // nothing predicted positive
    expect(recall([0, 0, 0], [0, 1, 0])).toBe(0); // no positive samples
    expect(f1([0, 0, 0], [0, 0, 0])).toBe(0);
    expect(specificity([1, 1], [1, 1])).toBe(0); // no negatives
  });

  it('refuses binary with more than two classes, naming the problem', () => {
    expect(() => f1(mTrue, mPred)).toThrow(ValidationError);
    expect(() => f1(mTrue, mPred)).toThrow(/average: 'binary' needs at most two classes.*3 \(cat, dog, fox\)/);
  });

  it('refuses a positiveLabel that is not a label', () => {
    expect(() => precision(bTrue, bPred, { positiveLabel: 2 })).toThrow(/positiveLabel: is 2, expected one of the labels present: 0, 1/);
  });
});

describe('multiclass averages', () => {
  it('per class (average null) matches the hand counts', () => {
    const o = { average: null } as const;
    expect(precision(mTrue, mPred, o)).toEqual([1 / 2, 1 / 3, 0].map((v) => expect.closeTo(v, 12)));
    expect(recall(mTrue, mPred, o)).toEqual([2 / 3, 2 / 3, 0].map((v) => expect.closeTo(v, 12)));
    expect(f1(mTrue, mPred, o)).toEqual([4 / 7, 4 / 9, 0].map((v) => expect.closeTo(v, 12)));
    expect(specificity(mTrue, mPred, o)).toEqual([5 / 7, 3 / 7, 1].map((v) => expect.closeTo(v, 12)));
  });

  it('macro, micro and weighted match the hand counts', () => {
    const cases: [string, (a: string[], b: string[], o: { average: 'macro' | 'micro' | 'weighted' }) => number, number, number, number][] = [
      ['precision', precision, 5 / 18, 0.4, 1 / 4],
      ['recall', recall, 4 / 9, 0.4, 0.4],
      ['f1', f1, 64 / 189, 0.4, 64 / 210],
      ['specificity', specificity, 5 / 7, 14 / 20, 52 / 70],
    ];
    for (const [, fn, macro, micro, weighted] of cases) {
      expect(fn(mTrue, mPred, { average: 'macro' })).toBeCloseTo(macro, 12);
      expect(fn(mTrue, mPred, { average: 'micro' })).toBeCloseTo(micro, 12);
      expect(fn(mTrue, mPred, { average: 'weighted' })).toBeCloseTo(weighted, 12);
    }
  });

  it("reproduces scikit-learn's f1_score / precision_score / recall_score doc examples", () => {
    const yTrue = [0, 1, 2, 0, 1, 2];
    const yPred = [0, 2, 1, 0, 0, 1];
    expect(f1(yTrue, yPred, { average: 'macro' })).toBeCloseTo(0.26666666666666666, 12);
    expect(f1(yTrue, yPred, { average: 'micro' })).toBeCloseTo(0.3333333333333333, 12);
    expect(f1(yTrue, yPred, { average: 'weighted' })).toBeCloseTo(0.26666666666666666, 12);
    expect(f1(yTrue, yPred, { average: null })).toEqual([0.8, 0, 0].map((v) => expect.closeTo(v, 12)));
    expect(precision(yTrue, yPred, { average: 'macro' })).toBeCloseTo(0.2222222222222222, 12);
    expect(precision(yTrue, yPred, { average: null })).toEqual([2 / 3, 0, 0].map((v) => expect.closeTo(v, 12)));
    expect(recall(yTrue, yPred, { average: 'macro' })).toBeCloseTo(1 / 3, 12);
    expect(recall(yTrue, yPred, { average: null })).toEqual([1, 0, 0]);
    expect(accuracy(yTrue, yPred)).toBeCloseTo(1 / 3, 12);
  });

  it('restricts averages to the given labels (micro over labels only)', () => {
    // labels ['cat', 'fox']: tp 2, fp 2, fn 5 → micro precision 2/4, recall 2/7
    expect(precision(mTrue, mPred, { average: 'micro', labels: ['cat', 'fox'] })).toBeCloseTo(0.5, 12);
    expect(recall(mTrue, mPred, { average: 'micro', labels: ['cat', 'fox'] })).toBeCloseTo(2 / 7, 12);
    // a label absent everywhere counts as 0 in macro
    expect(recall([0, 1], [0, 1], { average: 'macro', labels: [0, 1, 5] })).toBeCloseTo(2 / 3, 12);
  });
});

describe('validation', () => {
  it('rejects mismatched lengths, empty input, NaN, mixed kinds and unknown averages', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/yPred: has 1 labels, expected 2/);
    expect(() => accuracy([], [])).toThrow(/yTrue: is empty/);
    expect(() => accuracy([0, NaN], [0, 1])).toThrow(/yTrue: yTrue\[1\] is NaN/);
    expect(() => accuracy([0, 1], ['a', 'b'])).toThrow(/yPred: holds strings but yTrue holds numbers/);
    expect(() => accuracy([0, 'a'] as unknown as string[], [0, 1] as unknown as string[])).toThrow(/cannot mix/);
    expect(() => recall([0.5, 1], [1, 1])).toThrow(/expected an integer class label/);
    expect(() => f1([0, 1], [0, 1], { average: 'mean' as never })).toThrow(/average: is "mean"/);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 0] })).toThrow(/labels: lists 0 twice/);
  });

  it('never mutates its inputs', () => {
    const yt = [2, 0, 1, 0];
    const yp = Int32Array.from([2, 1, 1, 0]);
    const labels = [2, 1, 0];
    confusionMatrix(yt, yp, { labels });
    f1(yt, yp, { average: 'macro', labels });
    expect(yt).toEqual([2, 0, 1, 0]);
    expect(Array.from(yp)).toEqual([2, 1, 1, 0]);
    expect(labels).toEqual([2, 1, 0]);
  });
});
