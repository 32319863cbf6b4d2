// The optimizer step inside the dW GEMMs (optimizer.fuse) against the separate step, in one process:
// two models of 784-256-128-10 ReLU/softmax (SGD lr 0.1, batch 128, one thread, seed 1) on the same
// backend, fitted on the first 30,000 Fashion-MNIST rows in alternating 2-epoch fits (order
// swapped every round); samples/s are the fits' own epoch rates (history.samplesPerSec), with the
// binary's peak probe before and after. Prints best and median of each, their ratio, and whether the
// two models' first-layer weights came out bit-identical (they must).
//   node --import ./bench/ts-loader.mjs bench/ab-fuse.ts [relaxed,simd] [rounds = 6]

import { setFlagsFromString } from 'node:v8';
import { peakProbe, median } from './probe.js';
setFlagsFromString('--experimental-wasm-relaxed-simd');
const lib = await import('../src/index.js');
const DIR = '/usr/share/datasets/fashion-mnist';
const images = lib.readIdxImages(`${DIR}/train-images-idx3-ubyte.gz`, { normalize: true });
const labels = lib.readIdxLabels(`${DIR}/train-labels-idx1-ubyte.gz`);
const rows = 30000, rounds = Number(process.argv[3] ?? 6);
const X = { data: images.data.subarray(0, rows * 784), rows, cols: 784 }, y = labels.subarray(0, rows);
for (const binary of (process.argv[2] ?? 'relaxed,simd').split(',')) {
  const backend = lib.createBackendSync({ binary: binary as 'relaxed' | 'simd', threads: 1 });
  const mk = (fuse: boolean) => { const m = new lib.Sequential({ inputSize: 784, seed: 1, backend, layers: [lib.dense(256, { activation: 'relu' }), lib.dense(128, { activation: 'relu' }), lib.dense(10, { activation: 'softmax' })] })
    .compile({ loss: 'categoricalCrossentropy', optimizer: lib.sgd({ learningRate: 0.1 }) }); m.session.optimizer.fuse = fuse; return m; };
  const ms = [mk(false), mk(true)];
  const probes = [peakProbe(backend).best];
  ms.forEach((m) => m.fitSync(X, y, { epochs: 1, batchSize: 128 }));
  const rates: number[][] = [[], []];
  for (let r = 0; r < rounds; r++) for (const i of r % 2 ? [1, 0] : [0, 1]) rates[i]!.push(...ms[i]!.fitSync(X, y, { epochs: 2, batchSize: 128 }).samplesPerSec);
  probes.push(peakProbe(backend).best);
  const p = Math.max(...probes);
  const pct = (x: number) => (x * 1.007e-3 / p * 100).toFixed(1);
  rates.forEach((rs, i) => console.log(`${binary} ${i ? 'fused   ' : 'separate'}: best ${Math.round(Math.max(...rs))} (${pct(Math.max(...rs))} %) median ${Math.round(median(rs))} (${pct(median(rs))} %)  probe ${p.toFixed(1)}`));
  console.log(`${binary} fused/separate: best ${(Math.max(...rates[1]!) / Math.max(...rates[0]!)).toFixed(3)} median ${(median(rates[1]!) / median(rates[0]!)).toFixed(3)}`);
  const w = ms.map((m) => m.getWeights()[0]!.W);
  console.log(`${binary} weights identical: ${w[0]!.every((x: number, i: number) => x === w[1]![i])}`);
}
