// Class and sample weights: the weighted loss of a network against per-row sums of unweighted
// ones, weighted full-batch training against training on duplicated rows, and a balanced
// logistic regression against scikit-learn's (test/fixtures/tables/oracle.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classWeights, dense, LogisticRegression, MLPClassifier, OneVsRestClassifier, Perceptron, readTable, sgd, Sequential, StandardScaler,
  ValidationError,
} from '../../src/index.js';

const data = (n: number, d: number, seed: number) => {
  let s = seed;
  const r = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32 - 0.5; };
  const X = Array.from({ length: n }, () => Array.from({ length: d }, r));
  const y = X.map((row, i) => (row[0]! + 0.3 * row[1]! > 0.1 || i % 7 === 0 ? 1 : 0) + (row[2]! > 0.3 ? 1 : 0));
  return { X, y };
};

describe('classWeights', () => {
  it("'balanced' is n / (k·n_c); explicit weights by index or by class name", () => {
    expect(Array.from(classWeights([0, 0, 0, 1], 2, 'balanced'))).toEqual([4 / 6, 2]);
    expect(Array.from(classWeights([0, 1], 3, [1, 2, 0.5]))).toEqual([1, 2, 0.5]);
    expect(Array.from(classWeights([0, 1], 2, { dog: 3 }, 'w', ['cat', 'dog']))).toEqual([1, 3]);
    expect(() => classWeights([0], 2, [1])).toThrow(/has 1 weights, expected one per class \(2\)/);
    expect(() => classWeights([0], 2, { fish: 1 }, 'w', ['cat', 'dog'])).toThrow(/names the class "fish"/);
    expect(() => classWeights([0], 2, [1, -1])).toThrow(/expected a finite number ≥ 0/);
  });
});

describe('weighted loss in Sequential', () => {
  it('lossAndGradients with sampleWeight = (1/m)·Σ w_i·(loss, gradient of row i alone)', () => {
    const { X, y } = data(9, 4, 3);
    const w = [0.5, 2, 0, 1, 1.5, 3, 0.25, 1, 2];
    const net = new Sequential({ inputSize: 4, seed: 2, layers: [dense(5, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] });
    net.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    const got = net.lossAndGradients(X, y, { sampleWeight: w });
    let loss = 0;
    const grad = new Float64Array(got.gradVector.length);
    X.forEach((row, i) => {
      const one = net.lossAndGradients([row], [y[i]!]);
      loss += (w[i]! * one.loss) / X.length;
      one.gradVector.forEach((g, k) => { grad[k] += (w[i]! * g) / X.length; });
    });
    expect(got.loss).toBeCloseTo(loss, 6);
    got.gradVector.forEach((g, k) => expect(Math.abs(g - grad[k]!)).toBeLessThan(1e-6));
    net.dispose();
  });

  it('full-batch training with integer class weights follows training on rows repeated that many times', () => {
    const { X, y } = data(40, 3, 11);
    const cw = [1, 3, 2];
    const dupX: number[][] = [];
    const dupY: number[] = [];
    X.forEach((row, i) => { for (let k = 0; k < cw[y[i]!]!; k++) { dupX.push(row); dupY.push(y[i]!); } });
    const train = (Xs: number[][], ys: number[], lr: number, classWeight?: number[]) => {
      const net = new Sequential({ inputSize: 3, seed: 5, layers: [dense(6, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] });
      net.compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: lr }) });
      net.fitSync(Xs, ys, { epochs: 30, batchSize: Xs.length, shuffle: false, ...(classWeight ? { classWeight } : {}) });
      const p = net.getParams();
      net.dispose();
      return p;
    };
    // (1/m)·Σ w_i·loss_i on m rows = (m'/m)·(mean loss over the m' repeated rows): scale the step to match
    const weighted = train(X, y, 0.5, cw);
    const repeated = train(dupX, dupY, (0.5 * dupX.length) / X.length);
    weighted.forEach((v, k) => expect(Math.abs(v - repeated[k]!)).toBeLessThan(2e-5));
  });

  it('refuses class weights without class targets', () => {
    const net = new Sequential({ inputSize: 2, layers: [dense(1)] });
    net.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
    expect(() => net.fitSync([[0, 1]], [0.5], { classWeight: 'balanced' })).toThrow(/classWeight: needs class targets/);
    expect(() => net.fitSync([[0, 1]], [0.5], { sampleWeight: [1, 2] })).toThrow(/sampleWeight: has 2 weights, expected one per row \(1\)/);
    net.dispose();
  });
});

