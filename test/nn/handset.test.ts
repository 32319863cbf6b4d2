// Hand-set networks from the lecture notes: logic gates with sigmoid units and weights like
// (−30, 20, 20), and the hard-threshold solved problems, reproduced exactly.
import { describe, expect, it } from 'vitest';
import { dense, Sequential } from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]];

function gate(backend: ReturnType<typeof kernelBackends>[number], w: number[], b: number): Sequential {
  const m = new Sequential({ inputSize: w.length, layers: [dense(1, { activation: 'sigmoid' })], seed: 1, backend });
  m.setWeights([{ W: Float32Array.from(w), b: Float32Array.of(b) }]);
  return m;
}

for (const backend of kernelBackends()) {
  describe(`hand-set networks (${backend.binary})`, () => {
    it('AND = g(−30 + 20x1 + 20x2) reproduces g(−30), g(−10), g(−10), g(10)', () => {
      const m = gate(backend, [20, 20], -30);
      const out = Array.from(m.predict(INPUTS).data);
      [-30, -10, -10, 10].forEach((z, i) => expect(out[i]).toBeCloseTo(sigmoid(z), 6));
      expect(out.map((p) => (p >= 0.5 ? 1 : 0))).toEqual([0, 0, 0, 1]);
      m.dispose();
    });

    it('OR = g(−10 + 20x1 + 20x2)', () => {
      const m = gate(backend, [20, 20], -10);
      const out = Array.from(m.predict(INPUTS).data);
      [-10, 10, 10, 30].forEach((z, i) => expect(out[i]).toBeCloseTo(sigmoid(z), 6));
      expect(out.map((p) => (p >= 0.5 ? 1 : 0))).toEqual([0, 1, 1, 1]);
      m.dispose();
    });

    it('NOT = g(10 − 20x1)', () => {
      const m = gate(backend, [-20], 10);
      const out = Array.from(m.predict([[0], [1]]).data);
      expect(out[0]).toBeCloseTo(sigmoid(10), 6);
      expect(out[1]).toBeCloseTo(sigmoid(-10), 6);
      m.dispose();
    });

    it('XNOR = OR(AND(x1,x2), AND(NOT x1, NOT x2)) with a 2-2-1 sigmoid network', () => {
      const m = new Sequential({ inputSize: 2, seed: 1, backend, layers: [dense(2, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })] });
      // hidden: a1 = x1 AND x2 (−30, 20, 20); a2 = (NOT x1) AND (NOT x2) (10, −20, −20); output: a1 OR a2 (−10, 20, 20)
      m.setWeights([{ W: Float32Array.of(20, 20, -20, -20), b: Float32Array.of(-30, 10) }, { W: Float32Array.of(20, 20), b: Float32Array.of(-10) }]);
      const out = Array.from(m.predict(INPUTS).data);
      expect(out.map((p) => (p >= 0.5 ? 1 : 0))).toEqual([1, 0, 0, 1]);
      // the float64 value of the whole composition, from the definitions
      INPUTS.forEach(([x1, x2], i) => {
        const a1 = sigmoid(-30 + 20 * x1! + 20 * x2!);
        const a2 = sigmoid(10 - 20 * x1! - 20 * x2!);
        expect(out[i]).toBeCloseTo(sigmoid(-10 + 20 * a1 + 20 * a2), 5);
      });
      m.dispose();
    });

    it('hard-threshold problem 1: W_H=[1,1], b_H=[−1,−3], W_O=[−1,2], b_O=0.5 gives ŷ = 0 on [1,3), 1 elsewhere', () => {
      const m = new Sequential({ inputSize: 1, seed: 1, backend, layers: [dense(2, { activation: 'step' }), dense(1, { activation: 'step' })] });
      m.setWeights([{ W: Float32Array.of(1, 1), b: Float32Array.of(-1, -3) }, { W: Float32Array.of(-1, 2), b: Float32Array.of(0.5) }]);
      const xs = [-1, 0, 0.999, 1, 2, 2.999, 3, 4, 10];
      expect(Array.from(m.predict(xs.map((x) => [x])).data)).toEqual([1, 1, 1, 0, 0, 0, 1, 1, 1]);
      m.dispose();
    });

    it('hard-threshold problem 2: Table 1 (x = 0, 1, 3, 5 and the test point 3.5), every intermediate value', () => {
      const hidden = new Sequential({ inputSize: 1, seed: 1, backend, layers: [dense(2, { activation: 'identity' })] });
      hidden.setWeights([{ W: Float32Array.of(1, 1), b: Float32Array.of(-2, -4) }]);
      const xs = [[0], [1], [3], [5], [3.5]];
      expect(Array.from(hidden.predict(xs).data)).toEqual([-2, -4, -1, -3, 1, -1, 3, 1, 1.5, -0.5]);
      const full = new Sequential({ inputSize: 1, seed: 1, backend, layers: [dense(2, { activation: 'step' }), dense(1, { activation: 'identity' })] });
      full.setWeights([{ W: Float32Array.of(1, 1), b: Float32Array.of(-2, -4) }, { W: Float32Array.of(1, -2), b: Float32Array.of(-0.5) }]);
      expect(Array.from(full.predict(xs).data)).toEqual([-0.5, -0.5, 0.5, -1.5, 0.5]); // z^O row of Table 1
      const classify = new Sequential({ inputSize: 1, seed: 1, backend, layers: [dense(2, { activation: 'step' }), dense(1, { activation: 'step' })] });
      classify.setWeights(full.getWeights());
      expect(Array.from(classify.predict(xs).data)).toEqual([0, 0, 1, 0, 1]); // ŷ row, and ŷ(3.5) = 1
      for (const m of [hidden, full, classify]) m.dispose();
    });

    it('hard-threshold problem 3: ŷ = 1 exactly where x1 ≥ 0, x2 ≥ 0 and x1 + x2 < 1', () => {
      const m = new Sequential({ inputSize: 2, seed: 1, backend, layers: [dense(3, { activation: 'step' }), dense(1, { activation: 'step' })] });
      m.setWeights([{ W: Float32Array.of(1, 0, 0, 1, 1, 1), b: Float32Array.of(0, 0, -1) }, { W: Float32Array.of(1, 1, -1), b: Float32Array.of(-1.5) }]);
      const pts: number[][] = [];
      for (let a = -1; a <= 2; a += 0.25) for (let b = -1; b <= 2; b += 0.25) pts.push([a, b]);
      const out = Array.from(m.predict(pts).data);
      pts.forEach(([x1, x2], i) => {
        const u = [x1! >= 0 ? 1 : 0, x2! >= 0 ? 1 : 0, x1! + x2! - 1 >= 0 ? 1 : 0];
        const zo = u[0]! + u[1]! - u[2]! - 1.5;
        expect(out[i]).toBe(zo >= 0 ? 1 : 0);
      });
      // In words: both coordinates non-negative and x1 + x2 < 1.
      expect(out[pts.findIndex(([a, b]) => a === 0.25 && b === 0.5)]).toBe(1);
      expect(out[pts.findIndex(([a, b]) => a === 0.5 && b === 0.5)]).toBe(0);
      m.dispose();
    });
  });
}
