import { describe, expect, it } from 'vitest';
import { Arena, ALIGN, ArenaError, F32Buffer } from '../../src/memory/arena.js';

function memory(pages = 1): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages });
}

describe('Arena', () => {
  it('hands out aligned, disjoint regions starting at the aligned heap base', () => {
    const arena = new Arena(memory(), 1000);
    expect(arena.base).toBe(1024);
    const a = arena.alloc(10);
    const b = arena.alloc(100);
    const c = arena.alloc(0);
    expect(a).toBe(1024);
    for (const p of [a, b, c]) expect(p % ALIGN).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 10);
    expect(c).toBeGreaterThanOrEqual(b + 100);
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('grows memory on demand and keeps earlier contents', () => {
    const mem = memory(1);
    const arena = new Arena(mem, 64);
    const a = F32Buffer.alloc(arena, 100);
    a.set(Array.from({ length: 100 }, (_, i) => i * 0.5));
    const before = mem.buffer.byteLength;
    const big = F32Buffer.alloc(arena, 1 << 20); // 4 MiB: must grow
    expect(mem.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(a.view().subarray(0, 4))).toEqual([0, 0.5, 1, 1.5]);
    expect(a.view()[99]).toBe(49.5);
    big.dispose();
    a.dispose();
  });

  it('never serves a stale view: a view taken before memory.grow is detached, the helper re-derives', () => {
    const mem = memory(1);
    const arena = new Arena(mem, 64);
    const buf = F32Buffer.alloc(arena, 16);
    const stale = buf.view();
    stale[3] = 7;
    F32Buffer.alloc(arena, 1 << 18); // grows: old ArrayBuffer is detached
    expect(stale.length).toBe(0); // detached views read as empty: using one would silently lose data
    const fresh = buf.view();
    expect(fresh.length).toBe(16);
    expect(fresh[3]).toBe(7);
    expect(arena.views.f32.buffer).toBe(mem.buffer);
  });

  it('allocating and freeing 10,000 buffers leaves the arena where it started', () => {
    const arena = new Arena(memory(), 64);
    const keep = arena.alloc(256);
    const top0 = arena.top;
    const live0 = arena.liveBytes;
    const ptrs: number[] = [];
    for (let i = 0; i < 10_000; i++) ptrs.push(arena.alloc(((i * 7919) % 1000) * 4));
    // free in a scrambled order so coalescing is exercised in both directions
    for (let i = 0; i < ptrs.length; i += 2) arena.free(ptrs[i]!);
    for (let i = ptrs.length - 1; i >= 1; i -= 2) arena.free(ptrs[i]!);
    expect(arena.top).toBe(top0);
    expect(arena.liveBytes).toBe(live0);
    expect(arena.liveCount).toBe(1);
    arena.free(keep);
    expect(arena.top).toBe(arena.base);
  });

  it('reuses freed holes first-fit', () => {
    const arena = new Arena(memory(), 64);
    const a = arena.alloc(1024);
    arena.alloc(64);
    arena.free(a);
    expect(arena.alloc(512)).toBe(a);
    expect(arena.alloc(512)).toBe(a + 512);
  });

  it('zero-size buffers get distinct pointers and free cleanly', () => {
    const arena = new Arena(memory(), 64);
    const z1 = F32Buffer.alloc(arena, 0);
    const z2 = F32Buffer.alloc(arena, 0);
    expect(z1.ptr).not.toBe(z2.ptr);
    expect(z1.view().length).toBe(0);
    z1.dispose();
    z2.dispose();
    z2.dispose(); // idempotent
    expect(arena.top).toBe(arena.base);
  });

  it('rejects double frees, foreign pointers and bad sizes with clear messages', () => {
    const arena = new Arena(memory(), 64);
    const p = arena.alloc(8);
    arena.free(p);
    expect(() => arena.free(p)).toThrow(ArenaError);
    expect(() => arena.free(12345)).toThrow(/not a live allocation/);
    expect(() => arena.alloc(-1)).toThrow(/non-negative integer/);
    expect(() => arena.alloc(1.5)).toThrow(/non-negative integer/);
  });

  it('reports out of memory past its limit instead of corrupting', () => {
    const arena = new Arena(memory(), 64, 1 << 20);
    expect(() => arena.alloc(2 << 20)).toThrow(/out of memory/);
  });
});
