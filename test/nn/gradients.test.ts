// Backpropagation against an independent float64 oracle: central differences (h = 1e-6) of a
// float64 re-implementation of J(θ) (test/helpers/refnet.ts), compared with the library's float32
// gradients through the unrolled vector. Tolerance: ‖g − g_num‖/(‖g‖ + ‖g_num‖) ≤ 2e-3 (float32
// forward/backward rounding, with pre-activations kept away from kinks by construction).
import { describe, expect, it } from 'vitest';
import { batchNorm, dense, dropout, gradientCheck, Sequential, type LayerSpec } from '../../src/index.js';
import { activationRecord, HIDDEN_ACTIVATIONS, type ActivationName } from '../../src/nn/activations.js';
import type { DropoutRuntime } from '../../src/nn/layers.js';
import { kernelBackends, testRng } from '../helpers/backends.js';
import { ACTIVATION_ORACLE } from '../helpers/oracle.js';
import { normRelError, refCost, refNumericGradient, type RefOptions, type RefWeights } from '../helpers/refnet.js';

const TOL = 2e-3;

function data(rows: number, d: number, K: number, seed: number, loss: RefOptions['loss']) {
  const r = testRng(seed);
  const X = Array.from({ length: rows }, () => Array.from({ length: d }, () => 2 * r() - 1));
  let Y: number[][];
  if (loss === 'categoricalCrossentropy' || loss === 'negativeLogLikelihood') Y = X.map(() => { const row = new Array<number>(K).fill(0); row[Math.floor(r() * K)] = 1; return row; });
  else if (loss === 'binaryCrossentropy') Y = X.map(() => Array.from({ length: K }, () => (r() < 0.5 ? 0 : 1)));
  else Y = X.map(() => Array.from({ length: K }, () => 2 * r() - 1));
  return { X, Y };
}

function toRef(w: ReturnType<Sequential['getWeights']>): RefWeights {
  return w.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, Float64Array.from(v)])));
}

/** Pre-activations of the first dense layer, in float64, to keep inputs away from kinks. */
function firstZ(model: Sequential, X: number[][]): number[] {
  const { W, b } = model.getWeights()[0]!;
  const out = b!.length;
  const d = X[0]!.length;
  return X.flatMap((x) => Array.from({ length: out }, (_, o) => x.reduce((s, xi, i) => s + W![o * d + i]! * xi, b![o]!)));
}

/** Nudges first-layer biases until every pre-activation is ≥ 0.05 away from the activation's kinks. */
function avoidKinks(model: Sequential, X: number[][], kinks: readonly number[]): void {
  if (kinks.length === 0) return;
  const w = model.getWeights();
  const out = w[0]!.b!.length;
  for (let guard = 0; guard < 1000; guard++) {
    model.setWeights(w);
    const z = firstZ(model, X);
    let moved = false;
    for (let o = 0; o < out; o++) {
      const close = z.some((v, i) => i % out === o && kinks.some((k) => Math.abs(v - k) < 0.05));
      if (close) { w[0]!.b![o]! += 0.037; moved = true; }
    }
    if (!moved) return;
  }
}

function check(model: Sequential, specs: LayerSpec[], X: number[][], Y: number[][], opts: RefOptions): number {
  const { gradVector, loss } = model.lossAndGradients(X, Y);
  const flatX = X.flat();
  const flatY = Y.flat();
  const ref = toRef(model.getWeights());
  const J = refCost(specs, ref, flatX, X.length, X[0]!.length, flatY, opts);
  expect(loss).toBeCloseTo(J, 4);
  const numeric = refNumericGradient(specs, ref, flatX, X.length, X[0]!.length, flatY, opts);
  return normRelError(gradVector, numeric);
}

/** Every trainable hidden activation of the table (rrelu's random slopes are checked by gradientCheck() below). */
const HIDDEN = HIDDEN_ACTIVATIONS.filter((a) => !activationRecord(a).stochastic) as Exclude<ActivationName, 'softmax' | 'logSoftmax'>[];
const kinksOf = (act: Exclude<ActivationName, 'softmax' | 'logSoftmax'>) => ACTIVATION_ORACLE[act].kinks;

