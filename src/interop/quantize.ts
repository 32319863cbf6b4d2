// int8 inference: quantize(model, { calibration }) turns a trained Sequential of dense (and
// dropout) layers into a QuantizedModel whose dense layers run on the q8 kernels (assembly/q8,
// twin src/ref/q8.ts). The numbers, per dense layer:
// - weights: per output channel j, symmetric: s_w[j] = max_p |W[j,p]| / 127, q = round(W / s_w[j])
//   (half to even) in [−127, 127];
// - its input: one scale per tensor from the calibration rows, by max-abs (default) or a
//   percentile of the values: inputs never negative (pixels, ReLU outputs) get q ∈ [0, 127] with
//   x = s·q, s = max / 127; inputs of both signs get x = s·(q − 64), s = max|x| / 63 (7 bits: the
//   relaxed dot product is exact only for values whose top bit is clear, and both binaries keep
//   the same numbers). Values past the range saturate;
// - int32 sums, then y = f32(acc − zp·Σ_p q_w)·(s_x·s_w[j]) + b[j] in f32 (bias kept in f32);
//   ReLU and identity hidden layers quantize y for the next layer inside the GEMM's epilogue,
//   other activations run in f32 and are quantized after.
// The int8 layers give the same bits on every binary and the TS twin (integer sums, unfused f32 epilogue).

import type { Backend } from '../backend.js';
import type { Matrix, MatrixLike } from '../data/matrix.js';
import { ACTIVATION_TABLE, type ActivationRecord } from '../kernels/activations.js';
import type { ActFwd, Q8Abi } from '../kernels/abi.js';
import type { ActivationName } from '../nn/activations.js';
import type { DenseSpec } from '../nn/layers/dense.js';
import type { Sequential } from '../nn/sequential.js';
import { ArenaLease } from '../memory/arena.js';
import { DISPOSE, forget, reclaimOnCollect } from '../memory/lifetime.js';
import { roundEven } from '../ref/q8.js';
import { defaultBackend, LifecycleError, ValidationError } from './lib.js';
import { nonFiniteError, toInput } from './quantize-input.js';
import { packQ8Weights, q8ActBytes, q8Kernels, q8NPad, q8WeightsBytes } from './quantize-layout.js';
import { decodeQuantized, encodeQuantized, type QuantizedJSON, type QuantizedLayer } from './quantize-format.js';
import { readBytes, writeAtomic } from './files.js';

export type { QuantizedJSON, QuantizedLayer };

const Q8_RELU = 1;
const Q8_REQUANT = 4;
const CHUNK = 1024;
/** Rows copied into the arena and quantized at a time (whole panels of 3 or 4 rows): the copy is
 *  still in L2 when the quantization reads it, and the staging buffer stays small. */
const STAGE_ROWS = 48;
/** Values kept per tensor for a percentile (every value up to this many, else an even sample). */
const PERCENTILE_SAMPLE = 1 << 21;

export interface QuantizeOptions {
  /** Rows the activation ranges are measured on (training rows, a few hundred to a few thousand). */
  calibration: MatrixLike;
  /** Use this percentile (90 ≤ p ≤ 100) of each input's values instead of its maximum (max-abs). */
  percentile?: number;
}

function actRecord(name: ActivationName): ActivationRecord {
  return (ACTIVATION_TABLE as Record<string, ActivationRecord>)[name]!;
}

/** Which activations a quantized dense layer runs: fused ReLU/identity, an element-wise kernel, or softmax. */
export function checkQuantizable(layer: { activation: ActivationName }, where: string, last: boolean): void {
  const form = actRecord(layer.activation).form;
  if (form === 'prelu' || form === 'rrelu') {
    throw new ValidationError(where, `${layer.activation} is not supported in an int8 model (learned or random slopes); use relu, leakyRelu or another element-wise activation`);
  }
  if ((form === 'softmax' || form === 'logSoftmax') && !last) throw new ValidationError(where, `${layer.activation} on a hidden layer`);
}

interface Runtime {
  spec: QuantizedLayer;
  record: ActivationRecord;
  nPad: number;
  wPtr: number; corrPtr: number; scalePtr: number; biasPtr: number;
  /** Input activation rows (capacity × q8RowBytes(inSize)). */
  qPtr: number;
  /** f32 Z and A (when the epilogue does not quantize straight into the next layer). */
  zPtr: number; aPtr: number;
  fused: boolean;
  actFwd?: ActFwd;
}

