// Per-call trace of the 2-thread training step: every split call's op, the caller's own share
// (launch → finish), its wait in finish, and the caller-only gap before it (the worker idles).
import { setFlagsFromString } from 'node:v8';
// @ts-ignore plain ESM helper
import * as C from './peers/common.mjs';
setFlagsFromString('--experimental-wasm-relaxed-simd');
const lib = await import('../src/index.js');
const { createBackendSync, dense, Sequential, sgd } = lib;
const threads = Number(C.argValue('--threads', '2'));
const b = createBackendSync({ binary: 'relaxed', threads } as never);
const pool = (b.k as unknown as { pool: any }).pool;
const names: string[] = pool.names;
const stats = new Map<string, { n: number; own: number; wait: number; gap: number }>();
const hist = new Float64Array(6), histUs = new Float64Array(6);
let tEnd = 0, tL = 0, curOp = '', calls = 0;
const origPrepare = pool.prepare.bind(pool), origLaunch = pool.launch.bind(pool), origFinish = pool.finish.bind(pool);
let tPrep = 0;
pool.prepare = (op: number, argc: number) => { tPrep = performance.now(); curOp = names[op] ?? String(op); origPrepare(op, argc); };
pool.launch = (...a: number[]) => { tL = performance.now(); origLaunch(...a); };
pool.finish = () => {
  const t0 = performance.now();
  try { origFinish(); } finally {
    const t1 = performance.now();
    let e = stats.get(curOp); if (!e) stats.set(curOp, e = { n: 0, own: 0, wait: 0, gap: 0 });
    const w = (t1 - t0) * 1000; hist[w < 5 ? 0 : w < 20 ? 1 : w < 50 ? 2 : w < 100 ? 3 : w < 300 ? 4 : 5]++; histUs[w < 5 ? 0 : w < 20 ? 1 : w < 50 ? 2 : w < 100 ? 3 : w < 300 ? 4 : 5] += w;
    e.n++; e.own += t0 - tL; e.wait += t1 - t0; if (tEnd) e.gap += tPrep - tEnd; tEnd = t1; calls++;
  }
};
const serial = new Map<string, { n: number; ms: number }>();
let depth = 0;
const K = b.k as unknown as Record<string, (...a: number[]) => unknown>;
for (const name of Object.keys(K)) {
  const f = K[name];
  if (typeof f !== 'function' || !name.startsWith('f32_') || name === 'f32_gemm_work_bytes') continue;
  K[name] = (...a: number[]) => {
    const c0 = calls, t0 = performance.now();
    depth++;
    try { return f(...a); } finally {
      depth--;
      if (calls === c0 && depth === 0) { const dt = performance.now() - t0; let e = serial.get(name); if (!e) serial.set(name, e = { n: 0, ms: 0 }); e.n++; e.ms += dt; }
    }
  };
}
const data = C.loadData();
const [X, y] = C.subset(data.Xtr, data.ytr, 60000);
const model = new Sequential({ inputSize: 784, seed: 1, backend: b, layers: [dense(256, { activation: 'relu' }), dense(128, { activation: 'relu' }), dense(10, { activation: 'softmax' })] })
  .compile({ loss: 'categoricalCrossentropy', optimizer: sgd({ learningRate: 0.1 }) });
model.fitSync(X, y, { epochs: 1, batchSize: 128 });
stats.clear(); serial.clear(); hist.fill(0); histUs.fill(0); calls = 0; tEnd = 0;
const h = model.fitSync(X, y, { epochs: 3, batchSize: 128 });
const steps = 3 * Math.ceil(60000 / 128);
console.log('samples/s', h.samplesPerSec.map(Math.round).join(' '), 'backoffs', pool.backoffs, 'calls/step', (calls / steps).toFixed(2));
let tot = 0;
for (const [op, e] of stats) { tot += (e.own + e.wait + e.gap); console.log(op.padEnd(22), (e.n / steps).toFixed(2).padStart(5), 'own', (1000 * e.own / steps).toFixed(1).padStart(7), 'wait', (1000 * e.wait / steps).toFixed(1).padStart(6), 'gap before', (1000 * e.gap / steps).toFixed(1).padStart(6), 'us/step'); }
let ser = 0; for (const [op, e] of serial) { ser += e.ms; console.log('  serial', op.padEnd(24), (e.n / steps).toFixed(2), (1000 * e.ms / steps).toFixed(1), 'us/step'); }
console.log('serial kernels us/step', (1000 * ser / steps).toFixed(1));
console.log('wait histogram <5 <20 <50 <100 <300 >=300 us: calls/step', Array.from(hist, (h) => (h / steps).toFixed(2)).join(' '), ' us/step', Array.from(histUs, (h) => (h / steps).toFixed(1)).join(' '));
console.log('step us', (1e6 * 128 / (h.samplesPerSec.reduce((a: number, b: number) => a + b) / 3)).toFixed(0), 'traced', (1000 * tot / steps).toFixed(0));
process.exit(0);
