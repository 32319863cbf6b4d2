// Checkpoints: everything a fit run carries from one epoch to the next, so that a run resumed from
// one ends bit for bit where the uninterrupted run ends. That is the parameters and layer state
// (running statistics), the network's random stream (dropout masks, rrelu slopes), the shuffling
// stream and the permutation it shuffles in place, the optimizer's moments and step count, the
// history, the early-stopping state (best value, epochs waited, best weights) and the epochs done
// (the learning-rate schedule is a function of the epoch). A checkpoint also names what it was
// written for (the architecture, the compile settings, a CRC-32 of the training and validation
// data, the batch size...), and resuming refuses any other run with the first difference found.
// The object is plain data with typed arrays (structured-cloneable: IndexedDB, postMessage);
// checkpoint-format.ts turns it into bytes.

import { ModelFormatError, ValidationError } from '../errors.js';
import { assertWritable, writeFileAtomic, writeFileAtomicAsync } from '../io/atomic.js';
import type { Matrix } from '../data/matrix.js';
import type { LayerSpec } from '../nn/layers.js';
import { readWeights, writeWeights } from '../nn/params.js';
import type { Targets } from '../nn/targets.js';
import { bytesOf, crc32, decodeCheckpointBytes, encodeCheckpointBytes } from './checkpoint-format.js';
import { installCheckpoints, type CheckedCheckpointOptions, type LoopState } from './checkpoint-hooks.js';
import type { TrainingSession } from './session.js';
import type { Checkpoint, CheckpointOptions, CheckpointRun, CheckpointSource, EarlyStopping, History } from './types.js';
import { nodeBuiltin } from '../host.js';

export type { Checkpoint, CheckpointOptions, CheckpointRun, CheckpointSource };

export const CHECKPOINT_FORMAT = 'simdnet.checkpoint';

/** The run's identity from its prepared data and options. */
export function describeRun(M: Matrix, T: Targets, W: Float32Array | undefined, val: [Matrix, Targets] | undefined, batchSize: number,
  shuffle: boolean, es: EarlyStopping | undefined): CheckpointRun {
  let c = crc32(bytesOf(M.data));
  c = crc32(bytesOf(T.Y.data), c);
  if (W) c = crc32(bytesOf(W), c);
  if (val) c = crc32(bytesOf(val[1].Y.data), crc32(bytesOf(val[0].data), c));
  return {
    rows: M.rows, inputSize: M.cols, outputs: T.Y.cols, batchSize, shuffle, validationRows: val ? val[0].rows : 0, dataCrc: c,
    earlyStopping: earlyStoppingOf(es),
  };
}

/** The identity of a fit on a data source: what can be known before the first batch. */
export function describeSourceRun(inputSize: number, outputs: number, batchSize: number, validation: boolean, classWeight: ArrayLike<number> | undefined,
  es: EarlyStopping | undefined): CheckpointRun {
  return {
    rows: 0, inputSize, outputs, batchSize, shuffle: false, validationRows: 0, dataCrc: 0, earlyStopping: earlyStoppingOf(es),
    stream: { validation, classWeight: classWeight ? Array.from(classWeight) : null },
  };
}

function earlyStoppingOf(es: EarlyStopping | undefined): CheckpointRun['earlyStopping'] {
  return es ? { patience: es.patience, monitor: es.monitor, minDelta: es.minDelta ?? 0, restoreBestWeights: es.restoreBestWeights ?? false } : null;
}

export function captureCheckpoint(session: TrainingSession, model: Checkpoint['model'], run: CheckpointRun, s: LoopState): Checkpoint {
  const opt = session.optimizer.exportState();
  const { net } = session;
  return {
    format: CHECKPOINT_FORMAT, version: 1, model: structuredClone(model), run, epoch: s.epoch, stopped: s.stopped,
    history: structuredClone(s.history), weights: readWeights(net),
    rng: net.arena.views.u32.slice(net.rngPtr >>> 2, (net.rngPtr >>> 2) + 4), shuffleRng: s.shuffleRng.state(), permutation: s.perm.slice(),
    optimizer: { type: session.settings.optimizer.type, step: opt.step, moments: opt.moments },
    earlyStopping: run.earlyStopping ? { best: s.best, wait: s.wait, bestEpoch: s.bestEpoch, bestWeights: s.bestWeights ?? null } : null,
    ...(s.sources ? { source: structuredClone(s.sources) } : {}),
  };
}

