// A/B of training throughput between two checkouts in one process (issue 14's "bench:train
// unchanged within noise" check): the same workload as bench:train's throughput section
// (784-256-128-10 ReLU/softmax, SGD lr 0.1, batch 128, one thread) on the same data, timed the
// same way for both (wall clock around fitSync of one epoch), in alternating order (A B B A ...)
// so that load on a shared machine falls on both sides alike. Each checkout needs its built binaries.
//
//   node --import ./bench/ts-loader.mjs bench/ab-train.ts --a /path/to/old --b . [--rows 30000] [--rounds 8]
//
// Prints, per binary, samples/s best and median of each side and the ratio B/A of the medians.
// Not a test: nothing here asserts a timing.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { cpus } from 'node:os';
import { median } from './probe.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const args = process.argv.slice(2);
const argValue = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const roots = { A: resolve(argValue('--a') ?? '.'), B: resolve(argValue('--b') ?? '.') };
const rows = Number(argValue('--rows') ?? 30000);
const rounds = Number(argValue('--rounds') ?? 8);

type Lib = typeof import('../src/index.js');
const libs = {
  A: (await import(pathToFileURL(`${roots.A}/src/index.ts`).href)) as Lib,
  B: (await import(pathToFileURL(`${roots.B}/src/index.ts`).href)) as Lib,
};

const DIR = '/usr/share/datasets/fashion-mnist';
if (!existsSync(`${DIR}/train-images-idx3-ubyte.gz`)) throw new Error(`${DIR} is needed (Fashion-MNIST)`);
const images = libs.B.readIdxImages(`${DIR}/train-images-idx3-ubyte.gz`, { normalize: true });
const labels = libs.B.readIdxLabels(`${DIR}/train-labels-idx1-ubyte.gz`);
const X = { data: images.data.subarray(0, rows * 784), rows, cols: 784 };
const y = labels.subarray(0, rows);

console.log(`A/B training throughput — Node ${process.versions.node}, V8 ${process.versions.v8}, ${cpus()[0]?.model ?? 'cpu'}, 1 thread`);
console.log(`A = ${roots.A}\nB = ${roots.B}\nFashion-MNIST ${rows} rows, 784-256-128-10 ReLU/softmax, SGD lr 0.1, batch 128; ${rounds} epochs per side per binary, order A B B A ...\n`);

for (const binary of ['relaxed', 'simd'] as const) {
  const models = Object.fromEntries((['A', 'B'] as const).map((side) => {
    const lib = libs[side];
    const backend = lib.createBackendSync({ binary, threads: 1 } as never);
    const m = new lib.Sequential({ inputSize: 784, seed: 1, backend, layers: [lib.dense(256, { activation: 'relu' }), lib.dense(128, { activation: 'relu' }), lib.dense(10, { activation: 'softmax' })] })
      .compile({ loss: 'categoricalCrossentropy', optimizer: lib.sgd({ learningRate: 0.1 }) });
    m.fitSync(X, y, { epochs: 1, batchSize: 128 }); // warm-up (JIT, memory growth)
    console.log(`${binary.padEnd(8)} ${side}: backend binary ${(backend as { binary?: string }).binary}`);
    return [side, m];
  })) as Record<'A' | 'B', InstanceType<Lib['Sequential']>>;
  const rates: Record<'A' | 'B', number[]> = { A: [], B: [] };
  for (let r = 0; r < rounds; r++) {
    const order: ('A' | 'B')[] = r % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    for (const side of order) {
      const t0 = performance.now();
      models[side].fitSync(X, y, { epochs: 1, batchSize: 128 });
      rates[side].push(rows / ((performance.now() - t0) / 1000));
    }
  }
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(7);
  for (const side of ['A', 'B'] as const) {
    console.log(`${binary.padEnd(8)} ${side}: ${fmt(median(rates[side]))} samples/s median, ${fmt(Math.max(...rates[side]))} best   (all: ${rates[side].map((x) => Math.round(x)).join(' ')})`);
  }
  console.log(`${binary.padEnd(8)} B/A: ${(median(rates.B) / median(rates.A)).toFixed(3)} median, ${(Math.max(...rates.B) / Math.max(...rates.A)).toFixed(3)} best\n`);
  models.A.dispose();
  models.B.dispose();
}
