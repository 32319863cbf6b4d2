// Read + parse + encode alone, on a generated file (bench/stream/generate.mjs): passes of
// TableDataset over it, rows/s best and median, for the byte path (a file path: bytes) and the
// text path (the same file as UTF-8 string chunks), interleaved in one process. The pipeline is
// fitted once (one streaming pass) and kept next to the file. Rates per second of wall time, and
// per second of the process's CPU time (all its threads: zlib, fs reads), which a shared machine
// disturbs less.
// Usage: node --import ./bench/ts-loader.mjs bench/stream/parse.mjs FILE [--passes N] [--only bytes|text]
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ColumnPipeline, CsvStream, fitStream, Target, TableDataset } from '../../src/index.ts';

const args = process.argv.slice(2);
const file = args[0];
const passes = args.includes('--passes') ? Number(args[args.indexOf('--passes') + 1]) : 3;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const fitted = `${file}.pipeline.json`;
if (!existsSync(fitted)) {
  const fit = await fitStream(new CsvStream(file), { label: 'label' });
  writeFileSync(fitted, JSON.stringify({ pipeline: fit.pipeline.toJSON(), target: fit.target.toJSON() }));
}
const saved = JSON.parse(readFileSync(fitted, 'utf8'));
const pipeline = ColumnPipeline.fromJSON(saved.pipeline);
const target = Target.fromJSON(saved.target);
const sources = {
  bytes: () => new CsvStream(file),
  text: () => new CsvStream(() => createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })),
};
const rates = { bytes: [], text: [] };
const cpuRates = { bytes: [], text: [] };
let check;
for (let p = 0; p < passes; p++) {
  for (const kind of ['bytes', 'text']) {
    if (only && kind !== only) continue;
    const ds = new TableDataset(sources[kind](), pipeline, target, { batchSize: 32, seed: 1 });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    let sum = 0;
    for await (const b of ds) { n += b.X.rows; sum += b.X.data[0] + b.y[0]; }
    rates[kind].push(n / ((performance.now() - t0) / 1000));
    const c = process.cpuUsage(c0);
    cpuRates[kind].push(n / ((c.user + c.system) / 1e6));
    check ??= n;
    if (n !== check) throw new Error(`${kind}: ${n} rows, expected ${check}`);
  }
}
const fmt = (r) => { const s = r.slice().sort((a, b) => a - b); return `best ${Math.round(s.at(-1)).toLocaleString('en-US')}, median ${Math.round(s[Math.floor(s.length / 2)]).toLocaleString('en-US')} rows/s`; };
console.log(`${file}: ${check.toLocaleString('en-US')} rows, ${pipeline.width} features · Node ${process.versions.node}, V8 ${process.versions.v8} · ${passes} passes each`);
for (const kind of ['bytes', 'text']) if (rates[kind].length) console.log(`  ${kind.padEnd(5)}: ${fmt(rates[kind])} (per second of this process's CPU time: ${fmt(cpuRates[kind])})`);
