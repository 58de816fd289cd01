import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { runBacktest, type BacktestResult } from '../../src/domain/backtest.js';
import { FORECAST_SHAPES, forecastShape, shapeBuckets, type ForecastShape } from '../../src/demo/forecast-shapes.js';

const CHECKPOINTS = [3, 8, 15, 22, 27];
const SEEDS = (process.env.SHAPE_SEEDS ?? '11,23').split(',').map(Number);

function backtestShape(shape: ForecastShape, seed: number, tz: string, checkpointDays = CHECKPOINTS): BacktestResult {
  const h = forecastShape(shape, { seed, tz, from: '2026-06-01', to: '2026-11-01' });
  const first = Math.min(h.programmatic[0]?.ms ?? Infinity, h.interactive[0]?.ms ?? Infinity);
  return runBacktest({
    buckets: shapeBuckets(h.programmatic),
    dataStartMs: Number.isFinite(first) ? first : null,
    nowMs: DateTime.fromISO('2026-11-01', { zone: tz }).toMillis(),
    cycleStartDay: 1,
    tz,
    credit: 100,
    checkpointDays,
    lastCycles: 3,
  });
}

describe('forecast on the shapes automation has', () => {
  const all = { p50: [] as number[], naive: [] as number[], hit: [] as number[] };
  const rows: string[] = [];
  for (const shape of FORECAST_SHAPES) {
    it(`${shape}: the band holds the outcome at least half the time and never collapses`, () => {
      const hits: number[] = [];
      const narrow: string[] = [];
      for (const seed of SEEDS) {
        for (const tz of ['UTC', 'America/New_York']) {
          const r = backtestShape(shape, seed, tz);
          for (const f of r.forecasts) {
            all.p50.push(Math.abs(f.p50 - f.truth) / f.truth);
            all.naive.push(Math.abs(f.naive - f.truth) / f.truth);
            const hit = f.p10 <= f.truth && f.truth <= f.p90 ? 1 : 0;
            all.hit.push(hit);
            hits.push(hit);
            if (f.daysLeft >= 4 && f.p90 - f.p10 < 0.01 * f.p50)
              narrow.push(`seed ${seed} ${tz} day ${f.day}: P10 ${f.p10} P50 ${f.p50} P90 ${f.p90}`);
          }
          rows.push(
            `${shape.padEnd(18)} ${String(seed).padStart(4)} ${tz.padEnd(17)} cov ${(r.coverage! * 100).toFixed(0).padStart(3)}%  p50 ${(r.p50Error! * 100).toFixed(1).padStart(6)}%  naive ${(r.naiveError! * 100).toFixed(1).padStart(6)}%  ` +
              r.forecasts
                .filter((f) => f.p10 > f.truth || f.truth > f.p90)
                .map((f) => `d${f.day}:${f.truth.toFixed(0)}∉[${f.p10.toFixed(0)},${f.p90.toFixed(0)}]`)
                .join(' '),
          );
        }
      }
      expect(narrow).toEqual([]);
      expect(hits.reduce((s, x) => s + x, 0) / hits.length).toBeGreaterThanOrEqual(0.5);
    });
  }
  it('overall: calibrated band, P50 no worse than the straight line', () => {
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    if (process.env.SHAPE_REPORT)
      console.log(`${rows.join('\n')}\noverall cov ${mean(all.hit)} p50 ${mean(all.p50)} naive ${mean(all.naive)}`);
    expect(mean(all.hit)).toBeGreaterThanOrEqual(0.7);
    expect(mean(all.hit)).toBeLessThanOrEqual(0.95);
    expect(mean(all.p50)).toBeLessThanOrEqual(mean(all.naive));
  });
});

/** Mean change of the P50 from one day's forecast to the next, as a share of the outcome. */
function dailySwing(r: BacktestResult): number {
  const steps: number[] = [];
  for (let i = 1; i < r.forecasts.length; i++) {
    const [a, b] = [r.forecasts[i - 1]!, r.forecasts[i]!];
    if (a.cycleStartMs === b.cycleStartMs) steps.push(Math.abs(b.p50 - a.p50) / b.truth);
  }
  return steps.reduce((s, x) => s + x, 0) / steps.length;
}

describe.runIf(process.env.SHAPE_SWING)('day-to-day swing of the P50', () => {
  it('report', () => {
    const days = Array.from({ length: 30 }, (_, i) => i + 2);
    for (const shape of FORECAST_SHAPES) {
      const swings: number[] = [];
      for (const seed of SEEDS) swings.push(dailySwing(backtestShape(shape, seed, 'UTC', days)));
      console.log(
        `swing ${shape.padEnd(18)} ${((swings.reduce((s, x) => s + x, 0) / swings.length) * 100).toFixed(2)}%`,
      );
    }
  });
});
