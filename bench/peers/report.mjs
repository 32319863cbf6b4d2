// Writes bench/RESULTS.md from the rows of run.mjs: machine and versions, a headline table of
// ratios, then one section per workload with median, spread (min–max), runs and simdnet ÷ peer.

import { writeFileSync } from 'node:fs';

const REF = 'simdnet-wasm-relaxed';
const LOWER_IS_BETTER = /latency|ms|bytes/;

const fmtInt = (x) => Math.round(x).toLocaleString('en-US');
function fmt(metric, x) {
  if (x === null || x === undefined) return '';
  if (metric === 'GFLOPS') return x.toFixed(1);
  if (metric === 'test accuracy') return `${(100 * x).toFixed(2)} %`;
  if (metric === 'bytes') return x >= 1e6 ? `${(x / 1e6).toFixed(2)} MB` : `${(x / 1e3).toFixed(1)} kB`;
  if (metric.startsWith('latency')) return x.toFixed(1);
  if (metric.startsWith('ms')) return x.toFixed(0);
  return fmtInt(x);
}
const spread = (r) => (r.runs > 1 ? `${fmt(r.metric, r.min)}–${fmt(r.metric, r.max)}` : '');
const esc = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** simdnet's row to compare `r` with: relaxed at the same thread count when it ran, else 1 thread. */
function refFor(rows, r, refSystem = REF) {
  const same = rows.find((x) => x.system === refSystem && x.workload === r.workload && x.threads === r.threads && x.median !== null);
  if (same) return { ref: same, note: '' };
  const one = rows.find((x) => x.system === refSystem && x.workload === r.workload && x.threads === 1 && x.median !== null);
  return { ref: one, note: one && r.threads !== 1 ? ' (vs 1 thread)' : '' };
}
function ratio(rows, r, refSystem = REF) {
  if (r.median === null || r.system === refSystem) return '';
  const { ref, note } = refFor(rows, r, refSystem);
  if (!ref) return '';
  const q = ref.median / r.median;
  return `${q >= 10 ? q.toFixed(0) : q >= 1 ? q.toFixed(2) : q.toFixed(3)}×${note}`;
}

function table(rows, workload, { refSystem = REF, title } = {}) {
  const rs = rows.filter((r) => r.workload === workload);
  if (!rs.length) return '';
  const metric = rs.find((r) => r.metric)?.metric ?? '';
  const better = LOWER_IS_BETTER.test(metric) ? '< 1: simdnet better' : '> 1: simdnet better';
  const lines = [
    title ? `**${title}** (${metric})\n` : '',
    `| system | threads | median | min–max | runs | simdnet ÷ this (${better}) | notes |`,
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rs) {
    const busy = r.load > 0.3 ? ` (contended: other work took ${r.load.toFixed(1)} cores during the job)` : '';
    const notes = r.error ? `**not run:** ${esc(r.error)}` : `${r.extrapolated ? '*extrapolated* — ' : ''}${esc(r.note)}${busy}`;
    lines.push(`| ${r.system} | ${r.threads} | ${r.error ? '—' : fmt(metric, r.median)} | ${spread(r)} | ${r.runs || ''} | ${ratio(rows, r, refSystem)} | ${notes} |`);
  }
  return lines.join('\n') + '\n' + caption;
}

