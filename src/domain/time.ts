import { DateTime } from './luxon.js';

/** `YYYY-MM-DD` of the calendar day that contains `ms` in `tz`. */
export function localDayKey(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toISODate() ?? '';
}

const DAY_MS = 86_400_000;

/** What placing a wall time asks of a zone: its offset (minutes) at an instant. */
interface Offsets {
  offset(ts: number): number;
}

/**
 * The first instant at which the local wall time `wall` (ms, read as if UTC) has come in `zone`:
 * its one instant; of two, the earlier, where the clocks went back over it (Havana's and the
 * Azores' midnight comes twice on the night they leave summer time, and the day starts at the
 * first); where the zone skipped it (a change to summer time at midnight, as in Santiago), where
 * luxon places a skipped wall time: read at the offset before the change (a midnight the clocks
 * jumped over is the instant they jumped; 02:30 in a gap from 02:00 to 03:00 is 03:30). Luxon
 * itself settles a wall time that comes twice by the offset in force today, so a day's start moved
 * with the season the command ran in.
 */
export function wallInstant(wall: number, zone: Offsets): number {
  // Guessed at the offset a day before (before any change near that wall time), the one that
  // fits it first is found: of two, the earlier (see wallToInstant).
  return wallToInstant(wall, zone.offset(wall - DAY_MS), zone);
}

/**
 * The instant of local wall time `wall` (ms) in `zone`, from a guessed offset, as luxon's fixOffset:
 * the guess itself when it fits (so a guess from before a change gives the earlier of two instants).
 */
function wallToInstant(wall: number, guess: number, zone: Offsets): number {
  const first = wall - guess * 60_000;
  const o2 = zone.offset(first);
  if (o2 === guess) return first;
  const second = first - (o2 - guess) * 60_000;
  const o3 = zone.offset(second);
  if (o2 === o3) return second;
  // A wall time the zone skips (a change at midnight): luxon keeps the wall time at the lower offset.
  return wall - Math.min(o2, o3) * 60_000;
}

/** `ms` of 00:00 UTC on a calendar date (years 0-9999 as they are, not 1900 + year below 100). */
function dateWall(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

/**
 * Epoch ms of the start of the local day containing `ms` in `tz` (with `days`, of the day that
 * many days later; negative: earlier): its 00:00, the first of two when midnight comes twice, or
 * the first moment the day has when its midnight is skipped (see wallInstant). NaN for a zone
 * luxon does not know.
 */
export function localDayStart(ms: number, tz: string, days = 0): number {
  const dt = DateTime.fromMillis(ms, { zone: tz });
  if (!dt.isValid) return NaN;
  return wallInstant(dateWall(dt.year, dt.month, dt.day) + days * DAY_MS, dt.zone);
}

/** The zone luxon reads `tz` as; null when it knows none of that name. */
function zoneOf(tz: string): Offsets | null {
  const dt = DateTime.fromMillis(0, { zone: tz });
  return dt.isValid ? dt.zone : null;
}

/** wallInstant of a wall time (ms, read as if UTC) in the zone named `tz`; NaN for a zone luxon does not know. */
export function zonedWallInstant(wall: number, tz: string): number {
  const zone = zoneOf(tz);
  return zone === null ? NaN : wallInstant(wall, zone);
}

/** 00:00 UTC of the calendar day `day` (`YYYY-MM-DD`) in ms; null when it is not a valid date. */
function dayWall(day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !DateTime.fromISO(day, { zone: 'UTC' }).isValid) return null;
  return dateWall(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)));
}

/** Epoch ms of the start of the calendar day `day` (`YYYY-MM-DD`) in `tz` (see localDayStart); null when not a valid date. */
export function startOfDay(day: string, tz: string): number | null {
  const wall = dayWall(day);
  const zone = zoneOf(tz);
  return wall === null || zone === null ? null : wallInstant(wall, zone);
}

/**
 * Epoch ms of the start of the day after `day` in `tz` (exclusive end of an inclusive day filter):
 * its 00:00, or the first moment it has when its midnight is skipped (a change to summer time at
 * midnight, as in Santiago), or the first of two when it comes twice (Havana, the Azores).
 */