/** Where the run and the checkpoint first differ, in words, or undefined. */
function firstDifference(c: Checkpoint, model: Checkpoint['model'], run: CheckpointRun): string | undefined {
  const m = c.model;
  if (m.inputSize !== model.inputSize) return `it is of a model with ${m.inputSize} inputs, this one has ${model.inputSize}`;
  if (m.layers.length !== model.layers.length) return `it is of a model with ${m.layers.length} layers (${layerList(m.layers)}), this one has ${model.layers.length} (${layerList(model.layers)})`;
  for (let i = 0; i < m.layers.length; i++) {
    if (JSON.stringify(m.layers[i]) !== JSON.stringify(model.layers[i])) return `layer ${i} is ${JSON.stringify(m.layers[i])} there, ${JSON.stringify(model.layers[i])} here`;
  }
  for (const key of ['loss', 'l2', 'optimizer', 'l2Scale', 'reduction'] as const) {
    if (JSON.stringify(m.compile[key]) !== JSON.stringify(model.compile[key])) return `it was compiled with ${key} ${JSON.stringify(m.compile[key])}, this model with ${JSON.stringify(model.compile[key])}`;
  }
  const r = c.run;
  if (!r.stream !== !run.stream) return `it was written by a fit on ${r.stream ? 'a data source' : 'matrices (X, y)'}, this is a fit on ${run.stream ? 'a data source' : 'matrices (X, y)'}`;
  if (r.stream && JSON.stringify(r.stream) !== JSON.stringify(run.stream)) {
    return r.stream.validation !== run.stream!.validation ? `it was written ${r.stream.validation ? 'with' : 'without'} validationData, this run is ${run.stream!.validation ? 'with' : 'without'}`
      : `it was written with classWeight ${JSON.stringify(r.stream.classWeight)}, this run has ${JSON.stringify(run.stream!.classWeight)}`;
  }
  if (r.rows !== run.rows || r.inputSize !== run.inputSize || r.outputs !== run.outputs) return `it was written for ${r.rows} training rows × ${r.inputSize} features → ${r.outputs} outputs, this run has ${run.rows} × ${run.inputSize} → ${run.outputs}`;
  if (r.validationRows !== run.validationRows) return `it was written with ${r.validationRows} validation rows, this run has ${run.validationRows}`;
  if (r.dataCrc !== run.dataCrc) return 'it was written for other training data (the CRC-32 of the inputs, targets, row weights and validation data differs; same seed and validationSplit?)';
  if (r.batchSize !== run.batchSize) return `it was written with batchSize ${r.batchSize}, this run has ${run.batchSize}`;
  if (r.shuffle !== run.shuffle) return `it was written with shuffle ${r.shuffle}, this run has ${run.shuffle}`;
  if (JSON.stringify(r.earlyStopping) !== JSON.stringify(run.earlyStopping)) return `its earlyStopping is ${JSON.stringify(r.earlyStopping)}, this run's ${JSON.stringify(run.earlyStopping)}`;
  return undefined;
}

function layerList(layers: readonly LayerSpec[]): string {
  return layers.map((l) => ('units' in l ? `${l.type} ${String(l.units)}` : l.type)).join(', ');
}

