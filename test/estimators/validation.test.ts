// Bad input for every estimator: each throws an error whose message names the problem; inputs
// are never mutated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LogisticRegression, MLPClassifier, MLPRegressor, NotFittedError, OneVsOneClassifier, OneVsRestClassifier, Perceptron,
  setWarningHandler, SoftmaxRegression, ValidationError, type ConvergenceWarning,
} from '../../src/index.js';

let previous: ((w: ConvergenceWarning) => void) | undefined;
beforeAll(() => { previous = setWarningHandler(() => {}); });
afterAll(() => { if (previous) setWarningHandler(previous); });

const X = [[0, 0, 1, 2], [1, 1, 0, 1], [2, 0, 1, 0], [3, 1, 1, 1], [0, 2, 2, 2], [1, 0, 3, 1]];
const y = [0, 1, 0, 1, 2, 2];
const yBin = [0, 1, 0, 1, 1, 0];

const classifiers = {
  LogisticRegression: () => new LogisticRegression(),
  SoftmaxRegression: () => new SoftmaxRegression(),
  Perceptron: () => new Perceptron(),
  MLPClassifier: () => new MLPClassifier({ hiddenLayers: [4], maxIter: 5 }),
  OneVsRestClassifier: () => new OneVsRestClassifier(() => new LogisticRegression()),
  OneVsOneClassifier: () => new OneVsOneClassifier(() => new Perceptron()),
};

for (const [name, make] of Object.entries(classifiers)) {
  describe(name, () => {
    const bad = (Xb: unknown, yb: unknown) => () => make().fit(Xb as number[][], yb as number[]);
    it('NaN or infinity in X', () => {
      expect(bad([[0, NaN, 1, 2], ...X.slice(1)], y)).toThrow(/X: row 0, column 1 is NaN, expected a finite number/);
      expect(bad([...X.slice(0, 2), [1, Infinity, 0, 0], ...X.slice(3)], y)).toThrow(/X: row 2, column 1 is Infinity/);
    });
    it('NaN or infinity in y', () => {
      expect(bad(X, [0, 1, NaN, 1, 2, 2])).toThrow(/y\[2\] is NaN, expected a finite number/);
      expect(bad(X, [0, 1, 0, Infinity, 2, 2])).toThrow(/y\[3\] is Infinity/);
    });
    it('ragged rows, zero rows, zero columns, wrong y length', () => {
      expect(bad([[1, 2, 3, 4], [1, 2, 3]], [0, 1])).toThrow(/row 1 has 3 columns, expected 4/);
      expect(bad([], [])).toThrow(/X: has 0 rows/);
      expect(bad([[], []], [0, 1])).toThrow(/0 columns/);
      expect(bad({ data: new Float32Array(0), rows: 3, cols: 0 }, [0, 1, 0])).toThrow(/has 0 columns/);
      expect(bad(X, [0, 1])).toThrow(/y: has 2 labels, X has 6 rows/);
    });
    it('a single class in fit', () => {
      expect(bad(X, [1, 1, 1, 1, 1, 1])).toThrow(ValidationError);
      expect(bad(X, ['a', 'a', 'a', 'a', 'a', 'a'])).toThrow(/single class \("a"\).*at least two classes/);
    });
    it('labels outside a given class list', () => {
      const withClasses = (() => {
        switch (name) {
          case 'LogisticRegression': return new LogisticRegression({ classes: [0, 1, 2] });
          case 'SoftmaxRegression': return new SoftmaxRegression({ classes: [0, 1, 2] });
          case 'Perceptron': return new Perceptron({ classes: [0, 1, 2] });
          case 'MLPClassifier': return new MLPClassifier({ hiddenLayers: [4], maxIter: 5, classes: [0, 1, 2] });
          case 'OneVsRestClassifier': return new OneVsRestClassifier(() => new LogisticRegression(), { classes: [0, 1, 2] });
          default: return new OneVsOneClassifier(() => new Perceptron(), { classes: [0, 1, 2] });
        }
      })();
      expect(() => withClasses.fit(X, [0, 1, 0, 1, 3, 2])).toThrow(/y\[4\] = 3 is not one of the 3 given classes \(0, 1, 2\)/);
    });
    it('predict before fit', () => {
      const clf = make();
      expect(() => clf.predict(X)).toThrow(NotFittedError);
      expect(() => clf.predict(X)).toThrow(/not fitted yet: call fit\(X, y\) before predict\(\)/);
      expect(() => clf.predictProba(X)).toThrow(NotFittedError);
      expect(() => clf.decisionFunction(X)).toThrow(NotFittedError);
      expect(() => clf.toJSON()).toThrow(NotFittedError);
    });
    it('a different column count at predict time; inputs never mutated', () => {
      const Xc = X.map((r) => r.slice());
      const yc = y.slice();
      const Xf = { data: Float32Array.from(X.flat()), rows: 6, cols: 4 };
      const Xf0 = Xf.data.slice();
      const clf = make().fit(Xc, yc);
      make().fit(Xf, Int32Array.from(y));
      expect(Xc).toEqual(X);
      expect(yc).toEqual(y);
      expect(Xf.data).toEqual(Xf0);
      expect(() => clf.predict([[1, 2, 3]])).toThrow(/X: has 3 columns, the model was fitted with 4/);
      expect(() => clf.predictProba([[1, 2, 3, 4, 5]])).toThrow(/has 5 columns, the model was fitted with 4/);
      expect(() => clf.predict([[1, NaN, 3, 4]])).toThrow(/NaN/);
      const P = clf.predictProba(Xc);
      expect(P.cols).toBe(3);
      for (let i = 0; i < P.rows; i++) expect(P.data[3 * i]! + P.data[3 * i + 1]! + P.data[3 * i + 2]!).toBeCloseTo(1, 5);
      expect(Xc).toEqual(X);
      clf.dispose();
    });
    it('binary labels 0/1 work too', () => {
      const clf = make().fit(X, yBin);
      expect(clf.classes).toEqual([0, 1]);
      expect(clf.predict(X).every((p) => p === 0 || p === 1)).toBe(true);
      clf.dispose();
    });
  });
}

