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
  /** Whether stdout is a terminal (then data in results is shown with control characters escaped). */
  outIsTTY?: boolean;
}

export type Mode = 'text' | 'json' | 'quiet';

export function processIo(): Io {
  return {
    out: (s) => { process.stdout.write(s); },
    err: (s) => { process.stderr.write(s); },
    isTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns ?? 80,
    outIsTTY: Boolean(process.stdout.isTTY),
  };
}

/** The one escape sequence the CLI itself writes: back to the start of the line, clear it (the progress bar). */
const CLEAR_LINE = '\r\x1b[K';
// C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some terminals) and
// the bidirectional overrides that make text read differently from what it holds.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as it may reach a terminal: control characters from the data (class names, column names,
 * cells quoted in messages) are shown escaped (\x1b) instead of being obeyed.
 */
export function printable(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** An Io whose messages (stderr) are always printable, and whose results are when stdout is a terminal. */
export function guardIo(io: Io): Io {
  const safe = (s: string) => (s.startsWith(CLEAR_LINE) ? CLEAR_LINE + printable(s.slice(CLEAR_LINE.length)) : printable(s));
  return {
    out: (s) => io.out(io.outIsTTY ? safe(s) : s),
    err: (s) => io.err(safe(s)),
    isTTY: io.isTTY,
    columns: io.columns,
    outIsTTY: io.outIsTTY,
  };
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV cell of output. A value that a spreadsheet would run as a formula (it starts with
 * = + - @, a tab or a carriage return, and is not a plain number) gets a leading ' as OWASP
 * advises against CSV injection; a cell holding a quote, a comma, a line break or that prefix is
 * quoted (RFC 4180).
 */
export function csvCell(s: string): string {
  const v = FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
  return v !== s || /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Progress callbacks for fit(). */
export class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private last?: EpochLogs;
  private epoch = 0;

  constructor(private readonly io: Io, private readonly mode: Mode, private readonly epochs: number, private readonly batches: number) {}

  /** A resumed run: the bar starts after the epochs its checkpoint holds. */
  resumeAt(epochsDone: number): void {
    this.epoch = epochsDone;
  }

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

/** Classes up to which the text output prints the whole confusion matrix. */
export const MAX_MATRIX_CLASSES = 20;

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
  ];
  const k = s.classNames.length;
  if (k <= MAX_MATRIX_CLASSES) {
    lines.push('confusion matrix (rows: actual class, columns: predicted class)',
      formatConfusionMatrix({ labels: s.classNames.map((_, i) => i), matrix: s.confusionMatrix }, { targetNames: s.classNames })
        .split('\n').map((l) => `  ${l}`).join('\n'));
  } else {
    // a k×k matrix past 20 classes is wider than a terminal: the most frequent confusions instead
    const pairs: [number, number, number][] = [];
    s.confusionMatrix.forEach((row, a) => row.forEach((n, b) => { if (a !== b && n > 0) pairs.push([n, a, b]); }));
    pairs.sort((x, y) => y[0] - x[0]);
    lines.push(`${k} classes: the confusion matrix is in --json and the --report; the most frequent confusions (actual → predicted):`);
    for (const [n, a, b] of pairs.slice(0, 10)) lines.push(`  ${String(n).padStart(5)}  ${s.classNames[a]} → ${s.classNames[b]}`);
    if (pairs.length === 0) lines.push('  none');
    const low = s.perClass.filter((c) => c.support > 0).sort((x, y) => x.recall - y.recall).slice(0, 5);
    lines.push(`lowest recall: ${low.map((c) => `${c.name} ${(100 * c.recall).toFixed(1)}% of ${c.support}`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

export function rate(n: number): string {
  return `${Math.round(n).toLocaleString('en-US')} samples/s`;
}