/** Puts a checkpoint's state into the session and the loop; refuses one of another model or run. */
export function restoreCheckpoint(session: TrainingSession, model: Checkpoint['model'], run: CheckpointRun, c: Checkpoint, s: LoopState,
  check?: (c: Checkpoint) => void): void {
  const why = firstDifference(c, model, run);
  if (why) throw new ValidationError('resumeFrom', `the checkpoint does not belong to this run: ${why}`);
  const { net } = session;
  const shape = (ok: boolean, what: string) => { if (!ok) throw new ModelFormatError(`resumeFrom: checkpoint is corrupt: ${what}`); };
  shape(c.rng instanceof Uint32Array && c.rng.length === 4 && c.shuffleRng instanceof Uint32Array && c.shuffleRng.length === 4, 'random states are not 4 words each');
  shape(c.permutation instanceof Int32Array && c.permutation.length === run.rows && isPermutation(c.permutation), `the row order is not a permutation of ${run.rows} rows`);
  shape(Number.isInteger(c.epoch) && c.epoch >= 0, `epoch ${c.epoch}`);
  shape(isHistory(c.history, c.epoch), 'its history does not have one entry per epoch');
  if (run.stream) shape(!!c.source && typeof c.source === 'object' && [c.source.train, c.source.validation].every((v) => v === null || (Array.isArray(v) && v.every(Number.isFinite))), 'the sources\' state is missing');
  if (run.earlyStopping) shape(!!c.earlyStopping && typeof c.earlyStopping.best === 'number' && Number.isInteger(c.earlyStopping.wait), 'early-stopping state missing');
  check?.(c);
  try {
    // Everything is checked before anything is written: a refused checkpoint leaves the model as it was.
    session.optimizer.checkState(c.optimizer.step, c.optimizer.moments);
    const before = readWeights(net);
    try {
      writeWeights(net, c.weights);
      if (c.earlyStopping?.bestWeights) writeWeights(net, c.earlyStopping.bestWeights);
    } finally {
      writeWeights(net, before);
    }
  } catch (e) {
    throw new ModelFormatError(`resumeFrom: checkpoint is corrupt: ${(e as Error).message}`);
  }
  writeWeights(net, c.weights);
  session.optimizer.importState(c.optimizer.step, c.optimizer.moments);
  net.arena.views.u32.set(c.rng, net.rngPtr >>> 2);
  s.shuffleRng.setState(c.shuffleRng);
  s.perm.set(c.permutation);
  s.epoch = c.epoch;
  s.stopped = c.stopped;
  Object.assign(s.history, structuredClone(c.history));
  if (c.source) s.sources = structuredClone(c.source);
  if (c.earlyStopping) {
    s.best = c.earlyStopping.best;
    s.wait = c.earlyStopping.wait;
    s.bestEpoch = c.earlyStopping.bestEpoch;
    s.bestWeights = c.earlyStopping.bestWeights ?? undefined;
  }
}

function isPermutation(p: Int32Array): boolean {
  const seen = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v < p.length) || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

function isHistory(h: History, epochs: number): boolean {
  return !!h && Array.isArray(h.epoch) && h.epoch.length === epochs && Array.isArray(h.loss) && h.loss.length === epochs
    && Array.isArray(h.learningRate) && Array.isArray(h.time) && Array.isArray(h.samplesPerSec) && Array.isArray(h.diagnostics);
}

/** Checkpoint bytes (versioned, CRC-32 checked): what fit writes to `checkpoint.path`. @example const bytes = encodeCheckpoint(c) */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  return encodeCheckpointBytes(c);
}

/** A checkpoint from its bytes; a truncated, altered or foreign file is a ModelFormatError saying which. @example decodeCheckpoint(new Uint8Array(await file.arrayBuffer())) */
export function decodeCheckpoint(bytes: Uint8Array | ArrayBuffer, what = 'checkpoint'): Checkpoint {
  const v = decodeCheckpointBytes(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), what) as Partial<Checkpoint>;
  return asCheckpoint(v, what);
}

function asCheckpoint(v: unknown, what: string): Checkpoint {
  const c = v as Partial<Checkpoint> | null;
  if (!c || typeof c !== 'object' || c.format !== CHECKPOINT_FORMAT) throw new ModelFormatError(`${what}: not a simdnet checkpoint (format ${JSON.stringify(c && typeof c === 'object' ? c.format : c)})`);
  if (c.version !== 1) throw new ModelFormatError(`${what}: checkpoint version ${String(c.version)}; this simdnet reads version 1`);
  const need = ['model', 'run', 'history', 'weights', 'optimizer'] as const;
  for (const k of need) if (!c[k] || typeof c[k] !== 'object') throw new ModelFormatError(`${what}: checkpoint has no ${k}`);
  if (!c.model!.compile || !Array.isArray(c.model!.layers)) throw new ModelFormatError(`${what}: checkpoint's model has no layers or compile settings`);
  if (!Array.isArray(c.optimizer!.moments) || !c.optimizer!.moments.every((m) => m instanceof Float32Array)) throw new ModelFormatError(`${what}: checkpoint's optimizer moments are not float32 arrays`);
  return c as Checkpoint;
}