describe('class weights in the estimators', () => {
  const oracle = JSON.parse(readFileSync(new URL('../fixtures/tables/oracle.json', import.meta.url), 'utf8')).balancedLogistic as { features: string[]; classes: string[]; coef: number[][]; intercept: number[]; rows: number };
  const t = readTable(new URL('../fixtures/tables/penguins.csv', import.meta.url).pathname);
  const rows = Array.from({ length: t.rows }, (_, i) => i).filter((i) => oracle.features.every((f) => t.columns[t.names.indexOf(f)]![i] !== 'NA'));
  const X = new StandardScaler().fitTransform(rows.map((i) => oracle.features.map((f) => Number(t.columns[t.names.indexOf(f)]![i]))));
  const y = rows.map((i) => t.columns[t.names.indexOf('species')]![i]!);

  it("SoftmaxRegression({ classWeight: 'balanced' }) matches scikit-learn's LogisticRegression(class_weight='balanced')", async () => {
    const { SoftmaxRegression } = await import('../../src/index.js');
    expect(rows.length).toBe(oracle.rows);
    const m = new SoftmaxRegression({ classWeight: 'balanced', tol: 1e-7, maxIter: 5000 }).fit(X, y);
    // scikit-learn's multinomial coefficients are defined up to a per-feature shift across classes: compare centred
    const centre = (W: number[][]) => W.map((row, k) => row.map((v, j) => v - W.reduce((a, r) => a + r[j]!, 0) / W.length));
    const ours = centre(m.coef!);
    const theirs = centre(oracle.coef);
    ours.forEach((row, k) => row.forEach((v, j) => expect(Math.abs(v - theirs[k]![j]!)).toBeLessThan(2e-3)));
    m.dispose();
  });

  it('balanced weights raise the recall of a rare class for the MLP, the perceptron and one-vs-rest', () => {
    // keep only 8 Chinstrap penguins: a rare class
    let seen = 0;
    const keep = y.map((c) => c !== 'Chinstrap' || seen++ < 8);
    const Xr = X.data.length ? Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols))).filter((_, i) => keep[i]) : [];
    const yr = y.filter((_, i) => keep[i]);
    const recall = (pred: (string | number)[]) => { let hit = 0, n = 0; y.forEach((c, i) => { if (c === 'Chinstrap') { n++; if (pred[i] === c) hit++; } }); return hit / n; };
    const Xall = Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
    for (const make of [
      (cw?: 'balanced') => new MLPClassifier({ hiddenLayers: [8], maxIter: 60, seed: 1, ...(cw ? { classWeight: cw } : {}) }),
      (cw?: 'balanced') => new OneVsRestClassifier(() => new LogisticRegression({ l2: 10 }), cw ? { classWeight: cw } : {}),
    ]) {
      const plain = make().fit(Xr, yr);
      const weighted = make('balanced').fit(Xr, yr);
      expect(recall(weighted.predict(Xall))).toBeGreaterThan(recall(plain.predict(Xall)));
      plain.dispose(); weighted.dispose();
    }
    const p = new Perceptron({ classWeight: { Chinstrap: 0 }, seed: 1 }).fit(Xr, yr);
    expect(recall(p.predict(Xall))).toBe(0); // weight 0: a class that never moves θ is never predicted
    expect(() => new Perceptron({ classWeight: 'heavy' as never })).toThrow(ValidationError);
  });
});