function gemmMatrix(rows) {
  const workloads = [...new Set(rows.filter((r) => r.workload.startsWith('gemm-')).map((r) => r.workload))];
  if (!workloads.length) return '';
  const systems = [...new Set(rows.filter((r) => r.workload.startsWith('gemm')).map((r) => `${r.system}|${r.threads}`))];
  const head = `| system | threads | ${workloads.map((w) => w.replace('gemm-', '')).join(' | ')} |`;
  const sep = `|---|---:|${workloads.map(() => '---:').join('|')}|`;
  const cell = (sys, th, w, kind) => {
    const r = rows.find((x) => x.system === sys && x.threads === th && (x.workload === w || x.workload === 'gemm'));
    if (!r) return '';
    if (r.error) return kind === 'value' ? 'n/a' : '';
    return kind === 'value' ? `${fmt('GFLOPS', r.median)} (${spread(r)})` : ratio(rows, r);
  };
  const body = (kind) => systems.map((s) => { const [sys, th] = s.split('|'); return `| ${sys} | ${th} | ${workloads.map((w) => cell(sys, +th, w, kind)).join(' | ')} |`; }).join('\n');
  const errors = rows.filter((r) => r.workload.startsWith('gemm') && r.error);
  const errLines = [...new Map(errors.map((r) => [`${r.system}|${r.threads}`, `- ${r.system} (${r.threads} thread${r.threads > 1 ? 's' : ''}): ${esc(r.error)}`])).values()].join('\n');
  const notes = [...new Set(rows.filter((r) => r.workload.startsWith('gemm-') && r.note).map((r) => `- ${r.system}: ${esc(r.note)}`))].join('\n');
  const busy = [...new Set(rows.filter((r) => r.workload.startsWith('gemm-') && r.load > 0.3).map((r) => `${r.system} (${r.threads}): ${r.load.toFixed(1)} cores`))].join('; ');
  return [
    'GFLOPS = 2·m·n·k / time, median (min–max) of the timed samples; m×n×k; `nn` plain A·B, `tn` Aᵀ·B (dW), `nt` A·Bᵀ (forward).\n',
    head, sep, body('value'), caption,
    `simdnet-wasm-relaxed ÷ this (> 1: simdnet faster):\n`, head, sep, body('ratio'), caption,
    errLines ? `Not run:\n${errLines}\n` : '', notes ? `Notes:\n${notes}\n` : '', busy ? `Contended (cores other work took during the job): ${busy}.\n` : '',
  ].join('\n');
}

/** int8 inference beside the f32 path of the same binary and PyTorch f32 on one thread (same run). */
function int8Section(rows) {
  const med = (sys, w, th = 1) => rows.find((x) => x.system === sys && x.workload === w && x.threads === th && x.median !== null)?.median;
  const torch = med('pytorch', 'infer-b1024');
  const lines = ['### int8 (quantize()), batch 1024', '', '| binary | int8 samples/s | f32 samples/s | int8 ÷ f32 | int8 ÷ PyTorch f32 (1 thread) | test accuracy int8 / f32 |', '|---|---:|---:|---:|---:|---:|'];
  for (const sys of ['simdnet-wasm-relaxed', 'simdnet-wasm-simd']) {
    const q = med(sys, 'infer-int8-b1024'), f = med(sys, 'infer-b1024');
    if (q === undefined) continue;
    const qa = med(sys, 'accuracy-int8'), fa = med(sys, 'accuracy-adam');
    const acc = qa !== undefined && fa !== undefined ? `${(100 * qa).toFixed(2)} % / ${(100 * fa).toFixed(2)} %` : '';
    lines.push(`| ${sys} | ${Math.round(q).toLocaleString('en-US')} | ${f ? Math.round(f).toLocaleString('en-US') : ''} | ${f ? (q / f).toFixed(2) + '×' : ''} | ${torch ? (q / torch).toFixed(2) + '×' : ''} | ${acc} |`);
  }
  return lines.length > 4 ? lines.join('\n') + '\n' : '';
}

