// CSV dialects: the field delimiter (given or sniffed among comma, semicolon, tab and pipe), the
// decimal mark (a decimal comma is recognised where the delimiter is not a comma), and the
// spellings of a missing value. Numbers are parsed here, once, for every reader.

import { ValidationError } from '../errors.js';

/** Cells read as missing unless `naValues` says otherwise (compared after trimming, case-sensitive). */
export const DEFAULT_NA_VALUES: readonly string[] = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'Null', 'None', '?', '#N/A'];

export interface DialectOptions {
  /** One character, or 'auto' (default) to sniff comma, semicolon, tab or pipe from the first lines. */
  delimiter?: string;
  /** '.' or ',' or 'auto' (default: ',' when the delimiter is not a comma and the numbers are written 3,14). */
  decimal?: string;
  /** Spellings of a missing cell (after trimming). Default {@link DEFAULT_NA_VALUES}. */
  naValues?: readonly string[];
}

/** A dialect with every choice made. Plain data: it is saved inside models. */
export interface Dialect {
  delimiter: string;
  decimal: '.' | ',';
  naValues: string[];
}

const CANDIDATES = ['\t', ';', ',', '|'] as const;

export function checkDelimiter(d: unknown, arg = 'delimiter'): string {
  if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new ValidationError(arg, `expected one character other than a quote or a line break (or 'auto'), got ${JSON.stringify(d)}`);
  }
  return d;
}

/** Counts `ch` outside double quotes on each of the first complete lines of `sample`. */
function countsPerLine(lines: string[], ch: string): number[] {
  const out: number[] = [];
  let inQuote = false;
  let count = 0;
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '"') inQuote = !inQuote;
      else if (c === ch && !inQuote) count++;
    }
    if (!inQuote) { out.push(count); count = 0; }
  }
  return out;
}

/** The first `max` non-blank lines of `sample`, without the last one when the sample may have cut it. */
function sampleLines(sample: string, complete: boolean, max = 50): string[] {
  const lines = sample.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!complete && lines.length > 1) lines.pop();
  const kept = lines.filter((l) => l.trim() !== '');
  // comment lines above the header ('# Data source: ...') say nothing of the delimiter
  while (kept.length > 1 && kept[0]!.trimStart().startsWith('#')) kept.shift();
  return kept.slice(0, max);
}

/**
 * Picks the delimiter from a sample: the candidate found the same number of times (at least once)
 * on every line wins, in the order tab, semicolon, comma, pipe; failing that, the most frequent one.
 * @example sniffDelimiter('a;b\n1,5;2\n') // ';'
 */
export function sniffDelimiter(sample: string, complete = true): string {
  const lines = sampleLines(sample, complete);
  if (lines.length === 0) return ',';
  let best = ',';
  let bestMean = 0;
  for (const d of CANDIDATES) {
    const counts = countsPerLine(lines, d);
    if (counts.length === 0) continue;
    if (counts[0]! > 0 && counts.every((c) => c === counts[0])) return d;
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    if (mean > bestMean) { bestMean = mean; best = d; }
  }
  return best;
}

const DECIMAL_COMMA = /^[+-]?\d*,\d+([eE][+-]?\d+)?$/;
const DECIMAL_POINT = /^[+-]?\d*\.\d+([eE][+-]?\d+)?$/;

/** ',' when the sample's unquoted cells hold numbers written 3,14 and none written 3.14. */
function sniffDecimal(sample: string, delimiter: string, complete: boolean): '.' | ',' {
  if (delimiter === ',') return '.';
  let commas = 0;
  for (const line of sampleLines(sample, complete, 200)) {
    for (const raw of line.split(delimiter)) {
      const cell = raw.trim();
      if (DECIMAL_POINT.test(cell)) return '.';
      if (DECIMAL_COMMA.test(cell)) commas++;
    }
  }
  return commas > 0 ? ',' : '.';
}

/**
 * Resolves the dialect options against a sample of the text (its start).
 * @example resolveDialect('a;b\n1,5;2\n') // { delimiter: ';', decimal: ',', naValues: [...] }
 */
