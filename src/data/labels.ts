// Class labels as users pass them: numbers (plain or typed arrays) or strings, never a mix.

import { ValidationError } from '../errors.js';

/** Class labels: numbers (plain or typed arrays of integers) or strings. */
export type Labels =
  | readonly number[]
  | readonly string[]
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Float64Array
  | Float32Array;

/** One class label. */
export type Label = number | string;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

/**
 * Checks `y` (non-empty unless allowEmpty; finite numbers — integers when `integers` — or strings,
 * never mixed) and returns its kind.
 */
export function checkLabels(y: unknown, argName: string, allowEmpty = false, integers = true): 'number' | 'string' {
  if (!Array.isArray(y) && !(ArrayBuffer.isView(y) && !(y instanceof DataView))) {
    throw new ValidationError(argName, `expected an array of labels (numbers or strings), got ${describe(y)}`);
  }
  const arr = y as ArrayLike<unknown>;
  if (arr.length === 0) {
    if (allowEmpty) return 'number';
    throw new ValidationError(argName, 'is empty, expected at least one label');
  }
  const kind = typeof arr[0];
  if (kind !== 'number' && kind !== 'string') {
    throw new ValidationError(argName, `${argName}[0] is ${describe(arr[0])}, expected a number or a string`);
  }
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== kind) {
      throw new ValidationError(argName, `${argName}[${i}] is ${describe(v)}, expected a ${kind} like ${argName}[0] (labels cannot mix numbers and strings)`);
    }
    if (kind === 'number' && !Number.isFinite(v as number)) {
      throw new ValidationError(argName, `${argName}[${i}] is ${v}, expected a finite number`);
    }
    if (kind === 'number' && integers && !Number.isInteger(v)) {
      throw new ValidationError(argName, `${argName}[${i}] is ${v}, expected an integer class label (or a string)`);
    }
  }
  return kind as 'number' | 'string';
}

/** Sorts labels: numbers numerically, strings by code unit (lexicographically). */
export function sortLabels<T extends Label>(labels: T[]): T[] {
  if (labels.length > 0 && typeof labels[0] === 'number') {
    return (labels as number[]).sort((a, b) => a - b) as T[];
  }
  return (labels as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) as T[];
}

/** The distinct values of the given label arrays, sorted. */
export function uniqueLabels(...ys: ArrayLike<Label>[]): Label[] {
  const seen = new Set<Label>();
  for (const y of ys) for (let i = 0; i < y.length; i++) seen.add(y[i]);
  return sortLabels([...seen]);
}

/** Checks that yTrue and yPred are valid, of the same kind and of the same length. */
export function checkLabelPair(yTrue: unknown, yPred: unknown, trueName = 'yTrue', predName = 'yPred'): 'number' | 'string' {
  const kt = checkLabels(yTrue, trueName);
  const kp = checkLabels(yPred, predName);
  const nt = (yTrue as ArrayLike<unknown>).length;
  const np = (yPred as ArrayLike<unknown>).length;
  if (nt !== np) {
    throw new ValidationError(predName, `has ${np} labels, expected ${nt} (the length of ${trueName})`);
  }
  if (kt !== kp) {
    throw new ValidationError(predName, `holds ${kp}s but ${trueName} holds ${kt}s`);
  }
  return kt;
}

/** Checks an explicit `labels` option: non-empty, no duplicates, of the given kind. */
export function checkLabelList(labels: unknown, kind: 'number' | 'string' | undefined, argName = 'labels'): Label[] {
  const k = checkLabels(labels, argName);
  if (kind !== undefined && k !== kind) {
    throw new ValidationError(argName, `holds ${k}s but the data holds ${kind}s`);
  }
  const list = Array.from(labels as ArrayLike<Label>);
  const seen = new Set<Label>();
  for (const l of list) {
    if (seen.has(l)) throw new ValidationError(argName, `lists ${describe(l)} twice`);
    seen.add(l);
  }
  return list;
}

/** Picks `y[idx[k]]` into an array of the same type as `y`. */
export function takeLabels<Y extends Labels>(y: Y, idx: ArrayLike<number>): Y {
  if (Array.isArray(y)) {
    const out = new Array(idx.length);
    for (let k = 0; k < idx.length; k++) out[k] = y[idx[k]];
    return out as unknown as Y;
  }
  const typed = y as Exclude<Labels, readonly number[] | readonly string[]>;
  const Ctor = typed.constructor as new (n: number) => typeof typed;
  const out = new Ctor(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = typed[idx[k]];
  return out as Y;
}

export function formatLabel(l: Label): string {
  return typeof l === 'string' ? l : String(l);
}
