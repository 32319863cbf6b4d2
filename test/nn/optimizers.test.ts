// Golden optimizer steps. Model: one identity unit ŷ = w·x + b with mean squared error on the
// single sample x = (1, 2), y = 3, so ∂J/∂w = 2(ŷ − y)·x and ∂J/∂b = 2(ŷ − y). Each optimizer's
// float64 reference below is written from its update rule; step 1 is also checked against
// numbers worked by hand.
import { describe, expect, it } from 'vitest';
import {
  adagrad, adam, adamw, cosineDecay, dense, exponentialDecay, learningRateAt, momentum, nesterov, rmsprop, Sequential, sgd, stepDecay,
  type OptimizerSpec,
} from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';

const X = [[1, 2]];
const Y = [[3]];
const W0 = [0.5, -0.25];
const B0 = 0.1;

type State = { p: number[]; s1: number[]; s2: number[]; t: number };

function grad(p: number[]): number[] {
  const e = p[0]! * 1 + p[1]! * 2 + p[2]! - 3;
  return [2 * e * 1, 2 * e * 2, 2 * e];
}

function refStep(spec: OptimizerSpec, st: State, decayMask = [1, 1, 0]): void {
  const g = grad(st.p);
  const lr = spec.learningRate as number;
  st.t++;
  for (let i = 0; i < 3; i++) {
    switch (spec.type) {
      case 'sgd': st.p[i]! -= lr * g[i]!; break;
      case 'momentum': st.s1[i] = spec.momentum! * st.s1[i]! + g[i]!; st.p[i]! -= lr * st.s1[i]!; break;
      case 'nesterov': st.s1[i] = spec.momentum! * st.s1[i]! + g[i]!; st.p[i]! -= lr * (g[i]! + spec.momentum! * st.s1[i]!); break;
      case 'adam': case 'adamw': {
        const b1 = spec.beta1!, b2 = spec.beta2!;
        if (spec.type === 'adamw') st.p[i]! *= 1 - lr * spec.weightDecay! * decayMask[i]!;
        st.s1[i] = b1 * st.s1[i]! + (1 - b1) * g[i]!;
        st.s2[i] = b2 * st.s2[i]! + (1 - b2) * g[i]! ** 2;
        const mh = st.s1[i]! / (1 - b1 ** st.t);
        const vh = st.s2[i]! / (1 - b2 ** st.t);
        st.p[i]! -= lr * mh / (Math.sqrt(vh) + spec.epsilon!);
        break;
      }
      case 'rmsprop': st.s1[i] = spec.rho! * st.s1[i]! + (1 - spec.rho!) * g[i]! ** 2; st.p[i]! -= lr * g[i]! / (Math.sqrt(st.s1[i]!) + spec.epsilon!); break;
      case 'adagrad': st.s1[i]! += g[i]! ** 2; st.p[i]! -= lr * g[i]! / (Math.sqrt(st.s1[i]!) + spec.epsilon!); break;
    }
  }
}

function params(m: Sequential): number[] {
  const w = m.getWeights()[0]!;
  return [w.W![0]!, w.W![1]!, w.b![0]!];
}

const CASES: [string, OptimizerSpec, number[] | undefined][] = [
  // step 1 by hand: ŷ = 0.1, e = −2.9, g = (−5.8, −11.6, −5.8); p − 0.1·g
  ['sgd', sgd({ learningRate: 0.1 }), [1.08, 0.91, 0.68]],
  ['momentum', momentum({ learningRate: 0.1, momentum: 0.9 }), [1.08, 0.91, 0.68]],
  // Nesterov step 1: v = g, p −= lr·(g + 0.9·g) = 1.9·lr·g
  ['nesterov', nesterov({ learningRate: 0.1, momentum: 0.9 }), [0.5 + 1.102, -0.25 + 2.204, 0.1 + 1.102]],
  // Adam step 1: m̂ = g, v̂ = g², so p −= lr·g/(|g| + ε) ≈ lr·sign(g)
  ['adam', adam({ learningRate: 0.1 }), [0.6, -0.15, 0.2]],
  ['adamw', adamw({ learningRate: 0.1, weightDecay: 0.5 }), [0.5 * 0.95 + 0.1, -0.25 * 0.95 + 0.1, 0.2]],
  ['rmsprop', rmsprop({ learningRate: 0.01, rho: 0.9 }), undefined],
  ['adagrad', adagrad({ learningRate: 0.5 }), [1.0, 0.25, 0.6]],
];

for (const backend of kernelBackends()) {
  describe(`optimizer golden steps (${backend.binary})`, () => {
    for (const [name, spec, step1] of CASES) {
      it(`${name}: three steps match the update rule in float64`, () => {
        const m = new Sequential({ inputSize: 2, seed: 1, backend, layers: [dense(1)] }).compile({ loss: 'meanSquaredError', optimizer: spec });
        m.setWeights([{ W: Float32Array.from(W0), b: Float32Array.of(B0) }]);
        const st: State = { p: [...W0, B0], s1: [0, 0, 0], s2: [0, 0, 0], t: 0 };
        for (let s = 0; s < 3; s++) {
          m.fitSync(X, Y, { epochs: 1, batchSize: 1, shuffle: false });
          refStep(spec, st);
          if (s === 0 && step1) params(m).forEach((v, i) => expect(v).toBeCloseTo(step1[i]!, 5));
          params(m).forEach((v, i) => expect(v).toBeCloseTo(st.p[i]!, 4));
        }
        m.dispose();
      });
    }

    it('gradient-norm clipping rescales the whole gradient to clipNorm', () => {
      const m = new Sequential({ inputSize: 2, seed: 1, backend, layers: [dense(1)] }).compile({ loss: 'meanSquaredError', optimizer: sgd({ learningRate: 0.1, clipNorm: 1 }) });
      m.setWeights([{ W: Float32Array.from(W0), b: Float32Array.of(B0) }]);
      m.fitSync(X, Y, { epochs: 1, batchSize: 1 });
      const g = grad([...W0, B0]);
      const norm = Math.hypot(...g);
      params(m).forEach((v, i) => expect(v).toBeCloseTo([...W0, B0][i]! - 0.1 * g[i]! / norm, 5));
      m.dispose();
    });
  });
}

describe('learning-rate schedules', () => {
  it('step, exponential and cosine decay follow their formulas', () => {
    expect(learningRateAt(stepDecay({ initial: 0.1, factor: 0.5, every: 10 }), 25)).toBeCloseTo(0.025, 12);
    expect(learningRateAt(exponentialDecay({ initial: 1, rate: 0.9, every: 2 }), 4)).toBeCloseTo(0.81, 12);
    const c = cosineDecay({ initial: 1, epochs: 10, min: 0.1 });
    expect(learningRateAt(c, 0)).toBeCloseTo(1, 12);
    expect(learningRateAt(c, 5)).toBeCloseTo(0.55, 12);
    expect(learningRateAt(c, 10)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c, 20)).toBeCloseTo(0.1, 12);
  });

  it('fit uses the scheduled rate per epoch (visible in history)', () => {
    const m = new Sequential({ inputSize: 2, seed: 1, layers: [dense(1)] }).compile({ loss: 'meanSquaredError', optimizer: sgd({ learningRate: stepDecay({ initial: 0.01, factor: 0.1, every: 2 }) }) });
    const h = m.fitSync(X, Y, { epochs: 5, batchSize: 1 });
    h.learningRate.forEach((lr, e) => expect(lr).toBeCloseTo(0.01 * 0.1 ** Math.floor(e / 2), 12));
    m.dispose();
  });
});
