// Side-by-side benchmark of simdnet against the libraries users would pick instead.
//   npm run bench:peers                 full run (~10–15 min on 2 cores)
//   npm run bench:peers -- --quick      smoke run (smaller subsets, fewer runs), written to $TMPDIR/simdnet-peers/
//   npm run bench:peers -- --only tfjs-wasm,pytorch    rerun some systems, keep the others' last rows
// Installs bench/peers' own dependencies when missing (peers never become simdnet dependencies),
// runs every system in its own process (each prints `@@row` lines, see common.mjs), then writes
// bench/results.json and bench/RESULTS.md (report.mjs).

import { spawn, spawnSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureSizes } from './sizes.mjs';
import { writeReport } from './report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1].split(',') : undefined;
const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const TS = ['--import', './bench/ts-loader.mjs'];
const log = (s) => process.stderr.write(s + '\n');

if (!existsSync(join(HERE, 'node_modules', '@tensorflow', 'tfjs'))) {
  log('installing bench/peers dependencies (npm ci --prefix bench/peers)…');
  const r = spawnSync('npm', ['ci', '--prefix', HERE, '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) log('npm ci failed: the peers that did not install will report their import error');
}

const q = quick ? ['--quick'] : [];
const ALL = 'gemm,train,accuracy,inference';
const onnxPath = join(tmpdir(), 'simdnet-peers', 'mlp.onnx');

/** One process per (system, threads). `expects` lists the workloads a crash is charged to. */
const jobs = [
  { system: 'simdnet-wasm-relaxed', threads: 1, cmd: 'node', argv: [...TS, 'bench/peers/simdnet.ts', '--binary', 'relaxed', ...q] },
  { system: 'simdnet-wasm-simd', threads: 1, cmd: 'node', argv: [...TS, 'bench/peers/simdnet.ts', '--binary', 'simd', ...q, '--workloads', 'gemm,train,inference'] },
  { system: 'simdnet-wasm-relaxed', threads: 2, cmd: 'node', argv: [...TS, 'bench/peers/simdnet.ts', '--binary', 'relaxed', '--threads', '2', ...q, '--workloads', 'gemm,train,inference'] },
  { system: 'simdnet-wasm-simd', threads: 2, cmd: 'node', argv: [...TS, 'bench/peers/simdnet.ts', '--binary', 'simd', '--threads', '2', ...q, '--workloads', 'train'] },
  { system: 'simdnet-ts', threads: 1, cmd: 'node', argv: [...TS, 'bench/peers/simdnet.ts', '--binary', 'js', ...q, '--workloads', 'gemm,train,inference'] },
  { system: 'tfjs-wasm', threads: 1, cmd: 'node', argv: ['bench/peers/tfjs.mjs', '--backend', 'wasm', ...q] },
  { system: 'tfjs-cpu', threads: 1, cmd: 'node', argv: ['bench/peers/tfjs.mjs', '--backend', 'cpu', ...q] },
  { system: 'onnxruntime-web', threads: 1, cmd: 'node', argv: ['bench/peers/ort.mjs', '--threads', '1', '--model', onnxPath, ...q, '--workloads', 'inference'] },
  { system: 'onnxruntime-web', threads: 2, cmd: 'node', argv: ['bench/peers/ort.mjs', '--threads', '2', '--model', onnxPath, ...q, '--workloads', 'inference'] },
  { system: 'pytorch', threads: 1, cmd: PY, argv: ['bench/peers/pytorch.py', '--threads', '1', ...q], env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } },
  { system: 'pytorch', threads: 2, cmd: PY, argv: ['bench/peers/pytorch.py', '--threads', '2', ...q, '--workloads', 'gemm,train,inference'], env: { OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' } },
  { system: 'brain.js', threads: 1, cmd: 'node', argv: ['bench/peers/brain.mjs', ...q] },
  { system: 'synaptic', threads: 1, cmd: 'node', argv: ['bench/peers/synaptic.mjs', ...q] },
];

const COLD = [
  { system: 'simdnet-wasm-relaxed', cmd: 'node', argv: ['bench/peers/cold-simdnet.mjs', '--binary', 'relaxed'] },
  { system: 'simdnet-wasm-simd', cmd: 'node', argv: ['bench/peers/cold-simdnet.mjs', '--binary', 'simd'] },
  { system: 'simdnet-ts', cmd: 'node', argv: ['bench/peers/cold-simdnet.mjs', '--binary', 'js'] },
  { system: 'tfjs-wasm', cmd: 'node', argv: ['bench/peers/tfjs.mjs', '--backend', 'wasm', '--cold-start'] },
  { system: 'tfjs-cpu', cmd: 'node', argv: ['bench/peers/tfjs.mjs', '--backend', 'cpu', '--cold-start'] },
  { system: 'onnxruntime-web', cmd: 'node', argv: ['bench/peers/ort.mjs', '--cold-start', '--model', onnxPath] },
  { system: 'pytorch', cmd: PY, argv: ['bench/peers/pytorch.py', '--cold-start'], env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } },
  { system: 'brain.js', cmd: 'node', argv: ['bench/peers/brain.mjs', '--cold-start'] },
  { system: 'synaptic', cmd: 'node', argv: ['bench/peers/synaptic.mjs', '--cold-start'] },
];

const selected = (system) => !only || only.some((o) => system === o || system.startsWith(o));

/** Runs a child; resolves with its rows, its stderr tail, exit status and wall time. */
function runChild({ cmd, argv, env }, timeoutMs) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const stat0 = procStat();
    let child;
    try {
      child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ rows: [], stderr: String(err), code: -1, ms: 0 });
      return;
    }
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { err += `\ntimed out after ${timeoutMs / 1000} s`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { err += `\n${e.message}`; });
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      const rows = out.split('\n').filter((l) => l.startsWith('@@row ')).map((l) => JSON.parse(l.slice(6)));
      const cpu = out.split('\n').filter((l) => l.startsWith('@@cpu ')).map((l) => JSON.parse(l.slice(6)).seconds)[0];
      const stat1 = procStat();
      // Cores other work kept busy while the child ran: machine busy time minus the child's own.
      const others = stat0 && stat1 && cpu !== undefined ? Math.max(0, ((stat1.busy - stat0.busy) / 100 - cpu) / (ms / 1000)) : null;
      resolve({ rows, stderr: err, code, ms, others: others === null ? null : +others.toFixed(2) });
    });
  });
}

