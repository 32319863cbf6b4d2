// Messages between trainInWorker() (client.ts, the page) and the worker entry (worker.ts).
// Everything here survives structured cloning: no functions, typed arrays and plain objects only.

import type { BackendInfo, ReadyOptions } from '../backend.js';
import type { Matrix } from '../data/matrix.js';
import type { Labels } from '../data/labels.js';
import type { LayerSpec } from '../nn/layers.js';
import type { CompileOptions } from '../nn/sequential.js';
import type { SequentialJSON } from '../nn/serialize.js';
import type { FitOptions, History } from '../train/fit.js';
import type { Checkpoint } from '../train/types.js';

/** fit() options that can cross to a worker (callbacks stay on the page: use onProgress, onCheckpoint). */
export type WorkerFitOptions = Omit<FitOptions, 'callbacks' | 'verbose' | 'validationData' | 'checkpoint' | 'resumeFrom'> & {
  validationData?: [Matrix, Labels | Matrix];
  checkpoint?: WorkerCheckpointOptions;
  resumeFrom?: WorkerResumeSource;
};

/** fit's checkpoint option as it crosses to a worker: no path (no file system), no onSave (a function does not cross). */
export interface WorkerCheckpointOptions {
  /** Every this many epochs (default 1); the last epoch, and one where training stops, always write. */
  every?: number;
  /** Stores each checkpoint in IndexedDB under this key, as saveCheckpointToIndexedDB does (one transaction, strict durability). */
  indexedDB?: string;
}

/** What a worker fit resumes from: the checkpoint's bytes, the object, or its IndexedDB key (nothing stored there: a fresh start). */
export type WorkerResumeSource = Uint8Array | ArrayBuffer | Checkpoint | { indexedDB: string };

export interface TrainRequest {
  type: 'train';
  X: Matrix;
  y: Labels | Matrix;
  layers: LayerSpec[];
  seed?: number;
  compile?: CompileOptions;
  fit?: WorkerFitOptions;
  /** How the worker loads its backend; `wasm` may be a URL prefix, bytes or a compiled Module. */
  ready?: ReadyOptions;
  /** Rows predicted after every epoch (e.g. a grid over a 2-D plane); their outputs come with each progress. */
  probe?: Matrix;
  /** Minimum ms between two batch progress messages (default 100). */
  batchProgressEvery?: number;
}

export interface StopRequest { type: 'stop' }

export interface WorkerProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
  /** Seconds the epoch took. */
  time: number;
  /** Training samples per second in this epoch. */
  samplesPerSec: number;
  /** Model outputs (rows × outputs, row-major) on the probe rows, when a probe was given. */
  probe?: Float32Array;
}

/** Progress inside an epoch, at most every `batchProgressEvery` ms (default 100). */
export interface BatchProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch, and in all. */
  batch: number;
  batches: number;
  /** Mean loss over the batches done in this epoch. */
  loss: number;
  /** Training samples per second in this epoch so far. */
  samplesPerSec: number;
}

/** Where training stopped on a stop(): the epoch (1-based) and how many of its batches ran. */
export interface StoppedAt { epoch: number; batch: number; batches: number }

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'progress'; progress: WorkerProgress }
  | { type: 'batch'; progress: BatchProgress }
  | { type: 'checkpoint'; epoch: number; bytes: Uint8Array }
  | { type: 'done'; modelJson: SequentialJSON; history: History; stopped?: StoppedAt; resumedFrom?: number }
  | { type: 'error'; name: string; message: string };
