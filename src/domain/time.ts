import { DateTime } from './luxon.js';

/** `YYYY-MM-DD` of the calendar day that contains `ms` in `tz`. */
export function localDayKey(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toISODate() ?? '';
}

/** Epoch ms of 00:00 of the calendar day `day` (`YYYY-MM-DD`) in `tz`; null when not a valid date. */
export function startOfDay(day: string, tz: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const dt = DateTime.fromISO(day, { zone: tz });
  return dt.isValid ? dt.startOf('day').toMillis() : null;
}

/**
 * Epoch ms of the start of the day after `day` in `tz` (exclusive end of an inclusive day filter):
 * its 00:00, or the first moment it has when its midnight is skipped (a change to summer time at
 * midnight, as in Santiago or Havana). A day on from a start that was not midnight is not one.
 */
export function endOfDay(day: string, tz: string): number | null {
  const start = startOfDay(day, tz);
  return start === null ? null : DateTime.fromMillis(start, { zone: tz }).plus({ days: 1 }).startOf('day').toMillis();
}

const DAY_MS = 86_400_000;

export interface DayRange {
  day: string;
  startMs: number;
  endMs: number;
}

/**
 * The calendar days of `tz` that overlap [fromMs, toMs), each with its exact bounds
 * (23 or 25 hours long across daylight-saving changes).
 */
export function dayRanges(fromMs: number, toMs: number, tz: string): DayRange[] {
  const out: DayRange[] = [];
  let cur = DateTime.fromMillis(fromMs, { zone: tz }).startOf('day');
  if (cur.isValid && cur.zone.isUniversal) {
    // A fixed offset (UTC, where CI runs): every day is 24 hours, counted without a date object per
    // day (the forecast asks for three months of days on every start).
    const offsetMs = cur.offset * 60_000;
    for (let start = cur.toMillis(); start < toMs; start += DAY_MS) {
      out.push({ day: new Date(start + offsetMs).toISOString().slice(0, 10), startMs: start, endMs: start + DAY_MS });
    }
    return out;
  }
  if (!cur.isValid) return out;
  if (cur.year < 100 || cur.year > 9999) {
    while (cur.toMillis() < toMs) {
      const next = cur.plus({ days: 1 }).startOf('day');
      out.push({ day: cur.toISODate() ?? '', startMs: cur.toMillis(), endMs: next.toMillis() });
      cur = next;
    }
    return out;
  }
  // A named zone: each next day's midnight, placed by the zone's offsets as luxon's fixOffset
  // places a wall time (a skipped midnight: the day starts at the first moment it has), without a
  // date object per day: three months of days on every start. Each day steps from its own
  // midnight, not from where the day before began: after a day that began at 01:00, the next one
  // still begins at 00:00.
  const zone = cur.zone;
  let start = cur.toMillis();
  let offset = cur.offset;
  let midnight = Math.floor((start + offset * 60_000) / DAY_MS) * DAY_MS;
  while (start < toMs) {
    const end = wallToInstant(midnight + DAY_MS, offset, zone);
    // (A day the zone skipped whole, as Apia skipped 30 December 2011, has no moment: it is no range.)
    if (end > start) out.push({ day: new Date(midnight).toISOString().slice(0, 10), startMs: start, endMs: end });
    start = end;
    offset = zone.offset(end);
    midnight += DAY_MS;
  }
  return out;
}

/** The instant of local wall time `wall` (ms) in `zone`, from a guessed offset, as luxon's fixOffset. */
function wallToInstant(wall: number, guess: number, zone: { offset(ts: number): number }): number {
  const first = wall - guess * 60_000;
  const o2 = zone.offset(first);
  if (o2 === guess) return first;
  const second = first - (o2 - guess) * 60_000;
  const o3 = zone.offset(second);
  if (o2 === o3) return second;
  // A wall time the zone skips (a change at midnight): luxon keeps the wall time at the lower offset.
  return wall - Math.min(o2, o3) * 60_000;
}

/**
 * The calendar weeks (Monday to Monday, keyed by the Monday, `YYYY-MM-DD`) or months (`YYYY-MM`)
 * of `tz` that overlap [fromMs, toMs), each with its exact bounds.
 */
export function periodRanges(fromMs: number, toMs: number, tz: string, unit: 'week' | 'month'): DayRange[] {
  const out: DayRange[] = [];
  let cur = DateTime.fromMillis(fromMs, { zone: tz }).startOf(unit);
  while (cur.isValid && cur.toMillis() < toMs) {
    // From the next period's first day, its start: not the wall time this one began at (01:00 when its midnight was skipped).
    const next = (unit === 'week' ? cur.plus({ weeks: 1 }) : cur.plus({ months: 1 })).startOf(unit);
    out.push({
      day: unit === 'week' ? (cur.toISODate() ?? '') : cur.toFormat('yyyy-LL'),
      startMs: cur.toMillis(),
      endMs: next.toMillis(),
    });
    cur = next;
  }
  return out;
}
