// Browser build (esbuild): the library bundle with its binaries beside it, the worker entry, a
// single-file variant with everything inlined, and the demo page. Prints raw and gzip sizes.
//
//   node --import ./bench/ts-loader.mjs src/web/build.mjs [outDir]      (npm run build:web; default
//   dist/; writes <outDir>/browser and <outDir>/web)
//
// dist/browser/
//   simdnet.js            ESM library; finds its binaries through static
//                         `new URL('./<name>.wasm', import.meta.url)` literals (bundlers see them);
//                         the digits data set is fetched on demand (./digits.txt, preloadDigits())
//   simdnet.worker.js     module worker used by trainInWorker()
//   simdnet.inline.js     one file: the single-threaded binaries (base64) and the digits data inlined
//   simdnet.inline.worker.js
//   <name>.wasm           every binary the table (src/wasm/binaries.ts) marks `browser`
//   simdnet.interop.js    ONNX and TensorFlow.js Layers import/export (simdnet/interop); imports ./simdnet.js
//   simdnet.checkpoint.js checkpoints: fit({ checkpoint, resumeFrom }), IndexedDB, downloads
//                         (simdnet/checkpoint); imports ./simdnet.js and installs itself there
// dist/web/               the demo page (index.html, app.js, style.css); app.js imports ../browser/simdnet.js

import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BINARIES, BINARY_NAMES } from '../wasm/binaries.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
/** Binaries beside the bundle, and those inlined in simdnet.inline.js: read off the table. */
const BROWSER_BINARIES = BINARY_NAMES.filter((n) => BINARIES[n].browser);
const INLINE_BINARIES = BINARY_NAMES.filter((n) => BINARIES[n].inline);
/** bundle + baseline binary, gzip -9. 100 KB until 2026-12-02; raised to 120 KB so that lifecycle guards,
 *  thread-pool fault handling and browser checkpoints live in every page instead of being split out
 *  (docs/browser.md). The teaching tools and Node-only code stay out of simdnet.js. */
export const BUDGET_GZIP = 120 * 1024;

const binariesTable = resolve(root, 'src/wasm/binaries.ts');
const URL_LITERAL = /new URL\('\.\.\/\.\.\/build\/([\w-]+)\.wasm', import\.meta\.url\)/g;

/**
 * The table's URLs as the bundle needs them: `new URL('./<name>.wasm', import.meta.url)` for a binary
 * beside the bundle, `null` for one this bundle inlines or does not ship (so no bundler copies it).
 */
function binaryUrlsPlugin(bundle) {
  return {
    name: 'simdnet-binary-urls',
    setup(b) {
      b.onLoad({ filter: /[\\/]wasm[\\/]binaries\.ts$/ }, (args) => {
        if (resolve(args.path) !== binariesTable) return undefined;
        const seen = [];
        const contents = readFileSync(args.path, 'utf8').replace(URL_LITERAL, (_, name) => {
          seen.push(name);
          const beside = BINARIES[name].browser && !(bundle === 'inline' && BINARIES[name].inline);
          return beside ? `new URL('./${name}.wasm', import.meta.url)` : 'null';
        });
        if (seen.join() !== BINARY_NAMES.join()) throw new Error(`src/wasm/binaries.ts: expected one URL literal per binary (${BINARY_NAMES.join(', ')}), found ${seen.join(', ')}`);
        return { contents, loader: 'ts' };
      });
    },
  };
}

const lazyDigits = resolve(here, 'digits-lazy.ts');

/** Swaps the embedded digits module for a stub that fetches digits.txt on demand. */
const lazyDigitsPlugin = {
  name: 'simdnet-lazy-digits',
  setup(b) {
    b.onResolve({ filter: /[\\/]digits\.js$/ }, (args) => (
      args.importer.endsWith(join('data', 'datasets', 'index.ts')) ? { path: lazyDigits } : undefined
    ));
  },
};

/** Node-only modules have a browser twin beside them (src/io/atomic.ts → atomic-browser.ts): the
 *  same exports, each saying that a browser has no file system, at a fraction of the size. */
