// Mutations of valid JSON documents (model files): one to three edits at random places, each a
// deletion, a value of the wrong type, a size out of range, a non-finite number, a name of
// Object.prototype, an array grown or shrunk, or a tensor of the wrong length or with NaN in it.

import type { Gen } from './harness.js';

type Json = unknown;

export const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf'];
const ODD_VALUES: Json[] = [null, true, false, 0, -1, 1.5, -0, 1e9, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 1e300, NaN, Infinity, -Infinity, '', 'x', '1', [], [1], {}, ...PROTOTYPE_NAMES];

/** Every path in a document: arrays by index, objects by key. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, Json>)[k], [...at, k], out);
  return out;
}

function get(v: Json, p: (string | number)[]): Json {
  return p.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], v);
}

function isBase64Tensor(s: string): boolean {
  return s.length >= 8 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+=*$/.test(s);
}

function floatsToBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** A tensor's edits: a value more or fewer, NaN or infinity in it, bytes that are not base64. */
function mutateTensor(g: Gen, s: string): string {
  const b = Buffer.from(s, 'base64');
  const f = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~3)));
  if (f.length === 0) return floatsToBase64(new Float32Array([NaN]));
  switch (g.int(0, 5)) {
    case 0: return floatsToBase64(f.subarray(0, Math.max(0, f.length - g.int(1, 3))));
    case 1: { const c = new Float32Array(f.length + g.int(1, 3)); c.set(f); return floatsToBase64(c); }
    case 2: { const c = f.slice(); c[g.int(0, c.length - 1)] = g.pick([NaN, Infinity, -Infinity]); return floatsToBase64(c); }
    case 3: return s.slice(0, s.length - g.int(1, 3));
    case 4: return s.slice(0, 4) + '!*' + s.slice(6);
    default: return floatsToBase64(new Float32Array(g.pick([0, 1, 100000])));
  }
}

export interface Mutation { doc: Json; what: string }

/** One to three edits of a deep copy of `doc`, at paths `allow` accepts (dotted, e.g. "layers.0.units"). */
export function mutateJson(g: Gen, doc: Json, allow: (path: string) => boolean = () => true): Mutation {
  const d = structuredClone(doc);
  const whats: string[] = [];
  for (let n = g.int(1, 3); n > 0; n--) {
    const all = paths(d).filter((p) => p.length > 0 && allow(p.join('.')));
    if (all.length === 0) break;
    const p = g.pick(all);
    const parent = get(d, p.slice(0, -1)) as Record<string | number, Json>;
    const key = p[p.length - 1]!;
    const v = parent[key];
    const where = p.join('.');
    const op = g.int(0, 9);
    if (op === 0) {
      if (Array.isArray(parent)) parent.splice(key as number, 1); else delete parent[key];
      whats.push(`delete ${where}`);
    } else if (op === 1 && Array.isArray(parent)) {
      parent.splice(key as number, 0, structuredClone(v));
      whats.push(`duplicate ${where}`);
    } else if (op === 2 && !Array.isArray(parent)) {
      const k = g.pick(PROTOTYPE_NAMES);
      parent[k] = structuredClone(v);
      whats.push(`add key ${k} beside ${where}`);
    } else if (typeof v === 'string' && isBase64Tensor(v) && op < 8) {
      parent[key] = mutateTensor(g, v);
      whats.push(`tensor ${where}`);
    } else if (typeof v === 'number' && op < 7) {
      parent[key] = g.pick([v + 1, v - 1, -v, v * 1000, v / 3, NaN, 0, 30000, 1e9]);
      whats.push(`number ${where} = ${parent[key]}`);
    } else if (typeof v === 'string' && op < 7) {
      parent[key] = g.pick([...PROTOTYPE_NAMES, '', v + '_', v.toUpperCase(), 'relu', 'softmax', 'adam', 'dense']);
      whats.push(`string ${where} = ${JSON.stringify(parent[key])}`);
    } else if (Array.isArray(v) && op < 6) {
      parent[key] = g.bool() ? [] : v.slice(1);
      whats.push(`shorten ${where}`);
    } else {
      parent[key] = structuredClone(g.pick(ODD_VALUES));
      const nv = parent[key];
      whats.push(`${where} = ${typeof nv === 'number' ? String(nv) : String(JSON.stringify(nv) ?? nv)}`);
    }
  }
  return { doc: d, what: whats.join('; ') };
}

/** Text-level edits of a document's JSON (at or after `from`): truncation, a character changed, an own "__proto__" key. */
export function mutateText(g: Gen, text: string, from = 0): { text: string; what: string } {
  switch (g.int(0, 2)) {
    case 0: { const at = g.int(from, text.length - 1); return { text: text.slice(0, at), what: `truncate at ${at}` }; }
    case 1: { const at = g.int(from, text.length - 1); return { text: text.slice(0, at) + g.pick(['"', '{', ']', '0', 'x', '\\']) + text.slice(at + 1), what: `character ${at}` }; }
    default: {
      // JSON.parse makes "__proto__" an own key (no prototype change): a reader must not take it for one
      const spots = [...text.matchAll(/\{"/g)].map((m) => m.index!);
      const at = g.pick(spots) + 1;
      return { text: text.slice(0, at) + '"__proto__":{"units":7,"type":"dense","format":"x"},' + text.slice(at), what: `__proto__ key at ${at}` };
    }
  }
}

/**
 * Whether `out` holds every value of `input`: the same primitives (NaN as NaN), the same array
 * lengths, every key of an input object (keys `out` adds, such as defaults, are allowed, and a
 * key given as null may become its default; a key the output lacks is unknown to the reader, ignored).
 * Returns the first path where they differ, or null.
 */
export function firstDifference(input: Json, out: Json, at = ''): string | null {
  if (Array.isArray(input)) {
    if (!Array.isArray(out) || out.length !== input.length) return `${at} (array of ${input.length})`;
    for (let i = 0; i < input.length; i++) { const d = firstDifference(input[i], out[i], `${at}.${i}`); if (d) return d; }
    return null;
  }
  if (input && typeof input === 'object') {
    if (!out || typeof out !== 'object') return `${at} (object)`;
    for (const k of Object.keys(input)) {
      // a key whose value is null reads as a key not given (the API's `??` defaults): either may become the default
      if ((input as Record<string, Json>)[k] === null) continue;
      // a key the output does not have at all is one the reader does not know (it writes every key it knows)
      if (!Object.hasOwn(out, k)) continue;
      const d = firstDifference((input as Record<string, Json>)[k], (out as Record<string, Json>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return null;
  }
  // -0 and 0 are one number in JSON text; NaN must stay NaN (or be refused: see nonFinite)
  return input === out || (Number.isNaN(input) && Number.isNaN(out)) ? null : `${at}: ${String(input)} became ${String(out)}`;
}

/** The path of a number in `v` that is not finite, or null. */
export function nonFinite(v: Json, at = ''): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${at} = ${v}`;
  if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) { const d = nonFinite(v[i], `${at}.${i}`); if (d) return d; } return null; }
  if (v && typeof v === 'object') { for (const k of Object.keys(v)) { const d = nonFinite((v as Record<string, Json>)[k], `${at}.${k}`); if (d) return d; } }
  return null;
}
