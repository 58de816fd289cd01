/**
 * Replays stored history: at the start of each day of each complete past cycle, forecast the
 * cycle's end from the spend known then, and score it against what really happened, next to the
 * naive straight line (spend so far x cycle length / elapsed).
 */
import { cyclesBetween, type Cycle } from './cycle.js';
import { DEFAULT_FORECAST, forecastCycle, type ForecastOptions } from './forecast.js';
import type { SpendBucket } from './forecast-history.js';
import { dayRanges } from './time.js';

export interface BacktestInput {
  /** Counted spend of the whole history, sorted by start. */
  buckets: readonly SpendBucket[];
  dataStartMs: number | null;
  nowMs: number;
  cycleStartDay: number;
  tz: string;
  credit: number;
}

export interface BacktestCycle {
  startMs: number;
  endMs: number;
  truth: number;
  points: number;
  /** Mean absolute error of the forecast P50, as a fraction of the truth. */
  p50Error: number;
  naiveError: number;
  /** Share of points whose P10-P90 band held the truth. */
  coverage: number;
}

export interface BacktestResult {
  cycles: BacktestCycle[];
  points: number;
  p50Error: number | null;
  naiveError: number | null;
  coverage: number | null;
  /** Complete cycles left out because nothing was spent in them (a % error needs a non-zero truth). */
  skippedZeroCycles: number;
}

function lowerBound(buckets: readonly SpendBucket[], ms: number): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (buckets[mid]!.startMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sumRange(buckets: readonly SpendBucket[], from: number, to: number): number {
  let s = 0;
  for (let i = lowerBound(buckets, from); i < buckets.length && buckets[i]!.startMs < to; i++) s += buckets[i]!.cost;
  return s;
}

/** The complete cycles that start on or after the first day of data and end by `nowMs`. */
export function completeCycles(dataStartMs: number, nowMs: number, cycleStartDay: number, tz: string): Cycle[] {
  return cyclesBetween(dataStartMs, nowMs, cycleStartDay, tz).filter(
    (c) => c.startMs >= dataStartMs - 86_400_000 && c.endMs <= nowMs,
  );
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Scores the forecast and the naive projection over every complete past cycle. */
export function runBacktest(input: BacktestInput, options: ForecastOptions = DEFAULT_FORECAST): BacktestResult {
  const result: BacktestResult = {
    cycles: [],
    points: 0,
    p50Error: null,
    naiveError: null,
    coverage: null,
    skippedZeroCycles: 0,
  };
  if (input.dataStartMs === null) return result;
  const all = { p50: [] as number[], naive: [] as number[], hit: [] as number[] };
  const lookbackMs = (options.lookbackDays + 2) * 86_400_000;
  for (const cycle of completeCycles(input.dataStartMs, input.nowMs, input.cycleStartDay, input.tz)) {
    const truth = sumRange(input.buckets, cycle.startMs, cycle.endMs);
    if (truth <= 0) {
      result.skippedZeroCycles++;
      continue;
    }
    const per = { p50: [] as number[], naive: [] as number[], hit: [] as number[] };
    // Forecast at each local midnight after the first: what was known at the start of that day.
    for (const day of dayRanges(cycle.startMs, cycle.endMs, input.tz).slice(1)) {
      const nowMs = day.startMs;
      const known = input.buckets.slice(
        lowerBound(input.buckets, nowMs - lookbackMs),
        lowerBound(input.buckets, nowMs),
      );
      const spent = sumRange(input.buckets, cycle.startMs, nowMs);
      const f = forecastCycle(
        {
          cycle,
          nowMs,
          tz: input.tz,
          spentSoFar: spent,
          buckets: known,
          dataStartMs: input.dataStartMs,
          credit: input.credit,
          exhaustedAtMs: null,
        },
        options,
      );
      const naive = (spent * (cycle.endMs - cycle.startMs)) / (nowMs - cycle.startMs);
      per.p50.push(Math.abs(f.cycleEndSpend.p50 - truth) / truth);
      per.naive.push(Math.abs(naive - truth) / truth);
      per.hit.push(f.cycleEndSpend.p10 <= truth && truth <= f.cycleEndSpend.p90 ? 1 : 0);
    }
    if (per.p50.length === 0) continue;
    result.cycles.push({
      startMs: cycle.startMs,
      endMs: cycle.endMs,
      truth,
      points: per.p50.length,
      p50Error: mean(per.p50),
      naiveError: mean(per.naive),
      coverage: mean(per.hit),
    });
    all.p50.push(...per.p50);
    all.naive.push(...per.naive);
    all.hit.push(...per.hit);
  }
  result.points = all.p50.length;
  if (result.points > 0) {
    result.p50Error = mean(all.p50);
    result.naiveError = mean(all.naive);
    result.coverage = mean(all.hit);
  }
  return result;
}
