// The fast path of streamed encoding: a quote-free line is split in place (field bounds in two
// reused Int32Arrays, no array of strings), and cells become strings only where an encoder needs
// one. Numbers are decoded from the character codes (spanNumber in dialect.ts). Every shortcut gives exactly
// what the string path gives (split, trim, parseNumber), and falls back to it when unsure.

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

export class LineSplitter {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Trimmed bounds of the cell last given to trim(). */
  s = 0;
  e = 0;

  constructor(readonly width: number, private readonly delim: string) {
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
  }

  /** Splits text[s, e) at the delimiter; returns the number of fields (bounds kept for the first `width`). */
  split(text: string, s: number, e: number): number {
    const { starts, ends, width } = this;
    let n = 0;
    let from = s;
    for (let i = text.indexOf(this.delim, s); i >= 0 && i < e; i = text.indexOf(this.delim, i + 1)) {
      if (n < width) { starts[n] = from; ends[n] = i; }
      n++;
      from = i + 1;
    }
    if (n < width) { starts[n] = from; ends[n] = e; }
    return n + 1;
  }

  /** Sets s, e to field j's bounds without ASCII white space; false when a bound is not ASCII (String.trim decides then). */
  trim(text: string, j: number): boolean {
    let s = this.starts[j]!;
    let e = this.ends[j]!;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    this.s = s;
    this.e = e;
    return s === e || (text.charCodeAt(s) < 128 && text.charCodeAt(e - 1) < 128);
  }

  /** Field j as the trimmed string the string path gives. */
  cell(text: string, j: number): string {
    return this.trim(text, j) ? text.slice(this.s, this.e) : text.slice(this.starts[j]!, this.ends[j]!).trim();
  }

  /** Every field, trimmed. */
  cells(text: string): string[] {
    const out = new Array<string>(this.width);
    for (let j = 0; j < this.width; j++) out[j] = this.cell(text, j);
    return out;
  }
}