interface NodeFsSync { readFileSync(p: string): Uint8Array }

function nodeFs(): NodeFsSync | undefined {
  return nodeBuiltin<NodeFsSync>('node:fs');
}

/** A checkpoint from a path (Node), bytes or the object (checked). @example const c = readCheckpoint('run.ckpt') */
export function readCheckpoint(source: CheckpointSource, what = 'resumeFrom'): Checkpoint {
  if (typeof source === 'string') {
    const fs = nodeFs();
    if (!fs) throw new ValidationError(what, `a path (${source}) needs Node's file system; in a browser pass the checkpoint, its bytes, or loadCheckpointFromIndexedDB() / loadCheckpointFromFile() from simdnet/checkpoint`);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(source);
    } catch (e) {
      throw new ModelFormatError(`${what}: cannot read checkpoint file ${source}: ${(e as Error).message}`);
    }
    return decodeCheckpoint(bytes, `${what} ${source}`);
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return decodeCheckpoint(source, what);
  if (source && typeof source === 'object') return asCheckpoint(source, what);
  throw new ValidationError(what, `expected a checkpoint path, its bytes (Uint8Array / ArrayBuffer) or a checkpoint object, got ${source === null ? 'null' : typeof source}`);
}

/** Validates fit()'s checkpoint option. */
export function checkpointOptions(o: CheckpointOptions): CheckedCheckpointOptions {
  if (!o || typeof o !== 'object') throw new ValidationError('checkpoint', `expected { path?, every?, onSave? }, got ${String(o)}`);
  const every = o.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new ValidationError('checkpoint.every', `expected an integer ≥ 1 (epochs), got ${String(every)}`);
  if (o.path !== undefined && (typeof o.path !== 'string' || o.path === '')) throw new ValidationError('checkpoint.path', `expected a file path, got ${JSON.stringify(o.path)}`);
  if (o.onSave !== undefined && typeof o.onSave !== 'function') throw new ValidationError('checkpoint.onSave', `expected a function, got ${typeof o.onSave}`);
  if (o.path === undefined && o.onSave === undefined) throw new ValidationError('checkpoint', 'needs a path (Node) or an onSave callback');
  // Found out now, not after the first epoch: the directory exists and takes a new file.
  if (o.path !== undefined) assertWritable(o.path, 'checkpoint.path');
  return { every, path: o.path, onSave: o.onSave };
}

/** Writes / hands over one checkpoint: the file first, then onSave (so onSave sees a checkpoint that is on disk).
 *  Returns a promise for fit() to await (undefined when done synchronously). */
export function saveCheckpoint(c: Checkpoint, o: CheckedCheckpointOptions, sync: boolean): Promise<void> | undefined {
  if (!sync) {
    return (async () => {
      if (o.path !== undefined) await writeFileAtomicAsync(o.path, encodeCheckpoint(c), 'checkpoint.path');
      await o.onSave?.(c);
    })();
  }
  if (o.path !== undefined) writeFileAtomic(o.path, encodeCheckpoint(c), 'checkpoint.path');
  const r = o.onSave?.(c);
  if (r && typeof (r as Promise<void>).then === 'function') {
    (r as Promise<void>).catch(() => {});
    throw new ValidationError('checkpoint.onSave', 'returned a promise, which fitSync cannot wait for: use await model.fit()');
  }
  return undefined;
}

installCheckpoints({
  options: checkpointOptions, read: readCheckpoint, describe: describeRun, describeSource: describeSourceRun, capture: captureCheckpoint, restore: restoreCheckpoint, save: saveCheckpoint,
});
