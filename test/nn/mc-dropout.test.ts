// Monte-Carlo dropout (note 001, "Dropout at test time": many forward passes with different masks,
// averaged): predict(X, { samples, seed }) against
// - a float64 forward written here from getWeights(), fed the masks the documented stream draws
//   (Rng(seed), per pass and per chunk of batchSize rows, the dropout layers in order, one uniform per
//   unit: kept iff u ≥ rate, survivors scaled by 1/(1 − rate)), with batch norm on its running statistics;
// - the analytic expectation of a one-layer case: E[mask·x/keep] = x, sd(mask·x/keep) = |x|·√(p/(1−p)),
//   with bounds of 6 standard errors for n samples;
// and: same seed, same bits; the model's stream put back (training afterwards is unchanged); the arena
// flat across calls and after dispose; `training: true` and other unknown options refused by name.
import { describe, expect, it } from 'vitest';
import { batchNorm, dense, dropout, Rng, Sequential, sgd, ValidationError, type LayerWeights, type Matrix } from '../../src/index.js';
import { kernelBackends, randomArray } from '../helpers/backends.js';

const f = Math.fround;

/** Float64 forward of the 3-8-[dropout .3]-[batchNorm]-6-[dropout .5]-3 softmax net, masks drawn from `rng`. */
function referencePass(w: LayerWeights[], X: Matrix, rows: [number, number], rng: Rng, rates: number[]): number[][] {
  const [W1, bn, W2, W3] = w as Record<string, ArrayLike<number>>[];
  const out: number[][] = [];
  const dense64 = (x: number[], W: ArrayLike<number>, b: ArrayLike<number>) => Array.from(b, (bj, j) => x.reduce((s, v, i) => s + v * W[j * x.length + i]!, bj));
  const masks = (rate: number, n: number) => {
    const p = f(rate), keep = f(1 / f(1 - p));
    return Array.from({ length: n }, () => (rng.uniform() >= p ? keep : 0));
  };
  const [from, to] = rows;
  const h1 = [], h2 = [];
  for (let r = from; r < to; r++) h1.push(dense64(Array.from(X.data.subarray(r * X.cols, (r + 1) * X.cols)), W1!.W!, W1!.b!).map(Math.tanh));
  const m1 = masks(rates[0]!, h1.length * 8);
  for (let r = 0; r < h1.length; r++) {
    const d = h1[r]!.map((v, j) => v * m1[r * 8 + j]!);
    const n = d.map((v, j) => bn!.gamma![j]! * (v - bn!.runningMean![j]!) / Math.sqrt(bn!.runningVar![j]! + f(1e-5)) + bn!.beta![j]!);
    h2.push(dense64(n, W2!.W!, W2!.b!).map((v) => Math.max(0, v)));
  }
  const m2 = masks(rates[1]!, h2.length * 6);
  for (let r = 0; r < h2.length; r++) {
    const z = dense64(h2[r]!.map((v, j) => v * m2[r * 6 + j]!), W3!.W!, W3!.b!);
    const mx = Math.max(...z), e = z.map((v) => Math.exp(v - mx)), s = e.reduce((a, b) => a + b, 0);
    out.push(e.map((v) => v / s));
  }
  return out;
}

