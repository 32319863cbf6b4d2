// Typed-array views over a WebAssembly.Memory. `memory.grow` detaches every view taken before it,
// so nobody keeps one: callers ask this object each time, and it re-derives the views when the
// buffer changed. Hot code reads `views.f32` once per kernel call, after any allocation.
// WideViews (below) is the float64 variant the double-precision backend runs on.

export class Views {
  private buffer: ArrayBuffer | SharedArrayBuffer;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u32View: Uint32Array;
  private f64View: Float64Array;
  private u8View: Uint8Array;

  /** How a kernel's scalar argument is taken: rounded to float32, as a WebAssembly f32 parameter is
   *  (the pure-TS twins match the binaries); WideViews keep the double. */
  readonly scalar: (x: number) => number = Math.fround;

  constructor(readonly memory: WebAssembly.Memory) {
    this.buffer = memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u32View = new Uint32Array(this.buffer);
    this.f64View = new Float64Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }

  private refresh(): void {
    if (this.memory.buffer === this.buffer) return;
    this.buffer = this.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u32View = new Uint32Array(this.buffer);
    this.f64View = new Float64Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
  }

  get f32(): Float32Array { this.refresh(); return this.f32View; }
  get i32(): Int32Array { this.refresh(); return this.i32View; }
  get u32(): Uint32Array { this.refresh(); return this.u32View; }
  get f64(): Float64Array { this.refresh(); return this.f64View; }
  get u8(): Uint8Array { this.refresh(); return this.u8View; }

  /** A fresh Float32Array over `length` floats at byte pointer `ptr`; valid until memory grows. */
  f32At(ptr: number, length: number): Float32Array {
    return this.f32.subarray(ptr >>> 2, (ptr >>> 2) + length);
  }

  i32At(ptr: number, length: number): Int32Array {
    return this.i32.subarray(ptr >>> 2, (ptr >>> 2) + length);
  }

  /** Zero-fills `bytes` bytes at byte pointer `ptr` (what every view reads there). */
  zero(ptr: number, bytes: number): void {
    this.u8.fill(0, ptr, ptr + bytes);
  }
}

/**
 * Views whose `f32` holds doubles: a Float64Array with one element per 4-byte slot of the memory
 * (indexed by ptr >>> 2, like the f32 view, in a buffer of its own, twice the memory's size),
 * while i32, u32, f64 and u8 stay views of the memory. The pure-TS kernels read and write every
 * float through `f32`, so on these views they compute in double precision: the float64 backend
 * (gradient checks and traces with precision 'float64'). Each buffer must be accessed through one
 * kind of view, which the kernels and the layers already do (floats through f32, indices through
 * i32, random state through u32, losses and moments through f64).
 */
export class WideViews extends Views {
  private wide = new Float64Array(0);
  override readonly scalar = (x: number): number => x;

  override get f32(): Float32Array {
    const slots = this.memory.buffer.byteLength >>> 2;
    if (this.wide.length !== slots) {
      const next = new Float64Array(slots);
      next.set(this.wide.subarray(0, Math.min(slots, this.wide.length)));
      this.wide = next;
    }
    return this.wide as unknown as Float32Array;
  }

  override f32At(ptr: number, length: number): Float32Array {
    return this.f32.subarray(ptr >>> 2, (ptr >>> 2) + length);
  }

  override zero(ptr: number, bytes: number): void {
    super.zero(ptr, bytes);
    this.f32.fill(0, ptr >>> 2, (ptr + bytes) >>> 2);
  }
}
