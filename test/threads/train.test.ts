// A whole training run on a threaded backend gives the single-threaded weights bit for bit: every
// split (GEMM rows, tn through f32_gemm_tn_ld, element-wise and optimizer ranges) keeps each
// element's order of summation. Thresholds are lowered so every kernel is split, on odd sizes.

import { afterAll, describe, expect, it } from 'vitest';
import { createBackendSync, type Backend } from '../../src/backend.js';
import { dense, dropout, Sequential, sgd, adam } from '../../src/index.js';
import type { ThreadedKernels } from '../../src/threads/kernels.js';
import { randomArray } from '../helpers/backends.js';
import { firstBitDifference, forcedBackend, singleBackend, THREAD_COUNTS } from './helpers.js';

const ROWS = 203, COLS = 37, CLASSES = 5;
const X = { data: randomArray(ROWS * COLS, 11), rows: ROWS, cols: COLS };
const y = Int32Array.from({ length: ROWS }, (_, i) => (i * 7 + (X.data[i * COLS]! > 0 ? 1 : 0)) % CLASSES);
const backends = new Map<number, Backend>(THREAD_COUNTS.map((t) => [t, forcedBackend(t)]));
afterAll(() => { for (const b of backends.values()) b.dispose(); });

function train(backend: Backend, optimizer: 'sgd' | 'adam'): { params: Float32Array; predictions: Float32Array; loss: number } {
  const model = new Sequential({
    inputSize: COLS, seed: 5, backend,
    layers: [dense(19, { activation: 'relu' }), dropout(0.1), dense(23, { activation: 'tanh' }), dense(CLASSES, { activation: 'softmax' })],
  });
  model.compile({ loss: 'categoricalCrossentropy', optimizer: optimizer === 'sgd' ? sgd({ learningRate: 0.1, momentum: 0.9 }) : adam({ learningRate: 1e-2 }), l2: 1e-3 });
  const h = model.fitSync(X, y, { epochs: 2, batchSize: 29, shuffle: true });
  const out = { params: model.getParams(), predictions: model.predict(X).data.slice(), loss: h.loss.at(-1)! };
  model.dispose();
  return out;
}

describe('threaded training', () => {
  for (const optimizer of ['sgd', 'adam'] as const) {
    const want = train(singleBackend(), optimizer);
    for (const threads of THREAD_COUNTS) {
      it(`${optimizer}, ${threads} thread(s): weights and predictions bit-identical to one thread`, () => {
        const got = train(backends.get(threads)!, optimizer);
        expect(firstBitDifference(got.params, want.params)).toBe(-1);
        expect(firstBitDifference(got.predictions, want.predictions)).toBe(-1);
        expect(got.loss).toBe(want.loss);
      });
    }
  }

  for (const threads of [2, 3]) {
    it(`sgd, ${threads} threads, GEMMs in pieces the threads claim one by one: bit-identical to one thread`, () => {
      const want = train(singleBackend(), 'sgd');
      const b = forcedBackend(threads);
      const t = (b.k as ThreadedKernels).tuning;
      t.gemmPieces = { f32_gemm_nt: 4, f32_gemm_tn: 4, f32_gemm_nn: 4 };
      t.gemmMinFlopsPerPiece = 1;
      const got = train(b, 'sgd');
      expect(firstBitDifference(got.params, want.params)).toBe(-1);
      expect(firstBitDifference(got.predictions, want.predictions)).toBe(-1);
      b.dispose();
    });
  }

  // denseBackward: a layer's dX on the caller and its dW on worker 1 at once, each whole (the pair threshold lowered to 1).
  for (const threads of [2, 3]) for (const optimizer of ['sgd', 'adam'] as const) {
    it(`${optimizer}, ${threads} threads, each dense layer's dX and dW at once: bit-identical to one thread`, () => {
      const want = train(singleBackend(), optimizer);
      const b = forcedBackend(threads);
      const k = b.k as ThreadedKernels;
      k.tuning.gemmPairMinFlops = 1;
      const pair = k.denseBackward;
      let pairs = 0;
      k.denseBackward = (...args) => { const ran = pair(...args); if (ran) pairs++; return ran; };
      const got = train(b, optimizer);
      expect(pairs).toBe(2 * 2 * Math.ceil(ROWS / 29)); // two layers with a dX, two epochs
      expect(firstBitDifference(got.params, want.params)).toBe(-1);
      expect(firstBitDifference(got.predictions, want.predictions)).toBe(-1);
      expect(got.loss).toBe(want.loss);
      b.dispose();
    });
  }

  it('default thresholds: a 784-256-10 model at batch 128 trains identically on 2 threads', () => {
    const n = 512;
    const Xb = { data: randomArray(n * 784, 3, 0, 1), rows: n, cols: 784 };
    const yb = Int32Array.from({ length: n }, (_, i) => i % 10);
    const run = (b: Backend) => {
      const m = new Sequential({ inputSize: 784, seed: 2, backend: b, layers: [dense(256, { activation: 'relu' }), dense(10, { activation: 'softmax' })] });
      m.compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.05 }) });
      m.fitSync(Xb, yb, { epochs: 1, batchSize: 128 });
      const p = m.getParams();
      m.dispose();
      return p;
    };
    const b = createBackendSync({ binary: 'simd', threads: 2 }); // default thresholds
    const k = b.k as ThreadedKernels;
    const pair = k.denseBackward;
    let pairs = 0;
    k.denseBackward = (...args) => { const ran = pair(...args); if (ran) pairs++; return ran; };
    expect(firstBitDifference(run(b), run(singleBackend()))).toBe(-1);
    expect(pairs).toBeGreaterThan(0); // the output layer's dX and dW (128×256×10 each) ran at once
    b.dispose();
  });
});
