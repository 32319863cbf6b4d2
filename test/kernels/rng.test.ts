import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng.js';
import { get, kernelSuiteBackends } from '../helpers/backends.js';
import { expectGuard, outBuf } from './util.js';

/** xoshiro128** written out with BigInt, independent of src/rng.ts. */
function xoshiroBig(state: number[], count: number): number[] {
  const M = 0xffffffffn;
  const s = state.map((w) => BigInt(w >>> 0));
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1]! * 5n) & M, 7n) * 9n) & M));
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!; s[3]! ^= s[1]!; s[1]! ^= s[2]!; s[0]! ^= s[3]!; s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
  }
  return out;
}

describe('xoshiro128**', () => {
  it('known answer from state [1, 2, 3, 4] (first output by hand: rotl(2·5, 7)·9 = 11520)', () => {
    const rng = new Rng(0);
    rng.setState([1, 2, 3, 4]);
    const ours = Array.from({ length: 1000 }, () => rng.nextU32());
    expect(ours[0]).toBe(11520);
    expect(ours).toEqual(xoshiroBig([1, 2, 3, 4], 1000));
  });

  it('seeding: deterministic, distinct seeds differ, never the zero state', () => {
    expect(new Rng(42).state()).toEqual(new Rng(42).state());
    expect(new Rng(42).state()).not.toEqual(new Rng(43).state());
    for (let seed = 0; seed < 100; seed++) expect(Array.from(new Rng(seed).state()).some((w) => w !== 0)).toBe(true);
  });

  it('uniform, int, normal, shuffle', () => {
    const rng = new Rng(7);
    let sum = 0, sumsq = 0;
    const N = 100_000;
    const counts = new Array(7).fill(0);
    for (let i = 0; i < N; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      expect(Math.fround(u)).toBe(u);
      counts[rng.int(7)]++;
      const z = rng.normal(2, 3);
      sum += z; sumsq += z * z;
    }
    for (const c of counts) expect(Math.abs(c - N / 7)).toBeLessThan(5 * Math.sqrt(N / 7));
    const mean = sum / N, variance = sumsq / N - mean * mean;
    expect(Math.abs(mean - 2)).toBeLessThan(0.05);
    expect(Math.abs(variance - 9)).toBeLessThan(0.2);
    const a = Int32Array.from({ length: 50 }, (_, i) => i);
    rng.shuffle(a);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const r = rng.uniformRange(-2, -1);
    expect(r >= -2 && r < -1).toBe(true);
  });

  it('shuffle is Fisher–Yates on int(i + 1) draws, the stream left where int() leaves it', () => {
    // The reference: the textbook loop on Rng.int (shuffle inlines the draws; the remainders are taken in doubles).
    const reference = (rng: Rng, a: Int32Array) => {
      for (let i = a.length - 1; i > 0; i--) { const j = rng.int(i + 1); const t = a[i]!; a[i] = a[j]!; a[j] = t; }
    };
    for (const [seed, len] of [[1, 60000], [7, 0], [3, 1], [5, 2], [99, 1000], [123456789, 70001]] as const) {
      const a = new Rng(seed), b = new Rng(seed);
      for (let rep = 0; rep < 3; rep++) {
        const x = Int32Array.from({ length: len }, (_, i) => i), y = x.slice();
        a.shuffle(x);
        reference(b, y);
        expect(x).toEqual(y);
        expect(a.state()).toEqual(b.state());
      }
      const arr = Array.from({ length: Math.min(len, 500) }, (_, i) => i);
      const ref = Int32Array.from(arr);
      a.shuffle(arr);
      reference(b, ref);
      expect(arr).toEqual(Array.from(ref));
    }
  });

  it('state round trip continues the same stream', () => {
    const a = new Rng(99);
    a.nextU32();
    const b = new Rng(1);
    b.setState(a.state());
    expect([a.nextU32(), a.nextU32()]).toEqual([b.nextU32(), b.nextU32()]);
  });
});

describe.each(kernelSuiteBackends().map((b) => [b.binary, b] as const))('f32_rand_uniform on %s', (_name, b) => {
  it('matches Rng.uniform bit for bit and advances the state in memory', () => {
    for (const n of [0, 1, 3, 5, 1000]) {
      const rng = new Rng(1234 + n);
      const statePtr = b.arena.alloc(16);
      rng.writeState(b.arena.views.u32, statePtr);
      const outPtr = outBuf(b, n);
      b.k.f32_rand_uniform(statePtr, outPtr, n, 0, 1);
      const got = get(b, outPtr, n);
      const want = Array.from({ length: n }, () => rng.uniform());
      expect(Array.from(got)).toEqual(want);
      expectGuard(b, outPtr, n);
      const after = new Rng(0);
      after.readState(b.arena.views.u32, statePtr);
      expect(after.state()).toEqual(rng.state());
      // a range: lo + (hi − lo)·u in f32
      b.k.f32_rand_uniform(statePtr, outPtr, n, -3, 5);
      const ranged = get(b, outPtr, n);
      for (let i = 0; i < n; i++) {
        const u = rng.uniform();
        expect(ranged[i]).toBe(Math.fround(-3 + Math.fround(8 * u)));
      }
    }
  });
});
