// The hard decision and accuracy, against hand derivations: a sigmoid output decides by the sign of
// its logit (the notes' 1{z ≥ 0}), and accuracy follows the targets (argmax of one-hot rows, per
// label for multi-hot rows).
import { describe, expect, it } from 'vitest';
import { dense, MLPClassifier, Sequential, sgd } from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';

for (const backend of kernelBackends()) {
  describe(`hard decision and accuracy (${backend.binary})`, () => {
    it('one sigmoid output: z = −1e-7 is class 0, z = 0 and z = 1e-7 are class 1 (σ(z) rounds to 0.5 in float32)', () => {
      const m = new Sequential({ inputSize: 1, seed: 1, backend, layers: [dense(1, { activation: 'sigmoid' })] });
      m.setWeights([{ W: Float32Array.of(1), b: Float32Array.of(0) }]);
      const X = [[-1e-7], [0], [1e-7], [-3], [3]];
      expect(Array.from(m.predictLogits(X).data)).toEqual(X.map((r) => Math.fround(r[0]!)));
      expect(Array.from(m.predictClasses(X))).toEqual([0, 1, 1, 0, 1]);
      // accuracy counts the same decision: targets 0, 1, 1, 0, 1 are all right
      m.compile({ loss: 'binaryCrossentropy' });
      expect(m.evaluate(X, [0, 1, 1, 0, 1]).accuracy).toBe(1);
      expect(m.evaluate([[-1e-7]], [1]).accuracy).toBe(0);
      m.dispose();
    });

    it('K sigmoid outputs with one-hot targets: accuracy is the argmax one (0.25), not per output (0.75)', () => {
      // W = 0 and b = (−1, −2, −3, −4): every row has z = b, so every output decides 0 and the argmax is 0.
      const m = new Sequential({ inputSize: 4, seed: 2, backend, layers: [dense(4, { activation: 'sigmoid' })] });
      m.setWeights([{ W: new Float32Array(16), b: Float32Array.of(-1, -2, -3, -4) }]);
      m.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 1e-30 }) });
      const X = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
      const eye = X.map((r) => r.slice());
      // By hand: the argmax (class 0) matches row 0 only → 1/4. Per output, 3 of 4 zeros are right per row → 3/4.
      expect(m.evaluate(X, eye).accuracy).toBe(0.25);
      const h = m.fitSync(X, eye, { epochs: 1, batchSize: 4, shuffle: false });
      expect(h.accuracy[0]).toBe(0.25);
      expect(Array.from(m.predictClasses(X))).toEqual([0, 0, 0, 0]);
      m.dispose();
    });

    it('multi-hot targets are counted per label', () => {
      const m = new Sequential({ inputSize: 2, seed: 3, backend, layers: [dense(3, { activation: 'sigmoid' })] });
      // z = (x1, x2, x1 − x2): decisions 1{z ≥ 0}
      m.setWeights([{ W: Float32Array.of(1, 0, 0, 1, 1, -1), b: new Float32Array(3) }]);
      m.compile({ loss: 'binaryCrossentropy' });
      const X = [[1, -1], [-1, 1]];
      // decisions: row 0 → (1, 0, 1); row 1 → (0, 1, 0)
      const Y = [[1, 1, 1], [0, 1, 1]];
      // by hand: row 0 matches 1, -, 1 (2 of 3); row 1 matches 0 (y 0), 1, - (2 of 3) → 4/6
      expect(m.evaluate(X, Y).accuracy).toBeCloseTo(4 / 6, 12);
      // a row with no label (all 0) makes the targets multi-hot too: per label
      expect(m.evaluate(X, [[1, 0, 1], [0, 0, 0]]).accuracy).toBeCloseTo((3 + 2) / 6, 12);
      m.dispose();
    });

    it('softmax outputs decide by the argmax of the logits', () => {
      const m = new Sequential({ inputSize: 2, seed: 4, backend, layers: [dense(3, { activation: 'softmax' })] });
      m.setWeights([{ W: Float32Array.of(1, 0, 0, 1, -1, -1), b: new Float32Array(3) }]);
      expect(Array.from(m.predictClasses([[2, 1], [1, 2], [-1, -1]]))).toEqual([0, 1, 2]);
      m.dispose();
    });
  });
}

describe('MLPClassifier decides by the logit', () => {
  it('decisionFunction of a binary model is the output logit, and predict is 1{z ≥ 0}', () => {
    const X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.2, 0.9], [0.8, 0.1]];
    const y = [0, 1, 1, 1, 1, 1];
    const clf = new MLPClassifier({ hiddenLayers: [3], maxIter: 5, seed: 1 });
    clf.fit(X, y);
    const z = Array.from(clf.decisionFunction(X).data);
    const P = clf.predictProba(X);
    z.forEach((v, i) => expect(1 / (1 + Math.exp(-v))).toBeCloseTo(P.data[2 * i + 1]!, 6));
    expect(clf.predict(X)).toEqual(z.map((v) => (v >= 0 ? 1 : 0)));
  });
});
