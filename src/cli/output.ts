// What the CLI prints. Results (scores, predictions, JSON lines) go to stdout; progress (the bar
// on a terminal, a line per epoch otherwise) and messages go to stderr, so `--json | jq` and
// `predict > out.csv` see results only. --quiet prints nothing but errors.

import { confusionMatrix, formatConfusionMatrix } from '../metrics/confusion.js';
import { classificationReport } from '../metrics/report.js';
import type { BatchLogs, EpochLogs } from '../train/fit.js';
import { formatEpoch } from '../train/progress.js';

export interface Io {
  /** Results. */
  out(s: string): void;
  /** Progress, messages, warnings and errors. */
  err(s: string): void;
  /** Whether stderr (where the progress bar is drawn) is a terminal, and its width. */
  isTTY: boolean;
  columns: number;
}

export type Mode = 'text' | 'json' | 'quiet';

export function processIo(): Io {
  return {
    out: (s) => { process.stdout.write(s); },
    err: (s) => { process.stderr.write(s); },
    isTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns ?? 80,
  };
}

/** Progress callbacks for fit(). */
export class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private last?: EpochLogs;
  private epoch = 0;

  constructor(private readonly io: Io, private readonly mode: Mode, private readonly epochs: number, private readonly batches: number) {}

  readonly onBatchEnd = (batch: number, logs: BatchLogs): void => {
    if (this.mode !== 'text' || !this.io.isTTY) return;
    const t = Date.now();
    if (t - this.lastDraw < 80 && batch !== this.batches - 1) return;
    this.lastDraw = t;
    this.draw((this.epoch * this.batches + batch + 1) / (this.epochs * this.batches), logs.loss);
  };

  readonly onEpochEnd = (epoch: number, logs: EpochLogs): void => {
    this.epoch = epoch + 1;
    this.last = logs;
    if (this.mode === 'json') {
      this.io.out(JSON.stringify({ type: 'epoch', ...logs, epoch: epoch + 1, epochs: this.epochs }) + '\n');
    } else if (this.mode === 'text') {
      if (this.io.isTTY) this.io.err(`\r\x1b[K${formatEpoch(logs, this.epochs)}\n`);
      else this.io.err(formatEpoch(logs, this.epochs) + '\n');
    }
  };

  private draw(done: number, loss: number): void {
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = done > 0 ? (elapsed * (1 - done)) / done : 0;
    const width = Math.max(10, Math.min(30, this.io.columns - 90));
    const fill = Math.round(done * width);
    const parts = [`[${'█'.repeat(fill)}${'░'.repeat(width - fill)}]`, `epoch ${Math.min(this.epoch + 1, this.epochs)}/${this.epochs}`, `loss ${loss.toFixed(4)}`];
    const l = this.last;
    if (l?.accuracy !== undefined) parts.push(`acc ${(100 * l.accuracy).toFixed(1)}%`);
    if (l?.valLoss !== undefined) parts.push(`val_loss ${l.valLoss.toFixed(4)}`);
    if (l?.valAccuracy !== undefined) parts.push(`val_acc ${(100 * l.valAccuracy).toFixed(1)}%`);
    parts.push(`ETA ${eta < 60 ? `${eta.toFixed(0)}s` : `${(eta / 60).toFixed(1)}min`}`);
    this.io.err(`\r\x1b[K${parts.join('  ')}`);
  }
}

export interface Scores {
  samples: number;
  accuracy: number;
  misclassificationRate: number;
  precision: number;
  recall: number;
  f1: number;
  classNames: string[];
  confusionMatrix: number[][];
  perClass: { name: string; precision: number; recall: number; f1: number; support: number }[];
}

/** Scores of predicted class indices against true ones (classes 0..k−1 named by classNames). */
export function score(yTrue: Int32Array, yPred: Int32Array, classNames: string[]): Scores {
  const labels = classNames.map((_, i) => i);
  const rep = classificationReport(yTrue, yPred, { labels, targetNames: classNames });
  const cm = confusionMatrix(yTrue, yPred, { labels });
  return {
    samples: yTrue.length,
    accuracy: rep.accuracy,
    misclassificationRate: 1 - rep.accuracy,
    precision: rep.macroAvg.precision,
    recall: rep.macroAvg.recall,
    f1: rep.macroAvg.f1,
    classNames,
    confusionMatrix: cm.matrix,
    perClass: rep.perClass.map((r) => ({ name: r.name, precision: r.precision, recall: r.recall, f1: r.f1, support: r.support })),
  };
}

export function formatScores(s: Scores, on: string): string {
  const p = (x: number) => `${(100 * x).toFixed(2)}%`;
  const lines = [
    `${on} (${s.samples} samples)`,
    `  accuracy               ${p(s.accuracy)}`,
    `  misclassification rate ${p(s.misclassificationRate)}`,
    `  macro precision        ${s.precision.toFixed(4)}`,
    `  macro recall           ${s.recall.toFixed(4)}`,
    `  macro F1               ${s.f1.toFixed(4)}`,
    '',
    'confusion matrix (rows: actual class, columns: predicted class)',
    formatConfusionMatrix({ labels: s.classNames.map((_, i) => i), matrix: s.confusionMatrix }, { targetNames: s.classNames })
      .split('\n').map((l) => `  ${l}`).join('\n'),
  ];
  return lines.join('\n') + '\n';
}

export function rate(n: number): string {
  return `${Math.round(n).toLocaleString('en-US')} samples/s`;
}
