// Assembles simdnet layers from what an importer reads, one operation at a time: a dense layer
// takes the activation that follows it; an activation with no dense layer before it (after a
// batch norm, at the input) gets an identity dense layer (W = I, b = 0: x·1 + 0·… is exact in
// float32, so the arithmetic is unchanged); element-wise x·s + t by constants (a scaler, Keras'
// folded batch norm) becomes a batchNorm layer with mean 0 and var + ε = 1 exactly.

import type { ActivationName } from '../nn/activations.js';
import type { LayerSpec } from '../nn/layers.js';
import { dense, dropout, batchNorm } from './lib.js';
import type { LayerWeights } from '../nn/sequential.js';

/** The shortest decimal that rounds to the same float32 (0.009999999776482582 → 0.01), so specs read as written. */
export function prettyF32(x: number): number {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) return v;
  }
  return f;
}

/** 1 − m for a momentum stored in float32 (ONNX) or as Keras writes it: 1 − 0.9 reads 0.1, not 0.100000024. */
export function complement(m: number): number {
  return Number((1 - prettyF32(m)).toPrecision(9));
}

/** ε and var of the batchNorm layer that computes x·γ + β exactly: var + ε = 1 in float32. */
export const AFFINE_EPS = 2 ** -10;
export const AFFINE_VAR = 1 - 2 ** -10;

export interface ActivationParams { alpha?: number; beta?: number; slope?: ArrayLike<number> }

type Fail = (label: string, why: string) => never;

interface OpenDense { W: Float64Array; b: Float64Array; units: number; label: string }

export class NetBuilder {
  readonly layers: LayerSpec[] = [];
  readonly weights: LayerWeights[] = [];
  private open: OpenDense | null = null;
  private scale: { s: Float64Array; t: Float64Array; label: string } | null = null;
  private ended: string | null = null;

  /** Width of the network input (0 until known: set by the first dense layer when the file does not declare it). */
  inputSize: number;

  constructor(public size: number, private readonly fail: Fail) {
    this.inputSize = size;
  }

  private guard(label: string): void {
    if (this.ended) this.fail(label, `comes after the softmax of ${JSON.stringify(this.ended)}; simdnet's softmax is an output activation (the last layer)`);
  }

  private needSize(label: string): void {
    if (this.size === 0) this.fail(label, 'the graph input does not declare its width, and this comes before any weights that would tell it');
  }

  private flush(): void {
    if (this.open) this.closeDense('identity', {});
    if (this.scale) {
      const { s, t } = this.scale;
      this.scale = null;
      this.layers.push(batchNorm({ epsilon: AFFINE_EPS, momentum: 0.1 }));
      this.weights.push({ gamma: Float32Array.from(s), beta: Float32Array.from(t), runningMean: new Float32Array(s.length), runningVar: new Float32Array(s.length).fill(AFFINE_VAR) });
    }
  }

  private closeDense(activation: ActivationName, p: ActivationParams): void {
    const d = this.open!;
    this.open = null;
    const opts: { activation: ActivationName; alpha?: number; beta?: number } = { activation };
    if (p.alpha !== undefined) opts.alpha = prettyF32(p.alpha);
    if (p.beta !== undefined) opts.beta = prettyF32(p.beta);
    this.layers.push(dense(d.units, opts));
    const w: LayerWeights = { W: Float32Array.from(d.W), b: Float32Array.from(d.b) };
    if (activation === 'prelu') w.slope = Float32Array.from(p.slope!);
    this.weights.push(w);
    this.size = d.units;
  }

  /** A dense layer z = W·x + b; W is [units × size] row-major. */
  dense(W: Float64Array, b: Float64Array | undefined, units: number, label: string): void {
    this.guard(label);
    this.flush();
    if (this.size === 0 && this.layers.length === 0) this.size = this.inputSize = W.length / units; // input width not declared in the file
    if (W.length !== units * this.size) this.fail(label, `its weights hold ${W.length} values, expected ${units} × ${this.size}`);
    this.open = { W, b: b ?? new Float64Array(units), units, label };
    this.size = units;
  }

