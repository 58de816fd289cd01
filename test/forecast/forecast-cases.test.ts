import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { forecastBasis, forecastCycle, type ForecastInput } from '../../src/domain/forecast.js';
import { cycleAt } from '../../src/domain/cycle.js';
import type { SpendBucket } from '../../src/domain/forecast-history.js';
import { forecastShape, shapeBuckets, writeShapeTree, type ForecastShape } from '../../src/demo/forecast-shapes.js';
import { isolateHome, runCli } from '../helpers/run-cli.js';

const DAY = 86_400_000;

function inputAt(tz: string, nowIso: string, buckets: SpendBucket[], dataStartMs: number | null): ForecastInput {
  const nowMs = DateTime.fromISO(nowIso, { zone: tz }).toMillis();
  const cycle = cycleAt(nowMs, 1, tz);
  const known = buckets.filter((b) => b.startMs < nowMs);
  return {
    cycle,
    nowMs,
    tz,
    spentSoFar: known.filter((b) => b.startMs >= cycle.startMs).reduce((s, b) => s + b.cost, 0),
    buckets: known,
    dataStartMs,
    credit: 100,
    exhaustedAtMs: null,
  };
}

/** Spend of each UTC day from `from` until `to` (exclusive): `spend(day)` gives [hour, cost] pairs. */
function dailyBuckets(from: string, to: string, spend: (d: DateTime) => Array<[number, number]>): SpendBucket[] {
  const buckets: SpendBucket[] = [];
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  for (let d = DateTime.fromISO(from, { zone: 'UTC' }); d < end; d = d.plus({ days: 1 }))
    for (const [hour, cost] of spend(d)) buckets.push({ startMs: d.plus({ hours: hour }).toMillis(), cost });
  return buckets;
}

function shapeInput(shape: ForecastShape, seed: number, nowIso: string): ForecastInput {
  const h = forecastShape(shape, { seed, tz: 'UTC', from: '2026-06-01', to: '2026-11-01' });
  const first = Math.min(h.programmatic[0]?.ms ?? Infinity, h.interactive[0]?.ms ?? Infinity);
  return inputAt('UTC', nowIso, shapeBuckets(h.programmatic), first);
}

