// Classification scores from per-class counts: accuracy, precision, recall, specificity, F1.
// Definitions and averaging follow scikit-learn's precision_recall_fscore_support with
// zero_division=0: a ratio whose denominator is 0 counts as 0, never NaN.

import { ValidationError } from '../errors.js';
import { checkLabelList, checkLabelPair, formatLabel, uniqueLabels, type Label, type Labels } from '../data/labels.js';

/**
 * How per-class scores are combined:
 * - `'binary'`: the score of `positiveLabel` only (needs at most two classes);
 * - `'macro'`: unweighted mean over classes;
 * - `'micro'`: from the counts summed over classes;
 * - `'weighted'`: mean over classes weighted by support (number of actual samples);
 * - `null`: one score per class, in the order of `labels`.
 */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted' | null;

export interface ScoreOptions {
  /** Default `'binary'`, as scikit-learn: pass another average for more than two classes. */
  average?: Average;
  /**
   * The positive class of `'binary'`. Default: 1 when labels are numbers within {0, 1} or 1 is
   * present; otherwise the larger of the two labels (the second in sorted order).
   */
  positiveLabel?: Label;
  /** Classes to score and average over (default: sorted union of yTrue and yPred). */
  labels?: Labels;
}

/** Per-class counts over all samples. */
export interface ClassCounts {
  labels: Label[];
  tp: number[];
  fp: number[];
  fn: number[];
  tn: number[];
  /** Number of actual samples per class. */
  support: number[];
  /** Total number of samples. */
  n: number;
  /** Sorted labels present in yTrue or yPred. */
  present: Label[];
}

/**
 * Per-class true/false positive/negative counts for `labels` (default: all present labels).
 * @example classCounts([0, 1, 1], [0, 1, 0]).tp; // [1, 1]
 */
export function classCounts(yTrue: Labels, yPred: Labels, labelsOption?: Labels): ClassCounts {
  const kind = checkLabelPair(yTrue, yPred);
  const present = uniqueLabels(yTrue as ArrayLike<Label>, yPred as ArrayLike<Label>);
  const labels = labelsOption !== undefined ? checkLabelList(labelsOption, kind) : present.slice();
  const index = new Map<Label, number>();
  labels.forEach((l, i) => index.set(l, i));
  const k = labels.length;
  const tp = new Array<number>(k).fill(0);
  const predCount = new Array<number>(k).fill(0);
  const support = new Array<number>(k).fill(0);
  const n = yTrue.length;
  for (let s = 0; s < n; s++) {
    const i = index.get(yTrue[s]);
    const j = index.get(yPred[s]);
    if (i !== undefined) support[i]++;
    if (j !== undefined) predCount[j]++;
    if (i !== undefined && i === j) tp[i]++;
  }
  const fp = predCount.map((p, i) => p - tp[i]);
  const fn = support.map((t, i) => t - tp[i]);
  const tn = tp.map((t, i) => n - t - fp[i] - fn[i]);
  return { labels, tp, fp, fn, tn, support, n, present };
}

