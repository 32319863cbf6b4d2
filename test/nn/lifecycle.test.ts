// Issue 13, defect 2: lifecycle misuse while a fit runs (dispose(), compile(), a second fit, from
// onBatchEnd or while `await fit` is pending) and use after dispose() raise a LifecycleError; the
// run goes on untouched (its weights equal those of the same-seed run left alone) and a model made
// after the misuse keeps its parameters.
import { describe, expect, it } from 'vitest';
import { defaultBackend } from '../../src/backend.js';
import { LifecycleError, SimdnetError } from '../../src/errors.js';
import { dense, Sequential } from '../../src/index.js';
import { quantize } from '../../src/interop/index.js';

const X = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5, ((i * 7) % 11) / 11]);
const y = X.map((r) => (r[0]! + r[1]! > 0 ? 1 : 0) + (r[2]! > 0.5 ? 1 : 0));
const make = (seed = 11) => new Sequential({ inputSize: 4, seed, layers: [dense(16, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] }).compile({ optimizer: 'adam' });
const FIT = { epochs: 3, batchSize: 8 } as const;

/** The weights a same-seed model reaches when nothing interferes. */
function untouchedRun() {
  const m = make();
  m.fitSync(X, y, FIT);
  const w = m.getWeights();
  m.dispose();
  return w;
}

describe('defect 2: lifecycle misuse during training', () => {
  const expected = untouchedRun();

  for (const misuse of ['dispose', 'compile', 'fitSync', 'fit'] as const) {
    it(`${misuse}() inside onBatchEnd is refused with a LifecycleError; training and a model made meanwhile are untouched`, async () => {
      const start = defaultBackend().arena.liveBytes;
      const a = make();
      let caught: unknown;
      let other: Sequential | undefined;
      let otherWeights: ReturnType<Sequential['getWeights']> | undefined;
      const history = await a.fit(X, y, {
        ...FIT,
        callbacks: {
          onBatchEnd: (batch) => {
            if (batch !== 2 || caught) return;
            try {
              if (misuse === 'dispose') a.dispose();
              else if (misuse === 'compile') a.compile({ optimizer: 'sgd' });
              else if (misuse === 'fitSync') a.fitSync(X, y, { epochs: 1 });
              else void a.fit(X, y, { epochs: 1 }).catch((e) => { caught = e; });
            } catch (e) {
              caught = e;
            }
            other = new Sequential({ inputSize: 4, seed: 5, layers: [dense(40, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
            otherWeights = other.getWeights();
          },
        },
      });
      await new Promise((r) => setTimeout(r, 0));
      expect(caught).toBeInstanceOf(LifecycleError);
      expect(caught).toBeInstanceOf(SimdnetError);
      expect((caught as Error).message).toMatch(/not allowed while fit\(\) is running on this model/);
      expect(history.loss).toHaveLength(3);
      expect(a.getWeights()).toEqual(expected);
      expect(other!.getWeights()).toEqual(otherWeights);
      a.dispose();
      other!.dispose();
      expect(defaultBackend().arena.liveBytes).toBe(start);
    });
  }

  it('dispose(), compile() and a second fit while `await fit` is pending are refused; afterwards both work', async () => {
    const a = make();
    const pending = a.fit(X, y, FIT);
    expect(() => a.dispose()).toThrow(LifecycleError);
    expect(() => a.compile()).toThrow(/compile\(\): not allowed while fit\(\) is running/);
    await expect(a.fit(X, y, FIT)).rejects.toThrow(LifecycleError);
    const source = [{ X, y }];
    await expect(a.fit(source, { epochs: 1 })).rejects.toThrow(LifecycleError);
    expect(() => a.fitSync(X, y)).toThrow(LifecycleError);
    const other = make(99);
    const otherWeights = other.getWeights();
    await pending;
    expect(a.getWeights()).toEqual(expected);
    expect(other.getWeights()).toEqual(otherWeights);
    // After the run: a second fit and compile are allowed again.
    a.compile({ optimizer: 'adam' });
    await a.fit(X, y, { epochs: 1 });
    a.dispose();
    other.dispose();
  });

  it('a fit on a data source holds the model too, and a failed fit releases it', async () => {
    const a = make();
    const pending = a.fit({ [Symbol.iterator]: () => [{ X, y }][Symbol.iterator]() }, { epochs: 2 });
    expect(() => a.dispose()).toThrow(LifecycleError);
    await pending;
    await expect(a.fit(X, y.map(() => 7), FIT)).rejects.toThrow(/class/);
    a.fitSync(X, y, { epochs: 1 });
    a.dispose();
  });

  it('a disposed model gives a LifecycleError for every use, never a memory access; dispose() twice is fine', async () => {
    const a = make();
    a.fitSync(X, y, { epochs: 1 });
    const w = a.getWeights();
    a.dispose();
    expect(() => a.dispose()).not.toThrow();
    const uses: [string, () => unknown][] = [
      ['predict', () => a.predict(X)], ['predictClasses', () => a.predictClasses(X)], ['fitSync', () => a.fitSync(X, y)],
      ['getWeights', () => a.getWeights()], ['setWeights', () => a.setWeights(w)], ['getParams', () => a.getParams()],
      ['evaluate', () => a.evaluate(X, y)], ['compile', () => a.compile()], ['toJSON', () => a.toJSON()],
      ['lossAndGradients', () => a.lossAndGradients(X, y)], ['initialize', () => a.initialize()], ['trace', () => a.trace(X)],
    ];
    for (const [name, use] of uses) expect(use, name).toThrow(/model: was disposed/);
    for (const [, use] of uses) expect(use).toThrow(LifecycleError);
    await expect(a.fit(X, y)).rejects.toThrow(LifecycleError);
    const b = make();
    const q = quantize(b, { calibration: X });
    q.dispose();
    expect(() => q.predict(X)).toThrow(LifecycleError);
    b.dispose();
  });
});
