// fit with the optimizer step fused into the dW GEMMs (SGD and momentum: f32_gemm_tn_step, the
// backward pass updates each dense W right after its dX used the old one) against the same fit with
// the fusion switched off (trainStep, addL2, opt.step(): the path every other optimizer takes). The
// promise is bit-identical weights, history and divergence behaviour, on every backend; the counter
// on f32_gemm_tn_step shows the fused path really ran.

import { describe, expect, it } from 'vitest';
import { batchNorm, createBackendSync, dense, DivergenceError, dropout, Sequential, sgd, adam, type Backend, type LayerSpec } from '../../src/index.js';
import type { CompileOptions } from '../../src/nn/sequential.js';
import { nesterov } from '../../src/train/optimizers.js';
import type { ThreadedKernels } from '../../src/threads/kernels.js';
import { testRng } from '../helpers/backends.js';

function backends(): [string, Backend][] {
  const list: [string, Backend][] = [['js', createBackendSync({ backend: 'js' })], ['simd', createBackendSync({ binary: 'simd' })]];
  const two = createBackendSync({ binary: 'simd', threads: 2 });
  if (two.threadCount === 2) {
    const t = two.k as ThreadedKernels;
    t.tuning.gemmMinFlopsPerThread = 1;
    t.tuning.eltwiseMinPerThread = 1;
    t.pool.adaptive = false;
    list.push(['simd, 2 threads, every split', two]);
  }
  return list;
}

/** Counts the backend's fused-step calls (the model reads b.k when it is built). */
function counted(b: Backend): { b: Backend; calls: { n: number } } {
  const calls = { n: 0 };
  const k = b.k as unknown as Record<string, (...a: number[]) => void>;
  const inner = k.f32_gemm_tn_step!;
  return { b: { ...b, k: { ...b.k, f32_gemm_tn_step: (...a: number[]) => { calls.n++; inner(...a); } } } as Backend, calls };
}

function data(rows: number, cols: number, classes: number, seed: number): { X: number[][]; y: number[] } {
  const r = testRng(seed);
  const X = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(2 * r() - 1)));
  const y = X.map((x) => (x[0]! + x[1]! > 0 ? 1 : 0) + (classes > 2 && x[2]! > 0.3 ? 1 : 0));
  return { X, y };
}

interface Config { name: string; layers: LayerSpec[]; compile: CompileOptions; classes: number; fuses: boolean }

const CONFIGS: Config[] = [
  { name: 'sgd, relu/softmax', layers: [dense(13, { activation: 'relu' }), dense(7, { activation: 'relu' }), dense(3, { activation: 'softmax' })],
    compile: { loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.2 }) }, classes: 3, fuses: true },
  { name: 'momentum + L2, batch norm, dropout, prelu, sigmoid output', classes: 2, fuses: true,
    layers: [dense(9, { activation: 'prelu' }), batchNorm(), dropout(0.2), dense(6, { activation: 'tanh' }), dense(1, { activation: 'sigmoid' })],
    compile: { loss: 'binaryCrossentropy', optimizer: sgd({ learningRate: 0.05, momentum: 0.9 }), l2: 0.01 } },
  { name: 'momentum, summed loss, L2 over the data set, identity output', classes: 2, fuses: true,
    layers: [dense(11, { activation: 'elu' }), dense(1)],
    compile: { loss: 'meanSquaredError', optimizer: sgd({ learningRate: 0.002, momentum: 0.5 }), l2: 0.1, l2Scale: 'dataset', reduction: 'sum' } },
  { name: 'sgd with clipNorm (not fused)', layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })],
    compile: { loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1, clipNorm: 0.5 }) }, classes: 3, fuses: false },
  { name: 'nesterov (not fused)', layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })],
    compile: { loss: 'categoricalCrossentropy', optimizer: nesterov({ learningRate: 0.1 }) }, classes: 3, fuses: false },
  { name: 'adam (not fused)', layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })],
    compile: { loss: 'categoricalCrossentropy', optimizer: adam({ learningRate: 0.01 }) }, classes: 3, fuses: false },
];

describe.each(backends())('fused optimizer step on %s', (_name, backend) => {
  for (const c of CONFIGS) {
    it(`${c.name}: the same weights and history as the unfused step`, () => {
      const { X, y } = data(203, 6, c.classes, 5);
      const target = c.compile.loss === 'meanSquaredError' ? y.map((v) => [v]) : y;
      const fused = counted(backend), plain = counted(backend);
      const make = (b: Backend) => new Sequential({ inputSize: 6, seed: 3, backend: b, layers: c.layers }).compile(c.compile);
      const a = make(fused.b), b = make(plain.b);
      a.session.optimizer.fuse = true;
      b.session.optimizer.fuse = false;
      expect(a.session.optimizer.fusedHyperPtr !== 0, 'the optimizer fuses').toBe(c.fuses);
      const ha = a.fitSync(X, target, { epochs: 3, batchSize: 16, classWeight: c.classes === 2 && c.compile.loss !== 'meanSquaredError' ? { 0: 1, 1: 2 } : undefined });
      const hb = b.fitSync(X, target, { epochs: 3, batchSize: 16, classWeight: c.classes === 2 && c.compile.loss !== 'meanSquaredError' ? { 0: 1, 1: 2 } : undefined });
      expect(fused.calls.n).toBe(c.fuses ? 3 * 13 * c.layers.filter((l) => l.type === 'dense').length : 0);
      expect(plain.calls.n).toBe(0);
      expect(Array.from(a.getParams())).toEqual(Array.from(b.getParams()));
      expect(ha.loss).toEqual(hb.loss);
      expect(a.predict(X.slice(0, 9))).toEqual(b.predict(X.slice(0, 9)));
      // the optimizer state (momentum velocities) too: a checkpoint resumes either way
      expect(a.session.optimizer.exportState()).toEqual(b.session.optimizer.exportState());
      a.dispose();
      b.dispose();
    });
  }

  it('divergence: the same error at the same batch, and the same weights kept', () => {
    const { X, y } = data(96, 6, 3, 9);
    X[40]![0] = 1e30; // a huge feature: logits overflow on its batch
    const run = (fuse: boolean) => {
      const m = new Sequential({ inputSize: 6, seed: 1, backend, layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })] })
        .compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1, momentum: 0.9 }), l2: 0.01 });
      m.session.optimizer.fuse = fuse;
      let message = '';
      try { m.fitSync(X, y, { epochs: 2, batchSize: 8, shuffle: false }); } catch (e) { expect(e).toBeInstanceOf(DivergenceError); message = (e as Error).message; }
      const params = Array.from(m.getParams());
      m.dispose();
      return { message, params };
    };
    const fused = run(true), plain = run(false);
    expect(fused.message).toMatch(/diverged: the loss became .* in epoch 1, batch 7\./); // batch 6 holds the huge row: its step makes the weights huge
    expect(fused.message).toBe(plain.message);
    expect(fused.params.every(Number.isFinite)).toBe(true);
    expect(fused.params).toEqual(plain.params);
  });
});
