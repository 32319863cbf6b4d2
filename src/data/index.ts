// Data handling: matrices, CSV and IDX readers, bundled data sets, scalers, encoders, splits.

export { toMatrix, fromRows, getRow, matrixToArrays, zerosMatrix, takeRows, argmaxAt, argmaxRows } from './matrix.js';
export type { Matrix, MatrixLike, ShapedArray } from './matrix.js';
export type { Label, Labels } from './labels.js';
export { parseCsv, readCsv } from './csv.js';
export type { CsvOptions, CsvData } from './csv.js';
export { readIdx, readIdxImages, readIdxLabels } from './idx.js';
export type { IdxArray, IdxData, IdxSource, IdxImagesOptions } from './idx.js';
export { loadIris, loadDigits } from './datasets/index.js';
export type { Dataset } from './datasets/index.js';
export { StandardScaler, MinMaxScaler } from './scalers.js';
export type { StandardScalerOptions, StandardScalerJSON, MinMaxScalerOptions, MinMaxScalerJSON } from './scalers.js';
export { oneHot, LabelEncoder } from './encoding.js';
export type { LabelEncoderJSON } from './encoding.js';
export { trainTestSplit, kFold } from './split.js';
export type { TrainTestSplitOptions, TrainTestSplit, KFoldOptions, Fold } from './split.js';
export { parseTable, readTable, detectHeader } from './table.js';
export type { Table, TableOptions } from './table.js';
export { resolveDialect, sniffDelimiter, parseNumber, DEFAULT_NA_VALUES } from './dialect.js';
export type { Dialect, DialectOptions } from './dialect.js';
export { CsvTokenizer } from './tokenizer.js';
export * from './columns/index.js';
export { classWeights, sampleWeights } from './weights.js';
export type { ClassWeight } from './weights.js';
export * from './stream/index.js';
