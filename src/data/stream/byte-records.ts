// The byte-level reader of streamed CSV: records are framed on the UTF-8 bytes as they come, with
// no text decoding and no string per cell. One loop over a line's bytes finds its delimiters
// (field bounds go to two reused Int32Arrays) and its end; a quote-free line goes to the sink as
// bounds in the chunk. A record with a quote is framed by the same state machine as
// CsvTokenizer.quoted, decoded and handed to a CsvTokenizer (its cells, its errors, its line
// numbers). Blank lines, CR LF, a line cut by a chunk boundary and the byte-order marks the text
// path drops (the decoder's and the tokenizer's) are handled as CsvTokenizer does on the text.

import { CsvTokenizer, type RecordSink } from '../tokenizer.js';
import { decodeSpan, type ByteStrings } from './byte-strings.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Field bounds of the current quote-free line: starts[j], ends[j] (untrimmed) for j < width. */
export class ByteFields {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Trimmed bounds of the field last given to trim(). */
  s = 0;
  e = 0;

  constructor(readonly width: number) {
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
  }

  /** Sets s, e to field j's bounds without ASCII white space; false when a bound byte is not ASCII (String.trim decides then). */
  trim(buf: Uint8Array, j: number): boolean {
    let s = this.starts[j]!;
    let e = this.ends[j]!;
    while (s < e && isSpace(buf[s]!)) s++;
    while (e > s && isSpace(buf[e - 1]!)) e--;
    this.s = s;
    this.e = e;
    return s === e || (buf[s]! < 128 && buf[e - 1]! < 128);
  }

  /** Field j decoded whole, then trimmed (String.trim: for bounds beyond ASCII). */
  decoded(buf: Uint8Array, j: number): string {
    return decodeSpan(buf, this.starts[j]!, this.ends[j]!).trim();
  }

  /** Field j as the trimmed string the text path gives (through `strings` when given). */
  cell(buf: Uint8Array, j: number, strings?: ByteStrings): string {
    if (!this.trim(buf, j)) return this.decoded(buf, j);
    return strings ? strings.get(buf, this.s, this.e) : decodeSpan(buf, this.s, this.e);
  }

  /** Every field, trimmed. */
  cells(buf: Uint8Array): string[] {
    const out = new Array<string>(this.width);
    for (let j = 0; j < this.width; j++) out[j] = this.cell(buf, j);
    return out;
  }
}

/** A quote-free record: its bytes are buf, its fields f (n of them; bounds kept for the first f.width). */
export type FieldSink = (buf: Uint8Array, f: ByteFields, n: number, line: number, record: number) => void;

export interface ByteRecordOptions {
  keep?: (record: number) => boolean;
  source?: string;
}

export class ByteRecords {
  readonly fields: ByteFields;
  private carry: Uint8Array | null = null;
  private line = 1;
  private records = 0;
  private started = false;
  private readonly keep: ((record: number) => boolean) | undefined;
  private readonly tok: CsvTokenizer;

  /** `delimiter`: one ASCII character; `width`: the fields whose bounds are kept. */
  constructor(private readonly delimiter: string, width: number, private readonly onFields: FieldSink, onCells: RecordSink, options: ByteRecordOptions = {}) {
    this.fields = new ByteFields(width);
    this.keep = options.keep;
    this.tok = new CsvTokenizer(delimiter, onCells, { keep: options.keep, source: options.source });
  }

