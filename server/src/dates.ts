/**
 * Calendar-day arithmetic. Every date in dl-lifecycle is a UTC calendar day written `YYYY-MM-DD`
 * (the form used by the AWS support tables); no time of day or time zone is ever involved.
 * Nothing here reads the clock: see {@link ./asOf.ts} for the one place that does.
 */

/** A UTC calendar day, `YYYY-MM-DD`. */
export type CalendarDay = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `text` is a real calendar day in `YYYY-MM-DD` form (2025-02-30 is not). */
export function isCalendarDay(text: string): boolean {
  const m = DAY_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const epochDays = new Map<string, number>();

/** Days since 1970-01-01 of a calendar day. Throws `RangeError` on a malformed day. */
export function toEpochDay(day: CalendarDay): number {
  const known = epochDays.get(day);
  if (known !== undefined) return known;
  if (!isCalendarDay(day)) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  const [y, m, d] = day.split('-').map(Number);
  const n = Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
  if (epochDays.size < 10_000) epochDays.set(day, n);
  return n;
}

/** The calendar day `epochDay` days after 1970-01-01. */
export function fromEpochDay(epochDay: number): CalendarDay {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `day` plus `days` calendar days (negative to go back). 2024-02-29 + 365 = 2025-02-28. */
export function addDays(day: CalendarDay, days: number): CalendarDay {
  return fromEpochDay(toEpochDay(day) + days);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** The UTC calendar day of an instant. */
export function calendarDayOf(instant: Date): CalendarDay {
  return instant.toISOString().slice(0, 10);
}
