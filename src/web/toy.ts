// Two-feature toy problems for the demo page and for decision-region pictures, generated from a
// seed: XOR (four quadrants), circles (a disc inside a ring), spirals (two interleaved arms).

import type { Matrix } from '../data/matrix.js';
import { Rng } from '../rng.js';
import { ValidationError } from '../errors.js';

export type ToyDatasetName = 'xor' | 'circles' | 'spirals';
export const TOY_DATASETS: readonly ToyDatasetName[] = ['xor', 'circles', 'spirals'];

export interface ToyDataset { X: Matrix; y: Int32Array; classNames: string[]; featureNames: string[] }

/**
 * A seeded 2-D classification set with points in about [−1, 1]².
 * @example const { X, y } = makeToyDataset('spirals', { samples: 400, noise: 0.05, seed: 1 });
 */
export function makeToyDataset(name: ToyDatasetName, options: { samples?: number; noise?: number; seed?: number } = {}): ToyDataset {
  const n = Math.max(4, Math.floor(options.samples ?? 400));
  const noise = options.noise ?? 0.08;
  const rng = new Rng(options.seed ?? 1);
  const data = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    let a: number;
    let b: number;
    if (name === 'xor') {
      a = rng.uniformRange(0.05, 1) * (rng.uniform() < 0.5 ? -1 : 1);
      b = rng.uniformRange(0.05, 1) * (label === 1 ? -Math.sign(a) : Math.sign(a));
    } else if (name === 'circles') {
      const r = label === 0 ? rng.uniformRange(0, 0.45) : rng.uniformRange(0.65, 1);
      const t = rng.uniformRange(0, 2 * Math.PI);
      a = r * Math.cos(t);
      b = r * Math.sin(t);
    } else if (name === 'spirals') {
      const s = rng.uniform();
      const r = 0.08 + 0.9 * s;
      const t = 3.2 * Math.PI * s + label * Math.PI;
      a = r * Math.cos(t);
      b = r * Math.sin(t);
    } else {
      throw new ValidationError('name', `makeToyDataset: unknown data set ${JSON.stringify(name)}; expected one of ${TOY_DATASETS.join(', ')}`);
    }
    data[2 * i] = a + rng.normal(0, noise);
    data[2 * i + 1] = b + rng.normal(0, noise);
    y[i] = label;
  }
  const classNames = name === 'xor' ? ['same sign', 'opposite sign'] : name === 'circles' ? ['inner', 'outer'] : ['arm A', 'arm B'];
  return { X: { data, rows: n, cols: 2 }, y, classNames, featureNames: ['x₁', 'x₂'] };
}