describe('forecast follows the structure of automation spend', () => {
  it('a weekly batch: a Tuesday with Mondays left forecasts those Mondays, and says it saw a weekly pattern', () => {
    const inp = shapeInput('weekly-batch', 3, '2026-10-06T00:00');
    const f = forecastCycle(inp);
    expect(f.structure).toBe('weekday');
    // Oct 2026: Mondays on the 12th, 19th and 26th are still to come.
    const perMonday = inp.spentSoFar; // the 5th was the only Monday so far
    expect(f.cycleEndSpend.p50).toBeGreaterThan(inp.spentSoFar + 2.4 * perMonday);
    expect(f.cycleEndSpend.p10).toBeGreaterThan(inp.spentSoFar + 1.5 * perMonday);
    expect(forecastBasis(f).text).toMatch(/^weekly pattern, \d+ weeks of history$/);
  });

  it('a new job on top of a small daily spend: its first days widen the band toward it, then it steps up', () => {
    // $1 a day since August, and from Nov 17 a job of $5 more a day: the cycle ends at $100.
    const jobFrom = DateTime.fromISO('2026-11-17', { zone: 'UTC' });
    const buckets = dailyBuckets('2026-08-01', '2026-12-01', (d) => [
      [12, 1],
      ...(d >= jobFrom ? [[15, 5] as [number, number]] : []),
    ]);
    const at = (iso: string) => forecastCycle(inputAt('UTC', iso, buckets, buckets[0]!.startMs));
    const before = at('2026-11-17T23:00');
    const one = at('2026-11-18T23:00');
    const two = at('2026-11-19T23:00');
    const three = at('2026-11-20T23:00');
    // Before any complete day of the job: a narrow band at the old level.
    expect(before.jumpDays).toBe(0);
    expect(before.cycleEndSpend.p90).toBeLessThan(40);
    // One day, then two: the upper band reaches the new level, the P50 moves toward it day by day.
    expect([one.jumpDays, two.jumpDays, three.jumpDays]).toEqual([1, 2, 0]);
    expect(one.cycleEndSpend.p90).toBeGreaterThan(85);
    expect(two.cycleEndSpend.p90).toBeGreaterThan(100);
    expect(one.cycleEndSpend.p50).toBeLessThan(two.cycleEndSpend.p50);
    expect(two.cycleEndSpend.p50).toBeLessThan(three.cycleEndSpend.p50);
    expect(forecastBasis(two).text).toContain('spend jumped 2 days ago (a one-off or a new job)');
    // The third day makes it a step: the P50 holds the new level.
    expect(three.steppedUp).toBe(true);
    expect(three.cycleEndSpend.p50).toBeGreaterThan(85);
    expect(three.cycleEndSpend.p50).toBeLessThan(115);
  });

  it('a heavy day in a history that has had heavy days before is no jump', () => {
    const buckets = dailyBuckets('2026-08-01', '2026-11-20', (d) => [
      [12, d.day === 9 || d.toISODate() === '2026-11-18' ? 20 : 0.5],
    ]);
    const f = forecastCycle(inputAt('UTC', '2026-11-19T12:00', buckets, buckets[0]!.startMs));
    expect(f.jumpDays).toBe(0);
  });

  it('after the last Monday of the cycle the band still leaves room for a re-run', () => {
    const f = forecastCycle(shapeInput('weekly-batch', 3, '2026-10-27T00:00'));
    expect(f.cycleEndSpend.p90 - f.cycleEndSpend.p10).toBeGreaterThan(0.01 * f.cycleEndSpend.p50);
  });

  it('weekday nightly jobs: weekday/weekend pattern, crossing the credit at night', () => {
    const inp = shapeInput('weekday-nightly', 5, '2026-10-09T12:00');
    const f = forecastCycle({ ...inp, credit: inp.spentSoFar * 2 });
    expect(f.structure).toBe('weekpart');
    const hour = DateTime.fromMillis(f.exhaustionAt.p50!, { zone: 'UTC' }).hour;
    expect(hour).toBeGreaterThanOrEqual(2);
    expect(hour).toBeLessThan(5);
  });

  it('a job that doubled once is a change of level, not growth to carry forward', () => {
    // $2 a day, then $4 a day from Nov 13: four weeks at each level in the weeks the trend reads.
    const doubled = DateTime.fromISO('2026-11-13', { zone: 'UTC' });
    const buckets = dailyBuckets('2026-08-01', '2026-12-06', (d) => [[12, d >= doubled ? 4 : 2]]);
    const f = forecastCycle(inputAt('UTC', '2026-12-06T12:00', buckets, buckets[0]!.startMs));
    expect(f.trendPerDay).toBe(0);
    expect(forecastBasis(f).text).not.toContain('growing');
    // Held at $4 a day the cycle ends at $124: never above that, at most a little under.
    expect(f.cycleEndSpend.p50).toBeLessThanOrEqual(124);
    expect(f.cycleEndSpend.p50).toBeGreaterThan(100);
  });

  it('a ramp of 2% a day is followed, not averaged away', () => {
    const inp = shapeInput('ramp', 9, '2026-10-15T00:00');
    const f = forecastCycle(inp);
    expect(f.trendPerDay).toBeGreaterThan(0.01);
    expect(f.trendPerDay).toBeLessThan(0.03);
    expect(forecastBasis(f).text).toContain('growing');
    const h = forecastShape('ramp', { seed: 9, tz: 'UTC', from: '2026-06-01', to: '2026-11-01' });
    const truth = h.programmatic
      .filter((r) => r.ms >= inp.cycle.startMs && r.ms < inp.cycle.endMs)
      .reduce((s, r) => s + r.cost, 0);
    const naive = (inp.spentSoFar * 31) / 14;
    expect(Math.abs(f.cycleEndSpend.p50 - truth)).toBeLessThan(Math.abs(naive - truth));
  });
});

