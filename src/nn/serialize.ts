// Model files: JSON with the architecture, the compile settings and every parameter as
// little-endian float32 in base64 (exact round trip, about 1.33 bytes per byte of weights).
// This module converts between that JSON and plain data (ModelData); Sequential builds from it.

import { ModelFormatError } from '../errors.js';
import type { OptimizerSpec } from '../train/optimizers.js';
import type { LayerSpec } from './layers.js';
import type { L2Scale, LossName, Reduction } from './losses.js';
import type { LayerWeights } from './params.js';
import { nodeBuiltin } from '../host.js';

export const MODEL_FORMAT = 'simdnet.sequential';
export const MODEL_VERSION = 1;

export function f32ToBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

export function base64ToF32(s: string, what: string): Float32Array {
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    throw new ModelFormatError(`${what}: not valid base64`);
  }
  if (bin.length % 4 !== 0) throw new ModelFormatError(`${what}: ${bin.length} bytes is not a whole number of float32 values`);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

interface NodeFsAsync { promises: { readFile(p: string, enc: 'utf8'): Promise<string> } }

export function nodeFsAsync(what: string): NodeFsAsync {
  const fs = nodeBuiltin<NodeFsAsync>('node:fs');
  if (!fs) throw new ModelFormatError(`${what} needs Node's file system (Node ≥ 20.16); in a browser use toJSON() / fromJSON()`);
  return fs;
}

/** compile()'s settings in a model file or a checkpoint (l2Scale and reduction only when not 'batch' / 'mean'). */
export interface StoredCompile { loss: LossName; optimizer: OptimizerSpec; l2: number; l2Scale?: L2Scale; reduction?: Reduction }

export interface SequentialJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  inputSize: number;
  seed: number;
  layers: LayerSpec[];
  compile: StoredCompile | null;
  weights: Record<string, string>[];
}

/** A model as plain data: what a model file holds, decoded. */
export interface ModelData {
  inputSize: number;
  seed: number;
  layers: LayerSpec[];
  compile: StoredCompile | null;
  weights: LayerWeights[];
}

/** @internal */
export function encodeModel(d: ModelData): SequentialJSON {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    inputSize: d.inputSize,
    seed: d.seed,
    layers: d.layers.map((l) => ({ ...l })),
    compile: d.compile ? { ...d.compile, optimizer: { ...d.compile.optimizer } } : null,
    weights: d.weights.map((w) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, f32ToBase64(v)]))),
  };
}

/** @internal Reads a model file's JSON (an object or its text): the envelope is checked and the weights decoded;
 *  the layers, settings and weight shapes are checked by the Sequential built from it. */
export function decodeModel(json: unknown): ModelData {
  const j = (typeof json === 'string' ? parseJson(json) : json) as Partial<SequentialJSON>;
  if (!j || typeof j !== 'object' || j.format !== MODEL_FORMAT) {
    throw new ModelFormatError(`not a simdnet model: expected format "${MODEL_FORMAT}", got ${JSON.stringify(j && (j as { format?: unknown }).format)}`);
  }
  if (j.version !== MODEL_VERSION) throw new ModelFormatError(`model version ${String(j.version)} is not supported (this simdnet reads version ${MODEL_VERSION})`);
  if (!Array.isArray(j.weights)) throw new ModelFormatError('model file has no weights array');
  // toJSON writes the seed as the uint32 the generator holds; anything else would be silently coerced
  if (typeof j.seed !== 'number' || !Number.isInteger(j.seed) || j.seed < 0 || j.seed > 0xffffffff) {
    throw new ModelFormatError(`model file is corrupt: seed is ${JSON.stringify(j.seed) ?? typeof j.seed}, expected an integer in [0, 2^32)`);
  }
  const c = j.compile as Partial<NonNullable<SequentialJSON['compile']>> | null | undefined;
  // every compile setting as written: a missing one would silently become compile()'s default
  if (c !== null && c !== undefined && (typeof c !== 'object' || Array.isArray(c) || typeof c.loss !== 'string' || !c.optimizer || typeof c.optimizer !== 'object' || typeof c.l2 !== 'number')) {
    throw new ModelFormatError(`model file is corrupt: compile is ${JSON.stringify(c)}, expected null or { loss: string, optimizer: object, l2: number }`);
  }
  return {
    inputSize: j.inputSize as number,
    seed: j.seed as number,
    layers: j.layers as LayerSpec[],
    compile: j.compile ?? null,
    weights: j.weights.map((w: unknown, i) => {
      if (!w || typeof w !== 'object') throw new ModelFormatError(`model file is corrupt: weights[${i}] is ${JSON.stringify(w)}, expected an object of base64 tensors`);
      return Object.fromEntries(Object.entries(w).map(([k, v]) => {
        // String(v) would make a number's digits base64 (12345678 reads as 6 bytes of weights)
        if (typeof v !== 'string') throw new ModelFormatError(`model file is corrupt: weights[${i}].${k} is ${JSON.stringify(v) ?? typeof v}, expected a base64 string of float32 values`);
        return [k, base64ToF32(v, `weights[${i}].${k}`)];
      }));
    }),
  };
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new ModelFormatError(`model file is not valid JSON: ${(e as Error).message}`);
  }
}

/** @internal A model file's tensors per layer are exactly the model's: a missing one would keep its initial value, a misspelt one be ignored. */
export function checkTensorNames(file: readonly Record<string, unknown>[], model: readonly Record<string, unknown>[]): void {
  for (let i = 0; i < Math.min(file.length, model.length); i++) {
    const want = Object.keys(model[i]!);
    const got = Object.keys(file[i]!);
    const missing = want.find((k) => !got.includes(k));
    const extra = got.find((k) => !want.includes(k));
    if (missing !== undefined || extra !== undefined) {
      throw new ModelFormatError(`model file is corrupt: weights[${i}] ${missing !== undefined ? `has no tensor ${JSON.stringify(missing)}` : `has a tensor ${JSON.stringify(extra)} the layer does not have`}; expected ${want.map((k) => JSON.stringify(k)).join(', ')}`);
    }
  }
}
