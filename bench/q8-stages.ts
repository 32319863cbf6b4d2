// int8 inference stages on 784-256-128-10 at batch 1024: predict() end to end and each kernel call
// alone (input quantization, the three GEMMs), per binary. Not a test; figures: best and median.
// Reads the model's private runtime (buffers, layer specs) to call the kernels as predict() does.
//   node --import ./bench/ts-loader.mjs bench/q8-stages.ts [reps] [relaxed,simd]
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--experimental-wasm-relaxed-simd');
const { createBackendSync, dense, Sequential } = await import('../src/index.js');
const { quantize } = await import('../src/interop/index.js');

const reps = Number(process.argv[2] ?? 30);
console.log(`int8 stages — Node ${process.versions.node}, V8 ${process.versions.v8}; 784-256-128-10, batch 1024, ${reps} timed runs each (after 5)`);
const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
let s = 7;
const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
const X = { data: Float32Array.from({ length: 1024 * 784 }, () => r()), rows: 1024, cols: 784 };
for (const binary of (process.argv[3] ?? 'relaxed,simd').split(',')) {
  const backend = createBackendSync({ binary: binary as 'relaxed' | 'simd' });
  const model = new Sequential({ inputSize: 784, seed: 1, backend, layers: [dense(256, { activation: 'relu' }), dense(128, { activation: 'relu' }), dense(10, { activation: 'softmax' })] }).compile();
  const q = quantize(model, { calibration: { data: X.data.subarray(0, 500 * 784), rows: 500, cols: 784 } });
  const time = (f: () => void) => { for (let i = 0; i < 5; i++) f(); const t: number[] = []; for (let i = 0; i < reps; i++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); } return t; };
  const show = (name: string, t: number[], macs?: number) => console.log(`${binary.padEnd(8)} ${name.padEnd(22)} best ${Math.min(...t).toFixed(3)} ms  median ${median(t).toFixed(3)} ms${macs ? `  (${(macs / Math.min(...t) / 1e6).toFixed(1)} GMAC/s best)` : ''}`);
  const pt = time(() => q.predict(X));
  show('predict', pt);
  console.log(`${binary.padEnd(8)} predict samples/s       best ${Math.round(1024 / Math.min(...pt) * 1000)}  median ${Math.round(1024 / median(pt) * 1000)}`);
  const f32t = time(() => model.predict(X));
  console.log(`${binary.padEnd(8)} f32 predict samples/s   best ${Math.round(1024 / Math.min(...f32t) * 1000)}  median ${Math.round(1024 / median(f32t) * 1000)}`);
  // the stages, on the model's own buffers
  const qq = q as any;
  const k = backend.k as any;
  const rts = qq.rts;
  show('stage (copy+quantize)', time(() => qq.stage(X, 0, 1024)));
  show('forward (GEMMs)', time(() => qq.forward(1024)));
  show('input copy', time(() => backend.arena.views.f32.set(X.data, qq.inPtr >>> 2)));
  show('quantize_rows', time(() => k.q8_quantize_rows(qq.inPtr, rts[0].qPtr, 1024, 784, Math.fround(1 / rts[0].spec.inputScale), rts[0].spec.inputZeroPoint)));
  for (let i = 0; i < rts.length; i++) {
    const rt = rts[i], L = rt.spec, next = rts[i + 1];
    const out = rt.fused ? next.qPtr : rt.zPtr;
    const flags = rt.fused ? 5 : 0;
    show(`gemm ${L.inSize}x${L.units}`, time(() => k.q8_gemm_nt(rt.qPtr, rt.wPtr, rt.corrPtr, rt.scalePtr, rt.biasPtr, out, 1024, L.units, L.inSize, flags, next ? Math.fround(1 / next.spec.inputScale) : 1, next ? next.spec.inputZeroPoint : 0)), 1024 * L.inSize * L.units);
  }
  q.dispose(); model.dispose();
}
