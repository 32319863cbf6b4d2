// An allocator for WebAssembly linear memory, owned by TypeScript. Regions are ALIGN-byte aligned,
// handed out first-fit from a free list sorted by address; freed neighbours coalesce, and a free
// region at the top lowers the top, so allocating and freeing returns the arena to where it started.
// The memory grows on demand (which detaches views: see views.ts).

import { ArenaError } from '../errors.js';
import { DISPOSE } from './lifetime.js';
import { Views } from './views.js';

export { ArenaError } from '../errors.js';

export const ALIGN = 64;
const PAGE = 65536;

interface Span { ptr: number; size: number }

/**
 * The allocator over WebAssembly linear memory that every model and kernel buffer comes from.
 * @example const p = backend.arena.alloc(1024); backend.arena.free(p);
 */
export class Arena {
  readonly base: number;
  readonly views: Views;
  private topPtr: number;
  private readonly spans: Span[] = [];
  private readonly live = new Map<number, number>();
  private liveBytesCount = 0;

  constructor(readonly memory: WebAssembly.Memory, heapBase: number, private readonly maxBytes = 4 * 1024 * 1024 * 1024 - PAGE, views?: Views) {
    this.base = alignUp(Math.max(heapBase, ALIGN), ALIGN);
    this.topPtr = this.base;
    this.views = views ?? new Views(memory);
  }

  /** First byte past the highest region ever in use now. */
  get top(): number { return this.topPtr; }
  /** Bytes in live regions (after alignment). */
  get liveBytes(): number { return this.liveBytesCount; }
  /** The most bytes the arena may span (4 GiB less a page by default). */
  get limit(): number { return this.maxBytes; }
  /** Number of live regions. */
  get liveCount(): number { return this.live.size; }

  /** Allocates `bytes` (rounded up to ALIGN) and returns the byte pointer; zero bytes still gets a distinct pointer. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new ArenaError(`alloc: bytes must be a non-negative integer, got ${bytes}`);
    }
    const size = Math.max(ALIGN, alignUp(bytes, ALIGN));
    let ptr = -1;
    for (let i = 0; i < this.spans.length; i++) {
      const span = this.spans[i]!;
      if (span.size < size) continue;
      ptr = span.ptr;
      if (span.size === size) this.spans.splice(i, 1);
      else { span.ptr += size; span.size -= size; }
      break;
    }
    if (ptr < 0) {
      ptr = this.topPtr;
      this.ensureCapacity(ptr + size);
      this.topPtr = ptr + size;
    }
    this.live.set(ptr, size);
    this.liveBytesCount += size;
    return ptr;
  }

  /** One region per size, all or nothing (a failure frees the ones already taken); a null size gives pointer 0. */
  allocAll(sizes: readonly (number | null)[]): number[] {
    const ptrs: number[] = [];
    try {
      for (const bytes of sizes) ptrs.push(bytes === null ? 0 : this.alloc(bytes));
    } catch (e) {
      for (const p of ptrs) if (p) this.free(p);
      throw e;
    }
    return ptrs;
  }

  /** Allocates and zero-fills. */
  allocZeroed(bytes: number): number {
    const ptr = this.alloc(bytes);
    this.views.zero(ptr, Math.max(ALIGN, alignUp(bytes, ALIGN)));
    return ptr;
  }

  /** Returns a region to the arena. Freeing an unknown pointer throws (double free, foreign pointer). */
  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new ArenaError(`free: ${ptr} is not a live allocation (double free?)`);
    this.live.delete(ptr);
    this.liveBytesCount -= size;
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.spans[mid]!.ptr < ptr) lo = mid + 1; else hi = mid;
    }
    const span: Span = { ptr, size };
    this.spans.splice(lo, 0, span);
    const next = this.spans[lo + 1];
    if (next && span.ptr + span.size === next.ptr) { span.size += next.size; this.spans.splice(lo + 1, 1); }
    const prev = this.spans[lo - 1];
    if (prev && prev.ptr + prev.size === span.ptr) { prev.size += span.size; this.spans.splice(lo, 1); lo--; }
    const last = this.spans[this.spans.length - 1];
    if (last && last.ptr + last.size === this.topPtr) { this.topPtr = last.ptr; this.spans.pop(); }
  }

  /** Size in bytes of a live region. */
  sizeOf(ptr: number): number {
    const size = this.live.get(ptr);
    if (size === undefined) throw new ArenaError(`sizeOf: ${ptr} is not a live allocation`);
    return size;
  }

  private ensureCapacity(end: number): void {
    if (end > this.maxBytes) {
      throw new ArenaError(`out of memory: the arena needs ${end} bytes, the limit is ${this.maxBytes}`);
    }
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const wantPages = Math.ceil(end / PAGE);
    const havePages = have / PAGE;
    // Grow at least by half of what we have, so a sequence of allocations grows rarely.
    const grow = Math.max(wantPages - havePages, Math.min(Math.ceil(havePages / 2), Math.floor(this.maxBytes / PAGE) - havePages));
    try {
      this.memory.grow(grow);
    } catch (e) {
      throw new ArenaError(`out of memory: the host refused to grow the arena to ${end} bytes (${(e as Error).message})`);
    }
  }
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * The regions one owner (a model) holds in an arena: what is allocated through it is recorded, so
 * whatever is still held can be returned at once (release(): the finalizer of a dropped model,
 * src/memory/lifetime.ts). It references the arena only, never its owner.
 */
export class ArenaLease {
  readonly regions = new Set<number>();
  constructor(readonly arena: Arena) {}
  get views(): Views { return this.arena.views; }
  get limit(): number { return this.arena.limit; }
  get liveBytes(): number { return this.arena.liveBytes; }
  alloc(bytes: number): number { return this.hold(this.arena.alloc(bytes)); }
  allocZeroed(bytes: number): number { return this.hold(this.arena.allocZeroed(bytes)); }
  allocAll(sizes: readonly (number | null)[]): number[] {
    const ptrs = this.arena.allocAll(sizes);
    for (const p of ptrs) if (p) this.regions.add(p);
    return ptrs;
  }
  sizeOf(ptr: number): number { return this.arena.sizeOf(ptr); }
  free(ptr: number): void {
    this.arena.free(ptr);
    this.regions.delete(ptr);
  }
  /** Frees every region still held. */
  release(): void {
    for (const p of this.regions) this.arena.free(p);
    this.regions.clear();
  }
  private hold(ptr: number): number {
    this.regions.add(ptr);
    return ptr;
  }
}

/** What a model allocates through: the arena itself, or its lease of it. */
export type Allocator = Arena | ArenaLease;

/** A Float32 region in the arena with an owner-held lifetime. @example const b = F32Buffer.alloc(backend.arena, 256); b.view().fill(1); b.dispose(); */
export class F32Buffer {
  private disposed = false;
  constructor(readonly arena: Arena, readonly ptr: number, readonly length: number) {}

  static alloc(arena: Arena, length: number, zero = true): F32Buffer {
    const ptr = zero ? arena.allocZeroed(length * 4) : arena.alloc(length * 4);
    return new F32Buffer(arena, ptr, length);
  }

  /** A view valid until the next allocation that grows memory. */
  view(): Float32Array {
    return this.arena.views.f32At(this.ptr, this.length);
  }

  set(values: ArrayLike<number>, offset = 0): void {
    this.view().set(values, offset);
  }

  /** A copy, safe to keep. */
  toArray(): Float32Array {
    return this.view().slice();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.arena.free(this.ptr);
  }

  [DISPOSE](): void { this.dispose(); }
}