describe('a long quiet stretch still going on', () => {
  it('spend that stopped a month ago is no longer the habit: little more is forecast, and it says why', () => {
    const buckets = dailyBuckets('2026-08-01', '2026-10-25', () => [[10, 10]]);
    const f = forecastCycle(inputAt('UTC', '2026-11-20T00:00', buckets, buckets[0]!.startMs));
    expect(f.quietDays).toBeGreaterThanOrEqual(25);
    expect(f.cycleEndSpend.p50).toBeLessThan(10);
    expect(f.cycleEndSpend.p90).toBeGreaterThan(f.cycleEndSpend.p50);
    expect(forecastBasis(f).text).toMatch(/nothing spent for \d+ days \(quiet lately: wide band\)$/);
    // A band of cents is not called wide.
    const narrow = { ...f, cycleEndSpend: { p10: 10, p50: 10, p90: 10.03 } };
    expect(forecastBasis(narrow).text).toMatch(/nothing spent for \d+ days \(quiet lately\)$/);
  });

  it('spend that comes back today after months of quiet is projected from today, never as a point', () => {
    const tz = 'UTC';
    const at = (iso: string): number => DateTime.fromISO(iso, { zone: tz }).toMillis();
    // One small run in August, nothing since, then $16 of claude -p in the last half hour.
    const buckets: SpendBucket[] = [{ startMs: at('2026-08-20T10:00'), cost: 0.03 }];
    for (let m = 0; m < 30; m += 15) buckets.push({ startMs: at('2026-12-06T04:00') + m * 60_000, cost: 8 });
    const inp = { ...inputAt(tz, '2026-12-06T04:40', buckets, at('2026-08-20T10:00')), credit: 20 };
    expect(inp.spentSoFar).toBe(16);
    const f = forecastCycle(inp);
    expect(f.method).toBe('rate');
    expect(f.cycleEndSpend.p10).toBeGreaterThan(2 * inp.spentSoFar);
    expect(f.cycleEndSpend.p90).toBeGreaterThan(2 * f.cycleEndSpend.p10);
    // $3.95 left at about $16 a day: it runs out within days, not "lasts the cycle".
    expect(f.exhaustionAt.p50).not.toBeNull();
    expect(f.exhaustionAt.p50!).toBeLessThan(at('2026-12-10T00:00'));
    expect(forecastBasis(f).text).toContain('little history: wide band');
    // Before anything was spent today, the quiet still says little more comes.
    const before = forecastCycle({ ...inputAt(tz, '2026-12-06T03:00', buckets, at('2026-08-20T10:00')), credit: 20 });
    expect(before.method).toBe('resample');
    expect(before.quietDays).toBeGreaterThan(100);
  });
});

describe('bursts that come back every few weeks', () => {
  it('are one pattern, not a new start at each burst: the P50 stays near what a cycle of them spends', () => {
    // Three $25 days every 20 days since June, nothing between: about $75-100 a cycle.
    const start = DateTime.fromISO('2026-06-03', { zone: 'UTC' });
    const buckets = dailyBuckets('2026-06-03', '2026-11-13', (d) => {
      const k = Math.round(d.diff(start, 'days').days) % 20;
      return k < 3 ? Array.from({ length: 8 }, (_, h): [number, number] => [9 + h, 25 / 8]) : [];
    });
    const f = forecastCycle(inputAt('UTC', '2026-11-13T00:00', buckets, buckets[0]!.startMs));
    expect(f.cycleEndSpend.p50).toBeLessThan(200);
    expect(f.cycleEndSpend.p10).toBeLessThanOrEqual(100);
    expect(f.cycleEndSpend.p90).toBeGreaterThanOrEqual(100);
    expect(forecastBasis(f).text).not.toMatch(/\b[1-9] days of history/);
  });
});

