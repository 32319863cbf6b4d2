// Worked examples of the "Neural Network Notes with Solved Problems" (seed 003_596f0895eeeacef0):
// the intermediate values of the hard-threshold problems that test/nn/handset.test.ts does not
// already check (u^H rows, z^O values), the architecture choices, the batched matrix forms
// Z = X·Wᵀ + B, the gradient problems of section 2, the losses from logits (eq. 17, 18, 20) and
// the two back-propagation problems of section 3.
import { describe, expect, it } from 'vitest';
import { dense, Sequential } from '../../src/index.js';
import { kernelBackends } from '../helpers/backends.js';
import { add, dsigmoid, expectClose, f32, f32m, flat, handSet, matVec, oneHotRow, sigmoid, softmax, sub, transpose } from './notes.js';

const step = (z: number) => (z >= 0 ? 1 : 0);

for (const backend of kernelBackends()) {
  describe(`lecture notes 003 §1: hard-threshold problems, intermediate values (${backend.binary})`, () => {
    it('problem 1: z^H = (x − 1, x − 3), u^H = (1{x ≥ 1}, 1{x ≥ 3}), z^O = 0.5 on x < 1, −0.5 on [1, 3), 1.5 on x ≥ 3', () => {
      const H = { W: [[1], [1]], b: [-1, -3] };
      const O = { W: [[-1, 2]], b: [0.5] };
      const xs = [-2, 0, 0.999, 1, 2, 2.999, 3, 7];
      const zH = handSet(backend, 1, [dense(2)], [H]);
      const uH = handSet(backend, 1, [dense(2, { activation: 'step' })], [H]);
      const zO = handSet(backend, 1, [dense(2, { activation: 'step' }), dense(1)], [H, O]);
      const X = xs.map((x) => [x]);
      expectClose(zH.predict(X).data, f32(xs).flatMap((x) => [x - 1, x - 3]), 1e-6); // x as the float32 the model reads
      expect(Array.from(uH.predict(X).data)).toEqual(xs.flatMap((x) => [x >= 1 ? 1 : 0, x >= 3 ? 1 : 0]));
      expect(Array.from(zO.predict(X).data)).toEqual(xs.map((x) => (x < 1 ? 0.5 : x < 3 ? -0.5 : 1.5)));
      for (const m of [zH, uH, zO]) m.dispose();
    });

    it('problem 2, Table 1: the u^H rows (0 0 1 1 | 1) and (0 0 0 1 | 0) for x = 0, 1, 3, 5 | 3.5', () => {
      // Table 1 labels its second z row "x − 2" (it is x − 4, as its values −4, −3, −1, 1, 0.5 show),
      // labels both u rows u_i1 (the second is u_i2 = g(z_i2)), and writes z^O = u_i1 − 2u_i1 − 0.5
      // (it is u_i1 − 2u_i2 − 0.5 = W^O·u^H + b^O). The values in the table are right.
      const m = handSet(backend, 1, [dense(2, { activation: 'step' })], [{ W: [[1], [1]], b: [-2, -4] }]);
      const out = Array.from(m.predict([[0], [1], [3], [5], [3.5]]).data);
      expect(out.filter((_, i) => i % 2 === 0)).toEqual([0, 0, 1, 1, 1]);
      expect(out.filter((_, i) => i % 2 === 1)).toEqual([0, 0, 0, 1, 0]);
      m.dispose();
    });

    it('problem 3: z^H = (x1, x2, x1 + x2 − 1) and z^O = (1) + (1) − (0) − 1.5 = 0.5 inside the triangle, z^O < 0 outside', () => {
      const H = { W: [[1, 0], [0, 1], [1, 1]], b: [0, 0, -1] };
      const O = { W: [[1, 1, -1]], b: [-1.5] };
      const zH = handSet(backend, 2, [dense(3)], [H]);
      const zO = handSet(backend, 2, [dense(3, { activation: 'step' }), dense(1)], [H, O]);
      const pts: number[][] = [];
      for (let a = -1; a <= 2; a += 0.25) for (let b = -1; b <= 2; b += 0.25) pts.push([a, b]);
      expectClose(zH.predict(pts).data, pts.flatMap(([a, b]) => [a!, b!, a! + b! - 1]), 1e-6);
      const out = zO.predict(pts).data;
      pts.forEach(([a, b], i) => {
        const inside = a! >= 0 && b! >= 0 && a! + b! < 1;
        if (inside) expect(out[i]).toBe(0.5);
        else expect(out[i]).toBeLessThan(0);
        expect(out[i]).toBe(step(a!) + step(b!) - step(a! + b! - 1) - 1.5);
      });
      zH.dispose();
      zO.dispose();
    });

    it('problem 4, architecture choices: letters from 20×20 images (N_i = 400, N_o = 26, softmax), voice gender from 120 features (N_o = 1, sigmoid), stock price from 5 days (N_o = 1, identity)', () => {
      // The notes give no solution for problem 4 (the solution numbered 4 answers problem 5); N_h and
      // g_act are free choices, the rest follows from the problem.
      const letters = new Sequential({ inputSize: 400, seed: 1, backend, layers: [dense(100, { activation: 'relu' }), dense(26, { activation: 'softmax' })] });
      const voice = new Sequential({ inputSize: 120, seed: 1, backend, layers: [dense(40, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })] });
      const stock = new Sequential({ inputSize: 5, seed: 1, backend, layers: [dense(10, { activation: 'relu' }), dense(1)] });
      const P = letters.predict([new Array(400).fill(0.5)]);
      expect(P.cols).toBe(26);
      expect(Array.from(P.data).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      const p = voice.predict([new Array(120).fill(0.1)]).data[0]!;
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
      expect(stock.predict([[1, 2, 3, 4, 5]]).cols).toBe(1);
      expect([letters.paramCount, voice.paramCount, stock.paramCount]).toEqual([400 * 100 + 100 + 100 * 26 + 26, 120 * 40 + 40 + 41, 60 + 11]);
      for (const m of [letters, voice, stock]) m.dispose();
    });

    it('problem 5, batch form: Zh = X·Whᵀ + bh, Uh = 1/(1 + e^−Zh), Zo = Uh·Woᵀ + bo, sigmoid or softmax rows', () => {
      // The notes normalize the softmax with np.sum(expZo, axis=1)[None, :], which divides entry
      // (i, k) by the sum of row k; the row sums must broadcast down the columns ([:, None]).
      const X = [[1, 2], [0.5, -1], [-1.5, 0.25]]; // N = 3 samples, N_i = 2
      const Wh = f32m([[0.3, -0.1], [0.2, 0.4], [-0.5, 0.6], [0.1, 0.1]]); // N_h = 4
      const bh = f32([0.1, -0.2, 0, 0.3]);
      const Wo = f32m([[0.5, -0.3, 0.8, 0.2], [-0.4, 0.6, 0.1, -0.7], [0.2, 0.2, -0.5, 0.9]]); // K = 3
      const bo = f32([0, 0.5, -0.5]);
      const Zh = X.map((x) => add(matVec(Wh, x), bh)); // X·Whᵀ + bh[None, :]
      const Uh = Zh.map((r) => r.map(sigmoid));
      const hidden = handSet(backend, 2, [dense(4, { activation: 'sigmoid' })], [{ W: Wh, b: bh }]);
      expectClose(hidden.predict(X).data, flat(Uh));
      // (b) binary: N_o = 1, wo a vector and bo a scalar (the notes call them wh and bh there: a typo)
      const wo = Wo[0]!;
      const binary = handSet(backend, 2, [dense(4, { activation: 'sigmoid' }), dense(1, { activation: 'sigmoid' })], [{ W: Wh, b: bh }, { W: [wo], b: [bo[0]!] }]);
      expectClose(binary.predict(X).data, Uh.map((u) => sigmoid(u.reduce((s, v, j) => s + v * wo[j]!, 0) + bo[0]!)));
      // (c) K classes
      const multi = handSet(backend, 2, [dense(4, { activation: 'sigmoid' }), dense(3, { activation: 'softmax' })], [{ W: Wh, b: bh }, { W: Wo, b: bo }]);
      const expZo = Uh.map((u) => add(matVec(Wo, u), bo).map(Math.exp));
      const rowwise = expZo.map((r) => r.map((v) => v / r.reduce((s, e) => s + e, 0)));
      const out = multi.predict(X).data;
      expectClose(out, flat(rowwise));
      const printed = expZo.map((r) => r.map((v, k) => v / expZo[k]!.reduce((s, e) => s + e, 0)));
      expect(Math.abs(printed[0]!.reduce((s, v) => s + v, 0) - 1)).toBeGreaterThan(1e-3);
      for (const m of [hidden, binary, multi]) m.dispose();
    });
  });

  describe(`lecture notes 003 §2: gradients and the chain rule (${backend.binary})`, () => {
    it('problem 2, logistic loss from the logit: J = Σ [ln(1 + e^z) − y·z], ∂J/∂z = σ(z) − y, ∂J/∂w_j = ∂J/∂z·x_j, ∂J/∂b = ∂J/∂z', () => {
      // Eq. (17) and problem 2 print ln(1 + e^{y z}) − y z. For y = 0 that is the constant ln 2, and
      // its derivative −y + y·e^{yz}/(1 + e^{yz}) is 0 whatever z: the exponent must be z, not y·z.
      // With it, J is the binary cross-entropy of σ(z) and ∂J/∂z = σ(z) − y. J sums the samples;
      // the library's loss is the mean, so both are scaled by N here.
      const w = f32([0.8, -1.1]);
      const b = Math.fround(0.3);
      const X = [[1, 2], [-2, 0.5], [3, 1], [0.5, -3]];
      const y = [0, 1, 0, 1];
      const m = handSet(backend, 2, [dense(1, { activation: 'sigmoid' })], [{ W: [w], b: [b] }]);
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
      const z = X.map((x) => x[0]! * w[0]! + x[1]! * w[1]! + b);
      const J = z.reduce((s, zi, i) => s + Math.log(1 + Math.exp(zi)) - y[i]! * zi, 0);
      const dJdz = z.map((zi, i) => sigmoid(zi) - y[i]!);
      const N = X.length;
      const { loss, grads } = m.lossAndGradients(X, y);
      expect(loss * N).toBeCloseTo(J, 5);
      expectClose(Array.from(grads[0]!.W!, (g) => g * N), [0, 1].map((j) => dJdz.reduce((s, d, i) => s + d * X[i]![j]!, 0)));
      expect(grads[0]!.b![0]! * N).toBeCloseTo(dJdz.reduce((s, d) => s + d, 0), 5);
      // the printed form differs wherever y = 0 (sample 0: z = −1.1, ln(1 + e^z) ≈ 0.2873 vs ln 2)
      expect(Math.abs(Math.log(1 + Math.exp(z[0]!)) - Math.log(2))).toBeGreaterThan(0.3);
      m.dispose();
    });

    it('problem 3, sigmoid layer u = f(W·x + b): ∂u_i/∂z_i = e^−z/(1 + e^−z)², ∂u_i/∂W_ij = f\'(z_i)·x_j, ∂u_i/∂b_i = f\'(z_i), ∂u_i/∂x_j = f\'(z_i)·W_ij', () => {
      // A scalar J is needed to read gradients from the library: J = ‖u − t‖² (one sample), so
      // ∂J/∂u_i = 2(u_i − t_i) multiplies each of the notes' partials. A leading identity layer
      // (W = I, b = 0) exposes ∂J/∂x through its bias gradient.
      const W = f32m([[0.5, -1, 0.25], [1.5, 0.2, -0.4]]);
      const b = f32([0.1, -0.3]);
      const x = [0.4, -0.6, 1.2];
      const t = [0.2, 0.9];
      const m = handSet(backend, 3, [dense(3), dense(2, { activation: 'sigmoid' })],
        [{ W: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], b: [0, 0, 0] }, { W, b }]);
      m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      const z = add(matVec(W, x), b);
      const u = z.map(sigmoid);
      const fprime = z.map((zi) => Math.exp(-zi) / (1 + Math.exp(-zi)) ** 2);
      expectClose(fprime, z.map(dsigmoid), 1e-12);
      const dJdu = u.map((ui, i) => 2 * (ui - t[i]!));
      const { grads } = m.lossAndGradients([x], [t]);
      expectClose(grads[1]!.W!, flat(W.map((row, i) => row.map((_, j) => dJdu[i]! * fprime[i]! * x[j]!))));
      expectClose(grads[1]!.b!, dJdu.map((g, i) => g * fprime[i]!));
      expectClose(grads[0]!.b!, x.map((_, j) => W.reduce((s, row, i) => s + dJdu[i]! * fprime[i]! * row[j]!, 0)));
      m.dispose();
    });

    it('problem 4, L = ‖y − z‖² with z = W·x + b: ∂L/∂z = 2(z − y), ∂L/∂W_ij = 2(z_i − y_i)·x_j, ∂L/∂b = 2(z − y), ∂L/∂x_j = Σ_i 2(z_i − y_i)·W_ij', () => {
      // The library's squared error is this squared norm for one sample (no ½, not divided by the
      // number of outputs). The notes write the x-gradient per component, 2(z_i − y_i)·W_ij: the
      // gradient of the scalar L sums it over i.
      const W = f32m([[0.5, -1, 0.25], [1.5, 0.2, -0.4]]);
      const b = f32([0.1, -0.3]);
      const x = [0.4, -0.6, 1.2];
      const y = [0.2, 0.9];
      const m = handSet(backend, 3, [dense(3), dense(2)], [{ W: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], b: [0, 0, 0] }, { W, b }]);
      m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      const z = add(matVec(W, x), b);
      const dz = z.map((zi, i) => 2 * (zi - y[i]!));
      const { loss, grads } = m.lossAndGradients([x], [y]);
      expect(loss).toBeCloseTo(z.reduce((s, zi, i) => s + (y[i]! - zi) ** 2, 0), 6);
      expectClose(grads[1]!.W!, flat(W.map((row, i) => row.map((_, j) => dz[i]! * x[j]!))));
      expectClose(grads[1]!.b!, dz);
      expectClose(grads[0]!.b!, x.map((_, j) => W.reduce((s, row, i) => s + dz[i]! * row[j]!, 0)));
      m.dispose();
    });
  });

  describe(`lecture notes 003 §3: losses from logits and back-propagation problems (${backend.binary})`, () => {
    it('eq. 18 and 20 over a mini-batch: L = Σ_i g_loss; categorical ln Σ_ℓ e^{z_iℓ} − Σ_k r_ik z_ik, squared ‖z_i − y_i‖²', () => {
      // The notes' L sums the samples (eq. 16); the library's J is the mean L/N.
      const Z = [[2, -1, 0.5, 0.1], [-0.3, 0.8, 1.2, -2], [0, 0, 0, 0]];
      const yc = [0, 2, 3];
      // Sample i gets the i-th unit vector as input and W holds its logits in column i: z_i = W·e_i = Z[i].
      const perSample = handSet(backend, 3, [dense(4, { activation: 'softmax' })], [{ W: transpose(Z), b: [0, 0, 0, 0] }]);
      perSample.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
      const I3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
      const L18 = Z.reduce((s, z, i) => s + Math.log(z.reduce((t, v) => t + Math.exp(v), 0)) - z.reduce((t, v, k) => t + oneHotRow(yc[i]!, 4)[k]! * v, 0), 0);
      expect(perSample.lossAndGradients(I3, yc).loss * 3).toBeCloseTo(L18, 5);
      perSample.dispose();
      const reg = handSet(backend, 3, [dense(4)], [{ W: transpose(Z), b: [0, 0, 0, 0] }]);
      reg.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      const Yr = [[1, 0, 0, 1], [0.5, 0.5, -0.5, -0.5], [2, -2, 1, 0]];
      const L20 = Z.reduce((s, z, i) => s + z.reduce((t, v, k) => t + (v - Yr[i]![k]!) ** 2, 0), 0);
      expect(reg.lossAndGradients(I3, Yr).loss * 3).toBeCloseTo(L20, 4);
      reg.dispose();
    });

    it('problem 1, ReLU hidden layer + categorical cross-entropy on a mini-batch: every back-propagation step', () => {
      // ∂L/∂z^O_ij = softmax(z^O_i)_j − r_ij; ∂L/∂W^O_jk = Σ_i ∂L/∂z^O_ij·u^H_ik (the notes write
      // ∂L/∂z^O_ik there, and ∂L/∂z^H_ik for the hidden layer: index slips; j is the unit of the row
      // of W); ∂L/∂b^O_j = Σ_i ∂L/∂z^O_ij; ∂L/∂u^H_ik = Σ_j ∂L/∂z^O_ij·W^O_jk; ReLU passes where
      // z^H > 0; ∂L/∂W^H_jk = Σ_i ∂L/∂z^H_ij·x_ik; ∂L/∂b^H_j = Σ_i ∂L/∂z^H_ij. L sums the batch.
      const WH = f32m([[0.5, -0.4], [0.3, 0.8], [-0.6, 0.1]]);
      const bH = f32([0.1, -0.2, 0.05]);
      const WO = f32m([[0.7, -0.3, 0.2], [-0.5, 0.4, 0.9], [0.1, 0.6, -0.8]]);
      const bO = f32([0.2, -0.1, 0]);
      const X = [[1, -1], [0.5, 2], [-1.5, 0.25], [2, 0.5]];
      const y = [0, 2, 1, 2];
      const N = X.length;
      const m = handSet(backend, 2, [dense(3, { activation: 'relu' }), dense(3, { activation: 'softmax' })], [{ W: WH, b: bH }, { W: WO, b: bO }]);
      m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
      const ZH = X.map((x) => add(matVec(WH, x), bH));
      ZH.flat().forEach((z) => expect(Math.abs(z)).toBeGreaterThan(1e-3)); // away from ReLU's kink
      const UH = ZH.map((r) => r.map((z) => Math.max(0, z)));
      const dZO = UH.map((u, i) => sub(softmax(add(matVec(WO, u), bO)), oneHotRow(y[i]!, 3)));
      const dWO = WO.map((row, j) => row.map((_, k) => dZO.reduce((s, d, i) => s + d[j]! * UH[i]![k]!, 0)));
      const dbO = bO.map((_, j) => dZO.reduce((s, d) => s + d[j]!, 0));
      const dUH = dZO.map((d) => WH.map((_, k) => d.reduce((s, g, j) => s + g * WO[j]![k]!, 0)));
      const dZH = dUH.map((r, i) => r.map((g, j) => (ZH[i]![j]! > 0 ? g : 0)));
      const dWH = WH.map((row, j) => row.map((_, k) => dZH.reduce((s, d, i) => s + d[j]! * X[i]![k]!, 0)));
      const dbH = bH.map((_, j) => dZH.reduce((s, d) => s + d[j]!, 0));
      const { grads } = m.lossAndGradients(X, y);
      const times = (g: Float32Array) => Array.from(g, (v) => v * N);
      expectClose(times(grads[1]!.W!), flat(dWO));
      expectClose(times(grads[1]!.b!), dbO);
      expectClose(times(grads[0]!.W!), flat(dWH));
      expectClose(times(grads[0]!.b!), dbH);
      m.dispose();
    });

    it('problem 2, ŷ_i = Σ_j α_j·exp(z_ij) with z_i = W·x_i + b and L = Σ_i (y_i − ŷ_i)²: every back-propagation step', () => {
      // The library has no exp activation. For z ≤ 0, elu(z) = e^z − 1 (α = 1) with elu'(z) = e^z, so
      // the model is exactly dense(M, elu) → dense(1) with output weights α and output bias Σ_j α_j.
      // Then ∂L/∂α_j = Σ_i ∂L/∂ŷ_i·u_ij with u = e^z is the library's output-weight gradient plus its
      // output-bias gradient (the −1 of elu shifts the weight gradient by Σ_i ∂L/∂ŷ_i).
      // The notes print ∂z_ij/∂W_jk = u_ik (it is x_ik) and ∂L/∂u_ij = Σ_i ∂L/∂ŷ_i·α_j (one sample's
      // ŷ_i depends on u_ij, there is no sum); both are slips.
      const W = f32m([[0.2, -0.1], [-0.3, 0.2], [0.1, 0.1]]);
      const b = f32([-2, -1.5, -1]);
      const alpha = f32([1.5, -0.5, 2]);
      const X = [[0.5, -1], [1, 1], [-1, 0.25], [0.2, 0.8]];
      const y = [0.8, 0.3, 1.1, 0.5];
      const N = X.length;
      const m = handSet(backend, 2, [dense(3, { activation: 'elu', alpha: 1 }), dense(1)],
        [{ W, b }, { W: [alpha], b: [alpha.reduce((s, a) => s + a, 0)] }]);
      m.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
      const Z = X.map((x) => add(matVec(W, x), b));
      Z.flat().forEach((z) => expect(z).toBeLessThan(0));
      const U = Z.map((r) => r.map(Math.exp));
      const yhat = U.map((u) => u.reduce((s, v, j) => s + alpha[j]! * v, 0));
      expectClose(m.predict(X).data, yhat, 1e-5);
      const dyhat = yhat.map((v, i) => 2 * (v - y[i]!)); // ∂L/∂ŷ_i
      const dalpha = alpha.map((_, j) => dyhat.reduce((s, d, i) => s + d * U[i]![j]!, 0));
      const dU = U.map((u, i) => u.map((_, j) => dyhat[i]! * alpha[j]!));
      const dZ = dU.map((r, i) => r.map((g, j) => g * Math.exp(Z[i]![j]!)));
      const dW = W.map((row, j) => row.map((_, k) => dZ.reduce((s, d, i) => s + d[j]! * X[i]![k]!, 0)));
      const db = b.map((_, j) => dZ.reduce((s, d) => s + d[j]!, 0));
      const { loss, grads } = m.lossAndGradients(X, y);
      expect(loss * N).toBeCloseTo(yhat.reduce((s, v, i) => s + (y[i]! - v) ** 2, 0), 5);
      const gb = grads[1]!.b![0]! * N;
      expectClose(Array.from(grads[1]!.W!, (g) => g * N + gb), dalpha, 1e-5);
      expectClose(Array.from(grads[0]!.W!, (g) => g * N), flat(dW), 1e-5);
      expectClose(Array.from(grads[0]!.b!, (g) => g * N), db, 1e-5);
      m.dispose();
    });
  });
}
