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

/** When something `at` comes: `14:05` within a day of `nowMs`, else `Dec 9`. */
export function comingTime(at: number, nowMs: number, tz: string): string {
  return at - nowMs < 86_400_000 ? dt(at, tz).toFormat('HH:mm') : shortDate(at, tz);
}

/** `Nov 24 14:32:05` (state/request-text.ts, which the `/` filter matches too). */
export { stampTime } from '../state/request-text.js';

/** A request's time as lists show it: `14:32:05` today (in `tz`), else `Nov 12 14:03`. */
export function requestTime(at: number, nowMs: number, tz: string): string {
  const t = dt(at, tz);
  return t.hasSame(dt(nowMs, tz), 'day') ? t.toFormat('HH:mm:ss') : t.toFormat('LLL d HH:mm');
}
