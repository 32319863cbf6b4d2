// TensorFlow.js runner of the peer benchmark (@tensorflow/tfjs 4.22, Layers API):
//   node bench/peers/tfjs.mjs --backend wasm|cpu [--quick] [--workloads gemm,train,accuracy,inference]
//   node bench/peers/tfjs.mjs --backend wasm|cpu --cold-start
// GEMM is tf.matMul(a, b, transposeA, transposeB) with dataSync() once per timed sample; training
// is model.fit (categorical cross-entropy on one-hot labels, shuffled) — what a tfjs user writes.

import * as C from './common.mjs';

const backendName = C.argValue('--backend', 'wasm');
const system = `tfjs-${backendName}`;
const base = { system, threads: 1 };
const silence = () => { const w = console.warn; console.warn = () => {}; return () => { console.warn = w; }; };

const t0 = performance.now();
const restore = silence(); // tfjs in Node suggests installing tfjs-node on every import
const log = console.log; console.log = () => {};
const tf = await import('@tensorflow/tfjs');
if (backendName === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
restore();
if (!(await tf.setBackend(backendName))) throw new Error(`tf.setBackend('${backendName}') failed`);
await tf.ready();
console.log = log;

/** Glorot-uniform kernels (the tfjs default), seeded per layer when `seed` is given. */
function makeModel(seed) {
  const init = (i) => (seed === undefined ? {} : { kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 10 + i }) });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu', ...init(0) }),
      tf.layers.dense({ units: 128, activation: 'relu', ...init(1) }),
      tf.layers.dense({ units: 10, activation: 'softmax', ...init(2) }),
    ],
  });
}

if (C.coldStart) {
  const model = makeModel();
  const out = model.predict(tf.tensor2d(C.randomF32(784, 1), [1, 784]));
  out.dataSync();
  C.emitColdStart(system, t0, performance.now());
  process.exit(0);
}

const env = {
  simd: backendName === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : false,
  multithread: backendName === 'wasm' ? await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') : false,
};
const envNote = backendName === 'wasm' ? `wasm SIMD ${env.simd ? 'on' : 'off'}, multithread ${env.multithread ? 'on' : 'off (Node has no SharedArrayBuffer workers for tfjs-wasm)'}` : 'pure-JS cpu backend';
const S = C.SIZES;

if (C.wanted.includes('gemm')) {
  for (const shape of S.gemmShapes) {
    for (const layout of S.gemmLayouts) {
      const [m, n, k] = shape;
      const row = { ...base, workload: `gemm-${layout}-${m}x${n}x${k}`, metric: 'GFLOPS', note: envNote };
      await C.guard(row, async () => {
        const ta = layout === 'tn', tb = layout === 'nt';
        const a = tf.tensor2d(C.randomF32(m * k, 1), ta ? [k, m] : [m, k]);
        const b = tf.tensor2d(C.randomF32(n * k, 2), tb ? [n, k] : [k, n]);
        // Each call's result is read back so the timing includes the work, then disposed.
        const run = () => { const c = tf.matMul(a, b, ta, tb); c.dataSync(); c.dispose(); };
        C.emit({ ...row, values: await C.timeGemm(run, shape) });
        a.dispose(); b.dispose();
      });
    }
  }
}

const data = C.wanted.some((w) => w !== 'gemm') ? C.loadData() : undefined;
const oneHot = (y) => { const o = new Float32Array(y.length * 10); y.forEach((c, i) => { o[i * 10 + c] = 1; }); return o; };

if (C.wanted.includes('train') && data) {
  const n = backendName === 'cpu' ? S.trainSamples.slow : S.trainSamples.medium;
  const row = { ...base, workload: 'train-sgd', metric: 'samples/s', note: `${n}-sample subset per run; ${envNote}` };
  await C.guard(row, async () => {
    const [X, y] = C.subset(data.Xtr, data.ytr, n);
    const xs = tf.tensor2d(X.data, [n, 784]);
    const ys = tf.tensor2d(oneHot(y), [n, 10]);
    const model = makeModel();
    model.compile({ optimizer: tf.train.sgd(S.sgdLr), loss: 'categoricalCrossentropy' });
    const fit = () => model.fit(xs, ys, { batchSize: S.batch, epochs: 1, shuffle: true, verbose: 0 });
    await fit();
    const values = [];
    for (let r = 0; r < S.trainRuns; r++) {
      const t = performance.now();
      await fit();
      values.push(n / ((performance.now() - t) / 1000));
    }
    C.emit({ ...row, values });
    xs.dispose(); ys.dispose(); model.dispose();
  });
}

if (C.wanted.includes('accuracy') && data) {
  const row = { ...base, workload: 'accuracy-adam', metric: 'test accuracy' };
  if (backendName === 'cpu' && !C.args.includes('--cpu-accuracy')) {
    C.emit({ ...row, error: 'skipped: same tfjs Layers graph as tfjs-wasm (same math), ~10x slower; pass --cpu-accuracy to run it' });
  } else await C.guard(row, async () => {
    const [X, y] = C.subset(data.Xtr, data.ytr, S.accuracyTrainRows);
    const xs = tf.tensor2d(X.data, [X.rows, 784]);
    const ys = tf.tensor2d(oneHot(y), [X.rows, 10]);
    const xte = tf.tensor2d(data.Xte.data, [data.Xte.rows, 784]);
    const seeds = S.accuracySeeds.slice(0, 2);
    const values = [];
    let secs = 0;
    for (const seed of seeds) {
      const model = makeModel(seed);
      model.compile({ optimizer: tf.train.adam(S.adamLr), loss: 'categoricalCrossentropy' });
      const t = performance.now();
      await model.fit(xs, ys, { batchSize: S.batch, epochs: S.accuracyEpochs, shuffle: true, verbose: 0 });
      secs += (performance.now() - t) / 1000;
      const P = model.predict(xte);
      values.push(C.argmaxAccuracy(P.dataSync(), data.yte));
      P.dispose(); model.dispose();
    }
    C.emit({ ...row, values, note: `${S.accuracyEpochs} epochs × ${X.rows} rows, ${(secs / values.length).toFixed(1)} s per run; ${values.length} runs; Glorot-uniform init (tfjs default)` });
    xs.dispose(); ys.dispose(); xte.dispose();
  });
}

if (C.wanted.includes('inference') && data) {
  const model = makeModel();
  const [X] = C.subset(data.Xte, data.yte, 1024);
  await C.guard({ ...base, workload: 'infer-b1024', metric: 'samples/s' }, async () => {
    const run = () => { const x = tf.tensor2d(X.data, [1024, 784]); const p = model.predict(x); p.dataSync(); x.dispose(); p.dispose(); };
    C.emit({ ...base, workload: 'infer-b1024', metric: 'samples/s', values: await C.timeThroughput(run), note: envNote });
  });
  await C.guard({ ...base, workload: 'infer-b1', metric: 'latency µs' }, async () => {
    const one = X.data.subarray(0, 784);
    const run = () => { const x = tf.tensor2d(one, [1, 784]); const p = model.predict(x); p.dataSync(); x.dispose(); p.dispose(); };
    C.emit({ ...base, workload: 'infer-b1', metric: 'latency µs', values: await C.timeLatency(run, Math.ceil(S.latencyCalls / 2)), note: 'tensor in, predict, dataSync' });
  });
}
