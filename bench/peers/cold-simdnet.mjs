// Cold start of simdnet as a user gets it: plain `node`, the built package (dist/ + build/*.wasm),
// import → one model → first prediction. One measurement per process; run.mjs repeats the process.
//   node bench/peers/cold-simdnet.mjs --binary relaxed|simd|js
import { setFlagsFromString } from 'node:v8';
import * as C from './common.mjs';

const binary = C.argValue('--binary', 'relaxed');
if (binary === 'relaxed') setFlagsFromString('--experimental-wasm-relaxed-simd');
const system = binary === 'js' ? 'simdnet-ts' : `simdnet-wasm-${binary}`;
const base = { system, threads: 1 };
const x = C.randomF32(784, 1);
await C.guard({ ...base, workload: 'cold-start', metric: 'ms import→first prediction' }, async () => {
  const t0 = performance.now();
  const lib = await import('../../dist/index.js');
  const backend = binary === 'js' ? lib.createBackendSync({ backend: 'js' }) : lib.createBackendSync({ binary });
  const model = new lib.Sequential({
    inputSize: 784, seed: 1, backend,
    layers: [lib.dense(256, { activation: 'relu' }), lib.dense(128, { activation: 'relu' }), lib.dense(10, { activation: 'softmax' })],
  }).compile();
  model.predict({ data: x, rows: 1, cols: 784 });
  C.emitColdStart(system, t0, performance.now());
});