function headline(rows) {
  const peers = ['tfjs-wasm', 'tfjs-cpu', 'onnxruntime-web', 'pytorch', 'brain.js', 'synaptic', 'simdnet-ts'];
  const cols = [
    ['GEMM (geomean of 6)', 'gemm*'],
    ['train samples/s', 'train-sgd'],
    ['infer batch 1024', 'infer-b1024'],
    ['batch-1 latency', 'infer-b1'],
    ['cold start', 'cold-start'],
  ];
  const lines = [
    `| peer (threads) | ${cols.map((c) => c[0]).join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
  ];
  const gemmGeo = (sys, th) => {
    const rs = rows.filter((x) => x.system === sys && x.threads === th && x.workload.startsWith('gemm-') && x.median !== null);
    return rs.length ? Math.exp(rs.reduce((a, x) => a + Math.log(x.median), 0) / rs.length) : null;
  };
  const gemmRatio = (p, th) => {
    const mine = gemmGeo(p, th);
    const ref = gemmGeo(REF, th) ?? gemmGeo(REF, 1);
    if (mine === null) return 'n/a';
    if (ref === null) return '';
    const q = ref / mine;
    return `${q >= 10 ? q.toFixed(0) : q >= 1 ? q.toFixed(2) : q.toFixed(3)}×${gemmGeo(REF, th) === null && th !== 1 ? ' (vs 1 thread)' : ''}`;
  };
  const abs = (th) => cols.map(([, w]) => {
    if (w === 'gemm*') { const g = gemmGeo(REF, th); return g === null ? '' : `${g.toFixed(1)} GFLOPS`; }
    const r = rows.find((x) => x.system === REF && x.threads === th && x.workload === w && x.median !== null);
    return r ? `${fmt(r.metric, r.median)} ${r.metric === 'samples/s' || r.metric === 'GFLOPS' ? r.metric : r.metric.startsWith('latency') ? 'µs' : 'ms'}` : '';
  });
  for (const th of [1, 2]) {
    if (rows.some((x) => x.system === REF && x.threads === th && x.median !== null)) lines.push(`| *${REF} (${th}), absolute* | ${abs(th).join(' | ')} |`);
  }
  for (const p of peers) {
    for (const th of [...new Set(rows.filter((r) => r.system === p).map((r) => r.threads))].sort()) {
      const cells = cols.map(([, w]) => {
        if (w === 'gemm*') return gemmRatio(p, th);
        const r = rows.find((x) => x.system === p && x.threads === th && (x.workload === w || (w.startsWith('gemm') && x.workload === 'gemm') || (w === 'cold-start' && x.workload === w)));
        if (!r) return th > 1 && w === 'cold-start' ? '' : 'n/a';
        if (r.error) return 'n/a';
        if (LOWER_IS_BETTER.test(r.metric)) {
          const { ref } = refFor(rows, r);
          if (!ref || r.system === REF) return '';
          const q = r.median / ref.median;
          return `${q >= 10 ? q.toFixed(0) : q.toFixed(2)}×`;
        }
        const q = ratio(rows, r);
        return q && r.extrapolated ? `${q} (extrap.)` : q;
      });
      lines.push(`| ${p} (${th}) | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/** Useful FLOPs of one training sample of 784-256-128-10 (forward and dW of every layer, dX of layers 2–3). */
const TRAIN_FLOP_PER_SAMPLE = 2 * (784 * 256 + 256 * 128 + 128 * 10) * 2 + 2 * (256 * 128 + 128 * 10);

/** The peak probe of each simdnet binary in this run (best sample), in GFLOPS. */
function peaks(rows) {
  const at = (sys) => rows.find((x) => x.system === sys && x.workload === 'peak-probe' && x.median !== null)?.max;
  return { relaxed: at('simdnet-wasm-relaxed'), simd: at('simdnet-wasm-simd') };
}

function peakLine(rows) {
  const p = peaks(rows);
  if (p.relaxed === undefined && p.simd === undefined) return '';
  return `Peak probe of this run (\`f32_peak_probe\`, 128-bit, one thread): relaxed ${p.relaxed?.toFixed(1) ?? '—'} GFLOPS, simd ${p.simd?.toFixed(1) ?? '—'} GFLOPS. PyTorch uses AVX-512 on this CPU, so ratios against it are bounded by that width, not by simdnet's probe.\n`;
}

/** Issue 18's "done when", read from this run's rows. */
function targetsSection(rows) {
  const med = (sys, w, th = 1) => rows.find((x) => x.system === sys && x.workload === w && x.threads === th && x.median !== null)?.median;
  const best = (pairs) => pairs.reduce((b, [label, v]) => (v !== undefined && (b === null || v > b[1]) ? [label, v] : b), null);
  const p = peaks(rows);
  const lines = ['| target | figure | met |', '|---|---|---|'];
  const add = (what, fig, ok) => lines.push(`| ${what} | ${fig} | ${ok === undefined ? '—' : ok ? 'yes' : '**no**'} |`);
  for (const bin of ['relaxed', 'simd']) {
    const t = med(`simdnet-wasm-${bin}`, 'train-sgd');
    if (t === undefined || p[bin] === undefined) continue;
    const frac = (t * TRAIN_FLOP_PER_SAMPLE) / (p[bin] * 1e9);
    add(`${bin} one-thread training ≥ 85 % of the peak probe`, `${fmtInt(t)} samples/s × ${(TRAIN_FLOP_PER_SAMPLE / 1e6).toFixed(3)} MFLOP = ${(100 * frac).toFixed(1)} % of ${p[bin].toFixed(1)} GFLOPS`, frac >= 0.85);
  }
  const mine2 = best([['relaxed', med('simdnet-wasm-relaxed', 'train-sgd', 2)], ['simd', med('simdnet-wasm-simd', 'train-sgd', 2)]]);
  const torch = best([['1 thread', med('pytorch', 'train-sgd', 1)], ['2 threads', med('pytorch', 'train-sgd', 2)]]);
  const one = med('simdnet-wasm-relaxed', 'train-sgd', 1);
  if (mine2 && one) add('two threads ≥ 1.85× one thread (relaxed, batch 128)', `${fmtInt(med('simdnet-wasm-relaxed', 'train-sgd', 2) ?? 0)} ÷ ${fmtInt(one)} = ${((med('simdnet-wasm-relaxed', 'train-sgd', 2) ?? 0) / one).toFixed(2)}×`, (med('simdnet-wasm-relaxed', 'train-sgd', 2) ?? 0) / one >= 1.85);
  if (mine2 && torch) add('two threads ≥ 1.3× PyTorch\'s best training setting', `simdnet 2 threads (${mine2[0]}) ${fmtInt(mine2[1])} ÷ PyTorch ${torch[0]} ${fmtInt(torch[1])} = ${(mine2[1] / torch[1]).toFixed(2)}× (peak probe relaxed ${p.relaxed?.toFixed(1) ?? '—'} GFLOPS)`, mine2[1] / torch[1] >= 1.3);
  const q8 = best([['relaxed', med('simdnet-wasm-relaxed', 'infer-int8-b1024')], ['simd', med('simdnet-wasm-simd', 'infer-int8-b1024')]]);
  const tf = med('pytorch', 'infer-b1024', 1);
  if (q8 && tf) add('int8 batch-1024 inference ≥ PyTorch f32 (1 thread)', `${q8[0]} int8 ${fmtInt(q8[1])} ÷ PyTorch f32 ${fmtInt(tf)} = ${(q8[1] / tf).toFixed(2)}×`, q8[1] >= tf);
  for (const bin of ['relaxed', 'simd']) {
    const l = med(`simdnet-wasm-${bin}`, 'infer-b1');
    if (l !== undefined) add(`one sample ≤ 20 µs (${bin})`, `${l.toFixed(1)} µs`, l <= 20);
  }
  return lines.length > 2 ? `## Issue 18 targets, from this run\n\n${lines.join('\n')}\n${caption}` : '';
}

/** The one-line statement of machine and versions under every table. */
let caption = '';

export function writeReport(path, meta, rows) {
  const v = meta.versions;
  caption = `\n<sub>${meta.cpu}, ${meta.cores} cores · Node ${meta.node} / V8 ${meta.v8} · simdnet ${meta.simdnet.split(' ')[0]} · tfjs ${v['@tensorflow/tfjs']} · onnxruntime-web ${v['onnxruntime-web']} · torch ${v.torch} (${v.blas.split(' ')[0]}) · brain.js ${v['brain.js']} · synaptic ${v.synaptic}${meta.quick ? ' · quick run' : ''}</sub>\n`;
  const threadsNote = rows.some((r) => r.system.startsWith('simdnet') && r.threads > 1 && r.median !== null)
    ? 'simdnet ran with 1 and 2 kernel threads.'
    : 'simdnet multi-threaded kernels are not in this build: every simdnet figure is **single-threaded**; 2-thread peers are compared with 1-thread simdnet (marked "vs 1 thread").';
  const md = `# simdnet vs peers — results

Generated by \`npm run bench:peers${meta.quick ? ' -- --quick' : ''}\` (bench/peers/run.mjs) on ${meta.date}, ${meta.wallSeconds} s wall${meta.rerun ? ` (${meta.rerun})` : ''}.${meta.quick ? ' **Quick run: small subsets and few runs; indicative only.**' : ''}
Each system runs in its own process on the same workloads; every figure is a median of several timed runs after a warm-up, with its spread (min–max).
Ratios are **simdnet-wasm-relaxed ÷ peer** (same thread count when simdnet ran it).

## Machine and versions

- CPU: ${meta.cpu}, ${meta.cores} cores (${meta.coresDetail}); ${meta.flags}
- Node ${meta.node}, V8 ${meta.v8}; simdnet ${meta.simdnet}
- @tensorflow/tfjs ${v['@tensorflow/tfjs']}, @tensorflow/tfjs-backend-wasm ${v['@tensorflow/tfjs-backend-wasm']}, onnxruntime-web ${v['onnxruntime-web']}, brain.js ${v['brain.js']}, synaptic ${v.synaptic}
- PyTorch ${v.torch} (Debian python3-torch, Python ${v.python}), BLAS: ${v.blas}
- Data: ${meta.data}; model 784-256-128-10, ReLU hidden, softmax output, batch 128
- Load average after the run: ${meta.load}. This machine is shared: when another job competes for the 2 cores the spread widens, above all for 2-thread figures; the harness takes the machine's busy time (/proc/stat) over each job minus the job's own CPU time, and rows whose job shared the machine with more than 0.3 of a core of other work say "contended" (results.json: \`load\`, in cores).
- ${threadsNote}

## Headline: simdnet-wasm-relaxed against each peer

Throughput columns: simdnet ÷ peer (> 1: simdnet faster). Latency and cold start: peer time ÷ simdnet time (> 1: simdnet faster). n/a: the peer cannot do it (see its section).

${headline(rows)}
${caption}
${peakLine(rows)}
${targetsSection(rows)}
## 1. GEMM

${gemmMatrix(rows)}
## 2. Training throughput (SGD lr 0.1, batch 128)

Samples per second over one pass of the stated subset, after one warm-up pass. brain.js and synaptic train one sample at a time (their only mode) on a tiny subset: their samples/s are extrapolated to the full epoch and labelled so.

${table(rows, 'train-sgd')}
## 3. Accuracy after the same training (Adam 1e-3, batch 128, same epochs)

Test accuracy on the 10,000 test images after the same number of epochs over the same training rows; each library's default initialization and its own shuffling; median and spread over seeds (runs).

${table(rows, 'accuracy-adam')}
## 4. Inference

${table(rows, 'infer-b1024', { title: 'Batch 1024 throughput' })}
${table(rows, 'infer-b1', { title: 'Batch-1 latency (mean over back-to-back calls; median of repetitions)' })}
${int8Section(rows)}
## 5. Cold start and size

Cold start: a fresh process per run; "import→first prediction" is measured inside it (from before the library's import to the first output of an untrained model); "spawn→exit" is the whole process as seen from the harness (runtime start-up included).

${table(rows, 'cold-start', { title: 'Import → first prediction' })}
${table(rows, 'cold-start-process', { title: 'Process spawn → exit' })}
${table(rows, 'size-bundle', { refSystem: 'simdnet', title: 'Minified browser bundle + binaries' })}
${table(rows, 'size-install', { refSystem: 'simdnet', title: 'Installed on disk (package + dependency closure)' })}
`;
  writeFileSync(path, md.replace(/\n{3,}/g, '\n\n'));
}
