// Small float64 helpers for reproducing the lecture notes' worked examples formula by formula
// (test/worked-examples/*). Matrices are plain number[][] (rows), vectors number[]; nothing here calls the
// library, so every expected value is computed independently of it.

import { expect } from 'vitest';
import { dense, Sequential, type LayerSpec } from '../../src/index.js';
import type { Backend } from '../../src/backend.js';

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
export const dsigmoid = (z: number): number => sigmoid(z) * (1 - sigmoid(z));

/** Float32 rounding of every entry: the oracle starts from the values the library really holds. */
export const f32 = (v: readonly number[]): number[] => v.map((x) => Math.fround(x));
export const f32m = (M: readonly (readonly number[])[]): number[][] => M.map((r) => f32(r));

export const matVec = (W: readonly (readonly number[])[], x: readonly number[]): number[] =>
  W.map((row) => row.reduce((s, w, j) => s + w * x[j]!, 0));
export const add = (a: readonly number[], b: readonly number[]): number[] => a.map((v, i) => v + b[i]!);
export const sub = (a: readonly number[], b: readonly number[]): number[] => a.map((v, i) => v - b[i]!);
export const hadamard = (a: readonly number[], b: readonly number[]): number[] => a.map((v, i) => v * b[i]!);
export const scale = (a: readonly number[], s: number): number[] => a.map((v) => v * s);
export const transpose = (M: readonly (readonly number[])[]): number[][] => M[0]!.map((_, j) => M.map((r) => r[j]!));
export const outer = (a: readonly number[], b: readonly number[]): number[][] => a.map((ai) => b.map((bj) => ai * bj));
export const addM = (A: readonly (readonly number[])[], B: readonly (readonly number[])[]): number[][] => A.map((r, i) => add(r, B[i]!));
export const scaleM = (A: readonly (readonly number[])[], s: number): number[][] => A.map((r) => scale(r, s));
export const zeros = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
export const flat = (M: readonly (readonly number[])[]): number[] => M.flatMap((r) => [...r]);
export const softmax = (z: readonly number[]): number[] => {
  const mx = Math.max(...z);
  const e = z.map((v) => Math.exp(v - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
export const oneHotRow = (k: number, K: number): number[] => Array.from({ length: K }, (_, j) => (j === k ? 1 : 0));

/** A layer's parameters as the library takes them: W (out×in, row-major) and b. */
export interface Layer { W: number[][]; b: number[] }

export const toWeights = (layers: readonly Layer[]) =>
  layers.map((l) => ({ W: Float32Array.from(flat(l.W)), b: Float32Array.from(l.b) }));

/** A Sequential with the given layer specs and hand-set parameters. */
export function handSet(backend: Backend, inputSize: number, specs: LayerSpec[], layers: readonly Layer[]): Sequential {
  const m = new Sequential({ inputSize, layers: specs, seed: 1, backend });
  m.setWeights(toWeights(layers));
  return m;
}

export { dense };

/**
 * Every entry within `rel` of the expected value, relative to max(|expected|, floor): the library
 * computes in float32, the notes' arithmetic here is float64.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5, floor = 1e-3): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), floor);
    if (!(err <= rel)) {
      expect.fail(`entry ${i}: got ${a}, expected ${e} (relative error ${err.toExponential(2)} > ${rel})`);
    }
  }
}

/** A deterministic standard normal stream (mulberry32 + Box–Muller), independent of the library's Rng. */
export function normalStream(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    let r = 0;
    while (r === 0) r = u();
    return Math.sqrt(-2 * Math.log(r)) * Math.cos(2 * Math.PI * u());
  };
}
