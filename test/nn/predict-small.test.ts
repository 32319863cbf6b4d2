// Few-row inference reads W from column panels packed once per weight change (f32_gemm_nt_panels).
// What must hold: a row's prediction is the same bits whatever path computed it (one row, a few,
// a batch of 64 through the packed GEMM), and no change of the weights leaves stale panels behind:
// after training, setWeights, setParams, initialize or fromJSON, predict(one row) equals the batched
// prediction of a model freshly built with the same weights. Memory: the panels are the model's and
// dispose() returns them. Bad values in a Float32Array input (checked in the arena) are named.
import { describe, expect, it } from 'vitest';
import { dense, Sequential, sgd, ValidationError, type Matrix } from '../../src/index.js';
import { kernelBackends, randomArray } from '../helpers/backends.js';

const D = 37;
const rows = (X: Matrix, from: number, n: number): Matrix => ({ data: X.data.subarray(from * D, (from + n) * D), rows: n, cols: D });

for (const backend of kernelBackends()) {
  describe(`few-row predict (${backend.binary})`, () => {
    const make = (seed = 5) => new Sequential({
      inputSize: D, seed, backend,
      layers: [dense(29, { activation: 'relu' }), dense(17, { activation: 'tanh' }), dense(5, { activation: 'softmax' })],
    }).compile({ optimizer: sgd({ learningRate: 0.3 }) });
    const X: Matrix = { data: randomArray(64 * D, 11), rows: 64, cols: D };
    const y = Array.from({ length: 64 }, (_, i) => i % 5);

    /** Each row alone, and in fours, against a fresh model with the same weights at batch 64. */
    function expectConsistent(m: Sequential): void {
      const fresh = new Sequential({ inputSize: D, seed: 1, backend, layers: [...m.layers] });
      fresh.setWeights(m.getWeights());
      const full = fresh.predict(X).data;
      fresh.dispose();
      for (let r = 0; r < 64; r++) expect(m.predict(rows(X, r, 1)).data).toEqual(full.subarray(r * 5, r * 5 + 5));
      for (let r = 0; r < 64; r += 4) expect(m.predict(rows(X, r, 4)).data).toEqual(full.subarray(r * 5, r * 5 + 20));
      expect(m.predict(X).data).toEqual(full);
    }

    it('one row, four rows and 64 rows give the same bits; panels rebuilt after every change of the weights', () => {
      const m = make();
      expectConsistent(m);
      m.fitSync(X, y, { epochs: 2, batchSize: 8 });
      expectConsistent(m);
      m.fitSync(X, y, { epochs: 1, batchSize: 3 }); // small training batches pack the panels every step; then predict
      expectConsistent(m);
      const other = make(99);
      m.setWeights(other.getWeights());
      expectConsistent(m);
      m.setParams(make(123).getParams());
      expectConsistent(m);
      m.initialize(77);
      expectConsistent(m);
      const back = Sequential.fromJSON(m.toJSON(), { backend });
      expectConsistent(back);
      expect(back.predict(rows(X, 3, 1)).data).toEqual(m.predict(rows(X, 3, 1)).data);
      other.dispose();
      back.dispose();
      m.dispose();
    });

    it('a predict after a weight change differs from the one before (the panels are not stale)', () => {
      const m = make();
      const before = m.predict(rows(X, 0, 1)).data;
      const W = m.getWeights();
      W[0]!.W[0] += 0.5; // one weight of the first unit
      W[0]!.b[0] = 3; // and its bias, so the ReLU unit is active
      m.setWeights(W);
      expect(m.predict(rows(X, 0, 1)).data).not.toEqual(before);
      m.dispose();
    });

    it('the panels are freed by dispose(): the arena returns to where it started', () => {
      const arena = backend.arena;
      const live0 = arena.liveBytes, count0 = arena.liveCount;
      const m = make();
      m.predict(rows(X, 0, 1));
      m.predict(rows(X, 0, 2));
      m.dispose();
      expect(arena.liveBytes).toBe(live0);
      expect(arena.liveCount).toBe(count0);
    });

    it('NaN or Infinity in a Float32Array input is refused with its row and column', () => {
      const m = make();
      const bad = new Float32Array(X.data.subarray(0, 3 * D));
      bad[D + 4] = NaN;
      expect(() => m.predict({ data: bad, rows: 3, cols: D })).toThrow(ValidationError);
      expect(() => m.predict({ data: bad, rows: 3, cols: D })).toThrow(/row 1, column 4 is NaN/);
      bad[D + 4] = 0;
      bad[2 * D] = -Infinity;
      expect(() => m.predict({ data: bad, rows: 3, cols: D }, { batchSize: 1 })).toThrow(/row 2, column 0 is -Infinity/);
      expect(() => m.predict({ data: bad.subarray(0, D), rows: 1, cols: D + 1 })).toThrow(/data has 37 values/);
      m.dispose();
    });
  });
}