describe('option checks', () => {
  it('rejects bad options with a message naming them', () => {
    expect(() => new LogisticRegression({ solver: 'newton' as never })).toThrow(/solver: expected one of 'lbfgs', 'gd', 'sgd'/);
    expect(() => new LogisticRegression({ l2: -1 })).toThrow(/l2: expected a finite number ≥ 0/);
    expect(() => new Perceptron({ maxIter: 0 })).toThrow(/maxIter: expected a positive integer/);
    expect(() => new MLPClassifier({ hiddenLayers: [0] })).toThrow(/hiddenLayers\[0\]/);
    expect(() => new MLPClassifier({ validationFraction: 1 })).toThrow(/validationFraction/);
    expect(() => new OneVsOneClassifier(42 as never)).toThrow(/factory/);
  });
});

describe('unknown option names', () => {
  // each estimator's accepted names, written here from its documented options (not read from the source)
  const CASES: [string, (o: Record<string, unknown>) => unknown, string[]][] = [
    ['LogisticRegression', (o) => new LogisticRegression(o), ['solver', 'learningRate', 'maxIter', 'l2', 'tol', 'batchSize', 'seed', 'classes', 'classWeight']],
    ['SoftmaxRegression', (o) => new SoftmaxRegression(o), ['solver', 'learningRate', 'maxIter', 'l2', 'tol', 'batchSize', 'seed', 'classes', 'classWeight']],
    ['Perceptron', (o) => new Perceptron(o), ['learningRate', 'maxIter', 'stoppingRule', 'tol', 'nIterNoChange', 'shuffle', 'seed', 'classes', 'classWeight']],
    ['MLPClassifier', (o) => new MLPClassifier(o), ['hiddenLayers', 'activation', 'optimizer', 'learningRate', 'maxIter', 'batchSize', 'l2', 'tol',
      'nIterNoChange', 'earlyStopping', 'validationFraction', 'shuffle', 'seed', 'classes', 'classWeight']],
    ['MLPRegressor', (o) => new MLPRegressor(o), ['hiddenLayers', 'activation', 'optimizer', 'learningRate', 'maxIter', 'batchSize', 'l2', 'tol',
      'nIterNoChange', 'earlyStopping', 'validationFraction', 'shuffle', 'seed', 'classes', 'classWeight']],
    ['OneVsRestClassifier', (o) => new OneVsRestClassifier(undefined, o), ['classes', 'classWeight']],
    ['OneVsOneClassifier', (o) => new OneVsOneClassifier(undefined, o), ['classes', 'classWeight']],
  ];

  it.each(CASES)('%s: a misspelt option is a ValidationError naming it and the accepted ones', (name, make, accepted) => {
    for (const bad of ['learningrate', 'max_iter', 'constructor', 'hidden']) {
      let caught: unknown;
      try { make({ [bad]: 1 }); } catch (e) { caught = e; }
      expect(caught, `${name} { ${bad} }`).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).argument).toBe(bad);
      expect((caught as Error).message).toBe(`${bad}: is not an option of ${name}; accepted: ${accepted.join(', ')}`);
    }
    // every accepted name alone is not refused for its name (values of the right type)
    expect(() => make({})).not.toThrow();
    expect(() => make(null as never)).toThrow(/options: .*expected an object of options, got null/);
  });

  it('a model file with an unknown option is refused as corrupt', () => {
    const j = new LogisticRegression().fit([[0, 0], [1, 1], [0, 1], [1, 0]], [0, 1, 1, 0]).toJSON();
    expect(() => LogisticRegression.fromJSON({ ...j, options: { ...(j.options as object), sovler: 'gd' } })).toThrow(/JSON is corrupt: sovler: is not an option of LogisticRegression/);
  });
});

describe('MLPRegressor input checks', () => {
  it('NaN in y, wrong length, column count at predict, predict before fit', () => {
    expect(() => new MLPRegressor().fit(X, [1, 2, NaN, 3, 4, 5])).toThrow(/y\[2\] is NaN, expected a finite number/);
    expect(() => new MLPRegressor().fit(X, [1, 2])).toThrow(/y: has 2 targets, X has 6 rows/);
    expect(() => new MLPRegressor().predict(X)).toThrow(NotFittedError);
    const reg = new MLPRegressor({ hiddenLayers: [4], maxIter: 3 }).fit(X, [1, 2, 3, 4, 5, 6]);
    expect(() => reg.predict([[1, 2]])).toThrow(/has 2 columns, the model was fitted with 4/);
    reg.dispose();
  });
});
