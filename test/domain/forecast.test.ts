import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  DEFAULT_FORECAST,
  forecastBasis,
  forecastCycle,
  partialDayLevel,
  type Forecast,
  type ForecastInput,
} from '../../src/domain/forecast.js';
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

function input(
  tz: string,
  nowIso: string,
  credit: number,
  fromIso: string,
  cost: (t: DateTime) => number,
): ForecastInput {
  const nowMs = DateTime.fromISO(nowIso, { zone: tz }).toMillis();
  const cycle = cycleAt(nowMs, 1, tz);
  const buckets = history(fromIso, nowMs, tz, cost);
  const spentSoFar = buckets.filter((b) => b.startMs >= cycle.startMs).reduce((s, b) => s + b.cost, 0);
  return {
    cycle,
    nowMs,
    tz,
    spentSoFar,
    buckets,
    dataStartMs: DateTime.fromISO(fromIso, { zone: tz }).toMillis(),
    credit,
    exhaustedAtMs: null,
  };
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

  it('one heavy Sunday in the first week is a one-off, not what every weekend spends', () => {
    // $3 a day from Tuesday Oct 6, $115 on Sunday Oct 11, $3 a day after; on Tuesday Oct 13 at
    // 02:00 a weekday/weekend pattern read from that one week drew $59 for each weekend day left.
    const cost = (t: DateTime): number => (t.hour === 3 ? (t.toISODate() === '2026-10-11' ? 115 : 3) : 0);
    const inp = input('UTC', '2026-10-13T02:00', 200, '2026-10-06T00:00', cost);
    const f = forecastCycle(inp);
    expect(f.structure).toBe('flat');
    // 19 days of $3 are left: $57 more.
    expect(f.cycleEndSpend.p50).toBeGreaterThan(0.85 * (inp.spentSoFar + 19 * 3));
    expect(f.cycleEndSpend.p50).toBeLessThan(1.15 * (inp.spentSoFar + 19 * 3));
    expect(f.cycleEndSpend.p10).toBeLessThanOrEqual(inp.spentSoFar + 19 * 3);
  });

  it('nightly jobs cross the credit at night (Europe/Berlin, across the October DST change)', () => {
    const tz = 'Europe/Berlin';
    const f = forecastCycle(input(tz, '2026-10-05T12:00', 100, '2026-08-01T00:00', (t) => (t.hour === 2 ? 4 : 0)));
    for (const t of [f.exhaustionAt.p10, f.exhaustionAt.p50, f.exhaustionAt.p90]) {
      expect(DateTime.fromMillis(t!, { zone: tz }).hour).toBe(2);
    }
  });

  it('on the day the clocks go forward, a job done today is not drawn again for the rest of it', () => {
    // $3 a day from 12:00 to 13:00 local; 8 March 2026 has 23 hours in Los Angeles.
    const tz = 'America/Los_Angeles';
    const at = (iso: string) => forecastCycle(input(tz, iso, 1000, '2026-01-01T00:00', (t) => (t.hour === 12 ? 3 : 0)));
    const after = at('2026-03-08T13:30');
    // Today's run is done at 13:00: what is left is 23 more days of $3.
    expect(after.cycleEndSpend.p50).toBeCloseTo(24 + 23 * 3, 6);
    // 12:30 by the clock is 11.5 hours into that day: today's run was drawn a second time from there.
    const during = at('2026-03-08T12:30');
    expect(during.cycleEndSpend.p50).toBeCloseTo(24 + 23 * 3, 6);
    // The day the clocks go back (1 November, 25 hours) reads its hours by the clock as well.
    expect(at('2026-11-01T13:30').cycleEndSpend.p50).toBeCloseTo(3 + 29 * 3, 6);
    // Where the clocks skip midnight, the day starts at 01:00 by the clock (Santiago, Havana).
    for (const [zone, day, spent, left] of [
      ['America/Santiago', '2026-09-06', 18, 24],
      ['America/Havana', '2026-03-08', 24, 23],
    ] as const) {
      const f = forecastCycle(input(zone, `${day}T12:30`, 1000, '2026-01-01T00:00', (t) => (t.hour === 12 ? 3 : 0)));
      expect(f.cycleEndSpend.p50, zone).toBeCloseTo(spent + left * 3, 6);
    }
  });

  it('a run that ended a minute ago is not drawn again for the rest of its quarter hour', () => {
    // $3 a day within the first half minute after 10:00 (one quarter-hour bucket); October has 31 days.
    const daily = (today: number) => (t: DateTime) => (t.hour !== 10 ? 0 : t.day === 10 && t.month === 10 ? today : 3);
    const at = (iso: string, today = 3) =>
      forecastCycle(input('UTC', iso, 1000, '2026-06-01T00:00', daily(today))).cycleEndSpend.p50;
    // Before the run, a minute after it and once its quarter hour is past: 31 runs of $3.
    for (const iso of ['2026-10-10T09:55', '2026-10-10T10:01', '2026-10-10T10:14', '2026-10-10T10:20'])
      expect(at(iso), iso).toBeCloseTo(93, 6);
    // A run under way, $1 of its $3 spent: the other $2 still come today.
    expect(at('2026-10-10T10:01', 1)).toBeCloseTo(93, 6);
  });

  it("the upper band's room for a re-run does not take it past a credit no path runs out", () => {
    // $5 a day at 10:00: October ends at $155. The room of one more day would read $160.
    const at = (credit: number) =>
      forecastCycle(input('UTC', '2026-10-20T12:00', credit, '2026-07-01T00:00', (t) => (t.hour === 10 ? 5 : 0)));
    const lasts = at(157.5);
    expect(lasts.cycleEndSpend.p50).toBeCloseTo(155, 6);
    expect(lasts.cycleEndSpend.p90).toBeCloseTo(157.5, 6);
    expect(lasts.exhaustionAt).toEqual({ p10: null, p50: null, p90: null });
    // Far from the credit the room stays whole; past it, the paths run out and the band follows them.
    expect(at(1000).cycleEndSpend.p90).toBeCloseTo(160, 6);
    const short = at(150);
    expect(short.exhaustionAt.p10).not.toBeNull();
    expect(short.cycleEndSpend.p90).toBeGreaterThanOrEqual(155);
  });

  it('a weekly job back from a three-week pause keeps its history: no new start, no daily level', () => {
    // $10 every Monday at 03:00 since May 4, none on Sep 7, 14 and 21; back on Sep 28. October: $40.
    const paused = ['2026-09-07', '2026-09-14', '2026-09-21'];
    const monday = (t: DateTime) => (t.weekday === 1 && t.hour === 3 && !paused.includes(t.toISODate()!) ? 10 : 0);
    const f = forecastCycle(input('UTC', '2026-10-01T00:00', 1000, '2026-05-04T00:00', monday));
    expect(f.littleHistory).toBe(false);
    expect(f.structure).toBe('weekday');
    // Before, only the four days since Sep 28 counted: a P50 of $74 and a P90 of $218. The pause's
    // quiet Mondays do not count as Mondays the job spends nothing on either.
    expect(f.cycleEndSpend.p50).toBeGreaterThanOrEqual(35);
    expect(f.cycleEndSpend.p50).toBeLessThanOrEqual(45);
    expect(f.cycleEndSpend.p90).toBeLessThanOrEqual(60);
    // Back on the day itself (paused Sep 7 to 28, back Monday Oct 5 at 03:00): read with its
    // history, not as a new level from today's hour alone (a P50 of $281 for a $40 month).
    const late = ['2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28'];
    const back = (t: DateTime) => (t.weekday === 1 && t.hour === 3 && !late.includes(t.toISODate()!) ? 10 : 0);
    const day = forecastCycle(input('UTC', '2026-10-05T04:00', 1000, '2026-05-04T00:00', back));
    expect(day.method).toBe('resample');
    expect(day.cycleEndSpend.p50).toBeGreaterThanOrEqual(35);
    expect(day.cycleEndSpend.p50).toBeLessThanOrEqual(45);
  });

  it('never places a crossing before now, in the hour the clocks went back over, read a second time', () => {
    // $1 a quarter hour from 01:30 to 02:00; now 01:35 in winter time on 1 November, the second 01:35.
    const tz = 'America/Los_Angeles';
    const inp = input(tz, '2026-11-01T01:00', 1000, '2026-09-01T00:00', () => 0);
    const nowMs = DateTime.fromISO('2026-11-01T01:35-08:00').toMillis();
    const buckets: SpendBucket[] = [];
    for (let d = DateTime.fromISO('2026-09-01T01:30', { zone: tz }); d.toMillis() < nowMs; d = d.plus({ days: 1 }))
      for (const m of [0, 15]) buckets.push({ startMs: d.plus({ minutes: m }).toMillis(), cost: 1 });
    const spentSoFar = buckets.filter((b) => b.startMs >= inp.cycle.startMs && b.startMs < nowMs).length;
    const f = forecastCycle({ ...inp, nowMs, buckets, spentSoFar, credit: spentSoFar + 1 });
    expect(f.exhaustionAt.p50).not.toBeNull();
    expect(f.exhaustionAt.p50!).toBeGreaterThanOrEqual(nowMs);
  });

  it('a credit running out on the day the clocks go back runs out at the hour its job runs (Europe/Berlin)', () => {
    // $4 a day at 12:00 local: the 25th job of October reaches $100, on 25 October, a day of 25 hours.
    const tz = 'Europe/Berlin';
    const f = forecastCycle(input(tz, '2026-10-20T18:00', 100, '2026-08-01T00:00', (t) => (t.hour === 12 ? 4 : 0)));
    const local = DateTime.fromMillis(f.exhaustionAt.p50!, { zone: tz });
    expect(local.toISODate()).toBe('2026-10-25');
    expect(local.hour).toBe(12);
  });

  it('a job of twenty minutes runs the credit out within those minutes, not later in its hour', () => {
    // $5 a night from 03:00 to 03:20: $3.75 in the quarter hour from 03:00, $1.25 in the next
    // (spread over 03:15-03:30: the crossing is placed within quarter hours).
    const tz = 'UTC';
    const inp = input(tz, '2026-10-05T12:00', 100, '2026-08-01T00:00', () => 0);
    const buckets: SpendBucket[] = [];
    for (let ms = DateTime.fromISO('2026-08-01T03:00', { zone: tz }).toMillis(); ms < inp.nowMs; ms += 24 * HOUR)
      buckets.push({ startMs: ms, cost: 3.75 }, { startMs: ms + HOUR / 4, cost: 1.25 });
    const cycle = inp.cycle;
    const spentSoFar = buckets.filter((b) => b.startMs >= cycle.startMs).reduce((s, b) => s + b.cost, 0);
    const f = forecastCycle({ ...inp, buckets, spentSoFar });
    for (const t of [f.exhaustionAt.p10, f.exhaustionAt.p50, f.exhaustionAt.p90]) {
      const local = DateTime.fromMillis(t!, { zone: tz });
      expect(local.hour * 60 + local.minute).toBeGreaterThanOrEqual(3 * 60);
      expect(local.hour * 60 + local.minute).toBeLessThanOrEqual(3 * 60 + 30);
    }
  });

  it('little history widens the band; a few hours of data count as one whole day, not an hourly rate', () => {
    const long = forecastCycle(input('UTC', '2026-09-11T00:00', 1e6, '2026-07-01T00:00', () => 1));
    const short = forecastCycle(input('UTC', '2026-09-11T00:00', 1e6, '2026-09-08T00:00', () => 1));
    const width = (f: typeof long): number => f.cycleEndSpend.p90 - f.cycleEndSpend.p10;
    expect(width(short)).toBeGreaterThan(1.5 * width(long));
    // $2 an hour for the first 6 hours of the first day: $12 so far, $12 a day on the whole-day basis.
    const fresh = forecastCycle(input('UTC', '2026-09-11T06:00', 1e6, '2026-09-11T00:00', () => 2));
    expect(fresh.method).toBe('rate');
    expect(fresh.settled).toBe(false);
    const wholeDays = 12 + 12 * (30 - 10 - 0.25);
    expect(fresh.cycleEndSpend.p50).toBeGreaterThan(wholeDays * 0.85);
    expect(fresh.cycleEndSpend.p50).toBeLessThan(wholeDays * 1.15);
    expect(fresh.cycleEndSpend.p90 / fresh.cycleEndSpend.p10).toBeGreaterThan(3);
    const hourlyLine = 12 + 2 * (30 * 24 - 10 * 24 - 6);
    expect(fresh.cycleEndSpend.p50).toBeLessThan(hourlyLine / 3);
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

const DAY = 86_400_000;

/** A forecast input from single requests `[local ISO, cost]` seen as of `nowIso` (all local to `tz`). */
function fromRequests(tz: string, nowIso: string, credit: number, requests: Array<[string, number]>): ForecastInput {
  const nowMs = DateTime.fromISO(nowIso, { zone: tz }).toMillis();
  const cycle = cycleAt(nowMs, 1, tz);
  const buckets: SpendBucket[] = requests
    .map(([iso, cost]) => ({ startMs: DateTime.fromISO(iso, { zone: tz }).toMillis(), cost }))
    .filter((b) => b.startMs < nowMs)
    .sort((a, b) => a.startMs - b.startMs);
  const spentSoFar = buckets.filter((b) => b.startMs >= cycle.startMs).reduce((s, b) => s + b.cost, 0);
  return {
    cycle,
    nowMs,
    tz,
    spentSoFar,
    buckets,
    dataStartMs: buckets[0]?.startMs ?? null,
    credit,
    exhaustedAtMs: null,
  };
}

const cycleDays = (inp: ForecastInput): number => (inp.cycle.endMs - inp.cycle.startMs) / DAY;

// Pinned zones on both sides of UTC: the whole-day basis follows local days.
for (const tz of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
  describe(`forecast with little history (${tz})`, () => {
    it('one $1 request 30 minutes ago: a humble band around one dollar a day, not an hourly straight line', () => {
      const inp = fromRequests(tz, '2026-11-10T09:30', 100, [['2026-11-10T09:00', 1]]);
      const f = forecastCycle(inp);
      expect(f.method).toBe('rate');
      expect(f.settled).toBe(false);
      // $1 over (at least) one whole day, for the rest of the cycle: about $21.6 by the end.
      const wholeDays = 1 + (inp.cycle.endMs - inp.nowMs) / DAY;
      expect(f.cycleEndSpend.p50).toBeGreaterThan(wholeDays * 0.8);
      expect(f.cycleEndSpend.p50).toBeLessThan(wholeDays * 1.25);
      expect(f.cycleEndSpend.p50).toBeLessThan(2 * 1 * cycleDays(inp));
      expect(f.cycleEndSpend.p10).toBeGreaterThanOrEqual(1);
      expect(f.cycleEndSpend.p90 / f.cycleEndSpend.p10).toBeGreaterThan(4);
      expect(f.cycleEndSpend.p90).toBeLessThan(5 * cycleDays(inp));
      expect(f.exhaustionAt.p50).toBeNull();
    });

    it('a burst within the first hour never dominates: it counts as one day of spend', () => {
      const burst: Array<[string, number]> = [
        ['2026-11-10T09:00', 2.5],
        ['2026-11-10T09:15', 2.5],
        ['2026-11-10T09:30', 2.5],
        ['2026-11-10T09:45', 2.5],
      ];
      const inp = fromRequests(tz, '2026-11-10T10:00', 1000, burst);
      const f = forecastCycle(inp);
      const perWholeDay = 10;
      expect(f.cycleEndSpend.p50).toBeLessThan(1.5 * perWholeDay * cycleDays(inp));
      expect(f.cycleEndSpend.p50).toBeGreaterThan(0.5 * perWholeDay * ((inp.cycle.endMs - inp.nowMs) / DAY));
      const lastHourLine = 10 + (10 * (inp.cycle.endMs - inp.nowMs)) / 3_600_000;
      expect(f.cycleEndSpend.p50).toBeLessThan(lastHourLine / 10);
    });

    it('stays put from the first half hour to the next day when nothing new is spent', () => {
      const early = forecastCycle(fromRequests(tz, '2026-11-10T09:30', 100, [['2026-11-10T09:00', 1]]));
      const later = forecastCycle(fromRequests(tz, '2026-11-11T09:30', 100, [['2026-11-10T09:00', 1]]));
      expect(later.method).toBe('resample');
      expect(later.settled).toBe(true);
      const ratio = early.cycleEndSpend.p50 / later.cycleEndSpend.p50;
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.25);
    });

    it('a short history that spent less in all than today so far is read as no complete day with spend', () => {
      // A cent's fraction two days ago (a backfill), then $18 in the last hour.
      const hour: Array<[string, number]> = [['2026-11-08T10:00', 0.000045]];
      for (let m = 0; m < 60; m += 3) hour.push([`2026-11-10T09:${String(m).padStart(2, '0')}`, 0.9]);
      const inp = fromRequests(tz, '2026-11-10T10:00', 60, hour);
      const f = forecastCycle(inp);
      expect(f.method).toBe('rate');
      // 24 hours of data and a complete day with spend, however small: the forecast is acted on.
      expect(f.settled).toBe(true);
      // The spend so far over the whole days since the first request ($18 over about 2.4 days), for
      // the rest of the cycle: far above today's $18, and a band, not a point.
      const level = inp.spentSoFar / ((inp.nowMs - DateTime.fromISO('2026-11-08', { zone: tz }).toMillis()) / DAY);
      const rest = (inp.cycle.endMs - inp.nowMs) / DAY;
      expect(f.cycleEndSpend.p50).toBeGreaterThan(inp.spentSoFar + 0.5 * level * rest);
      expect(f.cycleEndSpend.p90).toBeGreaterThan(1.5 * f.cycleEndSpend.p10);
      expect(f.exhaustionAt.p50).not.toBeNull();
      // One more such cent a day earlier, and a history of two weeks: its days are the history again.
      const long: Array<[string, number]> = [];
      for (let d = 0; d < 14; d++)
        long.push([DateTime.fromISO('2026-10-27T10:00', { zone: tz }).plus({ days: d }).toISO()!, 0.01]);
      const kept = forecastCycle(fromRequests(tz, '2026-11-10T10:00', 60, [...long, ...hour.slice(1)]));
      expect(kept.method).toBe('resample');
    });

    it('a heavy day in a short history is drawn as its days are, hour after hour, and stays settled', () => {
      // Eleven days at $10, then $8 an hour today: past the history's own $110 by the afternoon.
      const days: Array<[string, number]> = [];
      for (let d = 0; d < 11; d++)
        days.push([DateTime.fromISO('2026-10-30T12:00', { zone: tz }).plus({ days: d }).toISO()!, 10]);
      for (let h = 0; h < 15; h++)
        days.push([DateTime.fromISO('2026-11-10T00:30', { zone: tz }).plus({ hours: h }).toISO()!, 8]);
      const at = (hour: string) => forecastCycle(fromRequests(tz, `2026-11-10T${hour}`, 300, days));
      const noon = at('12:45');
      const later = at('14:45');
      for (const f of [noon, later]) {
        expect(f.method).toBe('resample');
        expect(f.settled).toBe(true);
      }
      // More spent, never a lower projection.
      expect(later.cycleEndSpend.p50).toBeGreaterThanOrEqual(noon.cycleEndSpend.p50);
    });

    it('one full day of data: the P50 sits near the per-day level times the cycle and is settled', () => {
      const hourly: Array<[string, number]> = [];
      for (let h = 0; h < 36; h++)
        hourly.push([DateTime.fromISO('2026-11-10T00:00', { zone: tz }).plus({ hours: h }).toISO()!, 1]);
      const inp = fromRequests(tz, '2026-11-11T12:00', 10_000, hourly);
      const f = forecastCycle(inp);
      expect(f.method).toBe('resample');
      expect(f.settled).toBe(true);
      const perDay = inp.spentSoFar / ((inp.nowMs - inp.dataStartMs!) / DAY);
      // Its own level ($24 a day) for the rest of the cycle, not the cycle's days before any data.
      const ownDays = inp.spentSoFar + 24 * ((inp.cycle.endMs - inp.nowMs) / DAY);
      expect(f.cycleEndSpend.p50).toBeGreaterThan(0.8 * ownDays);
      expect(f.cycleEndSpend.p50).toBeLessThan(1.2 * ownDays);
      expect(f.cycleEndSpend.p50).toBeLessThan(1.5 * perDay * cycleDays(inp));
    });
  });
}

describe('partialDayLevel', () => {
  it('spreads the spend over the whole days since the first request day or the cycle start, at least one', () => {
    const one = fromRequests('UTC', '2026-11-10T09:30', 100, [['2026-11-10T09:00', 3]]);
    expect(partialDayLevel(one, 112)).toBeCloseTo(3, 9);
    // Data began three days before, with nothing counted: $6 over 3.5 days.
    const quiet = fromRequests('UTC', '2026-11-10T12:00', 100, [
      ['2026-11-07T08:00', 0],
      ['2026-11-10T09:00', 6],
    ]);
    expect(partialDayLevel(quiet, 112)).toBeCloseTo(6 / 3.5, 9);
    // Data older than the cycle: the cycle start bounds the window (Nov 1 00:00 to Nov 3 00:00).
    const old = fromRequests('UTC', '2026-11-03T00:00', 100, [
      ['2026-10-01T08:00', 0],
      ['2026-11-02T10:00', 4],
    ]);
    expect(partialDayLevel(old, 112)).toBeCloseTo(2, 9);
    expect(partialDayLevel({ ...one, dataStartMs: null }, 112)).toBe(0);
  });
});

describe('a sudden change of level', () => {
  // Days of $0.60-1.10 (`small`, under $8.25 a week) and of $16.50-18.40 (`big`, a new job), spent
  // at 9, 13 and 17 o'clock (`daily`); now is Sunday Dec 6, 01:00, in a cycle from Dec 1 to Jan 1
  // (26 days left).
  const nowIso = '2026-12-06T01:00';
  const small = (t: DateTime): number => 0.6 + (0.5 * ((t.ordinal * 7) % 10)) / 10;
  const big = (t: DateTime): number => 16.5 + (1.9 * ((t.ordinal * 3) % 10)) / 10;
  const daily = (dayCost: (t: DateTime) => number) => (t: DateTime) =>
    t.hour === 9 || t.hour === 13 || t.hour === 17 ? dayCost(t) / 3 : 0;
  const from = (iso: string) => (t: DateTime) => t >= DateTime.fromISO(iso, { zone: 'UTC' });
  const left = 26;
  /** `inp` in a cycle that starts on `day` of the month: that cycle, and its spend so far. */
  const inCycleFrom = (inp: ForecastInput, day: number): ForecastInput => {
    const cycle = cycleAt(inp.nowMs, day, 'UTC');
    const spentSoFar = inp.buckets.filter((b) => b.startMs >= cycle.startMs).reduce((t, b) => t + b.cost, 0);
    return { ...inp, cycle, spentSoFar };
  };
  /** The P50 between `low` and `high` times `expected`. */
  const expectP50Within = (f: Forecast, expected: number, low: number, high: number): void => {
    expect(f.cycleEndSpend.p50).toBeGreaterThan(low * expected);
    expect(f.cycleEndSpend.p50).toBeLessThan(high * expected);
  };

  it('a new daily job: the forecast follows the new level, says so, and stays within reach of the days seen', () => {
    const jumped = from('2026-11-29');
    const inp = input(
      'UTC',
      nowIso,
      300,
      '2026-09-14T00:00',
      daily((t) => (jumped(t) ? big(t) : small(t))),
    );
    const js = forecastCycle(inp, { ...DEFAULT_FORECAST, engine: 'js' });
    const f = forecastCycle(inp);
    expect(f).toEqual(js);
    expect(f.steppedUp).toBe(true);
    expect(forecastBasis(f).text).toBe(
      'weekday/weekend pattern, 7 days since spend stepped up (a new level: wide band)',
    );
    // The new level held for the rest of the cycle: about $17.45 a day.
    const held = inp.spentSoFar + left * 17.45;
    expectP50Within(f, held, 0.85, 1.15);
    expect(f.cycleEndSpend.p10).toBeGreaterThan(inp.spentSoFar + left * 8);
    // No day beyond one and a half times the largest day seen ($18.40).
    expect(f.cycleEndSpend.p90).toBeLessThanOrEqual(inp.spentSoFar + left * 1.5 * 18.4);
    expect(f.exhaustionAt.p50).not.toBeNull();
  });

  it('a job that stopped: three days far below every day before start the history, and the band holds the stop', () => {
    // $5.20 a day since March; the $5 job stops after Jun 10; on Jun 14 at 12:00 the month ends at $56.
    const cost = (t: DateTime): number => (t.hour === 3 ? (t.toISODate()! <= '2026-06-10' ? 5.2 : 0.2) : 0);
    const inp = input('UTC', '2026-06-14T12:00', 200, '2026-03-01T00:00', cost);
    const f = forecastCycle(inp);
    expect(f.steppedDown).toBe(true);
    expect(f.steppedUp).toBe(false);
    expect(forecastBasis(f).text).toMatch(/^day-by-day spend, 3 days since spend dropped/);
    // Before the rule: P10 $103.80 and P50 $120.70 against the $56 the month ended at.
    const truth = inp.spentSoFar + 16 * 0.2;
    expect(f.cycleEndSpend.p10).toBeLessThan(truth * 1.02);
    expect(f.cycleEndSpend.p50).toBeLessThan(truth * 1.25);
    // Two low days are no drop yet (a day off), nor are weekends of a weekday job.
    const early = forecastCycle(input('UTC', '2026-06-13T12:00', 200, '2026-03-01T00:00', cost));
    expect(early.steppedDown).toBe(false);
    const workdays = forecastCycle(
      input('UTC', '2026-06-14T12:00', 200, '2026-03-01T00:00', (t) => (t.hour === 3 && t.weekday <= 5 ? 5 : 0)),
    );
    expect(workdays.steppedDown).toBe(false);
  });

  it('a new weekday job: weekends that stay low do not hide the step', () => {
    const jumped = from('2026-11-23');
    const inp = input(
      'UTC',
      nowIso,
      300,
      '2026-09-14T00:00',
      daily((t) => (jumped(t) && t.weekday <= 5 ? big(t) : small(t))),
    );
    const f = forecastCycle(inp);
    expect(f.steppedUp).toBe(true);
    expect(f.structure).toBe('weekpart');
    // 18 weekdays at the new level and 8 weekend days at the old one are left.
    const held = inp.spentSoFar + 18 * 17.45 + 8 * 0.85;
    expectP50Within(f, held, 0.85, 1.15);
  });

  it('a batch of three days that comes every month is a pattern, not a step up', () => {
    const monthly = daily((t) => (t.day <= 3 ? 10 : 0.5));
    const inp = input('UTC', '2026-10-04T01:00', 200, '2026-06-14T00:00', monthly);
    const f = forecastCycle(inp);
    expect(f.steppedUp).toBe(false);
    // The same forecast as without the step rule.
    expect(f).toEqual(forecastCycle(inp, { ...DEFAULT_FORECAST, stepFactor: Infinity }));
    // The batch's days are drawn only on its days of the month: none are left in October, so the
    // rest of it is $0.50 a day, $45.50 by its end (drawn from the batch too, the P50 was $124).
    expect(f.monthlyDays).toEqual([1, 2, 3]);
    expect(forecastBasis(f).text).toBe('day-by-day spend, 16 weeks of history, a batch on days 1–3 of each month');
    expectP50Within(f, 45.5, 0.9, 1.2);
    expect(f.exhaustionAt.p50).toBeNull();
    // With a cycle from the 15th, on Sep 28 the batch of October 1-3 is ahead: three days of
    // about $10, and 14 days of $0.50.
    const late = inCycleFrom(input('UTC', '2026-09-28T01:00', 200, '2026-06-14T00:00', monthly), 15);
    const spent = late.spentSoFar;
    const ahead = forecastCycle(late);
    const expected = spent + 3 * 10 + 14 * 0.5;
    expectP50Within(ahead, expected, 0.85, 1.15);
    expect(ahead.cycleEndSpend.p10).toBeGreaterThan(spent + 20);
  });

  it('a weekly batch is no monthly one, though its Mondays in February fall on the same days in March', () => {
    const weekly = daily((t) => (t.weekday === 1 ? 10 : 0.5));
    // From Jan 25: February and March 2027 hold the Mondays 1, 8 and 15, and nothing else holds those days.
    const inp = input('UTC', '2027-03-20T01:00', 500, '2027-01-25T00:00', weekly);
    const f = forecastCycle(inp);
    expect(f.monthlyDays).toEqual([]);
    // Two Mondays (22nd, 29th) and ten other days are left.
    const expected = inp.spentSoFar + 2 * 10 + 10 * 0.5;
    expectP50Within(f, expected, 0.85, 1.15);
  });

  it("each of a monthly batch's days is drawn from its own past days: the 2nd from the 2nds", () => {
    // $20 on the 1st and $5 on the 2nd of every month, $0.50 on the others; on Oct 2 at 00:30
    // the 2nd and 29 other days are left: $19.50 more (mixing the 1sts in would make it $27).
    const batch = daily((t) => (t.day === 1 ? 20 : t.day === 2 ? 5 : 0.5));
    const inp = input('UTC', '2026-10-02T00:30', 500, '2026-06-14T00:00', batch);
    const f = forecastCycle(inp);
    expect(f.monthlyDays).toEqual([1, 2]);
    const expected = inp.spentSoFar + 5 + 29 * 0.5;
    expectP50Within(f, expected, 0.9, 1.1);
    expect(f).toEqual(forecastCycle(inp, { ...DEFAULT_FORECAST, engine: 'js' }));
  });

  it('a monthly batch that skipped its last month: the skipped month counts against it', () => {
    // $10 on days 1-3 in July and August only; on Sep 28, with a cycle from the 15th.
    const batch = daily((t) => (t.day <= 3 && (t.month === 7 || t.month === 8) ? 10 : 0.5));
    const late = inCycleFrom(input('UTC', '2026-09-28T01:00', 200, '2026-06-14T00:00', batch), 15);
    const spent = late.spentSoFar;
    const f = forecastCycle(late);
    expect(f.monthlyDays).toEqual([1, 2, 3]);
    // The most recent month had no batch: the P50 stays near $0.50 a day (17 days).
    expect(f.cycleEndSpend.p50).toBeLessThan(spent + 17 * 0.5 + 10);
    expect(f).toEqual(forecastCycle(late, { ...DEFAULT_FORECAST, engine: 'js' }));
  });

  it('a weekly batch with one extra run is still no monthly batch', () => {
    const extra = (t: DateTime): boolean => t.toISODate() === '2027-02-10';
    const weekly = daily((t) => (t.weekday === 1 || extra(t) ? 10 : 0.5));
    const inp = input('UTC', '2027-03-30T01:00', 500, '2027-01-25T00:00', weekly);
    expect(forecastCycle(inp).monthlyDays).toEqual([]);
  });

  it('a batch on the last day of the month is a batch on the last day, whichever date that is', () => {
    const lastDay = daily((t) => (t.day === t.daysInMonth ? 30 : 1));
    for (const [from, now, everydayLeft] of [
      // February: the 28th is the last day. December: the 31st.
      ['2026-10-20T00:00', '2027-02-10T01:00', 18],
      ['2026-09-01T00:00', '2026-12-20T01:00', 11],
    ] as const) {
      const inp = input('UTC', now, 500, from, lastDay);
      const f = forecastCycle(inp);
      expect(f.monthlyDays).toEqual([32]);
      expect(forecastBasis(f).text).toContain('a batch on the last day of each month');
      expectP50Within(f, inp.spentSoFar + everydayLeft + 30, 0.85, 1.15);
    }
    // A batch on the 28th stays one in February, where the 28th is also the last day.
    const on28 = daily((t) => (t.day === 28 ? 30 : 1));
    const feb = input('UTC', '2027-02-10T01:00', 500, '2026-10-20T00:00', on28);
    const f28 = forecastCycle(feb);
    expect(f28.monthlyDays).toEqual([28]);
    expectP50Within(f28, feb.spentSoFar + 18 + 30, 0.85, 1.15);
    // A UTC scheduler's batch on the 1st, seen from Los Angeles: the last local day of each month.
    const utcFirst = input('America/Los_Angeles', '2026-11-30T12:00', 100, '2026-06-30T17:00', (t) => {
      const utc = t.toUTC();
      return utc.hour === 18 ? 0.2 : utc.day === 1 && utc.hour === 6 ? 30 : 0;
    });
    const f = forecastCycle(utcFirst);
    expect(f.monthlyDays).toEqual([32]);
    // Nov 30 22:00 in Los Angeles is Dec 1 06:00 UTC: the batch is still to come in this cycle.
    expect(f.cycleEndSpend.p50).toBeGreaterThan(30);
  });

  it('a new job that missed one workday is still a step up', () => {
    const jumped = from('2026-09-01');
    const missed = (t: DateTime): boolean => t.month === 9 && t.day === 22;
    const job = daily((t) => (jumped(t) && !missed(t) ? big(t) : small(t)));
    const inp = input('UTC', '2026-10-02T01:00', 300, '2026-06-14T00:00', job);
    const f = forecastCycle(inp);
    expect(f.steppedUp).toBe(true);
    expect(f.trendPerDay).toBe(0);
    const held = inp.spentSoFar + 30 * 17.45;
    expectP50Within(f, held, 0.85, 1.15);
  });

  it('a new job every other day widens the band, yet no path spends past the largest day seen every day', () => {
    const jumped = from('2026-11-23');
    const inp = input(
      'UTC',
      nowIso,
      300,
      '2026-09-14T00:00',
      daily((t) => (jumped(t) && t.ordinal % 2 ? big(t) : small(t))),
    );
    const f = forecastCycle(inp);
    expect(f.steppedUp).toBe(false);
    const bound = inp.spentSoFar + left * 18.4;
    expect(f.cycleEndSpend.p90).toBeLessThanOrEqual(bound);
    expect(f.cycleEndSpend.p90).toBeGreaterThan(1.5 * f.cycleEndSpend.p50);
    // Without the ceiling the week-to-week swing the job made would carry the P90 past it.
    const unbounded = forecastCycle(inp, { ...DEFAULT_FORECAST, dayCeiling: Infinity });
    expect(unbounded.cycleEndSpend.p90).toBeGreaterThan(bound);
  });
});
