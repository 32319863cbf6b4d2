// trainInWorker(): the page side of worker.ts. Posts the data and the model configuration to a
// module worker, hands every epoch's progress to the onProgress listeners and resolves with the
// trained model as JSON and the history, so the page's main thread never runs a training step.

import type { BackendInfo, ReadyOptions } from '../backend.js';
import { SimdnetError, ValidationError } from '../errors.js';
import { toMatrix, type Matrix, type MatrixLike } from '../data/matrix.js';
import type { Labels } from '../data/labels.js';
import type { LayerSpec } from '../nn/layers.js';
import type { CompileOptions } from '../nn/sequential.js';
import type { SequentialJSON } from '../nn/serialize.js';
import type { History } from '../train/fit.js';
import type { BatchProgress, FromWorker, StoppedAt, TrainRequest, WorkerFitOptions, WorkerProgress } from './protocol.js';

// Set by the browser build: which bundle this is (simdnet.js or simdnet.inline.js); undeclared elsewhere.
declare const __SIMDNET_BUNDLE__: 'main' | 'inline';

export interface TrainInWorkerOptions {
  X: MatrixLike;
  /** Class labels (0..k−1) or a target matrix. */
  y: Labels | MatrixLike;
  layers: LayerSpec[];
  seed?: number;
  compile?: CompileOptions;
  fit?: Omit<WorkerFitOptions, 'validationData'> & { validationData?: [MatrixLike, Labels | MatrixLike] };
  /** Backend options for the worker (e.g. `{ wasm: 'https://cdn.example/simdnet/' }`). */
  ready?: ReadyOptions;
  /** Rows predicted after every epoch; their outputs arrive in progress.probe (decision regions). */
  probe?: MatrixLike;
  /** The worker script; default simdnet.worker.js beside the bundle. */
  workerUrl?: string | URL;
  /** Minimum ms between two onBatchProgress calls (default 100). */
  batchProgressEvery?: number;
}

export interface TrainInWorkerResult {
  modelJson: SequentialJSON;
  history: History;
  backend: BackendInfo;
  /** Set when stop() ended training: the epoch (1-based) and how many of its batches ran. */
  stopped?: StoppedAt;
  /** Set when fit.resumeFrom gave a checkpoint: the epochs it had done. */
  resumedFrom?: number;
}

export interface WorkerTraining {
  /** Adds a listener called once per epoch; returns the handle for chaining. */
  onProgress(listener: (progress: WorkerProgress) => void): WorkerTraining;
  /** Adds a listener called during an epoch (throttled, see batchProgressEvery); returns the handle. */
  onBatchProgress(listener: (progress: BatchProgress) => void): WorkerTraining;
  /** With fit.checkpoint: a listener given each checkpoint's bytes (the file format) and its epochs done, after its IndexedDB write; returns the handle. */
  onCheckpoint(listener: (bytes: Uint8Array, epoch: number) => void): WorkerTraining;
  /** Resolves when training ends (also after stop()); rejects on an error or terminate(). */
  result: Promise<TrainInWorkerResult>;
  /** Asks the worker to stop after the batch it is on and return the model as it is (result.stopped says where). */
  stop(): void;
  /** Kills the worker at once; result rejects. */
  terminate(): void;
}

const WORKER_OPTIONS: WorkerOptions = { type: 'module', name: 'simdnet-trainer' };

/** The worker beside the bundle: `new Worker(new URL('<literal>', import.meta.url), …)`, the shape Vite and webpack bundle. */
function startWorker(url: string | URL | undefined): Worker {
  if (url !== undefined) return new Worker(url, WORKER_OPTIONS);
  if (typeof __SIMDNET_BUNDLE__ !== 'string') {
    throw new SimdnetError('trainInWorker: pass workerUrl (the default, simdnet.worker.js beside the bundle, exists only in the browser build)');
  }
  return __SIMDNET_BUNDLE__ === 'inline'
    ? new Worker(new URL('./simdnet.inline.worker.js', import.meta.url), { type: 'module', name: 'simdnet-trainer' })
    : new Worker(new URL('./simdnet.worker.js', import.meta.url), { type: 'module', name: 'simdnet-trainer' });
}

