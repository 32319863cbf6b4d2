// brain.js runner (NeuralNetwork, CPU): 784-256-128-10, ReLU on every layer including the output
// (brain.js has no softmax output), its MSE-style error, per-sample SGD with momentum 0.1 (its
// only training mode). Trained on a small stated subset; samples/s extrapolates to an epoch.
//   node bench/peers/brain.mjs [--quick] [--workloads train,inference,...]   |   --cold-start
import * as C from './common.mjs';

const system = 'brain.js';
const base = { system, threads: 1 };
const t0 = performance.now();
const brain = (await import('brain.js')).default;
const makeNet = () => new brain.NeuralNetwork({ hiddenLayers: [256, 128], activation: 'relu', learningRate: C.SIZES.sgdLr });
const sized = () => { const net = makeNet(); net.sizes = [784, 256, 128, 10]; net.initialize(); return net; };

if (C.coldStart) {
  sized().run(C.randomF32(784, 1));
  C.emitColdStart(system, t0, performance.now());
  process.exit(0);
}

const S = C.SIZES;
const data = C.loadData();
const samples = (X, y, n) => Array.from({ length: n }, (_, i) => {
  const output = new Array(10).fill(0);
  output[y[i]] = 1;
  return { input: Array.from(X.data.subarray(i * 784, (i + 1) * 784)), output };
});
const note = 'per-sample SGD (lr 0.1, momentum 0.1), ReLU output, no softmax';

if (C.wanted.includes('gemm')) C.emit({ ...base, workload: 'gemm', metric: '', error: 'brain.js exposes no matrix multiply' });
if (C.wanted.includes('train')) {
  const n = S.trainSamples.tiny;
  const row = { ...base, workload: 'train-sgd', metric: 'samples/s', extrapolated: true, note: `${n}-sample subset per run, extrapolated; ${note}` };
  await C.guard(row, async () => {
    const set = samples(data.Xtr, data.ytr, n);
    const net = makeNet();
    const opts = { iterations: 1, errorThresh: 1e-9, log: false, learningRate: S.sgdLr };
    net.train(set.slice(0, Math.min(16, n)), opts); // sizes, initialize, JIT
    const values = [];
    for (let r = 0; r < Math.min(3, S.trainRuns); r++) {
      const t = performance.now();
      net.train(set, opts);
      values.push(n / ((performance.now() - t) / 1000));
    }
    C.emit({ ...row, values });
  });
}
if (C.wanted.includes('accuracy')) C.emit({ ...base, workload: 'accuracy-adam', metric: 'test accuracy', error: 'not comparable: brain.js has neither Adam with mini-batches nor a softmax/cross-entropy output' });
if (C.wanted.includes('inference')) {
  const net = sized();
  const rows = [];
  for (let i = 0; i < 1024; i++) rows.push(Array.from(data.Xte.data.subarray(i * 784, (i + 1) * 784)));
  await C.guard({ ...base, workload: 'infer-b1024', metric: 'samples/s' }, async () => {
    C.emit({ ...base, workload: 'infer-b1024', metric: 'samples/s', values: await C.timeThroughput(() => { for (const r of rows) net.run(r); }, 1024, Math.min(5, S.inferRuns)), note: 'no batch API: 1024 × net.run' });
  });
  await C.guard({ ...base, workload: 'infer-b1', metric: 'latency µs' }, async () => {
    C.emit({ ...base, workload: 'infer-b1', metric: 'latency µs', values: await C.timeLatency(() => net.run(rows[0]), Math.ceil(S.latencyCalls / 4)) });
  });
}
