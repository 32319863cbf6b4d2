// Epoch A/B of a threaded-backend setting inside one fit: the epochs alternate A B B A ... (so slow
// drifts of a shared host hit both sides), A and B differing in one tuning knob set by --knob:
//   pair: GEMM pairs (ThreadTuning.gemmPairMinFlops: A = never, B = the default)
//   spin: A = the workers' default poll before they sleep (200 µs), B = --spin (1000) µs
//   tnpieces / ntpieces: A = the default, B = f32_gemm_tn / f32_gemm_nt in --pieces (4) pieces per thread
//   node --import ./bench/ts-loader.mjs bench/ab-threads.ts [--knob pair] [--rows 20000] [--epochs 24] [--threads 2]
// Fashion-MNIST 784-256-128-10 ReLU/softmax, SGD lr 0.1, batch 128, relaxed binary. Prints samples/s
// median / best per side and B/A. Not a test: nothing asserts a timing.
import { setFlagsFromString } from 'node:v8';
// @ts-ignore plain ESM helper shared with the peer runners
import * as C from './peers/common.mjs';
import { median } from './probe.js';
import type { ThreadedKernels } from '../src/threads/kernels.js';
setFlagsFromString('--experimental-wasm-relaxed-simd');
const lib = await import('../src/index.js');
const { createBackendSync, dense, Sequential, sgd } = lib;
const rows = Number(C.argValue('--rows', '20000'));
const epochs = Number(C.argValue('--epochs', '24'));
const threads = Number(C.argValue('--threads', '2'));
const knob = C.argValue('--knob', 'pair');
const b = createBackendSync({ binary: 'relaxed', threads } as never);
const k = b.k as unknown as ThreadedKernels;
const defaults = { ...k.tuning };
const defaultSpin = k.pool.spin;
const set = (side: 'A' | 'B'): void => {
  if (knob === 'pair') k.tuning.gemmPairMinFlops = side === 'A' ? Infinity : defaults.gemmPairMinFlops;
  else if (knob === 'spin') k.pool.spin = side === 'A' ? defaultSpin : Number(C.argValue('--spin', '1000'));
  else if (knob === 'tnpieces' || knob === 'ntpieces') {
    const name = knob === 'tnpieces' ? 'f32_gemm_tn' : 'f32_gemm_nt';
    k.tuning.gemmPieces = side === 'A' ? { ...defaults.gemmPieces } : { ...defaults.gemmPieces, [name]: Number(C.argValue('--pieces', '4')) };
  } else throw new Error(`unknown --knob ${knob}`);
};
const data = C.loadData();
const [X, y] = C.subset(data.Xtr, data.ytr, rows);
const model = new Sequential({ inputSize: 784, seed: 1, backend: b, layers: [dense(256, { activation: 'relu' }), dense(128, { activation: 'relu' }), dense(10, { activation: 'softmax' })] })
  .compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
const order = Array.from({ length: epochs + 1 }, (_, e) => (e === 0 ? 'A' : ((e - 1) % 4 === 0 || (e - 1) % 4 === 3) ? 'A' : 'B') as 'A' | 'B');
set(order[0]!);
let seen = -1;
const h = model.fitSync(X, y, { epochs: epochs + 1, batchSize: 128, callbacks: { onEpochEnd: (e: number) => { seen = e; set(order[e + 1] ?? "A"); return true; } } } as never);
if (seen !== epochs) throw new Error(`epochs counted from 0 expected, last ${seen}`);
const side = { A: [] as number[], B: [] as number[] };
h.samplesPerSec.forEach((r: number, e: number) => { if (e > 0) side[order[e]!].push(r); });
const t = new Date().toISOString().slice(11, 19);
const pool = k.pool;
console.log(`${t} UTC knob ${knob}, ${threads} threads, ${rows} rows × ${epochs} epochs, backoffs ${pool?.backoffs ?? 0}`);
for (const s of ['A', 'B'] as const) console.log(`  ${s}: median ${Math.round(median(side[s]))} best ${Math.round(Math.max(...side[s]))}`);
console.log(`  B/A median ${(median(side.B) / median(side.A)).toFixed(3)} best ${(Math.max(...side.B) / Math.max(...side.A)).toFixed(3)}`);
process.exit(0);
