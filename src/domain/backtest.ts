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
  /**
   * Days of the cycle (1 = its first day) to forecast at, from what was known at the start of that
   * day; every day after the first when absent.
   */
  checkpointDays?: readonly number[];
  /** Only the last this many complete cycles (all when absent). */
  lastCycles?: number;
}

/** Scores of all forecasts made on one day of the cycle. */
export interface BacktestCheckpoint {
  day: number;
  points: number;
  p50Error: number;
  naiveError: number;
  coverage: number;
}

/** One forecast made during the replay, against what really happened. */
export interface BacktestPoint {
  cycleStartMs: number;
  day: number;
  daysLeft: number;
  truth: number;
  p10: number;
  p50: number;
  p90: number;
  naive: number;
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
  checkpoints: BacktestCheckpoint[];
  /** Every forecast made, in order. */
  forecasts: BacktestPoint[];
  points: number;
  p50Error: number | null;
  naiveError: number | null;
  coverage: number | null;
  /** Complete cycles left out because nothing was spent in them (a % error needs a non-zero truth). */
  skippedZeroCycles: number;
  /**
   * The start of the complete cycle left out because it began more than a day before the data did
   * (its first forecasts would have had nothing to go on), or null.
   */
  beganBeforeData: number | null;
  /** Complete cycles with spend that hold none of the checkpoint days asked for (`--days 31` in a month of 30). */
  withoutDays: number;
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

/** The complete cycle in which the data began, when completeCycles leaves it out; null otherwise. */
function cycleBeganBeforeData(dataStartMs: number, nowMs: number, cycleStartDay: number, tz: string): Cycle | null {
  const first = cyclesBetween(dataStartMs, nowMs, cycleStartDay, tz)[0];
  return first !== undefined && first.startMs < dataStartMs - 86_400_000 && first.endMs <= nowMs ? first : null;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Scores the forecast and the naive projection over every complete past cycle. */
export function runBacktest(input: BacktestInput, options: ForecastOptions = DEFAULT_FORECAST): BacktestResult {
  const result: BacktestResult = {
    cycles: [],
    checkpoints: [],
    forecasts: [],
    points: 0,
    p50Error: null,
    naiveError: null,
    coverage: null,
    skippedZeroCycles: 0,
    beganBeforeData: null,
    withoutDays: 0,
  };
  if (input.dataStartMs === null) return result;
  result.beganBeforeData =
    cycleBeganBeforeData(input.dataStartMs, input.nowMs, input.cycleStartDay, input.tz)?.startMs ?? null;
  const all = { p50: [] as number[], naive: [] as number[], hit: [] as number[] };
  const lookbackMs = (options.lookbackDays + 2) * 86_400_000;
  const cycles = completeCycles(input.dataStartMs, input.nowMs, input.cycleStartDay, input.tz);
  const wanted = input.lastCycles === undefined ? cycles : cycles.slice(Math.max(0, cycles.length - input.lastCycles));
  const byDay = new Map<number, { p50: number[]; naive: number[]; hit: number[] }>();
  for (const cycle of wanted) {
    const truth = sumRange(input.buckets, cycle.startMs, cycle.endMs);
    if (truth <= 0) {
      result.skippedZeroCycles++;
      continue;
    }
    const per = { p50: [] as number[], naive: [] as number[], hit: [] as number[] };
    // Forecast at each local midnight after the first: what was known at the start of that day.
    const days = dayRanges(cycle.startMs, cycle.endMs, input.tz);
    for (let d = 1; d < days.length; d++) {
      if (input.checkpointDays && !input.checkpointDays.includes(d + 1)) continue;
      const nowMs = days[d]!.startMs;
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
      const { p10, p50, p90 } = f.cycleEndSpend;
      const scores = [
        Math.abs(p50 - truth) / truth,
        Math.abs(naive - truth) / truth,
        p10 <= truth && truth <= p90 ? 1 : 0,
      ];
      const at = byDay.get(d + 1) ?? { p50: [], naive: [], hit: [] };
      byDay.set(d + 1, at);
      for (const bucket of [per, at]) {
        bucket.p50.push(scores[0]!);
        bucket.naive.push(scores[1]!);
        bucket.hit.push(scores[2]!);
      }
      result.forecasts.push({
        cycleStartMs: cycle.startMs,
        day: d + 1,
        daysLeft: days.length - d,
        truth,
        p10,
        p50,
        p90,
        naive,
      });
    }
    if (per.p50.length === 0) {
      result.withoutDays++;
      continue;
    }
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
  result.checkpoints = [...byDay.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, v]) => ({
      day,
      points: v.p50.length,
      p50Error: mean(v.p50),
      naiveError: mean(v.naive),
      coverage: mean(v.hit),
    }));
  result.points = all.p50.length;
  if (result.points > 0) {
    result.p50Error = mean(all.p50);
    result.naiveError = mean(all.naive);
    result.coverage = mean(all.hit);
  }
  return result;
}
