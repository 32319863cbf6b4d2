// ONNX Runtime Web runner (its WASM backend in Node), inference only:
//   node bench/peers/ort.mjs --threads 1|2 [--model PATH] [--quick]    batch-1024 throughput, batch-1 latency
//   node bench/peers/ort.mjs --cold-start [--model PATH]
// The model is the 784-256-128-10 MLP exported by PyTorch (torch.onnx.export) when run.mjs could
// make one (--model), else the hand-encoded equivalent of onnx-mlp.mjs.

import { existsSync, readFileSync } from 'node:fs';
import * as C from './common.mjs';

const threads = Number(C.argValue('--threads', '1'));
const system = 'onnxruntime-web';
const base = { system, threads };
const modelPath = C.argValue('--model');

const t0 = performance.now();
const ort = await import('onnxruntime-web');
let modelNote;
let bytes;
if (modelPath && existsSync(modelPath)) {
  bytes = readFileSync(modelPath);
  modelNote = 'model from torch.onnx.export';
} else {
  bytes = (await import('./onnx-mlp.mjs')).encodeMlp();
  modelNote = 'hand-encoded ONNX graph (PyTorch not installed)';
}
ort.env.wasm.numThreads = threads;
ort.env.logLevel = 'error';
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
const note = `onnxruntime-web ${ort.env.versions.web}, wasm EP, ${modelNote}`;

if (C.coldStart) {
  const x = new ort.Tensor('float32', C.randomF32(784, 1), [1, 784]);
  (await session.run({ [session.inputNames[0]]: x }))[session.outputNames[0]].data;
  C.emitColdStart(system, t0, performance.now(), { note });
  process.exit(0);
}

const data = C.loadData();
const [X] = C.subset(data.Xte, data.yte, 1024);
const inName = session.inputNames[0];
const outName = session.outputNames[0];

await C.guard({ ...base, workload: 'infer-b1024', metric: 'samples/s' }, async () => {
  const run = async () => (await session.run({ [inName]: new ort.Tensor('float32', X.data, [1024, 784]) }))[outName].data;
  C.emit({ ...base, workload: 'infer-b1024', metric: 'samples/s', values: await C.timeThroughput(run), note });
});
await C.guard({ ...base, workload: 'infer-b1', metric: 'latency µs' }, async () => {
  const one = X.data.subarray(0, 784);
  const run = async () => (await session.run({ [inName]: new ort.Tensor('float32', one, [1, 784]) }))[outName].data;
  C.emit({ ...base, workload: 'infer-b1', metric: 'latency µs', values: await C.timeLatency(run), note: `${note}; await session.run per call` });
});
for (const w of ['gemm', 'train', 'accuracy']) {
  if (C.wanted.includes(w)) C.emit({ ...base, workload: w, metric: '', error: 'onnxruntime-web is inference-only here (training needs onnxruntime-training artifacts, not in the web package)' });
}
process.exit(0); // worker threads of the 2-thread pool keep the process alive otherwise
