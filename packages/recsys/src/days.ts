import { RecsysInputError } from './errors';

/**
 * Dates are stored as day numbers: whole days since 1970-01-01 (UTC), which fit a Uint16 until 2149-06-06.
 * The conversions are pure arithmetic (Howard Hinnant's `days_from_civil`), so the CSV readers can turn the
 * ten bytes of a `YYYY-MM-DD` field into a day number without building a string or a Date.
 */
export const MAX_DAY = 0xffff;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
}

/** Day number of a valid proleptic-Gregorian civil date (no validation: see `parseIsoDay`). */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Parses `YYYY-MM-DD` at `bytes[start, end)` into a day number in [0, MAX_DAY]; returns -1 when the field is
 * not such a date (wrong length or shape, impossible month/day, before 1970 or after 2149-06-06).
 */
export function parseIsoDayBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start !== 10 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return -1;
  const y = digits(bytes, start, 4);
  const m = digits(bytes, start + 5, 2);
  const d = digits(bytes, start + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return -1;
  const day = dayFromCivil(y, m, d);
  return day >= 0 && day <= MAX_DAY ? day : -1;
}

function digits(bytes: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Parses `YYYY-MM-DD` into a day number; throws `RecsysInputError` when it is not a valid date in range. */
export function parseIsoDay(text: string): number {
  const day = parseIsoDayBytes(Buffer.from(text, 'latin1'), 0, text.length);
  if (day < 0)
    throw new RecsysInputError(`not a date (YYYY-MM-DD, 1970-01-01..2149-06-06): ${JSON.stringify(text)}`);
  return day;
}

/** The `YYYY-MM-DD` of a day number. */
export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
