// Sequential: a stack of dense / dropout / batch-norm layers trained by backpropagation.
// The public model object; the arithmetic lives in Network (network.ts) and the training loop in
// src/train/fit.ts. Same code on the WASM and the pure-TS backend.

import { defaultBackend, createBackendSync, type Backend, type BackendKind } from '../backend.js';
import { toMatrix, type Matrix, type MatrixLike } from '../data/matrix.js';
import { ModelFormatError, NotFittedError, ValidationError } from '../errors.js';
import { modelFromJSON, modelToJSON, nodeFsAsync, type SequentialJSON } from './serialize.js';
import { Rng } from '../rng.js';
import { resolveOptimizer, type OptimizerName, type OptimizerSpec } from '../train/optimizers.js';
import { OptimizerRuntime } from '../train/optimizer-runtime.js';
import { initWeights } from './init.js';
import { BatchNormRuntime, DenseRuntime, normalizeSpec, type LayerSpec } from './layers.js';
import { Network, type OutputMode } from './network.js';
import { toTargets, type Targets, type TargetsLike } from './targets.js';
import { defaultLoss, isLossName, LOSSES, lossRecord, type LossName } from './losses.js';
import { activationRecord } from './activations.js';
import { runAsync, runSync, trainLoop, type FitOptions, type History } from '../train/fit.js';
import { fitSource, isDataSource, type DataSource, type SourceFitOptions } from '../train/stream-fit.js';
import { sampleWeights } from '../data/weights.js';

export interface SequentialOptions {
  /** Number of input features. */
  inputSize: number;
  layers: LayerSpec[];
  /** Seeds initialization, dropout masks, rrelu slopes and (by default) shuffling. Default: random. */
  seed?: number;
  /** A backend from createBackend(), or 'wasm' / 'js' for a fresh one; default: the one `ready()` chose. */
  backend?: Backend | BackendKind;
}

export interface CompileOptions {
  /** Default: categoricalCrossentropy for softmax outputs, binaryCrossentropy for sigmoid, else meanSquaredError. */
  loss?: LossName;
  /** An optimizer (adam({...})) or its name with defaults. Default 'adam'. */
  optimizer?: OptimizerSpec | OptimizerName;
  /** L2 penalty (λ/2m)·ΣW² on weights only (never biases). Default 0. */
  l2?: number;
}

/** Per-layer parameters: dense {W (out×in row-major), b[, slope]}, batchNorm {gamma, beta, runningMean, runningVar}. */
export type LayerWeights = Record<string, Float32Array>;

export interface Evaluation { loss: number; accuracy?: number }

export interface CompiledState { loss: LossName; optimizer: OptimizerSpec; l2: number; mode: OutputMode }

function resolveBackend(b: SequentialOptions['backend']): Backend {
  if (b === undefined) return defaultBackend();
  if (b === 'wasm' || b === 'js') return createBackendSync({ backend: b });
  if (typeof b === 'object' && b && 'arena' in b && 'k' in b) return b;
  throw new ValidationError('backend', `expected a Backend, 'wasm' or 'js', got ${String(b)}`);
}

/**
 * A feed-forward network: dense / dropout / batch-norm layers, trained by backpropagation.
 * @example const model = new Sequential({ inputSize: 4, layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })] }).compile()
 */
export class Sequential {
  readonly inputSize: number;
  readonly layers: readonly LayerSpec[];
  readonly seed: number;
  /** @internal */
  readonly net: Network;
  /** @internal */
  compiled?: CompiledState;
  /** @internal */
  optimizer?: OptimizerRuntime;

