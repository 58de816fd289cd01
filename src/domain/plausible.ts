/**
 * Which request times and token counts are plausible. A time: not before Claude Code could have
 * written it, not well after the moment it is read; one outside (year 9999, +275760, 1970) is a
 * skip reason, never a bound of day or cycle arithmetic. A count: no more than a request can carry.
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

/**
 * The largest token (or tool call) count one request can carry: 100 million is fifty times the
 * largest context window. A count past it (a corrupted line, a sender's bug) is refused as
 * `bad-usage`: priced, one such count would be billions of dollars on every gauge.
 */
export const MAX_PLAUSIBLE_COUNT = 100_000_000;

/** Whether `n` is a count one request can carry: a whole number from 0 to MAX_PLAUSIBLE_COUNT. */
export function plausibleCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_PLAUSIBLE_COUNT;
}

/**
 * The largest dollar figure taken from Claude Code (a session's `cost.total_cost_usd`, a request's
 * `cost_usd`): ten million, far past any session's spend. A figure past it is a corrupted or hostile
 * value, and is ignored (the request itself is priced from its tokens).
 */
export const MAX_PLAUSIBLE_USD = 10_000_000;

/** Whether `v` is a dollar figure Claude Code could report: finite, from 0 to MAX_PLAUSIBLE_USD. */
export function plausibleUsd(v: number): boolean {
  return Number.isFinite(v) && v >= 0 && v <= MAX_PLAUSIBLE_USD;
}
