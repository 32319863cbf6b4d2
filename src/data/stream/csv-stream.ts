// A CSV table read as a stream of row batches, never whole: the dialect and the header come from
// the first 64 KiB, then records flow through the incremental tokenizer chunk by chunk. Each pass
// re-opens the source (a path, a Blob or a function; a stream or an iterator can be read once).
// `keep(row)` skips rows without splitting them (streamed train / validation / test splits).

import { ValidationError } from '../../errors.js';
import { resolveDialect, type Dialect } from '../dialect.js';
import { detectHeader, headerNames, type TableOptions } from '../table.js';
import { CsvTokenizer } from '../tokenizer.js';
import { ByteRecords, type ByteFields } from './byte-records.js';
import { byteChunks, isReopenable, textChunks, type ByteSource } from './bytes.js';

/** Rows of one chunk: trimmed cells, the line each starts on, and its 0-based data row index. */
export interface RowBatch {
  cells: string[][];
  lines: number[];
  rows: number[];
}

interface Pass { text: AsyncGenerator<string>; head: string; done: boolean }

const HEAD = 1 << 16;

export class CsvStream {
  names: string[] = [];
  dialect: Dialect | undefined;
  hasHeader = false;
  /** What reading the header changed (renamed columns), said to the user. */
  readonly notes: string[] = [];
  private pending: Pass | undefined;
  private passes = 0;
  readonly sourceName: string;

  constructor(readonly source: ByteSource, readonly options: TableOptions = {}) {
    this.sourceName = options.source ?? (typeof source === 'string' ? source : 'stream');
  }

  private async startPass(text?: AsyncGenerator<string>): Promise<Pass> {
    if (!text) {
      if (this.passes > 0 && !isReopenable(this.source)) {
        throw new ValidationError('source', `${this.sourceName}: a stream can be read once; pass a file path, a Blob or a function that opens the data again for more passes (epochs)`);
      }
      this.passes++;
      text = textChunks(this.source, this.sourceName);
    }
    let head = '';
    let done = false;
    while (head.length < HEAD) {
      const r = await text.next();
      if (r.done) { done = true; break; }
      head += r.value;
    }
    return { text, head, done };
  }

  /** Reads the start of the data: the dialect and the column names. */
  async open(): Promise<{ names: string[]; dialect: Dialect }> {
    if (this.dialect) return { names: this.names, dialect: this.dialect };
    const pass = await this.startPass();
    const dialect = resolveDialect(pass.head, this.options, pass.done);
    const first: string[][] = [];
    const tok = new CsvTokenizer(dialect.delimiter, (cells) => { if (first.length < 51) first.push(cells); }, { source: this.sourceName });
    const cut = pass.done ? pass.head.length : Math.max(pass.head.lastIndexOf('\n'), 0);
    tok.push(pass.head.slice(0, cut));
    if (pass.done) tok.end();
    if (first.length === 0) throw new ValidationError('csv', `${this.sourceName}: is empty, expected at least one row`);
    const h = this.options.header ?? 'auto';
    this.hasHeader = h === 'auto' ? detectHeader(first, dialect) : h;
    this.names = this.hasHeader ? headerNames(first[0]!, '', this.notes) : first[0]!.map((_, j) => `x${j}`);
    this.dialect = dialect;
    this.pending = isReopenable(this.source) ? undefined : pass;
    return { names: this.names, dialect };
  }

  /**
   * One pass over the data rows, in batches (one per chunk of text read). `keep(row)` (0-based data
   * row index) leaves rows out without splitting them.
   */
  async *rows(options: { keep?: (row: number) => boolean } = {}): AsyncGenerator<RowBatch> {
    let batch: RowBatch = { cells: [], lines: [], rows: [] };
    const sink: ScanSink = { cells: (cells, line, row) => { batch.cells.push(cells); batch.lines.push(line); batch.rows.push(row); } };
    for await (const _ of this.scan(sink, options)) {
      if (batch.cells.length) { yield batch; batch = { cells: [], lines: [], rows: [] }; }
    }
  }

