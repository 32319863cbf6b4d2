// Column types inferred from one pass of statistics, each overridable. The rules, in order:
// no value at all → an error (drop the column); all numbers → constant (one value), ID-like
// (integers going up row by row, densely: a row number) or numeric; mostly numbers with a few text
// spellings → numeric with those spellings read as missing (said in the notes); every value a
// date in one format → date; two values spelled like yes/no → boolean; one value → constant; many
// distinct texts (at least half the values, more than 20) → ID-like or free text; else categorical.

import { ValidationError } from '../../errors.js';
import { thousandsMark } from '../dialect.js';
import { describeDateFormat, type DateFormat } from './dates.js';
import type { ColumnStats } from './stats.js';

export const COLUMN_TYPES = ['numeric', 'categorical', 'boolean', 'date', 'id', 'constant'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

const BOOLEAN_PAIRS: readonly [string, string][] = [['true', 'false'], ['yes', 'no'], ['y', 'n'], ['t', 'f']];

export interface Inferred {
  /** 'drop': left out by the options (drop, features). */
  type: ColumnType | 'drop';
  /** Why, in a few words (shown in the notes). */
  reason: string;
  dateFormat?: DateFormat;
  /** The spellings of true and false (as written) for a boolean column. */
  booleans?: { true: string; false: string };
  /** The column has no value at all (every cell missing). */
  empty?: boolean;
  /** Text cells of a mostly numeric column, read as missing. */
  missingValues?: string[];
  /** The numbers are written with this thousands separator (2,107). */
  thousands?: ',' | '.';
}

function booleanPair(stats: ColumnStats): { true: string; false: string } | undefined {
  if (stats.distinct > 8 || stats.overflow > 0) return undefined;
  // spellings that differ only in case (yes, Yes, YES) are one value; the most frequent names it
  const groups = new Map<string, [string, number]>();
  for (const [v, n] of stats.byFrequency()) {
    const g = groups.get(v.toLowerCase());
    if (g) g[1] += n; else groups.set(v.toLowerCase(), [v, n]);
  }
  if (groups.size !== 2) return undefined;
  for (const [t, f] of BOOLEAN_PAIRS) {
    const a = groups.get(t);
    const b = groups.get(f);
    if (a && b) return { true: a[0], false: b[0] };
  }
  return undefined;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** True when a column is mostly numbers with a few text spellings (returned) among them. */
function strayTexts(stats: ColumnStats): string[] | undefined {
  if (stats.mixedGrouping || stats.numberCount < 0.9 * stats.present || stats.notNumbers.length === 0 || stats.manyNotNumbers) return undefined;
  return stats.notNumbers.map((b) => b.value);
}

/** The thousands separator of a numeric column whose numbers are all strictly grouped, said in its reason. */
function grouped(stats: ColumnStats, t: Inferred): Inferred {
  if (!stats.thousands) return t;
  const sep = thousandsMark(stats.decimal);
  return { ...t, thousands: sep, reason: `${t.reason}; written with ${JSON.stringify(sep)} as thousands separator in ${stats.grouped} cells (read as 2107 for 2${sep}107)` };
}

/** The type a column's statistics suggest. */
export function inferColumn(stats: ColumnStats): Inferred {
  const present = stats.present;
  const distinct = stats.distinct + stats.overflow;
  if (present === 0) return { type: 'constant', reason: `no values: all ${stats.rows} cells are missing`, empty: true };
  const num = stats.allNumbers ? stats.numeric : null;
  if (num) {
    if (stats.distinct === 1 && stats.overflow === 0) return { type: 'constant', reason: `one value (${fmt(num.min)})` };
    if (num.integer && num.increasing && stats.missing === 0 && stats.rows >= 20 && num.max - num.min + 1 <= 2 * stats.rows) {
      return { type: 'id', reason: `a row number (increasing integers ${fmt(num.min)}…${fmt(num.max)})` };
    }
    return grouped(stats, { type: 'numeric', reason: 'numbers' });
  }
  const stray = strayTexts(stats);
  if (stray) {
    return grouped(stats, { type: 'numeric', reason: `numbers; the text ${stray.map((s) => JSON.stringify(s)).join(', ')} is read as missing`, missingValues: stray });
  }
  if (stats.mixedGrouping) {
    return { type: 'id', reason: 'numbers with and without thousands separators (as 2,107 and 1234): not read as numbers (give types to override)' };
  }
  const dates = stats.dateFormats;
  if (dates.length > 0) {
    const f = dates[0]!.format;
    const ambiguous = dates.length > 1 ? `, ambiguous: read as ${describeDateFormat(f)}` : '';
    return { type: 'date', reason: `dates (${describeDateFormat(f)}${stats.timed ? ' with times' : ''}${ambiguous})`, dateFormat: f };
  }
  const pair = booleanPair(stats);
  if (pair) return { type: 'boolean', reason: `two values (${JSON.stringify(pair.true)} / ${JSON.stringify(pair.false)})`, booleans: pair };
  if (distinct === 1) return { type: 'constant', reason: `one value (${JSON.stringify([...stats.counts.keys()][0])})` };
  if (distinct >= 0.5 * present && distinct > 20) {
    return { type: 'id', reason: `ID-like or free text (${distinct}${stats.overflow ? '+' : ''} distinct values in ${present})` };
  }
  return { type: 'categorical', reason: `${distinct} distinct values` };
}

/** Checks that a type given by the user can apply to the column, and says how it reads. */
export function overrideColumn(stats: ColumnStats, type: ColumnType): Inferred {
  const where = `types[${JSON.stringify(stats.name)}]`;
  switch (type) {
    case 'numeric': {
      if (stats.allNumbers || stats.present === 0) return grouped(stats, { type, reason: 'numbers (as given)' });
      const bad = stats.notNumbers[0]!;
      throw new ValidationError(where, `is 'numeric', but line ${bad.line} holds ${JSON.stringify(bad.value)}, not a number (add it to naValues if it means missing)`);
    }
    case 'date': {
      const dates = stats.dateFormats;
      if (dates.length === 0) throw new ValidationError(where, `is 'date', but the values are not dates in one format (year-month-day, day.month.year, month/day/year, or a month name as Jan 1 2000)`);
      return { type, reason: `dates (${describeDateFormat(dates[0]!.format)}, as given)`, dateFormat: dates[0]!.format };
    }
    case 'boolean': {
      const pair = booleanPair(stats);
      if (pair) return { type, reason: 'two values (as given)', booleans: pair };
      const keys = [...stats.counts.keys()];
      if (keys.length !== 2) throw new ValidationError(where, `is 'boolean', but the column has ${keys.length} distinct values`);
      const [f, t] = keys.sort();
      return { type, reason: `two values, ${JSON.stringify(t)} read as true (as given)`, booleans: { true: t!, false: f! } };
    }
    case 'categorical': return { type, reason: `${stats.distinct}${stats.overflow ? '+' : ''} distinct values (as given)` };
    case 'id': return { type, reason: 'ID (as given)' };
    case 'constant': return { type, reason: 'constant (as given)' };
    default: throw new ValidationError(where, `expected one of ${COLUMN_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
}

/** The type of a label column: classification for text or a few integer values, else regression. */
export function inferTask(stats: ColumnStats): { task: 'classification' | 'regression'; reason: string } {
  const num = stats.allNumbers ? stats.numeric : null;
  const distinct = stats.distinct + stats.overflow;
  if (!num) return { task: 'classification', reason: `the label ${JSON.stringify(stats.name)} holds text (${distinct}${stats.overflow ? '+' : ''} classes)` };
  if (distinct <= 2) return { task: 'classification', reason: `the label ${JSON.stringify(stats.name)} has ${distinct} distinct values` };
  if (num.integer && distinct <= 20) return { task: 'classification', reason: `the label ${JSON.stringify(stats.name)} has ${distinct} distinct integer values` };
  const grouped = stats.thousands ? `, written with ${JSON.stringify(thousandsMark(stats.decimal))} as thousands separator` : '';
  return { task: 'regression', reason: `the label ${JSON.stringify(stats.name)} has ${distinct}${stats.overflow ? '+' : ''} distinct ${num.integer ? 'integer' : 'numeric'} values${grouped}` };
}
