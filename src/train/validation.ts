// validationSplit: a seeded random part of the rows held out, both parts kept in row order.

import type { Matrix } from '../data/matrix.js';
import { ValidationError } from '../errors.js';
import type { Targets } from '../nn/targets.js';
import { Rng } from '../rng.js';

export function splitValidation(M: Matrix, T: Targets, fraction: number, seed: number, w?: Float32Array): { train: [Matrix, Targets]; val: [Matrix, Targets]; trainWeights?: Float32Array } {
  const n = M.rows;
  const nVal = Math.round(n * fraction);
  if (nVal < 1 || nVal >= n) throw new ValidationError('validationSplit', `${fraction} of ${n} rows leaves ${nVal} for validation and ${n - nVal} for training; both need at least 1`);
  const perm = new Int32Array(n).map((_, i) => i);
  new Rng((seed ^ 0x5bd1e995) >>> 0).shuffle(perm);
  const take = (idx: Int32Array): [Matrix, Targets] => {
    const d = M.cols;
    const K = T.Y.cols;
    const X = new Float32Array(idx.length * d);
    const Y = new Float32Array(idx.length * K);
    const labels = T.labels ? new Int32Array(idx.length) : undefined;
    idx.forEach((r, i) => {
      X.set(M.data.subarray(r * d, (r + 1) * d), i * d);
      Y.set(T.Y.data.subarray(r * K, (r + 1) * K), i * K);
      if (labels) labels[i] = T.labels![r]!;
    });
    return [{ data: X, rows: idx.length, cols: d }, { Y: { data: Y, rows: idx.length, cols: K }, labels }];
  };
  const sortedVal = perm.slice(0, nVal).sort();
  const sortedTrain = perm.slice(nVal).sort();
  return { train: take(sortedTrain), val: take(sortedVal), trainWeights: w && Float32Array.from(sortedTrain, (r) => w[r]!) };
}
