/** Calendar helpers on UTC days (no clocks: every date comes from the configured start date). */

const DAY_MS = 86_400_000;

/** Parses YYYY-MM-DD to a UTC day number (days since 1970-01-01); throws on anything else. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`expected a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new Error(`not a calendar date: ${text}`);
  }
  return ms / DAY_MS;
}

/** UTC day number → YYYY-MM-DD. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the year, 0-based (1 January = 0). */
export function dayOfYear(day: number): number {
  const d = new Date(day * DAY_MS);
  return Math.round(
    (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) /
      DAY_MS,
  );
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

/** Month 1–12 and day of month. */
export function monthDay(day: number): { month: number; date: number; year: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, date: d.getUTCDate() };
}
