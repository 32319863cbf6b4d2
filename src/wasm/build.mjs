// Builds every binary of the table (src/wasm/binaries.ts) from assembly/index.ts: one asc run per
// row, with the options every binary shares from asconfig.json and the row's own from the table.
//
//   node --import ./bench/ts-loader.mjs src/wasm/build.mjs [name ...]     (npm run build:wasm)

import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARIES, BINARY_NAMES } from './binaries.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The row's asc flags: features, shared memory, and release or debug settings. */
export function ascFlags(name) {
  const b = BINARIES[name];
  const out = relative(root, fileURLToPath(b.url()));
  const flags = ['assembly/index.ts', '--config', 'asconfig.json', '--outFile', out, '--enable', b.features.join(',')];
  if (b.sharedMaxPages) flags.push('--sharedMemory', '--maximumMemory', String(b.sharedMaxPages));
  if (b.debug) flags.push('--optimizeLevel', '0', '--debug');
  else flags.push('--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert', '--uncheckedBehavior', 'always', '--converge');
  return flags;
}

export async function buildWasm(names = BINARY_NAMES) {
  mkdirSync(join(root, 'build'), { recursive: true });
  for (const name of names) {
    if (!Object.hasOwn(BINARIES, name)) throw new Error(`unknown binary ${JSON.stringify(name)}; the table has ${BINARY_NAMES.join(', ')}`);
    const { error, stderr } = await asc.main(ascFlags(name), { stdout: process.stdout, stderr: process.stderr, cwd: root });
    if (error) throw new Error(`asc failed on ${name}.wasm: ${error.message}\n${stderr.toString()}`);
  }
}

const invoked = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  buildWasm(process.argv.length > 2 ? process.argv.slice(2) : undefined).catch((e) => {
    console.error(e.message ?? e);
    process.exit(1);
  });
}