  /**
   * @example new Sequential({ inputSize: 64, seed: 7, layers: [dense(32, { activation: 'relu' }), dense(10, { activation: 'softmax' })] })
   */
  constructor(options: SequentialOptions) {
    if (!options || typeof options !== 'object') throw new ValidationError('options', 'expected { inputSize, layers }');
    const { inputSize } = options;
    if (typeof inputSize !== 'number' || !Number.isInteger(inputSize) || inputSize < 1) {
      throw new ValidationError('inputSize', `expected a positive integer, got ${String(inputSize)}`);
    }
    if (!Array.isArray(options.layers) || options.layers.length === 0) {
      throw new ValidationError('layers', 'expected a non-empty array of layers (dense(), dropout(), batchNorm())');
    }
    const layers = options.layers.map((l, i) => normalizeSpec(l, i));
    if (layers[layers.length - 1]!.type !== 'dense') {
      throw new ValidationError('layers', `the last layer must be dense (the output layer), got ${layers[layers.length - 1]!.type}`);
    }
    layers.forEach((l, i) => {
      if (l.type === 'dense' && !activationRecord(l.activation).hidden && i !== layers.length - 1) {
        throw new ValidationError(`layers[${i}].activation`, `${l.activation} is an output activation; use it on the last layer only`);
      }
      if (l.type === 'dense' && l.activation === 'softmax' && l.units < 2) {
        throw new ValidationError(`layers[${i}].units`, 'a softmax output needs at least 2 units');
      }
    });
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (!Number.isInteger(seed)) throw new ValidationError('seed', `expected an integer, got ${seed}`);
    this.inputSize = inputSize;
    this.layers = layers;
    this.seed = seed >>> 0;
    this.net = new Network(resolveBackend(options.backend), inputSize, layers);
    this.initialize();
  }

  get backend(): Backend { return this.net.backend; }
  get outputSize(): number { return this.net.outputSize; }
  /** Number of learnable parameters. */
  get paramCount(): number { return this.net.paramCount; }

  /** Re-draws every parameter from the seed (what the constructor does). */
  initialize(seed: number = this.seed): void {
    const net = this.net;
    net.checkAlive();
    const rng = new Rng(seed);
    const v = net.arena.views;
    for (const rt of net.runtimes) {
      if (rt instanceof DenseRuntime) {
        const w = new Float32Array(rt.W.size);
        initWeights(w, rt.spec.init, rt.inSize, rt.outSize, rng, rt.spec.initEpsilon);
        v.f32.set(w, rt.W.ptr >>> 2);
        net.k.f32_fill(rt.b.ptr, rt.b.size, 0);
        if (rt.slope) net.k.f32_fill(rt.slope.ptr, rt.slope.size, rt.spec.alpha);
      }
    }
    for (const bn of net.batchNorms()) {
      net.k.f32_fill(bn.gamma.ptr, bn.gamma.size, 1);
      net.k.f32_fill(bn.beta.ptr, bn.beta.size, 0);
      net.k.f32_fill(bn.runMeanPtr, bn.outSize, 0);
      net.k.f32_fill(bn.runVarPtr, bn.outSize, 1);
    }
    new Rng((seed ^ 0x9e3779b9) >>> 0).writeState(v.u32, net.rngPtr);
  }

  /**
   * Chooses the loss, the optimizer and the L2 strength.
   * @example model.compile({ loss: 'categoricalCrossentropy', optimizer: adam({ learningRate: 1e-3 }), l2: 1e-4 })
   */
  compile(options: CompileOptions = {}): this {
    this.net.checkAlive();
    const act = this.net.last.activation;
    const loss = options.loss ?? defaultLoss(act);
    if (!isLossName(loss)) throw new ValidationError('loss', `unknown loss ${JSON.stringify(loss)}; expected one of ${LOSSES.join(', ')}`);
    const rec = lossRecord(loss);
    if (rec.output && act !== rec.output) {
      throw new ValidationError('loss', `${loss} needs a ${rec.output} output layer, the last layer has ${act}`);
    }
    if (rec.rejects?.includes(act)) {
      throw new ValidationError('loss', `${loss} with a ${act} output is not supported; use ${defaultLoss(act)}`);
    }
    const l2 = options.l2 ?? 0;
    if (typeof l2 !== 'number' || !(l2 >= 0) || !Number.isFinite(l2)) throw new ValidationError('l2', `expected a number ≥ 0, got ${String(l2)}`);
    const optimizer = resolveOptimizer(options.optimizer);
    this.optimizer?.dispose();
    this.optimizer = new OptimizerRuntime(optimizer, this.net.k, this.net.arena, this.net.params);
    this.compiled = { loss, optimizer, l2, mode: this.net.outputMode(loss) };
    this.net.l2 = l2;
    return this;
  }

