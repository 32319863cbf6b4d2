// Run in a fresh process (`node --import ./bench/ts-loader.mjs test/helpers/heap-probe.ts <js|simd>`):
// prints the JS heap bytes allocated per training step, measured as the growth per epoch at two
// epoch lengths (per-epoch work cancels out). Epochs during which a garbage collection ran are
// discarded; the smallest clean delta of each length is used. argv[3]: more compile options as JSON.
import { PerformanceObserver } from 'node:perf_hooks';
import { adam, batchNorm, createBackendSync, dense, dropout, Sequential } from '../../src/index.js';

const backend = createBackendSync(process.argv[2] === 'js' ? { backend: 'js' } : { binary: 'simd' });
const model = new Sequential({ inputSize: 8, seed: 1, backend, layers: [dense(16, { activation: 'relu' }), dropout(0.2), batchNorm(), dense(8, { activation: 'tanh' }), dense(3, { activation: 'softmax' })] })
  .compile({ optimizer: adam({ learningRate: 1e-3, clipNorm: 5 }), l2: 1e-4, ...(process.argv[3] ? JSON.parse(process.argv[3]) : {}) });

const gcTimes: number[] = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcTimes.push(e.startTime); }).observe({ entryTypes: ['gc'] });

async function perEpoch(steps: number): Promise<number> {
  let s = steps;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const n = 16 * steps;
  const X = { data: Float32Array.from({ length: n * 8 }, r), rows: n, cols: 8 };
  const y = Int32Array.from({ length: n }, () => Math.floor(r() * 3));
  const marks: { t: number; heap: number }[] = [];
  model.fitSync(X, y, { epochs: 12, batchSize: 16, callbacks: { onEpochEnd: () => { marks.push({ t: performance.now(), heap: process.memoryUsage().heapUsed }); } } });
  await new Promise((res) => setTimeout(res, 20));
  const clean: number[] = [];
  for (let e = 4; e < marks.length; e++) {
    const a = marks[e - 1]!, b = marks[e]!;
    if (!gcTimes.some((t) => t >= a.t && t <= b.t)) clean.push(b.heap - a.heap);
  }
  return clean.length ? Math.min(...clean) : NaN;
}

for (let w = 0; w < (process.argv[2] === "js" ? 3 : 1); w++) await perEpoch(300); // warm-up (the TS kernels take longer to reach optimized code)
const short = await perEpoch(100);
const long = await perEpoch(700);
console.log(JSON.stringify({ bytesPerStep: (long - short) / 600, short, long }));
