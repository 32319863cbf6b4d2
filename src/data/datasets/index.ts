// Small bundled data sets, embedded as TypeScript so they load synchronously in Node and in a
// browser bundle alike. Decoded on first use and cached; every call returns fresh copies.

import { SimdnetError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import { DIGITS_PACKED, DIGITS_ROWS } from './digits.js';
import { IRIS_CSV } from './iris.js';

export interface Dataset {
  X: Matrix;
  y: Int32Array;
  classNames: string[];
  featureNames: string[];
}

interface Cached {
  data: Float32Array;
  rows: number;
  cols: number;
  y: Int32Array;
  classNames: string[];
  featureNames: string[];
}

function copy(c: Cached): Dataset {
  return {
    X: { data: c.data.slice(), rows: c.rows, cols: c.cols },
    y: c.y.slice(),
    classNames: c.classNames.slice(),
    featureNames: c.featureNames.slice(),
  };
}

let iris: Cached | undefined;
let digits: Cached | undefined;

/**
 * The Iris data set (Fisher, 1936; UCI, CC BY 4.0): 150 flowers × 4 measurements in cm,
 * 50 of each class 0 setosa, 1 versicolor, 2 virginica.
 * @example const { X, y, classNames } = loadIris(); // X 150 × 4
 */
export function loadIris(): Dataset {
  if (!iris) {
    const lines = IRIS_CSV.trim().split(/\r?\n/);
    const head = lines[0].split(',');
    const rows = Number(head[0]);
    const cols = Number(head[1]);
    const data = new Float32Array(rows * cols);
    const y = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const cells = lines[i + 1].split(',');
      for (let j = 0; j < cols; j++) data[i * cols + j] = Number(cells[j]);
      y[i] = Number(cells[cols]);
    }
    iris = {
      data, rows, cols, y,
      classNames: head.slice(2),
      featureNames: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    };
  }
  return copy(iris);
}

/**
 * The handwritten digits data set (Alpaydin & Kaynak, 1998; UCI, test part, CC BY 4.0):
 * 1797 images of 8×8 pixels with values 0..16, row by row; classes 0..9.
 * @example const { X, y } = loadDigits(); // X 1797 × 64
 */
export function loadDigits(): Dataset {
  if (!digits) {
    const rows = DIGITS_ROWS;
    const cols = 64;
    const data = new Float32Array(rows * cols);
    const y = new Int32Array(rows);
    // Split on white space rather than index by offset: a checkout with \r\n line ends must decode the same.
    const lines = DIGITS_PACKED.split(/\s+/).filter((l) => l.length > 0);
    if (lines.length !== rows) throw new SimdnetError(`digits.ts is corrupt: ${lines.length} rows, expected ${rows}`);
    for (let i = 0; i < rows; i++) {
      const line = lines[i];
      for (let j = 0; j < cols; j++) data[i * cols + j] = line.charCodeAt(j) - 65;
      y[i] = line.charCodeAt(64) - 48;
    }
    digits = {
      data, rows, cols, y,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      featureNames: Array.from({ length: 64 }, (_, k) => `pixel_${k >> 3}_${k & 7}`),
    };
  }
  return copy(digits);
}