export function endOfDay(day: string, tz: string): number | null {
  const wall = dayWall(day);
  const zone = zoneOf(tz);
  return wall === null || zone === null ? null : wallInstant(wall + DAY_MS, zone);
}

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
  let midnight = dateWall(cur.year, cur.month, cur.day);
  // (The first of two midnights, where the clocks went back over it: see wallInstant.)
  let start = wallInstant(midnight, zone);
  let offset = zone.offset(start);
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

/**
 * The clock of one local day: where within it the clocks change (a day of 23 or 25 hours) and by
 * how much they jump (ms; negative where they go back). `jumpMs` 0: the wall clock runs with time.
 */
export interface DayClock {
  startMs: number;
  /**
   * What the wall clock shows at the day's first moment (ms since midnight): 0, or 01:00 on a day
   * whose midnight the clocks skipped (Santiago, Havana).
   */
  startWall: number;
  atMs: number;
  jumpMs: number;
}

/** The clock of the local day [startMs, endMs) of `tz` (see dayRanges). */
export function dayClock(startMs: number, endMs: number, tz: string): DayClock {
  if (endMs - startMs === DAY_MS) return { startMs, startWall: 0, atMs: endMs, jumpMs: 0 };
  const zone = zoneOf(tz);
  if (zone === null) return { startMs, startWall: 0, atMs: endMs, jumpMs: 0 };
  const before = zone.offset(startMs);
  const startWall = (((startMs + before * 60_000) % DAY_MS) + DAY_MS) % DAY_MS;
  const jumpMs = (zone.offset(endMs - 1) - before) * 60_000;
  if (jumpMs === 0) return { startMs, startWall, atMs: endMs, jumpMs: 0 };
  // The first instant at the new offset, to the millisecond.
  let lo = startMs;
  let hi = endMs - 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return { startMs, startWall, atMs: hi, jumpMs };
}

/**
 * What the wall clock shows at `ms` on the day of `clock`, as ms since its midnight: 12:30 is 12.5
 * hours also on a day of 23 or 25 hours (the hour the clocks went back over is read twice).
 */
export function wallOfDay(clock: DayClock, ms: number): number {
  return ms - clock.startMs + clock.startWall + (ms >= clock.atMs ? clock.jumpMs : 0);
}

/**
 * The instant the wall clock shows `wall` (ms since midnight) on the day of `clock`: of two, the
 * first; a wall time the clocks jumped over is the instant they jumped (a skipped midnight's
 * hour: the day's first moment).
 */
export function instantOfWall(clock: DayClock, wall: number): number {
  const elapsed = clock.startMs + wall - clock.startWall;
  if (elapsed < clock.startMs) return clock.startMs;
  return elapsed < clock.atMs ? elapsed : Math.max(clock.atMs, elapsed - clock.jumpMs);
}

/**
 * The calendar weeks (Monday to Monday, keyed by the Monday, `YYYY-MM-DD`) or months (`YYYY-MM`)
 * of `tz` that overlap [fromMs, toMs), each with its exact bounds.
 */
export function periodRanges(fromMs: number, toMs: number, tz: string, unit: 'week' | 'month'): DayRange[] {
  const out: DayRange[] = [];
  const here = DateTime.fromMillis(fromMs, { zone: tz });
  if (!here.isValid) return out;
  const zone = here.zone;
  // The periods' first days as dates; each starts at that day's start (see wallInstant): not at
  // the wall time the period before began (01:00 when its midnight was skipped).
  const first = here.startOf(unit);
  let cur = DateTime.utc(first.year, first.month, first.day);
  let start = wallInstant(cur.toMillis(), zone);
  while (cur.isValid && start < toMs) {
    const next = unit === 'week' ? cur.plus({ weeks: 1 }) : cur.plus({ months: 1 });
    const end = wallInstant(next.toMillis(), zone);
    out.push({ day: unit === 'week' ? (cur.toISODate() ?? '') : cur.toFormat('yyyy-LL'), startMs: start, endMs: end });
    cur = next;
    start = end;
  }
  return out;
}
