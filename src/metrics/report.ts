// classificationReport: per-class precision, recall, F1 and support, with accuracy and the macro
// and weighted averages, laid out as scikit-learn's classification_report text.

import { ValidationError } from '../errors.js';
import { formatLabel, type Label, type Labels } from '../data/labels.js';
import { classCounts, safeDiv } from './classification.js';

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassReportRow extends ClassScores {
  label: Label;
  /** The name shown in the text (targetNames[i], or the label). */
  name: string;
}

export interface ClassificationReport {
  text: string;
  perClass: ClassReportRow[];
  /** Fraction of all samples predicted right. */
  accuracy: number;
  /** Micro average over the listed labels; equal to accuracy when they cover every present label. */
  microAvg: ClassScores;
  macroAvg: ClassScores;
  weightedAvg: ClassScores;
}

export interface ClassificationReportOptions {
  /** Classes to report, in order (default: sorted union of yTrue and yPred). */
  labels?: Labels;
  /** Display names, one per label. */
  targetNames?: readonly string[];
  /** Decimal places in the text (default 2). */
  digits?: number;
}

/**
 * Formats `x` with `digits` decimals, rounding exact ties to even as Python's format does
 * (so 0.125 → "0.12", as scikit-learn prints it), where `toFixed` would round them up.
 */
export function formatFixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return s;
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(rest)) return s;
  const kept = exact.slice(0, dot + 1 + digits).replace(/\.$/, '');
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 !== 0) return s;
  const down = kept;
  return (x < 0 && /[1-9]/.test(down) ? '-' : '') + down;
}

/**
 * Per-class precision, recall, F1 and support, plus accuracy and macro / weighted averages;
 * `text` is laid out like scikit-learn's classification_report. Zero divisions count as 0.
 * @example console.log(classificationReport(yTrue, yPred, { targetNames: ['cat', 'dog'] }).text);
 */
export function classificationReport(yTrue: Labels, yPred: Labels, options: ClassificationReportOptions = {}): ClassificationReport {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new ValidationError('digits', `expected an integer in [0, 20], got ${digits}`);
  }
  const c = classCounts(yTrue, yPred, options.labels);
  const k = c.labels.length;
  const names = options.targetNames ? Array.from(options.targetNames, String) : c.labels.map(formatLabel);
  if (names.length !== k) {
    throw new ValidationError('targetNames', `has ${names.length} names, expected ${k} (one per label: ${c.labels.map(formatLabel).join(', ')})`);
  }
  const perClass: ClassReportRow[] = c.labels.map((label, i) => ({
    label,
    name: names[i],
    precision: safeDiv(c.tp[i], c.tp[i] + c.fp[i]),
    recall: safeDiv(c.tp[i], c.tp[i] + c.fn[i]),
    f1: safeDiv(2 * c.tp[i], 2 * c.tp[i] + c.fp[i] + c.fn[i]),
    support: c.support[i],
  }));
  const totalSupport = c.support.reduce((s, v) => s + v, 0);
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  const tp = sum(c.tp);
  const fp = sum(c.fp);
  const fn = sum(c.fn);
  const microAvg: ClassScores = {
    precision: safeDiv(tp, tp + fp),
    recall: safeDiv(tp, tp + fn),
    f1: safeDiv(2 * tp, 2 * tp + fp + fn),
    support: totalSupport,
  };
  const mean = (key: 'precision' | 'recall' | 'f1') => sum(perClass.map((r) => r[key])) / k;
  const wmean = (key: 'precision' | 'recall' | 'f1') => safeDiv(sum(perClass.map((r) => r[key] * r.support)), totalSupport);
  const macroAvg: ClassScores = { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: totalSupport };
  const weightedAvg: ClassScores = { precision: wmean('precision'), recall: wmean('recall'), f1: wmean('f1'), support: totalSupport };
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  const acc = hits / yTrue.length;
  // As scikit-learn: the micro average is shown as "accuracy" when the labels cover every
  // present class of a multiclass problem (then both are equal).
  const listed = new Set(c.labels);
  const microIsAccuracy = c.present.every((l) => listed.has(l));

  const width = Math.max('weighted avg'.length, digits, ...names.map((n) => n.length));
  const col = (s: string) => ' ' + s.padStart(9);
  const num = (x: number) => col(formatFixed(x, digits));
  const row = (name: string, s: ClassScores) =>
    name.padStart(width) + ' ' + num(s.precision) + num(s.recall) + num(s.f1) + col(String(s.support)) + '\n';
  let text = ' '.repeat(width) + ' ' + ['precision', 'recall', 'f1-score', 'support'].map(col).join('') + '\n\n';
  for (const r of perClass) text += row(r.name, r);
  text += '\n';
  if (microIsAccuracy) {
    text += 'accuracy'.padStart(width) + ' ' + col('') + col('') + num(acc) + col(String(totalSupport)) + '\n';
  } else {
    text += row('micro avg', microAvg);
  }
  text += row('macro avg', macroAvg);
  text += row('weighted avg', weightedAvg);
  return { text, perClass, accuracy: acc, microAvg, macroAvg, weightedAvg };
}
