// Label encodings: one-hot rows for integer classes, and LabelEncoder between any labels and 0..k−1.

import { ModelFormatError, NotFittedError, ValidationError } from '../errors.js';
import { checkLabels, sortLabels, uniqueLabels, type Label, type Labels } from './labels.js';
import type { Matrix } from './matrix.js';

/**
 * One-hot rows: row i has a 1 in column labels[i]. Labels must be integers in [0, numClasses);
 * numClasses defaults to max(labels) + 1. (Encode strings with LabelEncoder first.)
 * @example oneHot([0, 2, 1]); // 3 × 3: [1,0,0], [0,0,1], [0,1,0]
 */
export function oneHot(labels: Labels, numClasses?: number): Matrix {
  const kind = checkLabels(labels, 'labels');
  if (kind === 'string') {
    throw new ValidationError('labels', 'holds strings; oneHot needs integer classes 0..k−1 (encode them with LabelEncoder first)');
  }
  const y = labels as ArrayLike<number>;
  let max = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0) throw new ValidationError('labels', `labels[${i}] is ${y[i]}, expected a class index ≥ 0`);
    if (y[i] > max) max = y[i];
  }
  const k = numClasses ?? max + 1;
  if (!Number.isInteger(k) || k < 1) throw new ValidationError('numClasses', `expected a positive integer, got ${String(numClasses)}`);
  const out = new Float32Array(y.length * k);
  for (let i = 0; i < y.length; i++) {
    if (y[i] >= k) throw new ValidationError('labels', `labels[${i}] is ${y[i]}, expected a class index < numClasses = ${k}`);
    out[i * k + y[i]] = 1;
  }
  return { data: out, rows: y.length, cols: k };
}

export interface LabelEncoderJSON {
  type: 'LabelEncoder';
  classes: Label[];
}

/**
 * Maps labels to codes 0..k−1 in sorted class order (numbers numerically, strings
 * lexicographically) and back.
 * @example const enc = new LabelEncoder().fit(['b', 'a', 'b']); enc.transform(['a', 'b']); // Int32Array [0, 1]
 */
export class LabelEncoder {
  private classList: Label[] | undefined;
  private index = new Map<Label, number>();

  /** The sorted classes (a copy); undefined before fit. */
  get classes(): number[] | string[] | undefined {
    return this.classList && (this.classList.slice() as number[] | string[]);
  }

  /** Learns the sorted distinct labels. @example new LabelEncoder().fit(y) */
  fit(y: Labels): this {
    checkLabels(y, 'y', false, false);
    this.setClasses(uniqueLabels(y as ArrayLike<Label>));
    return this;
  }

  private setClasses(classes: Label[]): void {
    this.classList = classes;
    this.index = new Map(classes.map((c, i) => [c, i]));
  }

  /** Codes of `y`; an unseen label is an error naming it. @example enc.transform(['a']) */
  transform(y: Labels): Int32Array {
    if (!this.classList) throw new NotFittedError('LabelEncoder is not fitted yet: call fit(y) before transform(y)');
    checkLabels(y, 'y', true, false);
    const out = new Int32Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const c = this.index.get(y[i]);
      if (c === undefined) {
        const shown = this.classList.slice(0, 20).map((l) => JSON.stringify(l)).join(', ');
        throw new ValidationError('y', `y[${i}] is ${JSON.stringify(y[i])}, a label not seen by fit (classes: ${shown}${this.classList.length > 20 ? ', ...' : ''})`);
      }
      out[i] = c;
    }
    return out;
  }

  /** fit(y) then transform(y). @example const codes = new LabelEncoder().fitTransform(y); */
  fitTransform(y: Labels): Int32Array {
    return this.fit(y).transform(y);
  }

  /** Labels of codes 0..k−1. @example enc.inverseTransform([1, 0]) // ['b', 'a'] */
  inverseTransform(codes: ArrayLike<number>): number[] | string[] {
    if (!this.classList) throw new NotFittedError('LabelEncoder is not fitted yet: call fit(y) before inverseTransform');
    const k = this.classList.length;
    const out: Label[] = new Array(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (!Number.isInteger(c) || c < 0 || c >= k) {
        throw new ValidationError('codes', `codes[${i}] is ${c}, expected an integer in [0, ${k})`);
      }
      out[i] = this.classList[c];
    }
    return out as number[] | string[];
  }

  /** A plain object for JSON.stringify. @example JSON.stringify(enc) */
  toJSON(): LabelEncoderJSON {
    if (!this.classList) throw new NotFittedError('LabelEncoder is not fitted yet: nothing to save');
    return { type: 'LabelEncoder', classes: this.classList.slice() };
  }

  /** Rebuilds a fitted encoder. @example LabelEncoder.fromJSON(JSON.parse(text)) */
  static fromJSON(json: unknown): LabelEncoder {
    const o = json as { type?: unknown; classes?: unknown };
    if (typeof o !== 'object' || o === null || o.type !== 'LabelEncoder') {
      throw new ModelFormatError('expected a LabelEncoder JSON object with type "LabelEncoder"');
    }
    try {
      checkLabels(o.classes, 'classes', false, false);
    } catch (e) {
      throw new ModelFormatError(`LabelEncoder JSON: ${(e as Error).message}`);
    }
    const classes = (o.classes as Label[]).slice();
    const sorted = sortLabels(classes.slice());
    if (new Set(classes).size !== classes.length || sorted.some((c, i) => c !== classes[i])) {
      throw new ModelFormatError('LabelEncoder JSON: "classes" must be sorted and distinct');
    }
    const enc = new LabelEncoder();
    enc.setClasses(classes);
    return enc;
  }
}
