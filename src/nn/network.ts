// The compute core of a Sequential model: layer runtimes, one contiguous parameter block and one
// gradient block in the arena, batch buffers sized for the largest batch, and the forward /
// loss / backward passes as kernel calls. Nothing here allocates per step.

import type { Backend } from '../backend.js';
import { argmaxAt, toMatrix, type Matrix, type MatrixLike } from '../data/matrix.js';
import { LifecycleError, ValidationError } from '../errors.js';
import { createRuntime, outputTypes, type LayerRuntime, type LayerSpec, type OutputLayer, type ParamTensor, type StateTensor } from './layers.js';
import { ArenaLease } from '../memory/arena.js';
import { forget, reclaimOnCollect } from '../memory/lifetime.js';
import { lossRecord, type AccuracyRule, type LossName, type OutputMode } from './losses.js';

const PAD = 16; // floats: every tensor starts 64-byte aligned inside the blocks
const padded = (floats: number) => Math.ceil(floats / PAD) * PAD;
export type { OutputMode };

export class Network {
  readonly runtimes: LayerRuntime[] = [];
  readonly params: ParamTensor[] = [];
  /** The parameters L2 and weight decay act on (ParamTensor.decay), in layer order. */
  readonly decayed: ParamTensor[] = [];
  /** Every layer's state (running statistics), in layer order. */
  readonly state: StateTensor[] = [];
  /** The layer that ends the stack. */
  readonly last: OutputLayer;
  readonly outputSize: number;
  /** Floats in the unrolled parameter vector (no padding). */
  readonly paramCount: number;
  paramBlock = 0;
  gradBlock = 0;
  private blockFloats = 0;
  readonly rngPtr: number = 0;
  readonly stateBlock: number = 0;
  capacity = 0;
  workPtr = 0;
  /** Staging for predict inputs and the dA of a non-fused output (capacity rows). */
  inPtr = 0;
  dOutPtr = 0;
  argPtr = 0;
  /** The last trainStep's loss (+ L2 term after addL2), an f64 in the arena at lossPtr: a double
   *  returned from a non-inlined call is boxed on the JS heap, and a training step must allocate nothing. */
  readonly lossPtr: number = 0;
  /** L2 strength λ, set by compile(). */
  l2 = 0;
  /** l2Scale 'dataset': the L2 term of a step uses the training rows (addL2's `rows`), not the step's. */
  l2Dataset = false;
  /** reduction 'sum': a step's loss and gradients are the sum over its rows (m times the mean). */
  sumLoss = false;
  /** Per layer, where the last trainStep left the layer's output and dJ/d(its input) (0: not computed):
   *  what trace() reads. Float64Arrays, so recording a pointer allocates nothing. */
  readonly outPtrs: Float64Array;
  readonly dInPtrs: Float64Array;
  /** While set, trainStep also computes dJ/dX of the first layer (trace, inputGradient). */
  wantInputGradient = false;
  /** The first layer has a dX buffer (trace sets it on its first call; kept). */
  inputGradientBuffer = false;
  /** See LayerContext.paramVersion; paramsChanged() bumps it. */
  private readonly paramVersion = { value: 0 };
  /** See LayerContext.fusedStep; set by trainBackward for its duration. */
  private readonly fusedStep = { hPtr: 0 };
  /** Set by dispose(). */
  disposed = false;

  readonly lease: ArenaLease;
  /** The fit running on this network (its name for messages), or undefined. */
  private run?: string;

