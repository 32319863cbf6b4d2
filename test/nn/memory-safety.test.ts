// Issue 13, defects 1, 3 and 4: allocation is transactional (a failed ensureCapacity keeps the old
// buffers; no stale pointer reaches another model), declared sizes are checked against the weights
// and the arena's budget before anything is allocated, every constructor failure frees what it took,
// and setWeights / setParams write nothing unless every entry is valid. Each failure is made on
// purpose: NaN and oversized batches on the default backend, and allocations refused by a JS
// backend whose arena is capped at a few hundred KiB.
import { describe, expect, it } from 'vitest';
import { createBackendSync, defaultBackend, type Backend } from '../../src/backend.js';
import { ArenaError, ModelFormatError, ValidationError } from '../../src/errors.js';
import { Arena } from '../../src/memory/arena.js';
import { dense, batchNorm, Sequential, type LayerSpec } from '../../src/index.js';
import { quantize, QuantizedModel } from '../../src/interop/index.js';
import { createRefKernels } from '../../src/ref/index.js';

/** A float32 JS backend whose arena may span at most `limit` bytes (allocations past it fail). */
function cappedBackend(limit: number): Backend {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const arena = new Arena(memory, 1024, limit);
  return { ...createBackendSync({ backend: 'js' }), memory, arena, k: createRefKernels(arena.views) };
}

/** Where an arena stands: live bytes, live regions, top. */
function usage(b: Backend) {
  return { live: b.arena.liveBytes, count: b.arena.liveCount, top: b.arena.top };
}

const rows = (n: number, d: number, seed: number) => Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(seed + i * 1.7 + j * 0.9)));

/** float64 forward pass of dense layers from getWeights() (relu hidden layers, softmax output): the oracle of predict. */
function reference(model: Sequential, X: number[][]): number[][] {
  const w = model.getWeights();
  return X.map((x) => {
    let a = x;
    w.forEach((L, li) => {
      const out = L.b!.length;
      const z = Array.from({ length: out }, (_, j) => L.b![j]! + a.reduce((s, v, i) => s + L.W![j * a.length + i]! * v, 0));
      if (li < w.length - 1) a = z.map((v) => Math.max(0, v));
      else { const m = Math.max(...z); const e = z.map((v) => Math.exp(v - m)); const s = e.reduce((p, q) => p + q, 0); a = e.map((v) => v / s); }
    });
    return a;
  });
}

function expectClose(P: { data: Float32Array; rows: number; cols: number }, R: number[][]): void {
  expect(P.rows).toBe(R.length);
  R.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(P.data[i * P.cols + j]! - v)).toBeLessThan(1e-5)));
}