/**
 * A Sequential whose dense layers compute in int8 (made by quantize() or QuantizedModel.fromJSON).
 * Owns its memory in the backend's arena; dispose() returns it.
 * @example const q = quantize(model, { calibration: Xtrain }); q.predict(Xtest); q.dispose()
 */
export class QuantizedModel {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly layers: readonly QuantizedLayer[];
  readonly calibration: QuantizedJSON['calibration'];
  private readonly rts: Runtime[] = [];
  private capacity = 0;
  private inPtr = 0;
  private argPtr = 0;
  private disposed = false;
  private readonly lease: ArenaLease;

  /** @internal use quantize() or QuantizedModel.fromJSON() */
  constructor(readonly backend: Backend, data: { inputSize: number; layers: QuantizedLayer[]; calibration: QuantizedJSON['calibration'] }) {
    this.inputSize = data.inputSize;
    this.layers = data.layers;
    this.calibration = data.calibration;
    this.outputSize = data.layers[data.layers.length - 1]!.units;
    q8Kernels(backend);
    this.lease = new ArenaLease(backend.arena);
    try {
      this.build(data.layers);
    } catch (e) {
      this.dispose();
      throw e;
    }
    reclaimOnCollect(this, this.lease);
  }

  private build(layers: QuantizedLayer[]): void {
    const { backend, lease: arena } = this;
    const { k } = backend;
    layers.forEach((L, i) => {
      const last = i === layers.length - 1;
      const record = actRecord(L.activation);
      const nPad = q8NPad(L.units);
      const [wPtr, corrPtr, scalePtr, biasPtr] = arena.allocAll([Math.max(16, q8WeightsBytes(backend, L.units, L.inSize)), nPad * 4, nPad * 4, nPad * 4]) as [number, number, number, number];
      for (const p of [wPtr, corrPtr, scalePtr, biasPtr]) arena.views.zero(p, arena.sizeOf(p));
      const rt: Runtime = {
        spec: L, record, nPad, qPtr: 0, zPtr: 0, aPtr: 0, wPtr, corrPtr, scalePtr, biasPtr,
        fused: !last && (record.form === 'identity' || record.fusesIntoGemm === true),
      };
      this.rts.push(rt);
      if (!rt.fused && record.form === 'pointwise') rt.actFwd = (k as unknown as Record<string, ActFwd>)[`f32_${record.kernel}_fwd`];
      packQ8Weights(backend, L.weights, L.units, L.inSize, rt.wPtr);
      const views = arena.views;
      let sum = 0;
      for (let j = 0; j < L.units; j++) {
        sum = 0;
        for (let p = 0; p < L.inSize; p++) sum += L.weights[j * L.inSize + p]!;
        views.i32[(rt.corrPtr >>> 2) + j] = -L.inputZeroPoint * sum;
        views.f32[(rt.scalePtr >>> 2) + j] = Math.fround(L.inputScale * L.weightScale[j]!);
        views.f32[(rt.biasPtr >>> 2) + j] = L.bias[j]!;
      }
    });
  }

  private checkAlive(): void {
    if (this.disposed) throw new LifecycleError('model: was disposed; its memory has been returned to the arena (make a new model)');
  }

  /** Grows the batch buffers to m rows, all or nothing (the old ones are freed once every new one is taken). */
  private ensureCapacity(m: number): void {
    if (m <= this.capacity) return;
    const arena = this.lease;
    const sizes = [Math.min(m, STAGE_ROWS) * this.inputSize * 4, m * 4, ...this.rts.flatMap((rt) => [
      q8ActBytes(this.backend, m, rt.spec.inSize), rt.fused ? null : m * rt.spec.units * 4, rt.fused || rt.record.form === 'identity' ? null : m * rt.spec.units * 4,
    ])];
    const ptrs = arena.allocAll(sizes);
    for (const p of ptrs) if (p) arena.views.zero(p, arena.sizeOf(p));
    for (const p of this.bufferPtrs()) if (p) arena.free(p);
    [this.inPtr, this.argPtr] = ptrs as [number, number];
    this.rts.forEach((rt, i) => { [rt.qPtr, rt.zPtr, rt.aPtr] = ptrs.slice(2 + 3 * i) as [number, number, number]; });
    this.capacity = m;
  }

