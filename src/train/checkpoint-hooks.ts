// The fit loop's door to checkpoints: the implementation (src/train/checkpoint.ts) installs itself
// here when it is loaded. Node's entry loads it; the main browser bundle leaves it out (its size
// budget) and simdnet/checkpoint brings it. Without it, asking for a checkpoint says what to import.

import { ValidationError } from '../errors.js';
import type { Matrix } from '../data/matrix.js';
import type { LayerWeights } from '../nn/params.js';
import type { Targets } from '../nn/targets.js';
import type { Rng } from '../rng.js';
import type { TrainingSession } from './session.js';
import type { Checkpoint, CheckpointOptions, CheckpointRun, CheckpointSource, EarlyStopping, History } from './types.js';

/** The loop's carried state that is not in the network or the optimizer (fit.ts owns it). */
export interface LoopState {
  epoch: number;
  stopped: boolean;
  history: History;
  shuffleRng: Rng;
  perm: Int32Array;
  best: number;
  wait: number;
  bestEpoch: number;
  bestWeights: LayerWeights[] | undefined;
  /** fit(source): the sources' states, taken before a checkpoint is captured and given back by restore. */
  sources?: Checkpoint['source'];
}

export interface CheckedCheckpointOptions { every: number; path?: string; onSave?: CheckpointOptions['onSave'] }

export interface CheckpointSupport {
  options(o: CheckpointOptions): CheckedCheckpointOptions;
  read(source: CheckpointSource, what?: string): Checkpoint;
  describe(M: Matrix, T: Targets, W: Float32Array | undefined, val: [Matrix, Targets] | undefined, batchSize: number, shuffle: boolean, es: EarlyStopping | undefined): CheckpointRun;
  describeSource(inputSize: number, outputs: number, batchSize: number, validation: boolean, classWeight: ArrayLike<number> | undefined, es: EarlyStopping | undefined): CheckpointRun;
  capture(session: TrainingSession, model: Checkpoint['model'], run: CheckpointRun, s: LoopState): Checkpoint;
  /** `check` refuses what only the caller can judge, after the checkpoint's own checks and before anything is written. */
  restore(session: TrainingSession, model: Checkpoint['model'], run: CheckpointRun, c: Checkpoint, s: LoopState, check?: (c: Checkpoint) => void): void;
  save(c: Checkpoint, o: CheckedCheckpointOptions, sync: boolean): Promise<void> | undefined;
}

let support: CheckpointSupport | undefined;

/** @internal Called once by src/train/checkpoint.ts. */
export function installCheckpoints(s: CheckpointSupport): void {
  support = s;
}

export function checkpointSupport(arg: string): CheckpointSupport {
  if (support) return support;
  throw new ValidationError(arg, "checkpoints come with the simdnet/checkpoint module, which this bundle leaves out: import 'simdnet/checkpoint' once before fit");
}