  /** `precheck` sees the layout (every tensor's size, no pointer yet) before anything is allocated
   *  (fromJSON compares the file's weights). A failure frees whatever was allocated. */
  constructor(readonly backend: Backend, readonly inputSize: number, readonly specs: LayerSpec[], precheck?: (net: Network) => void) {
    const { k } = backend;
    const arena = this.lease = new ArenaLease(backend.arena);
    const ctx = { k, arena, rngPtr: 0, paramVersion: this.paramVersion, fusedStep: this.fusedStep };
    let size = inputSize;
    for (const spec of specs) {
      const rt = createRuntime(ctx, spec, size);
      this.runtimes.push(rt);
      this.params.push(...rt.params);
      this.state.push(...rt.state);
      size = rt.outSize;
    }
    this.decayed.push(...this.params.filter((p) => p.decay));
    const last = this.runtimes[this.runtimes.length - 1]?.asOutput();
    if (!last) throw new ValidationError('layers', `the last layer must be ${outputTypes().join(' or ')} (the output layer)`);
    this.last = last;
    this.outputSize = size;
    this.outPtrs = new Float64Array(this.runtimes.length);
    this.dInPtrs = new Float64Array(this.runtimes.length);
    const offsets = this.params.map((p) => { const at = this.blockFloats; this.blockFloats += padded(p.size); return at; });
    this.paramCount = this.params.reduce((n, p) => n + p.size, 0);
    const stateFloats = this.state.reduce((n, st) => n + padded(st.size), 0);
    precheck?.(this);
    // Parameters, gradients and state must fit beside what the arena already holds (an optimizer and batch buffers come on top).
    const need = (2 * this.blockFloats + stateFloats) * 4 + 256;
    if (need > arena.limit - arena.liveBytes) {
      throw new ValidationError('layers', `the model needs ${need} bytes for its ${this.paramCount} parameters, their gradients and state; the arena has ${arena.limit - arena.liveBytes} of its ${arena.limit} bytes free`);
    }
    let stateBlock = 0;
    try {
      ctx.rngPtr = this.rngPtr = arena.allocZeroed(16);
      this.lossPtr = arena.allocZeroed(8);
      this.paramBlock = arena.allocZeroed(this.blockFloats * 4);
      this.gradBlock = arena.allocZeroed(this.blockFloats * 4);
      this.stateBlock = stateBlock = arena.allocZeroed(stateFloats * 4);
    } catch (e) {
      for (const p of [this.rngPtr, this.lossPtr, this.paramBlock, this.gradBlock, stateBlock]) if (p) arena.free(p);
      throw e;
    }
    this.params.forEach((p, i) => {
      p.ptr = this.paramBlock + offsets[i]! * 4;
      p.gradPtr = this.gradBlock + offsets[i]! * 4;
    });
    let at = stateBlock;
    for (const st of this.state) {
      st.ptr = at;
      k.f32_fill(at, st.size, st.initial);
      at += padded(st.size) * 4;
    }
    reclaimOnCollect(this, this.lease);
  }

  get k() { return this.backend.k; }
  /** The model's regions of the backend's arena (every allocation of the model goes through it). */
  get arena(): ArenaLease { return this.lease; }

  checkAlive(): void {
    if (this.disposed) throw new LifecycleError('model: was disposed; its memory has been returned to the arena (make a new model)');
  }

  /** Throws unless the network is alive and no fit is running on it (`what` is the refused call). */
  checkIdle(what: string): void {
    this.checkAlive();
    if (this.run) throw new LifecycleError(`${what}: not allowed while ${this.run} is running on this model; await it, or stop it first (onBatchEnd or onEpochEnd returning false)`);
  }

  /** Marks a fit as running (a second one, a compile() or a dispose() is refused until endRun). */
  beginRun(what: string): void {
    this.checkIdle(what);
    this.run = what;
  }

  endRun(): void { this.run = undefined; }

  /** Backpropagation needs every layer to pass gradients (a dense layer: a usable derivative). */
  assertTrainable(): void {
    for (const rt of this.runtimes) {
      const why = rt.trainingBlocker();
      if (why) throw new ValidationError('layers', why);
    }
  }

  /** Makes every batch buffer hold at least `m` rows (grows only). Transactional: the new buffers are
   *  allocated while the old ones stay; on failure they are freed and the old ones stay in use. */
  ensureCapacity(m: number): void {
    this.checkAlive();
    if (!Number.isInteger(m) || m < 1) throw new ValidationError('batchSize', `expected a positive integer number of rows, got ${m}`);
    if (m > this.capacity) this.reserve(m, this.runtimes.length, this.inputGradientBuffer);
  }

  /** Gives the first layer a dJ/dX buffer (trace, inputGradient): its batch buffers are reallocated. */
  keepInputGradient(): void {
    this.checkAlive();
    if (this.inputGradientBuffer) return;
    if (this.capacity) this.reserve(this.capacity, 1, true);
    this.inputGradientBuffer = true;
  }

