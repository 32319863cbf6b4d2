// The JS heap during training. (1) A step allocates nothing: measured in a fresh process per
// backend (test/helpers/heap-probe.ts) so this worker's other tests don't make the kernel call
// sites polymorphic. (2) The live heap is flat across epochs (no leak), in this process.
import { execFileSync } from 'node:child_process';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { adam, batchNorm, createBackendSync, dense, dropout, Sequential } from '../../src/index.js';

function probe(backend: 'js' | 'simd', compile?: object): { bytesPerStep: number } {
  const args = ['--import', './bench/ts-loader.mjs', 'test/helpers/heap-probe.ts', backend, ...(compile ? [JSON.stringify(compile)] : [])];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('JS heap during training', () => {
  it('a training step allocates nothing on the JS heap (WASM backend, fresh process)', () => {
    const { bytesPerStep } = probe('simd');
    expect(Number.isNaN(bytesPerStep)).toBe(false);
    expect(bytesPerStep).toBeLessThan(2); // one boxed number per step would read 16
  });

  it("nor with reduction 'sum' and l2Scale 'dataset' (the L2 coefficient λ·m/n is a local double)", () => {
    const { bytesPerStep } = probe('simd', { reduction: 'sum', l2Scale: 'dataset' });
    expect(Number.isNaN(bytesPerStep)).toBe(false);
    expect(bytesPerStep).toBeLessThan(2);
  });

  it('the live heap is flat across epochs (nothing retained per epoch beyond the history)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const backend = createBackendSync({ binary: 'simd' });
    const model = new Sequential({ inputSize: 8, seed: 1, backend, layers: [dense(16, { activation: 'relu' }), dropout(0.2), batchNorm(), dense(3, { activation: 'softmax' })] })
      .compile({ optimizer: adam(), l2: 1e-4 });
    const n = 16 * 200;
    const X = { data: Float32Array.from({ length: n * 8 }, (_, i) => Math.sin(i)), rows: n, cols: 8 };
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const live: number[] = [];
    model.fitSync(X, y, { epochs: 100, batchSize: 16, callbacks: { onEpochEnd: () => { gc(); live.push(process.memoryUsage().heapUsed); } } });
    // The first ~40 epochs include optimized code and feedback being built; after that the live heap
    // is flat. 50 epochs × 200 steps: 2 bytes retained per step would be 20 KB.
    const growth = live[99]! - live[49]!;
    expect(growth).toBeLessThan(20 * 1024);
    model.dispose();
  });
});
