// Random tables and an independent CSV writer for the round-trip oracle. The writer follows RFC
// 4180 (a cell with the delimiter, a quote, a CR or an LF is quoted, quotes doubled) plus the
// reader's documented extras: \n or \r\n line ends (mixed within a file), blank lines between
// records, a BOM, spaces after a closing quote, no final line end. It records the line each record
// starts on (1 + the LFs written before it), so error messages can be checked against it.

import type { Gen } from './harness.js';

const DELIMITERS = [',', ';', '\t', '|', ':', '§', ' '];
export const NA_SPELLINGS = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'Null', 'None', '?', '#N/A'];

/** Pieces a random text cell is built from: every character class the tokenizer treats apart. */
const PIECES = [
  'a', 'Z', 'x y', 'label', '0', '7', '3.5', '-2', '1e5', ' ', '  ', '\t',
  '"', '""', ',', ';', '|', ':', '§', '\n', '\r\n', '\r', '\n\n',
  'é', 'ß', '中文', '😀', '\u2028', '\u00a0', '\uFEFF', '\u0000', '\\', "'", '=SUM(A1)',
  ...NA_SPELLINGS.filter((s) => s !== ''),
];

export function randomDelimiter(g: Gen): string { return g.pick(DELIMITERS); }

export function randomText(g: Gen, maxPieces = 4): string {
  let s = '';
  const n = g.int(0, maxPieces);
  for (let i = 0; i < n; i++) s += g.pick(PIECES);
  return s;
}

export interface WriteOptions {
  delimiter: string;
  /** Probability of quoting a cell that does not need it. */
  overQuote?: number;
  /** Write a cell holding a quote (not first, no delimiter or line break) unquoted, as lenient writers do. */
  bareInnerQuotes?: boolean;
  crlf?: 'lf' | 'crlf' | 'mixed';
  blankLines?: boolean;
  bom?: boolean;
  finalNewline?: boolean;
  spaceAfterQuote?: boolean;
  /** Write a cell holding a CR but no LF unquoted (a bare CR is cell text, quoted or not). */
  bareCR?: boolean;
}

export interface Written { text: string; lines: number[] }

function needsQuotes(cell: string, delimiter: string, width: number, first: boolean, last: boolean, bareCR: boolean): boolean {
  if (cell.includes(delimiter) || cell.includes('\n') || cell.startsWith('"')) return true;
  // a CR is text unless an LF follows it (then it is a line end): a record's last cell cannot end in one
  if (cell.includes('\r') && (!bareCR || (last && cell.endsWith('\r')))) return true;
  // a record that would read as a blank line (whitespace only, no delimiter) is skipped: quote it
  if (width === 1 && /^[ \t\r]*$/.test(cell)) return true;
  // a BOM at the very start of the text is dropped by the reader (as the docs say)
  if (first && cell.startsWith('\uFEFF')) return true;
  return false;
}

/** Writes records of cells; independent of the library's tokenizer. */
export function writeCsv(g: Gen, records: string[][], o: WriteOptions): Written {
  const d = o.delimiter;
  const lines: number[] = [];
  let text = o.bom ? '\uFEFF' : '';
  let line = 1;
  const newline = () => (o.crlf === 'crlf' ? '\r\n' : o.crlf === 'mixed' && g.bool() ? '\r\n' : '\n');
  const whitespaceDelimiter = d === ' ' || d === '\t';
  records.forEach((cells, i) => {
    if (o.blankLines && g.bool(0.2)) {
      const blank = g.pick(['', ' ', '  ', '\t'].filter((b) => !b.includes(d)));
      text += blank + newline();
      line++;
    }
    lines.push(line);
    const parts = cells.map((c, j) => {
      const first = i === 0 && j === 0 && !o.bom;
      const must = needsQuotes(c, d, cells.length, first, j === cells.length - 1, o.bareCR ?? false);
      const bare = o.bareInnerQuotes && !must && c.includes('"');
      if (!must && !(c.includes('"') && !bare) && !g.bool(o.overQuote ?? 0)) return c;
      let q = '"' + c.replaceAll('"', '""') + '"';
      if (o.spaceAfterQuote && !whitespaceDelimiter && g.bool(0.2)) q += g.pick([' ', '  ', '\t']);
      return q;
    });
    text += parts.join(d);
    for (const p of parts) for (const ch of p) if (ch === '\n') line++;
    if (i < records.length - 1 || o.finalNewline) { text += newline(); line++; }
  });
  return { text, lines };
}

/** A random float32 value, from several ranges (small integers, uniform, any exponent, subnormal, ±0). */
export function randomFloat32(g: Gen): number {
  switch (g.int(0, 6)) {
    case 0: return g.int(-1000, 1000);
    case 1: return Math.fround((g.r() - 0.5) * 200);
    case 2: return Math.fround((g.bool() ? -1 : 1) * g.r() * 2 ** g.int(-126, 127));
    case 3: return Math.fround((g.bool() ? -1 : 1) * g.int(1, 1 << 23) * 2 ** -149);
    case 4: return g.pick([0, -0, 1, -1, 3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38]);
    case 5: return Math.fround(g.r());
    default: return g.int(0, 9);
  }
}

/**
 * A decimal spelling of `v` that reads back as exactly `v` (a double): the shortest round-trip form
 * rewritten as ".5", "5.", "+5", "0005", "5E+0" and the like. `decimal` ',' swaps the mark.
 */
export function spellNumber(g: Gen, v: number, decimal: '.' | ','): string {
  let s = Object.is(v, -0) ? '-0' : String(v);
  if (g.bool(0.3)) s = Object.is(v, -0) ? '-0e0' : v.toExponential();
  const neg = s.startsWith('-');
  let body = neg ? s.slice(1) : s;
  const style = g.int(0, 6);
  if (style === 0 && body.startsWith('0.')) body = body.slice(1);
  else if (style === 1 && /^\d+$/.test(body)) body += '.';
  else if (style === 2) body = '00' + body;
  else if (style === 3) body = body.replace('e', 'E');
  else if (style === 4) body = body.replace('e+', 'e');
  const sign = neg ? '-' : g.bool(0.15) ? '+' : '';
  s = sign + body;
  if (decimal === ',') s = s.replace('.', ',');
  return s;
}

/** What a number cell means, read independently: swap a decimal comma back, then Number(). */
export function numberValue(spelled: string, decimal: '.' | ','): number {
  return Number(decimal === ',' ? spelled.trim().replace(',', '.') : spelled.trim());
}

/** Cells that are not numbers in any dialect: missing spellings and look-alikes. */
export const NOT_NUMBERS = [
  ...NA_SPELLINGS, 'abc', '0x1F', 'Infinity', '-Infinity', 'inf', '1e', 'e5', '1.2.3', '+-1', '1 2', '1_000',
  '١٢', '１', '--1', '.', '-', '+', '1e+', '1,2,3', '1.5.', '٣.٥',
];

/** Numbers outside the float32 range: a matrix cell cannot hold them. */
export const TOO_LARGE = ['1e39', '-3.5e38', '4e38', '1e308', '1e400'];
