// Issue 13: automatic release as a safety net. `using` disposes every owner of arena memory at the
// end of its block (Symbol.dispose), and a model dropped without dispose() has its regions returned
// after garbage collection (FinalizationRegistry, measured in a fresh --expose-gc process over
// 10,000 dropped models: the arena ends where it started; main kept 46 MB in 164,400 regions).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defaultBackend } from '../../src/backend.js';
import { F32Buffer } from '../../src/memory/arena.js';
import { dense, LogisticRegression, MLPClassifier, MLPRegressor, OneVsOneClassifier, OneVsRestClassifier, Perceptron, Sequential, SoftmaxRegression } from '../../src/index.js';
import { quantize } from '../../src/interop/index.js';

const X = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3)]);
const y = X.map((_, i) => i % 3);

describe('Symbol.dispose and the finalizer', () => {
  it('`using` returns a Sequential, a quantized model, estimators and a buffer to the arena at the end of the block', () => {
    const { arena } = defaultBackend();
    const start = { live: arena.liveBytes, regions: arena.liveCount };
    let held = 0;
    let escaped: Sequential | undefined;
    {
      using model = new Sequential({ inputSize: 2, seed: 1, layers: [dense(6, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] }).compile();
      model.fitSync(X, y, { epochs: 2 });
      using q = quantize(model, { calibration: X });
      using mlp = new MLPClassifier({ hiddenLayers: [4], maxIter: 3, seed: 1 }).fit(X, y);
      using reg = new MLPRegressor({ hiddenLayers: [3], maxIter: 2, seed: 1 }).fit(X, X.map((r) => r[0]!));
      using ovr = new OneVsRestClassifier(() => new MLPClassifier({ hiddenLayers: [3], maxIter: 2, seed: 2 })).fit(X, y);
      using buf = F32Buffer.alloc(arena, 100);
      expect(q.predict(X).rows).toBe(30);
      expect(mlp.predict(X)).toHaveLength(30);
      expect(reg.predict(X)).toHaveLength(30);
      expect(ovr.predict(X)).toHaveLength(30);
      buf.set([1, 2]);
      held = arena.liveBytes - start.live;
      escaped = model;
    }
    expect(held).toBeGreaterThan(0);
    expect({ live: arena.liveBytes, regions: arena.liveCount }).toEqual(start);
    expect(() => escaped!.predict(X)).toThrow(/was disposed/);
    // Estimators without arena memory are disposable too, so `using` works on every model type.
    for (const m of [new LogisticRegression(), new SoftmaxRegression(), new Perceptron(), new OneVsOneClassifier(() => new Perceptron())]) {
      expect(typeof m[Symbol.dispose]).toBe('function');
      m[Symbol.dispose]();
    }
  });

  it('10,000 models dropped without dispose(): after garbage collection the arena is back where it started', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', './bench/ts-loader.mjs', 'test/helpers/finalize-probe.ts', '10000'], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { peak: number; before: { live: number; regions: number }; after: { live: number; regions: number }; top: number; base: number };
    // The models did hold memory while alive (about 4.6 KB each), so a missing finalizer would show.
    expect(r.peak).toBeGreaterThan(100_000);
    expect(r.after).toEqual(r.before);
    expect(r.top).toBe(r.base + r.before.live);
  });
});
