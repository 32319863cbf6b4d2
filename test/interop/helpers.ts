// Shared pieces of the interop tests: the comparison every engine check uses, fixture loading,
// and the worst errors seen (printed at the end of a file, for the docs and the closing note).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from '../cli/run.js';

export const FIXTURES = join(ROOT, 'test/interop/fixtures');

/** Equal within 1e-5 relative, with an absolute floor of 1e-6 of the output's scale for values
 *  near zero: |a − b| ≤ 1e-5·|b| + 1e-6·max(1, max |b|). */
export const RTOL = 1e-5;
export const ATOL = 1e-6;

export interface Errors { maxAbs: number; maxRel: number; n: number }

/** Worst errors per label over a test file. */
export const worst = new Map<string, Errors>();

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, rtol = RTOL, atol = ATOL): Errors {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let maxAbs = 0;
  let maxRel = 0;
  let bad = -1;
  let scale = 1;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]!));
  const floor = atol * scale;
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k]!;
    const e = expected[k]!;
    const d = Math.abs(a - e);
    if (!(d <= rtol * Math.abs(e) + floor) && bad < 0) bad = k;
    maxAbs = Math.max(maxAbs, d);
    if (Math.abs(e) >= 1e-3) maxRel = Math.max(maxRel, d / Math.abs(e));
  }
  if (bad >= 0) expect.fail(`${label}: element ${bad} is ${actual[bad]}, expected ${expected[bad]} (|a − b| ≤ ${rtol}·|b| + ${floor}); max abs ${maxAbs.toExponential(2)}`);
  const prev = worst.get(label.split(':')[0]!) ?? { maxAbs: 0, maxRel: 0, n: 0 };
  worst.set(label.split(':')[0]!, { maxAbs: Math.max(prev.maxAbs, maxAbs), maxRel: Math.max(prev.maxRel, maxRel), n: prev.n + expected.length });
  return { maxAbs, maxRel, n: expected.length };
}

export function printWorst(title: string): void {
  const rows = [...worst.entries()].map(([k, e]) => `  ${k.padEnd(34)} max |Δ| ${e.maxAbs.toExponential(2)}  max rel (|b| ≥ 1e-3) ${e.maxRel.toExponential(2)}  (${e.n} values)`);
  console.log(`${title}\n${rows.join('\n')}`);
}

export interface OnnxFixture { bytes: Uint8Array; rows: number; cols: number; inputShape: number[]; X: Float32Array; outputs: Record<string, (number | string)[]>; framework: string; note: string }

export function onnxFixture(name: string): OnnxFixture {
  const j = JSON.parse(readFileSync(join(FIXTURES, 'onnx', `${name}.json`), 'utf8'));
  return { ...j, X: Float32Array.from(j.X), bytes: new Uint8Array(readFileSync(join(FIXTURES, 'onnx', `${name}.onnx`))) };
}

export interface TfjsFixture { dir: string; modelJson: unknown; weights: Uint8Array; rows: number; cols: number; X: Float32Array; output: number[]; outputCols: number; framework: string }

export function tfjsFixture(name: string): TfjsFixture {
  const dir = join(FIXTURES, 'tfjs', name);
  const e = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
  return { ...e, dir, X: Float32Array.from(e.X), modelJson: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), weights: new Uint8Array(readFileSync(join(dir, 'weights.bin'))) };
}

/** Seeded uniform numbers in [lo, hi). */
export function uniform(n: number, seed: number, lo = -4, hi = 4): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[k] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}