  /** Reallocates the first `layers` layers' buffers (and, when growing, the network's own) for m rows, all or nothing. */
  private reserve(m: number, layers: number, firstDIn: boolean): void {
    const { arena } = this;
    const grow = m > this.capacity;
    const fresh = [0, 0, 0, 0];
    const reserved: LayerRuntime[] = [];
    try {
      let work = 0;
      for (let i = 0; i < layers; i++) {
        const rt = this.runtimes[i]!;
        reserved.push(rt);
        rt.reserve(m, i > 0 || firstDIn);
        work = Math.max(work, rt.workBytes(m));
      }
      if (grow) {
        fresh[0] = arena.alloc(Math.max(work, 64));
        fresh[1] = arena.allocZeroed(m * this.inputSize * 4);
        fresh[2] = arena.allocZeroed(m * this.outputSize * 4);
        fresh[3] = arena.allocZeroed(m * 4);
      }
    } catch (e) {
      for (const rt of reserved) rt.rollback();
      for (const p of fresh) if (p) arena.free(p);
      throw e;
    }
    for (const rt of reserved) rt.commit();
    if (!grow) return;
    for (const p of [this.workPtr, this.inPtr, this.dOutPtr, this.argPtr]) if (p) arena.free(p);
    [this.workPtr, this.inPtr, this.dOutPtr, this.argPtr] = fresh as [number, number, number, number];
    this.capacity = m;
  }

  /** Every writer of parameters calls this (training steps call it through trainStep and the
   *  layers' training forward): layers then rebuild what they derived from the weights. */
  paramsChanged(): void { this.paramVersion.value++; }

  /** Inference forward of m rows at xPtr; returns the pointer to the outputs (probabilities for softmax/sigmoid). */
  forwardInfer(xPtr: number, m: number): number {
    let ptr = xPtr;
    for (let i = 0; i < this.runtimes.length; i++) ptr = this.runtimes[i]!.forward(ptr, m, false, this.workPtr);
    return ptr;
  }

  /** Inference forward of m rows at xPtr up to the output layer's linear part; returns the pointer to its Z (the logits). */
  forwardLogits(xPtr: number, m: number): number {
    const n = this.runtimes.length;
    let ptr = xPtr;
    for (let i = 0; i < n - 1; i++) ptr = this.runtimes[i]!.forward(ptr, m, false, this.workPtr);
    this.last.forwardLinear(ptr, m, this.workPtr, false, true);
    return this.last.zPtr;
  }

  outputMode(loss: LossName): OutputMode {
    return lossRecord(loss).mode(this.last.form === 'identity');
  }

  /**
   * Training forward + loss + backward on m rows (inputs at xPtr, targets at yPtr, and row weights at
   * wPtr unless 0). Leaves every parameter gradient in the gradient block and the mean data loss in stepLoss[0].
   */
  trainStep(xPtr: number, yPtr: number, m: number, mode: OutputMode, wPtr = 0): void {
    this.trainForward(xPtr, yPtr, m, mode, wPtr);
    this.trainBackward(m, mode, 0);
  }