  /** @internal */
  requireCompiled(): CompiledState {
    if (!this.compiled) throw new NotFittedError('model is not compiled: call model.compile({ loss, optimizer }) first');
    return this.compiled;
  }

  /** @internal Validates X against the model's input size. */
  toInput(X: MatrixLike, arg = 'X'): Matrix {
    const M = toMatrix(X, arg);
    if (M.cols !== this.inputSize) throw new ValidationError(arg, `has ${M.cols} columns, the model expects ${this.inputSize}`);
    return M;
  }

  /**
   * Outputs for every row of X: probabilities for softmax/sigmoid outputs, values otherwise.
   * @example Array.from(model.predict([[0, 1]]).data)
   */
  predict(X: MatrixLike, options: { batchSize?: number } = {}): Matrix {
    const net = this.net;
    net.checkAlive();
    const M = this.toInput(X);
    const chunk = Math.min(M.rows, Math.max(1, options.batchSize ?? 1024));
    net.ensureCapacity(chunk);
    const K = this.outputSize;
    const out = new Float32Array(M.rows * K);
    const d = this.inputSize;
    for (let start = 0; start < M.rows; start += chunk) {
      const m = Math.min(chunk, M.rows - start);
      net.arena.views.f32.set(M.data.subarray(start * d, (start + m) * d), net.inPtr >>> 2);
      const outPtr = net.forwardInfer(net.inPtr, m);
      out.set(net.arena.views.f32.subarray(outPtr >>> 2, (outPtr >>> 2) + m * K), start * K);
    }
    return { data: out, rows: M.rows, cols: K };
  }

  /** Class index per row: argmax of a softmax, 0/1 for one sigmoid (p ≥ 0.5). @example model.predictClasses(X) */
  predictClasses(X: MatrixLike): Int32Array {
    const P = this.predict(X);
    const out = new Int32Array(P.rows);
    for (let i = 0; i < P.rows; i++) {
      if (P.cols === 1) { out[i] = P.data[i]! >= 0.5 ? 1 : 0; continue; }
      let best = 0;
      for (let j = 1; j < P.cols; j++) if (P.data[i * P.cols + j]! > P.data[i * P.cols + best]!) best = j;
      out[i] = best;
    }
    return out;
  }

  /**
   * Loss (with the L2 term) and, for classifiers, accuracy.
   * @example const { loss, accuracy } = model.evaluate(X, y)
   */
  evaluate(X: MatrixLike, y: TargetsLike, options: { batchSize?: number } = {}): Evaluation {
    const c = this.requireCompiled();
    const M = this.toInput(X);
    return this.evaluateMatrices(M, toTargets(y, M.rows, this.outputSize, c.loss), options.batchSize);
  }

  /** @internal evaluate() on validated inputs. */
  evaluateMatrices(M: Matrix, T: Targets, batchSize = 1024): Evaluation {
    const c = this.requireCompiled();
    const net = this.net;
    const chunk = Math.min(M.rows, Math.max(1, batchSize));
    net.ensureCapacity(chunk);
    const K = this.outputSize;
    const d = this.inputSize;
    let lossSum = 0;
    let correct = 0;
    let compared = 0;
    for (let start = 0; start < M.rows; start += chunk) {
      const m = Math.min(chunk, M.rows - start);
      const f32 = net.arena.views.f32;
      f32.set(M.data.subarray(start * d, (start + m) * d), net.inPtr >>> 2);
      f32.set(T.Y.data.subarray(start * K, (start + m) * K), net.dOutPtr >>> 2);
      const outPtr = net.forwardInfer(net.inPtr, m);
      lossSum += net.inferLoss(outPtr, net.dOutPtr, m, c.mode) * m;
      correct += countCorrect(net, outPtr, net.dOutPtr, m, K, c.loss);
      compared += counted(m, K, c.loss);
    }
    const loss = lossSum / M.rows + net.l2Penalty(c.l2, M.rows);
    return lossRecord(c.loss).accuracy === undefined ? { loss } : { loss, accuracy: correct / compared };
  }

