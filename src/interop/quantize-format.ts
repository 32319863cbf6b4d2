// The int8 model file: JSON, versioned, every field validated on the way in (a corrupt or
// hand-edited file is a ModelFormatError naming the field, never a model computing garbage).
//   { format: 'simdnet.int8', version: 1, inputSize, calibration: { method, percentile?, rows },
//     layers: [{ units, inSize, activation, alpha, beta, inputScale, inputZeroPoint,
//                weights: base64 int8 (units × inSize, row-major), weightScale, bias: base64 f32 }] }

import { ACTIVATION_TABLE } from '../kernels/activations.js';
import type { ActivationName } from '../nn/activations.js';
import { ModelFormatError } from './lib.js';

export const INT8_FORMAT = 'simdnet.int8';
export const INT8_VERSION = 1;

/** One quantized dense layer: int8 weights with their per-channel scales, the input's scale and zero point. */
export interface QuantizedLayer {
  units: number;
  inSize: number;
  activation: ActivationName;
  alpha: number;
  beta: number;
  /** x ≈ inputScale·(q − inputZeroPoint) for the layer's input. */
  inputScale: number;
  /** 0 (inputs never negative) or 64 (both signs). */
  inputZeroPoint: 0 | 64;
  /** units × inSize values in [−127, 127]. */
  weights: Int8Array;
  /** W[j, :] ≈ weightScale[j]·weights[j, :]. */
  weightScale: Float32Array;
  bias: Float32Array;
}

export interface Calibration {
  method: 'maxabs' | 'percentile';
  percentile?: number;
  rows: number;
}

export interface QuantizedData { inputSize: number; layers: QuantizedLayer[]; calibration: Calibration }

export interface QuantizedJSON {
  format: typeof INT8_FORMAT;
  version: number;
  inputSize: number;
  calibration: Calibration;
  layers: (Omit<QuantizedLayer, 'weights' | 'weightScale' | 'bias'> & { weights: string; weightScale: string; bias: string })[];
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: unknown, what: string): Uint8Array {
  if (typeof s !== 'string') throw new ModelFormatError(`int8 model file: ${what} is ${typeof s}, expected a base64 string`);
  let bin: string;
  try { bin = atob(s); } catch { throw new ModelFormatError(`int8 model file: ${what} is not valid base64`); }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const bytesOf = (a: Int8Array | Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function encodeQuantized(d: QuantizedData): QuantizedJSON {
  return {
    format: INT8_FORMAT, version: INT8_VERSION, inputSize: d.inputSize, calibration: d.calibration,
    layers: d.layers.map((L) => ({
      units: L.units, inSize: L.inSize, activation: L.activation, alpha: L.alpha, beta: L.beta, inputScale: L.inputScale, inputZeroPoint: L.inputZeroPoint,
      weights: toBase64(bytesOf(L.weights)), weightScale: toBase64(bytesOf(L.weightScale)), bias: toBase64(bytesOf(L.bias)),
    })),
  };
}

function posInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1 << 20) throw new ModelFormatError(`int8 model file: ${what} is ${JSON.stringify(v)}, expected a positive integer`);
  return v;
}

function finite(v: unknown, what: string, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive && !(v > 0))) {
    throw new ModelFormatError(`int8 model file: ${what} is ${JSON.stringify(v)}, expected a ${positive ? 'positive' : 'finite'} number`);
  }
  return v;
}

function f32s(s: unknown, n: number, what: string, positive: boolean): Float32Array {
  const b = fromBase64(s, what);
  if (b.length !== 4 * n) throw new ModelFormatError(`int8 model file: ${what} holds ${b.length} bytes, expected ${n} float32 values (${4 * n} bytes)`);
  const a = new Float32Array(b.buffer);
  for (let i = 0; i < n; i++) finite(a[i], `${what}[${i}]`, positive);
  return a;
}