describe('heavy days about as common as one-offs may be', () => {
  it('move the P50 by steps as they come and go from the window, not from one weight to another', () => {
    // Spikes on about one day in ten: a spike leaving the 16 weeks on 4 November moved the P50 from
    // $55 to $30 overnight, with nothing spent, when the spikes left fell to one-off weight.
    const h = forecastShape('spikes', { seed: 11, tz: 'UTC', from: '2026-06-01', to: '2026-12-01' });
    const buckets = shapeBuckets(h.programmatic);
    const first = h.programmatic[0]!.ms;
    let worst = 0;
    let prev: { p50: number; spent: number } | null = null;
    for (let k = 0; k < 58; k++) {
      const input = inputAt('UTC', DateTime.fromMillis(Date.UTC(2026, 10, 1) + (k * DAY) / 2).toISO()!, buckets, first);
      const p50 = forecastCycle(input).cycleEndSpend.p50;
      if (prev !== null && prev.spent === input.spentSoFar)
        worst = Math.max(worst, Math.abs(p50 - prev.p50) / Math.max(p50, prev.p50));
      prev = { p50, spent: input.spentSoFar };
    }
    expect(worst).toBeLessThan(0.25);
  });
});

describe('a daily run at another hour each day', () => {
  it('still comes today, under way or not yet run: in the P50 and in the run-out time', () => {
    // $10 a day in ten $1 requests 15 minutes apart, starting between 06:00 and 20:00; on 20 November at 14:00.
    const at = (iso: string): number => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();
    const buckets: SpendBucket[] = [];
    const end = DateTime.fromISO('2026-11-21', { zone: 'UTC' });
    for (let d = DateTime.fromISO('2026-09-01', { zone: 'UTC' }), k = 0; d < end; d = d.plus({ days: 1 }), k++) {
      const hour = d.toISODate() === '2026-11-20' ? 14 : 6 + ((k * 7) % 15);
      for (let i = 0; i < 10; i++)
        buckets.push({ startMs: d.plus({ hours: hour, minutes: 15 * i }).toMillis(), cost: 1 });
    }
    for (const [now, spent] of [
      ['2026-11-20T14:31', 193],
      ['2026-11-20T13:59', 190],
    ] as const) {
      const inp = { ...inputAt('UTC', now, buckets, buckets[0]!.startMs), credit: 200 };
      expect(inp.spentSoFar).toBe(spent);
      const f = forecastCycle(inp);
      // The rest of today's run, then ten more days of $10.
      expect(f.cycleEndSpend.p50).toBeCloseTo(300, 6);
      // The credit runs out with today's run, about 16:15, not tomorrow.
      expect(f.exhaustionAt.p50).not.toBeNull();
      expect(f.exhaustionAt.p50!).toBeGreaterThan(at('2026-11-20T15:45'));
      expect(f.exhaustionAt.p50!).toBeLessThan(at('2026-11-20T17:00'));
    }
  });
});

