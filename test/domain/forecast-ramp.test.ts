/**
 * A steadily growing history (the generator's `ramp`: 2% a day, with its noise) checked every day
 * of a month: the growth it follows must not switch on and off from one day to the next, and the
 * P50 with it. Which days make a "week" changes every day, and a fit near a gate used to pass it
 * one day and miss it the next: P50 $186, $177, $116, $174, $127 on five days of ordinary spend,
 * and a `--fail-at` guard that flapped with it.
 */
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { forecastCycle } from '../../src/domain/forecast.js';
import { lineShare } from '../../src/domain/forecast-level.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { forecastShape, shapeBuckets } from '../../src/demo/forecast-shapes.js';

const tz = 'UTC';
const DAY = 86_400_000;

function october(seed: number) {
  const h = forecastShape('ramp', { seed, tz, from: '2026-06-01', to: '2026-11-01' });
  const all = shapeBuckets(h.programmatic);
  const start = DateTime.fromISO('2026-10-01', { zone: tz }).toMillis();
  const cycle = cycleAt(start, 1, tz);
  const truth = all
    .filter((b) => b.startMs >= cycle.startMs && b.startMs < cycle.endMs)
    .reduce((s, b) => s + b.cost, 0);
  const days = [];
  for (let d = 1; d < 28; d++) {
    const nowMs = start + d * DAY;
    const buckets = all.filter((b) => b.startMs < nowMs);
    const f = forecastCycle({
      cycle,
      nowMs,
      tz,
      spentSoFar: buckets.filter((b) => b.startMs >= cycle.startMs).reduce((s, b) => s + b.cost, 0),
      buckets,
      dataStartMs: all[0]!.startMs,
      credit: 200,
      exhaustedAtMs: null,
    });
    days.push({ p50: f.cycleEndSpend.p50, trend: f.trendPerDay });
  }
  return { truth, days };
}

describe('forecast on a steadily growing history', () => {
  for (const seed of [7, 11, 23]) {
    it(`follows the growth every day of the month, and the P50 moves smoothly (seed ${seed})`, () => {
      const { truth, days } = october(seed);
      expect(days.filter((d) => d.trend <= 0)).toEqual([]);
      const moves = days.slice(1).map((d, i) => Math.abs(d.p50 - days[i]!.p50) / truth);
      expect(Math.max(...moves)).toBeLessThan(0.12);
    });
  }

  it('follows a line in part near its gates, not all or nothing', () => {
    expect(lineShare(0.95, 0.5)).toBe(1);
    expect(lineShare(0.5, 0.5)).toBe(0);
    expect(lineShare(0.95, 2)).toBe(0);
    expect(lineShare(0.7, 0.5)).toBeCloseTo(0.5, 9);
    const across = [0.9, 1, 1.1, 1.2, 1.3, 1.4].map((r) => lineShare(0.95, r));
    for (let i = 1; i < across.length; i++) expect(across[i - 1]! - across[i]!).toBeLessThan(0.2);
  });
});
