// What a fit's epoch costs beyond its kernels (issue 18): one epoch of fitSync on a backend whose kernel
// table records every call (function and arguments), then that call list replayed on the raw kernels
// in a plain loop (the same kernels on the same buffers, in the same order, the same batch indices), and
// the real fitSync epoch (history.time) alternating with the replay. fit − replay is everything the fit does
// in JS: the loop, the layers' calls, the shuffle, countCorrect, the per-epoch copies' JS, the history.
// Beside it, the JS pieces alone (the shuffle of the epoch, countCorrect's target scan per step).
//   node --import ./bench/ts-loader.mjs bench/fit-overhead.ts [--binary relaxed] [--rows 60000] [--rounds 5]
// Not a test: nothing here asserts a timing.

import { setFlagsFromString } from 'node:v8';
import { median, peakProbe } from './probe.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const args = process.argv.slice(2);
const arg = (n: string) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const binary = (arg('--binary') ?? 'relaxed') as 'relaxed' | 'simd';
const rows = Number(arg('--rows') ?? 60000);
const rounds = Number(arg('--rounds') ?? 5);
const B = 128;

const lib = await import('../src/index.js');
const { Rng } = await import('../src/rng.js');
const DIR = '/usr/share/datasets/fashion-mnist';
const images = lib.readIdxImages(`${DIR}/train-images-idx3-ubyte.gz`, { normalize: true });
const labels = lib.readIdxLabels(`${DIR}/train-labels-idx1-ubyte.gz`);
const X = { data: images.data.subarray(0, rows * 784), rows, cols: 784 };
const y = labels.subarray(0, rows);
const steps = Math.ceil(rows / B);

const backend = lib.createBackendSync({ binary, threads: 1 } as never);
type Fn = (...a: number[]) => unknown;
const make = (b: typeof backend) => new lib.Sequential({ inputSize: 784, seed: 1, backend: b, layers: [lib.dense(256, { activation: 'relu' }), lib.dense(128, { activation: 'relu' }), lib.dense(10, { activation: 'softmax' })] })
  .compile({ loss: 'categoricalCrossentropy', optimizer: lib.sgd({ learningRate: 0.1 }) });

const calls: { f: Fn; a: number[]; name: string }[] = [];
const k = backend.k as unknown as Record<string, unknown>;
const wrapped: Record<string, unknown> = {};
for (const name of Object.keys(k)) {
  const f = k[name];
  if (typeof f !== 'function' || !name.startsWith('f32_')) { wrapped[name] = f; continue; }
  wrapped[name] = (...a: number[]) => { calls.push({ f: f as Fn, a, name }); return (f as Fn)(...a); };
}
const recBackend = { ...backend, k: wrapped } as unknown as typeof backend;

const model = make(backend);
model.fitSync(X, y, { epochs: 1, batchSize: B }); // warm-up, buffers of the plain model
const rec = make(recBackend);
rec.fitSync(X, y, { epochs: 1, batchSize: B }); // warm-up of the recording model's buffers
calls.length = 0;
rec.fitSync(X, y, { epochs: 1, batchSize: B });
const list = calls.slice();
const byName = new Map<string, number>();
for (const c of list) byName.set(c.name, (byName.get(c.name) ?? 0) + 1);

