// Column pipelines: type inference, imputation, one-hot, scaling and date expansion for raw tables.

export { ColumnPipeline, BoundPipeline, planColumns, PIPELINE_FORMAT, PIPELINE_VERSION } from './pipeline.js';
export type { PipelineOptions, PipelineJSON, ColumnNote } from './pipeline.js';
export type {
  ColumnJSON, NumericColumnJSON, CategoricalColumnJSON, BooleanColumnJSON, DateColumnJSON, DatePartJSON, DroppedColumnJSON,
} from './encoders.js';
export { COLUMN_TYPES, inferColumn, inferTask } from './infer.js';
export type { ColumnType, Inferred } from './infer.js';
export { IMPUTERS, SCALERS } from './fitting.js';
export type { Imputer, Scaler } from './fitting.js';
export { TableStats, ColumnStats, NumericStats } from './stats.js';
export { QuantileSketch } from './sketch.js';
export { DATE_PARTS, parseDate } from './dates.js';
export type { DatePart, DateFormat } from './dates.js';
export { Target } from './target.js';
export type { Task, TargetJSON, ClassificationTargetJSON, RegressionTargetJSON } from './target.js';
export { prepareTable, labelColumn } from './prepare.js';
export type { PrepareOptions, Prepared, LabelInfo } from './prepare.js';
