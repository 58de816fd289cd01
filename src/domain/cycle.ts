/**
 * Billing-cycle boundaries. A cycle starts at 00:00 local time on the anchor day of the month
 * (the month's last day when it is shorter) and ends where the next one starts, so its length
 * follows the calendar and daylight-saving changes exactly (743 or 745 hours happen).
 */
import { DateTime } from './luxon.js';
import { startOfDay, zonedWallInstant } from './time.js';

/** A billing cycle as epoch milliseconds, [startMs, endMs). */
export interface Cycle {
  startMs: number;
  endMs: number;
}

/** A `--cycle` choice: a relative cycle, or the cycle containing a local calendar day. */
export type CycleSelector = 'current' | 'previous' | 'next' | { day: string };

/**
 * The start of the anchor day in the given month (clamped to the month's last day): its 00:00, the
 * first moment it has when the zone skips midnight, the first of two when midnight comes twice.
 */
function anchorStart(year: number, month: number, cycleStartDay: number, tz: string): number {
  const first = DateTime.utc(year, month, 1);
  if (!first.isValid) return NaN;
  const day = Math.min(cycleStartDay, first.daysInMonth ?? 28);
  return zonedWallInstant(first.set({ day }).toMillis(), tz);
}

function monthShift(year: number, month: number, n: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function cycleFromMonth(year: number, month: number, cycleStartDay: number, tz: string): Cycle {
  const next = monthShift(year, month, 1);
  return {
    startMs: anchorStart(year, month, cycleStartDay, tz),
    endMs: anchorStart(next.year, next.month, cycleStartDay, tz),
  };
}

/** The cycle that contains the instant `ms`, for an anchor day 1-31 in IANA zone `tz`. */
export function cycleAt(ms: number, cycleStartDay: number, tz: string): Cycle {
  const local = DateTime.fromMillis(ms, { zone: tz });
  const here = cycleFromMonth(local.year, local.month, cycleStartDay, tz);
  if (ms >= here.startMs) return here;
  const prev = monthShift(local.year, local.month, -1);
  return cycleFromMonth(prev.year, prev.month, cycleStartDay, tz);
}

/**
 * The end of what counts of `cycle` as of `nowMs`: now, within the cycle (its start for a cycle to
 * come, its end for one that is over). Requests stamped later (a runner whose clock runs ahead)
 * are kept, and count once their time has come: status, reports, exports and the dashboard alike.
 */
export function countedUntil(cycle: { startMs: number; endMs: number }, nowMs: number): number {
  return Math.max(cycle.startMs, Math.min(cycle.endMs, nowMs));
}

/** The cycle `n` cycles after `cycle` (negative: before), with the same anchor day and zone. */
export function shiftCycle(cycle: Cycle, n: number, cycleStartDay: number, tz: string): Cycle {
  // The start's local month identifies the cycle even when the anchor was clamped.
  const start = DateTime.fromMillis(cycle.startMs, { zone: tz });
  const { year, month } = monthShift(start.year, start.month, n);
  return cycleFromMonth(year, month, cycleStartDay, tz);
}

/** The cycle containing the local calendar day `day` (`YYYY-MM-DD`); null when it is not a date. */
export function cycleOfDay(day: string, cycleStartDay: number, tz: string): Cycle | null {
  const start = startOfDay(day, tz);
  return start === null ? null : cycleAt(start, cycleStartDay, tz);
}

/** Parses a `--cycle` value (`current`, `previous`, `next` or `YYYY-MM-DD`); null when it is none of them. */
export function parseCycleSelector(value: string): CycleSelector | null {
  if (value === 'current' || value === 'previous' || value === 'next') return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid) return { day: value };
  return null;
}

/** What is wrong with a `--cycle` value parseCycleSelector refused, in one sentence. */
export function cycleSelectorProblem(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? `--cycle ${value} is no day of the calendar: give a date that exists, or current, previous or next.`
    : `--cycle must be current, previous, next or a date YYYY-MM-DD, not "${value}".`;
}

/** Resolves a selector to a cycle as seen from `nowMs`. */
export function selectCycle(selector: CycleSelector, nowMs: number, cycleStartDay: number, tz: string): Cycle {
  const current = cycleAt(nowMs, cycleStartDay, tz);
  if (selector === 'current') return current;
  if (selector === 'previous') return shiftCycle(current, -1, cycleStartDay, tz);
  if (selector === 'next') return shiftCycle(current, 1, cycleStartDay, tz);
  return cycleOfDay(selector.day, cycleStartDay, tz) ?? current;
}

/** Every cycle overlapping [fromMs, toMs), oldest first. */
export function cyclesBetween(fromMs: number, toMs: number, cycleStartDay: number, tz: string): Cycle[] {
  const out: Cycle[] = [];
  let cur = cycleAt(fromMs, cycleStartDay, tz);
  while (cur.startMs < toMs) {
    out.push(cur);
    cur = shiftCycle(cur, 1, cycleStartDay, tz);
  }
  return out;
}

/**
 * A cycle's local days, from its first to its last (`lastMs`, a moment of that day), with the
 * year when it is not the year of `nowMs`: `Jul 1 – Jul 31`, `Jul 1 – Jul 31 2023`,
 * `Dec 15 2026 – Jan 14 2027`.
 */
export function cycleDays(startMs: number, lastMs: number, nowMs: number, tz: string): string {
  const [a, b, year] = [startMs, lastMs, nowMs].map((ms) => DateTime.fromMillis(ms, { zone: tz })) as [
    DateTime,
    DateTime,
    DateTime,
  ];
  if (a.year === year.year && b.year === year.year) return `${a.toFormat('LLL d')} – ${b.toFormat('LLL d')}`;
  return `${a.toFormat(a.year === b.year ? 'LLL d' : 'LLL d yyyy')} – ${b.toFormat('LLL d yyyy')}`;
}