  /** trainStep's first half: the forward pass, the loss in stepLoss and its gradient at the output layer. */
  trainForward(xPtr: number, yPtr: number, m: number, mode: OutputMode, wPtr = 0): void {
    const { k, runtimes, workPtr, outPtrs } = this;
    const n = runtimes.length;
    const last = this.last;
    this.paramVersion.value++; // the optimizer step that follows changes the weights
    let ptr = xPtr;
    for (let i = 0; i < n - 1; i++) outPtrs[i] = ptr = runtimes[i]!.forward(ptr, m, true, workPtr);
    last.forwardLinear(ptr, m, workPtr);
    const K = this.outputSize;
    const lossPtr = this.lossPtr;
    // mseActivation: the loss's gradient is dJ/dA (at dOutPtr), taken back through f' below.
    const dLoss = mode === 'mseActivation' ? this.dOutPtr : last.dzPtr;
    if (mode === 'mseActivation') last.activate(m, true);
    if (wPtr) {
      switch (mode) {
        case 'softmaxXent': k.f32_softmax_xent_w_to(last.zPtr, yPtr, wPtr, last.aPtr, last.dzPtr, m, K, lossPtr); break;
        case 'sigmoidBce': k.f32_sigmoid_bce_w_to(last.zPtr, yPtr, wPtr, last.aPtr, last.dzPtr, m, K, lossPtr); break;
        case 'mseIdentity': k.f32_mse_w_to(last.zPtr, yPtr, wPtr, 0, last.dzPtr, m, K, lossPtr); break;
        case 'mseActivation': k.f32_mse_w_to(last.aPtr, yPtr, wPtr, 0, dLoss, m, K, lossPtr); break;
      }
    } else {
      switch (mode) {
        case 'softmaxXent': k.f32_softmax_xent_to(last.zPtr, yPtr, last.aPtr, last.dzPtr, m, K, lossPtr); break;
        case 'sigmoidBce': k.f32_sigmoid_bce_to(last.zPtr, yPtr, last.aPtr, last.dzPtr, m, K, lossPtr); break;
        case 'mseIdentity': k.f32_mse_to(last.zPtr, yPtr, 0, last.dzPtr, m, K, lossPtr); break;
        case 'mseActivation': k.f32_mse_to(last.aPtr, yPtr, 0, dLoss, m, K, lossPtr); break;
      }
    }
    if (this.sumLoss) {
      // The kernels give the mean and its gradient; the sum is m times both.
      k.f32_scale(dLoss, dLoss, m * K, m);
      this.arena.views.f64[lossPtr >>> 3] *= m;
    }
  }

  /** trainStep's second half: every parameter gradient. hPtr ≠ 0 (OptimizerRuntime.fusedHyperPtr, after addL2 with
   *  its decay slot): every dense W is also updated by its dW GEMM, after its dX used the old W (f32_gemm_tn_step). */
  trainBackward(m: number, mode: OutputMode, hPtr: number): void {
    const { runtimes, workPtr, outPtrs, dInPtrs } = this;
    const n = runtimes.length;
    const last = this.last;
    if (mode === 'mseActivation') last.backwardActivation(this.dOutPtr, m);
    else if (last.form === 'logSoftmax') last.activate(m, true); // the fused kernel left probabilities in A, not log-probabilities
    outPtrs[n - 1] = mode === 'mseIdentity' ? last.zPtr : last.aPtr;
    const dIn0 = this.wantInputGradient && this.inputGradientBuffer;
    this.fusedStep.hPtr = hPtr;
    try {
      let d = dInPtrs[n - 1] = last.backwardLinear(m, n > 1 || dIn0, workPtr);
      for (let i = n - 2; i >= 0; i--) d = dInPtrs[i] = runtimes[i]!.backward(d, m, i > 0 || dIn0, workPtr);
    } finally {
      this.fusedStep.hPtr = 0;
    }
  }

  /** The loss left by the last trainStep (+ addL2). */
  get stepLoss(): number {
    return this.arena.views.f64[this.lossPtr >>> 3]!;
  }

  /** Mean data loss of outputs already computed by forwardInfer (outPtr) or of logits, without gradients. */
  inferLoss(outPtr: number, yPtr: number, m: number, mode: OutputMode): number {
    const { k } = this;
    const last = this.last;
    const K = this.outputSize;
    switch (mode) {
      case 'softmaxXent': return k.f32_softmax_xent(last.zPtr, yPtr, 0, 0, m, K);
      case 'sigmoidBce': return k.f32_sigmoid_bce(last.zPtr, yPtr, 0, 0, m, K);
      default: return k.f32_mse(outPtr, yPtr, 0, 0, m, K);
    }
  }