for (const backend of kernelBackends()) {
  describe(`gradients vs float64 central differences (${backend.binary})`, () => {
    for (const act of HIDDEN) {
      it(`hidden activation ${act}`, () => {
        const specs = [dense(5, { activation: act, init: 'xavierNormal' }), dense(3, { activation: 'softmax' })];
        const model = new Sequential({ inputSize: 4, layers: specs, seed: 11, backend }).compile({ loss: 'categoricalCrossentropy' });
        const { X, Y } = data(6, 4, 3, 5, 'categoricalCrossentropy');
        const scale = act === 'sqnl' ? 2.5 : 1; // exercise every sqnl piece
        const Xs = X.map((r) => r.map((v) => v * scale));
        avoidKinks(model, Xs, kinksOf(act));
        for (const z of firstZ(model, Xs)) for (const k of kinksOf(act)) expect(Math.abs(z - k)).toBeGreaterThan(1e-2);
        expect(check(model, model.layers as LayerSpec[], Xs, Y, { loss: 'categoricalCrossentropy', l2: 0 })).toBeLessThan(TOL);
        model.dispose();
      });
    }

    const LOSSES: [string, LayerSpec, RefOptions['loss'], number][] = [
      ['softmax + categorical cross-entropy', dense(4, { activation: 'softmax' }), 'categoricalCrossentropy', 4],
      ['logSoftmax + negative log-likelihood', dense(4, { activation: 'logSoftmax' }), 'negativeLogLikelihood', 4],
      ['sigmoid + binary cross-entropy (one output)', dense(1, { activation: 'sigmoid' }), 'binaryCrossentropy', 1],
      ['sigmoid + binary cross-entropy (multi-label, 3 outputs)', dense(3, { activation: 'sigmoid' }), 'binaryCrossentropy', 3],
      ['identity + mean squared error', dense(2), 'meanSquaredError', 2],
      ['tanh output + mean squared error', dense(2, { activation: 'tanh' }), 'meanSquaredError', 2],
      ['sigmoid output + mean squared error', dense(2, { activation: 'sigmoid' }), 'meanSquaredError', 2],
    ];
    for (const [name, out, loss, K] of LOSSES) {
      it(`loss: ${name}`, () => {
        const specs = [dense(5, { activation: 'tanh' }), out];
        const model = new Sequential({ inputSize: 3, layers: specs, seed: 3, backend }).compile({ loss });
        const { X, Y } = data(7, 3, K, 9, loss);
        expect(check(model, model.layers as LayerSpec[], X, Y, { loss, l2: 0 })).toBeLessThan(TOL);
        model.dispose();
      });
    }

    it('L2 penalty (λ/2m)ΣW² on weights only', () => {
      const specs = [dense(5, { activation: 'tanh' }), dense(3, { activation: 'softmax' })];
      const model = new Sequential({ inputSize: 4, layers: specs, seed: 2, backend }).compile({ loss: 'categoricalCrossentropy', l2: 0.7 });
      const { X, Y } = data(5, 4, 3, 1, 'categoricalCrossentropy');
      model.setWeights(model.getWeights().map((w) => ({ ...w, b: w.b!.map((_, i) => 0.3 * (i + 1)) })));
      expect(check(model, model.layers as LayerSpec[], X, Y, { loss: 'categoricalCrossentropy', l2: 0.7 })).toBeLessThan(TOL);
      // biases are not regularized: with zero data gradient, db is exactly the data part
      const noReg = new Sequential({ inputSize: 4, layers: specs, seed: 2, backend }).compile({ loss: 'categoricalCrossentropy', l2: 0 });
      noReg.setWeights(model.getWeights());
      const g1 = model.lossAndGradients(X, Y).grads;
      const g0 = noReg.lossAndGradients(X, Y).grads;
      expect(Array.from(g1[0]!.b!)).toEqual(Array.from(g0[0]!.b!));
      const W = model.getWeights()[0]!.W!;
      g1[0]!.W!.forEach((g, i) => expect(g - g0[0]!.W![i]!).toBeCloseTo((0.7 / 5) * W[i]!, 5));
      model.dispose();
      noReg.dispose();
    });

    it('dropout with a fixed mask', () => {
      const specs = [dense(6, { activation: 'tanh' }), dropout(0.4), dense(3, { activation: 'softmax' })];
      const model = new Sequential({ inputSize: 4, layers: specs, seed: 8, backend }).compile({ loss: 'categoricalCrossentropy' });
      const { X, Y } = data(5, 4, 3, 4, 'categoricalCrossentropy');
      const { gradVector, loss } = model.lossAndGradients(X, Y); // draws the mask (and restores the stream)
      const rt = model.net.runtimes[1] as DropoutRuntime;
      const mask = backend.arena.views.f32.slice(rt.maskPtr >>> 2, (rt.maskPtr >>> 2) + 5 * 6);
      expect(new Set(Array.from(mask).map((v) => v.toFixed(5)))).toEqual(new Set(['0.00000', (1 / 0.6).toFixed(5)]));
      const opts: RefOptions = { loss: 'categoricalCrossentropy', l2: 0, masks: new Map([[1, mask]]) };
      const ref = toRef(model.getWeights());
      expect(loss).toBeCloseTo(refCost(specs, ref, X.flat(), 5, 4, Y.flat(), opts), 4);
      expect(normRelError(gradVector, refNumericGradient(specs, ref, X.flat(), 5, 4, Y.flat(), opts))).toBeLessThan(TOL);
      model.dispose();
    });

    it('batch normalization in training mode (γ, β and the layers below it)', () => {
      const specs = [dense(5, { activation: 'identity' }), batchNorm(), dense(5, { activation: 'tanh' }), dense(3, { activation: 'softmax' })];
      const model = new Sequential({ inputSize: 4, layers: specs, seed: 4, backend }).compile({ loss: 'categoricalCrossentropy' });
      const { X, Y } = data(8, 4, 3, 6, 'categoricalCrossentropy');
      const w = model.getWeights();
      w[1]!.gamma = w[1]!.gamma!.map((_, i) => 0.5 + 0.25 * i);
      w[1]!.beta = w[1]!.beta!.map((_, i) => 0.1 * i - 0.2);
      model.setWeights(w);
      expect(check(model, model.layers as LayerSpec[], X, Y, { loss: 'categoricalCrossentropy', l2: 0 })).toBeLessThan(TOL);
      model.dispose();
    });

    it('a whole 3-layer network through the unrolled parameter vector', () => {
      const specs = [dense(6, { activation: 'sigmoid' }), dense(5, { activation: 'relu' }), dense(4, { activation: 'softmax' })];
      const model = new Sequential({ inputSize: 5, layers: specs, seed: 21, backend }).compile({ loss: 'categoricalCrossentropy', l2: 0.1 });
      const { X, Y } = data(9, 5, 4, 2, 'categoricalCrossentropy');
      const theta = model.getParams();
      expect(theta.length).toBe(6 * 5 + 6 + 5 * 6 + 5 + 4 * 5 + 4);
      expect(check(model, model.layers as LayerSpec[], X, Y, { loss: 'categoricalCrossentropy', l2: 0.1 })).toBeLessThan(TOL);
      model.dispose();
    });

    it('gradientCheck() itself (float32 central differences, ε = 1e-3) stays under 2e-2 incl. rrelu and dropout', () => {
      const model = new Sequential({ inputSize: 4, seed: 5, backend, layers: [dense(6, { activation: 'rrelu' }), dropout(0.3), dense(5, { activation: 'elu' }), dense(3, { activation: 'softmax' })] })
        .compile({ loss: 'categoricalCrossentropy', l2: 0.01 });
      const { X, Y } = data(6, 4, 3, 7, 'categoricalCrossentropy');
      const r = gradientCheck(model, X, Y, { epsilon: 1e-3 });
      expect(r.perLayer.map((t) => t.tensor)).toEqual(['W', 'b', 'W', 'b', 'W', 'b']);
      expect(r.maxRelativeError).toBeLessThan(2e-2);
      model.dispose();
    });
  });
}
