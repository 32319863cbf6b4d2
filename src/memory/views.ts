// Typed-array views over a WebAssembly.Memory. `memory.grow` detaches every view taken before it,
// so nobody keeps one: callers ask this object each time, and it re-derives the views when the
// buffer changed. Hot code reads `views.f32` once per kernel call, after any allocation.

export class Views {
  private buffer: ArrayBuffer | SharedArrayBuffer;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u32View: Uint32Array;
  private f64View: Float64Array;
  private u8View: Uint8Array;

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
}