const mlp = (seed: number, backend?: Backend, hidden = 8) => new Sequential({ inputSize: 4, seed, backend, layers: [dense(hidden, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });

describe('defect 1: ensureCapacity is transactional', () => {
  it('a NaN batch size is refused naming batchSize, on predict and evaluate, and the model stays usable', () => {
    const before = usage(defaultBackend());
    const a = mlp(1).compile();
    const X = rows(40, 4, 1);
    a.predict(X, { batchSize: 8 });
    expect(() => a.predict(X, { batchSize: NaN })).toThrow(ValidationError);
    expect(() => a.predict(X, { batchSize: NaN })).toThrow(/batchSize/);
    // evaluate went straight to ensureCapacity(NaN): the old buffers were freed, then the allocation threw.
    const y = X.map((_, i) => i % 3);
    expect(() => a.evaluate(X, y, { batchSize: NaN })).toThrow(/batchSize: expected a positive integer number of rows, got NaN/);
    expect(() => a.evaluate(X, y, { batchSize: NaN })).toThrow(ValidationError);
    const b = mlp(2, undefined, 16);
    const bWeights = b.getWeights();
    expectClose(a.predict(X), reference(a, X));
    expectClose(a.predict(X, { batchSize: 3 }), reference(a, X));
    expect(b.getWeights()).toEqual(bWeights);
    a.dispose();
    b.dispose();
    expect(usage(defaultBackend())).toEqual(before);
  });

  it('a batch past the 4 GiB arena fails with an ArenaError after some layers took new buffers: all are put back, another model is untouched, dispose frees once', () => {
    const backend = defaultBackend();
    const before = usage(backend);
    // Layer 0 (1 unit) gets its 2^22-row buffers (48 MiB); layer 1 (300 units) would need 5 GiB.
    const a = new Sequential({ inputSize: 4, seed: 3, layers: [dense(1, { activation: 'relu' }), dense(300, { activation: 'softmax' })] });
    const X = rows(20, 4, 2);
    a.predict(X);
    const held = usage(backend);
    expect(() => a.net.ensureCapacity(2 ** 22)).toThrow(ArenaError);
    expect(usage(backend)).toEqual(held);
    expect(() => a.net.ensureCapacity(2 ** 40)).toThrow(ArenaError);
    expect(usage(backend)).toEqual(held);
    const b = mlp(4, undefined, 64);
    const bWeights = b.getWeights();
    const P = a.predict(X);
    expect(P.cols).toBe(300);
    const w = a.getWeights();
    X.forEach((x, i) => {
      const h = Math.max(0, w[0]!.b![0]! + x.reduce((s, v, j) => s + w[0]!.W![j]! * v, 0));
      const z = Array.from({ length: 300 }, (_, k) => w[1]!.b![k]! + w[1]!.W![k]! * h);
      const m = Math.max(...z);
      const s = z.reduce((p, q) => p + Math.exp(q - m), 0);
      for (const k of [0, 150, 299]) expect(Math.abs(P.data[i * 300 + k]! - Math.exp(z[k]! - m) / s)).toBeLessThan(1e-6);
    });
    expect(b.getWeights()).toEqual(bWeights);
    a.dispose();
    expect(() => a.dispose()).not.toThrow();
    b.dispose();
    expect(usage(backend)).toEqual(before);
  });

  it('on a capped arena: a refused growth leaves the old capacity, and a larger batch that fits later works', () => {
    const backend = cappedBackend(512 * 1024);
    const start = usage(backend);
    const a = mlp(5, backend, 32).compile();
    a.predict(rows(16, 4, 3));
    const held = usage(backend);
    expect(() => a.net.ensureCapacity(4000)).toThrow(ArenaError);
    expect(usage(backend)).toEqual(held);
    expect(a.net.capacity).toBe(16);
    const X = rows(200, 4, 4);
    expectClose(a.predict(X, { batchSize: 200 }), reference(a, X));
    a.dispose();
    expect(usage(backend)).toEqual(start);
  });
});

describe('defect 3: failed constructions leak nothing and are refused before allocating', () => {
  const small = mlp(6).toJSON();

  it('a 30000×30000 layer in a small JSON is refused without allocating (the arena and memory do not move)', () => {
    const backend = defaultBackend();
    const json = JSON.stringify({ ...small, inputSize: 30000, layers: [{ ...small.layers[1], units: 30000, activation: 'softmax' }], weights: [{ W: '', b: '' }] });
    expect(json.length).toBeLessThan(400);
    const before = usage(backend);
    const bytes = backend.memory.buffer.byteLength;
    expect(() => Sequential.fromJSON(json)).toThrow(ModelFormatError);
    expect(() => Sequential.fromJSON(json)).toThrow(/weights\[0\]\.W: expected 900000000 values, got 0/);
    // Without the weights check, the budget refuses it: 2 × 900,030,000 floats exceed the 4 GiB arena.
    expect(() => new Sequential({ inputSize: 30000, layers: [dense(30000, { activation: 'softmax' })] })).toThrow(/arena has/);
    expect(usage(backend)).toEqual(before);
    expect(backend.memory.buffer.byteLength).toBe(bytes);
  });

  it('a wrong weight length is caught before the declared layers are allocated or initialized', () => {
    const backend = defaultBackend();
    const layers = [{ ...small.layers[0], units: 3000 }, { ...small.layers[1], units: 3000 }];
    const right = { W: 'AAAAAA==', b: '' };
    const json = JSON.stringify({ ...small, inputSize: 3000, layers, weights: [right, right] });
    const before = usage(backend);
    const bytes = backend.memory.buffer.byteLength;
    expect(() => Sequential.fromJSON(json)).toThrow(/model file is corrupt: weights\[0\]\.W: expected 9000000 values, got 1/);
    expect(usage(backend)).toEqual(before);
    expect(backend.memory.buffer.byteLength).toBe(bytes);
  });

  it('an allocation refused inside the constructor (after its first regions) frees them', () => {
    const K = 1024;
    // Two 190 KiB holes below a 300 KiB tail: the budget (free bytes) admits the model, whose two ~200 KiB
    // blocks (parameters, gradients) do not both fit anywhere contiguous: the gradient block fails.
    const backend = cappedBackend(1024 + 2 * 190 * K + 128 + 300 * K);
    const { arena } = backend;
    const holes = [arena.alloc(190 * K), arena.alloc(64), arena.alloc(190 * K), arena.alloc(64)];
    arena.free(holes[0]!);
    arena.free(holes[2]!);
    const before = usage(backend);
    const layers: LayerSpec[] = [batchNorm(), dense(12500, { activation: 'sigmoid' })];
    expect(() => new Sequential({ inputSize: 3, layers, backend })).toThrow(ArenaError);
    expect(usage(backend)).toEqual(before);
    // The same model fits once the holes are one free region.
    arena.free(holes[1]!);
    const m = new Sequential({ inputSize: 3, layers, backend });
    m.dispose();
    arena.free(holes[3]!);
    expect(arena.liveBytes).toBe(0);
  });

  it('compile() and fit() that run out of arena free what they took; the model keeps working', () => {
    const backend = cappedBackend(1024 * 1024);
    const start = usage(backend);
    // 80,059 parameters: 320 KiB, and as much again of gradients.
    const a = new Sequential({ inputSize: 10000, seed: 7, backend, layers: [dense(8, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    const held = usage(backend);
    expect(() => a.compile({ optimizer: 'adam' })).toThrow(ArenaError); // its two moments (640 KiB) do not fit
    expect(usage(backend)).toEqual(held);
    a.compile({ optimizer: 'sgd' });
    const compiled = usage(backend); // sgd holds its small step-state block (the fused dW step's scalars)
    const X = rows(400, 10000, 5);
    const y = X.map((_, i) => i % 3);
    const w = a.getWeights();
    expect(() => a.fitSync(X, y, { epochs: 1, batchSize: 400 })).toThrow(ArenaError); // 16 MB of rows
    expect(a.getWeights()).toEqual(w);
    expect(usage(backend).live).toBe(compiled.live);
    const XS = X.slice(0, 2);
    expectClose(a.predict(XS), reference(a, XS));
    a.dispose();
    expect(usage(backend)).toEqual(start);
  });

  it('a QuantizedModel whose layers do not all fit frees the ones it had packed', () => {
    const source = new Sequential({ inputSize: 4, seed: 8, layers: [dense(20000, { activation: 'relu' }), dense(300, { activation: 'relu' }), dense(3, { activation: 'softmax' })] });
    const json = quantize(source, { calibration: rows(16, 4, 6) }).toJSON();
    source.dispose();
    let failed = 0;
    for (const cap of [128, 512, 1024, 2048, 4096, 8192].map((k) => k * 1024)) {
      const backend = cappedBackend(cap);
      try {
        QuantizedModel.fromJSON(json, backend).dispose();
      } catch (e) {
        expect(e).toBeInstanceOf(ArenaError);
        failed++;
      }
      expect(usage(backend)).toEqual({ live: 0, count: 0, top: backend.arena.base });
    }
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(failed).toBeLessThan(6);
  });
});

describe('defect 4: setWeights / setParams are all or nothing', () => {
  it('a bad last entry leaves every weight as it was', () => {
    const a = mlp(9);
    const w = a.getWeights();
    const theta = a.getParams();
    const bad = w.map((L) => Object.fromEntries(Object.entries(L).map(([k, v]) => [k, v.map((x) => x + 1)])));
    bad[1]!.b = Float32Array.from([1, 2, NaN]);
    expect(() => a.setWeights(bad)).toThrow(/weights\[1\]\.b: value 2 is NaN/);
    expect(a.getWeights()).toEqual(w);
    bad[1]!.b = new Float32Array(2);
    expect(() => a.setWeights(bad)).toThrow(/weights\[1\]\.b: expected 3 values, got 2/);
    expect(a.getWeights()).toEqual(w);
    const t = theta.map((x) => x + 1);
    t[t.length - 1] = Infinity;
    expect(() => a.setParams(t)).toThrow(/theta: value 66 is Infinity/);
    expect(a.getParams()).toEqual(theta);
    t[t.length - 1] = 0;
    a.setParams(t);
    expect(a.getParams()[0]).toBe(Math.fround(theta[0]! + 1));
    a.dispose();
  });
});
