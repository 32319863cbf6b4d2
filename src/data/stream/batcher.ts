// Rows in, shuffled batches out, with one copy per row: a reader encodes each row straight into
// the place `place()` gives — a free slot of the shuffle buffer, or the slot of a random held row
// that moves out now to the ready rows (or a ready row itself, without shuffling). Ready rows are
// in batch order, so a batch is a view of B of them (views made once per growth of the area).
// Rows are copied as 32-bit integers: the float bits move unchanged, with no conversion.

import type { Rng } from '../../rng.js';
import type { Matrix } from '../matrix.js';

export interface Batch { X: Matrix; y: Int32Array | Float32Array }

export class Batcher {
  /** Destination of the row `place()` gave: features at x[k·width ...], label at y[k]. */
  x: Float32Array;
  y: Int32Array | Float32Array;
  private readonly heldX: Float32Array;
  private readonly heldI: Int32Array;
  private readonly heldY: Int32Array | Float32Array;
  private held = 0;
  private readyX: Float32Array;
  private readyI: Int32Array;
  private readyY: Int32Array | Float32Array;
  private ready = 0;
  private taken = 0;
  private views: Batch[] = [];

  constructor(private readonly width: number, private readonly batchSize: number, private readonly shuffle: number, private readonly classes: boolean, private readonly rng: Rng) {
    const S = Math.max(shuffle, 1);
    this.heldX = new Float32Array(S * width);
    this.heldI = new Int32Array(this.heldX.buffer);
    this.heldY = classes ? new Int32Array(S) : new Float32Array(S);
    this.readyX = new Float32Array(0);
    this.readyI = new Int32Array(0);
    this.readyY = this.heldY;
    this.grow(Math.max(4 * batchSize, 1024));
    this.x = this.readyX;
    this.y = this.readyY;
  }

  /** Rows held in ready order beyond what was taken. */
  private grow(rows: number): void {
    const cap = Math.ceil(rows / this.batchSize) * this.batchSize;
    const w = this.width;
    const x = new Float32Array(cap * w);
    x.set(this.readyX.subarray(0, this.ready * w));
    const y = this.classes ? new Int32Array(cap) : new Float32Array(cap);
    y.set(this.readyY.subarray(0, this.ready));
    this.readyX = x;
    this.readyI = new Int32Array(x.buffer);
    this.readyY = y;
    const B = this.batchSize;
    this.views = Array.from({ length: cap / B }, (_, k) => ({ X: { data: x.subarray(k * B * w, (k + 1) * B * w), rows: B, cols: w }, y: y.subarray(k * B, (k + 1) * B) }));
  }

  private readyRow(): number {
    if (this.ready === this.readyY.length) this.grow(this.ready * 2);
    return this.ready++;
  }

  /** The row index (in this.x, this.y) where the next row is to be written. */
  place(): number {
    if (this.shuffle === 0) {
      const k = this.readyRow();
      this.x = this.readyX;
      this.y = this.readyY;
      return k;
    }
    this.x = this.heldX;
    this.y = this.heldY;
    if (this.held < this.shuffle) return this.held++;
    const j = this.rng.int(this.shuffle);
    this.moveOut(j);
    return j;
  }

  private moveOut(j: number): void {
    const k = this.readyRow();
    const w = this.width;
    const from = this.heldI;
    const to = this.readyI;
    for (let i = 0, a = j * w, b = k * w; i < w; i++) to[b + i] = from[a + i]!;
    this.readyY[k] = this.heldY[j]!;
  }

  /** The next full batch of ready rows (valid until the next call), or null; compacts when none is left. */
  take(): Batch | null {
    const B = this.batchSize;
    if (this.ready - this.taken >= B) {
      const v = this.views[this.taken / B]!;
      this.taken += B;
      return v;
    }
    if (this.taken > 0) {
      const w = this.width;
      this.readyI.copyWithin(0, this.taken * w, this.ready * w);
      this.readyY.copyWithin(0, this.taken, this.ready);
      this.ready -= this.taken;
      this.taken = 0;
    }
    return null;
  }

  /** At the end of a pass: the held rows move out in random order (each time a random one of those left). */
  finish(): void {
    const w = this.width;
    for (let i = this.held - 1; i >= 0; i--) {
      const j = this.rng.int(i + 1);
      this.moveOut(j);
      this.heldI.copyWithin(j * w, i * w, (i + 1) * w);
      this.heldY[j] = this.heldY[i]!;
    }
    this.held = 0;
  }

  /** The last, partial batch after finish() and take(), or null. */
  rest(): Batch | null {
    const m = this.ready - this.taken;
    if (m === 0) return null;
    const w = this.width;
    const at = this.taken;
    this.taken = this.ready;
    return { X: { data: this.readyX.subarray(at * w, (at + m) * w), rows: m, cols: w }, y: this.readyY.subarray(at, at + m) };
  }
}
