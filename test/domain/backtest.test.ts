import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { completeCycles, runBacktest, type BacktestInput } from '../../src/domain/backtest.js';
import { formatBacktest } from '../../src/commands/backtest.js';
import type { SpendBucket } from '../../src/domain/forecast-history.js';
import { mulberry32, standardNormal } from '../../src/domain/random.js';

const HOUR = 3_600_000;

/** A bursty automation history: weekday runs of random size, a nightly job, idle weekends, rare big runs. */
function burstyHistory(tz: string, fromIso: string, toIso: string, seed: number): SpendBucket[] {
  const rng = mulberry32(seed);
  const out: SpendBucket[] = [];
  let day = DateTime.fromISO(fromIso, { zone: tz });
  const end = DateTime.fromISO(toIso, { zone: tz });
  while (day < end) {
    const weekday = day.weekday <= 5;
    const runs = weekday ? Math.exp(0.6 * standardNormal(rng)) * 6 : rng() < 0.2 ? 2 * rng() : 0;
    for (let h = 9; h < 18; h++) if (runs > 0) out.push({ startMs: day.plus({ hours: h }).toMillis(), cost: runs / 9 });
    out.push({ startMs: day.plus({ hours: 2 }).toMillis(), cost: 1.5 });
    if (rng() < 0.03) out.push({ startMs: day.plus({ hours: 14, minutes: 15 }).toMillis(), cost: 40 });
    day = day.plus({ days: 1 });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** A backtest of `buckets` (data from the first) as of `nowIso`, cycles from the 1st, $100 credit. */
function replay(tz: string, buckets: SpendBucket[], nowIso: string, extra: Partial<BacktestInput> = {}) {
  return runBacktest({
    buckets,
    dataStartMs: buckets[0]!.startMs,
    nowMs: DateTime.fromISO(nowIso, { zone: tz }).toMillis(),
    cycleStartDay: 1,
    tz,
    credit: 100,
    ...extra,
  });
}

describe('backtest', () => {
  it('only scores complete cycles that start within the data', () => {
    const tz = 'UTC';
    const cycles = completeCycles(
      DateTime.fromISO('2026-03-10', { zone: tz }).toMillis(),
      DateTime.fromISO('2026-06-20', { zone: tz }).toMillis(),
      15,
      tz,
    );
    expect(cycles.map((c) => DateTime.fromMillis(c.startMs, { zone: tz }).toISODate())).toEqual([
      '2026-03-15',
      '2026-04-15',
      '2026-05-15',
    ]);
  });

  it('names the cycle it leaves out because the data began more than a day into it', () => {
    const tz = 'UTC';
    const buckets = burstyHistory(tz, '2026-10-02T02:00', '2026-11-20T00:00', 3);
    const r = replay(tz, buckets, '2026-11-20T00:00');
    expect(r.points).toBe(0);
    expect(r.beganBeforeData).toBe(DateTime.fromISO('2026-10-01', { zone: tz }).toMillis());
    expect(formatBacktest(r, tz)).toBe(
      'No complete past cycle with spend to replay yet (the cycle from 2026-10-01 began more than a day before the first request, so its first forecasts would have had nothing to go on: it is not replayed).\n',
    );
    // Data from the day before the cycle: that cycle is replayed.
    const early = burstyHistory(tz, '2026-09-30T12:00', '2026-11-20T00:00', 3);
    const kept = replay(tz, early, '2026-11-20T00:00');
    expect(kept.cycles.map((c) => DateTime.fromMillis(c.startMs, { zone: tz }).toISODate())).toEqual(['2026-10-01']);
    // Days no cycle has: said as such, not as a cycle that began before the data.
    const late = replay(tz, early, '2026-11-20T00:00', { checkpointDays: [32] });
    expect(late.withoutDays).toBe(1);
    expect(formatBacktest(late, tz)).toMatch(
      /^No complete past cycle with spend to replay yet \(1 complete cycle with spend has none of the days asked for; the cycle from 2026-09-01/,
    );
  });

  for (const tz of ['UTC', 'America/Los_Angeles']) {
    it(`beats the straight line on bursty automation and keeps honest bands (${tz})`, () => {
      const buckets = burstyHistory(tz, '2026-01-01T00:00', '2026-07-01T00:00', 7);
      const r = replay(tz, buckets, '2026-07-01T00:00');
      expect(r.cycles.length).toBe(6);
      expect(r.points).toBeGreaterThan(130);
      expect(r.p50Error!).toBeLessThan(r.naiveError!);
      expect(r.coverage!).toBeGreaterThanOrEqual(0.7);
      expect(r.coverage!).toBeLessThanOrEqual(0.95);
    });
  }

  it('reports nothing to score on an empty history', () => {
    const r = runBacktest({
      buckets: [],
      dataStartMs: null,
      nowMs: 10 * HOUR,
      cycleStartDay: 1,
      tz: 'UTC',
      credit: 20,
    });
    expect(r).toMatchObject({ points: 0, p50Error: null, coverage: null });
  });
});