function targets(y: Labels | MatrixLike, arg: string): Labels | Matrix {
  const isLabelVector = ArrayBuffer.isView(y) ? !('rows' in (y as object)) : Array.isArray(y) && !Array.isArray(y[0]);
  return isLabelVector ? (y as Labels) : toMatrix(y as MatrixLike, arg);
}

/**
 * Trains a Sequential model in a Web Worker and streams its progress.
 * @example const t = trainInWorker({ X, y, layers: [dense(32, { activation: 'relu' }), dense(10, { activation: 'softmax' })], fit: { epochs: 20 } }).onProgress((p) => console.log(p.epoch, p.loss)); const { modelJson } = await t.result;
 */
export function trainInWorker(options: TrainInWorkerOptions): WorkerTraining {
  const X = toMatrix(options.X, 'X');
  const fit = options.fit ? { ...options.fit } : undefined;
  // A function does not survive postMessage (the rest of fit.checkpoint / resumeFrom is checked in the worker).
  if (typeof (fit?.checkpoint as { onSave?: unknown } | undefined)?.onSave === 'function') {
    throw new ValidationError('fit.checkpoint.onSave', 'a function does not reach the worker: listen with onCheckpoint((bytes) => …), or give checkpoint.indexedDB a key');
  }
  let fitOut: WorkerFitOptions | undefined = fit as WorkerFitOptions | undefined;
  if (fit?.validationData) {
    const [vx, vy] = fit.validationData;
    fitOut = { ...fit, validationData: [toMatrix(vx, 'fit.validationData[0]'), targets(vy, 'fit.validationData[1]')] };
  }
  const request: TrainRequest = {
    type: 'train',
    X,
    y: targets(options.y, 'y'),
    layers: options.layers,
    seed: options.seed,
    compile: options.compile,
    fit: fitOut,
    ready: options.ready,
    probe: options.probe ? toMatrix(options.probe, 'probe') : undefined,
    batchProgressEvery: options.batchProgressEvery,
  };
  const worker = startWorker(options.workerUrl);
  const listeners: ((p: WorkerProgress) => void)[] = [];
  const batchListeners: ((p: BatchProgress) => void)[] = [];
  const checkpointListeners: ((bytes: Uint8Array, epoch: number) => void)[] = [];
  let backend: BackendInfo | undefined;
  let settle: { resolve(r: TrainInWorkerResult): void; reject(e: Error): void };
  const result = new Promise<TrainInWorkerResult>((resolve, reject) => { settle = { resolve, reject }; });
  let finished = false;
  const finish = (): void => { finished = true; worker.terminate(); };
  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    if (msg.type === 'ready') backend = msg.backend;
    else if (msg.type === 'progress') for (const l of listeners) l(msg.progress);
    else if (msg.type === 'batch') for (const l of batchListeners) l(msg.progress);
    else if (msg.type === 'checkpoint') for (const l of checkpointListeners) l(msg.bytes, msg.epoch);
    else if (msg.type === 'done') {
      finish();
      const { modelJson, history, stopped, resumedFrom } = msg;
      settle.resolve({ modelJson, history, backend: backend!, ...(stopped ? { stopped } : {}), ...(resumedFrom !== undefined ? { resumedFrom } : {}) });
    }
    else if (msg.type === 'error') {
      finish();
      // The worker's error, rebuilt on this side with its name (ValidationError, DivergenceError...).
      const err = new SimdnetError(msg.message);
      err.name = msg.name;
      settle.reject(err);
    }
  });
  worker.addEventListener('error', (e: ErrorEvent) => {
    if (finished) return;
    finish();
    settle.reject(new SimdnetError(`trainInWorker: the worker failed to start or crashed: ${e.message || 'could not load the worker script'}`));
  });
  result.catch(() => undefined); // a caller that never awaits result should not see an unhandled rejection
  worker.postMessage(request);
  const handle: WorkerTraining = {
    onProgress(listener) { listeners.push(listener); return handle; },
    onBatchProgress(listener) { batchListeners.push(listener); return handle; },
    onCheckpoint(listener) { checkpointListeners.push(listener); return handle; },
    result,
    stop() { if (!finished) worker.postMessage({ type: 'stop' }); },
    terminate() {
      if (finished) return;
      finish();
      settle.reject(new SimdnetError('trainInWorker: terminated'));
    },
  };
  return handle;
}
