// Inverted dropout: in training each unit is zeroed with probability `rate` (mask from the
// model's rng stream) and the survivors are scaled by 1/(1 − rate); at inference the identity.

import { ValidationError } from '../../errors.js';
import { LayerRuntime, type LayerContext, type LayerDescription, type LayerType } from './runtime.js';

export interface DropoutSpec { type: 'dropout'; rate: number }

/**
 * Inverted dropout: in training each unit is zeroed with probability `rate` and the survivors
 * are scaled by 1/(1−rate); at inference it is the identity.
 * @example dropout(0.1)
 */
export function dropout(rate: number): DropoutSpec {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValidationError('dropout(rate)', `expected 0 ≤ rate < 1, got ${String(rate)}`);
  return { type: 'dropout', rate };
}

export class DropoutRuntime extends LayerRuntime {
  maskPtr = 0;
  private outPtr = 0;
  private dxPtr = 0;
  private lastTraining = false;
  /** When set, training passes reuse the current mask instead of drawing a new one (gradient checks). */
  frozenMask = false;

  constructor(ctx: LayerContext, size: number, readonly spec: DropoutSpec) {
    super(ctx, size, size);
  }

  describe(): LayerDescription {
    return { type: 'dropout', label: `dropout ${this.spec.rate}`, units: this.outSize, params: 0 };
  }

  protected initParams(): void {}

  protected allocBuffers(capacity: number, needDIn: boolean): void {
    const n = capacity * this.outSize;
    this.maskPtr = this.buf(n);
    this.outPtr = this.buf(n);
    this.dxPtr = needDIn ? this.buf(n) : 0;
  }

  forward(inPtr: number, m: number, training: boolean): number {
    this.lastTraining = training;
    if (!training || this.spec.rate === 0) return inPtr;
    const n = m * this.outSize;
    if (this.frozenMask) this.ctx.k.f32_mul(inPtr, this.maskPtr, this.outPtr, n);
    else this.ctx.k.f32_dropout_fwd(inPtr, this.maskPtr, this.outPtr, n, this.spec.rate, this.ctx.rngPtr);
    return this.outPtr;
  }

  override get sampled(): boolean { return this.spec.rate > 0; }

  /** A fresh mask from the model's stream, as in training (the caller seeds the stream). */
  override forwardSample(inPtr: number, m: number): number {
    if (this.spec.rate === 0) return inPtr;
    this.ctx.k.f32_dropout_fwd(inPtr, this.maskPtr, this.outPtr, m * this.outSize, this.spec.rate, this.ctx.rngPtr);
    return this.outPtr;
  }

  backward(dOutPtr: number, m: number, needDIn: boolean): number {
    if (!needDIn) return 0;
    if (!this.lastTraining || this.spec.rate === 0) return dOutPtr;
    this.ctx.k.f32_mul(dOutPtr, this.maskPtr, this.dxPtr, m * this.outSize);
    return this.dxPtr;
  }
}

export const DROPOUT: LayerType<DropoutSpec> = {
  type: 'dropout',
  normalize: (s) => dropout(s.rate as number),
  create: (ctx, spec, inSize) => new DropoutRuntime(ctx, inSize, spec),
};
