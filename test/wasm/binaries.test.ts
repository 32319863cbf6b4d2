// The binary table (src/wasm/binaries.ts) against what the build made: every row's file exists at
// its URL and has the row's features (read from the bytes: the memory import's flags, relaxed SIMD
// opcodes, the debug name section), and no other list of binaries is left in the build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_MAX_PAGES } from '../../src/backend.js';
import { BINARIES, BINARY_NAMES, binarySpec } from '../../src/wasm/binaries.js';
import { ascFlags } from '../../src/wasm/build.mjs';
import { defaultBinaryUrl } from '../../src/wasm/load.js';
import { ROOT } from '../cli/run.js';

interface Section { id: number; name?: string; body: Uint8Array }

function leb(bytes: Uint8Array, at: { i: number }): number {
  let v = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at.i++]!;
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return v;
  }
}

/** The module's sections, by the binary format (magic, version, then id + size + body). */
function sections(bytes: Uint8Array): Section[] {
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const out: Section[] = [];
  const at = { i: 8 };
  while (at.i < bytes.length) {
    const id = bytes[at.i++]!;
    const size = leb(bytes, at);
    const body = bytes.subarray(at.i, at.i + size);
    at.i += size;
    if (id === 0) {
      const n = { i: 0 };
      const len = leb(body, n);
      out.push({ id, name: new TextDecoder().decode(body.subarray(n.i, n.i + len)), body });
    } else out.push({ id, body });
  }
  return out;
}

/** The imported memory's limits: flags (bit 0: has a maximum, bit 1: shared), minimum, maximum. */
function memoryImport(bytes: Uint8Array, functionImports: string[] = []): { module: string; field: string; shared: boolean; max?: number } {
  const imports = sections(bytes).find((s) => s.id === 2)!;
  const b = imports.body;
  const at = { i: 0 };
  const count = leb(b, at);
  const text = () => { const len = leb(b, at); const s = new TextDecoder().decode(b.subarray(at.i, at.i + len)); at.i += len; return s; };
  for (let k = 0; k < count; k++) {
    const module = text();
    const field = text();
    const kind = b[at.i++]!;
    if (kind === 0) { leb(b, at); functionImports.push(`${module}.${field}`); continue; } // the debug binary's env.abort
    if (kind !== 2) throw new Error(`unexpected import kind ${kind} (${module}.${field})`);
    const flags = b[at.i++]!;
    leb(b, at);
    const max = flags & 1 ? leb(b, at) : undefined;
    return { module, field, shared: (flags & 2) !== 0, ...(max !== undefined ? { max } : {}) };
  }
  throw new Error('no memory import');
}

/** f32x4.relaxed_madd is 0xfd 0x105 (LEB128: fd 85 02). */
function hasRelaxedMadd(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).indexOf(Buffer.from([0xfd, 0x85, 0x02])) >= 0;
}

describe('the binary table', () => {
  it.each(BINARY_NAMES)('%s.wasm at its URL has the features its row states', (name) => {
    const spec = BINARIES[name];
    const url = spec.url();
    expect(url.href).toBe(new URL(`build/${name}.wasm`, `file://${ROOT}`).href);
    expect(defaultBinaryUrl(name).href).toBe(url.href);
    const bytes = readFileSync(fileURLToPath(url));
    const functions: string[] = [];
    const memory = memoryImport(bytes, functions);
    expect(memory).toEqual({ module: 'env', field: 'memory', shared: 'sharedMaxPages' in spec, ...('sharedMaxPages' in spec ? { max: spec.sharedMaxPages } : {}) });
    // Only the debug binary has entry checks (assembly/checks.ts), so only it imports abort.
    expect(functions).toEqual(spec.debug ? ['env.abort'] : []);
    expect(hasRelaxedMadd(bytes)).toBe((spec.features as readonly string[]).includes('relaxed-simd'));
    expect(sections(bytes).some((s) => s.name === 'name')).toBe(spec.debug);
    expect(WebAssembly.validate(bytes) || (spec.features as readonly string[]).includes('relaxed-simd')).toBe(true);
  });

  it('threaded twins are shared-memory rows with the same SIMD flavour; the backend reserves their maximum', () => {
    for (const name of BINARY_NAMES) {
      const spec: { threaded?: string; features: readonly string[] } = BINARIES[name];
      if (!spec.threaded) continue;
      const twin = binarySpec(spec.threaded)!;
      expect(twin.sharedMaxPages).toBe(SHARED_MAX_PAGES);
      expect(twin.features.filter((f) => f !== 'threads')).toEqual(spec.features);
    }
    expect(binarySpec('toString')).toBeUndefined();
    expect(binarySpec('__proto__')).toBeUndefined();
  });

  it('is the only list: asconfig.json has no targets, build:wasm runs the table, asc gets each row\'s flags', () => {
    const asconfig = JSON.parse(readFileSync(join(ROOT, 'asconfig.json'), 'utf8')) as Record<string, unknown>;
    expect(asconfig.targets).toBeUndefined();
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build:wasm']).toBe('node --import ./bench/ts-loader.mjs src/wasm/build.mjs');
    expect(ascFlags('threads-relaxed')).toEqual(['assembly/index.ts', '--config', 'asconfig.json', '--outFile', 'build/threads-relaxed.wasm',
      '--enable', 'simd,relaxed-simd,threads', '--sharedMemory', '--maximumMemory', '32768',
      '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert', '--uncheckedBehavior', 'always', '--converge']);
    expect(ascFlags('debug')).toEqual(['assembly/index.ts', '--config', 'asconfig.json', '--outFile', 'build/debug.wasm', '--enable', 'simd', '--optimizeLevel', '0', '--debug']);
  });
});
