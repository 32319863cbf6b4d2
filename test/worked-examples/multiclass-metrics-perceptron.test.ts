// Worked examples of the lecture notes on multiclass logistic regression, evaluation metrics, the
// perceptron and MLP backpropagation (seed 000_ffc6d8912ea268f6, "Lecture 8 – Multiclass LR,
// Evaluation Metrics"), reproduced with the public API and compared with the notes' formulas in
// float64. The hand-set gate networks are in test/nn/handset.test.ts and not repeated here.
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS, accuracy, confusionMatrix, dense, misclassificationRate, oneHot, OneVsOneClassifier, OneVsRestClassifier, Perceptron,
  precision, recall, sgd, Sequential,
} from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';
import {
  add, dsigmoid, expectClose, f32, f32m, flat, handSet, hadamard, matVec, oneHotRow, outer, sigmoid, softmax, sub, transpose,
  type Layer,
} from './notes.js';

for (const backend of kernelBackends()) {
  describe(`lecture notes 000: multiclass logistic regression (${backend.binary})`, () => {
    it('softmax regression computes softmax(W·x + b) with W holding one weight vector w_k per row (the 3×3 matrix form)', () => {
      // The notes stack the w_k as rows of W and then write a = Wᵀφ + b; with w_k as rows it is
      // a = W·φ + b, which is what their "network computes" slide (and the library) evaluate.
      const W = f32m([[0.2, -0.5, 0.1], [1.5, 1.3, 2.1], [0, 0.25, 0.2]]);
      const b = f32([1.1, 3.2, -1.2]);
      const x = [0.5, -1, 2];
      const m = handSet(backend, 3, [dense(3, { activation: 'softmax' })], [{ W, b }]);
      // a_k = w_kᵀx + b_k, y_k = exp(a_k) / Σ_j exp(a_j)
      const a = add(matVec(W, x), b);
      const y = a.map((ak) => Math.exp(ak) / a.reduce((s, aj) => s + Math.exp(aj), 0));
      const out = m.predict([x]).data;
      expectClose(out, y);
      expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
      m.dispose();
    });

    it('log softmax(a)_i = a_i − log Σ_j exp(a_j) is the cross-entropy, finite even for logits near 1000', () => {
      const logits = [1000, 1001, 999];
      const m = handSet(backend, 1, [dense(3, { activation: 'softmax' })], [{ W: [[0], [0], [0]], b: logits }]);
      m.compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
      // shift by the max, as the notes' identity allows: log Σ exp(a_j) = 1001 + log(e^-1 + 1 + e^-2)
      const logSumExp = 1001 + Math.log(Math.exp(-1) + 1 + Math.exp(-2));
      logits.forEach((ai, i) => {
        const { loss } = m.lossAndGradients([[0]], [i]);
        expect(Number.isFinite(loss)).toBe(true);
        expect(loss).toBeCloseTo(logSumExp - ai, 5);
      });
      m.dispose();
    });

    it('one-hot targets: with K = 6, class C3 is (0,0,1,0,0,0) and p([0,0,1,0,0,0]) = μ3', () => {
      // class C3 is index 2 in the library's 0-based class indices
      expect(Array.from(oneHot([2], 6).data)).toEqual([0, 0, 1, 0, 0, 0]);
      const mu = [0.1, 0.2, 0.3, 0.15, 0.15, 0.1];
      const m = handSet(backend, 1, [dense(6, { activation: 'softmax' })], [{ W: mu.map(() => [0]), b: mu.map(Math.log) }]);
      m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
      expectClose(m.predict([[0]]).data, mu, 1e-6);
      // Π_k μ_k^{t_k} = μ3, so the negative log-likelihood of one C3 sample is −ln μ3
      expect(m.lossAndGradients([[0]], [2]).loss).toBeCloseTo(-Math.log(0.3), 6);
      expect(m.lossAndGradients([[0]], [[0, 0, 1, 0, 0, 0]]).loss).toBeCloseTo(-Math.log(0.3), 6);
      m.dispose();
    });

    it('gradient of the cross-entropy wrt w_j is Σ_n (y_nj − t_nj)·φ_n (the notes print a leading minus: a sign slip)', () => {
      const W = f32m([[0.3, -0.2], [-0.1, 0.4], [0.05, 0.1]]);
      const b = f32([0.1, -0.3, 0.2]);
      const Phi = [[1, 2], [-0.5, 0.3], [2, -1]];
      const t = [0, 2, 1];
      const m = handSet(backend, 2, [dense(3, { activation: 'softmax' })], [{ W, b }]);
      m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
      const { loss, grads } = m.lossAndGradients(Phi, t);
      const N = Phi.length;
      // E = −Σ_n Σ_k t_nk ln y_nk (a sum over samples); the library's J is its mean E/N.
      const Y = Phi.map((phi) => softmax(add(matVec(W, phi), b)));
      const E = -Y.reduce((s, y, n) => s + Math.log(y[t[n]!]!), 0);
      expect(loss).toBeCloseTo(E / N, 5);
      // ∇_{w_j} E = +Σ_n (y_nj − t_nj) φ_n: gradient descent must lower E, so the sign is +.
      const gradE = [0, 1, 2].map((j) => [0, 1].map((p) => Phi.reduce((s, phi, n) => s + (Y[n]![j]! - oneHotRow(t[n]!, 3)[j]!) * phi[p]!, 0)));
      expectClose(Array.from(grads[0]!.W!, (g) => g * N), flat(gradE), 1e-5);
      expectClose(Array.from(grads[0]!.b!, (g) => g * N), [0, 1, 2].map((j) => Y.reduce((s, y, n) => s + y[j]! - oneHotRow(t[n]!, 3)[j]!, 0)), 1e-5);
      // using Σ_k t_nk = 1: with probability targets (rows summing to 1) the gradient is still Σ (y − t) φ
      const T = [[0.7, 0.2, 0.1], [0, 0.5, 0.5], [0.25, 0.25, 0.5]];
      const soft = m.lossAndGradients(Phi, T).grads[0]!.W!;
      const gradSoft = [0, 1, 2].map((j) => [0, 1].map((p) => Phi.reduce((s, phi, n) => s + (Y[n]![j]! - T[n]![j]!) * phi[p]!, 0)));
      expectClose(Array.from(soft, (g) => g * N), flat(gradSoft), 1e-5);
      m.dispose();
    });
  });

  describe(`lecture notes 000: MLP forward pass and backpropagation worked by hand (${backend.binary})`, () => {
    // Three layers, sigmoid everywhere (the notes' "if g(z) is a sigmoid"), log loss.
    const L1: Layer = { W: f32m([[0.5, -0.4], [0.3, 0.8], [-0.6, 0.1]]), b: f32([0.1, -0.2, 0.05]) };
    const L2: Layer = { W: f32m([[0.7, -0.3, 0.2], [-0.5, 0.4, 0.9]]), b: f32([0.2, -0.1]) };
    const L3: Layer = { W: f32m([[1.2, -0.8]]), b: f32([0.3]) };
    const specs = () => [dense(3, { activation: 'sigmoid' }), dense(2, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })];

    function forward(x: number[]) {
      const z1 = add(matVec(L1.W, x), L1.b); const a1 = z1.map(sigmoid);
      const z2 = add(matVec(L2.W, a1), L2.b); const a2 = z2.map(sigmoid);
      const z3 = add(matVec(L3.W, a2), L3.b); const a3 = z3.map(sigmoid);
      return { z1, a1, z2, a2, z3, a3 };
    }

    /** The boxed results of the notes' derivation, for one sample. */
    function boxed(x: number[], y: number) {
      const { z1, a1, z2, a2, a3 } = forward(x);
      const e = sub(a3, [y]); // a3 − y
      const dW3 = outer(e, a2); // (a3 − y)·a2ᵀ
      const db3 = e; // a3 − y
      const d2 = hadamard(matVec(transpose(L3.W), e), z2.map(dsigmoid)); // W3ᵀ·(a3 − y) ⊙ g'(z2)
      const dW2 = outer(d2, a1);
      const d1 = hadamard(matVec(transpose(L2.W), d2), z1.map(dsigmoid)); // … · W2 · g'(z1)
      const dW1 = outer(d1, x);
      return { dW1, db1: d1, dW2, db2: d2, dW3, db3, yhat: a3[0]! };
    }

    it('forward pass z[l] = W[l]·a[l−1] + b[l], a[l] = g(z[l]), ŷ = a3', () => {
      const m = handSet(backend, 2, specs(), [L1, L2, L3]);
      const X = [[1, -1], [0.5, 2], [-1.5, 0.25]];
      expectClose(m.predict(X).data, X.map((x) => forward(x).a3[0]!));
      m.dispose();
    });

    it('log loss −[(1 − y)·log(1 − ŷ) + y·log ŷ] and the boxed gradients dL/dW3 = (a3 − y)·a2ᵀ, dL/db3 = a3 − y, dL/dW2, dL/db2, dL/dW1, dL/db1', () => {
      const m = handSet(backend, 2, specs(), [L1, L2, L3]);
      m.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 0.5 }) });
      for (const [x, y] of [[[1, -1], 1], [[0.5, 2], 0]] as [number[], number][]) {
        const g = boxed(x, y);
        const { loss, grads } = m.lossAndGradients([x], [y]);
        expect(loss).toBeCloseTo(-((1 - y) * Math.log(1 - g.yhat) + y * Math.log(g.yhat)), 6);
        expectClose(grads[2]!.W!, flat(g.dW3));
        expectClose(grads[2]!.b!, g.db3);
        expectClose(grads[1]!.W!, flat(g.dW2));
        expectClose(grads[1]!.b!, g.db2);
        expectClose(grads[0]!.W!, flat(g.dW1));
        expectClose(grads[0]!.b!, g.db1);
      }
      m.dispose();
    });

    it('one gradient-descent step w_i := w_i − α·∂L/∂w_i, b_i := b_i − α·∂L/∂b_i (X is [n × f]: the loss averages the n samples)', () => {
      const m = handSet(backend, 2, specs(), [L1, L2, L3]);
      const alpha = 0.5;
      m.compile({ loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: alpha }) });
      const X = [[1, -1], [0.5, 2], [-1.5, 0.25]];
      const y = [1, 0, 1];
      const per = X.map((x, i) => boxed(x, y[i]!));
      const mean = (k: 'dW1' | 'dW2' | 'dW3' | 'db1' | 'db2' | 'db3') => {
        const parts = per.map((g) => (k.startsWith('dW') ? flat(g[k] as number[][]) : (g[k] as number[])));
        return parts[0]!.map((_, i) => parts.reduce((s, p) => s + p[i]!, 0) / X.length);
      };
      m.fitSync(X, y, { epochs: 1, batchSize: X.length, shuffle: false });
      const w = m.getWeights();
      const step = (p: number[], g: number[]) => p.map((v, i) => v - alpha * g[i]!);
      expectClose(w[0]!.W!, step(flat(L1.W), mean('dW1')));
      expectClose(w[0]!.b!, step(L1.b, mean('db1')));
      expectClose(w[1]!.W!, step(flat(L2.W), mean('dW2')));
      expectClose(w[1]!.b!, step(L2.b, mean('db2')));
      expectClose(w[2]!.W!, step(flat(L3.W), mean('dW3')));
      expectClose(w[2]!.b!, step(L3.b, mean('db3')));
      m.dispose();
    });
  });

  describe(`lecture notes 000: the threshold unit and the perceptron update rule (${backend.binary})`, () => {
    it('g(z) = 1 if z ≥ 0 else 0, with g(0) = 1', () => {
      const m = handSet(backend, 1, [dense(1, { activation: 'step' })], [{ W: [[1]], b: [0] }]);
      expect(Array.from(m.predict([[-1e-6], [0], [1e-6], [-3], [3]]).data)).toEqual([0, 1, 1, 0, 1]);
      m.dispose();
    });

    it('the update θ_j := θ_j + α·(y − h_θ(x))·x_j, with h_θ(x) = g(θᵀx) computed by a step unit, learns AND', () => {
      // The library has no perceptron trainer through Sequential (a step unit has no gradient), so
      // the model computes h_θ(x) and the test applies the notes' rule; θ_0 is the bias (x_0 = 1).
      const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
      const y = [0, 0, 0, 1];
      const alpha = 0.5;
      const m = handSet(backend, 2, [dense(1, { activation: 'step' })], [{ W: [[0, 0]], b: [0] }]);
      let theta = [0, 0, 0]; // [θ0, θ1, θ2], float64 twin
      const h64 = (x: number[]) => (theta[0]! + theta[1]! * x[0]! + theta[2]! * x[1]! >= 0 ? 1 : 0);
      let epochs = 0;
      for (; epochs < 50; epochs++) {
        let mistakes = 0;
        for (let i = 0; i < X.length; i++) {
          const h = m.predict([X[i]!]).data[0]!;
          expect(h).toBe(h64(X[i]!));
          const err = y[i]! - h;
          if (err !== 0) mistakes++;
          theta = theta.map((t, j) => t + alpha * err * (j === 0 ? 1 : X[i]![j - 1]!));
          m.setWeights([{ W: Float32Array.of(theta[1]!, theta[2]!), b: Float32Array.of(theta[0]!) }]);
        }
        if (mistakes === 0) break;
      }
      expect(epochs).toBeLessThan(50);
      expect(Array.from(m.predict(X).data)).toEqual(y);
      // a separating θ with the printed rule: this sequence ends at θ = (−1.5, 1, 0.5)
      expect(theta).toEqual([-1.5, 1, 0.5]);
      m.dispose();
    });
  });

  describe(`lecture notes 000: the table of 16 activation functions (${backend.binary})`, () => {
    it('every function of the table exists, with the usual definitions (default parameters of the library)', () => {
      const table: Record<string, string> = {
        Identity: 'identity', Sigmoid: 'sigmoid', TanH: 'tanh', ArcTan: 'arctan', ReLU: 'relu', 'Leaky ReLU': 'leakyRelu',
        'Randomized ReLU': 'rrelu', 'Parameteric ReLU': 'prelu', Binary: 'step', 'Exponential Linear Unit': 'elu',
        'Soft Sign': 'softsign', 'Inverse Square Root Unit (ISRU)': 'isru', 'Inverse Square Root Linear': 'isrlu',
        'Square Non-Linearity': 'sqnl', 'Bipolar ReLU': 'bipolarRelu', 'Soft Plus': 'softplus',
      };
      expect(Object.keys(table)).toHaveLength(16);
      for (const name of Object.values(table)) expect(ACTIVATIONS).toContain(name);
      const def: Record<string, (x: number, unit: number) => number> = {
        identity: (x) => x,
        sigmoid,
        tanh: Math.tanh,
        arctan: Math.atan,
        relu: (x) => Math.max(0, x),
        leakyRelu: (x) => (x >= 0 ? x : 0.01 * x),
        rrelu: (x) => (x >= 0 ? x : x * (1 / 8 + 1 / 3) / 2), // at inference: the mean of U(1/8, 1/3)
        prelu: (x) => (x >= 0 ? x : 0.25 * x), // initial learnable slope 0.25
        step: (x) => (x >= 0 ? 1 : 0),
        elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
        softsign: (x) => x / (1 + Math.abs(x)),
        isru: (x) => x / Math.sqrt(1 + x * x),
        isrlu: (x) => (x >= 0 ? x : x / Math.sqrt(1 + x * x)),
        sqnl: (x) => (x > 2 ? 1 : x >= 0 ? x - x * x / 4 : x >= -2 ? x + x * x / 4 : -1),
        bipolarRelu: (x, unit) => (unit % 2 === 0 ? Math.max(0, x) : Math.min(0, x)),
        softplus: (x) => Math.log(1 + Math.exp(x)),
      };
      const xs = [-3, -1.5, -0.5, 0, 0.5, 1.5, 3];
      for (const name of Object.values(table)) {
        const m = new Sequential({ inputSize: 1, layers: [dense(2, { activation: name as never })], seed: 1, backend });
        const w = m.getWeights()[0]!;
        w.W!.set([1, 1]);
        w.b!.set([0, 0]);
        m.setWeights([w]);
        const out = m.predict(xs.map((x) => [x])).data;
        xs.forEach((x, i) => {
          for (const unit of [0, 1]) expect(out[2 * i + unit], `${name}(${x}) unit ${unit}`).toBeCloseTo(def[name]!(x, unit), 5);
        });
        m.dispose();
      }
    });
  });
}

