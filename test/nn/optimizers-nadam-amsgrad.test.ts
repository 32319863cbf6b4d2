// NAdam and AMSGrad against a float64 reference step written from the formulas — NAdam in
// PyTorch's form (Dozat 2016 with the momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ)), ψ = momentumDecay),
// AMSGrad as Reddi et al. 2018 / PyTorch's Adam(amsgrad=True) (the maximum of the raw v, bias-corrected
// after) — on the one-unit model of optimizers.test.ts (ŷ = w·x + b, squared error on x = (1, 2), y = 3).
import { describe, expect, it } from 'vitest';
import { amsgrad, dense, nadam, Sequential, type OptimizerSpec } from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';

const X = [[1, 2]];
const Y = [[3]];
const W0 = [0.5, -0.25];
const B0 = 0.1;

function grad(p: number[]): number[] {
  const e = p[0]! * 1 + p[1]! * 2 + p[2]! - 3;
  return [2 * e * 1, 2 * e * 2, 2 * e];
}

/** NAdam in float64 (PyTorch's torch.optim.NAdam without weight decay). */
function nadamRef(spec: OptimizerSpec, steps: number): number[] {
  const { beta1: b1, beta2: b2, epsilon: eps, momentumDecay: psi } = spec as Required<OptimizerSpec>;
  const lr = spec.learningRate as number;
  const p = [...W0, B0], m = [0, 0, 0], v = [0, 0, 0];
  const mu = (t: number) => b1 * (1 - 0.5 * 0.96 ** (t * psi));
  let product = 1;
  for (let t = 1; t <= steps; t++) {
    const g = grad(p);
    product *= mu(t);
    const next = product * mu(t + 1);
    for (let i = 0; i < 3; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const denom = Math.sqrt(v[i]! / (1 - b2 ** t)) + eps;
      p[i] = p[i]! - lr * (1 - mu(t)) / (1 - product) * g[i]! / denom - lr * mu(t + 1) / (1 - next) * m[i]! / denom;
    }
  }
  return p;
}

/** AMSGrad in float64 (PyTorch's Adam(amsgrad=True)): vmax = max(vmax, v), then the bias correction of v. */
function amsgradRef(spec: OptimizerSpec, steps: number): { p: number[]; maxAboveV: number } {
  const { beta1: b1, beta2: b2, epsilon: eps } = spec as Required<OptimizerSpec>;
  const lr = spec.learningRate as number;
  const p = [...W0, B0], m = [0, 0, 0], v = [0, 0, 0], vmax = [0, 0, 0];
  for (let t = 1; t <= steps; t++) {
    const g = grad(p);
    for (let i = 0; i < 3; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      p[i] = p[i]! - lr * (m[i]! / (1 - b1 ** t)) / (Math.sqrt(vmax[i]! / (1 - b2 ** t)) + eps);
    }
  }
  return { p, maxAboveV: vmax.filter((x, i) => x > v[i]!).length };
}

function oneUnit(backend: ReturnType<typeof kernelBackends>[number], spec: OptimizerSpec): Sequential {
  const m = new Sequential({ inputSize: 2, seed: 1, backend, layers: [dense(1)] }).compile({ loss: 'meanSquaredError', optimizer: spec });
  m.setWeights([{ W: Float32Array.from(W0), b: Float32Array.of(B0) }]);
  return m;
}
function params(m: Sequential): number[] {
  const w = m.getWeights()[0]!;
  return [w.W![0]!, w.W![1]!, w.b![0]!];
}

for (const backend of kernelBackends()) {
  describe(`NAdam and AMSGrad vs float64 references (${backend.binary})`, () => {
    it('NAdam step 1 by hand: m̂ = g and √v̂ = |g|, so p moves by lr·sign(g)·(1 + (1 − β1)·μ2/(1 − μ1μ2))', () => {
      const m = oneUnit(backend, nadam({ learningRate: 0.1 }));
      m.fitSync(X, Y, { epochs: 1, batchSize: 1, shuffle: false });
      const mu1 = 0.9 * (1 - 0.5 * Math.exp(0.004 * Math.log(0.96))), mu2 = 0.9 * (1 - 0.5 * Math.exp(0.008 * Math.log(0.96)));
      const move = 0.1 * (1 + 0.1 * mu2 / (1 - mu1 * mu2));
      // g = (−5.8, −11.6, −5.8): every parameter moves up
      params(m).forEach((v, i) => expect(v).toBeCloseTo([...W0, B0][i]! + move, 6));
      // μ1 = 0.45007347, μ2 = 0.45014694 (worked by hand from 0.96^0.004 = e^(0.004·ln 0.96))
      expect(move).toBeCloseTo(0.10564518, 7);
      m.dispose();
    });

    for (const spec of [nadam({ learningRate: 0.05 }), nadam({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, momentumDecay: 0.05 })]) {
      it(`NAdam ${JSON.stringify(spec)}: 12 steps follow the float64 formula`, () => {
        const m = oneUnit(backend, spec);
        for (let s = 1; s <= 12; s++) {
          m.fitSync(X, Y, { epochs: 1, batchSize: 1, shuffle: false });
          params(m).forEach((v, i) => expect(Math.abs(v - nadamRef(spec, s)[i]!), `step ${s} parameter ${i}`).toBeLessThan(2e-5));
        }
        m.dispose();
      });
    }

    for (const spec of [amsgrad({ learningRate: 0.05 }), amsgrad({ learningRate: 0.2, beta1: 0.5, beta2: 0.5, epsilon: 1e-7 })]) {
      it(`AMSGrad ${JSON.stringify(spec)}: 12 steps follow the float64 formula`, () => {
        const m = oneUnit(backend, spec);
        for (let s = 1; s <= 12; s++) {
          m.fitSync(X, Y, { epochs: 1, batchSize: 1, shuffle: false });
          params(m).forEach((v, i) => expect(Math.abs(v - amsgradRef(spec, s).p[i]!), `step ${s} parameter ${i}`).toBeLessThan(2e-5));
        }
        m.dispose();
      });
    }

    it('AMSGrad differs from Adam once v falls below its maximum (the third state is read)', () => {
      const spec = amsgrad({ learningRate: 0.2, beta1: 0.5, beta2: 0.5, epsilon: 1e-7 });
      expect(amsgradRef(spec, 12).maxAboveV).toBeGreaterThan(0);
      const a = oneUnit(backend, spec);
      const b = oneUnit(backend, { ...spec, type: 'adam' });
      a.fitSync(X, Y, { epochs: 12, batchSize: 1, shuffle: false });
      b.fitSync(X, Y, { epochs: 12, batchSize: 1, shuffle: false });
      expect(Math.max(...params(a).map((v, i) => Math.abs(v - params(b)[i]!)))).toBeGreaterThan(1e-3);
      a.dispose();
      b.dispose();
    });
  });
}
