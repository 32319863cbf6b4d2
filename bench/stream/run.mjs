// The larger-than-memory benchmark: generates a CSV of BYTES bytes (default 2 GB; kept in the temp
// dir between runs), then measures, each in its own process:
//   1. read + parse + encode only: one pass of TableDataset over the file (rows/s);
//   2. training only: the same MLP on in-memory batches of the same width (samples/s);
//   3. `simdnet train big.csv --stream` end to end: its own figures and the process's peak RSS
//      (from /proc/self/status VmHWM, read by the child at exit).
// Run under the exclusive CPU lock: flock -x /work/.cpu.lock node bench/stream/run.mjs [bytes] [--batch N]
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const bytes = Number(args.find((a) => /^\d/.test(a)) ?? 2e9);
const batch = args.includes('--batch') ? Number(args[args.indexOf('--batch') + 1]) : 32;
const file = join(tmpdir(), `simdnet-stream-${bytes}.csv`);
if (!existsSync(file) || Math.abs(statSync(file).size - bytes) > 1e6) {
  const g = spawnSync(process.execPath, [join(ROOT, 'bench/stream/generate.mjs'), file, String(bytes)], { stdio: 'inherit' });
  if (g.status !== 0) process.exit(1);
}
const loader = ['--import', join(ROOT, 'bench/ts-loader.mjs')];
const peak = "import { readFileSync } from 'node:fs'; process.on('exit', () => { const m = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8')); process.stderr.write('PEAK_RSS_KB ' + m[1] + '\\n'); });";

function node(code, extra = []) {
  const r = spawnSync(process.execPath, [...loader, ...extra, '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
  return r.stdout;
}

console.log(`file ${file}: ${(statSync(file).size / 1e9).toFixed(2)} GB · Node ${process.versions.node}, V8 ${process.versions.v8} · batch ${batch}`);

// 1. parse + encode only (--parse-pass; else the width comes from a quick look and the rate from the CLI run)
const parsePass = args.includes('--parse-pass');
const parse = JSON.parse(node(parsePass ? `
import { CsvStream, fitStream, TableDataset } from './src/index.ts';
const s = new CsvStream(${JSON.stringify(file)});
const t0 = performance.now();
const fit = await fitStream(s, { label: 'label' });
const t1 = performance.now();
const ds = new TableDataset(s, fit.pipeline, fit.target, { batchSize: ${batch} });
let n = 0;
for await (const b of ds) n += b.X.rows;
const t2 = performance.now();
console.log(JSON.stringify({ rows: n, width: fit.pipeline.width, statsRowsPerSec: n / ((t1 - t0) / 1000), encodeRowsPerSec: n / ((t2 - t1) / 1000) }));
` : `
import { ColumnPipeline, readTable } from './src/index.ts';
import { openSync, readSync } from 'node:fs';
const buf = Buffer.alloc(2e6); readSync(openSync(${JSON.stringify(file)}), buf, 0, buf.length, 0);
const head = buf.toString('utf8');
const t = (await import('./src/index.ts')).parseTable(head.slice(0, head.lastIndexOf('\\n')));
console.log(JSON.stringify({ width: ColumnPipeline.fit(t, { label: 'label' }).width }));
`));
if (parsePass) console.log(`1. fit the pipeline (one pass): ${Math.round(parse.statsRowsPerSec).toLocaleString('en-US')} rows/s; read+parse+encode a pass: ${Math.round(parse.encodeRowsPerSec).toLocaleString('en-US')} rows/s (${parse.rows.toLocaleString('en-US')} rows, ${parse.width} features)`);

// 2. training only, same width, in-memory batches
const train = JSON.parse(node(`
import { Sequential, dense, ready, defaultBackend } from './src/index.ts';
import { peakProbe, better } from './bench/probe.ts';
const info = await ready();
const probe0 = peakProbe(defaultBackend(), 5);
const w = ${parse.width}, n = 200000;
const X = new Float32Array(n * w); let s = 1; for (let i = 0; i < X.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; X[i] = s / 2 ** 32 - 0.5; }
const y = Int32Array.from({ length: n }, (_, i) => (X[i * w] > 0 ? 1 : 0) + (X[i * w + 1] > 0.2 ? 1 : 0));
const net = new Sequential({ inputSize: w, seed: 1, layers: [dense(64, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
net.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
net.fitSync({ data: X, rows: n, cols: w }, y, { epochs: 1, batchSize: ${batch} });
const h = net.fitSync({ data: X, rows: n, cols: w }, y, { epochs: 3, batchSize: ${batch} });
const probe = better(probe0, peakProbe(defaultBackend(), 5));
console.log(JSON.stringify({ samplesPerSec: Math.max(...h.samplesPerSec), median: h.samplesPerSec.slice().sort((a, b) => a - b)[1], binary: info.binary, peak: probe }));
`, ['--experimental-wasm-relaxed-simd']));
console.log(`2. training only (mlp ${parse.width}-64-3, adam, batch ${batch}, ${train.binary} binary, peak probe best ${train.peak.best.toFixed(1)} / median ${train.peak.median.toFixed(1)} GFLOPS): best ${Math.round(train.samplesPerSec).toLocaleString('en-US')}, median ${Math.round(train.median).toLocaleString('en-US')} samples/s`);
if (parsePass) console.log(`   parse+encode ÷ training = ${(parse.encodeRowsPerSec / train.samplesPerSec).toFixed(2)} (≥ 0.5: parsing is not the bottleneck by more than 2×)`);

// 3. the CLI end to end
const r = spawnSync(process.execPath, [...loader, '--import', 'data:text/javascript,' + encodeURIComponent(peak), join(ROOT, 'src/cli/main.ts'), 'train', file, '--label', 'label', '--stream', '--epochs', '1', '--batch-size', String(batch), '--validation-split', '0', '--json', '--out', join(tmpdir(), 'simdnet-stream-model.json')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
const sum = JSON.parse(r.stdout.trim().split('\n').at(-1));
const rss = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
console.log(`   reading+encoding in the CLI run ÷ training only = ${(sum.readRowsPerSec / train.samplesPerSec).toFixed(2)} (≥ 0.5: parsing is not the bottleneck by more than 2×)`);
console.log(`3. simdnet train --stream (1 epoch): test accuracy ${(100 * sum.accuracy).toFixed(2)}% on ${sum.samples.toLocaleString('en-US')} rows · pipeline pass ${sum.fitPipelineSeconds.toFixed(1)} s · epoch ${Math.round(sum.samplesPerSec).toLocaleString('en-US')} samples/s overall (reading+encoding ${Math.round(sum.readRowsPerSec).toLocaleString('en-US')} rows/s, steps ${Math.round(sum.stepSamplesPerSec).toLocaleString('en-US')} samples/s) · test pass ${sum.testSeconds.toFixed(1)} s · peak RSS ${rss.toFixed(0)} MB · backend ${sum.backend}, binary ${sum.binary}`);