describe('only programmatic spend sets the amounts', () => {
  const runs: Array<[string, number]> = [
    ['2026-11-03T10:00', 0.01],
    ['2026-11-05T15:00', 0.01],
    ['2026-11-09T09:00', 0.01],
  ];
  const buckets = runs.map(([iso, cost]) => ({ startMs: DateTime.fromISO(iso, { zone: 'UTC' }).toMillis(), cost }));
  it('six-month-old interactive-only days do not move the programmatic forecast', () => {
    const recent = forecastCycle(inputAt('UTC', '2026-11-12T12:00', buckets, buckets[0]!.startMs));
    const old = DateTime.fromISO('2026-05-01T09:00', { zone: 'UTC' }).toMillis();
    const withOld = forecastCycle(inputAt('UTC', '2026-11-12T12:00', buckets, old));
    expect(withOld.cycleEndSpend.p90).toBeLessThan(1.5 * recent.cycleEndSpend.p90);
    expect(withOld.cycleEndSpend.p90).toBeGreaterThan(recent.cycleEndSpend.p90 / 1.5);
    expect(withOld.cycleEndSpend.p90).toBeLessThan(1);
  });

  it('a first burst of claude -p after weeks of interactive use: a wide band, never a point', () => {
    const tz = 'UTC';
    const burst: SpendBucket[] = [];
    for (let m = 0; m < 60; m += 15)
      burst.push({
        startMs: DateTime.fromISO('2026-11-20T14:00', { zone: tz }).toMillis() + m * 60_000,
        cost: 0.17 / 4,
      });
    const inp = inputAt(tz, '2026-11-20T15:00', burst, DateTime.fromISO('2026-10-01T09:00', { zone: tz }).toMillis());
    const f = forecastCycle(inp);
    expect(f.littleHistory).toBe(true);
    expect(forecastBasis(f).text).toContain('little history: wide band');
    expect(f.cycleEndSpend.p10).toBeGreaterThanOrEqual(0.17 - 1e-9);
    expect(f.cycleEndSpend.p90).toBeGreaterThan(2 * f.cycleEndSpend.p10);
    // Today's spend as a daily level, for the 10 days left: about $0.17 a day.
    expect(f.cycleEndSpend.p50).toBeGreaterThan(0.17 * 5);
    expect(f.cycleEndSpend.p50).toBeLessThan(0.17 * 20);
    expect((f.cycleEndSpend.p90 - f.cycleEndSpend.p10) / DAY).toBeGreaterThan(0);
  });
});