export function resolveDialect(sample: string, options: DialectOptions = {}, complete = true): Dialect {
  const d = options.delimiter ?? 'auto';
  const delimiter = d === 'auto' ? sniffDelimiter(sample, complete) : checkDelimiter(d);
  const dec = options.decimal ?? 'auto';
  if (dec !== 'auto' && dec !== '.' && dec !== ',') throw new ValidationError('decimal', `expected '.', ',' or 'auto', got ${JSON.stringify(dec)}`);
  const decimal = dec === 'auto' ? sniffDecimal(sample, delimiter, complete) : dec;
  if (decimal === delimiter) throw new ValidationError('decimal', `is ${JSON.stringify(decimal)}, the same character as the delimiter`);
  const na = options.naValues ?? DEFAULT_NA_VALUES;
  if (!Array.isArray(na) || na.some((s) => typeof s !== 'string')) {
    throw new ValidationError('naValues', `expected an array of strings, got ${JSON.stringify(na)}`);
  }
  return { delimiter, decimal, naValues: na.map((s) => s.trim()) };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$/;

/**
 * The number a trimmed cell holds in this decimal mark, or NaN when it is not a plain decimal
 * number (hex, 'Infinity', thousands separators and the like are not numbers here).
 * @example parseNumber('3,5', ',') // 3.5
 */
export function parseNumber(cell: string, decimal: '.' | ','): number {
  // Fast path: only digits, one '.', and an exponent can make Number() succeed on the characters
  // allowed here; the regex settles the rest (a comma, a sign in the middle, and such).
  const n = cell.length;
  if (n === 0) return NaN;
  let plain = true;
  for (let i = 0; i < n; i++) {
    const c = cell.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46)) { plain = false; break; }
  }
  if (plain && decimal === '.') return Number(cell);
  if (decimal === '.') return NUMBER.test(cell) ? Number(cell) : NaN;
  return NUMBER_COMMA.test(cell) ? Number(cell.replace(',', '.')) : NaN;
}

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * The number in text[s, e) when it is a plain decimal ([+-]digits[.digits], the decimal mark
 * `point`) of at most 15 digits, else NaN (the caller then parses the cell as a string). Exact:
 * the digits form an integer m < 2⁵³ and 10^f ≤ 10²² is a double, so m / 10^f is one correctly
 * rounded division — the double Number() gives for the same text.
 */
export function spanNumber(text: string, s: number, e: number, point: number): number {
  let i = s;
  let c = text.charCodeAt(i);
  const neg = c === 45;
  if (neg || c === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < e; i++) {
    c = text.charCodeAt(i);
    const d = c - 48;
    if (d >= 0 && d <= 9) { m = m * 10 + d; digits++; if (frac >= 0) frac++; } else if (c === point && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const x = frac > 0 ? m / POW10[frac]! : m;
  return neg ? -x : x;
}

/** spanNumber on UTF-8 bytes: the number in buf[s, e) when it is a plain decimal of at most 15 digits, else NaN. */
export function bytesNumber(buf: Uint8Array, s: number, e: number, point: number): number {
  let i = s;
  let c = buf[i]!;
  const neg = c === 45;
  if (neg || c === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < e; i++) {
    c = buf[i]!;
    const d = c - 48;
    if (d >= 0 && d <= 9) { m = m * 10 + d; digits++; if (frac >= 0) frac++; } else if (c === point && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const x = frac > 0 ? m / POW10[frac]! : m;
  return neg ? -x : x;
}

const GROUPED_POINT = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const GROUPED_COMMA = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;

/**
 * The number in a trimmed cell written with thousands separators — the mark that is not the
 * decimal one, between groups of exactly three digits (2,107 or 1,234,567.5; 1.234,5 under a
 * decimal comma) — else NaN. 1,5 or 12,34 are not groupings and stay NaN: nothing is guessed.
 * @example parseGrouped('1,234,567.5', '.') // 1234567.5
 */
export function parseGrouped(cell: string, decimal: '.' | ','): number {
  if (decimal === '.') return GROUPED_POINT.test(cell) ? Number(cell.replace(/,/g, '')) : NaN;
  return GROUPED_COMMA.test(cell) ? Number(cell.replace(/\./g, '').replace(',', '.')) : NaN;
}

/** The separator parseGrouped reads for a decimal mark. */
export function thousandsMark(decimal: '.' | ','): ',' | '.' {
  return decimal === '.' ? ',' : '.';
}

/** True for a cell that parses as a finite number. */
export function isNumberCell(cell: string, decimal: '.' | ','): boolean {
  return Number.isFinite(parseNumber(cell, decimal));
}

/** A fast membership test for the missing-value spellings. */
export function naSet(d: Dialect): Set<string> {
  return new Set(d.naValues);
}

/** Validates a dialect read back from JSON. */
export function checkDialect(j: unknown, where: string): Dialect {
  const o = j as Partial<Dialect> | null;
  if (!o || typeof o !== 'object' || typeof o.delimiter !== 'string' || o.delimiter.length !== 1
    || (o.decimal !== '.' && o.decimal !== ',') || !Array.isArray(o.naValues) || o.naValues.some((s) => typeof s !== 'string')) {
    throw new ValidationError(where, 'dialect must be { delimiter: one character, decimal: "." or ",", naValues: string[] }');
  }
  return { delimiter: o.delimiter, decimal: o.decimal, naValues: o.naValues.slice() };
}
