// Sequential: a stack of layers trained by backpropagation — the public model object. The arithmetic
// lives in Network (network.ts), what compile() chose in a TrainingSession (src/train/session.ts),
// the training loop in src/train/fit.ts, the file format in serialize.ts. Same code on WASM and TS.

import { resolveBackend, type Backend, type BackendKind } from '../backend.js';
import { argmaxAt, type Matrix, type MatrixLike } from '../data/matrix.js';
import { sampleWeights } from '../data/weights.js';
import { ModelFormatError, NotFittedError, ValidationError } from '../errors.js';
import { writeFileAtomicAsync } from '../io/atomic.js';
import { DISPOSE } from '../memory/lifetime.js';
import { Rng } from '../rng.js';
import { checkpointSupport } from '../train/checkpoint-hooks.js';
import type { Checkpoint, CheckpointSource } from '../train/types.js';
import { runAsync, runSync, trainLoop, type FitOptions, type History } from '../train/fit.js';
import { fitSource, isDataSource, type DataSource, type SourceFitOptions } from '../train/stream-fit.js';
import { resolveCompile, storedCompile, TrainingSession, type CompiledSettings, type CompileOptions, type Evaluation } from '../train/session.js';
import { layerType, normalizeSpec, outputTypes, type LayerDescription, type LayerSpec } from './layers.js';
import { Network } from './network.js';
import { checkWeights, readGradients, readWeights, unroll, writeUnrolled, writeWeights, type LayerWeights } from './params.js';
import { checkTensorNames, decodeModel, encodeModel, nodeFsAsync, type SequentialJSON } from './serialize.js';
import { checkPredictOptions, predictSampled, type PredictOptions, type SampledPrediction, type SampleOptions } from './mc-dropout.js';
import { networkStatistics, type ModelStatistics, type StatisticsOptions } from './statistics.js';
import { inputGradientOf, traceNetwork, type Trace, type TraceMatrix, type TraceOptions } from './trace.js';
import type { TargetsLike } from './targets.js';

export type { CompiledSettings, CompileOptions, Evaluation, LayerWeights, PredictOptions, SampledPrediction, SampleOptions };

