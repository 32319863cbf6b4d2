// Fuzz: the CSV readers (tokenizer, dialect, parseTable, parseCsv) against an independent writer.
// A random table is written (test/fuzz/csv-gen.ts), read back, and compared exactly: every cell,
// every line number, the header, the float32 values and the labels. Invalid tables (a cell that
// is not a number, a number past float32, a ragged row, a duplicate header name) must be refused
// with a ValidationError naming the line and column the writer put them on. Mutated text (any
// characters inserted, deleted or swapped) may be refused, but only with a ValidationError, and
// the tokenizer fed in random chunks must give the records it gives on the whole text.

import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.js';
import { parseCsv } from '../../src/data/csv.js';
import { parseTable } from '../../src/data/table.js';
import { CsvTokenizer, splitRecords } from '../../src/data/tokenizer.js';
import { NA_SPELLINGS, NOT_NUMBERS, TOO_LARGE, numberValue, randomDelimiter, randomFloat32, randomText, spellNumber, writeCsv, type WriteOptions } from './csv-gen.js';
import { fuzz, printReports, type Gen } from './harness.js';

function writeOptions(g: Gen, delimiter: string): WriteOptions {
  return {
    delimiter,
    overQuote: g.pick([0, 0.1, 0.5]),
    bareInnerQuotes: g.bool(0.2),
    crlf: g.pick(['lf', 'crlf', 'mixed'] as const),
    blankLines: g.bool(0.3),
    bom: g.bool(0.1),
    finalNewline: g.bool(0.7),
    spaceAfterQuote: g.bool(0.3),
    bareCR: g.bool(0.3),
  };
}

/** Records read by a tokenizer fed in random pieces. */
function chunked(g: Gen, text: string, delimiter: string): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  const t = new CsvTokenizer(delimiter, (cells, line) => { out.push({ cells: cells.slice(), line }); });
  let i = 0;
  while (i < text.length) {
    const n = g.pick([1, 1, 2, 3, 7, 64, text.length]);
    t.push(text.slice(i, i + n));
    i += n;
  }
  t.end();
  return out;
}

function distinctNames(g: Gen, width: number): string[] {
  const names: string[] = [];
  while (names.length < width) {
    const n = `${g.pick(['a', 'col', 'x', 'Größe', '名前', 'quote"d', 'with,comma', 'semi;colon', 'new\nline'])}${names.length}`;
    names.push(g.bool(0.3) ? ` ${n} ` : n);
  }
  return names;
}