  private bufferPtrs(): number[] { return [this.inPtr, this.argPtr, ...this.rts.flatMap((r) => [r.qPtr, r.zPtr, r.aPtr])]; }

  /** Copies rows start..start+m of M into the arena and quantizes them into the first layer's panels,
   *  STAGE_ROWS at a time; false when they hold a value that is not finite. */
  private stage(M: Matrix, start: number, m: number): boolean {
    const { k, arena } = this.backend;
    const first = this.rts[0]!, d = this.inputSize;
    const inv = Math.fround(1 / first.spec.inputScale), zp = first.spec.inputZeroPoint;
    let bad = 0;
    for (let s = 0; s < m; s += STAGE_ROWS) {
      const rows = Math.min(STAGE_ROWS, m - s);
      arena.views.f32.set(M.data.subarray((start + s) * d, (start + s + rows) * d), this.inPtr >>> 2);
      bad |= k.q8_quantize_rows(this.inPtr, first.qPtr + q8ActBytes(this.backend, s, d), rows, d, inv, zp);
    }
    return bad === 0;
  }

  /** Runs the layers on m rows staged by stage(); returns the f32 output pointer. */
  private forward(m: number): number {
    const { k } = this.backend;
    let out = 0;
    for (let i = 0; i < this.rts.length; i++) {
      const rt = this.rts[i]!;
      const L = rt.spec;
      const next = this.rts[i + 1];
      if (rt.fused) {
        const relu = rt.record.form === 'identity' ? 0 : Q8_RELU;
        const N = next!.spec;
        k.q8_gemm_nt(rt.qPtr, rt.wPtr, rt.corrPtr, rt.scalePtr, rt.biasPtr, next!.qPtr, m, L.units, L.inSize, relu | Q8_REQUANT, Math.fround(1 / N.inputScale), N.inputZeroPoint);
        continue;
      }
      k.q8_gemm_nt(rt.qPtr, rt.wPtr, rt.corrPtr, rt.scalePtr, rt.biasPtr, rt.zPtr, m, L.units, L.inSize, 0, 1, 0);
      let a = rt.zPtr;
      const rows = rt.record.form === 'softmax' ? 'f32_softmax_fwd' : rt.record.form === 'logSoftmax' ? 'f32_log_softmax_fwd' : undefined;
      if (rows) { k[rows](rt.zPtr, rt.aPtr, m, L.units); a = rt.aPtr; } else if (rt.actFwd) { rt.actFwd(rt.zPtr, rt.aPtr, m, L.units, L.alpha, L.beta); a = rt.aPtr; }
      if (next) k.q8_quantize_rows(a, next.qPtr, m, L.units, Math.fround(1 / next.spec.inputScale), next.spec.inputZeroPoint);
      out = a;
    }
    return out;
  }

  /** Runs X in chunks; `take(outPtr, start, m)` reads each chunk's outputs from the arena. */
  private run(M: Matrix, batchSize: number | undefined, take: (outPtr: number, start: number, m: number) => void): void {
    if (batchSize !== undefined && !(typeof batchSize === 'number' && batchSize >= 1)) throw new ValidationError('batchSize', `expected a number ≥ 1, got ${String(batchSize)}`);
    const chunk = Math.min(M.rows, Math.max(1, Math.floor(batchSize ?? CHUNK)));
    this.ensureCapacity(chunk);
    for (let start = 0; start < M.rows; start += chunk) {
      const m = Math.min(chunk, M.rows - start);
      if (!this.stage(M, start, m)) throw nonFiniteError(M, start);
      take(this.forward(m), start, m);
    }
  }

  private input(X: MatrixLike): Matrix {
    this.checkAlive();
    return toInput(X, this.inputSize, false); // a Float32Array's values are checked by q8_quantize_rows
  }

  /**
   * Outputs for every row of X (probabilities for softmax/sigmoid outputs), as Sequential.predict.
   * @example q.predict(Xtest).data
   */
  predict(X: MatrixLike, options?: { batchSize?: number }): Matrix {
    const K = this.outputSize;
    const M = this.input(X);
    const out = new Float32Array(M.rows * K);
    this.run(M, options?.batchSize, (o, start, m) => out.set(this.backend.arena.views.f32.subarray(o >>> 2, (o >>> 2) + m * K), start * K));
    return { data: out, rows: M.rows, cols: K };
  }

