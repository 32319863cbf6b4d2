// The scale sweep's arithmetic (bench/sweep.ts): the FLOP formula against a hand derivation and
// against the GEMMs a real fit issues, the shapes, the epoch sizing and the option parsing.
// No timing is asserted.

import { describe, expect, it } from 'vitest';
import { createBackendSync, dense, Sequential, sgd, ValidationError } from '../../src/index.js';
import type { Backend } from '../../src/backend.js';
import {
  gemmSweepShapes, inferFlopsPerSample, parseShapes, parseSweepArgs, samplesPerEpoch, sweepPoint, trainFlopsPerSample, trainingGemms, type Shape,
} from '../../bench/sweep.js';

describe('FLOPs per sample', () => {
  it('3-4-2 by hand: forward 2·(12+8), dW 2·(12+8), dX of layer 2 only 2·8 = 96', () => {
    // layer 1: 3 inputs × 4 units = 12 multiply-adds; layer 2: 4 × 2 = 8.
    expect(trainFlopsPerSample([3, 4, 2])).toBe(40 + 40 + 16);
    expect(inferFlopsPerSample([3, 4, 2])).toBe(40);
  });

  it('784-256-128-10: 1,007,104 (issue 18: "about 1.007 MFLOP")', () => {
    // 784·256 = 200,704; 256·128 = 32,768; 128·10 = 1,280 → Σ = 234,752.
    // forward 469,504 + dW 469,504 + dX (layers 2, 3) 2·34,048 = 68,096.
    expect(trainFlopsPerSample([784, 256, 128, 10])).toBe(469_504 + 469_504 + 68_096);
  });

  it('one layer has no dX: 4·n0·n1', () => {
    expect(trainFlopsPerSample([5, 7])).toBe(4 * 35);
  });

  it('the sweep networks', () => {
    expect(sweepPoint('width', 4096).sizes).toEqual([784, 4096, 4096, 10]);
    expect(sweepPoint('width', 4096).batch).toBe(128);
    expect(sweepPoint('depth', 4).sizes).toEqual([784, 256, 256, 256, 256, 10]);
    expect(sweepPoint('batch', 8)).toEqual({ axis: 'batch', value: 8, sizes: [784, 256, 128, 10], batch: 8 });
    // depth 4: 784·256 + 3·256² + 256·10 = 200,704 + 196,608 + 2,560 = 399,872 MACs; 6·Σ − 2·200,704.
    expect(trainFlopsPerSample(sweepPoint('depth', 4).sizes)).toBe(6 * 399_872 - 2 * 200_704);
  });
});

/** The GEMMs a fit calls, recorded through a wrapped kernel table: [layout, m, n, k]. */
function recordGemms(b: Backend, calls: [string, number, number, number][]): Backend {
  const k = b.k as unknown as Record<string, (...a: number[]) => unknown>;
  const wrapped: Record<string, unknown> = { ...k };
  const at: Record<string, [string, number]> = { f32_gemm_nt: ['nt', 4], f32_gemm_nt_panels: ['nt', 4], f32_gemm_tn: ['tn', 3], f32_gemm_tn_step: ['tn', 6], f32_gemm_nn: ['nn', 3] };
  for (const [name, [layout, i]] of Object.entries(at)) {
    const f = k[name]!;
    wrapped[name] = (...a: number[]) => { calls.push([layout, a[i]!, a[i + 1]!, a[i + 2]!]); return f(...a); };
  }
  return { ...b, k: wrapped as unknown as Backend['k'] };
}

describe('trainingGemms', () => {
  it('are the GEMMs one SGD step of a real fit runs (6-5-4-3 at batch 8), and their 2·m·n·k is batch × trainFlopsPerSample', () => {
    const calls: [string, number, number, number][] = [];
    const backend = recordGemms(createBackendSync({ binary: 'simd' }), calls);
    const sizes = [6, 5, 4, 3];
    const model = new Sequential({ inputSize: 6, seed: 1, backend, layers: [dense(5, { activation: 'relu' }), dense(4, { activation: 'relu' }), dense(3, { activation: 'softmax' })] })
      .compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.01 }) });
    const X = { data: Float32Array.from({ length: 8 * 6 }, (_, i) => (i % 7) / 7), rows: 8, cols: 6 };
    const y = Int32Array.from({ length: 8 }, (_, i) => i % 3);
    model.fitSync(X, y, { epochs: 1, batchSize: 8, shuffle: false });
    model.dispose();
    const key = (l: string, s: readonly number[]) => `${l} ${s.join('x')}`;
    const expected = trainingGemms(sizes, 8).map((g) => key(g.layout, g.shape)).sort();
    expect(calls.map(([l, ...s]) => key(l, s)).sort()).toEqual(expected);
    // by hand: nt 8×5×6, 8×4×5, 8×3×4; tn 5×6×8, 4×5×8, 3×4×8; nn 8×5×4, 8×4×3.
    expect(expected).toEqual(['nn 8x4x3', 'nn 8x5x4', 'nt 8x3x4', 'nt 8x4x5', 'nt 8x5x6', 'tn 3x4x8', 'tn 4x5x8', 'tn 5x6x8']);
    const flops = calls.reduce((s, [, m, n, k]) => s + 2 * m * n * k, 0);
    expect(flops).toBe(8 * trainFlopsPerSample(sizes));
  });
});