const lastLine = (s) => s.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at ') && !/^\^+$/.test(l)).slice(-1)[0] ?? '';
const errorLine = (s) => s.split('\n').map((l) => l.trim()).find((l) => /Error|error:|Traceback|timed out|No module/.test(l)) ?? lastLine(s);

const started = performance.now();
/** Machine-wide CPU jiffies (USER_HZ = 100 per core-second): busy and total. */
function procStat() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((x, y) => x + y, 0);
    return { busy: total - f[3] - f[4], total };
  } catch { return null; }
}
const rawRows = [];

// PyTorch exports the ONNX model that onnxruntime-web runs; ort.mjs hand-encodes one otherwise.
mkdirSync(dirname(onnxPath), { recursive: true });
if (selected('onnxruntime-web')) {
  const r = await runChild({ cmd: PY, argv: ['bench/peers/pytorch.py', '--export-onnx', onnxPath] }, 120_000);
  log(existsSync(onnxPath) && r.code === 0 ? `ONNX model exported by PyTorch → ${onnxPath}` : `no PyTorch export (${errorLine(r.stderr) || 'exit ' + r.code}); ort.mjs encodes the graph itself`);
  if (r.code !== 0 && existsSync(onnxPath)) execSync(`rm -f ${JSON.stringify(onnxPath)}`);
}

for (const job of jobs) {
  if (!selected(job.system)) continue;
  log(`▶ ${job.system} (${job.threads} thread${job.threads > 1 ? 's' : ''})…`);
  const r = await runChild(job, (quick ? 4 : 8) * 60_000);
  rawRows.push(...r.rows.map((x) => ({ ...x, load: r.others })));
  const workloads = (job.argv.includes('--workloads') ? job.argv[job.argv.indexOf('--workloads') + 1] : ALL).split(',');
  const prefix = { gemm: 'gemm', train: 'train', accuracy: 'accuracy', inference: 'infer' };
  if (r.code !== 0 || r.rows.length === 0) {
    const msg = errorLine(r.stderr) || `exit code ${r.code}`;
    for (const w of workloads) {
      if (!r.rows.some((x) => x.workload.startsWith(prefix[w]))) {
        const names = { gemm: ['gemm'], train: ['train-sgd'], accuracy: ['accuracy-adam'], inference: ['infer-b1024', 'infer-b1'] }[w] ?? [w];
        for (const name of names) rawRows.push({ workload: name, system: job.system, threads: job.threads, metric: '', error: `process failed: ${msg}`.slice(0, 300) });
      }
    }
  }
  log(`  ${r.rows.length} rows in ${(r.ms / 1000).toFixed(1)} s, other work meanwhile ${r.others ?? '?'} cores${r.code ? `, exit ${r.code}: ${errorLine(r.stderr)}` : ''}`);
}

const coldRuns = quick ? 3 : 5;
for (const c of COLD) {
  if (!selected(c.system)) continue;
  log(`▶ cold start ${c.system}…`);
  const inProcess = [];
  const wall = [];
  let error;
  let note;
  const n = c.system === 'synaptic' ? Math.min(2, coldRuns) : coldRuns; // ~20 s per synaptic start
  const loads = [];
  for (let i = 0; i < n; i++) {
    const r = await runChild(c, 120_000);
    const row = r.rows.find((x) => x.workload === 'cold-start');
    if (!row || row.error) { error = row?.error ?? `process failed: ${errorLine(r.stderr) || 'exit ' + r.code}`; break; }
    inProcess.push(...row.values);
    if (r.others !== null) loads.push(r.others);
    wall.push(r.ms);
    note = row.note;
  }
  const base = { system: c.system, threads: 1 };
  const load = loads.length ? Math.max(...loads) : null;
  if (error) {
    rawRows.push({ ...base, workload: 'cold-start', metric: 'ms import→first prediction', error });
  } else {
    rawRows.push({ ...base, workload: 'cold-start', metric: 'ms import→first prediction', values: inProcess, note, load });
    rawRows.push({ ...base, workload: 'cold-start-process', metric: 'ms spawn→exit (whole process)', values: wall, note: c.cmd === PY ? 'python3 interpreter' : 'node', load });
  }
}

