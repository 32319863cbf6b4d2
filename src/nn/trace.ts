// model.trace(X, y?): every intermediate value of one pass through the network, as the lecture
// notes compute them by hand — per layer z and a, and with targets δ = ∂J/∂z, ∂J/∂W, ∂J/∂b and
// ∂J/∂x — copied out of the arena into arrays JavaScript owns (one allocation per call). A teaching
// and debugging tool: training never calls it.

import type { MatrixLike } from '../data/matrix.js';
import { NotFittedError, SimdnetError, ValidationError } from '../errors.js';
import type { TrainingSession } from '../train/session.js';
import type { ActivationName } from './activations.js';
import type { ParamTensor } from './layers.js';
import type { Network } from './network.js';
import { restoreState, snapshotState } from './params.js';
import type { Targets, TargetsLike } from './targets.js';
import { checkPrecision, withPrecision, type Precision } from './twin.js';

/** How parameter-shaped values are laid out: simdnet's W (out × in) and b, or the notes' Θ (out × (in + 1), bias column first). */
export type ParamLayout = 'simdnet' | 'notes';

export type TraceArray = Float32Array | Float64Array;

/** A row-major matrix of a trace: element (i, j) is `data[i * cols + j]`. */
export interface TraceMatrix { data: TraceArray; rows: number; cols: number }

export interface TraceOptions {
  /** 'simdnet' (default): W and b (and dW, db); 'notes': Θ and its gradient D with the bias column first. */
  layout?: ParamLayout;
  /** 'float32' (default): the model's own arithmetic; 'float64': a double-precision copy of the model (the pure-TS kernels). */
  precision?: Precision;
  /** A training-mode pass (dropout masks, batch statistics; state restored afterwards). Default: true with targets (gradients are of the training-mode J), false without. */
  training?: boolean;
}

/** One layer of a trace. Batch values have one row per sample. */
export interface LayerTrace {
  /** Index in the model's layer list. */
  layer: number;
  /** 'dense', 'dropout', 'batchNorm'. */
  type: string;
  activation?: ActivationName;
  /** Pre-activation z = x·Wᵀ + b (dense layers), rows × units. */
  z?: TraceMatrix;
  /** The layer's output a, rows × units (the last layer: probabilities for softmax / sigmoid). */
  a: TraceMatrix;
  /** With targets: δ = ∂J/∂z (dense layers). J is the mean over the rows, so row i is the notes' δ of example i divided by m. */
  delta?: TraceMatrix;
  /** With targets: ∂J/∂x, the gradient with respect to the layer's input, rows × inputs. */
  dx?: TraceMatrix;
  /** Layout 'simdnet', dense layers: the weights W (units × inputs) and biases b. */
  W?: TraceMatrix;
  b?: TraceArray;
  /** Layout 'simdnet', with targets: ∂J/∂W (L2 term included) and ∂J/∂b. */
  dW?: TraceMatrix;
  db?: TraceArray;
  /** Layout 'notes', dense layers: Θ = [b | W], units × (inputs + 1), the bias column first. */
  Theta?: TraceMatrix;
  /** Layout 'notes', with targets: D = ∂J/∂Θ in Θ's layout. */
  dTheta?: TraceMatrix;
  /** With targets: the gradient of every parameter tensor of the layer by name (W, b, slope, gamma, beta), flat, simdnet's order. */
  grads?: Record<string, TraceArray>;
}

export interface Trace {
  layout: ParamLayout;
  precision: Precision;
  training: boolean;
  /** Samples traced. */
  rows: number;
  /** With targets: J, the mean loss plus the L2 term (what lossAndGradients returns). */
  loss?: number;
  /** The network's output (the last layer's a). */
  output: TraceMatrix;
  layers: LayerTrace[];
}

function checkOptions(o: TraceOptions, targets: boolean): Required<TraceOptions> {
  if (o === null || typeof o !== 'object') throw new ValidationError('options', `expected an object, got ${String(o)}`);
  const layout = o.layout ?? 'simdnet';
  if (layout !== 'simdnet' && layout !== 'notes') throw new ValidationError('layout', `expected 'simdnet' or 'notes', got ${JSON.stringify(o.layout)}`);
  const training = o.training ?? targets;
  if (typeof training !== 'boolean') throw new ValidationError('training', `expected true or false, got ${String(o.training)}`);
  if (targets && !training) {
    throw new ValidationError('training', 'gradients are those of the training-mode loss; trace(X, y) runs in training mode (use trace(X, undefined, { training: false }) for inference values)');
  }
  return { layout, precision: checkPrecision(o.precision), training };
}

/** The trace of a network (its session for the loss, when there are targets). */
export function traceNetwork(net: Network, session: TrainingSession | undefined, X: MatrixLike, y: TargetsLike | undefined, options: TraceOptions = {}): Trace {
  net.checkAlive();
  const opts = checkOptions(options, y !== undefined);
  const M = net.toInput(X);
  if (M.rows === 0) throw new ValidationError('X', 'has no rows; expected at least one sample');
  let T: Targets | undefined;
  if (y !== undefined) {
    if (!session) throw new NotFittedError('trace(X, y) needs the loss: call model.compile({ loss }) first (or trace(X) for the forward values)');
    T = session.targets(y, M.rows);
  }
  return withPrecision(opts.precision, net, session, (n, s) => {
    n.ensureCapacity(M.rows);
    let trace: Trace | undefined;
    if (T) {
      n.keepInputGradient();
      n.wantInputGradient = true;
      try {
        const loss = s!.lossAndGradients(M, T, undefined, false, () => { trace = collect(n, M.rows, true, opts); });
        trace!.loss = loss;
      } finally {
        n.wantInputGradient = false;
      }
    } else {
      const before = opts.training ? snapshotState(n) : undefined;
      n.arena.views.f32.set(M.data, n.inPtr >>> 2);
      forwardTrace(n, M.rows, opts.training);
      trace = collect(n, M.rows, false, opts);
      if (before) restoreState(n, before);
    }
    return trace!;
  });
}

