import { CalendarDay, calendarDayOf, isCalendarDay } from './dates';

/**
 * Resolves the evaluation date (`asOf`) of a run: the configured day when one is given
 * (setting `dlLifecycle.asOf`, CLI `--as-of`), otherwise today as a UTC calendar day.
 * This is the only place in dl-lifecycle that reads the clock; rules and the catalog always
 * receive `asOf` explicitly.
 *
 * @param configured a `YYYY-MM-DD` day, or empty/undefined/null for today
 * @param now the clock, injectable for tests
 * @throws RangeError when `configured` is given but is not a real calendar day
 */
export function resolveAsOf(configured?: string | null, now: () => Date = () => new Date()): CalendarDay {
  if (configured === undefined || configured === null || configured.trim() === '') return calendarDayOf(now());
  const day = configured.trim();
  if (!isCalendarDay(day)) throw new RangeError(`as-of date must be a calendar day YYYY-MM-DD, got ${JSON.stringify(configured)}`);
  return day;
}
