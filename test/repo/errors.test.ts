// Every error simdnet throws on purpose is a SimdnetError (src/errors.ts): a caller catches one
// class. Read from the sources: no built-in Error, TypeError, RangeError... is constructed in
// src/ (except where the reason is given below), and every class named ...Error extends a chain
// that ends at SimdnetError. The exported classes are also checked at run time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import * as interop from '../../src/interop/index.js';
import { SimdnetError } from '../../src/errors.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** The library's TypeScript (the .mjs files are build and dev-server scripts, not shipped in dist/). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(f) && !/\.d\.ts$/.test(f) ? [p] : [];
  });
}

/** Built-in errors allowed, each with its reason (file → the exact text). */
const ALLOWED: Record<string, { text: string; why: string }[]> = {
  'src/threads/share.ts': [{ text: "new Error('failed on purpose (OP_FAIL)')", why: 'runs inside the workers as embedded source text (worker-source.ts), which can import nothing; the pool rethrows it as a ThreadPoolError' }],
  'src/threads/worker-source.ts': [{ text: "new Error('abort called')", why: 'the abort import of a worker\'s own instance, in the worker\'s source text; reported to the caller as a ThreadPoolError' }],
};

const BUILTIN = /(?<![\w.$])(?:new\s+)?(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError)\s*\(/g;

function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('every error simdnet throws is a SimdnetError', () => {
  const files = sources(SRC);

  it('no built-in error is constructed in src/ (beyond the stated exceptions)', () => {
    const found: string[] = [];
    for (const f of files) {
      const rel = relative(ROOT, f);
      const text = code(readFileSync(f, 'utf8'));
      for (const m of text.matchAll(BUILTIN)) {
        const line = text.slice(m.index, text.indexOf('\n', m.index));
        if (ALLOWED[rel]?.some((a) => line.includes(a.text))) continue;
        found.push(`${rel}: ${line.trim().slice(0, 100)}`);
      }
    }
    expect(found).toEqual([]);
    // The scan does find what it looks for:
    expect([...code("throw new RangeError('x'); throw TypeError('y'); new ValidationError('a', 'b'); e instanceof WebAssembly.LinkError").matchAll(BUILTIN)].map((m) => m[1])).toEqual(['RangeError', 'TypeError']);
  });

  it('every error class declared in src/ extends SimdnetError, directly or through another', () => {
    const parent = new Map<string, string>();
    for (const f of files) {
      for (const m of code(readFileSync(f, 'utf8')).matchAll(/class\s+(\w+)\s+extends\s+([\w.]+)/g)) {
        if (/Error$/.test(m[1]!) || /Error$/.test(m[2]!)) parent.set(m[1]!, m[2]!);
      }
    }
    expect(parent.size).toBeGreaterThan(10);
    const bad: string[] = [];
    for (const name of parent.keys()) {
      let at = name;
      for (let hops = 0; at !== 'SimdnetError' && hops < 10; hops++) at = parent.get(at) ?? `(${at} is not declared in src/)`;
      if (at !== 'SimdnetError' && name !== 'SimdnetError') bad.push(`${name} → ${at}`);
    }
    expect(bad).toEqual([]);
    expect(parent.get('SimdnetError')).toBe('Error');
  });

  it('the exported error classes are SimdnetErrors at run time', () => {
    const classes = Object.entries({ ...lib, ...interop }).filter(([n, v]) => typeof v === 'function' && /^[A-Z]\w*Error$/.test(n));
    expect(classes.map(([n]) => n)).toEqual(expect.arrayContaining(['ArenaError', 'BackendError', 'ThreadPoolError', 'ValidationError', 'ModelFormatError', 'FileError']));
    for (const [name, C] of classes) expect(Object.create((C as { prototype: object }).prototype) instanceof SimdnetError, name).toBe(true);
  });
});
