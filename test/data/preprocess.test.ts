import { describe, expect, it } from 'vitest';
import {
  LabelEncoder,
  MinMaxScaler,
  StandardScaler,
  fromRows,
  getRow,
  matrixToArrays,
  oneHot,
  toMatrix,
} from '../../src/data/index.js';
import { ModelFormatError, NotFittedError, ValidationError } from '../../src/errors.js';

const close = (a: ArrayLike<number>, b: number[], digits = 6) =>
  expect(Array.from(a)).toEqual(b.map((v) => expect.closeTo(v, digits)));

describe('toMatrix and helpers', () => {
  it('copies number[][] into a row-major Float32Array', () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const m = toMatrix(rows, 'X');
    expect(m).toEqual({ data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 });
    m.data[0] = 99;
    expect(rows[0][0]).toBe(1);
    expect(getRow(m, 1)).toEqual(Float32Array.from([4, 5, 6]));
    expect(matrixToArrays(fromRows(rows))).toEqual(rows);
  });

  it('accepts matrices, shaped buffers and float64 data without mutating them', () => {
    const m = { data: Float32Array.from([1, 2, 3, 4]), rows: 2, cols: 2 };
    expect(toMatrix(m).data).toBe(m.data);
    const s = toMatrix({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] });
    expect([s.rows, s.cols]).toEqual([3, 2]);
    expect(s.data).toBeInstanceOf(Float32Array);
  });

  it('names the problem: NaN/Infinity with row and column, ragged rows, empty input, bad shape', () => {
    expect(() => toMatrix([[1, 2], [3, NaN]], 'X')).toThrow(/^X: row 1, column 1 is NaN, expected a finite number$/);
    expect(() => toMatrix([[1, Infinity]], 'X')).toThrow(/row 0, column 1 is Infinity/);
    expect(() => toMatrix([[1, 2], [3]], 'X')).toThrow(/X: row 1 has 1 columns, expected 2 \(as row 0\)/);
    expect(() => toMatrix([], 'X')).toThrow(/X: has 0 rows/);
    expect(() => toMatrix([[]], 'X')).toThrow(/X: row 0 has 0 columns/);
    expect(() => toMatrix({ data: new Float32Array(5), rows: 2, cols: 3 }, 'X')).toThrow(/data has 5 values, expected rows × cols = 2 × 3 = 6/);
    expect(() => toMatrix({ data: Float32Array.from([0, NaN, 0, 0]), rows: 2, cols: 2 }, 'W')).toThrow(/W: row 0, column 1 is NaN/);
    // Large float arrays are scanned in blocks: the first bad value is still the one named.
    for (const [Ctor, at, bad] of [[Float32Array, 50_001, NaN], [Float64Array, 4095, -Infinity], [Float32Array, 8192 * 7 - 1, Infinity]] as const) {
      const data = new Ctor(300 * 200).fill(0.5);
      data[at] = bad;
      data[at + 9000] = NaN;
      expect(() => toMatrix({ data, rows: 300, cols: 200 }, 'X')).toThrow(`X: row ${Math.floor(at / 200)}, column ${at % 200} is ${bad}, expected a finite number`);
    }
    expect(() => toMatrix([[1e39]], 'X')).toThrow(/too large for float32/);
    expect(() => toMatrix([[1, '2' as unknown as number]], 'X')).toThrow(/row 0, column 1 is "2"/);
    expect(() => toMatrix([[1, 2]], 'X')).not.toThrow();
    expect(() => toMatrix([[1]], 'X')).not.toThrow(ValidationError);
  });
});

describe('StandardScaler', () => {
  // columns: [1, 3, 5] mean 3, population var 8/3; [10, 10, 10] constant → scale 1
  const X = [[1, 10], [3, 10], [5, 10]];
  const std0 = Math.sqrt(8 / 3);

  it('uses the population std and scales constant columns by 1', () => {
    const s = new StandardScaler().fit(X);
    close(s.mean!, [3, 10], 12);
    close(s.scale!, [std0, 1], 12);
    const Z = s.transform(X);
    close(Z.data, [-2 / std0, 0, 0, 0, 2 / std0, 0]);
    close(s.inverseTransform(Z).data, [1, 10, 3, 10, 5, 10], 5);
    close(new StandardScaler().fitTransform(X).data, Array.from(Z.data));
  });

  it('supports withMean / withStd off', () => {
    close(new StandardScaler({ withMean: false }).fitTransform(X).data, [1 / std0, 10, 3 / std0, 10, 5 / std0, 10]);
    close(new StandardScaler({ withStd: false }).fitTransform(X).data, [-2, 0, 0, 0, 2, 0]);
  });

  it('refuses transform before fit and a different column count', () => {
    expect(() => new StandardScaler().transform(X)).toThrow(NotFittedError);
    const s = new StandardScaler().fit({ data: new Float32Array(64 * 2).map((_, i) => i), rows: 2, cols: 64 });
    expect(() => s.transform({ data: new Float32Array(63), rows: 1, cols: 63 })).toThrow(/X: has 63 columns, the scaler was fitted on 64/);
  });

  it('round-trips through JSON and rejects corrupt JSON', () => {
    const s = new StandardScaler().fit(X);
    const t = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(t.transform(X)).toEqual(s.transform(X));
    expect(() => StandardScaler.fromJSON({ type: 'StandardScaler', mean: [1], scale: [1, 2] })).toThrow(ModelFormatError);
    expect(() => StandardScaler.fromJSON({ type: 'MinMaxScaler' })).toThrow(ModelFormatError);
  });

  it('does not mutate its input', () => {
    const input = [[1, 10], [3, 10]];
    const m = toMatrix(input);
    const before = m.data.slice();
    new StandardScaler().fitTransform(m);
    expect(m.data).toEqual(before);
    expect(input).toEqual([[1, 10], [3, 10]]);
  });
});

