// Things written once, read from the sources: the process.getBuiltinModule probe (src/host.ts),
// argmax in TS (src/data/matrix.ts), a row's maximum in AssemblyScript (assembly/eltwise/rows.ts
// maxOf: rowMax and reduce's copy were merged), the GEMM flags by name (GEMM_RELU, GEMM_ACCUMULATE,
// GEMM_OVERWRITE; never `flags & 1` or a literal flag argument), and the strided GEMMs in gemm/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.ts$/.test(f) && !/\.d\.ts$/.test(f) ? [p] : [];
  });
}

/** The code of each file, comments removed, keyed by its path from the repository root. */
function code(dir: string): [string, string][] {
  return files(join(ROOT, dir)).map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')]);
}

const where = (tree: [string, string][], re: RegExp) => tree.filter(([, text]) => re.test(text)).map(([f]) => f);

describe('written once', () => {
  const src = code('src');
  const asm = code('assembly');

  it('the getBuiltinModule probe: only src/host.ts calls it', () => {
    expect(where(src, /getBuiltinModule\?\.\(|getBuiltinModule\(/)).toEqual(['src/host.ts']);
  });

  it('argmax in TS: only src/data/matrix.ts keeps a running best index', () => {
    const argmaxLoop = /\[[^\]]*\bbest\]!?\)\s*best\s*=/;
    expect(where(src, argmaxLoop)).toEqual(['src/data/matrix.ts']);
    expect(argmaxLoop.test('if (p[c]! > p[best]!) best = c;')).toBe(true);
  });

  it('a row maximum in AssemblyScript: one maxOf, no rowMax', () => {
    expect(where(asm, /function\s+maxOf\b/)).toEqual(['assembly/eltwise/rows.ts']);
    expect(where(asm, /\browMax\b/)).toEqual([]);
  });

  it('GEMM flags by name: no `flags & <number>` and no literal flags argument to a GEMM or colsum call', () => {
    expect(where([...asm, ...src], /flags\s*&\s*\d|\d\s*&\s*flags/)).toEqual([]);
    const literalFlag: string[] = [];
    for (const [f, text] of src) {
      for (const m of text.matchAll(/\.f32_(gemm_(?:nt|tn|nn)(?:_direct)?|colsum)\(([^()]*)\)/g)) {
        const args = m[2]!.split(',').map((a) => a.trim());
        const flagAt = { gemm_nt: 7, gemm_tn: 6, gemm_nn: 6, gemm_nt_direct: 7, colsum: 4 }[m[1]!]!;
        if (/^\d+$/.test(args[flagAt] ?? '')) literalFlag.push(`${f}: ${m[0]}`);
      }
    }
    expect(literalFlag).toEqual([]);
  });

  it('the strided GEMMs live in assembly/gemm/, the activations in files named for what they hold', () => {
    expect(where(asm, /export function f32_gemm_\w+_ld\b/)).toEqual(['assembly/gemm/strided.ts']);
    expect(existsSync(join(ROOT, 'assembly/threads'))).toBe(false);
    expect(existsSync(join(ROOT, 'assembly/eltwise/activations_more.ts'))).toBe(false);
  });
});
