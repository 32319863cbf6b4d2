// Regression scores as the CLI prints them (classification scores are in output.ts).

import { meanAbsoluteError, meanSquaredError, r2 } from '../metrics/regression.js';

export interface RegressionScores {
  samples: number;
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

/** Scores of predictions against targets, both in the label's own units. */
export function regressionScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionScores {
  const t = Float64Array.from(yTrue);
  const p = Float64Array.from(yPred);
  const mse = meanSquaredError(t, p);
  return { samples: t.length, mse, rmse: Math.sqrt(mse), mae: meanAbsoluteError(t, p), r2: r2(t, p) };
}

const g = (x: number) => (Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(4) : String(Number(x.toPrecision(6))));

export function formatRegression(s: RegressionScores, on: string, label: string): string {
  return [
    `${on} (${s.samples} samples), predicting ${JSON.stringify(label)}`,
    `  R²     ${s.r2.toFixed(4)}`,
    `  MSE    ${g(s.mse)}`,
    `  RMSE   ${g(s.rmse)}`,
    `  MAE    ${g(s.mae)}`,
  ].join('\n') + '\n';
}
