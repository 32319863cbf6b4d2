// Dates and times in table cells, and the numeric features a date column expands into.
// Formats: year first (2012-01-31, 2012/01/31, 2012.01.31, 2012-01), day first (31.01.2012,
// 31/01/2012, 31-01-2012) and month first (01/31/2012), each optionally followed by a time
// (T or a space, then HH:MM, HH:MM:SS or HH:MM:SS.fff, and an optional Z or ±HH:MM offset that is
// ignored: the wall-clock time as written is used). A column keeps the formats that read every
// one of its values; 01/02/2012 fits both day-first and month-first until a value decides.
// Month names (English, full or abbreviated to at least three letters, any case) read in one
// format, 'named': Jan 1 2000, January 1, 2000, 1 Jan 2000, 01-Jan-2000, same optional time.

export const DATE_FORMATS = ['ymd', 'dmy', 'mdy', 'named'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** What a date column expands into, in this order (the hour parts only when the times vary). */
export const DATE_PARTS = [
  'year', 'month', 'day', 'dayofweek', 'hour',
  'month_sin', 'month_cos', 'dayofweek_sin', 'dayofweek_cos', 'dayofyear_sin', 'dayofyear_cos', 'hour_sin', 'hour_cos',
] as const;
export type DatePart = (typeof DATE_PARTS)[number];
export const HOUR_PARTS: readonly DatePart[] = ['hour', 'hour_sin', 'hour_cos'];

const YMD = /^(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/;
const XXY = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:[T ,]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/;

const TIME = String.raw`(?:(?:[T ]|,\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$`;
const NAMED_MDY = new RegExp(String.raw`^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})` + TIME);
const NAMED_DMY = new RegExp(String.raw`^(\d{1,2})(?:\s+|-)([A-Za-z]{3,9})\.?,?(?:\s+|-)(\d{4})` + TIME);
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** 1-12 for an English month name or its abbreviation of three letters or more (Sept), else 0. */
function monthOf(name: string): number {
  const n = name.toLowerCase();
  for (let i = 0; i < 12; i++) if (MONTHS[i]!.startsWith(n)) return i + 1;
  return 0;
}

export interface DateValue {
  year: number; month: number; day: number; hour: number; minute: number; second: number;
  /** The cell had a time of day. */
  timed: boolean;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

function build(year: number, month: number, day: number, h: string | undefined, mi: string | undefined, s: string | undefined): DateValue | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 60) return null;
  return { year, month, day, hour, minute, second, timed: h !== undefined };
}

/** Reads a trimmed cell in one format, or null. */
export function parseDate(cell: string, format: DateFormat): DateValue | null {
  if (format === 'ymd') {
    const m = YMD.exec(cell);
    if (!m) return null;
    return build(Number(m[1]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4]), m[5], m[6], m[7]);
  }
  if (format === 'named') {
    const a = NAMED_MDY.exec(cell);
    if (a) { const mo = monthOf(a[1]!); return mo ? build(Number(a[3]), mo, Number(a[2]), a[4], a[5], a[6]) : null; }
    const b = NAMED_DMY.exec(cell);
    if (b) { const mo = monthOf(b[2]!); return mo ? build(Number(b[3]), mo, Number(b[1]), b[4], b[5], b[6]) : null; }
    return null;
  }
  const m = XXY.exec(cell);
  if (!m) return null;
  if (format === 'mdy' && m[2] !== '/') return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  return format === 'dmy' ? build(Number(m[4]), b, a, m[5], m[6], m[7]) : build(Number(m[4]), a, b, m[5], m[6], m[7]);
}

/** The formats that read this cell. */
export function dateFormatsOf(cell: string): DateFormat[] {
  return DATE_FORMATS.filter((f) => parseDate(cell, f) !== null);
}

const TAU = 2 * Math.PI;

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Writes the DATE_PARTS of a date into out[offset ...] (13 values). Day of week: Monday = 0, as pandas. */
export function dateParts(d: DateValue, out: Float64Array | Float32Array, offset = 0): void {
  const t = daysFromCivil(d.year, d.month, d.day);
  const dow = (((t + 3) % 7) + 7) % 7;
  const yearStart = daysFromCivil(d.year, 1, 1);
  const doy = t - yearStart;
  const yearDays = daysFromCivil(d.year + 1, 1, 1) - yearStart;
  const hour = d.hour + d.minute / 60 + d.second / 3600;
  out[offset] = d.year;
  out[offset + 1] = d.month;
  out[offset + 2] = d.day;
  out[offset + 3] = dow;
  out[offset + 4] = hour;
  out[offset + 5] = Math.sin((TAU * (d.month - 1)) / 12);
  out[offset + 6] = Math.cos((TAU * (d.month - 1)) / 12);
  out[offset + 7] = Math.sin((TAU * dow) / 7);
  out[offset + 8] = Math.cos((TAU * dow) / 7);
  out[offset + 9] = Math.sin((TAU * doy) / yearDays);
  out[offset + 10] = Math.cos((TAU * doy) / yearDays);
  out[offset + 11] = Math.sin((TAU * hour) / 24);
  out[offset + 12] = Math.cos((TAU * hour) / 24);
}

/** How a format is written, for messages. */
export function describeDateFormat(f: DateFormat): string {
  return f === 'ymd' ? 'year-month-day' : f === 'dmy' ? 'day.month.year' : f === 'mdy' ? 'month/day/year' : 'month name, as Jan 1 2000';
}
