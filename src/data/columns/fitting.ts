// Fits each column's transformer from its statistics: imputation (median by default, or mean,
// most frequent, a constant), a missing indicator for a column that had missing cells, scaling
// (standardize by default) computed on the imputed values, the categories of a one-hot encoding
// (sorted; past maxCategories or under minFrequency they share an "(other)" output), and the
// parts of a date that vary (and mean something: see datePartsJSON).

import { ValidationError } from '../../errors.js';
import { parseGrouped, parseNumber } from '../dialect.js';
import { DATE_PARTS, HOUR_PARTS } from './dates.js';
import type { ColumnJSON, DatePartJSON } from './encoders.js';
import type { Inferred } from './infer.js';
import type { ColumnStats, NumericStats } from './stats.js';

export const IMPUTERS = ['median', 'mean', 'most-frequent', 'constant'] as const;
export type Imputer = (typeof IMPUTERS)[number];
export const SCALERS = ['standard', 'minmax', 'none'] as const;
export type Scaler = (typeof SCALERS)[number];

export interface FitSettings {
  impute: Imputer;
  fillValue: number;
  categoricalMissing: 'category' | 'most-frequent';
  missingIndicator: boolean;
  /** Rows with a missing cell were dropped: no imputer, a missing cell later is an error. */
  dropMissing: boolean;
  scale: Scaler;
  unknown: 'ignore' | 'error';
  maxCategories: number;
  minFrequency: number;
  decimal: '.' | ',';
}

function sortStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function scaling(s: NumericStats, missing: number, fill: number | null, scale: Scaler): { center: number; scale: number } {
  if (scale === 'none') return { center: 0, scale: 1 };
  const k = fill === null ? 0 : missing;
  const v = fill ?? 0;
  if (scale === 'minmax') {
    const lo = k ? Math.min(s.min, v) : s.min;
    const hi = k ? Math.max(s.max, v) : s.max;
    return { center: lo, scale: hi - lo || 1 };
  }
  const { mean, variance } = s.withFill(k, v);
  return { center: mean, scale: Math.sqrt(variance) || 1 };
}

/** The most frequent number of a column (the smallest on a tie, as scikit-learn). */
function modeOf(stats: ColumnStats, decimal: '.' | ','): number {
  let best = NaN;
  let bestCount = -1;
  for (const [cell, count] of stats.counts) {
    let x = parseNumber(cell, decimal);
    if (x !== x && stats.thousands) x = parseGrouped(cell, decimal);
    if (!Number.isFinite(x)) continue;
    if (count > bestCount || (count === bestCount && x < best)) { best = x; bestCount = count; }
  }
  return best;
}

function numericFill(stats: ColumnStats, s: NumericStats, f: FitSettings): number | null {
  if (f.dropMissing) return null;
  switch (f.impute) {
    case 'mean': return s.mean;
    case 'median': return s.sketch.quantile(0.5);
    case 'most-frequent': return modeOf(stats, f.decimal);
    case 'constant': return f.fillValue;
  }
}

function categorical(stats: ColumnStats, f: FitSettings): ColumnJSON {
  const freq = stats.byFrequency();
  const keepCount = freq.length > f.maxCategories ? f.maxCategories - 1 : freq.length;
  const ranked = freq.slice().sort((a, b) => b[1] - a[1] || sortStrings(a[0], b[0]));
  const categories: string[] = [];
  const infrequent: string[] = [];
  ranked.forEach(([v, n], i) => (i < keepCount && n >= f.minFrequency ? categories : infrequent).push(v));
  if (categories.length === 0) {
    throw new ValidationError(`columns[${JSON.stringify(stats.name)}]`, `no category is seen at least minFrequency = ${f.minFrequency} times`);
  }
  categories.sort(sortStrings);
  infrequent.sort(sortStrings);
  let missing: 'category' | 'fill' | 'unknown' | 'error';
  let fill: string | null = null;
  if (f.dropMissing) missing = 'error';
  else if (f.categoricalMissing === 'most-frequent') { missing = 'fill'; fill = ranked[0]![0]; }
  else missing = stats.missing > 0 ? 'category' : 'unknown';
  return { name: stats.name, type: 'categorical', categories, infrequent, missing, fill, unknown: f.unknown };
}

const WEEK_PARTS: readonly string[] = ['dayofweek', 'dayofweek_sin', 'dayofweek_cos'];
const YEAR_PARTS: readonly string[] = ['month_sin', 'month_cos', 'dayofyear_sin', 'dayofyear_cos'];

/** The parts that vary. A constant day of the month (monthly or yearly dates) leaves the day of the week out, where it is
 *  an artefact of the calendar; a constant month and day (one date a year) keeps only the year (and the hour). */
function datePartsJSON(stats: ColumnStats, parts: NumericStats[], f: FitSettings): DatePartJSON[] {
  const out: DatePartJSON[] = [];
  const constant = (name: string) => { const s = parts[DATE_PARTS.indexOf(name as (typeof DATE_PARTS)[number])]!; return s.max === s.min; };
  const sameDay = constant('day');
  const sameDate = sameDay && constant('month');
  DATE_PARTS.forEach((part, i) => {
    const s = parts[i]!;
    if ((HOUR_PARTS as readonly string[]).includes(part) && !stats.timed) return;
    if (s.max === s.min) return;
    if (sameDay && WEEK_PARTS.includes(part)) return;
    if (sameDate && YEAR_PARTS.includes(part)) return;
    const fill = f.dropMissing ? null : f.impute === 'constant' ? f.fillValue : s.mean;
    out.push({ part, fill, ...scaling(s, stats.missing, fill, f.scale) });
  });
  return out;
}

/** The fitted JSON of one column, given its statistics and (inferred or given) type. */
export function fitColumn(stats: ColumnStats, t: Inferred, f: FitSettings): ColumnJSON {
  const name = stats.name;
  const indicator = f.missingIndicator && !f.dropMissing;
  switch (t.type) {
    case 'numeric': {
      const s = stats.numeric;
      if (s.count === 0) throw new ValidationError(`columns[${JSON.stringify(name)}]`, 'has no number to fit on');
      const missing = stats.rows - s.count;
      const fill = numericFill(stats, s, f);
      return {
        name, type: 'numeric', fill, impute: f.dropMissing ? 'none (rows with missing cells dropped)' : f.impute,
        indicator: indicator && missing > 0, ...scaling(s, missing, fill, f.scale), missingValues: t.missingValues ?? [],
        ...(t.thousands ? { thousands: t.thousands } : {}),
      };
    }
    case 'categorical':
      return categorical(stats, f);
    case 'boolean': {
      const b = t.booleans!;
      const nTrue = [...stats.counts].filter(([v]) => v.toLowerCase() === b.true.toLowerCase()).reduce((a, [, n]) => a + n, 0);
      const fill = f.dropMissing ? null : nTrue * 2 >= stats.present ? 1 : 0;
      return { name, type: 'boolean', true: b.true, false: b.false, fill, indicator: indicator && stats.missing > 0 };
    }
    case 'date': {
      const cand = stats.dateFormats.find((d) => d.format === t.dateFormat) ?? stats.dateFormats[0]!;
      const parts = datePartsJSON(stats, cand.parts, f);
      if (parts.length === 0) return { name, type: 'constant', reason: 'one date' };
      return { name, type: 'date', format: cand.format, parts, indicator: indicator && stats.missing > 0 };
    }
    case 'id':
    case 'constant':
    case 'drop':
      return { name, type: t.type, reason: t.reason };
  }
}