  /**
   * One pass over the data rows through callbacks, yielding after each chunk of text. Rows with a
   * quote go to `cells` (trimmed, width checked); with `sink.line`, quote-free rows go there as a
   * span of `text` instead (untrimmed and unchecked: the reader splits them, see LineSplitter).
   */
  async *scan(sink: ScanSink, options: { keep?: (row: number) => boolean } = {}): AsyncGenerator<void> {
    await this.open();
    const pass = this.pending ?? (await this.startPass());
    this.pending = undefined;
    const keep = options.keep;
    const skip = this.hasHeader ? 1 : 0;
    const header = { line: 0 };
    const lineSink = sink.line;
    const tok = new CsvTokenizer(this.dialect!.delimiter, this.checkedCells(sink, header), {
      source: this.sourceName,
      keep: keep && ((r) => r < skip || keep(r - skip)),
      lines: lineSink && ((text, start, end, line, record) => {
        if (record < skip) { header.line = line; return; }
        lineSink(text, start, end, line, record - skip, header.line);
      }),
    });
    tok.push(pass.head);
    yield;
    if (!pass.done) {
      for (let r = await pass.text.next(); !r.done; r = await pass.text.next()) {
        tok.push(r.value);
        yield;
      }
    }
    tok.end();
    yield;
  }

  /**
   * scan() on the bytes (ByteRecords: no text decoding; quote-free rows go to `sink.fields` as
   * bounds in the chunk), or undefined when the bytes are not at hand: a source of strings, a
   * single-pass source, a delimiter beyond ASCII. Use scan() then (the string chunks already
   * opened are kept for it).
   */
  async scanBytes(sink: ByteScanSink, options: { keep?: (row: number) => boolean } = {}): Promise<AsyncGenerator<void> | undefined> {
    await this.open();
    if (this.pending || !isReopenable(this.source) || this.dialect!.delimiter.charCodeAt(0) >= 128) return undefined;
    this.passes++;
    const chunks = byteChunks(this.source, this.sourceName);
    const first = await chunks.next();
    if (!first.done && typeof first.value === 'string') {
      const head = first.value;
      this.pending = await this.startPass((async function* () { yield head; for await (const c of chunks) yield c as string; })());
      return undefined;
    }
    return this.byteScan(first.done ? undefined : (first.value as Uint8Array), chunks as AsyncGenerator<Uint8Array>, sink, options.keep);
  }

  private async *byteScan(first: Uint8Array | undefined, chunks: AsyncGenerator<Uint8Array>, sink: ByteScanSink, keep: ((row: number) => boolean) | undefined): AsyncGenerator<void> {
    const skip = this.hasHeader ? 1 : 0;
    const header = { line: 0 };
    const reader = new ByteRecords(this.dialect!.delimiter, this.names.length, (buf, f, n, line, record) => {
      if (record < skip) { header.line = line; return; }
      sink.fields(buf, f, n, line, record - skip, header.line);
    }, this.checkedCells(sink, header), { source: this.sourceName, keep: keep && ((r) => r < skip || keep(r - skip)) });
    if (first) {
      reader.push(first);
      yield;
      for await (const c of chunks) {
        reader.push(c);
        yield;
      }
    }
    reader.end();
    yield;
  }

  /** The tokenizer's records as sink.cells wants them: the header left out, widths checked, cells trimmed. */
  private checkedCells(sink: { cells: ScanSink['cells'] }, header: { line: number }): (cells: string[], line: number, record: number) => void {
    const width = this.names.length;
    const skip = this.hasHeader ? 1 : 0;
    const where = `${this.sourceName}: `;
    return (cells, line, record) => {
      if (record < skip) { header.line = line; return; }
      if (cells.length !== width) throw new ValidationError('csv', `${where}line ${line} has ${cells.length} fields, expected ${width}${header.line ? ` (as line ${header.line})` : ''}`);
      for (let j = 0; j < width; j++) cells[j] = cells[j]!.trim();
      sink.cells(cells, line, record - skip);
    };
  }
}

/** Callbacks of CsvStream.scan; `headerLine` is the header's line (0 without one), for messages. */
export interface ScanSink {
  cells: (cells: string[], line: number, row: number) => void;
  line?: (text: string, start: number, end: number, line: number, row: number, headerLine: number) => void;
}

/** Callbacks of CsvStream.scanBytes: rows with a quote as trimmed cells, the others as fields in the bytes (untrimmed, unchecked). */
export interface ByteScanSink {
  cells: (cells: string[], line: number, row: number) => void;
  fields: (buf: Uint8Array, f: ByteFields, n: number, line: number, row: number, headerLine: number) => void;
}

/**
 * Which part of a streamed split row `i` belongs to: a 32-bit hash of (i, seed) — MurmurHash3's
 * finalizer of i XOR (seed · 0x9E3779B9) — divided by 2³², is below `test` for the test part,
 * below test + validation for the validation part, else training. Reproducible from any language:
 * the same row goes to the same part on every pass and every run.
 */
export function splitPart(i: number, seed: number, test: number, validation: number): 'train' | 'validation' | 'test' {
  let h = (i ^ Math.imul(seed, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  const u = h / 4294967296;
  return u < test ? 'test' : u < test + validation ? 'validation' : 'train';
}
