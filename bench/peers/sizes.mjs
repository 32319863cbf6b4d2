// Package and bundle size of each system, as rows for run.mjs:
//  - size-install: bytes on disk of the package and its dependency closure in node_modules
//    (simdnet: dist/*.js + the simd and relaxed binaries, what its `files` ships minus typings);
//  - size-bundle: a minified ESM browser bundle (esbuild, from simdnet's devDependencies) of the
//    import a user writes to build and run the MLP, plus the .wasm files that path fetches.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function dirBytes(p, filter = () => true) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (st.isFile()) return filter(p) ? st.size : 0;
  let sum = 0;
  for (const e of readdirSync(p)) if (e !== 'node_modules') sum += dirBytes(join(p, e), filter);
  return sum;
}

/** The package plus its (flat, npm-hoisted) dependency closure. */
function closureBytes(nm, name, seen = new Set()) {
  if (seen.has(name)) return 0;
  seen.add(name);
  const dir = join(nm, name);
  if (!existsSync(join(dir, 'package.json'))) return 0;
  const deps = Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {});
  return dirBytes(dir) + deps.reduce((s, d) => s + closureBytes(nm, d, seen), 0);
}

export async function measureSizes(root, here) {
  const nm = join(here, 'node_modules');
  const rows = [];
  const row = (workload, system, metric, value, note) => rows.push({ workload, system, threads: 1, metric, values: [value], note });
  const err = (workload, system, metric, e) => rows.push({ workload, system, threads: 1, metric, error: String(e?.message ?? e).split('\n')[0].slice(0, 300) });

  const simdnetJs = dirBytes(join(root, 'dist'), (f) => f.endsWith('.js') && !f.includes(`${'/'}browser${'/'}`));
  const simdnetWasm = dirBytes(join(root, 'build', 'simd.wasm')) + dirBytes(join(root, 'build', 'relaxed.wasm'));
  if (simdnetJs) row('size-install', 'simdnet', 'bytes', simdnetJs + simdnetWasm, `dist/**/*.js (no typings, no browser bundle) ${simdnetJs} + simd/relaxed.wasm ${simdnetWasm}`);
  else err('size-install', 'simdnet', 'bytes', 'dist/ not built: npm run build');
  const installs = {
    'tfjs (wasm + cpu)': ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
    'onnxruntime-web': ['onnxruntime-web'],
    'brain.js': ['brain.js'],
    synaptic: ['synaptic'],
  };
  for (const [system, pkgs] of Object.entries(installs)) {
    const seen = new Set();
    const bytes = pkgs.reduce((s, p) => s + closureBytes(nm, p, seen), 0);
    if (bytes) row('size-install', system, 'bytes', bytes, `${seen.size} packages: ${pkgs.join(' + ')} and dependencies`);
    else err('size-install', system, 'bytes', 'not installed');
  }

  let esbuild;
  try {
    esbuild = createRequire(join(root, 'package.json'))('esbuild');
  } catch (e) {
    for (const s of ['simdnet', 'tfjs-wasm', 'tfjs-cpu', 'onnxruntime-web', 'brain.js', 'synaptic']) err('size-bundle', s, 'bytes', `esbuild unavailable: ${e.message}`);
    return rows;
  }
  const entries = [
    { system: 'simdnet', code: `export { createBackendSync, Sequential, dense } from ${JSON.stringify(join(root, 'dist', 'index.js'))};`, wasm: [join(root, 'build', 'relaxed.wasm')], what: 'createBackendSync, Sequential, dense from dist/ + relaxed.wasm' },
    { system: 'tfjs-wasm', code: `export * from '@tensorflow/tfjs-core'; export * as layers from '@tensorflow/tfjs-layers'; export * from '@tensorflow/tfjs-backend-wasm';`, wasm: [join(nm, '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')], what: 'tfjs-core + tfjs-layers + tfjs-backend-wasm + its SIMD .wasm' },
    { system: 'tfjs-cpu', code: `export * from '@tensorflow/tfjs-core'; export * as layers from '@tensorflow/tfjs-layers'; import '@tensorflow/tfjs-backend-cpu';`, wasm: [], what: 'tfjs-core + tfjs-layers + tfjs-backend-cpu' },
    { system: 'onnxruntime-web', code: `export * from 'onnxruntime-web/wasm';`, wasm: [join(nm, 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'), join(nm, 'onnxruntime-web/dist/ort-wasm-simd-threaded.mjs')], what: 'onnxruntime-web/wasm + ort-wasm-simd-threaded.{wasm,mjs}' },
    { system: 'brain.js', code: `export { default } from 'brain.js';`, wasm: [], what: 'brain.js (with gpu.js; Node built-ins left external)' },
    { system: 'synaptic', code: `export { default } from 'synaptic';`, wasm: [], what: 'synaptic' },
  ];
  for (const e of entries) {
    try {
      const r = await esbuild.build({
        stdin: { contents: e.code, resolveDir: here, sourcefile: 'entry.mjs' },
        bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
        external: ['fs', 'path', 'os', 'crypto', 'worker_threads', 'perf_hooks', 'url', 'module', 'stream', 'events', 'util', 'buffer', 'node:*'],
        define: { 'process.env.NODE_ENV': '"production"' },
      });
      const js = r.outputFiles.reduce((s, f) => s + f.contents.length, 0);
      const wasm = e.wasm.reduce((s, f) => s + dirBytes(f), 0);
      row('size-bundle', e.system, 'bytes', js + wasm, `${e.what}: JS ${js} + binaries ${wasm}`);
    } catch (x) {
      err('size-bundle', e.system, 'bytes', x.errors?.[0]?.text ?? x);
    }
  }
  return rows;
}
