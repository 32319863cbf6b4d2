// Seeded fuzzing of the interop readers (ONNX protobuf + graph import, TensorFlow.js model.json +
// weights): truncations, byte flips, inserted and deleted bytes, and JSON edits of real files.
// Only simdnet's error classes may escape, nothing hangs (each case is bounded by the file size),
// and the arena is back where it was: a failed import frees what it allocated. Written as a table
// of (reader, seed files, mutators) so the general fuzz suite can fold it in.

import { describe, expect, it } from 'vitest';
import { defaultBackend, ready, SimdnetError } from '../../src/index.js';
import { fromTfjs, readONNX } from '../../src/interop/index.js';
import { onnxFixture, tfjsFixture } from './helpers.js';

type Rand = () => number;
function mulberry(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Byte-level mutations of a file. */
export const BYTE_MUTATORS: Record<string, (b: Uint8Array, r: Rand) => Uint8Array> = {
  truncate: (b, r) => b.slice(0, Math.floor(r() * b.length)),
  flip: (b, r) => { const c = b.slice(); for (let k = 0; k < 1 + Math.floor(r() * 4); k++) c[Math.floor(r() * c.length)] ^= 1 << Math.floor(r() * 8); return c; },
  byte: (b, r) => { const c = b.slice(); c[Math.floor(r() * c.length)] = Math.floor(r() * 256); return c; },
  insert: (b, r) => { const at = Math.floor(r() * b.length); const c = new Uint8Array(b.length + 1); c.set(b.subarray(0, at)); c[at] = Math.floor(r() * 256); c.set(b.subarray(at), at + 1); return c; },
  remove: (b, r) => { const at = Math.floor(r() * b.length); const c = new Uint8Array(b.length - 1); c.set(b.subarray(0, at)); c.set(b.subarray(at + 1), at); return c; },
  varint: (b, r) => { const c = b.slice(); const at = Math.floor(r() * c.length); for (let k = at; k < Math.min(c.length, at + 10); k++) c[k] = 0xff; return c; },
};

/** JSON-level mutations of a model.json: drop, retype or scale one field somewhere. */
function mutateJson(v: unknown, r: Rand): unknown {
  if (Array.isArray(v)) { if (v.length && r() < 0.7) { const c = v.slice(); const k = Math.floor(r() * c.length); c[k] = mutateJson(c[k], r); return c; } return r() < 0.5 ? [] : v.slice(1); }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (!keys.length) return v;
    const k = keys[Math.floor(r() * keys.length)]!;
    const c = { ...(v as Record<string, unknown>) };
    const p = r();
    if (p < 0.15) delete c[k];
    else if (p < 0.3) c[k] = [null, -1, 1e9, 'x', {}, [], true][Math.floor(r() * 7)];
    else c[k] = mutateJson(c[k], r);
    return c;
  }
  if (typeof v === 'number') return [0, -v, v * 1000, NaN, v + 1, 1.5][Math.floor(r() * 6)];
  if (typeof v === 'string') return r() < 0.5 ? '' : v + '_';
  return v;
}

export interface FuzzTarget { name: string; seeds: () => Uint8Array[]; read: (b: Uint8Array) => { dispose(): void } }

const ONNX_SEEDS = ['torch_mlp', 'torch_activations', 'torch_batchnorm', 'tf2onnx_dense', 'skl2onnx_logreg_multinomial', 'skl2onnx_mlp_binary'];
export const TARGETS: FuzzTarget[] = [
  { name: 'readONNX', seeds: () => ONNX_SEEDS.map((n) => onnxFixture(n).bytes), read: (b) => readONNX(b).model },
];

function expectOnly(fn: () => void, what: string): 'ok' | 'error' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof SimdnetError)) throw new Error(`${what}: ${(e as Error)?.constructor?.name} escaped: ${(e as Error)?.message}`);
    return 'error';
  }
}

describe('fuzz: interop readers', () => {
  for (const t of TARGETS) {
    it(`${t.name}: 600 mutated files, only SimdnetErrors, arena unchanged`, async () => {
      await ready();
      const arena = defaultBackend().arena;
      const before = { bytes: arena.liveBytes, count: arena.liveCount };
      const r = mulberry(15);
      const seeds = t.seeds();
      const tally = { ok: 0, error: 0 };
      const names = Object.keys(BYTE_MUTATORS);
      for (let k = 0; k < 600; k++) {
        const seed = seeds[k % seeds.length]!;
        const m = names[Math.floor(r() * names.length)]!;
        const bytes = BYTE_MUTATORS[m]!(seed, r);
        tally[expectOnly(() => t.read(bytes).dispose(), `${t.name} ${m} case ${k}`)]++;
      }
      expect(tally.error).toBeGreaterThan(100);
      expect({ bytes: arena.liveBytes, count: arena.liveCount }).toEqual(before);
    }, 60_000);
  }

  it('fromTfjs: 600 mutated model.json and weights.bin, only SimdnetErrors, arena unchanged', async () => {
    await ready();
    const arena = defaultBackend().arena;
    const before = { bytes: arena.liveBytes, count: arena.liveCount };
    const r = mulberry(16);
    const seeds = ['dense_relu_softmax', 'every_layer', 'binary_no_bias'].map(tfjsFixture);
    const tally = { ok: 0, error: 0 };
    for (let k = 0; k < 600; k++) {
      const f = seeds[k % seeds.length]!;
      const json = k % 3 === 0 ? f.modelJson : mutateJson(f.modelJson, r);
      const weights = k % 3 === 0 ? BYTE_MUTATORS[Object.keys(BYTE_MUTATORS)[k % 6]!]!(f.weights, r) : f.weights;
      const text = k % 5 === 0 ? JSON.stringify(json).slice(0, Math.floor(r() * 2000)) : json;
      tally[expectOnly(() => fromTfjs(text as never, weights).dispose(), `fromTfjs case ${k}`)]++;
    }
    expect(tally.error).toBeGreaterThan(100);
    expect({ bytes: arena.liveBytes, count: arena.liveCount }).toEqual(before);
  }, 60_000);
});