const nodeOnlyPlugin = {
  name: 'simdnet-node-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/(io\/)?atomic\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return target === resolve(root, 'src/io/atomic.ts') ? { path: resolve(root, 'src/io/atomic-browser.ts') } : undefined;
    });
  },
};

/** The main bundle (simdnet.js, its worker) takes src/nn/inspect-browser.ts for the inspection modules
 *  (trace, statistics, unroll/reshape, the float64 twin, logSoftmax/softmaxJacobian, gradientCheck): the same exports, each saying
 *  where the tool is, so simdnet.js keeps its budget; the inline bundle keeps them. */
const INSPECTION = ['nn/trace', 'nn/statistics', 'nn/unroll', 'nn/twin', 'nn/softmax', 'train/gradcheck'].map((m) => resolve(root, `src/${m}.ts`));
const inspectionStubPlugin = {
  name: 'simdnet-inspection-stub',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/(nn\/|train\/)?(trace|statistics|unroll|twin|softmax|gradcheck)\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return INSPECTION.includes(target) ? { path: resolve(root, 'src/nn/inspect-browser.ts') } : undefined;
    });
  },
};

/** Checkpoints stay out of the library bundles (their budget): src/index.ts's import of
 *  train/checkpoint.js takes its twin checkpoint-browser.ts; simdnet/checkpoint has the real one. */
const checkpointApartPlugin = {
  name: 'simdnet-checkpoint-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/train\/checkpoint\.js$/ }, (args) => (
      resolve(args.importer) === resolve(root, 'src/index.ts') ? { path: resolve(root, 'src/train/checkpoint-browser.ts') } : undefined
    ));
  },
};

/** simdnet.interop.js takes the library from the bundle beside it (src/interop/lib.ts is its one
 *  door to the library), so both share one Sequential class and one set of error types. */
const interopExternalPlugin = {
  name: 'simdnet-interop-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/lib\.js$/ }, (args) => (
      dirname(args.importer).endsWith(join('src', 'interop')) ? { path: './simdnet.js', external: true } : undefined
    ));
  },
};

/** simdnet.checkpoint.js takes the modules with identity or state from the bundle beside it: the
 *  error classes (instanceof holds) and the fit loop's door (checkpoint-hooks.ts, where the
 *  implementation installs itself). The rest (the format, the checks) is its own. */
const CHECKPOINT_SHARED = ['src/errors.ts', 'src/train/checkpoint-hooks.ts'].map((m) => resolve(root, m));
const checkpointExternalPlugin = {
  name: 'simdnet-checkpoint-external',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*(errors|checkpoint-hooks)\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return CHECKPOINT_SHARED.includes(target) ? { path: './simdnet.js', external: true } : undefined;
    });
  },
};

/** The page imports the library from the built bundle, not from source. */
const pageExternalPlugin = {
  name: 'simdnet-page-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/browser\.js$/ }, () => ({ path: '../browser/simdnet.js', external: true }));
  },
};

