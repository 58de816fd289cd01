/** Dates and times as the dashboard shows them, in the plan's time zone. */
import { DateTime } from 'luxon';

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

/** `14:32:05` */
export function clockTime(at: number | string, tz: string): string {
  return dt(at, tz).toFormat('HH:mm:ss');
}

/** `11-24 14:32:05` (request lists) */
export function stampTime(at: number | string, tz: string): string {
  return dt(at, tz).toFormat('MM-dd HH:mm:ss');
}
