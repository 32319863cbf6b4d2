// Run in a fresh process with `node --expose-gc --import ./bench/ts-loader.mjs test/helpers/finalize-probe.ts <models>`:
// makes <models> models and drops them without dispose() (each predicted with, some compiled and
// trained, some quantized), collecting garbage now and then, and prints the arena's live bytes and
// regions before, at the peak, and after the last collection, as one JSON line.
import { createBackendSync, dense, Sequential } from '../../src/index.js';
import { quantize } from '../../src/interop/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const models = Number(process.argv[2] ?? 10000);
const backend = createBackendSync({ binary: 'simd' });
const { arena } = backend;
const X = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(i), i / 16, 1]);
const y = X.map((_, i) => i % 3);
const tick = () => new Promise((r) => setTimeout(r, 0));
const before = { live: arena.liveBytes, regions: arena.liveCount };
let peak = 0;

function drop(i: number): void {
  const m = new Sequential({ inputSize: 4, seed: i, backend, layers: [dense(8 + (i % 5), { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
  m.predict(X.slice(0, 1 + (i % 16)));
  if (i % 10 === 0) m.compile({ optimizer: 'adam' }).fitSync(X, y, { epochs: 1, batchSize: 8 });
  if (i % 100 === 0) quantize(m, { calibration: X }).predict(X);
}

for (let i = 0; i < models; i++) {
  drop(i);
  peak = Math.max(peak, arena.liveBytes);
  if (i % 1000 === 999) { gc(); await tick(); }
}
let after = { live: arena.liveBytes, regions: arena.liveCount };
for (let tries = 0; tries < 50 && after.live !== before.live; tries++) {
  gc();
  await tick();
  after = { live: arena.liveBytes, regions: arena.liveCount };
}
console.log(JSON.stringify({ models, before, peak, after, top: arena.top, base: arena.base }));