  /**
   * Trains by mini-batch gradient descent; yields to the event loop between batches and epochs.
   * @example const history = await model.fit(X, y, { epochs: 20, batchSize: 32, validationSplit: 0.2 })
   */
  fit(X: MatrixLike, y: TargetsLike, options?: FitOptions): Promise<History>;
  /** Trains on a data source: batches {X, y} from an iterable, or a dataset read once per epoch (a TableDataset). @example await model.fit(dataset, { epochs: 3, batchSize: 64 }) */
  fit(source: DataSource, options?: SourceFitOptions): Promise<History>;
  fit(X: MatrixLike | DataSource, y?: TargetsLike | SourceFitOptions, options: FitOptions = {}): Promise<History> {
    if (isDataSource(X)) return fitSource(this, X, (y ?? {}) as SourceFitOptions);
    try {
      return runAsync(trainLoop(this, X as MatrixLike, y as TargetsLike, options));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** fit(), synchronously (scripts, estimators). @example model.fitSync(X, y, { epochs: 5 }) */
  fitSync(X: MatrixLike, y: TargetsLike, options: FitOptions = {}): History {
    return runSync(trainLoop(this, X, y, options, true));
  }

  /** The parameters of each layer that has some (dropout layers have none and are skipped). @example model.getWeights()[0].W */
  getWeights(): LayerWeights[] {
    const net = this.net;
    net.checkAlive();
    const f32 = net.arena.views.f32;
    const copy = (ptr: number, n: number) => f32.slice(ptr >>> 2, (ptr >>> 2) + n);
    const out: LayerWeights[] = [];
    for (const rt of net.runtimes) {
      if (rt.params.length === 0) continue;
      const w: LayerWeights = {};
      for (const p of rt.params) w[p.name] = copy(p.ptr, p.size);
      if (rt instanceof BatchNormRuntime) {
        const bn = rt;
        w.runningMean = copy(bn.runMeanPtr, bn.outSize);
        w.runningVar = copy(bn.runVarPtr, bn.outSize);
      }
      out.push(w);
    }
    return out;
  }

  /** Sets parameters in the getWeights() layout (every tensor checked for size and finiteness). @example model.setWeights(other.getWeights()) */
  setWeights(weights: readonly LayerWeights[]): void {
    const net = this.net;
    net.checkAlive();
    const withParams = net.runtimes.filter((r) => r.params.length > 0);
    if (!Array.isArray(weights) || weights.length !== withParams.length) {
      throw new ValidationError('weights', `expected ${withParams.length} layer entries (one per layer with parameters), got ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    withParams.forEach((rt, li) => {
      const w = weights[li]!;
      const set = (name: string, ptr: number, n: number) => {
        const src = w[name];
        if (!src || src.length !== n) throw new ValidationError(`weights[${li}].${name}`, `expected ${n} values, got ${src ? src.length : 'none'}`);
        for (let i = 0; i < n; i++) if (!Number.isFinite(src[i]!)) throw new ValidationError(`weights[${li}].${name}`, `value ${i} is ${src[i]}, expected a finite number`);
        net.arena.views.f32.set(src, ptr >>> 2);
      };
      for (const p of rt.params) set(p.name, p.ptr, p.size);
      if (rt instanceof BatchNormRuntime) {
        if (w.runningMean) set('runningMean', rt.runMeanPtr, rt.outSize);
        if (w.runningVar) set('runningVar', rt.runVarPtr, rt.outSize);
      }
    });
  }

  /** The unrolled parameter vector θ: per layer W then b (then slope; batchNorm gamma then beta). @example const theta = model.getParams() */
  getParams(): Float32Array {
    return this.unroll(false);
  }

  /** Sets θ from an unrolled vector of length paramCount. @example model.setParams(theta) */
  setParams(theta: ArrayLike<number>): void {
    const net = this.net;
    net.checkAlive();
    if (!theta || theta.length !== net.paramCount) {
      throw new ValidationError('theta', `expected ${net.paramCount} values, got ${theta ? theta.length : String(theta)}`);
    }
    let off = 0;
    const f32 = net.arena.views.f32;
    for (const p of net.params) {
      for (let i = 0; i < p.size; i++) {
        const v = theta[off + i]!;
        if (!Number.isFinite(v)) throw new ValidationError('theta', `value ${off + i} is ${v}, expected a finite number`);
        f32[(p.ptr >>> 2) + i] = v;
      }
      off += p.size;
    }
  }

  /** @internal The gradient block unrolled like getParams. */
  unroll(grads: boolean): Float32Array {
    const net = this.net;
    net.checkAlive();
    const out = new Float32Array(net.paramCount);
    const f32 = net.arena.views.f32;
    let off = 0;
    for (const p of net.params) {
      const ptr = grads ? p.gradPtr : p.ptr;
      out.set(f32.subarray(ptr >>> 2, (ptr >>> 2) + p.size), off);
      off += p.size;
    }
    return out;
  }

  /**
   * Loss J (with L2) and its gradient for X, y as one batch, in training mode (dropout active,
   * batch statistics), without updating anything: running statistics and the random stream are restored.
   * @example const { loss, grads } = model.lossAndGradients(X, y); grads[0].W
   */
  lossAndGradients(X: MatrixLike, y: TargetsLike, options: { sampleWeight?: ArrayLike<number> } = {}): { loss: number; grads: LayerWeights[]; gradVector: Float32Array } {
    const loss = this.lossAndGradientsRaw(X, y, options);
    const net = this.net;
    const f32 = net.arena.views.f32;
    const grads: LayerWeights[] = [];
    for (const rt of net.runtimes) {
      if (rt.params.length === 0) continue;
      const g: LayerWeights = {};
      for (const p of rt.params) g[p.name] = f32.slice(p.gradPtr >>> 2, (p.gradPtr >>> 2) + p.size);
      grads.push(g);
    }
    return { loss, grads, gradVector: this.unroll(true) };
  }

  /** @internal Loss and gradients left in the gradient block. */
  lossAndGradientsRaw(X: MatrixLike, y: TargetsLike, options: { keepRng?: boolean; sampleWeight?: ArrayLike<number> } = {}): number {
    const c = this.requireCompiled();
    const net = this.net;
    const M = this.toInput(X);
    const T = toTargets(y, M.rows, this.outputSize, c.loss);
    net.assertTrainable();
    net.ensureCapacity(M.rows);
    const { arena } = net;
    const W = options.sampleWeight === undefined ? undefined : sampleWeights(undefined, M.rows, undefined, options.sampleWeight, 'sampleWeight');
    const xPtr = arena.alloc(M.data.length * 4);
    const yPtr = arena.alloc(T.Y.data.length * 4);
    const wPtr = W ? arena.alloc(M.rows * 4) : 0;
    try {
      arena.views.f32.set(M.data, xPtr >>> 2);
      arena.views.f32.set(T.Y.data, yPtr >>> 2);
      if (W) arena.views.f32.set(W, wPtr >>> 2);
      const rngBefore = arena.views.u32.slice(net.rngPtr >>> 2, (net.rngPtr >>> 2) + 4);
      const stats = net.batchNorms().map((bn) => ({ bn, mean: arena.views.f32.slice(bn.runMeanPtr >>> 2, (bn.runMeanPtr >>> 2) + bn.outSize), vr: arena.views.f32.slice(bn.runVarPtr >>> 2, (bn.runVarPtr >>> 2) + bn.outSize) }));
      net.trainStep(xPtr, yPtr, M.rows, c.mode, wPtr);
      net.addL2(M.rows);
      const loss = net.stepLoss;
      for (const s of stats) { arena.views.f32.set(s.mean, s.bn.runMeanPtr >>> 2); arena.views.f32.set(s.vr, s.bn.runVarPtr >>> 2); }
      if (!options.keepRng) arena.views.u32.set(rngBefore, net.rngPtr >>> 2);
      return loss;
    } finally {
      arena.free(xPtr);
      arena.free(yPtr);
      if (wPtr) arena.free(wPtr);
    }
  }

  /** A text table of the layers and parameter counts. @example console.log(model.summary()) */
  summary(): string {
    const rows: string[] = [];
    let size = this.inputSize;
    rows.push(`input            ${String(size).padStart(6)}`);
    for (const l of this.layers) {
      let desc: string;
      let params = 0;
      if (l.type === 'dense') {
        params = l.units * size + l.units + (l.activation === 'prelu' ? l.units : 0);
        desc = `dense ${l.activation}`;
        size = l.units;
      } else if (l.type === 'dropout') desc = `dropout ${l.rate}`;
      else { desc = 'batchNorm'; params = 2 * size; }
      rows.push(`${desc.padEnd(16)} ${String(size).padStart(6)} ${String(params).padStart(9)} params`);
    }
    rows.push(`total ${this.paramCount} parameters; backend ${this.backend.kind} (${this.backend.binary})`);
    return rows.join('\n');
  }

  /** Architecture, compile settings and weights as plain JSON (weights exact, base64 float32). @example const json = model.toJSON() */
  toJSON(): SequentialJSON {
    return modelToJSON(this);
  }

  /** Rebuilds a model from toJSON() output (an object or its string). @example const m = Sequential.fromJSON(json) */
  static fromJSON(json: unknown, options: { backend?: SequentialOptions['backend'] } = {}): Sequential {
    return modelFromJSON(json, options);
  }

  /** Writes the model as JSON (Node). @example await model.save('model.json') */
  async save(path: string): Promise<void> {
    await nodeFsAsync('save').promises.writeFile(path, JSON.stringify(this.toJSON()));
  }

  /** Reads a model written by save() (Node). @example const m = await Sequential.load('model.json') */
  static async load(path: string, options: { backend?: SequentialOptions['backend'] } = {}): Promise<Sequential> {
    let text: string;
    try {
      text = await nodeFsAsync('load').promises.readFile(path, 'utf8');
    } catch (e) {
      if (e instanceof ModelFormatError) throw e;
      throw new ModelFormatError(`cannot read model file ${path}: ${(e as Error).message}`);
    }
    return modelFromJSON(text, options);
  }

  /** Returns every byte this model holds in the arena. The model cannot be used afterwards. @example model.dispose() */
  dispose(): void {
    this.optimizer?.dispose();
    this.optimizer = undefined;
    this.net.dispose();
  }
}

/** Counts correct predictions of m rows: outputs at outPtr against targets at yPtr (both in the arena).
 *  Returns the number correct; `counted` tells how many predictions were compared (0 for regression). */
export function countCorrect(net: Network, outPtr: number, yPtr: number, m: number, K: number, loss: LossName): number {
  const f32 = net.arena.views.f32;
  const o = outPtr >>> 2;
  const y = yPtr >>> 2;
  let correct = 0;
  const accuracy = lossRecord(loss).accuracy;
  if (accuracy === 'argmax') {
    net.k.f32_argmax_rows(outPtr, net.argPtr, m, K);
    const i32 = net.arena.views.i32;
    const a = net.argPtr >>> 2;
    for (let i = 0; i < m; i++) {
      const row = y + i * K;
      let best = 0;
      for (let j = 1; j < K; j++) if (f32[row + j]! > f32[row + best]!) best = j;
      if (i32[a + i] === best) correct++;
    }
  } else if (accuracy === 'threshold') {
    for (let i = 0; i < m * K; i++) if ((f32[o + i]! >= 0.5) === (f32[y + i]! >= 0.5)) correct++;
  }
  return correct;
}

/** How many predictions countCorrect compares for m rows. */
export function counted(m: number, K: number, loss: LossName): number {
  const accuracy = lossRecord(loss).accuracy;
  return accuracy === 'argmax' ? m : accuracy === 'threshold' ? m * K : 0;
}
