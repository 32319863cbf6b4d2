// Shared fixtures of the estimator tests: the seeded, standardized 75/25 stratified splits.
import { loadDigits, loadIris, StandardScaler, trainTestSplit, type Matrix } from '../../src/index.js';

export interface Split { Xtr: Matrix; Xte: Matrix; ytr: Int32Array; yte: Int32Array; classNames: string[] }

export function standardizedSplit(name: 'iris' | 'digits', seed: number): Split {
  const ds = name === 'iris' ? loadIris() : loadDigits();
  const s = trainTestSplit(ds.X, ds.y, { testSize: 0.25, stratify: true, seed });
  const scaler = new StandardScaler().fit(s.XTrain);
  return { Xtr: scaler.transform(s.XTrain), Xte: scaler.transform(s.XTest), ytr: s.yTrain, yte: s.yTest, classNames: ds.classNames };
}