function digitsText() {
  const src = readFileSync(join(root, 'src/data/datasets/digits.ts'), 'utf8');
  const m = /DIGITS_PACKED = `([^`]*)`/.exec(src);
  if (!m) throw new Error('src/data/datasets/digits.ts: DIGITS_PACKED not found');
  return m[1].replace(/\r\n/g, '\n');
}

function common(define, plugins = []) {
  return {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define,
    plugins: [nodeOnlyPlugin, checkpointApartPlugin, ...plugins],
  };
}

function size(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Builds everything into outDir; returns the size table. */
export async function buildWeb({ outDir = join(root, 'dist'), quiet = false } = {}) {
  const browserDir = join(outDir, 'browser');
  const webDir = join(outDir, 'web');
  mkdirSync(browserDir, { recursive: true });
  mkdirSync(webDir, { recursive: true });
  for (const name of BROWSER_BINARIES) {
    const from = fileURLToPath(BINARIES[name].url());
    if (!existsSync(from)) throw new Error(`${relative(root, from)} is missing: run \`npm run build:wasm\` first`);
    copyFileSync(from, join(browserDir, `${name}.wasm`));
  }
  const digits = digitsText();
  writeFileSync(join(browserDir, 'digits.txt'), digits);

  const main = { __SIMDNET_BUNDLE__: '"main"' };
  const inline = {
    __SIMDNET_BUNDLE__: '"inline"',
    __SIMDNET_DIGITS_EMBEDDED__: 'true',
    __SIMDNET_WASM_INLINE__: JSON.stringify(Object.fromEntries(
      INLINE_BINARIES.map((n) => [n, readFileSync(fileURLToPath(BINARIES[n].url())).toString('base64')]),
    )),
  };
  const mainPlugins = [lazyDigitsPlugin, inspectionStubPlugin, binaryUrlsPlugin('main')];
  const [library] = await Promise.all([
    build({ ...common(main, mainPlugins), entryPoints: [join(here, 'browser.ts')], outfile: join(browserDir, 'simdnet.js'), metafile: true }),
    build({ ...common(main, mainPlugins), entryPoints: [join(here, 'worker.ts')], outfile: join(browserDir, 'simdnet.worker.js') }),
    build({ ...common(inline, [binaryUrlsPlugin('inline')]), entryPoints: [join(here, 'browser.ts')], outfile: join(browserDir, 'simdnet.inline.js') }),
    build({ ...common(inline, [lazyDigitsPlugin, binaryUrlsPlugin('inline')]), entryPoints: [join(here, 'worker.ts')], outfile: join(browserDir, 'simdnet.inline.worker.js') }),
    build({ ...common({}, [pageExternalPlugin]), entryPoints: [join(here, 'app.ts')], outfile: join(webDir, 'app.js') }),
    build({ ...common({}, [interopExternalPlugin]), entryPoints: [join(root, 'src/interop/index.ts')], outfile: join(browserDir, 'simdnet.interop.js') }),
    build({ ...common({}, [checkpointExternalPlugin]), entryPoints: [join(root, 'src/checkpoint/index.ts')], outfile: join(browserDir, 'simdnet.checkpoint.js') }),
  ]);
  copyFileSync(join(here, 'index.html'), join(webDir, 'index.html'));
  copyFileSync(join(here, 'style.css'), join(webDir, 'style.css'));

  // Imports left in the bundle (a Node built-in would be one): there must be none.
  const imports = Object.values(library.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  const files = ['simdnet.js', ...BROWSER_BINARIES.map((n) => `${n}.wasm`), 'simdnet.worker.js', 'digits.txt', 'simdnet.inline.js', 'simdnet.inline.worker.js', 'simdnet.interop.js', 'simdnet.checkpoint.js'];
  const sizes = Object.fromEntries(files.map((f) => [f, size(join(browserDir, f))]));
  sizes['web/app.js'] = size(join(webDir, 'app.js'));
  const budget = sizes['simdnet.js'].gzip + sizes['simd.wasm'].gzip;
  if (!quiet) {
    const rows = Object.entries(sizes).map(([f, s]) => `  ${f.padEnd(26)} ${kb(s.raw).padStart(10)} ${kb(s.gzip).padStart(10)}`);
    console.log(`browser build → ${relative(process.cwd(), outDir) || '.'}/browser, /web\n  ${'file'.padEnd(26)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)}\n${rows.join('\n')}`);
    console.log(`  simdnet.js + simd.wasm: ${kb(budget)} gzip (budget ${kb(BUDGET_GZIP)}${budget <= BUDGET_GZIP ? '' : ' — OVER BUDGET'})`);
  }
  if (budget > BUDGET_GZIP) throw new Error(`browser bundle over budget: simdnet.js + simd.wasm = ${kb(budget)} gzip > ${kb(BUDGET_GZIP)}`);
  if (imports.length) throw new Error(`simdnet.js must be self-contained, but imports ${imports.join(', ')}`);
  return { sizes, budget, imports };
}

const invoked = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  buildWeb({ outDir: out }).catch((e) => {
    console.error(e.message ?? e);
    process.exit(1);
  });
}
