import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { forecastCycle, type ForecastInput } from '../../src/domain/forecast.js';
import type { SpendBucket } from '../../src/domain/forecast-history.js';
import { cycleAt } from '../../src/domain/cycle.js';

const HOUR = 3_600_000;

/** Hourly buckets from `fromIso` to `nowMs`, cost given by local time. */
function history(fromIso: string, nowMs: number, tz: string, cost: (t: DateTime) => number): SpendBucket[] {
  const out: SpendBucket[] = [];
  for (let ms = DateTime.fromISO(fromIso, { zone: tz }).toMillis(); ms < nowMs; ms += HOUR) {
    const c = cost(DateTime.fromMillis(ms, { zone: tz }));
    if (c > 0) out.push({ startMs: ms, cost: c });
  }
  return out;
}

function input(tz: string, nowIso: string, credit: number, fromIso: string, cost: (t: DateTime) => number): ForecastInput {
  const nowMs = DateTime.fromISO(nowIso, { zone: tz }).toMillis();
  const cycle = cycleAt(nowMs, 1, tz);
  const buckets = history(fromIso, nowMs, tz, cost);
  const spentSoFar = buckets.filter((b) => b.startMs >= cycle.startMs).reduce((s, b) => s + b.cost, 0);
  return { cycle, nowMs, tz, spentSoFar, buckets, dataStartMs: DateTime.fromISO(fromIso, { zone: tz }).toMillis(), credit, exhaustedAtMs: null };
}

const weekday = (t: DateTime): boolean => t.weekday <= 5;

