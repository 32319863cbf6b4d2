// The fit loop's options, logs and history (the public types of fit() and fitSync()).

import type { MatrixLike } from '../data/matrix.js';
import type { ClassWeight } from '../data/weights.js';
import type { EpochDiagnostics } from '../nn/diagnostics.js';
import type { Trajectory, TrajectoryOptions } from './trajectory.js';
import type { TargetsLike } from '../nn/targets.js';
import type { LayerSpec } from '../nn/layers.js';
import type { StoredCompile } from '../nn/serialize.js';
import type { LayerWeights } from '../nn/params.js';

export type { EpochDiagnostics, LayerDiagnostics, LayerStats } from '../nn/diagnostics.js';

export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
  /** Seconds this epoch took. */
  time: number;
}

export interface BatchLogs { batch: number; size: number; loss: number }

export interface History {
  epoch: number[];
  loss: number[];
  accuracy: number[];
  valLoss: number[];
  valAccuracy: number[];
  learningRate: number[];
  /** Seconds per epoch. */
  time: number[];
  /** Training samples run in each epoch divided by its time (validation included); trainingThroughput() sums them up. */
  samplesPerSec: number[];
  diagnostics: EpochDiagnostics[];
  stoppedEarly: boolean;
  /** Epoch whose weights the model holds at the end (with restoreBestWeights), else the last. */
  bestEpoch: number;
  /** Training on a data source: seconds per epoch spent waiting for its batches (reading, parsing, encoding). */
  sourceTime?: number[];
  /** With fit({ trajectory }): the path of the parameters in the plane of their first two principal components. */
  trajectory?: Trajectory;
}

export interface EarlyStopping {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Default 'valLoss' when there is validation data, else 'loss'. */
  monitor?: 'loss' | 'valLoss' | 'accuracy' | 'valAccuracy';
  minDelta?: number;
  restoreBestWeights?: boolean;
}

export interface FitOptions {
  epochs?: number;
  /** Default 32; `batchSize: m` (or Infinity) is full-batch gradient descent. */
  batchSize?: number;
  /** Fraction of the rows held out (seeded random) for validation. */
  validationSplit?: number;
  validationData?: [MatrixLike, TargetsLike];
  shuffle?: boolean;
  /** Shuffling / split seed; default the model's seed. */
  seed?: number;
  callbacks?: {
    onEpochEnd?: (epoch: number, logs: EpochLogs) => void | boolean;
    /** Returning false stops training after this batch: the epoch ends with the batches run so far
     *  (its logs cover those batches), onEpochEnd is called, and fit returns. */
    onBatchEnd?: (batch: number, logs: BatchLogs) => void | boolean;
  };
  earlyStopping?: EarlyStopping;
  /** true/1: a progress bar on a TTY, one line per epoch otherwise. */
  verbose?: boolean | number;
  /** Per-layer activation and gradient statistics each epoch, in history.diagnostics. */
  diagnostics?: boolean;
  /** Parameter snapshots (epoch 0, every `every` epochs, the last), projected on their first two principal components, with the loss over that plane: history.trajectory. */
  trajectory?: boolean | TrajectoryOptions;
  /** fit() yields to the event loop at least this often (ms). Default 25. */
  yieldEvery?: number;
  /** Weights of the classes in the training loss: 'balanced' (n / (k·n_c)), one per class index, or by class index. The validation loss is not weighted. */
  classWeight?: ClassWeight;
  /** A weight per training row (times its class weight): loss = (1/m)·Σ w_i·loss_i. */
  sampleWeight?: ArrayLike<number>;
  /** Save the run's whole state every `every` epochs (to `path`, atomically, in Node; or to `onSave`), so that
   *  `resumeFrom` continues it bit for bit. @example { checkpoint: { path: 'run.ckpt', every: 5 } } */
  checkpoint?: CheckpointOptions;
  /** Continue the run a checkpoint holds (a path in Node, its bytes, or the object) up to `epochs`; the same
   *  data and options are needed, and a checkpoint of another model or run is refused. @example { epochs: 50, resumeFrom: 'run.ckpt' } */
  resumeFrom?: CheckpointSource;
}

/** What a checkpoint was written for; resuming checks each against the run. */
export interface CheckpointRun {
  /** Training rows (after validationSplit), features, outputs, batch size, shuffling. */
  rows: number;
  inputSize: number;
  outputs: number;
  batchSize: number;
  shuffle: boolean;
  /** Validation rows (0: none). */
  validationRows: number;
  /** CRC-32 of the training inputs, targets and row weights, then of the validation part. */
  dataCrc: number;
  earlyStopping: EarlyStopping | null;
  /** A fit on a data source (fit(source)): whether it validates on a source and its class weights.
   *  Its data is not known up front, so `rows` and `dataCrc` are 0 and it has no row order of its own. */
  stream?: { validation: boolean; classWeight: number[] | null };
}

/** The state of a fit run after `epoch` epochs, as plain data (structured-cloneable). @example const c = readCheckpoint('run.ckpt'); c.epoch */
export interface Checkpoint {
  format: 'simdnet.checkpoint';
  version: 1;
  model: { inputSize: number; seed: number; layers: LayerSpec[]; compile: StoredCompile };
  run: CheckpointRun;
  /** Epochs completed. */
  epoch: number;
  /** Training ended here (early stopping or a callback returning false): resuming runs no epoch. */
  stopped: boolean;
  history: History;
  /** getWeights(): parameters and layer state. */
  weights: LayerWeights[];
  /** The network's xoshiro128** stream (dropout, rrelu) and the shuffling stream. */
  rng: Uint32Array;
  shuffleRng: Uint32Array;
  /** The row order the next epoch shuffles further (it is shuffled in place). */
  permutation: Int32Array;
  optimizer: { type: string; step: number; moments: Float32Array[] };
  earlyStopping: { best: number; wait: number; bestEpoch: number; bestWeights: LayerWeights[] | null } | null;
  /** fit(source): where the training and validation sources are (a ResumableSource's state, e.g. a
   *  TableDataset's passes, which seed its shuffle buffer), or null for a source that has none. */
  source?: { train: number[] | null; validation: number[] | null };
}

/** fit()'s checkpoint option. */
export interface CheckpointOptions {
  /** Write the checkpoint here (Node), atomically: a kill mid-write leaves the previous one. */
  path?: string;
  /** Every this many epochs (default 1); the last epoch, and one where training stops, always write. */
  every?: number;
  /** Called with each checkpoint (browsers: IndexedDB, a download); fit() awaits a returned promise. */
  onSave?: (checkpoint: Checkpoint) => void | Promise<void>;
}

/** What fit({ resumeFrom }) takes: a checkpoint file's path (Node), its bytes, or the object. */
export type CheckpointSource = string | Uint8Array | ArrayBuffer | Checkpoint;
