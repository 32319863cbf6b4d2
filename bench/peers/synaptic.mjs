// synaptic runner (Architect.Perceptron, one object per neuron and connection): 784-256-128-10,
// ReLU hidden layers, logistic output (synaptic has no softmax), per-sample SGD via
// activate()/propagate() (its training mode). Trained on a small stated subset; samples/s
// extrapolates to an epoch.
//   node bench/peers/synaptic.mjs [--quick] [--workloads ...]   |   --cold-start
import * as C from './common.mjs';

const system = 'synaptic';
const base = { system, threads: 1 };
const t0 = performance.now();
const synaptic = (await import('synaptic')).default;
const makeNet = () => {
  const net = new synaptic.Architect.Perceptron(784, 256, 128, 10);
  for (const layer of net.layers.hidden) layer.set({ squash: synaptic.Neuron.squash.ReLU });
  return net;
};

if (C.coldStart) {
  makeNet().activate(Array.from(C.randomF32(784, 1)));
  C.emitColdStart(system, t0, performance.now(), { note: 'includes building 235k connection objects and compiling the network' });
  process.exit(0);
}

const S = C.SIZES;
const data = C.loadData();
const input = (X, i) => Array.from(X.data.subarray(i * 784, (i + 1) * 784));
const note = 'per-sample SGD (lr 0.1), ReLU hidden, logistic output, no softmax';

if (C.wanted.includes('gemm')) C.emit({ ...base, workload: 'gemm', metric: '', error: 'synaptic exposes no matrix multiply' });
const net = makeNet();
if (C.wanted.includes('train')) {
  const n = S.trainSamples.micro;
  const row = { ...base, workload: 'train-sgd', metric: 'samples/s', extrapolated: true, note: `${n}-sample subset per run, extrapolated; ${note}` };
  await C.guard(row, async () => {
    const set = Array.from({ length: n }, (_, i) => {
      const t = new Array(10).fill(0);
      t[data.ytr[i]] = 1;
      return [input(data.Xtr, i), t];
    });
    const epoch = (m) => { for (let i = 0; i < m; i++) { net.activate(set[i][0]); net.propagate(S.sgdLr, set[i][1]); } };
    epoch(Math.min(16, n));
    const values = [];
    for (let r = 0; r < Math.min(3, S.trainRuns); r++) {
      const t = performance.now();
      epoch(n);
      values.push(n / ((performance.now() - t) / 1000));
    }
    C.emit({ ...row, values });
  });
}
if (C.wanted.includes('accuracy')) C.emit({ ...base, workload: 'accuracy-adam', metric: 'test accuracy', error: 'not comparable: synaptic has neither Adam with mini-batches nor a softmax/cross-entropy output' });
if (C.wanted.includes('inference')) {
  const m = S.trainSamples.micro; // ~30 samples/s: 1024 rows would take half a minute per run
  const rows = Array.from({ length: m }, (_, i) => input(data.Xte, i));
  await C.guard({ ...base, workload: 'infer-b1024', metric: 'samples/s' }, async () => {
    C.emit({ ...base, workload: 'infer-b1024', metric: 'samples/s', extrapolated: true, values: await C.timeThroughput(() => { for (const r of rows) net.activate(r); }, m, 3), note: `no batch API: ${m} × net.activate, extrapolated to 1024` });
  });
  await C.guard({ ...base, workload: 'infer-b1', metric: 'latency µs' }, async () => {
    C.emit({ ...base, workload: 'infer-b1', metric: 'latency µs', values: await C.timeLatency(() => net.activate(rows[0]), Math.ceil(S.latencyCalls / 10)) });
  });
}