const replay = () => {
  const t0 = performance.now();
  for (let i = 0; i < list.length; i++) { const c = list[i]!; c.f.apply(null, c.a); }
  return performance.now() - t0;
};
// Per step of the replay: where each step's calls start (its X gather), so the last, partial batch and the per-epoch
// calls (before the first step, after the last) are timed apart.
const starts: number[] = [];
list.forEach((c, i) => { if (c.name === 'f32_gather_rows' && c.a[4] === 784) starts.push(i); });
let lastArgmax = list.length - 1;
while (lastArgmax > 0 && list[lastArgmax]!.name !== 'f32_argmax_rows') lastArgmax--;
const stepTimes = { full: [] as number[], last: [] as number[], epoch: [] as number[] };
const replaySteps = () => {
  const per: number[] = [];
  let t = performance.now();
  const t0 = t;
  for (let i = 0; i < starts[0]!; i++) { const c = list[i]!; c.f.apply(null, c.a); }
  let outside = performance.now() - t;
  for (let s = 0; s < starts.length; s++) {
    t = performance.now();
    const end = s + 1 < starts.length ? starts[s + 1]! : list.length;
    let i = starts[s]!;
    // the last step's calls end at its argmax (the accuracy count); what follows is the epoch's end
    const stop = s + 1 < starts.length ? end : lastArgmax + 1;
    for (; i < stop; i++) { const c = list[i]!; c.f.apply(null, c.a); }
    per.push(performance.now() - t);
    t = performance.now();
    for (; i < end; i++) { const c = list[i]!; c.f.apply(null, c.a); }
    outside += performance.now() - t;
  }
  stepTimes.full.push(median(per.slice(0, -1)));
  stepTimes.last.push(per[per.length - 1]!);
  stepTimes.epoch.push(outside);
  return performance.now() - t0;
};
const fit = () => model.fitSync(X, y, { epochs: 1, batchSize: B }).time[0]! * 1000;
const shuffle = () => {
  const perm = new Int32Array(rows).map((_, i) => i);
  const rng = new Rng(1);
  const t0 = performance.now();
  rng.shuffle(perm);
  return performance.now() - t0;
};
// The same fit with every kernel a no-op (sizes still answered): what is left is the fit's JS alone.
const nullBackend = lib.createBackendSync({ binary, threads: 1 } as never);
const nk = nullBackend.k as unknown as Record<string, unknown>;
const nullK: Record<string, unknown> = {};
for (const name of Object.keys(nk)) {
  const f = nk[name];
  nullK[name] = typeof f === 'function' && name.startsWith('f32_') && !name.endsWith('_bytes') ? () => 0 : f;
}
const nullModel = make({ ...nullBackend, k: nullK } as unknown as typeof backend);
const nullFit = () => nullModel.fitSync(X, y, { epochs: 1, batchSize: B }).time[0]! * 1000;
nullFit();
replay(); shuffle();
const probe0 = peakProbe(backend).best;
const res = { fit: [] as number[], replay: [] as number[], shuffle: [] as number[], 'js only': [] as number[] };
for (let r = 0; r < rounds; r++) {
  if (r % 2) { res.replay.push(replay()); res.fit.push(fit()); } else { res.fit.push(fit()); res.replay.push(replay()); }
  res.shuffle.push(shuffle());
  replaySteps();
  for (let j = 0; j < 3; j++) res['js only'].push(nullFit());
}
const probe = Math.max(probe0, peakProbe(backend).best);
const us = (ms: number) => (ms * 1000 / steps).toFixed(1).padStart(7);
console.log(`Node ${process.versions.node}, ${binary}, ${rows} rows = ${steps} steps of ≤ ${B}; ${rounds} rounds; probe ${probe.toFixed(1)} GFLOPS; ${new Date().toISOString()}`);
console.log(`kernel calls per epoch: ${list.length} (${[...byName].map(([n, c]) => `${n.replace(/^f32_/, '')} ${c}`).join(', ')})`);
console.log('µs per step (epoch ÷ steps): best / median');
for (const [key, xs] of Object.entries(res)) console.log(`  ${key.padEnd(8)} ${us(Math.min(...xs))} ${us(median(xs))}`);
const d = res.fit.map((f, i) => f - res.replay[i]!);
console.log(`  fit − replay (same round) ${us(Math.min(...d))} best ${us(median(d))} median`);
const pct = (ms: number) => (rows / (ms / 1000) * 1.007e-3 / probe * 100).toFixed(1);
console.log(`  fit ${pct(Math.min(...res.fit))} % / ${pct(median(res.fit))} % of probe; replay ${pct(Math.min(...res.replay))} % / ${pct(median(res.replay))} %`);
const ms = (xs: number[]) => `${(Math.min(...xs) * 1000).toFixed(1)} best / ${(median(xs) * 1000).toFixed(1)} median µs`;
const lastRows = rows - (steps - 1) * B;
console.log(`replay per step (timed one by one): a full step (median of the epoch's) ${ms(stepTimes.full)}; the last step (${lastRows} rows) ${ms(stepTimes.last)}`
  + ` = ${(Math.min(...stepTimes.last) / Math.min(...stepTimes.full) * 100).toFixed(1)} % of a full step's time for ${(lastRows / B * 100).toFixed(1)} % of its rows; per-epoch kernels ${ms(stepTimes.epoch)}`);