describe('creditmeter backtest on a written shape history', () => {
  const home = isolateHome();
  const dir = mkdtempSync(join(tmpdir(), 'cm-shape-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reports coverage and P50 error per checkpoint day next to the naive line', async () => {
    const history = forecastShape('weekly-batch', { seed: 17, tz: 'UTC', from: '2026-06-01', to: '2026-11-01' });
    writeShapeTree(history, join(dir, 'root'));
    const args = ['--claude-dir', join(dir, 'root'), '--db', join(dir, 'usage.db'), '--now', '2026-11-01T00:00:00Z'];
    const r = await runCli(['backtest', '--json', '--cycles', '3', ...args]);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout) as {
      points: number;
      coverage: number;
      p50AbsPctError: number;
      naiveAbsPctError: number;
      checkpoints: Array<{ day: number; points: number }>;
    };
    expect(b.checkpoints.map((c) => [c.day, c.points])).toEqual([
      [3, 3],
      [8, 3],
      [15, 3],
      [22, 3],
      [27, 3],
    ]);
    expect(b.points).toBe(15);
    expect(b.coverage).toBeGreaterThanOrEqual(0.6);
    expect(b.p50AbsPctError).toBeLessThan(b.naiveAbsPctError);
    const text = await runCli(['backtest', '--cycles', '3', ...args]);
    expect(text.stdout).toMatch(/day of cycle\s+points\s+P50 error/);
    // In New York, with cycles from the 15th, the cycle from May 15 began before the data, and
    // says so in the zone its cycles are written in.
    const ny = await runCli(['backtest', '--json', '--tz', 'America/New_York', '--cycle-start-day', '15', ...args]);
    const began = (JSON.parse(ny.stdout) as { beganBeforeData: string | null; cycles: Array<{ start: string }> })
      .beganBeforeData;
    expect(began).toBe('2026-05-15T00:00:00.000-04:00');
    const status = await runCli(['status', ...args.slice(0, 4), '--now', '2026-10-20T00:00:00Z']);
    expect(status.stdout).toMatch(/based on weekly pattern, \d+ weeks of history/);
    const bad = await runCli(['backtest', '--days', '0,40', ...args]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--days');
    // Whole numbers as they are written only (Number reads 0x3 as 3 and 1e1 as 10).
    for (const days of ['0x3,8', '1e1', '8.0']) {
      const odd = await runCli(['backtest', '--days', days, ...args]);
      expect([odd.code, odd.stderr], days).toEqual([
        2,
        `creditmeter: --days takes days of the cycle from 2 to 31 separated by commas, or "all"; not "${days}".\n`,
      ]);
    }
    for (const cycles of ['0x2', '2.0']) {
      const odd = await runCli(['backtest', '--cycles', cycles, ...args]);
      expect([odd.code, odd.stderr], cycles).toEqual([
        2,
        `creditmeter: --cycles takes a whole number of at least 1, not "${cycles}".\n`,
      ]);
    }
    void home;
  }, 60_000);

  it('after a new daily job joined small spend, status follows the new level and says since when', async () => {
    const history = forecastShape('step-up', { seed: 5, tz: 'UTC', from: '2026-06-01', to: '2026-10-20' });
    writeShapeTree(history, join(dir, 'step'));
    const args = ['--claude-dir', join(dir, 'step'), '--db', join(dir, 'step.db'), '--now', '2026-10-20T00:00:00Z'];
    const r = await runCli(['status', '--json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as {
      programmatic: { cost: number };
      forecast: { cycleEndSpend: { p50: number }; basis: { steppedUp: boolean; historyDays: number; text: string } };
    };
    expect(s.forecast.basis.steppedUp).toBe(true);
    expect(s.forecast.basis.text).toContain(`${s.forecast.basis.historyDays} days since spend stepped up`);
    // October's 19 days so far at the new level, then 12 more: the P50 holds that level.
    const perDay = s.programmatic.cost / 19;
    expect(s.forecast.cycleEndSpend.p50).toBeGreaterThan(0.85 * perDay * 31);
    expect(s.forecast.cycleEndSpend.p50).toBeLessThan(1.15 * perDay * 31);
    const text = await runCli(['status', ...args]);
    expect(text.stdout).toMatch(/based on .*\d+ days since spend stepped up/);
  }, 60_000);

  it('keeps every request of two shapes, or of two seeds, read into one store (no id is shared)', async () => {
    const trees = [
      ['weekly-batch', 7],
      ['bursts', 7],
      ['bursts', 8],
    ] as const;
    let requests = 0;
    const args: string[] = [];
    for (const [shape, seed] of trees) {
      const root = join(dir, `both-${shape}-${seed}`);
      requests += writeShapeTree(
        forecastShape(shape, { seed, tz: 'UTC', from: '2026-08-01', to: '2026-11-01' }),
        root,
      ).requests;
      args.push('--claude-dir', root);
    }
    const r = await runCli([
      'report',
      '--by',
      'class',
      '--class',
      'all',
      '--json',
      ...args,
      '--db',
      join(dir, 'both.db'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { totals: { requests: number } }).totals.requests).toBe(requests);
  }, 60_000);
});

describe('forecast with nothing spent in its history', () => {
  it('ends every path where it starts: spend so far at every percentile, exhaustion only if it already ran out', () => {
    const dataStart = DateTime.fromISO('2026-08-01T00:00', { zone: 'UTC' }).toMillis();
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      const quiet = inputAt(tz, '2026-11-12T15:30', [], dataStart);
      for (const [spent, exhausted] of [
        [0, null],
        [42.5, null],
        [130, quiet.nowMs - 3_600_000],
      ] as const) {
        const f = forecastCycle({ ...quiet, spentSoFar: spent, exhaustedAtMs: exhausted });
        expect(f.method).toBe('resample');
        expect(f.cycleEndSpend).toEqual({ p10: spent, p50: spent, p90: spent });
        const at = exhausted === null ? null : Math.round(exhausted);
        expect(f.exhaustionAt).toEqual({ p10: at, p50: at, p90: at });
      }
    }
  });
});
