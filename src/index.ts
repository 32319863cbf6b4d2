// simdnet: neural networks in TypeScript on SIMD WebAssembly kernels.

export { ready, backendInfo, createBackend, createBackendSync, defaultBackend, shutdown } from './backend.js';
export type { Backend, BackendInfo, BackendKind, ReadyOptions } from './backend.js';
export { SimdnetError, ValidationError, NotFittedError, DivergenceError, ModelFormatError, FileError, BackendError, ThreadPoolError, KernelError, LifecycleError, setWarningHandler } from './errors.js';
export { writeFileAtomic, writeFileAtomicAsync, assertWritable } from './io/atomic.js';
export type { ConvergenceWarning } from './errors.js';
export { Arena, F32Buffer, ArenaError } from './memory/arena.js';
export { Rng } from './rng.js';

export { Sequential } from './nn/sequential.js';
export type { SequentialOptions, CompileOptions, LayerWeights, Evaluation, PredictOptions, SampleOptions, SampledPrediction } from './nn/sequential.js';
export type { SequentialJSON } from './nn/serialize.js';
export { dense, dropout, batchNorm } from './nn/layers.js';
export type { DenseOptions, LayerSpec, DenseSpec, DropoutSpec, BatchNormSpec } from './nn/layers.js';
export { ACTIVATIONS, HIDDEN_ACTIVATIONS } from './nn/activations.js';
export type { Trace, LayerTrace, TraceMatrix, TraceArray, TraceOptions, ParamLayout } from './nn/trace.js';
export { summaryStats } from './nn/statistics.js';
export type { ModelStatistics, LayerStatistics, StatisticsOptions } from './nn/statistics.js';
export type { Precision } from './nn/twin.js';
export { unroll, reshape } from './nn/unroll.js';
export { logSoftmax, softmaxJacobian } from './nn/softmax.js';
export type { TensorRecord, UnrollOptions, ReshapeTemplate } from './nn/unroll.js';
export type { ActivationName } from './nn/activations.js';
export { INITS } from './nn/init.js';
export type { BiasInitializer, InitName } from './nn/init.js';
export { LOSSES } from './nn/losses.js';
export type { LossName } from './nn/losses.js';
export {
  sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad, nadam, amsgrad, stepDecay, exponentialDecay, cosineDecay, learningRateAt, OPTIMIZERS,
} from './train/optimizers.js';
export type { OptimizerSpec, OptimizerName, Schedule, LearningRate } from './train/optimizers.js';
export type { FitOptions, History, EpochLogs, BatchLogs, EarlyStopping, EpochDiagnostics, LayerDiagnostics, LayerStats } from './train/fit.js';
export type { DataSource, ResumableSource, SourceBatch, SourceFitOptions } from './train/stream-fit.js';
export { readCheckpoint, encodeCheckpoint, decodeCheckpoint, CHECKPOINT_FORMAT } from './train/checkpoint.js';
export type { Checkpoint, CheckpointOptions, CheckpointRun, CheckpointSource } from './train/types.js';
export { gradientCheck } from './train/gradcheck.js';
export { trainingThroughput } from './train/progress.js';
export type { GradientCheckOptions, GradientCheckResult, TensorCheck } from './train/gradcheck.js';

export * from './metrics/index.js';
export * from './data/index.js';
export * from './report/index.js';
export * from './estimators/index.js';
