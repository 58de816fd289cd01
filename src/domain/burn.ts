/**
 * Burn rates of counted spend, from window sums the store computes. Pure arithmetic: the windows
 * end at "now", and the cycle rate divides by the cycle time elapsed so far.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Sums of counted spend over windows ending at now (USD). */
export interface WindowSums {
  lastHour: number;
  last24h: number;
  last7d: number;
  /** Spend of the cycle from its start up to min(now, end). */
  cycleToDate: number;
}

export interface BurnRates {
  lastHourPerHour: number;
  last24hPerHour: number;
  last7dPerDay: number;
  cyclePerDay: number;
}

/** Window starts for `nowMs`, so the store and the rates agree on the windows. */
export function burnWindows(nowMs: number): { lastHourFrom: number; last24hFrom: number; last7dFrom: number } {
  return { lastHourFrom: nowMs - HOUR_MS, last24hFrom: nowMs - DAY_MS, last7dFrom: nowMs - 7 * DAY_MS };
}

/** Elapsed cycle time in days at `nowMs`, clamped to [0, cycle length]. */
export function elapsedDays(cycle: { startMs: number; endMs: number }, nowMs: number): number {
  return Math.max(0, Math.min(nowMs, cycle.endMs) - cycle.startMs) / DAY_MS;
}

/**
 * What the cycle's spend so far is divided by for a rate per day: its elapsed days, at least one
 * (a $2 job five minutes into the cycle is $2 a day so far, not $576); 0 before the cycle starts.
 */
export function rateDays(cycle: { startMs: number; endMs: number }, nowMs: number): number {
  const days = elapsedDays(cycle, nowMs);
  return days > 0 ? Math.max(1, days) : 0;
}

/** Rates from window sums: $/h for the last hour and 24 h, $/day for 7 days and for the cycle so far (0 before it starts). */
export function burnRates(sums: WindowSums, cycle: { startMs: number; endMs: number }, nowMs: number): BurnRates {
  const days = rateDays(cycle, nowMs);
  return {
    lastHourPerHour: sums.lastHour,
    last24hPerHour: sums.last24h / 24,
    last7dPerDay: sums.last7d / 7,
    cyclePerDay: days > 0 ? sums.cycleToDate / days : 0,
  };
}

/** Per-model burn of the cycle so far in $/day, same order as given. */
export function modelRates<T extends { cost: number }>(
  rows: T[],
  cycle: { startMs: number; endMs: number },
  nowMs: number,
): Array<T & { perDay: number }> {
  const days = rateDays(cycle, nowMs);
  return rows.map((r) => ({ ...r, perDay: days > 0 ? r.cost / days : 0 }));
}