  /** predict() for a classifier: class probabilities per row. @example q.predictProba(X).data */
  predictProba(X: MatrixLike, options?: { batchSize?: number }): Matrix {
    const act = this.layers[this.layers.length - 1]!.activation;
    if (act !== 'softmax' && act !== 'sigmoid') throw new ValidationError('model', `predictProba needs a softmax or sigmoid output, this model's is ${act}`);
    return this.predict(X, options);
  }

  /** Class index per row: argmax (f32_argmax_rows), or p ≥ 0.5 for one output. @example q.predictClasses(X) */
  predictClasses(X: MatrixLike): Int32Array {
    const K = this.outputSize;
    const M = this.input(X);
    const out = new Int32Array(M.rows);
    this.run(M, undefined, (o, start, m) => {
      const { k, arena } = this.backend;
      if (K === 1) { for (let i = 0; i < m; i++) out[start + i] = arena.views.f32[(o >>> 2) + i]! >= 0.5 ? 1 : 0; return; }
      k.f32_argmax_rows(o, this.argPtr, m, K);
      out.set(arena.views.i32.subarray(this.argPtr >>> 2, (this.argPtr >>> 2) + m), start);
    });
    return out;
  }

  /** Bytes of packed weights in the arena (int8; int16 on the baseline binary). @example q.weightBytes */
  get weightBytes(): number {
    return this.rts.reduce((s, r) => s + q8WeightsBytes(this.backend, r.spec.units, r.spec.inSize), 0);
  }

  /** The model as JSON (int8 weights and f32 scales in base64; versioned). @example JSON.stringify(q.toJSON()) */
  toJSON(): QuantizedJSON {
    return encodeQuantized({ inputSize: this.inputSize, layers: [...this.layers], calibration: this.calibration });
  }

  /** Rebuilds a model from toJSON() output (an object or its text), validating every field. @example QuantizedModel.fromJSON(text, backend) */
  static fromJSON(json: unknown, backend: Backend = defaultBackend()): QuantizedModel {
    return new QuantizedModel(backend, decodeQuantized(json));
  }

  /** Writes the model (Node), atomically. @example q.save('model.int8.json') */
  save(path: string): void {
    writeAtomic(path, JSON.stringify(this.toJSON()), 'QuantizedModel.save');
  }

  /** Reads a model written by save() (Node). @example QuantizedModel.load('model.int8.json', backend) */
  static load(path: string, backend: Backend = defaultBackend()): QuantizedModel {
    return QuantizedModel.fromJSON(new TextDecoder().decode(readBytes(path, 'QuantizedModel.load')), backend);
  }

  /** Returns every byte this model holds in the arena; the model cannot be used afterwards. @example q.dispose() */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    forget(this);
    this.lease.release();
  }

  /** dispose(), for `using q = quantize(...)`. */
  [DISPOSE](): void { this.dispose(); }
}

/** Per-tensor range of a dense layer's input: the maximum (or a percentile) and whether it goes negative. */
class RangeMeter {
  min = Infinity;
  maxAbs = 0;
  private sample: Float32Array | undefined;
  private kept = 0;
  private seen = 0;
  constructor(private readonly percentile: number | undefined) {
    if (percentile !== undefined) this.sample = new Float32Array(PERCENTILE_SAMPLE);
  }
  add(f: Float32Array, from: number, n: number): void {
    let mn = this.min, ma = this.maxAbs;
    for (let i = from; i < from + n; i++) {
      const v = f[i]!;
      if (v < mn) mn = v;
      const a = v < 0 ? -v : v;
      if (a > ma) ma = a;
    }
    this.min = mn; this.maxAbs = ma;
    const s = this.sample;
    if (!s) return;
    for (let i = from; i < from + n; i++, this.seen++) {
      const a = Math.abs(f[i]!);
      if (this.kept < s.length) s[this.kept++] = a;
      else {
        // reservoir sampling with a fixed multiplicative sequence (deterministic)
        const r = Math.floor(((this.seen * 2654435761) % 4294967296) / 4294967296 * (this.seen + 1));
        if (r < s.length) s[r] = a;
      }
    }
  }
  /** The range the scale covers. */
  range(): number {
    if (!this.sample) return this.maxAbs;
    const s = this.sample.subarray(0, this.kept).sort();
    if (s.length === 0) return 0;
    const at = Math.min(s.length - 1, Math.ceil((this.percentile! / 100) * s.length) - 1);
    return s[Math.max(0, at)]!;
  }
}

