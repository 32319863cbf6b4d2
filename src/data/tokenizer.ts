// An incremental CSV tokenizer: text goes in by chunks (push), records come out through a callback
// as arrays of raw cells (quotes removed, "" unescaped, nothing trimmed) with the 1-based line each
// record starts on. RFC 4180 quoting (delimiters and line breaks inside quotes), \n or \r\n line
// ends, a leading BOM dropped, blank lines skipped (a line holding a tab or space delimiter is a
// record of empty cells, not blank). A line without a quote is split natively (the fast path); a
// record with quotes goes through a small state machine. `keep(record)` lets a reader skip records
// it does not want without splitting them (streamed splits).

import { ValidationError } from '../errors.js';

export type RecordSink = (cells: string[], line: number, record: number) => void;
/** A quote-free record as a span of the text (CR and LF excluded), for readers that split it themselves. */
export type LineSink = (text: string, start: number, end: number, line: number, record: number) => void;

export interface TokenizerOptions {
  /** Records for which this returns false are not split nor passed on (their line still counts). */
  keep?: (record: number) => boolean;
  /** Prefix of error messages (a file name). */
  source?: string;
  /** When given, records without a quote go here as spans instead of being split (the fast path of streamed encoding). */
  lines?: LineSink;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
  private buf = '';
  private line = 1;
  private records = 0;
  private started = false;
  private readonly keep: ((record: number) => boolean) | undefined;
  private readonly where: string;
  private readonly lines: LineSink | undefined;

  constructor(private readonly delimiter: string, private readonly sink: RecordSink, options: TokenizerOptions = {}) {
    this.keep = options.keep;
    this.where = options.source ? `${options.source}: ` : '';
    this.lines = options.lines;
  }

  /** Records emitted or skipped so far (blank lines excluded). */
  get recordCount(): number { return this.records; }

  /** Feeds the next piece of text; complete records are emitted now, a partial one waits. */
  push(text: string): void {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buf = this.buf.length ? this.buf + text : text;
    this.drain(false);
  }

  /** The line the next record starts on. */
  get lineNumber(): number { return this.line; }

  /**
   * Parses one complete record framed by the caller (a byte reader that hands over its records
   * with quotes): `text` holds all of it (with its line end, if any), it starts on `line` and is
   * record `record`.
   */
  pushRecord(text: string, line: number, record: number): void {
    this.started = true;
    this.line = line;
    this.records = record;
    this.buf = text;
    this.drain(true);
    this.buf = '';
  }

  /** Ends the input: emits the last record (a final line without a newline). */
  end(): void {
    this.drain(true);
    this.buf = '';
  }

  private drain(final: boolean): void {
    const buf = this.buf;
    const n = buf.length;
    const delim = this.delimiter;
    let pos = 0;
    let nextQuote = buf.indexOf('"');
    if (nextQuote < 0) nextQuote = n;
    while (pos < n) {
      let nl = buf.indexOf('\n', pos);
      if (nl < 0) {
        if (!final) break;
        nl = n;
      }
      if (nextQuote < pos) {
        nextQuote = buf.indexOf('"', pos);
        if (nextQuote < 0) nextQuote = n;
      }
      if (nextQuote >= nl) {
        const end = nl > pos && buf.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        if (!isBlank(buf, pos, end, delim)) {
          const r = this.records++;
          if (!this.keep || this.keep(r)) {
            if (this.lines) this.lines(buf, pos, end, this.line, r);
            else this.sink(buf.slice(pos, end).split(delim), this.line, r);
          }
        }
        this.line++;
        pos = nl + 1;
        continue;
      }
      const next = this.quoted(buf, pos, final);
      if (next < 0) break;
      pos = next;
    }
    this.buf = pos >= n ? '' : buf.slice(pos);
  }

  /** Parses the record at `start` that holds a quote; returns the position after it, or −1 when it is incomplete. */
  private quoted(buf: string, start: number, final: boolean): number {
    const n = buf.length;
    const d = this.delimiter.charCodeAt(0);
    const cells: string[] = [];
    let line = this.line;
    let i = start;
    let fieldStart = true;
    let field = '';
    for (;;) {
      if (fieldStart && i < n && buf.charCodeAt(i) === QUOTE) {
        const openLine = line;
        i++;
        let piece = i;
        for (;;) {
          if (i >= n) {
            if (!final) return -1;
            throw new ValidationError('csv', `${this.where}line ${openLine}, column ${cells.length + 1}: quoted field never closed`);
          }
          const c = buf.charCodeAt(i);
          if (c === QUOTE) {
            if (i + 1 >= n && !final) return -1;
            if (buf.charCodeAt(i + 1) === QUOTE) { field += buf.slice(piece, i + 1); i += 2; piece = i; continue; }
            field += buf.slice(piece, i);
            i++;
            break;
          }
          if (c === LF) line++;
          i++;
        }
        while (i < n && (buf.charCodeAt(i) === 32 || buf.charCodeAt(i) === 9) && buf.charCodeAt(i) !== d) i++;
        if (i >= n && !final) return -1;
        if (i < n) {
          const c = buf.charCodeAt(i);
          if (c !== d && c !== LF && c !== CR) {
            throw new ValidationError('csv', `${this.where}line ${line}, column ${cells.length + 1}: unexpected ${JSON.stringify(buf[i])} after a closing quote`);
          }
        }
        fieldStart = false;
        continue;
      }
      // an unquoted field (or the rest of one after a quoted part): up to the delimiter or the line end
      // a CR ends it only before an LF (or at the end of the text): a bare CR is text, as on the fast path
      let j = i;
      while (j < n) {
        const c = buf.charCodeAt(j);
        if (c === d || c === LF) break;
        if (c === CR) {
          if (j + 1 >= n) { if (!final) return -1; break; }
          if (buf.charCodeAt(j + 1) === LF) break;
        }
        j++;
      }
      if (j >= n && !final) return -1;
      field += buf.slice(i, j);
      i = j;
      if (i < n && buf.charCodeAt(i) === d) {
        cells.push(field);
        field = '';
        fieldStart = true;
        i++;
        continue;
      }
      // end of the record: CR LF, LF, CR, or the end of the input
      cells.push(field);
      if (i < n && buf.charCodeAt(i) === CR) {
        if (i + 1 >= n && !final) return -1;
        i++;
      }
      if (i < n && buf.charCodeAt(i) === LF) i++;
      const r = this.records++;
      if (!this.keep || this.keep(r)) this.sink(cells, this.line, r);
      this.line = line + 1;
      return i;
    }
  }
}

/** A line of spaces and tabs only; with a tab or space delimiter, a line holding it is a record of empty cells, not blank. */
function isBlank(s: string, from: number, to: number, delimiter: string): boolean {
  const d = delimiter.charCodeAt(0);
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c !== 32 && c !== 9 && c !== CR) || c === d) return false;
  }
  return true;
}

/**
 * Splits whole CSV text into records of raw cells, each with the line it starts on.
 * @example splitRecords('a,b\n"x, y",2\n', ',') // [{ cells: ['a','b'], line: 1 }, { cells: ['x, y','2'], line: 2 }]
 */
export function splitRecords(text: string, delimiter: string): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  const t = new CsvTokenizer(delimiter, (cells, line) => { out.push({ cells, line }); });
  t.push(text);
  t.end();
  return out;
}