log('▶ package and bundle sizes…');
rawRows.push(...(await measureSizes(ROOT, HERE)));

const median = (a) => { const s = [...a].sort((x, y) => x - y); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };
let merged = rawRows;
const prevPath = join(quick ? dirname(onnxPath) : join(ROOT, 'bench'), 'results.json');
if (only && existsSync(prevPath)) {
  // --only reruns some systems: keep the other systems' rows of the last results.json.
  try {
    const prev = JSON.parse(readFileSync(prevPath, 'utf8'));
    if (!!prev.meta?.quick === quick) {
      const kept = prev.rows.filter((r) => !selected(r.system) && !r.workload.startsWith('size-')).map(({ median, min, max, runs, ...r }) => r);
      merged = [...kept, ...rawRows];
      log(`kept ${kept.length} rows of other systems from the previous results.json`);
    }
  } catch (e) { log(`previous results.json unreadable (${e.message}): writing only this run`); }
}
const ORDER = ['simdnet-wasm-relaxed', 'simdnet-wasm-simd', 'simdnet-ts', 'simdnet', 'tfjs-wasm', 'tfjs-cpu', 'tfjs (wasm + cpu)', 'onnxruntime-web', 'pytorch', 'brain.js', 'synaptic'];
const rank = (r) => { const i = ORDER.indexOf(r.system); return (i < 0 ? ORDER.length : i) * 10 + (r.threads ?? 1); };
merged = merged.map((r, i) => [r, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([r]) => r);
const rows = merged.map(({ values, ...r }) => (values && values.length
  ? { workload: r.workload, system: r.system, threads: r.threads, metric: r.metric, median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length, ...r, values }
  : { workload: r.workload, system: r.system, threads: r.threads, metric: r.metric, median: null, min: null, max: null, runs: 0, ...r }));

const meta = collectMeta();
meta.wallSeconds = Math.round((performance.now() - started) / 1000);
if (only) meta.rerun = `systems rerun with --only ${only.join(',')} (others from the previous run)`;
// A quick run is a smoke test: it leaves the committed full results alone.
const outDir = quick ? dirname(onnxPath) : join(ROOT, 'bench');
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ meta, rows }, null, 2) + '\n');
writeReport(join(outDir, 'RESULTS.md'), meta, rows);
log(`wrote ${join(outDir, 'results.json')} and ${join(outDir, 'RESULTS.md')} (${rows.length} rows, ${meta.wallSeconds} s)`);

function collectMeta() {
  const pkg = (p) => { try { return JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')).version; } catch { return 'not installed'; } };
  const nm = join(HERE, 'node_modules');
  const sh = (c) => { try { return execSync(c, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return ''; } };
  const lscpu = sh('lscpu');
  const field = (name) => (new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(lscpu)?.[1] ?? '').trim();
  const torch = sh(`${PY} -c "import torch; print(torch.__version__)"`) || 'not installed';
  const blas = sh('readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3');
  const dataSource = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz') ? 'Fashion-MNIST (/usr/share/datasets/fashion-mnist)' : 'synthetic, Fashion-MNIST-shaped (dataset not installed)';
  return {
    date: new Date().toISOString(),
    quick,
    cpu: field('Model name') || cpus()[0]?.model,
    cores: cpus().length,
    coresDetail: `${field('Core\\(s\\) per socket') || '?'} cores/socket × ${field('Socket\\(s\\)') || '?'} socket, ${field('Thread\\(s\\) per core') || '?'} thread/core`,
    flags: ['avx2', 'avx512f', 'fma'].filter((f) => new RegExp(`\\b${f}\\b`).test(field('Flags'))).join(' '),
    node: process.versions.node,
    v8: process.versions.v8,
    simdnet: `${pkg(ROOT)} (${sh('git rev-parse --short HEAD')}${sh('git status --porcelain -- src assembly') ? ', with uncommitted changes in the tree' : ''})`,
    versions: {
      '@tensorflow/tfjs': pkg(join(nm, '@tensorflow/tfjs')),
      '@tensorflow/tfjs-backend-wasm': pkg(join(nm, '@tensorflow/tfjs-backend-wasm')),
      'onnxruntime-web': pkg(join(nm, 'onnxruntime-web')),
      'brain.js': pkg(join(nm, 'brain.js')),
      synaptic: pkg(join(nm, 'synaptic')),
      torch,
      python: sh(`${PY} --version`).replace('Python ', ''),
      blas: blas.includes('openblas') ? `OpenBLAS (${blas})` : blas.endsWith('/blas/libblas.so.3') ? `reference netlib BLAS (${blas})` : blas || 'unknown',
    },
    data: dataSource,
    load: sh('cat /proc/loadavg'),
  };
}
