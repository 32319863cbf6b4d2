// The shape of the source tree: no import cycles in src/ (every static, type-only, re-export and
// dynamic import counted: a cycle of types is still two modules that cannot be read apart), and no
// source file over 400 lines. The import graph is read from the files themselves.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mts|mjs|js)$/.test(f) && !/\.d\.m?ts$/.test(f) ? [p] : [];
  });
}

/** Relative specifiers a module imports: `import ... from`, `export ... from`, `import '...'` and `import('...')`. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(/(?:^|[;\s])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/(?:^|[;\s])import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out.filter((s) => s.startsWith('.'));
}

function resolveImport(from: string, spec: string, files: Set<string>): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const c of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')]) if (files.has(c)) return c;
  return undefined;
}

/** Strongly connected components of more than one module (or a module importing itself): Tarjan's algorithm. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe('source tree', () => {
  const files = sourceFiles(SRC);
  const set = new Set(files);

  it('the cycle finder finds a cycle, a self-import and none in a chain', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
    expect(importsOf(`import type { A } from './a.js';\nexport { b } from "./b.js";\nimport './c.js';\nconst d = await import('./d.js');\n// import { e } from './e.js'`))
      .toEqual(['./a.js', './b.js', './c.js', './d.js']);
  });

  it('has no import cycle in src/ (type-only and dynamic imports included)', () => {
    const graph = new Map<string, string[]>();
    for (const f of files) {
      graph.set(f, importsOf(readFileSync(f, 'utf8')).map((s) => resolveImport(f, s, set)).filter((p): p is string => p !== undefined));
    }
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].reduce((n, d) => n + d.length, 0)).toBeGreaterThan(300);
    expect(cycles(graph).map((c) => c.map((p) => relative(SRC, p)).join(' ↔ '))).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines in src/`, () => {
    const long = files.map((f) => ({ f: relative(ROOT, f), n: readFileSync(f, 'utf8').split('\n').length - 1 })).filter((x) => x.n > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('keeps @internal members out of the published .d.ts (stripInternal)', () => {
    const dts = readFileSync(join(ROOT, 'dist/nn/sequential.d.ts'), 'utf8');
    expect(dts).toMatch(/predict\(X: MatrixLike/);
    expect(dts).not.toMatch(/\bnet: Network|get session\(\)/);
    expect(readFileSync(join(SRC, 'nn/sequential.ts'), 'utf8')).toMatch(/\/\*\* @internal \*\/\n  readonly net: Network/);
  });
});
