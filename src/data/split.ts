// Train/test splits and k-fold cross-validation indices, optionally stratified by class, seeded.

import { ValidationError } from '../errors.js';
import { checkLabels, takeLabels, uniqueLabels, type Label, type Labels } from './labels.js';
import { takeRows, toMatrix, type Matrix, type MatrixLike } from './matrix.js';
import { splitRandom, type SplitRandom } from './random.js';

export interface TrainTestSplitOptions {
  /** Fraction of the samples in (0, 1) (rounded up) or a count ≥ 1 for the test set. Default 0.25. */
  testSize?: number;
  /** Keep class proportions: true stratifies by y, or pass the labels to stratify by. */
  stratify?: Labels | boolean;
  /** Shuffle before splitting (default true). Without shuffling the test set is the last rows. */
  shuffle?: boolean;
  /** Seed for the shuffle (default: random). */
  seed?: number;
}

export interface TrainTestSplit<Y> {
  XTrain: Matrix;
  XTest: Matrix;
  yTrain: Y;
  yTest: Y;
}

/** Splits n by class into per-class counts of `draws` as close to proportional as possible. */
function proportionalCounts(classCounts: number[], draws: number, rng: SplitRandom): number[] {
  const n = classCounts.reduce((a, b) => a + b, 0);
  const exact = classCounts.map((c) => (draws * c) / n);
  const out = exact.map(Math.floor);
  let left = draws - out.reduce((a, b) => a + b, 0);
  // Largest remainders first; equal remainders in random order so no class is always favoured.
  const order = classCounts.map((_, i) => i);
  rng.shuffle(order);
  order.sort((a, b) => (exact[b] - out[b]) - (exact[a] - out[a]));
  for (const i of order) {
    if (left === 0) break;
    if (out[i] < classCounts[i]) { out[i]++; left--; }
  }
  return out;
}

function groupByClass(labels: ArrayLike<Label>): { classes: Label[]; members: number[][] } {
  const classes = uniqueLabels(labels);
  const index = new Map<Label, number>(classes.map((c, i) => [c, i]));
  const members: number[][] = classes.map(() => []);
  for (let i = 0; i < labels.length; i++) members[index.get(labels[i])!].push(i);
  return { classes, members };
}

/**
 * Splits X and y into train and test parts; with `stratify` each class keeps its proportion
 * (test count per class ≈ testSize·n_c, total ⌈testSize·n⌉). X comes back as Matrix, y as its own type.
 * @example const { XTrain, XTest, yTrain, yTest } = trainTestSplit(X, y, { testSize: 0.2, stratify: true, seed: 42 });
 */
export function trainTestSplit<Y extends Labels>(X: MatrixLike, y: Y, options: TrainTestSplitOptions = {}): TrainTestSplit<Y> {
  const M = toMatrix(X, 'X');
  checkLabels(y, 'y', false, false);
  const n = M.rows;
  if (y.length !== n) throw new ValidationError('y', `has ${y.length} labels, expected ${n} (one per row of X)`);
  const testSize = options.testSize ?? 0.25;
  let nTest: number;
  if (typeof testSize === 'number' && testSize > 0 && testSize < 1) nTest = Math.ceil(testSize * n);
  else if (typeof testSize === 'number' && Number.isInteger(testSize) && testSize >= 1) nTest = testSize;
  else throw new ValidationError('testSize', `expected a fraction in (0, 1) or a whole count ≥ 1, got ${String(testSize)}`);
  const nTrain = n - nTest;
  if (nTrain < 1) {
    throw new ValidationError('testSize', `${testSize} leaves ${nTrain} of the ${n} samples for training, expected at least 1`);
  }
  const shuffle = options.shuffle ?? true;
  const rng = splitRandom(options.seed);

  let strat: Labels | undefined;
  if (options.stratify === true) strat = y;
  else if (options.stratify !== undefined && options.stratify !== false) {
    checkLabels(options.stratify, 'stratify', false, false);
    if (options.stratify.length !== n) {
      throw new ValidationError('stratify', `has ${options.stratify.length} labels, expected ${n} (one per row of X)`);
    }
    strat = options.stratify;
  }

  let train: number[];
  let test: number[];
  if (strat) {
    if (!shuffle) throw new ValidationError('stratify', 'a stratified split needs shuffle: true');
    const { classes, members } = groupByClass(strat as ArrayLike<Label>);
    const small = members.findIndex((m) => m.length < 2);
    if (small >= 0) {
      throw new ValidationError('stratify', `class ${JSON.stringify(classes[small])} has only 1 sample, a stratified split needs at least 2 per class`);
    }
    if (nTest < classes.length || nTrain < classes.length) {
      throw new ValidationError('testSize', `gives ${nTest} test and ${nTrain} train samples, each must be at least the number of classes (${classes.length})`);
    }
    const testCounts = proportionalCounts(members.map((m) => m.length), nTest, rng);
    train = [];
    test = [];
    members.forEach((m, c) => {
      const perm = rng.shuffle(m.slice());
      for (let k = 0; k < perm.length; k++) (k < testCounts[c] ? test : train).push(perm[k]);
    });
    rng.shuffle(train);
    rng.shuffle(test);
  } else {
    const order = Array.from({ length: n }, (_, i) => i);
    if (shuffle) {
      rng.shuffle(order);
      test = order.slice(0, nTest);
      train = order.slice(nTest);
    } else {
      train = order.slice(0, nTrain);
      test = order.slice(nTrain);
    }
  }
  return {
    XTrain: takeRows(M, train),
    XTest: takeRows(M, test),
    yTrain: takeLabels(y, train),
    yTest: takeLabels(y, test),
  };
}

export interface KFoldOptions {
  /** Number of folds (default 5). */
  k?: number;
  /** Shuffle the indices before cutting folds (default false). */
  shuffle?: boolean;
  /** Seed for the shuffle. */
  seed?: number;
  /** Labels to stratify by: every fold gets each class in about the same proportion. */
  stratify?: Labels;
}

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Indices for k-fold cross-validation: every index is in exactly one test fold; fold sizes differ
 * by at most one. Indices within a fold are ascending.
 * @example for (const { train, test } of kFold(100, { k: 5, shuffle: true, seed: 1 })) { ... }
 */
export function kFold(n: number, options: KFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  if (!Number.isInteger(n) || n < 2) throw new ValidationError('n', `expected an integer ≥ 2 samples, got ${String(n)}`);
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new ValidationError('k', `expected an integer in [2, n = ${n}], got ${String(k)}`);
  }
  const shuffle = options.shuffle ?? false;
  const rng = splitRandom(options.seed);
  const foldOf = new Int32Array(n);
  if (options.stratify !== undefined) {
    checkLabels(options.stratify, 'stratify', false, false);
    if (options.stratify.length !== n) {
      throw new ValidationError('stratify', `has ${options.stratify.length} labels, expected n = ${n}`);
    }
    const { members } = groupByClass(options.stratify as ArrayLike<Label>);
    // Deal the samples, class after class, round-robin onto the folds.
    let p = 0;
    for (const m of members) {
      const list = shuffle ? rng.shuffle(m.slice()) : m;
      for (const i of list) foldOf[i] = p++ % k;
    }
  } else {
    const order = Array.from({ length: n }, (_, i) => i);
    if (shuffle) rng.shuffle(order);
    const base = Math.floor(n / k);
    const extra = n % k;
    let p = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let s = 0; s < size; s++) foldOf[order[p++]] = f;
    }
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? test : train).push(i);
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return folds;
}
