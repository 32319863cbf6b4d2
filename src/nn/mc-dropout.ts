// Monte-Carlo dropout at test time (note 001, "Dropout at test time": many forward passes with
// different dropout masks, averaged). Every pass is the inference forward (batch norm on its running
// statistics, no update) except that each dropout layer draws a fresh mask. The masks come from the
// model's stream re-seeded from `seed`; the model's own stream is put back afterwards, so a sampled
// prediction changes nothing that training or the next call would see.

import type { Matrix, MatrixLike } from '../data/matrix.js';
import { ValidationError } from '../errors.js';
import { Rng } from '../rng.js';
import type { Network } from './network.js';

/** predict()'s options. */
export interface PredictOptions {
  /** Rows per forward pass (default 1024). */
  batchSize?: number;
}

/** predict() with Monte-Carlo dropout. */
export interface SampleOptions extends PredictOptions {
  /** Forward passes, each with fresh dropout masks (an integer ≥ 1). */
  samples: number;
  /** Seeds the masks (default: the model's seed): the same seed, samples and batchSize give the same bits. */
  seed?: number;
}

/** The mean of the sampled outputs and their spread (the population standard deviation over the samples), rows × outputs each. */
export interface SampledPrediction {
  mean: Matrix;
  std: Matrix;
  samples: number;
}

const KNOWN = new Set(['batchSize', 'samples', 'seed']);

/** Refuses what predict() does not know (`training` above all: there is no silent training-mode predict). */
export function checkPredictOptions(options: object, what: string): void {
  for (const key in options) {
    if (KNOWN.has(key)) continue;
    if (key === 'training') {
      throw new ValidationError('training', `${what} has no training mode (dropout masks, batch statistics); for Monte-Carlo dropout pass { samples: n } (fresh masks each pass, batch norm on its running statistics), for one training-mode pass use trace(X, undefined, { training: true })`);
    }
    throw new ValidationError(key, `is not an option of ${what}; expected batchSize, samples or seed`);
  }
}

/**
 * `samples` forward passes over X with fresh dropout masks, averaged: mean and std per output.
 * Per pass and per chunk of `batchSize` rows the dropout layers draw their masks in layer order
 * from one stream, so the result depends on seed, samples and batchSize, nothing else.
 */
export function predictSampled(net: Network, modelSeed: number, X: MatrixLike, options: SampleOptions, what: string): SampledPrediction {
  net.checkAlive();
  const { samples, batchSize } = options;
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 1) throw new ValidationError('samples', `expected an integer ≥ 1 (forward passes), got ${String(samples)}`);
  const seed = options.seed ?? modelSeed;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new ValidationError('seed', `expected an integer, got ${String(seed)}`);
  if (batchSize !== undefined && !(typeof batchSize === 'number' && batchSize >= 1)) throw new ValidationError('batchSize', `expected a number ≥ 1, got ${String(batchSize)}`);
  if (!net.runtimes.some((rt) => rt.sampled)) {
    throw new ValidationError('samples', `${what}: the model has no dropout layer with a rate above 0, so every pass would give the same outputs (std 0); use predict(X) without samples`);
  }
  const M = net.toInput(X);
  const rows = M.rows;
  const K = net.outputSize;
  const d = net.inputSize;
  const chunk = Math.min(rows, Math.max(1, Math.floor(batchSize ?? 1024)));
  net.ensureCapacity(chunk);
  const mean = new Float64Array(rows * K);
  const m2 = new Float64Array(rows * K);
  const { runtimes, rngPtr } = net;
  const saved = net.arena.views.u32.slice(rngPtr >>> 2, (rngPtr >>> 2) + 4);
  new Rng(seed).writeState(net.arena.views.u32, rngPtr);
  try {
    for (let s = 1; s <= samples; s++) {
      for (let start = 0; start < rows; start += chunk) {
        const m = Math.min(chunk, rows - start);
        net.arena.views.f32.set(M.data.subarray(start * d, (start + m) * d), net.inPtr >>> 2);
        let ptr = net.inPtr;
        for (let i = 0; i < runtimes.length; i++) ptr = runtimes[i]!.forwardSample(ptr, m, net.workPtr);
        const f32 = net.arena.views.f32;
        const at = ptr >>> 2;
        // Welford's update in float64: no cancellation when the spread is small next to the mean.
        for (let i = 0, o = start * K; i < m * K; i++, o++) {
          const x = f32[at + i]!;
          const delta = x - mean[o]!;
          mean[o] += delta / s;
          m2[o] += delta * (x - mean[o]!);
        }
      }
    }
  } finally {
    if (!net.disposed) net.arena.views.u32.set(saved, rngPtr >>> 2);
  }
  const std = new Float32Array(rows * K);
  for (let i = 0; i < std.length; i++) std[i] = Math.sqrt(m2[i]! / samples);
  return { mean: { data: Float32Array.from(mean), rows, cols: K }, std: { data: std, rows, cols: K }, samples };
}
