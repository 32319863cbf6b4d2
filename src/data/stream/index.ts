// Streaming tables: byte sources, the streaming CSV reader, hashed splits, datasets of batches.

export { CsvStream, splitPart } from './csv-stream.js';
export type { RowBatch } from './csv-stream.js';
export { textChunks, isReopenable } from './bytes.js';
export type { ByteSource, ByteChunks } from './bytes.js';
export { TableDataset, fitStream } from './dataset.js';
export type { TableDatasetOptions, StreamFitOptions, StreamFit, StreamSplit, StreamPart, Batch } from './dataset.js';
