// ABI parity: every export of every binary has its pure-TS twin (src/ref/) and its thread split
// (src/threads/splits.ts), or a stated reason it has none; no list names an export that does not
// exist; the twins take the exports' argument counts; and every binary exports the same ABI.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBackendSync } from '../../src/backend.js';
import { createRefKernels, NO_TWIN } from '../../src/ref/index.js';
import { makeQ8Ref } from '../../src/ref/q8.js';
import { NOT_SPLIT, SPLITS } from '../../src/threads/splits.js';
import { BINARIES, BINARY_NAMES } from '../../src/wasm/binaries.js';

/** The function exports of a binary, read from its export section (no compilation: relaxed SIMD need not validate here). */
function exportsOf(name: keyof typeof BINARIES): string[] {
  const b = readFileSync(fileURLToPath(BINARIES[name].url()!));
  let at = 8;
  const leb = (): number => { let v = 0, shift = 0, byte: number; do { byte = b[at++]!; v |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80); return v >>> 0; };
  while (at < b.length) {
    const id = b[at++]!;
    const size = leb();
    const end = at + size;
    if (id === 7) {
      const out: string[] = [];
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        const field = new TextDecoder().decode(b.subarray(at, at + len));
        at += len;
        const kind = b[at++]!;
        leb();
        if (kind === 0) out.push(field);
      }
      return out.sort();
    }
    at = end;
  }
  throw new Error(`${name}: no export section`);
}

describe('ABI parity', () => {
  const simd = exportsOf('simd');
  const views = createBackendSync({ backend: 'js' }).arena.views;
  // the q8 twins are installed by simdnet/interop on a TS backend (kept out of the main bundle)
  const ref = { ...createRefKernels(views), ...makeQ8Ref(views) } as unknown as Record<string, (...a: number[]) => unknown>;
  const wasm = createBackendSync({ binary: 'simd' }).k as unknown as Record<string, (...a: number[]) => unknown>;

  it('every binary exports the same functions', () => {
    expect(simd.length).toBeGreaterThan(60);
    for (const name of BINARY_NAMES.filter((n) => n !== 'simd')) expect(exportsOf(name), name).toEqual(simd);
  });

  it('every export has a pure-TS twin with its argument count, or a stated reason', () => {
    const missing = simd.filter((e) => typeof ref[e] !== 'function' && !NO_TWIN[e]);
    expect(missing, 'exports with neither a twin nor a reason').toEqual([]);
    expect(Object.keys(NO_TWIN).filter((e) => !simd.includes(e)), 'NO_TWIN names that are not exports').toEqual([]);
    expect(Object.keys(NO_TWIN).filter((e) => typeof ref[e] === 'function'), 'NO_TWIN names that do have a twin').toEqual([]);
    expect(Object.keys(ref).filter((e) => !simd.includes(e)), 'twins of no export').toEqual([]);
    const arity = simd.filter((e) => ref[e] && ref[e]!.length !== wasm[e]!.length).map((e) => `${e}: ts ${ref[e]!.length}, wasm ${wasm[e]!.length}`);
    expect(arity).toEqual([]);
  });

  it('every export has a thread split or a stated reason, and a split names the export\'s arguments', () => {
    const missing = simd.filter((e) => !SPLITS[e] && !NOT_SPLIT[e]);
    expect(missing, 'exports with neither a split nor a reason').toEqual([]);
    expect([...Object.keys(SPLITS), ...Object.keys(NOT_SPLIT)].filter((e) => !simd.includes(e)), 'names that are not exports').toEqual([]);
    expect(Object.keys(SPLITS).filter((e) => NOT_SPLIT[e]), 'both split and not').toEqual([]);
    for (const [name, split] of Object.entries(SPLITS)) expect(split.args.length, name).toBe(wasm[name]!.length);
  });
});
