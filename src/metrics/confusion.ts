// Confusion matrix (rows = actual class, columns = predicted class, as scikit-learn) and its
// text rendering.

import { ValidationError } from '../errors.js';
import { checkLabelList, checkLabelPair, formatLabel, uniqueLabels, type Label, type Labels } from '../data/labels.js';

/** A confusion matrix: `matrix[i][j]` counts samples of actual class `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  labels: Label[];
  matrix: number[][];
}

export interface ConfusionMatrixOptions {
  /**
   * The classes, in the order of rows and columns. Default: the sorted union of the labels in
   * yTrue and yPred (numbers numerically, strings lexicographically). Samples whose actual or
   * predicted label is not listed are left out.
   */
  labels?: Labels;
}

/**
 * Counts (actual, predicted) pairs. Rows are actual classes, columns predicted classes.
 * @example confusionMatrix([0, 1, 1], [0, 1, 0]).matrix; // [[1, 0], [1, 1]]
 */
export function confusionMatrix(yTrue: Labels, yPred: Labels, options: ConfusionMatrixOptions = {}): ConfusionMatrix {
  const kind = checkLabelPair(yTrue, yPred);
  const labels = options.labels !== undefined
    ? checkLabelList(options.labels, kind)
    : uniqueLabels(yTrue as ArrayLike<Label>, yPred as ArrayLike<Label>);
  const index = new Map<Label, number>();
  labels.forEach((l, i) => index.set(l, i));
  const k = labels.length;
  const matrix: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let s = 0; s < yTrue.length; s++) {
    const i = index.get(yTrue[s]);
    const j = index.get(yPred[s]);
    if (i !== undefined && j !== undefined) matrix[i][j]++;
  }
  return { labels, matrix };
}

export interface FormatConfusionMatrixOptions {
  /** Names shown instead of the labels (same order as cm.labels). */
  targetNames?: readonly string[];
}

/**
 * Renders a confusion matrix as aligned text: actual classes down the side, predicted across the top.
 * @example console.log(formatConfusionMatrix(confusionMatrix(yTrue, yPred)));
 */
export function formatConfusionMatrix(cm: ConfusionMatrix, options: FormatConfusionMatrixOptions = {}): string {
  const { labels, matrix } = cm;
  if (!Array.isArray(labels) || !Array.isArray(matrix) || matrix.length !== labels.length) {
    throw new ValidationError('cm', 'expected { labels, matrix } with one matrix row per label');
  }
  const names = options.targetNames ? Array.from(options.targetNames) : labels.map(formatLabel);
  if (names.length !== labels.length) {
    throw new ValidationError('targetNames', `has ${names.length} names, expected ${labels.length} (one per label)`);
  }
  const k = labels.length;
  for (let i = 0; i < k; i++) {
    if (!Array.isArray(matrix[i]) || matrix[i].length !== k) {
      throw new ValidationError('cm', `matrix row ${i} has ${matrix[i]?.length} columns, expected ${k}`);
    }
  }
  const cells = matrix.map((row) => row.map((v) => String(v)));
  const colWidth = names.map((n, j) => Math.max(n.length, ...cells.map((row) => row[j].length)));
  const sideTitle = 'actual';
  const sideWidth = Math.max(sideTitle.length, ...names.map((n) => n.length));
  const gap = '  ';
  const header = names.map((n, j) => n.padStart(colWidth[j])).join(gap);
  const tableWidth = header.length;
  const topTitle = 'predicted';
  const lines: string[] = [];
  lines.push(' '.repeat(sideWidth) + gap + topTitle.padStart(Math.floor((tableWidth + topTitle.length) / 2)).padEnd(tableWidth));
  lines.push(sideTitle.padEnd(sideWidth) + gap + header);
  for (let i = 0; i < k; i++) {
    lines.push(names[i].padStart(sideWidth) + gap + cells[i].map((c, j) => c.padStart(colWidth[j])).join(gap));
  }
  return lines.map((l) => l.trimEnd()).join('\n');
}