  /** True while a dense layer waits for its bias or activation. */
  get denseOpen(): boolean {
    return this.open !== null;
  }

  addBias(c: Float64Array, label: string): void {
    if (!this.open) this.fail(label, 'a bias needs a dense layer before it');
    const b = this.open.b;
    for (let j = 0; j < b.length; j++) b[j] += c.length === 1 ? c[0]! : c[j]!;
  }

  /** Element-wise y = x·s + t (s, t broadcast from length 1 or `size`). */
  affine(s: ArrayLike<number> | number, t: ArrayLike<number> | number, label: string): void {
    this.guard(label);
    this.needSize(label);
    if (this.open) this.closeDense('identity', {});
    const n = this.size;
    const at = (v: ArrayLike<number> | number, j: number) => (typeof v === 'number' ? v : v.length === 1 ? v[0]! : v[j]!);
    const cur = this.scale ?? { s: new Float64Array(n).fill(1), t: new Float64Array(n), label };
    for (let j = 0; j < n; j++) {
      const sj = at(s, j);
      cur.s[j] = cur.s[j]! * sj;
      cur.t[j] = cur.t[j]! * sj + at(t, j);
    }
    this.scale = cur;
  }

  activation(name: ActivationName, p: ActivationParams, label: string): void {
    this.guard(label);
    this.needSize(label);
    if (!this.open) {
      this.flush();
      const n = this.size;
      const W = new Float64Array(n * n);
      for (let j = 0; j < n; j++) W[j * n + j] = 1;
      this.open = { W, b: new Float64Array(n), units: n, label };
    }
    const rowWise = name === 'softmax' || name === 'logSoftmax';
    if (rowWise && this.open.units < 2) this.fail(label, `a ${name === 'softmax' ? 'softmax' : 'log softmax'} over one unit is constant; simdnet needs at least 2 units`);
    this.closeDense(name, p);
    if (rowWise) this.ended = label;
  }

  batchNorm(p: { gamma: ArrayLike<number>; beta: ArrayLike<number>; mean: ArrayLike<number>; variance: ArrayLike<number>; epsilon: number; momentum: number }, label: string): void {
    this.guard(label);
    this.needSize(label);
    this.flush();
    const n = this.size;
    for (const [k, v] of Object.entries({ scale: p.gamma, bias: p.beta, mean: p.mean, variance: p.variance })) {
      if (v.length !== n) this.fail(label, `its ${k} has ${v.length} values, the layer has ${n} features`);
    }
    if (!(p.epsilon > 0)) this.fail(label, `epsilon must be > 0, got ${p.epsilon}`);
    const momentum = p.momentum > 0 && p.momentum <= 1 ? prettyF32(p.momentum) : 0.1;
    this.layers.push(batchNorm({ epsilon: prettyF32(p.epsilon), momentum }));
    this.weights.push({ gamma: Float32Array.from(p.gamma), beta: Float32Array.from(p.beta), runningMean: Float32Array.from(p.mean), runningVar: Float32Array.from(p.variance) });
  }

  dropout(rate: number, label: string): void {
    this.guard(label);
    this.flush();
    this.layers.push(dropout(rate));
  }

  /** The layers and their weights; the network ends with a dense layer (an identity one if needed). */
  finish(): { layers: LayerSpec[]; weights: LayerWeights[] } {
    this.flush();
    const last = this.layers[this.layers.length - 1];
    if (!last || last.type !== 'dense') {
      const n = this.size;
      const W = new Float64Array(n * n);
      for (let j = 0; j < n; j++) W[j * n + j] = 1;
      this.open = { W, b: new Float64Array(n), units: n, label: 'output' };
      this.closeDense('identity', {});
    }
    return { layers: this.layers, weights: this.weights };
  }
}
