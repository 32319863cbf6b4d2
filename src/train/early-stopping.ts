// Early stopping's rule for one epoch, shared by the in-memory fit loop (fit.ts) and the streamed one (stream-fit.ts).
import { readWeights, type LayerWeights } from '../nn/params.js';
import type { FitOptions } from './types.js';

/** What early stopping carries from epoch to epoch. */
export interface StopState { best: number; wait: number; bestEpoch: number; bestWeights: LayerWeights[] | undefined }

/** A monitored value better than the best by more than minDelta resets the wait (and, with restoreBestWeights,
 *  keeps the weights); anything else, a missing value included, waits one more epoch. True once the wait passes
 *  patience. */
export function earlyStoppingEpoch(
  es: NonNullable<FitOptions['earlyStopping']>, s: StopState, value: number | undefined, higherBetter: boolean,
  epoch: number, net: Parameters<typeof readWeights>[0],
): boolean {
  const delta = es.minDelta ?? 0;
  if (value !== undefined && (higherBetter ? value > s.best + delta : value < s.best - delta)) {
    s.best = value;
    s.wait = 0;
    if (es.restoreBestWeights) { s.bestWeights = readWeights(net); s.bestEpoch = epoch; }
    return false;
  }
  return ++s.wait > es.patience;
}