/**
 * An int8 copy of a trained model: per-channel symmetric int8 weights, per-tensor activation scales
 * measured on `calibration` (max-abs, or a percentile). The Sequential is left as it was.
 * @example const q = quantize(model, { calibration: X.slice(0, 2000) }); q.predictClasses(Xtest)
 */
export function quantize(model: Sequential, options: QuantizeOptions): QuantizedModel {
  if (!options || typeof options !== 'object' || options.calibration === undefined) {
    throw new ValidationError('options.calibration', 'expected the rows to measure activation ranges on (a matrix with the model\'s inputs)');
  }
  const p = options.percentile;
  if (p !== undefined && !(typeof p === 'number' && p >= 90 && p <= 100)) throw new ValidationError('options.percentile', `expected a number in [90, 100], got ${String(p)}`);
  const net = model.net;
  net.checkAlive();
  const X = net.toInput(options.calibration, 'options.calibration');
  const runtimes = net.runtimes;
  const dense = runtimes.map((rt) => rt.describe().type);
  dense.forEach((t, i) => {
    if (t !== 'dense' && t !== 'dropout') throw new ValidationError(`layers[${i}]`, `a ${t} layer is not supported in an int8 model (dense and dropout layers only)`);
  });
  const specs = model.layers.map((l, i) => [l, i] as const).filter(([l]) => l.type === 'dense') as (readonly [DenseSpec, number])[];
  specs.forEach(([l, i], n) => checkQuantizable(l, `layers[${i}].activation`, n === specs.length - 1));
  const meters = specs.map(() => new RangeMeter(p === 100 ? undefined : p));
  const chunk = Math.min(X.rows, CHUNK);
  net.ensureCapacity(chunk);
  for (let start = 0; start < X.rows; start += chunk) {
    const m = Math.min(chunk, X.rows - start);
    net.arena.views.f32.set(X.data.subarray(start * X.cols, (start + m) * X.cols), net.inPtr >>> 2);
    let ptr = net.inPtr;
    let d = 0;
    for (const rt of runtimes) {
      if (rt.describe().type === 'dense') meters[d++]!.add(net.arena.views.f32, ptr >>> 2, m * rt.inSize);
      ptr = rt.forward(ptr, m, false, net.workPtr);
    }
  }
  const weights = model.getWeights();
  const layers: QuantizedLayer[] = specs.map(([spec], n) => {
    const W = weights[n]!.W!, b = weights[n]!.b!;
    const units = spec.units, inSize = W.length / units;
    const meter = meters[n]!;
    const signed = meter.min < 0;
    const range = meter.range();
    const inputScale = range > 0 ? Math.fround(range / (signed ? 63 : 127)) : 1;
    const q = new Int8Array(units * inSize);
    const weightScale = new Float32Array(units);
    for (let j = 0; j < units; j++) {
      let ma = 0;
      for (let i = 0; i < inSize; i++) ma = Math.max(ma, Math.abs(W[j * inSize + i]!));
      const s = ma > 0 ? Math.fround(ma / 127) : 1;
      weightScale[j] = s;
      for (let i = 0; i < inSize; i++) q[j * inSize + i] = Math.max(-127, Math.min(127, roundEven(W[j * inSize + i]! / s)));
    }
    return { units, inSize, activation: spec.activation, alpha: spec.alpha, beta: spec.beta, inputScale, inputZeroPoint: signed ? 64 : 0, weights: q, weightScale, bias: Float32Array.from(b) };
  });
  return new QuantizedModel(model.backend, {
    inputSize: model.inputSize, layers,
    calibration: { method: p === undefined || p === 100 ? 'maxabs' : 'percentile', ...(p !== undefined && p !== 100 ? { percentile: p } : {}), rows: X.rows },
  });
}

