// Entry of the browser bundle (dist/browser/simdnet.js): the whole public API, the worker helper
// and the on-demand digits data.

export * from '../index.js';
export { trainInWorker } from './client.js';
export type { TrainInWorkerOptions, TrainInWorkerResult, WorkerTraining } from './client.js';
export type { BatchProgress, StoppedAt, WorkerProgress, WorkerFitOptions } from './protocol.js';
export { preloadDigits } from './digits-lazy.js';
export { makeToyDataset, TOY_DATASETS } from './toy.js';
export type { ToyDatasetName } from './toy.js';
export { downsampleDigit } from './draw.js';
/** @internal simdnet.checkpoint.js (simdnet/checkpoint) installs the checkpoint implementation through this. */
export { installCheckpoints } from '../train/checkpoint-hooks.js';