describe('forecastCycle on constructed histories', () => {
  it('flat spend: the band sits on the straight-line answer and exhaustion on its hour', () => {
    // $1 every hour; September has 30 days; 10 days done.
    const f = forecastCycle(input('UTC', '2026-09-11T00:00', 500, '2026-07-01T00:00', () => 1));
    expect(f.method).toBe('resample');
    expect(f.cycleEndSpend.p50).toBeGreaterThan(720 * 0.98);
    expect(f.cycleEndSpend.p50).toBeLessThan(720 * 1.02);
    expect(f.cycleEndSpend.p10).toBeLessThanOrEqual(720);
    expect(f.cycleEndSpend.p90).toBeGreaterThanOrEqual(720);
    expect(f.cycleEndSpend.p90 / f.cycleEndSpend.p10).toBeLessThan(1.4);
    const exact = DateTime.fromISO('2026-09-21T20:00', { zone: 'UTC' }).toMillis();
    expect(Math.abs(f.exhaustionAt.p50! - exact)).toBeLessThan(12 * HOUR);
    expect(f.exhaustionAt.p10!).toBeLessThanOrEqual(f.exhaustionAt.p50!);
    expect(f.exhaustionAt.p50!).toBeLessThanOrEqual(f.exhaustionAt.p90!);
  });

  it('weekday-only spend: counts the remaining weekdays and never crosses on a weekend', () => {
    const tz = 'America/New_York';
    // $10 per weekday between 09:00 and 17:00 local; weekends idle.
    const cost = (t: DateTime): number => (weekday(t) && t.hour >= 9 && t.hour < 17 ? 10 / 8 : 0);
    const inp = input(tz, '2026-10-10T00:00', 150, '2026-08-01T00:00', cost);
    const f = forecastCycle(inp);
    // Oct 2026: 22 weekdays, 7 of them before the 10th.
    expect(inp.spentSoFar).toBeCloseTo(70, 6);
    const exact = 220;
    expect(f.cycleEndSpend.p50).toBeGreaterThan(exact * 0.97);
    expect(f.cycleEndSpend.p50).toBeLessThan(exact * 1.03);
    for (const t of [f.exhaustionAt.p10, f.exhaustionAt.p50, f.exhaustionAt.p90]) {
      expect(t).not.toBeNull();
      const local = DateTime.fromMillis(t!, { zone: tz });
      expect(local.weekday).toBeLessThanOrEqual(5);
      expect(local.hour).toBeGreaterThanOrEqual(9);
      expect(local.hour + local.minute / 60).toBeLessThanOrEqual(17);
    }
  });

  it('zero spend: nothing more is forecast and the credit lasts', () => {
    const f = forecastCycle(input('Asia/Kolkata', '2026-09-11T00:00', 20, '2026-07-01T00:00', () => 0));
    expect(f.cycleEndSpend).toEqual({ p10: 0, p50: 0, p90: 0 });
    expect(f.exhaustionAt).toEqual({ p10: null, p50: null, p90: null });
  });

  it('one spike: treated as a one-off, far below the straight line through it', () => {
    const spikeDay = '2026-09-08';
    const cost = (t: DateTime): number => 1 + (t.toISODate() === spikeDay && t.hour === 3 ? 500 : 0);
    const inp = input('UTC', '2026-09-11T00:00', 5000, '2026-07-01T00:00', cost);
    const f = forecastCycle(inp);
    const oneOff = inp.spentSoFar + 20 * 24;
    const naive = (inp.spentSoFar * 30) / 10;
    expect(f.cycleEndSpend.p50).toBeLessThan(oneOff * 1.1);
    expect(f.cycleEndSpend.p50).toBeGreaterThan(oneOff * 0.95);
    expect(Math.abs(f.cycleEndSpend.p50 - oneOff)).toBeLessThan(Math.abs(naive - oneOff) / 5);
    expect(f.cycleEndSpend.p90).toBeGreaterThan(f.cycleEndSpend.p50);
  });

  it('nightly jobs cross the credit at night (Europe/Berlin, across the October DST change)', () => {
    const tz = 'Europe/Berlin';
    const f = forecastCycle(input(tz, '2026-10-05T12:00', 100, '2026-08-01T00:00', (t) => (t.hour === 2 ? 4 : 0)));
    for (const t of [f.exhaustionAt.p10, f.exhaustionAt.p50, f.exhaustionAt.p90]) {
      expect(DateTime.fromMillis(t!, { zone: tz }).hour).toBe(2);
    }
  });

  it('little history widens the band; a few hours of data fall back to the observed rate', () => {
    const long = forecastCycle(input('UTC', '2026-09-11T00:00', 1e6, '2026-07-01T00:00', () => 1));
    const short = forecastCycle(input('UTC', '2026-09-11T00:00', 1e6, '2026-09-08T00:00', () => 1));
    const width = (f: typeof long): number => f.cycleEndSpend.p90 - f.cycleEndSpend.p10;
    expect(width(short)).toBeGreaterThan(1.5 * width(long));
    const fresh = forecastCycle(input('UTC', '2026-09-11T06:00', 1e6, '2026-09-11T00:00', () => 2));
    expect(fresh.method).toBe('rate');
    const straight = 12 + 2 * (30 * 24 - 10 * 24 - 6);
    expect(fresh.cycleEndSpend.p50).toBeGreaterThan(straight * 0.8);
    expect(fresh.cycleEndSpend.p50).toBeLessThan(straight * 1.2);
    expect(fresh.cycleEndSpend.p90 - fresh.cycleEndSpend.p10).toBeGreaterThan(0.3 * straight);
  });

  it('is deterministic, and reports an exhaustion that already happened as certain', () => {
    const inp = input('UTC', '2026-09-20T00:00', 300, '2026-07-01T00:00', () => 1);
    expect(forecastCycle(inp)).toEqual(forecastCycle(inp));
    const done = forecastCycle({ ...inp, exhaustedAtMs: 12345 });
    expect(done.exhaustionAt).toEqual({ p10: 12345, p50: 12345, p90: 12345 });
    const ended = forecastCycle({ ...inp, nowMs: inp.cycle.endMs + HOUR, exhaustedAtMs: null, spentSoFar: 42 });
    expect(ended.cycleEndSpend).toEqual({ p10: 42, p50: 42, p90: 42 });
    expect(ended.method).toBe('complete');
  });
});