describe('MinMaxScaler', () => {
  const X = [[1, -5, 7], [3, 5, 7], [2, 0, 7]];

  it('maps the training range onto featureRange; constant columns to its lower end', () => {
    const s = new MinMaxScaler().fit(X);
    expect(s.dataMin).toEqual([1, -5, 7]);
    expect(s.dataMax).toEqual([3, 5, 7]);
    close(s.transform(X).data, [0, 0, 0, 1, 1, 0, 0.5, 0.5, 0]);
    close(new MinMaxScaler({ featureRange: [-1, 1] }).fitTransform(X).data, [-1, -1, -1, 1, 1, -1, 0, 0, -1]);
    close(s.inverseTransform(s.transform(X)).data, X.flat(), 5);
    close(s.transform([[5, 10, 8]]).data, [2, 1.5, 1]);
  });

  it('validates options, fit state, columns and JSON', () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow(/featureRange: expected \[min, max\]/);
    expect(() => new MinMaxScaler().transform(X)).toThrow(NotFittedError);
    expect(() => new MinMaxScaler().fit(X).transform([[1, 2]])).toThrow(/X: has 2 columns, the scaler was fitted on 3/);
    const s = new MinMaxScaler({ featureRange: [-1, 1] }).fit(X);
    const t = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(t.featureRange).toEqual([-1, 1]);
    expect(t.transform(X)).toEqual(s.transform(X));
    expect(() => MinMaxScaler.fromJSON({ type: 'MinMaxScaler', featureRange: [0, 1], dataMin: [2], dataMax: [1] })).toThrow(ModelFormatError);
  });
});

describe('oneHot', () => {
  it('sets one 1 per row', () => {
    expect(oneHot([0, 2, 1])).toEqual({ data: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 1, 0]), rows: 3, cols: 3 });
    expect(oneHot(Int32Array.from([1]), 4).data).toEqual(Float32Array.from([0, 1, 0, 0]));
  });

  it('rejects labels out of range, non-integers and strings', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/labels: labels\[1\] is 3, expected a class index < numClasses = 3/);
    expect(() => oneHot([-1])).toThrow(/labels\[0\] is -1/);
    expect(() => oneHot([0.5])).toThrow(/integer/);
    expect(() => oneHot(['a'])).toThrow(/LabelEncoder/);
    expect(() => oneHot([])).toThrow(/empty/);
  });
});

describe('LabelEncoder', () => {
  it('sorts numbers numerically and strings lexicographically', () => {
    const n = new LabelEncoder().fit([10, 2, 33, 2]);
    expect(n.classes).toEqual([2, 10, 33]);
    expect(Array.from(n.transform([33, 2, 10]))).toEqual([2, 0, 1]);
    const s = new LabelEncoder().fit(['b', 'B', 'a', 'b']);
    expect(s.classes).toEqual(['B', 'a', 'b']);
    expect(s.inverseTransform([2, 0])).toEqual(['b', 'B']);
    expect(Array.from(new LabelEncoder().fitTransform(['x', 'y', 'x']))).toEqual([0, 1, 0]);
  });

  it('names an unknown label and refuses use before fit', () => {
    const e = new LabelEncoder().fit(['cat', 'dog']);
    expect(() => e.transform(['cat', 'emu'])).toThrow(/y: y\[1\] is "emu", a label not seen by fit \(classes: "cat", "dog"\)/);
    expect(() => e.inverseTransform([2])).toThrow(/codes\[0\] is 2, expected an integer in \[0, 2\)/);
    expect(() => new LabelEncoder().transform(['a'])).toThrow(NotFittedError);
  });

  it('round-trips through JSON', () => {
    const e = new LabelEncoder().fit(['cat', 'dog']);
    const f = LabelEncoder.fromJSON(JSON.parse(JSON.stringify(e)));
    expect(f.classes).toEqual(['cat', 'dog']);
    expect(() => LabelEncoder.fromJSON({ type: 'LabelEncoder', classes: ['b', 'a'] })).toThrow(ModelFormatError);
    expect(() => LabelEncoder.fromJSON({ type: 'LabelEncoder', classes: [1, 'a'] })).toThrow(ModelFormatError);
  });

  it('returns a copy of its classes', () => {
    const e = new LabelEncoder().fit([1, 2]);
    (e.classes as number[])[0] = 5;
    expect(e.classes).toEqual([1, 2]);
  });
});