describe('fuzz: CSV', () => {
  afterAll(printReports);

  it('tokenizer and parseTable: random text tables round-trip exactly (cells, lines, header), whole and in chunks', async () => {
    const r = await fuzz('csv.table', 6000, (g, outcome) => {
      const delimiter = randomDelimiter(g);
      const width = g.int(1, 6);
      const rows = g.int(1, 12);
      const header = g.bool(0.4);
      const body = Array.from({ length: rows }, () => Array.from({ length: width }, () => randomText(g)));
      const names = header ? distinctNames(g, width) : [];
      const records = header ? [names, ...body] : body;
      const o = writeOptions(g, delimiter);
      const { text, lines } = writeCsv(g, records, o);

      // the tokenizer: raw cells exactly as written, whole or fed in pieces
      const whole = splitRecords(text, delimiter);
      expect(whole.map((x) => x.cells), 'records').toEqual(records);
      expect(whole.map((x) => x.line), 'lines').toEqual(lines);
      expect(chunked(g, text, delimiter), 'chunked records').toEqual(whole);

      // parseTable: trimmed cells by column, the line of every row
      const t = parseTable(text, { delimiter, header });
      expect(t.hasHeader).toBe(header);
      expect(t.rows).toBe(rows);
      if (header) expect(t.names).toEqual(names.map((n) => n.trim()));
      for (let j = 0; j < width; j++) expect(t.columns[j], `column ${j}`).toEqual(body.map((r) => r[j]!.trim()));
      expect(Array.from(t.lines)).toEqual(header ? lines.slice(1) : lines);
      outcome.kind = header ? 'header' : 'no header';
    });
    expect(r.ok).toBe(r.cases);
  }, 120_000);

  it('parseTable refuses ragged rows and unclosed quotes, naming the line; renames a repeated name as pandas does', async () => {
    const r = await fuzz('csv.table-invalid', 2000, (g, outcome) => {
      const delimiter = randomDelimiter(g);
      const width = g.int(2, 5);
      const rows = g.int(2, 8);
      const body = Array.from({ length: rows }, () => Array.from({ length: width }, () => randomText(g)));
      const names = distinctNames(g, width);
      const fault = g.pick(['ragged', 'duplicate', 'unclosed'] as const);
      outcome.kind = fault;
      if (fault !== 'duplicate') outcome.expectError = ValidationError;
      const bad = g.int(1, rows - 1);
      if (fault === 'ragged') body[bad] = g.bool() ? body[bad]!.slice(1) : [...body[bad]!, 'extra'];
      if (fault === 'duplicate') names[g.int(1, width - 1)] = ` ${names[0]!.trim()}`;
      if (fault === 'unclosed') body[rows - 1] = body[rows - 1]!.map((_, j) => `plain${j}`);
      const o = writeOptions(g, delimiter);
      let { text, lines } = writeCsv(g, [names, ...body], { ...o, blankLines: false });
      if (fault === 'unclosed') {
        // an opening quote on the last record that never closes: everything after it is one field
        const at = text.lastIndexOf('\n', text.length - 2) + 1;
        text = text.slice(0, at) + '"' + text.slice(at).replaceAll('"', '');
        outcome.messageIncludes = [`line ${lines[rows]}`, 'never closed'];
      } else if (fault === 'ragged') {
        outcome.messageIncludes = [`line ${lines[bad + 1]} has ${body[bad]!.length} fields, expected ${width}`];
      }
      const t = parseTable(text, { delimiter, header: true });
      if (fault !== 'duplicate') return;
      const dup = names.findIndex((n, j) => j > 0 && n.trim() === names[0]!.trim());
      expect(t.names[dup]).toBe(`${names[0]!.trim()}.1`);
      expect(t.notes!.join('\n')).toContain(`column ${dup + 1} is read as ${JSON.stringify(`${names[0]!.trim()}.1`)}`);
    });
    expect(r.errors + r.ok).toBe(r.cases);
    expect(r.errors).toBeGreaterThan(0);
  }, 120_000);

  it('parseCsv: random numeric tables round-trip to the exact float32 values and labels', async () => {
    const r = await fuzz('csv.numbers', 6000, (g, outcome) => {
      const decimal = g.bool(0.3) ? ',' as const : '.' as const;
      let delimiter = randomDelimiter(g);
      if (decimal === ',' && delimiter === ',') delimiter = ';';
      const features = g.int(1, 5);
      const rows = g.int(1, 25);
      const labelKind = g.pick(['none', 'number', 'text'] as const);
      const width = features + (labelKind === 'none' ? 0 : 1);
      const labelAt = labelKind === 'none' ? -1 : g.int(0, features);
      const values = Array.from({ length: rows * features }, () => randomFloat32(g));
      const labelCells: string[] = [];
      for (let i = 0; i < rows; i++) {
        if (labelKind === 'number') labelCells.push(spellNumber(g, g.bool() ? g.int(0, 9) : randomFloat32(g), decimal));
        else if (labelKind === 'text') labelCells.push(g.pick(['cat', 'dog', ' Ünïcødé ', 'a,b', 'say "hi"', 'two\nlines', '😀', '=cmd', 'x;y', 'tab\there']));
      }
      if (labelKind === 'text' && labelCells.every((c) => Number.isFinite(numberValue(c, decimal)))) labelCells[0] = 'cat';
      const pad = (s: string) => (g.bool(0.2) ? ` ${s}` : s) + (g.bool(0.2) ? '  ' : '');
      const body: string[][] = [];
      for (let i = 0; i < rows; i++) {
        const cells = Array.from({ length: features }, (_, k) => pad(spellNumber(g, values[i * features + k]!, decimal)));
        if (labelAt >= 0) cells.splice(labelAt, 0, pad(labelCells[i]!));
        body.push(cells);
      }
      const header = g.bool(0.4);
      const names = distinctNames(g, width).map((n) => n.replace(/\d+$/, (d) => `_${d}`));
      // a sniffed delimiter is exact when no cell holds a candidate outside quotes: quote every cell
      const sniff = width > 1 && decimal === '.' && [',', ';', '\t', '|'].includes(delimiter) && g.bool(0.25);
      const wo = writeOptions(g, delimiter);
      const { text } = writeCsv(g, header ? [names, ...body] : body, sniff ? { ...wo, overQuote: 1, spaceAfterQuote: false } : wo);
      const headerOpt = g.bool(0.5) ? 'auto' as const : header;
      const labelColumn = labelAt < 0 ? null : header && g.bool() ? names[labelAt]!.trim() : g.bool() ? labelAt : labelAt - width;
      const opts = { delimiter: sniff ? 'auto' : delimiter, decimal, labelColumn, header: headerOpt };
      const d = parseCsv(text, opts);
      outcome.kind = `${labelKind} labels${headerOpt === 'auto' ? ', auto header' : ''}`;

      expect(d.X.rows).toBe(rows);
      expect(d.X.cols).toBe(features);
      const expected = Float32Array.from(body.flatMap((cells) => cells.filter((_, j) => j !== labelAt).map((c) => numberValue(c, decimal))));
      expect(d.X.data.length).toBe(expected.length);
      for (let k = 0; k < expected.length; k++) {
        if (!Object.is(d.X.data[k], expected[k])) expect.fail(`X[${k}] is ${d.X.data[k]}, written ${JSON.stringify(body[Math.floor(k / features)])} → ${expected[k]}`);
      }
      const allNames = header ? names.map((n) => n.trim()) : Array.from({ length: width }, (_, j) => `x${j}`);
      expect(d.featureNames).toEqual(allNames.filter((_, j) => j !== labelAt));
      if (labelKind === 'none') {
        expect(d.y).toEqual([]);
        expect(d.labelName).toBe(null);
      } else {
        expect(d.labelName).toBe(allNames[labelAt]);
        if (labelKind === 'number') {
          expect(d.y).toEqual(labelCells.map((c) => numberValue(c, decimal)));
          expect(d.classNames).toBeUndefined();
        } else {
          const trimmed = labelCells.map((c) => c.trim());
          expect(d.y).toEqual(trimmed);
          expect(d.classNames).toEqual([...new Set(trimmed)].sort());
        }
      }
    });
    expect(r.ok).toBe(r.cases);
  }, 120_000);

  it('parseCsv refuses a cell that is not a float32 number (missing, text, past ±3.4e38), naming its line and column', async () => {
    const r = await fuzz('csv.numbers-invalid', 3000, (g, outcome) => {
      const delimiter = randomDelimiter(g);
      const features = g.int(2, 5);
      const rows = g.int(2, 15);
      const body = Array.from({ length: rows }, () => Array.from({ length: features + 1 }, () => spellNumber(g, randomFloat32(g), '.')));
      const bi = g.int(0, rows - 1);
      const bj = g.int(0, features - 1);
      const kind = g.pick(['missing', 'not a number', 'too large'] as const);
      const cell = kind === 'missing' ? g.pick(NA_SPELLINGS) : kind === 'too large' ? g.pick(TOO_LARGE) : g.pick(NOT_NUMBERS);
      body[bi]![bj] = g.bool(0.3) ? ` ${cell} ` : cell;
      const header = g.bool(0.5);
      const { text, lines } = writeCsv(g, header ? [distinctNames(g, features + 1), ...body] : body, writeOptions(g, delimiter));
      // headerless with a missing cell in the first row: the numbers beside it say it is data (issue 13: it used to be dropped as a header)
      const headerOpt = !header && kind === 'missing' ? 'auto' : header;
      outcome.kind = kind;
      outcome.expectError = ValidationError;
      outcome.messageIncludes = [`line ${lines[bi + (header ? 1 : 0)]}, column ${bj + 1}`];
      parseCsv(text, { delimiter, decimal: '.', header: headerOpt });
    });
    expect(r.errors).toBe(r.cases);
  }, 120_000);

  it('mutated CSV text: only ValidationErrors, and the chunked tokenizer agrees with the whole-text one', async () => {
    const ALPHABET = ['"', ',', ';', '\t', '\n', '\r', '\r\n', ' ', 'a', '1', '.', '-', 'e', '\uFEFF', '😀', '\ud800'];
    const r = await fuzz('csv.mutated', 5000, (g, outcome) => {
      const delimiter = randomDelimiter(g);
      const width = g.int(1, 4);
      const records = Array.from({ length: g.int(1, 8) }, () => Array.from({ length: width }, () => (g.bool() ? spellNumber(g, randomFloat32(g), '.') : randomText(g, 2))));
      let { text } = writeCsv(g, records, writeOptions(g, delimiter));
      for (let m = g.int(1, 4); m > 0; m--) {
        const at = g.int(0, text.length);
        const op = g.int(0, 2);
        if (op === 0) text = text.slice(0, at) + g.pick(ALPHABET) + text.slice(at);
        else if (op === 1) text = text.slice(0, at) + text.slice(at + g.int(1, 3));
        else text = text.slice(0, at);
      }
      let whole: unknown;
      try { whole = splitRecords(text, delimiter); } catch (e) { whole = e instanceof ValidationError ? 'error' : e; }
      let pieces: unknown;
      try { pieces = chunked(g, text, delimiter); } catch (e) { pieces = e instanceof ValidationError ? 'error' : e; }
      expect(pieces, 'chunked tokenizer').toEqual(whole);
      outcome.kind = 'mutated';
      // the readers: any outcome, as long as a refusal is a ValidationError
      outcome.expectError = ValidationError;
      outcome.mayRefuse = true;
      try { parseTable(text, { delimiter: g.bool() ? delimiter : 'auto', header: g.pick([true, false, 'auto'] as const) }); } catch (e) { if (!(e instanceof ValidationError)) throw e; }
      parseCsv(text, { delimiter: g.bool() ? delimiter : 'auto', header: g.pick([true, false, 'auto'] as const) });
    });
    expect(r.cases).toBeGreaterThan(0);
  }, 120_000);
});
