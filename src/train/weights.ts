// The row weights of a training run, from FitOptions.classWeight and sampleWeight: each row's
// class weight (its class from the targets: an index, or 0/1 for one sigmoid output) times its
// sample weight. None given: undefined, and training runs the unweighted kernels.

import { classWeights, sampleWeights } from '../data/weights.js';
import { ValidationError } from '../errors.js';
import type { Targets } from '../nn/targets.js';
import type { FitOptions } from './types.js';

export function rowWeights(options: FitOptions, T: Targets, rows: number): Float32Array | undefined {
  if (options.classWeight === undefined && options.sampleWeight === undefined) return undefined;
  let perClass: Float64Array | undefined;
  if (options.classWeight !== undefined) {
    if (!T.labels) throw new ValidationError('classWeight', 'needs class targets (a softmax or a single sigmoid output); this model has none');
    const k = T.Y.cols === 1 ? 2 : T.Y.cols;
    perClass = classWeights(T.labels, k, options.classWeight, 'classWeight');
  }
  return sampleWeights(T.labels, rows, perClass, options.sampleWeight, 'sampleWeight');
}
