/** Dates and times as the dashboard shows them, in the plan's time zone. */
import { DateTime } from '../domain/luxon.js';

function dt(at: number | string, tz: string): DateTime {
  return (typeof at === 'number' ? DateTime.fromMillis(at) : DateTime.fromISO(at)).setZone(tz);
}

/** `Nov 15` */
export function shortDate(at: number | string, tz: string): string {
  return dt(at, tz).toFormat('LLL d');
}

/** `Nov 28 14:00` */
export function shortDateTime(at: number | string, tz: string): string {
  return dt(at, tz).toFormat('LLL d HH:mm');
}

/** `Nov 24 14:32:05` (request lists and details: the dashboard's one date format, with seconds) */
export function stampTime(at: number | string, tz: string): string {
  return dt(at, tz).toFormat('LLL d HH:mm:ss');
}

/** A request's time as lists show it: `14:32:05` today (in `tz`), else `Nov 12 14:03`. */
export function requestTime(at: number, nowMs: number, tz: string): string {
  const t = dt(at, tz);
  return t.hasSame(dt(nowMs, tz), 'day') ? t.toFormat('HH:mm:ss') : t.toFormat('LLL d HH:mm');
}

/**
 * A cycle's days, `Jul 1 – Jul 31`, with the year when it is not the year of `nowMs`:
 * `Jul 1 – Jul 31 2023`, `Dec 15 2026 – Jan 14 2027`.
 */
export function cycleDays(startMs: number, lastMs: number, nowMs: number, tz: string): string {
  const [a, b, year] = [dt(startMs, tz), dt(lastMs, tz), dt(nowMs, tz).year];
  if (a.year === year && b.year === year) return `${a.toFormat('LLL d')} – ${b.toFormat('LLL d')}`;
  return `${a.toFormat(a.year === b.year ? 'LLL d' : 'LLL d yyyy')} – ${b.toFormat('LLL d yyyy')}`;
}