  /** Feeds the next chunk (not kept: a line it cuts is copied). */
  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
      this.carry = null;
    }
    const pos = this.drain(buf, false);
    if (pos < buf.length) this.carry = buf.slice(pos);
  }

  /** Ends the input: the last record (without a line end) is emitted. */
  end(): void {
    const buf = this.carry ?? new Uint8Array(0);
    this.carry = null;
    this.drain(buf, true);
  }

  private drain(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    let pos = 0;
    if (!this.started) {
      if (n < 6 && !final) return 0;
      this.started = true;
      // the decoder drops a byte-order mark at the start of the stream, the tokenizer one more
      for (let k = 0; k < 2 && pos + 3 <= n && buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf; k++) pos += 3;
    }
    const d = this.delimiter.charCodeAt(0);
    const f = this.fields;
    const { starts, ends, width } = f;
    const keep = this.keep;
    while (pos < n) {
      let i = pos;
      let nf = 0;
      let from = pos;
      let c = 0;
      for (; i < n; i++) {
        c = buf[i]!;
        if (c === d) {
          if (nf < width) { starts[nf] = from; ends[nf] = i; }
          nf++;
          from = i + 1;
        } else if (c === LF || c === QUOTE) break;
      }
      if (i < n && c === QUOTE) {
        const next = this.quoted(buf, pos, final);
        if (next < 0) break;
        pos = next;
        continue;
      }
      if (i >= n && !final) break;
      const end = i > pos && buf[i - 1] === CR ? i - 1 : i;
      if (nf < width) { starts[nf] = from; ends[nf] = end; }
      if (nf > 0 || !blank(buf, pos, end)) {
        const r = this.records++;
        if (!keep || keep(r)) this.onFields(buf, f, nf + 1, this.line, r);
      }
      this.line++;
      pos = i + 1;
    }
    return pos > n ? n : pos;
  }

  /** The record with a quote at `start`: framed, then parsed by the tokenizer; the position after it, or −1 when incomplete. */
  private quoted(buf: Uint8Array, start: number, final: boolean): number {
    const end = quotedEnd(buf, start, this.delimiter.charCodeAt(0), final);
    if (end < 0) return -1;
    this.tok.pushRecord(decodeSpan(buf, start, end), this.line, this.records);
    this.line = this.tok.lineNumber;
    this.records = this.tok.recordCount;
    return end;
  }
}

/** Only spaces, tabs and CRs (a line holding the delimiter never comes here). */
function blank(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c !== 32 && c !== 9 && c !== CR) return false;
  }
  return true;
}

/**
 * Where the record at `start` ends (after its line end), by CsvTokenizer.quoted's rules: a quote
 * opens a field only at its start, "" is a quote inside one, a CR ends a record only before an LF
 * or at the end. −1 when the bytes end first (and more may come). Malformed input ends the record
 * just past the fault: the tokenizer, given it as complete, then reports it.
 */
function quotedEnd(buf: Uint8Array, start: number, d: number, final: boolean): number {
  const n = buf.length;
  let i = start;
  let fieldStart = true;
  for (;;) {
    if (fieldStart && i < n && buf[i] === QUOTE) {
      i++;
      for (;;) {
        if (i >= n) return final ? n : -1;
        const c = buf[i]!;
        if (c === QUOTE) {
          if (i + 1 >= n && !final) return -1;
          if (buf[i + 1] === QUOTE) { i += 2; continue; }
          i++;
          break;
        }
        i++;
      }
      while (i < n && (buf[i] === 32 || buf[i] === 9) && buf[i] !== d) i++;
      if (i >= n && !final) return -1;
      if (i < n) {
        const c = buf[i]!;
        if (c !== d && c !== LF && c !== CR) return i + 1;
      }
      fieldStart = false;
      continue;
    }
    let j = i;
    while (j < n) {
      const c = buf[j]!;
      if (c === d || c === LF) break;
      if (c === CR) {
        if (j + 1 >= n) { if (!final) return -1; break; }
        if (buf[j + 1] === LF) break;
      }
      j++;
    }
    if (j >= n && !final) return -1;
    i = j;
    if (i < n && buf[i] === d) { fieldStart = true; i++; continue; }
    if (i < n && buf[i] === CR) {
      if (i + 1 >= n && !final) return -1;
      i++;
    }
    if (i < n && buf[i] === LF) i++;
    return i;
  }
}
