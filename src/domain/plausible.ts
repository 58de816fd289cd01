/**
 * Which request times are plausible: not before Claude Code could have written them, not well after
 * the moment they are read. A timestamp outside (year 9999, +275760, 1970) is a skip reason, never a
 * bound of day or cycle arithmetic.
 */

/** Earliest plausible request time: 2024-01-01 UTC, before any Claude Code build existed. */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2024, 0, 1);

/** How far past the clock of the reading machine a request may be stamped (skewed clocks, zones). */
export const FUTURE_SLACK_MS = 2 * 86_400_000;

/** Whether `ts` (epoch ms) is a plausible request time as read at `nowMs`. */
export function plausibleTs(ts: number, nowMs: number = Date.now()): boolean {
  return ts >= EARLIEST_PLAUSIBLE_MS && ts <= nowMs + FUTURE_SLACK_MS;
}

/**
 * The latest time a range built from stored data may reach: generous (stores written by tests or
 * other tools may hold planned times), but finite, so no bound read from data can make a query
 * build millions of days.
 */
export function rangeCeilingMs(nowMs: number = Date.now()): number {
  return nowMs + 2 * 366 * 86_400_000;
}
