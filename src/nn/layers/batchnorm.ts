// Batch normalization over the batch: per unit, batch statistics in training and running
// averages at inference, with a learnable scale γ and shift β (neither decays).

import { ValidationError } from '../../errors.js';
import { LayerRuntime, type LayerContext, type LayerDescription, type LayerType, type ParamTensor, type StateTensor } from './runtime.js';

export interface BatchNormSpec { type: 'batchNorm'; momentum: number; epsilon: number }

/**
 * Batch normalization over the batch: batch statistics in training, running averages
 * (running = (1 − momentum)·running + momentum·batch) at inference, learnable γ and β.
 * @example batchNorm({ momentum: 0.1, epsilon: 1e-5 })
 */
export function batchNorm(options: { momentum?: number; epsilon?: number } = {}): BatchNormSpec {
  const momentum = options.momentum ?? 0.1;
  const epsilon = options.epsilon ?? 1e-5;
  if (!(momentum > 0 && momentum <= 1)) throw new ValidationError('batchNorm.momentum', `expected 0 < momentum ≤ 1, got ${momentum}`);
  if (!(epsilon > 0)) throw new ValidationError('batchNorm.epsilon', `expected epsilon > 0, got ${epsilon}`);
  return { type: 'batchNorm', momentum, epsilon };
}

export class BatchNormRuntime extends LayerRuntime {
  readonly gamma: ParamTensor;
  readonly beta: ParamTensor;
  readonly runningMean: StateTensor;
  readonly runningVar: StateTensor;
  private yPtr = 0;
  private xhatPtr = 0;
  private invstdPtr = 0;
  private dxPtr = 0;

  constructor(ctx: LayerContext, size: number, readonly spec: BatchNormSpec) {
    super(ctx, size, size);
    this.gamma = { name: 'gamma', size, decay: false, ptr: 0, gradPtr: 0 };
    this.beta = { name: 'beta', size, decay: false, ptr: 0, gradPtr: 0 };
    this.params.push(this.gamma, this.beta);
    this.runningMean = this.addState('runningMean', size, 0);
    this.runningVar = this.addState('runningVar', size, 1);
  }

  describe(): LayerDescription {
    return { type: 'batchNorm', label: 'batchNorm', units: this.outSize, params: this.paramCount };
  }

  protected initParams(): void {
    const { k } = this.ctx;
    k.f32_fill(this.gamma.ptr, this.gamma.size, 1);
    k.f32_fill(this.beta.ptr, this.beta.size, 0);
  }

  protected allocBuffers(capacity: number): void {
    const n = capacity * this.outSize;
    this.yPtr = this.buf(n);
    this.xhatPtr = this.buf(n);
    this.invstdPtr = this.buf(this.outSize);
    // The kernel always produces dx, so BN keeps a dx buffer even as a first layer.
    this.dxPtr = this.buf(n);
  }

  forward(inPtr: number, m: number, training: boolean): number {
    const { k } = this.ctx;
    const n = this.outSize;
    if (training) {
      k.f32_batchnorm_fwd_train(inPtr, this.gamma.ptr, this.beta.ptr, this.yPtr, this.xhatPtr, this.invstdPtr,
        this.runningMean.ptr, this.runningVar.ptr, m, n, this.spec.momentum, this.spec.epsilon);
    } else {
      k.f32_batchnorm_fwd_infer(inPtr, this.gamma.ptr, this.beta.ptr, this.runningMean.ptr, this.runningVar.ptr, this.yPtr, m, n, this.spec.epsilon);
    }
    return this.yPtr;
  }

  backward(dOutPtr: number, m: number, needDIn: boolean): number {
    this.ctx.k.f32_batchnorm_bwd(dOutPtr, this.xhatPtr, this.gamma.ptr, this.invstdPtr, this.dxPtr, this.gamma.gradPtr, this.beta.gradPtr, m, this.outSize);
    return needDIn ? this.dxPtr : 0;
  }
}

export const BATCH_NORM: LayerType<BatchNormSpec> = {
  type: 'batchNorm',
  normalize: (s) => batchNorm(s as { momentum?: number; epsilon?: number }),
  create: (ctx, spec, inSize) => new BatchNormRuntime(ctx, inSize, spec),
};
