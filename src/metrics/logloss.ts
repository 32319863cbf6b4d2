// Log loss (cross-entropy) of predicted class probabilities.

import { ValidationError } from '../errors.js';
import { checkLabelList, checkLabels, formatLabel, uniqueLabels, type Label, type Labels } from '../data/labels.js';
import { toDenseTable, type MatrixLike } from '../data/matrix.js';

export interface LogLossOptions {
  /** The classes of the probability columns, in order (default: sorted distinct labels of yTrue). */
  labels?: Labels;
  /** Probabilities are clipped to [eps, 1 − eps] before the log (default 1e-15). */
  eps?: number;
}

const SUM_TOLERANCE = 1e-3;

/**
 * Mean negative log-likelihood −(1/n)·Σ log p(yTrue_i). `probs` has one row per sample and one
 * column per class (in the order of `labels`); for two classes a single column (or a 1-D array)
 * holds the probability of the second class. Rows must sum to 1 (within 1e-3).
 * @example logLoss(['spam', 'ham', 'ham', 'spam'], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]); // 0.21616
 */
export function logLoss(yTrue: Labels, probs: MatrixLike | readonly number[] | Float32Array | Float64Array, options: LogLossOptions = {}): number {
  const kind = checkLabels(yTrue, 'yTrue');
  const eps = options.eps ?? 1e-15;
  if (typeof eps !== 'number' || !(eps >= 0 && eps < 0.5)) {
    throw new ValidationError('eps', `expected a number in [0, 0.5), got ${String(eps)}`);
  }
  const labels: Label[] = options.labels !== undefined
    ? checkLabelList(options.labels, kind)
    : uniqueLabels(yTrue as ArrayLike<Label>);
  if (labels.length < 2) {
    throw new ValidationError('yTrue', `holds a single class (${formatLabel(labels[0])}); pass options.labels to name the classes of the probability columns`);
  }
  const flat = ArrayBuffer.isView(probs) || (Array.isArray(probs) && probs.length > 0 && !Array.isArray(probs[0]));
  const P = flat
    ? toDenseTable({ data: probs as ArrayLike<number>, rows: (probs as ArrayLike<number>).length, cols: 1 }, 'probs')
    : toDenseTable(probs as MatrixLike, 'probs');
  const n = yTrue.length;
  if (P.rows !== n) throw new ValidationError('probs', `has ${P.rows} rows, expected ${n} (one per label of yTrue)`);
  const k = labels.length;
  const binaryColumn = P.cols === 1 && k === 2;
  if (!binaryColumn && P.cols !== k) {
    throw new ValidationError('probs', `has ${P.cols} columns, expected ${k} (one per class: ${labels.map(formatLabel).join(', ')})`);
  }
  const index = new Map<Label, number>();
  labels.forEach((l, i) => index.set(l, i));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = index.get(yTrue[i]);
    if (c === undefined) {
      throw new ValidationError('yTrue', `yTrue[${i}] is ${JSON.stringify(yTrue[i])}, which is not among the labels (${labels.map(formatLabel).join(', ')})`);
    }
    let p: number;
    if (binaryColumn) {
      const q = P.data[i];
      if (q < 0 || q > 1) throw new ValidationError('probs', `row ${i} is ${q}, expected a probability in [0, 1]`);
      p = c === 1 ? q : 1 - q;
    } else {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const q = P.data[i * k + j];
        if (q < 0 || q > 1) throw new ValidationError('probs', `row ${i}, column ${j} is ${q}, expected a probability in [0, 1]`);
        sum += q;
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        throw new ValidationError('probs', `row ${i} sums to ${sum}, expected 1 (pass probabilities, not scores or logits)`);
      }
      p = P.data[i * k + c];
    }
    total -= Math.log(Math.min(Math.max(p, eps), 1 - eps));
  }
  return total / n;
}