export interface SequentialOptions {
  /** Number of input features. */
  inputSize: number;
  layers: LayerSpec[];
  /** Seeds initialization, dropout masks, rrelu slopes and (by default) shuffling. Default: random. */
  seed?: number;
  /** A backend from createBackend(), or 'wasm' / 'js' for a fresh one; default: the one `ready()` chose. */
  backend?: Backend | BackendKind;
  /** @internal Weights to start from (getWeights' layout), checked against the layers before anything is allocated. */
  weights?: readonly Readonly<Record<string, ArrayLike<number>>>[];
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
  private current?: TrainingSession;

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
    const last = layers[layers.length - 1]!;
    if (!layerType(last.type).output) {
      throw new ValidationError('layers', `the last layer must be ${outputTypes().join(' or ')} (the output layer), got ${last.type}`);
    }
    layers.forEach((l, i) => layerType(l.type).place?.(l, i, layers.length));
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (!Number.isInteger(seed)) throw new ValidationError('seed', `expected an integer, got ${seed}`);
    this.inputSize = inputSize;
    this.layers = layers;
    this.seed = seed >>> 0;
    const weights = options.weights;
    this.net = new Network(resolveBackend(options.backend), inputSize, layers, weights && ((net) => checkWeights(net, weights)));
    try {
      this.initialize();
      if (weights) writeWeights(this.net, weights);
    } catch (e) {
      this.net.dispose();
      throw e;
    }
  }

  get backend(): Backend { return this.net.backend; }
  get outputSize(): number { return this.net.outputSize; }
  /** Number of learnable parameters. */
  get paramCount(): number { return this.net.paramCount; }
  /** What compile() chose (undefined before it is called). @example model.compiled?.loss */
  get compiled(): Readonly<CompiledSettings> | undefined { return this.current?.settings; }

  /** @internal The training session compile() made: network, optimizer and settings. */
  get session(): TrainingSession {
    this.net.checkAlive();
    if (!this.current) throw new NotFittedError('model is not compiled: call model.compile({ loss, optimizer }) first');
    return this.current;
  }

  /** Re-draws every parameter from the seed (what the constructor does). */
  initialize(seed: number = this.seed): void {
    const net = this.net;
    net.checkAlive();
    net.paramsChanged();
    const rng = new Rng(seed);
    for (const rt of net.runtimes) rt.initialize(rng);
    new Rng((seed ^ 0x9e3779b9) >>> 0).writeState(net.arena.views.u32, net.rngPtr);
  }

  /**
   * Chooses the loss, the optimizer, the L2 strength and how they add up (l2Scale, reduction; docs/training.md).
   * @example model.compile({ loss: 'categoricalCrossentropy', optimizer: adam({ learningRate: 1e-3 }), l2: 1e-4, l2Scale: 'dataset' })
   */
  compile(options: CompileOptions = {}): this {
    this.net.checkIdle('compile()');
    const settings = resolveCompile(options, this.net.last.activation);
    this.current?.dispose();
    this.current = new TrainingSession(this.net, settings);
    return this;
  }

  /**
   * Outputs for every row of X: probabilities for softmax/sigmoid outputs, values otherwise. With
   * `samples: n`, Monte-Carlo dropout: n passes with fresh dropout masks (seeded), their mean and std.
   * @example Array.from(model.predict([[0, 1]]).data); const { mean, std } = model.predict(X, { samples: 100, seed: 1 })
   */
  predict(X: MatrixLike, options?: PredictOptions): Matrix;
  predict(X: MatrixLike, options: SampleOptions): SampledPrediction;
  predict(X: MatrixLike, options?: PredictOptions | SampleOptions): Matrix | SampledPrediction {
    if (options === undefined) return this.runRows(X, undefined, false);
    checkPredictOptions(options, 'predict');
    if ('samples' in options || 'seed' in options) return predictSampled(this.net, this.seed, X, options as SampleOptions, 'predict');
    return this.runRows(X, options.batchSize, false);
  }

  /**
   * predict() for a softmax or sigmoid output (class probabilities), with the same options.
   * @example const { mean, std } = model.predictProba(X, { samples: 50 })
   */
  predictProba(X: MatrixLike, options?: PredictOptions): Matrix;
  predictProba(X: MatrixLike, options: SampleOptions): SampledPrediction;
  predictProba(X: MatrixLike, options?: PredictOptions | SampleOptions): Matrix | SampledPrediction {
    const act = this.net.last.activation;
    if (act !== 'softmax' && act !== 'sigmoid') throw new ValidationError('model', `predictProba needs a softmax or sigmoid output, this model's is ${act}`);
    return this.predict(X, options as SampleOptions);
  }

  /**
   * The output layer's z = W·a + b for every row, before its activation (the logits of a softmax or sigmoid output).
   * @example model.predictLogits([[0, 1]]).data[0] >= 0 // the hard decision of a sigmoid output
   */
  predictLogits(X: MatrixLike, options?: { batchSize?: number }): Matrix {
    return this.runRows(X, options?.batchSize, true);
  }

  /** Runs the inference forward (to the outputs, or to the logits) on chunks of X staged in the arena and
   *  gathers the rows it leaves. No closure or option object per call: one sample is a ~15 µs job. */
  private runRows(X: MatrixLike, batchSize: number | undefined, logits: boolean): Matrix {
    const net = this.net;
    net.checkAlive();
    const M = net.toInput(X);
    if (batchSize !== undefined && !(typeof batchSize === 'number' && batchSize >= 1)) throw new ValidationError('batchSize', `expected a number ≥ 1, got ${String(batchSize)}`);
    const rows = M.rows;
    const chunk = Math.min(rows, Math.max(1, Math.floor(batchSize ?? 1024)));
    net.ensureCapacity(chunk);
    const K = this.outputSize;
    const out = new Float32Array(rows * K);
    const d = this.inputSize;
    const inAt = net.inPtr >>> 2;
    for (let start = 0; start < rows; start += chunk) {
      const m = Math.min(chunk, rows - start);
      // Views are taken after each call that may allocate (the first small-batch forward packs W).
      net.arena.views.f32.set(m === rows ? M.data : M.data.subarray(start * d, (start + m) * d), inAt);
      const outAt = (logits ? net.forwardLogits(net.inPtr, m) : net.forwardInfer(net.inPtr, m)) >>> 2;
      const f32 = net.arena.views.f32;
      const n = m * K;
      if (n <= 64) for (let i = 0, o = start * K; i < n; i++) out[o + i] = f32[outAt + i]!;
      else out.set(f32.subarray(outAt, outAt + n), start * K);
    }
    return { data: out, rows, cols: K };
  }

  /**
   * Class index per row. Softmax and sigmoid outputs decide from the logits z, exactly: one sigmoid
   * output gives 1{z ≥ 0} (the notes' hard threshold; σ(z) ≥ 0.5 in float32 calls z = −1e-7 class 1),
   * several give the argmax of z (= the argmax of the probabilities). Other outputs: argmax of the
   * outputs, or output ≥ 0.5 for a single one.
   * @example model.predictClasses(X)
   */
  predictClasses(X: MatrixLike): Int32Array {
    const act = this.net.last.activation;
    const logits = act === 'sigmoid' || act === 'softmax';
    const P = logits ? this.predictLogits(X) : this.predict(X);
    const cut = logits ? 0 : 0.5;
    const out = new Int32Array(P.rows);
    for (let i = 0; i < P.rows; i++) out[i] = P.cols === 1 ? (P.data[i]! >= cut ? 1 : 0) : argmaxAt(P.data, i * P.cols, P.cols);
    return out;
  }

  /**
   * Loss (with the L2 term) and, for classifiers, accuracy.
   * @example const { loss, accuracy } = model.evaluate(X, y)
   */
  evaluate(X: MatrixLike, y: TargetsLike, options: { batchSize?: number } = {}): Evaluation {
    const s = this.session;
    const M = this.net.toInput(X);
    return s.evaluate(M, s.targets(y, M.rows), options.batchSize);
  }

  /**
   * Trains by mini-batch gradient descent; yields to the event loop between batches and epochs.
   * @example const history = await model.fit(X, y, { epochs: 20, batchSize: 32, validationSplit: 0.2 })
   */
  fit(X: MatrixLike, y: TargetsLike, options?: FitOptions): Promise<History>;
  /** Trains on a data source: batches {X, y} from an iterable, or a dataset read once per epoch (a TableDataset). @example await model.fit(dataset, { epochs: 3, batchSize: 64 }) */
  fit(source: DataSource, options?: SourceFitOptions): Promise<History>;
  fit(X: MatrixLike | DataSource, y?: TargetsLike | SourceFitOptions, options: FitOptions = {}): Promise<History> {
    try {
      if (isDataSource(X)) {
        return fitSource(this.session, X, (y ?? {}) as SourceFitOptions, () => this.checkpointModel());
      }
      return runAsync(trainLoop(this.session, X as MatrixLike, y as TargetsLike, options, { sync: false, seed: this.seed, model: () => this.checkpointModel() }));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** fit(), synchronously (scripts, estimators). @example model.fitSync(X, y, { epochs: 5 }) */
  fitSync(X: MatrixLike, y: TargetsLike, options: FitOptions = {}): History {
    return runSync(trainLoop(this.session, X, y, options, { sync: true, seed: this.seed, model: () => this.checkpointModel() }));
  }

  private checkpointModel(): Checkpoint['model'] {
    return { inputSize: this.inputSize, seed: this.seed, layers: [...this.layers], compile: storedCompile(this.session.settings) };
  }

  /**
   * A compiled model of the architecture a checkpoint holds, for fit(X, y, { resumeFrom: checkpoint }) (the weights come with the resume).
   * @example const c = readCheckpoint('run.ckpt'); const m = Sequential.fromCheckpoint(c); await m.fit(X, y, { epochs: 50, resumeFrom: c })
   */
  static fromCheckpoint(source: CheckpointSource, options: { backend?: SequentialOptions['backend'] } = {}): Sequential {
    const c = checkpointSupport('checkpoint').read(source, 'checkpoint');
    const m = c.model;
    const model = new Sequential({ inputSize: m.inputSize, layers: m.layers, seed: m.seed, backend: options.backend });
    try {
      return model.compile(m.compile);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** The parameters (and state) of each layer that has some (dropout layers have none and are skipped). @example model.getWeights()[0].W */
  getWeights(): LayerWeights[] {
    return readWeights(this.net);
  }

  /** Sets parameters in the getWeights() layout (every tensor checked for size and finiteness; Float32Array, Float64Array or number[]). @example model.setWeights(other.getWeights()) */
  setWeights(weights: readonly Readonly<Record<string, ArrayLike<number>>>[]): void {
    writeWeights(this.net, weights);
  }

  /** The unrolled parameter vector θ: per layer W then b (then slope; batchNorm gamma then beta). @example const theta = model.getParams() */
  getParams(): Float32Array {
    return unroll(this.net, false);
  }

  /** Sets θ from an unrolled vector of length paramCount. @example model.setParams(theta) */
  setParams(theta: ArrayLike<number>): void {
    writeUnrolled(this.net, theta);
  }

  /**
   * Loss J (with L2) and its gradient for X, y as one batch, in training mode (dropout active,
   * batch statistics), without updating anything: running statistics and the random stream are restored.
   * @example const { loss, grads } = model.lossAndGradients(X, y); grads[0].W
   */
  lossAndGradients(X: MatrixLike, y: TargetsLike, options: { sampleWeight?: ArrayLike<number> } = {}): { loss: number; grads: LayerWeights[]; gradVector: Float32Array } {
    const s = this.session;
    const net = this.net;
    const M = net.toInput(X);
    const T = s.targets(y, M.rows);
    const W = options.sampleWeight === undefined ? undefined : sampleWeights(undefined, M.rows, undefined, options.sampleWeight, 'sampleWeight');
    const loss = s.lossAndGradients(M, T, W);
    return { loss, grads: readGradients(net), gradVector: unroll(net, true) };
  }

  /**
   * Every intermediate value of one pass over X, copied into arrays you own: per layer z and a, and
   * with targets δ = ∂J/∂z, ∂J/∂W, ∂J/∂b and ∂J/∂x (training mode, nothing updated, state restored).
   * `layout: 'notes'` gives Θ = [b | W] and D = ∂J/∂Θ; `precision: 'float64'` runs a double-precision
   * copy of the model. A teaching and debugging tool (it allocates its outputs), not a training path.
   * @example const t = model.trace(X, y, { layout: 'notes' }); t.layers[0].z; t.layers[1].dTheta
   */
  trace(X: MatrixLike, y?: TargetsLike, options?: TraceOptions): Trace {
    return traceNetwork(this.net, this.current, X, y, options);
  }

  /**
   * ∂J/∂x: the gradient of the loss J (training mode, L2 included) with respect to every input value,
   * rows × inputSize (saliency, adversarial directions; the notes' ∂L/∂x). From trace().
   * @example const g = model.inputGradient(X, y); g.data[0] // ∂J/∂x of row 0, feature 0
   */
  inputGradient(X: MatrixLike, y: TargetsLike, options?: Pick<TraceOptions, 'precision'>): TraceMatrix {
    return inputGradientOf(this.net, this.current, X, y, options);
  }

  /**
   * Per layer: mean, std, min, quartiles and max of the activations and pre-activations on X, and
   * with targets of δ, the weight, bias and input gradients (from trace()).
   * @example model.statistics(X, y).layers[0].activation.median
   */
  statistics(X: MatrixLike, y?: TargetsLike, options?: StatisticsOptions): ModelStatistics {
    return networkStatistics(this.net, this.current, X, y, options);
  }

  /** What each layer is: type, label, activation, output size and parameter count. @example model.describeLayers()[0].params */
  describeLayers(): LayerDescription[] {
    return this.net.runtimes.map((rt) => rt.describe());
  }

  /** A text table of the layers and parameter counts. @example console.log(model.summary()) */
  summary(): string {
    const rows = [`input            ${String(this.inputSize).padStart(6)}`];
    for (const d of this.describeLayers()) {
      const desc = d.activation ? `${d.label} ${d.activation}` : d.label;
      rows.push(`${desc.padEnd(16)} ${String(d.units).padStart(6)} ${String(d.params).padStart(9)} params`);
    }
    rows.push(`total ${this.paramCount} parameters; backend ${this.backend.kind} (${this.backend.binary})`);
    return rows.join('\n');
  }

  /** Architecture, compile settings and weights as plain JSON (weights exact, base64 float32). @example const json = model.toJSON() */
  toJSON(): SequentialJSON {
    const c = this.compiled;
    return encodeModel({
      inputSize: this.inputSize, seed: this.seed, layers: [...this.layers],
      compile: c ? storedCompile(c) : null, weights: this.getWeights(),
    });
  }

  /** Rebuilds a model from toJSON() output (an object or its string). @example const m = Sequential.fromJSON(json) */
  static fromJSON(json: unknown, options: { backend?: SequentialOptions['backend'] } = {}): Sequential {
    const d = decodeModel(json);
    let model: Sequential;
    try {
      model = new Sequential({ inputSize: d.inputSize, layers: d.layers, seed: d.seed, backend: options.backend, weights: d.weights });
    } catch (e) {
      const weights = e instanceof ValidationError && e.argument.startsWith('weights');
      throw new ModelFormatError(`model file ${weights ? 'is corrupt' : 'describes an invalid network'}: ${(e as Error).message}`);
    }
    try {
      checkTensorNames(d.weights, model.getWeights());
      if (d.compile) model.compile(d.compile);
    } catch (e) {
      model.dispose();
      throw e instanceof ModelFormatError ? e : new ModelFormatError(`model file is corrupt: ${(e as Error).message}`);
    }
    return model;
  }

  /** Writes the model as JSON (Node), atomically: a failed write leaves the old file intact. @example await model.save('model.json') */
  async save(path: string): Promise<void> {
    await writeFileAtomicAsync(path, JSON.stringify(this.toJSON()), 'save');
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
    return Sequential.fromJSON(text, options);
  }

  /** Returns every byte this model holds in the arena. The model cannot be used afterwards. @example model.dispose() */
  dispose(): void {
    if (this.net.disposed) return;
    this.net.checkIdle('dispose()');
    this.current?.dispose();
    this.current = undefined;
    this.net.dispose();
  }

  /** dispose(), for `using model = new Sequential(...)`. */
  [DISPOSE](): void { this.dispose(); }
}