/** Validates an int8 model file (an object or its JSON text). */
export function decodeQuantized(json: unknown): QuantizedData {
  let j = json;
  if (typeof j === 'string') {
    try { j = JSON.parse(j); } catch { throw new ModelFormatError('int8 model file: not valid JSON'); }
  }
  const o = j as Partial<QuantizedJSON>;
  if (!o || typeof o !== 'object' || o.format !== INT8_FORMAT) throw new ModelFormatError(`int8 model file: format is ${JSON.stringify(o?.format)}, expected ${JSON.stringify(INT8_FORMAT)}`);
  if (o.version !== INT8_VERSION) throw new ModelFormatError(`int8 model file: version ${JSON.stringify(o.version)}, this simdnet reads version ${INT8_VERSION}`);
  const inputSize = posInt(o.inputSize, 'inputSize');
  const c = o.calibration as Partial<Calibration> | undefined;
  if (!c || (c.method !== 'maxabs' && c.method !== 'percentile')) throw new ModelFormatError(`int8 model file: calibration.method is ${JSON.stringify(c?.method)}, expected "maxabs" or "percentile"`);
  const calibration: Calibration = { method: c.method, rows: posInt(c.rows, 'calibration.rows'), ...(c.method === 'percentile' ? { percentile: finite(c.percentile, 'calibration.percentile') } : {}) };
  if (!Array.isArray(o.layers) || o.layers.length === 0) throw new ModelFormatError('int8 model file: layers is not a non-empty array');
  let inSize = inputSize;
  const layers = o.layers.map((raw, i): QuantizedLayer => {
    const at = `layers[${i}]`;
    const L = raw as Partial<QuantizedJSON['layers'][number]>;
    if (!L || typeof L !== 'object') throw new ModelFormatError(`int8 model file: ${at} is not an object`);
    const units = posInt(L.units, `${at}.units`);
    if (L.inSize !== inSize) throw new ModelFormatError(`int8 model file: ${at}.inSize is ${JSON.stringify(L.inSize)}, expected ${inSize} (the previous layer's units)`);
    const act = L.activation as string;
    if (typeof act !== 'string' || !Object.hasOwn(ACTIVATION_TABLE, act)) throw new ModelFormatError(`int8 model file: ${at}.activation ${JSON.stringify(act)} is not an activation`);
    const form = (ACTIVATION_TABLE as Record<string, { form: string }>)[act]!.form;
    if (form === 'prelu' || form === 'rrelu' || ((form === 'softmax' || form === 'logSoftmax') && i !== o.layers!.length - 1)) throw new ModelFormatError(`int8 model file: ${at}.activation ${act} is not supported there`);
    if (L.inputZeroPoint !== 0 && L.inputZeroPoint !== 64) throw new ModelFormatError(`int8 model file: ${at}.inputZeroPoint is ${JSON.stringify(L.inputZeroPoint)}, expected 0 or 64`);
    const wb = fromBase64(L.weights, `${at}.weights`);
    if (wb.length !== units * inSize) throw new ModelFormatError(`int8 model file: ${at}.weights holds ${wb.length} values, expected units × inSize = ${units * inSize}`);
    const weights = new Int8Array(wb.buffer);
    const bad = weights.findIndex((v) => v === -128);
    if (bad >= 0) throw new ModelFormatError(`int8 model file: ${at}.weights[${bad}] is −128, expected a value in [−127, 127]`);
    const layer: QuantizedLayer = {
      units, inSize, activation: act as ActivationName, alpha: finite(L.alpha, `${at}.alpha`), beta: finite(L.beta, `${at}.beta`),
      inputScale: finite(L.inputScale, `${at}.inputScale`, true), inputZeroPoint: L.inputZeroPoint,
      weights, weightScale: f32s(L.weightScale, units, `${at}.weightScale`, true), bias: f32s(L.bias, units, `${at}.bias`, false),
    };
    inSize = units;
    return layer;
  });
  return { inputSize, layers, calibration };
}