/** a / b, or 0 when b is 0 (scikit-learn's zero_division=0). */
export function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * The fraction of samples whose predicted label equals the actual one.
 * @example accuracy([0, 1, 2, 0], [0, 2, 2, 0]); // 0.75
 */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  checkLabelPair(yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/**
 * 1 − accuracy: the fraction of samples predicted wrong.
 * @example misclassificationRate([0, 1, 2, 0], [0, 2, 2, 0]); // 0.25
 */
export function misclassificationRate(yTrue: Labels, yPred: Labels): number {
  return 1 - accuracy(yTrue, yPred);
}

type Which = 'precision' | 'recall' | 'specificity' | 'f1';

function perClass(c: ClassCounts, which: Which, i: number): number {
  const tp = c.tp[i];
  const fp = c.fp[i];
  const fn = c.fn[i];
  switch (which) {
    case 'precision': return safeDiv(tp, tp + fp);
    case 'recall': return safeDiv(tp, tp + fn);
    case 'specificity': return safeDiv(c.tn[i], c.tn[i] + fp);
    case 'f1': return safeDiv(2 * tp, 2 * tp + fp + fn);
  }
}

function micro(c: ClassCounts, which: Which): number {
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  const tp = sum(c.tp);
  const fp = sum(c.fp);
  const fn = sum(c.fn);
  switch (which) {
    case 'precision': return safeDiv(tp, tp + fp);
    case 'recall': return safeDiv(tp, tp + fn);
    case 'specificity': { const tn = sum(c.tn); return safeDiv(tn, tn + fp); }
    case 'f1': return safeDiv(2 * tp, 2 * tp + fp + fn);
  }
}

/** Resolves the positive class of a binary problem, or explains why it is not binary. */
export function positiveLabelOf(present: Label[], given: Label | undefined): Label {
  if (present.length > 2) {
    throw new ValidationError('average', `'binary' needs at most two classes, but the labels hold ${present.length} (${present.slice(0, 10).map(formatLabel).join(', ')}${present.length > 10 ? ', ...' : ''}); choose average 'macro', 'micro', 'weighted' or null`);
  }
  if (given !== undefined) {
    if (present.length === 2 && !present.includes(given)) {
      throw new ValidationError('positiveLabel', `is ${JSON.stringify(given)}, expected one of the labels present: ${present.map((l) => JSON.stringify(l)).join(', ')}`);
    }
    return given;
  }
  const numeric = present.length === 0 || typeof present[0] === 'number';
  if (numeric && (present.includes(1) || present.every((l) => l === 0 || l === 1))) return 1;
  return present[present.length - 1];
}

function score(which: Which, yTrue: Labels, yPred: Labels, options: ScoreOptions): number | number[] {
  const average = options.average === undefined ? 'binary' : options.average;
  if (average === 'binary') {
    const c = classCounts(yTrue, yPred);
    const pos = positiveLabelOf(c.present, options.positiveLabel);
    if (options.positiveLabel !== undefined && typeof pos !== typeof yTrue[0]) {
      throw new ValidationError('positiveLabel', `is a ${typeof pos} but the labels are ${typeof yTrue[0]}s`);
    }
    const cp = classCounts(yTrue, yPred, [pos] as Labels);
    return perClass(cp, which, 0);
  }
  const c = classCounts(yTrue, yPred, options.labels);
  const k = c.labels.length;
  if (average === null) return c.labels.map((_, i) => perClass(c, which, i));
  if (average === 'micro') return micro(c, which);
  if (average === 'macro') {
    let s = 0;
    for (let i = 0; i < k; i++) s += perClass(c, which, i);
    return s / k;
  }
  if (average === 'weighted') {
    let s = 0;
    let w = 0;
    for (let i = 0; i < k; i++) {
      s += c.support[i] * perClass(c, which, i);
      w += c.support[i];
    }
    return safeDiv(s, w);
  }
  throw new ValidationError('average', `is ${JSON.stringify(average)}, expected 'binary', 'macro', 'micro', 'weighted' or null`);
}

/** Options whose `average` is a string: the result is one number. */
export type AveragedScoreOptions = ScoreOptions & { average?: Exclude<Average, null> };
/** Options with `average: null`: the result has one score per class. */
export type PerClassScoreOptions = ScoreOptions & { average: null };

/**
 * Precision tp / (tp + fp): of the samples predicted as a class, the fraction that are of it
 * (0 when nothing is predicted as the class).
 * @example precision([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5 (positive class 1)
 */
export function precision(yTrue: Labels, yPred: Labels, options?: AveragedScoreOptions): number;
export function precision(yTrue: Labels, yPred: Labels, options: PerClassScoreOptions): number[];
export function precision(yTrue: Labels, yPred: Labels, options?: ScoreOptions): number | number[];
export function precision(yTrue: Labels, yPred: Labels, options: ScoreOptions = {}): number | number[] {
  return score('precision', yTrue, yPred, options);
}

/**
 * Recall (sensitivity, true positive rate) tp / (tp + fn): of the samples of a class, the
 * fraction predicted as it (0 when the class has no samples).
 * @example recall([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 */
export function recall(yTrue: Labels, yPred: Labels, options?: AveragedScoreOptions): number;
export function recall(yTrue: Labels, yPred: Labels, options: PerClassScoreOptions): number[];
export function recall(yTrue: Labels, yPred: Labels, options?: ScoreOptions): number | number[];
export function recall(yTrue: Labels, yPred: Labels, options: ScoreOptions = {}): number | number[] {
  return score('recall', yTrue, yPred, options);
}

/** Alias of {@link recall}. @example sensitivity([0, 1, 1], [0, 1, 0]); // 0.5 */
export const sensitivity = recall;

/**
 * Specificity (true negative rate) tn / (tn + fp): of the samples not of a class, the fraction
 * not predicted as it (0 when there are none). Micro average sums tn and fp over classes.
 * @example specificity([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 */
export function specificity(yTrue: Labels, yPred: Labels, options?: AveragedScoreOptions): number;
export function specificity(yTrue: Labels, yPred: Labels, options: PerClassScoreOptions): number[];
export function specificity(yTrue: Labels, yPred: Labels, options?: ScoreOptions): number | number[];
export function specificity(yTrue: Labels, yPred: Labels, options: ScoreOptions = {}): number | number[] {
  return score('specificity', yTrue, yPred, options);
}

/**
 * F1 score, the harmonic mean of precision and recall: 2tp / (2tp + fp + fn) (0 when tp = fp =
 * fn = 0). Macro and weighted averages average the per-class F1; micro uses the summed counts.
 * @example f1([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'macro' }); // 0.2667
 */
export function f1(yTrue: Labels, yPred: Labels, options?: AveragedScoreOptions): number;
export function f1(yTrue: Labels, yPred: Labels, options: PerClassScoreOptions): number[];
export function f1(yTrue: Labels, yPred: Labels, options?: ScoreOptions): number | number[];
export function f1(yTrue: Labels, yPred: Labels, options: ScoreOptions = {}): number | number[] {
  return score('f1', yTrue, yPred, options);
}