describe('gemmSweepShapes', () => {
  it('dedupes the shapes of every point, labels where they come from, and sorts by volume', () => {
    const s = gemmSweepShapes(['width', 'depth'], [64]);
    const find = (l: 'nt' | 'tn' | 'nn', shape: Shape) => s[l].find((g) => g.shape.join() === shape.join());
    expect(find('nt', [128, 4096, 4096])?.from).toEqual(['width 4096 L2']);
    expect(find('nn', [128, 4096, 10])?.from).toEqual(['width 4096 L3']);
    // 256 → 256 at batch 128: width 256 L2 and every middle layer of every depth (1 + 1 + 3 + 7 + 15).
    expect(find('tn', [256, 256, 128])?.from.length).toBe(1 + 1 + 3 + 7 + 15);
    expect(find('nt', [64, 64, 64])?.from).toEqual(['square']);
    for (const l of ['nt', 'tn', 'nn'] as const) {
      const vols = s[l].map((g) => g.shape[0] * g.shape[1] * g.shape[2]);
      expect(vols).toEqual([...vols].sort((a, b) => a - b));
      expect(new Set(s[l].map((g) => g.shape.join())).size).toBe(s[l].length);
    }
  });
});

describe('parseShapes', () => {
  it('layout:MxNxK items, per layout, and a clear error for anything else', () => {
    expect(parseShapes(['nt:128x16x784', 'tn:10x1000x128', 'nt:1x2x3'])).toEqual({
      nt: [{ shape: [128, 16, 784], from: ['given'] }, { shape: [1, 2, 3], from: ['given'] }], tn: [{ shape: [10, 1000, 128], from: ['given'] }], nn: [],
    });
    for (const bad of ['128x16x784', 'nx:1x2x3', 'nt:0x2x3', 'nt:1x2']) {
      expect(() => parseShapes([bad])).toThrow(ValidationError);
      expect(() => parseShapes([bad])).toThrow(`--shape: expected layout:MxNxK (nt, tn or nn; 1 to 16384 each), comma-separated, got '${bad}'`);
    }
  });
});

describe('samplesPerEpoch', () => {
  it('whole batches for the target time, at least two, at most the data', () => {
    expect(samplesPerEpoch(30_000, 0.35, 128, 60_000)).toBe(82 * 128); // 10,500 / 128 = 82.03 → 82 batches
    expect(samplesPerEpoch(300, 0.35, 128, 60_000)).toBe(256); // 105 samples: two batches minimum
    expect(samplesPerEpoch(1e7, 1, 4096, 60_000)).toBe(14 * 4096); // capped at 14 whole batches of 60,000
    expect(samplesPerEpoch(100, 0.1, 4096, 60_000, 1)).toBe(4096);
  });
});

describe('parseSweepArgs', () => {
  it('defaults: every axis, both binaries, 1 and 2 threads', () => {
    expect(parseSweepArgs(['--only', 'sweep'])).toEqual({ axes: ['batch', 'width', 'depth'], binaries: ['relaxed', 'simd'], threads: [1, 2], quick: false, json: false, profile: false, fused: false });
    expect(parseSweepArgs(['--sweep', '--quick']).axes).toEqual(['batch', 'width', 'depth']);
  });

  it('subsets', () => {
    const o = parseSweepArgs(['--sweep', 'width', '--points', '2048,4096', '--binary', 'simd', '--threads', '2,1', '--json']);
    expect(parseSweepArgs(['--sweep', 'batch', '--profile']).profile).toBe(true);
    expect(parseSweepArgs(['--sweep', 'batch', '--fused']).fused).toBe(true);
    expect(o).toEqual({ axes: ['width'], points: [2048, 4096], binaries: ['simd'], threads: [1, 2], quick: false, json: true, profile: false, fused: false });
    expect(parseSweepArgs(['--sweep', 'depth,batch']).axes).toEqual(['depth', 'batch']);
  });

  it('bad values name the option, the expectation and what came', () => {
    const bad = (args: string[], argument: string, text: RegExp) => {
      let err: unknown;
      try { parseSweepArgs(args); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).argument).toBe(argument);
      expect((err as Error).message).toMatch(text);
    };
    bad(['--sweep', 'height'], '--sweep', /batch, width or depth.*'height'/);
    bad(['--sweep', 'width', '--points', '0'], '--points', /from 1 to 65536, got '0'/);
    bad(['--sweep', 'width', '--points', '1.5'], '--points', /got '1.5'/);
    bad(['--sweep', 'width', '--points'], '--points', /got nothing/);
    bad(['--points', '8'], '--points', /exactly one axis.*got 3/);
    bad(['--sweep', '--threads', '4'], '--threads', /from 1 to 2, got '4'/);
    bad(['--sweep', '--binary', 'js'], '--binary', /relaxed or simd.*'js'/);
  });
});
