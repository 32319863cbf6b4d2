// The layer protocol: a layer type registered from outside (y = x ⊙ w per unit, its w decays)
// trains, describes itself and is saved like the built-in ones, and — the point — L2 and AdamW
// reach its weights through ParamTensor.decay, with no code that knows the layer.
import { describe, expect, it } from 'vitest';
import { adamw, dense, gradientCheck, Sequential, type LayerSpec } from '../../src/index.js';
import { LayerRuntime, registerLayerType, type LayerContext, type LayerDescription, type ParamTensor } from '../../src/nn/layers.js';
import { kernelBackends, testRng } from '../helpers/backends.js';

interface ScaleSpec { type: 'scale' }

class ScaleRuntime extends LayerRuntime {
  readonly w: ParamTensor;
  private yPtr = 0;
  private dxPtr = 0;

  constructor(ctx: LayerContext, size: number) {
    super(ctx, size, size);
    this.w = { name: 'w', size, decay: true, ptr: 0, gradPtr: 0 };
    this.params.push(this.w);
  }

  describe(): LayerDescription { return { type: 'scale', label: 'scale', units: this.outSize, params: this.paramCount }; }
  protected initParams(): void {
    const f = this.ctx.arena.views.f32;
    for (let j = 0; j < this.outSize; j++) f[(this.w.ptr >>> 2) + j] = 0.5 + 0.25 * j;
  }
  protected allocBuffers(capacity: number): void {
    this.yPtr = this.buf(capacity * this.outSize);
    this.dxPtr = this.buf(capacity * this.outSize);
  }
  forward(inPtr: number, m: number): number {
    this.inPtr = inPtr;
    const f = this.ctx.arena.views.f32;
    const n = this.outSize;
    for (let i = 0; i < m * n; i++) f[(this.yPtr >>> 2) + i] = f[(inPtr >>> 2) + i]! * f[(this.w.ptr >>> 2) + (i % n)]!;
    return this.yPtr;
  }
  backward(dOutPtr: number, m: number, needDIn: boolean): number {
    const f = this.ctx.arena.views.f32;
    const n = this.outSize;
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let r = 0; r < m; r++) g += f[(dOutPtr >>> 2) + r * n + j]! * f[(this.inPtr >>> 2) + r * n + j]!;
      f[(this.w.gradPtr >>> 2) + j] = g;
    }
    if (!needDIn) return 0;
    for (let i = 0; i < m * n; i++) f[(this.dxPtr >>> 2) + i] = f[(dOutPtr >>> 2) + i]! * f[(this.w.ptr >>> 2) + (i % n)]!;
    return this.dxPtr;
  }
}

registerLayerType({
  type: 'scale',
  normalize: (): ScaleSpec => ({ type: 'scale' }),
  create: (ctx, _spec, inSize) => new ScaleRuntime(ctx, inSize),
});

const LAYERS = [dense(4, { activation: 'tanh' }), { type: 'scale' } as unknown as LayerSpec, dense(3, { activation: 'softmax' })];

function data(rows: number) {
  const r = testRng(17);
  const X = Array.from({ length: rows }, () => Array.from({ length: 3 }, () => 2 * r() - 1));
  const y = X.map((_, i) => i % 3);
  return { X, y };
}

for (const backend of kernelBackends()) {
  describe(`a layer type registered from outside (${backend.binary})`, () => {
    it('L2 adds (λ/2m)·Σw² and (λ/m)·w for its decaying tensor, exactly as for dense W, and never touches biases', () => {
      const { X, y } = data(6);
      const m = X.length;
      const lambda = 0.5;
      const a = new Sequential({ inputSize: 3, seed: 4, backend, layers: LAYERS }).compile({ l2: lambda });
      const b = new Sequential({ inputSize: 3, seed: 4, backend, layers: LAYERS }).compile({ l2: 0 });
      const ga = a.lossAndGradients(X, y);
      const gb = b.lossAndGradients(X, y);
      const w = a.getWeights();
      expect(Object.keys(w[1]!)).toEqual(['w']);
      let sq = 0;
      for (const t of [w[0]!.W!, w[1]!.w!, w[2]!.W!]) for (const v of t) sq += v * v;
      expect(ga.loss - gb.loss).toBeCloseTo((lambda / (2 * m)) * sq, 6);
      ga.grads[1]!.w!.forEach((g, j) => expect(g - gb.grads[1]!.w![j]!).toBeCloseTo((lambda / m) * w[1]!.w![j]!, 6));
      expect(Array.from(ga.grads[0]!.b!)).toEqual(Array.from(gb.grads[0]!.b!));
      expect(Array.from(ga.grads[2]!.b!)).toEqual(Array.from(gb.grads[2]!.b!));
      a.dispose();
      b.dispose();
    });

    it('AdamW decays its w by lr·wd·w like dense W, not the biases', () => {
      const { X, y } = data(6);
      const lr = 0.01, wd = 0.2;
      const a = new Sequential({ inputSize: 3, seed: 4, backend, layers: LAYERS }).compile({ optimizer: adamw({ learningRate: lr, weightDecay: wd }) });
      const b = new Sequential({ inputSize: 3, seed: 4, backend, layers: LAYERS }).compile({ optimizer: adamw({ learningRate: lr, weightDecay: 0 }) });
      const before = a.getWeights();
      a.fitSync(X, y, { epochs: 1, batchSize: 6, shuffle: false });
      b.fitSync(X, y, { epochs: 1, batchSize: 6, shuffle: false });
      const wa = a.getWeights(), wb = b.getWeights();
      for (const [li, name] of [[0, 'W'], [1, 'w'], [2, 'W']] as const) {
        wa[li]![name]!.forEach((v, i) => expect(wb[li]![name]![i]! - v).toBeCloseTo(lr * wd * before[li]![name]![i]!, 6));
      }
      expect(Array.from(wa[0]!.b!)).toEqual(Array.from(wb[0]!.b!));
      a.dispose();
      b.dispose();
    });

    it('describes itself, is counted, is checked by gradientCheck and reports no diagnostics', () => {
      const { X, y } = data(5);
      const model = new Sequential({ inputSize: 3, seed: 2, backend, layers: LAYERS }).compile();
      expect(model.describeLayers().map((d) => [d.label, d.units, d.params])).toEqual([['dense', 4, 16], ['scale', 4, 4], ['dense', 3, 15]]);
      expect(model.paramCount).toBe(35);
      expect(model.summary()).toMatch(/scale\s+4\s+4 params/);
      const r = gradientCheck(model, X, y);
      expect(r.perLayer.map((t) => `${t.layer}.${t.tensor}`)).toEqual(['0.W', '0.b', '1.w', '2.W', '2.b']);
      expect(r.maxRelativeError).toBeLessThan(1e-2);
      const h = model.fitSync(X, y, { epochs: 1, diagnostics: true });
      expect(h.diagnostics[0]!.layers.map((l) => l.layer)).toEqual([0, 2]);
      model.dispose();
    });
  });
}