describe('lecture notes 000: confusion matrix and the measures derived from it', () => {
  // The notes give the 2×2 layout with predicted values as rows and actual values as columns,
  // [[TP, FP], [FN, TN]], positive (1) first. The library's matrix has actual classes as rows
  // (scikit-learn's convention), so with labels [1, 0] it is the transpose [[TP, FN], [FP, TN]].
  const TP = 100, TN = 50, FP = 10, FN = 5;
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const push = (t: number, p: number, n: number) => { for (let i = 0; i < n; i++) { yTrue.push(t); yPred.push(p); } };
  push(1, 1, TP); push(0, 0, TN); push(0, 1, FP); push(1, 0, FN);
  const total = TP + TN + FP + FN;

  it('counts TP, FP, FN, TN; the notes\' layout is the transpose of the library\'s', () => {
    const cm = confusionMatrix(yTrue, yPred, { labels: [1, 0] });
    expect(cm.matrix).toEqual([[TP, FN], [FP, TN]]);
    expect(transpose(cm.matrix)).toEqual([[TP, FP], [FN, TN]]);
  });

  it('accuracy (TP+TN)/total, misclassification rate (FP+FN)/total, recall TP/(TP+FN), precision TP/(TP+FP)', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo((TP + TN) / total, 12);
    expect(misclassificationRate(yTrue, yPred)).toBeCloseTo((FP + FN) / total, 12);
    expect(recall(yTrue, yPred, { average: 'binary', positiveLabel: 1 })).toBeCloseTo(TP / (TP + FN), 12);
    expect(precision(yTrue, yPred, { average: 'binary', positiveLabel: 1 })).toBeCloseTo(TP / (TP + FP), 12);
  });
});