/** Forward of m rows staged at net.inPtr, every layer's output recorded in outPtrs, pre-activations kept. */
function forwardTrace(net: Network, m: number, training: boolean): void {
  let ptr = net.inPtr;
  for (let i = 0; i < net.runtimes.length; i++) net.outPtrs[i] = ptr = net.runtimes[i]!.forward(ptr, m, training, net.workPtr, true);
  net.dInPtrs.fill(0);
}

/** Copies the values the last pass left in the layers: sizes first, then one backing array. */
function collect(net: Network, m: number, grads: boolean, opts: Required<TraceOptions>): Trace {
  const f32 = net.arena.views.f32;
  const plan: number[] = [];
  net.runtimes.forEach((rt) => {
    const rows = m * rt.outSize;
    const taps = rt.taps();
    plan.push(rows, taps ? rows : 0);
    if (grads) plan.push(taps ? rows : 0, m * rt.inSize, ...rt.params.map((p) => p.size));
    const wb = denseParams(rt.params);
    if (wb) plan.push((wb.W.size + wb.b.size) * (grads && opts.layout === 'notes' ? 2 : 1));
  });
  const total = plan.reduce((s, v) => s + v, 0);
  const store = net.backend.precision === 'float64' ? new Float64Array(total) : new Float32Array(total);
  let at = 0;
  const take = (n: number): TraceArray => { const v = store.subarray(at, at + n); at += n; return v; };
  const copy = (ptr: number, n: number): TraceArray => { const v = take(n); v.set(f32.subarray(ptr >>> 2, (ptr >>> 2) + n)); return v; };
  const matrix = (data: TraceArray, rows: number, cols: number): TraceMatrix => ({ data, rows, cols });
  const layers = net.runtimes.map((rt, i): LayerTrace => {
    const d = rt.describe();
    const out = rt.outSize;
    const taps = rt.taps();
    const lt: LayerTrace = { layer: i, type: d.type, a: matrix(copy(net.outPtrs[i]!, m * out), m, out) };
    if (d.activation) lt.activation = d.activation;
    if (taps) lt.z = matrix(copy(taps.zPtr, m * out), m, out);
    if (grads) {
      if (taps) lt.delta = matrix(copy(taps.dzPtr, m * out), m, out);
      const dIn = net.dInPtrs[i]!;
      const dx = take(m * rt.inSize);
      if (dIn) dx.set(f32.subarray(dIn >>> 2, (dIn >>> 2) + m * rt.inSize));
      lt.dx = matrix(dx, m, rt.inSize);
      lt.grads = {};
      for (const p of rt.params) lt.grads[p.name] = copy(p.gradPtr, p.size);
    }
    const wb = denseParams(rt.params);
    if (wb) {
      const { W, b } = wb;
      const inputs = W.size / b.size;
      if (opts.layout === 'simdnet') {
        lt.W = matrix(copy(W.ptr, W.size), b.size, inputs);
        lt.b = copy(b.ptr, b.size);
        if (grads) { lt.dW = matrix(lt.grads!.W!, b.size, inputs); lt.db = lt.grads!.b!; }
      } else {
        lt.Theta = matrix(theta(take(W.size + b.size), f32, W.ptr, b.ptr, b.size, inputs), b.size, inputs + 1);
        if (grads) lt.dTheta = matrix(theta(take(W.size + b.size), f32, W.gradPtr, b.gradPtr, b.size, inputs), b.size, inputs + 1);
      }
    }
    return lt;
  });
  if (at !== total) throw new SimdnetError(`trace: planned ${total} values, filled ${at}`);
  const lastOut = layers[layers.length - 1]!.a;
  return { layout: opts.layout, precision: net.backend.precision, training: opts.training, rows: m, output: lastOut, layers };
}

/** A layer's weight matrix and bias vector (dense layers), by the names the layer gives its tensors. */
function denseParams(params: readonly ParamTensor[]): { W: ParamTensor; b: ParamTensor } | undefined {
  const W = params.find((p) => p.name === 'W');
  const b = params.find((p) => p.name === 'b');
  return W && b ? { W, b } : undefined;
}

/** Θ = [b | W] row-major, from W (rows × cols) at wPtr and b at bPtr. */
function theta(out: TraceArray, f32: Float32Array, wPtr: number, bPtr: number, rows: number, cols: number): TraceArray {
  for (let r = 0; r < rows; r++) {
    out[r * (cols + 1)] = f32[(bPtr >>> 2) + r]!;
    for (let c = 0; c < cols; c++) out[r * (cols + 1) + c + 1] = f32[(wPtr >>> 2) + r * cols + c]!;
  }
  return out;
}

/** ∂J/∂X of a network for inputs X and targets y: the first layer's dx of a trace (rows × inputs). */
export function inputGradientOf(net: Network, session: TrainingSession | undefined, X: MatrixLike, y: TargetsLike, options: Pick<TraceOptions, 'precision'> = {}): TraceMatrix {
  if (y === undefined) throw new ValidationError('y', 'is missing: the input gradient is ∂J/∂x, and J needs the targets');
  return traceNetwork(net, session, X, y, { precision: options.precision }).layers[0]!.dx!;
}