  /**
   * Adds the L2 term of a step of m rows out of a training set of `rows`: the penalty (λ/2n)·ΣW² to stepLoss[0]
   * and its gradient (λ/n)·W to every tensor that decays, n = m (l2Scale 'batch') or rows ('dataset'); with
   * reduction 'sum' both are m times that (the step's sum is m times its mean). λ = this.l2, a field rather than
   * an argument: passing a double to a call boxes it. decayPtr ≠ 0 (a fused step, before trainBackward): the
   * gradient term is left to the dW GEMMs and its coefficient (0 without L2) is stored there, an f64.
   */
  addL2(m: number, rows: number, decayPtr = 0): void {
    const l2 = this.l2;
    const f64 = this.arena.views.f64;
    if (decayPtr) f64[decayPtr >>> 3] = 0;
    if (l2 === 0) return;
    const { k, decayed } = this;
    const n = this.l2Dataset ? rows : m;
    const c = this.sumLoss ? (l2 * m) / n : l2 / n;
    let sq = 0;
    for (let i = 0; i < decayed.length; i++) {
      const W = decayed[i]!;
      sq += k.f32_sumsq(W.ptr, W.size);
      if (!decayPtr) k.f32_axpy(W.ptr, W.gradPtr, W.size, c);
    }
    if (decayPtr) f64[decayPtr >>> 3] = c;
    f64[this.lossPtr >>> 3] += (c / 2) * sq;
  }

  l2Penalty(l2: number, m: number): number {
    if (l2 === 0) return 0;
    let sq = 0;
    for (const W of this.decayed) sq += this.k.f32_sumsq(W.ptr, W.size);
    return (l2 / (2 * m)) * sq;
  }

  /**
   * Correct predictions among m rows: the output layer's logits Z (left by the last forward pass)
   * against the targets at yPtr, scored by `rule`: 'argmax' of each row's Z against the target row's
   * argmax, or 'perLabel': each output's hard decision 1{z ≥ 0} (the exact sign of the logit, not
   * σ(z) ≥ 0.5 in float32) against target ≥ 0.5; 0 for regression (rule undefined).
   */
  countCorrect(yPtr: number, m: number, rule: AccuracyRule | undefined): number {
    const f32 = this.arena.views.f32;
    const K = this.outputSize;
    const zPtr = this.last.zPtr;
    const z = zPtr >>> 2;
    const y = yPtr >>> 2;
    let correct = 0;
    if (rule === 'argmax') {
      this.k.f32_argmax_rows(zPtr, this.argPtr, m, K);
      const i32 = this.arena.views.i32;
      const a = this.argPtr >>> 2;
      for (let i = 0; i < m; i++) if (i32[a + i] === argmaxAt(f32, y + i * K, K)) correct++;
    } else if (rule === 'perLabel') {
      for (let i = 0; i < m * K; i++) if ((f32[z + i]! >= 0) === (f32[y + i]! >= 0.5)) correct++;
    }
    return correct;
  }

  /** How many predictions countCorrect compares for m rows. */
  compared(m: number, rule: AccuracyRule | undefined): number {
    return rule === 'argmax' ? m : rule === 'perLabel' ? m * this.outputSize : 0;
  }

  /** The output layer's logits Z of the last forward pass (rows × outputs), copied out. */
  readLogits(m: number): Float32Array {
    const at = this.last.zPtr >>> 2;
    return this.arena.views.f32.slice(at, at + m * this.outputSize);
  }

  /** Validates X (finite, rectangular) against the network's input size. */
  toInput(X: MatrixLike, arg = 'X'): Matrix {
    const M = toMatrix(X, arg);
    if (M.cols !== this.inputSize) throw new ValidationError(arg, `has ${M.cols} columns, the model expects ${this.inputSize}`);
    return M;
  }

  /** Copies the whole parameter block (with padding) to `dstPtr` or back. */
  copyParamsTo(dstPtr: number): void { this.k.f32_copy(dstPtr, this.paramBlock, this.blockFloats); }
  copyParamsFrom(srcPtr: number): void { this.k.f32_copy(this.paramBlock, srcPtr, this.blockFloats); this.paramsChanged(); }
  get paramBlockFloats(): number { return this.blockFloats; }

  /** True when every parameter is finite. */
  paramsFinite(): boolean {
    const s = this.k.f32_sumsq(this.paramBlock, this.blockFloats);
    return Number.isFinite(s);
  }

  dispose(): void {
    if (this.disposed) return;
    this.checkIdle('dispose()');
    const { arena } = this;
    this.disposed = true;
    for (const rt of this.runtimes) rt.dispose();
    for (const p of [this.workPtr, this.inPtr, this.dOutPtr, this.argPtr, this.paramBlock, this.gradBlock, this.stateBlock, this.rngPtr, this.lossPtr]) if (p) arena.free(p);
    forget(this);
    this.lease.release();
  }
}
