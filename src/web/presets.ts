// The demo page's data sets: how each is split and scaled for the model, the probe grid of the
// 2-D sets, and the settings the page suggests for it. Each preset states the validation accuracy
// it reaches with seed 1; test/web/presets.test.ts trains every preset and checks that claim.
// Imports the library as the page does (./browser.js is the bundle in the built page).

import {
  loadDigits, loadIris, makeToyDataset, StandardScaler, trainTestSplit,
  type ActivationName, type Matrix, type OptimizerName, type ToyDatasetName,
} from './browser.js';

export type DatasetName = 'digits' | 'iris' | ToyDatasetName;
export const DATASETS: readonly DatasetName[] = ['digits', 'iris', 'xor', 'circles', 'spirals'];

export interface Preset {
  hidden: string;
  activation: ActivationName;
  optimizer: OptimizerName;
  lr: string;
  epochs: string;
  batch: string;
  /** Validation accuracy these settings reach with seed 1 (test/web/presets.test.ts). */
  reaches: number;
}

export const PRESETS: Readonly<Record<DatasetName, Preset>> = {
  digits: { hidden: '32', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '20', batch: '32', reaches: 0.95 },
  // Iris with seed 1 holds out 30 flowers, two of which (Fisher's versicolor 6.0/2.7/5.1/1.6 and
  // virginica 6.3/2.8/5.1/1.5) have nearly the same measurements and opposite labels: every setting
  // tried (widths 8–16·16, relu/tanh, lr 0.01–0.03, 50–100 epochs, batch 8–16), softmax regression
  // too, misses them, so 28 of 30 (93.3 %) is what an honest model gets there; over split seeds
  // 1–5 this preset averages 96.7 % (test/web/presets.test.ts checks ≥ 95 %).
  iris: { hidden: '16', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '50', batch: '8', reaches: 0.93 },
  // XOR's noise (σ 0.08) carries some points across the axes that split the classes: about 95 % is
  // the ceiling (seeds 1–3: 95.0, 95.8, 95.8 %).
  xor: { hidden: '32, 32', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '100', batch: '32', reaches: 0.94 },
  circles: { hidden: '32, 32', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '100', batch: '32', reaches: 0.95 },
  spirals: { hidden: '32, 32', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '100', batch: '8', reaches: 0.95 },
};

export interface Prepared {
  name: DatasetName;
  XTrain: Matrix;
  yTrain: Int32Array;
  XVal: Matrix;
  yVal: Int32Array;
  classNames: string[];
  featureNames: string[];
  /** Raw features → model input. */
  transform: (X: Matrix) => Matrix;
  /** 2-D sets: the probe grid (model input coordinates) and its bounds. */
  grid?: { G: number; bounds: [number, number, number, number]; X: Matrix };
}

/** Splits (80 / 20, stratified) and scales a data set; for digits, preloadDigits() must have run. */
export function prepare(name: DatasetName, seed: number): Prepared {
  let set: { X: Matrix; y: Int32Array; classNames: string[]; featureNames: string[] };
  if (name === 'digits') set = loadDigits();
  else if (name === 'iris') set = loadIris();
  else set = makeToyDataset(name, { samples: 600, noise: name === 'spirals' ? 0.04 : 0.08, seed });
  const { X, y, classNames, featureNames } = set;
  const split = trainTestSplit(X, y, { testSize: 0.2, stratify: true, seed });
  let transform: (M: Matrix) => Matrix = (M) => M;
  if (name === 'digits') transform = (M) => ({ data: M.data.map((v) => v / 16), rows: M.rows, cols: M.cols });
  else if (name === 'iris') {
    const scaler = new StandardScaler().fit(split.XTrain);
    transform = (M) => scaler.transform(M);
  }
  const data: Prepared = {
    name, XTrain: split.XTrain, yTrain: split.yTrain, XVal: split.XTest, yVal: split.yTest, classNames, featureNames, transform,
  };
  if (X.cols === 2) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < X.rows; i++) {
      x0 = Math.min(x0, X.data[2 * i]!); x1 = Math.max(x1, X.data[2 * i]!);
      y0 = Math.min(y0, X.data[2 * i + 1]!); y1 = Math.max(y1, X.data[2 * i + 1]!);
    }
    const px = (x1 - x0) * 0.08, py = (y1 - y0) * 0.08;
    const bounds: [number, number, number, number] = [x0 - px, x1 + px, y0 - py, y1 + py];
    const G = 72;
    const g = new Float32Array(G * G * 2);
    for (let r = 0; r < G; r++) {
      for (let c = 0; c < G; c++) {
        g[2 * (r * G + c)] = bounds[0] + ((c + 0.5) / G) * (bounds[1] - bounds[0]);
        g[2 * (r * G + c) + 1] = bounds[3] - ((r + 0.5) / G) * (bounds[3] - bounds[2]);
      }
    }
    data.grid = { G, bounds, X: transform({ data: g, rows: G * G, cols: 2 }) };
  }
  return data;
}
