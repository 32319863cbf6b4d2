// Per-epoch progress for `verbose`: a redrawn bar with ETA on a TTY, one line per epoch otherwise.

import type { EpochLogs, History } from './types.js';

interface Out { isTTY?: boolean; columns?: number; write(s: string): unknown }

function stdout(): Out | undefined {
  const p = (globalThis as { process?: { stdout?: Out } }).process;
  return p?.stdout;
}

export function formatEpoch(l: EpochLogs, epochs: number): string {
  const parts = [`epoch ${String(l.epoch + 1).padStart(String(epochs).length)}/${epochs}`, `loss ${l.loss.toFixed(4)}`];
  if (l.accuracy !== undefined) parts.push(`acc ${(100 * l.accuracy).toFixed(2)}%`);
  if (l.valLoss !== undefined) parts.push(`val_loss ${l.valLoss.toFixed(4)}`);
  if (l.valAccuracy !== undefined) parts.push(`val_acc ${(100 * l.valAccuracy).toFixed(2)}%`);
  parts.push(`${l.time.toFixed(2)}s`);
  return parts.join('  ');
}

export class EpochPrinter {
  private readonly out = stdout();
  private readonly tty: boolean;
  private readonly start = Date.now();
  private lastDraw = 0;

  constructor(private readonly epochs: number, private readonly batches: number) {
    this.tty = Boolean(this.out?.isTTY);
  }

  private write(s: string): void {
    if (this.out) this.out.write(s); else console.log(s.replace(/\n$/, ''));
  }

  batch(epoch: number, batch: number, loss: number): void {
    if (!this.tty) return;
    const t = Date.now();
    if (t - this.lastDraw < 100) return;
    this.lastDraw = t;
    const done = (epoch * this.batches + batch + 1) / (this.epochs * this.batches);
    const width = 24;
    const fill = Math.round(done * width);
    const elapsed = (t - this.start) / 1000;
    const eta = done > 0 ? elapsed * (1 - done) / done : 0;
    this.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] epoch ${epoch + 1}/${this.epochs} loss ${loss.toFixed(4)} ETA ${eta.toFixed(0)}s   `);
  }

  epoch(l: EpochLogs): void {
    this.write(`${this.tty ? '\r\x1b[K' : ''}${formatEpoch(l, this.epochs)}\n`);
  }

  done(): void {}
}

/**
 * Training samples per second over a whole fit: the samples of every epoch divided by the summed
 * epoch times (validation included), i.e. Σ samplesPerSec·time / Σ time. The one figure the CLI
 * and the report print (a mean of per-epoch rates would overweight fast epochs).
 * @example const sps = trainingThroughput(model.fitSync(X, y, { epochs: 5 }));
 */
export function trainingThroughput(h: Pick<History, 'samplesPerSec' | 'time'>): number {
  let samples = 0;
  let seconds = 0;
  h.time.forEach((t, i) => { samples += h.samplesPerSec[i]! * Math.max(t, 1e-9); seconds += Math.max(t, 1e-9); });
  return seconds > 0 ? samples / seconds : NaN;
}