for (const backend of kernelBackends()) {
  describe(`Monte-Carlo dropout (${backend.binary})`, () => {
    const rates = [0.3, 0.5];
    const make = () => new Sequential({
      inputSize: 3, seed: 11, backend,
      layers: [dense(8, { activation: 'tanh' }), dropout(rates[0]!), batchNorm(), dense(6, { activation: 'relu' }), dropout(rates[1]!), dense(3, { activation: 'softmax' })],
    }).compile({ optimizer: sgd({ learningRate: 0.1 }) });
    const X: Matrix = { data: randomArray(10 * 3, 4), rows: 10, cols: 3 };
    const y = Array.from({ length: 10 }, (_, i) => i % 3);

    it('mean and std equal a float64 forward fed the same masks (one chunk and chunks of 4 rows)', () => {
      const model = make();
      model.fitSync(X, y, { epochs: 3, batchSize: 5 }); // running statistics away from 0 and 1
      const w = model.getWeights();
      const n = 7;
      for (const batchSize of [undefined, 4]) {
        const got = model.predict(X, { samples: n, seed: 42, batchSize });
        expect(got.samples).toBe(n);
        const rng = new Rng(42);
        const passes: number[][][] = [];
        for (let s = 0; s < n; s++) {
          const rowsOut: number[][] = [];
          const chunk = batchSize ?? X.rows;
          for (let r = 0; r < X.rows; r += chunk) rowsOut.push(...referencePass(w, X, [r, Math.min(X.rows, r + chunk)], rng, rates));
          passes.push(rowsOut);
        }
        for (let r = 0; r < X.rows; r++) for (let k = 0; k < 3; k++) {
          const v = passes.map((p) => p[r]![k]!);
          const mu = v.reduce((a, b) => a + b, 0) / n;
          const sd = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / n);
          expect(Math.abs(got.mean.data[r * 3 + k]! - mu), `mean[${r}, ${k}] batchSize ${batchSize}`).toBeLessThan(2e-6);
          expect(Math.abs(got.std.data[r * 3 + k]! - sd), `std[${r}, ${k}] batchSize ${batchSize}`).toBeLessThan(2e-6);
        }
        expect(Math.max(...got.std.data)).toBeGreaterThan(1e-3); // the masks do vary
      }
      // predictProba is the same call for a softmax output
      expect(model.predictProba(X, { samples: n, seed: 42 }).mean.data).toEqual(model.predict(X, { samples: n, seed: 42 }).mean.data);
      model.dispose();
    });

    it('one dropout layer before an identity layer: mean → x and std → |x|·√(p/(1−p)) within 6 standard errors of n samples', () => {
      const p = 0.4, n = 4000, d = 5;
      const model = new Sequential({ inputSize: d, seed: 3, backend, layers: [dropout(p), dense(d)] });
      const W = new Float32Array(d * d);
      for (let i = 0; i < d; i++) W[i * d + i] = 1;
      model.setWeights([{ W, b: new Float32Array(d) }]);
      const x = [1, -2, 0.5, 3, -0.25];
      const got = model.predict([x], { samples: n, seed: 9 });
      const q = 1 - p;
      const kurtosis = (1 - 6 * q * (1 - q)) / (q * (1 - q)) + 3; // of a Bernoulli(q), = of mask·x/keep
      x.forEach((xi, i) => {
        const sigma = Math.abs(xi) * Math.sqrt(p / q);
        expect(Math.abs(got.mean.data[i]! - xi), `mean[${i}]`).toBeLessThan((6 * sigma) / Math.sqrt(n));
        expect(Math.abs(got.std.data[i]! - sigma), `std[${i}]`).toBeLessThan(6 * (sigma / 2) * Math.sqrt((kurtosis - 1) / n) + 1e-6);
      });
      model.dispose();
    });

    it('seeded: same seed same bits, another seed other masks; the model stream is put back (training afterwards unchanged)', () => {
      const a = make(), b = make();
      const first = a.predict(X, { samples: 5, seed: 1 });
      expect(a.predict(X, { samples: 5, seed: 1 }).mean.data).toEqual(first.mean.data);
      expect(a.predict(X, { samples: 5, seed: 1 }).std.data).toEqual(first.std.data);
      expect(a.predict(X, { samples: 5, seed: 2 }).mean.data).not.toEqual(first.mean.data);
      expect(a.predict(X, { samples: 5 }).mean.data).toEqual(a.predict(X, { samples: 5, seed: a.seed }).mean.data);
      a.fitSync(X, y, { epochs: 2, batchSize: 4, shuffle: false });
      b.fitSync(X, y, { epochs: 2, batchSize: 4, shuffle: false });
      expect(a.getParams()).toEqual(b.getParams());
      // the plain predict is untouched by the sampled one
      expect(a.predict(X).data).toEqual(b.predict(X).data);
      a.dispose(); b.dispose();
    });

    it('arena flat across calls with the same n and after dispose', () => {
      const start = backend.arena.liveBytes;
      const model = make();
      model.predict(X, { samples: 20, seed: 3 });
      const live = backend.arena.liveBytes, bytes = backend.memory.buffer.byteLength;
      for (let i = 0; i < 30; i++) model.predict(X, { samples: 20, seed: i });
      expect(backend.arena.liveBytes).toBe(live);
      expect(backend.memory.buffer.byteLength).toBe(bytes);
      model.dispose();
      expect(backend.arena.liveBytes).toBe(start);
    });

    it('refuses training: true, unknown options, bad samples, a model without dropout, predictProba of a regression output', () => {
      const model = make();
      const err = (fn: () => unknown, arg: string) => {
        expect(fn).toThrow(ValidationError);
        try { fn(); } catch (e) { expect((e as ValidationError).argument).toBe(arg); }
      };
      err(() => model.predict(X, { training: true } as never), 'training');
      expect(() => model.predict(X, { training: true } as never)).toThrow(/samples: n/);
      err(() => model.predict(X, { sample: 3 } as never), 'sample');
      for (const s of [0, 1.5, -1, NaN, '3']) err(() => model.predict(X, { samples: s as number }), 'samples');
      err(() => model.predict(X, { samples: 2, seed: 0.5 }), 'seed');
      err(() => model.predict(X, { samples: 2, batchSize: 0 }), 'batchSize');
      const plain = new Sequential({ inputSize: 3, seed: 1, backend, layers: [dense(4, { activation: 'relu' }), dropout(0), dense(2, { activation: 'sigmoid' })] });
      err(() => plain.predict(X, { samples: 3 }), 'samples');
      const reg = new Sequential({ inputSize: 3, seed: 1, backend, layers: [dropout(0.2), dense(2)] });
      err(() => reg.predictProba(X, { samples: 3 }), 'model');
      expect(reg.predict(X, { samples: 3 }).mean.rows).toBe(10);
      for (const m of [model, plain, reg]) m.dispose();
    });
  });
}