/** An estimator's predictions (number[] | string[]) as one array type. */
const list = (c: ArrayLike<number | string>): (number | string)[] => Array.from(c);

describe('lecture notes 000: the perceptron, one-vs-all and one-vs-one estimators', () => {
  it('Perceptron applies θ_j := θ_j + α·(y − h_θ(x))·x_j in order and stops after a clean epoch: AND ends at θ = (−1.5, 1, 0.5) after 6 epochs', () => {
    // Same data, α and visiting order as the hand-driven test above; by hand: epoch 1 ends at
    // (0, .5, .5), epoch 2 at (−.5, 1, .5), 3 at (−1, 1, .5), 4 at (−1, 1, 1), 5 at (−1.5, 1, .5),
    // and epoch 6 makes no mistake.
    const p = new Perceptron({ learningRate: 0.5, shuffle: false, tol: 0 }).fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]);
    expect(p.intercept).toEqual([-1.5]);
    expect(p.coef).toEqual([[1, 0.5]]);
    expect(p.nIter).toBe(6);
    expect(p.converged).toBe(true);
    expect(list(p.predict([[0, 0], [0, 1], [1, 0], [1, 1]]))).toEqual([0, 0, 0, 1]);
    // g(0) = 1: a point exactly on the boundary θᵀx = 0 is positive (x1 = 1.5, x2 = 0)
    expect(list(p.predict([[1.5, 0]]))).toEqual([1]);
  });

  const X: number[][] = [];
  const y: string[] = [];
  const centers: Record<string, number[]> = { A: [0, 0], B: [4, 0], C: [0, 4] };
  for (const [label, [cx, cy]] of Object.entries(centers)) {
    for (const [dx, dy] of [[0, 0], [0.5, 0.2], [-0.3, 0.4], [0.2, -0.5], [-0.4, -0.3]]) { X.push([cx! + dx!, cy! + dy!]); y.push(label); }
  }

  it('one-vs-all: as many binary classifiers as class labels (Green, Blue, Red → 3)', () => {
    const ovr = new OneVsRestClassifier(() => new Perceptron({ seed: 1 })).fit(X, y);
    expect(ovr.estimators).toHaveLength(3);
    expect(list(ovr.predict(X))).toEqual(y);
  });

  it('one-vs-one: N(N − 1)/2 classifiers, A-vs-B, A-vs-C, B-vs-C, and the class with the majority of votes wins', () => {
    const ovo = new OneVsOneClassifier(() => new Perceptron({ seed: 1 })).fit(X, y);
    expect(ovo.estimators).toHaveLength(3);
    const pairs = [['A', 'B'], ['A', 'C'], ['B', 'C']];
    const probe = [[0.2, 0.1], [3.8, 0.3], [0.1, 3.7], [2, 2.5]];
    const preds = ovo.estimators.map((e) => list(e.predict(probe)));
    const voted = probe.map((_, i) => {
      const votes: Record<string, number> = { A: 0, B: 0, C: 0 };
      pairs.forEach(([a, b], p) => { votes[preds[p]![i] === 1 ? b! : a!]!++; });
      const top = Math.max(...Object.values(votes));
      return Object.keys(votes).filter((k) => votes[k] === top);
    });
    const out = list(ovo.predict(probe));
    out.forEach((label, i) => expect(voted[i]).toContain(label)); // ties are broken by confidence
    expect(out.slice(0, 3)).toEqual(['A', 'B', 'C']);
    const n4 = new OneVsOneClassifier(() => new Perceptron({ seed: 1 })).fit([...X, [4, 4], [4.2, 3.9]], [...y, 'D', 'D']);
    expect(n4.estimators).toHaveLength(6);
  });
});
