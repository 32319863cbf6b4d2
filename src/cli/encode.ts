// Labels ↔ class indices and the scaler, shared by train, evaluate and predict.

import { sortLabels, type Label } from '../data/labels.js';
import { DataError, type LoadedData } from './data.js';

export interface ClassInfo {
  classes: Label[];
  classNames: string[];
}

/** The classes of training data: bundled sets keep their own names, others their sorted label values. */
export function classesOf(d: LoadedData): ClassInfo {
  if (!d.y) throw new DataError(`${d.source}: has no labels to train on`);
  if (d.kind === 'bundled' && d.classNames) return { classes: d.classNames.map((_, i) => i), classNames: d.classNames.slice() };
  const classes = sortLabels([...new Set<Label>(d.y)]);
  return { classes, classNames: classes.map(String) };
}

/** Class index of each label; a label the model never saw is an error naming it. */
export function encodeLabels(y: readonly Label[], classes: readonly Label[], source: string): Int32Array {
  const index = new Map<string, number>();
  classes.forEach((c, i) => index.set(key(c), i));
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const c = index.get(key(y[i]!));
    if (c === undefined) {
      throw new DataError(`${source}: row ${i + 1} has label ${JSON.stringify(y[i])}, which the model was not trained on (classes: ${classes.slice(0, 12).map((l) => JSON.stringify(l)).join(', ')}${classes.length > 12 ? ', ...' : ''})`);
    }
    out[i] = c;
  }
  return out;
}

// Numeric labels may come back as numbers from a CSV and from JSON alike; compare by value.
function key(l: Label): string {
  return typeof l === 'number' ? `n:${l}` : `s:${l}`;
}
