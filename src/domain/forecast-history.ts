/**
 * Turns fine-grained spend buckets into the day pool the forecast resamples: one entry per complete
 * local day with its total, its 24 local-hour shares, its weekday class and its sampling weight.
 */
import { DateTime } from 'luxon';
import { dayRanges } from './time.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Spend in one bucket starting at `startMs` (buckets are at most an hour wide and 15-minute aligned). */
export interface SpendBucket {
  startMs: number;
  cost: number;
}

/** One complete local day of history. */
export interface HistoryDay {
  day: string;
  startMs: number;
  total: number;
  /** Spend by local hour of day (a 25-hour day folds its extra hour into the last one). */
  hours: number[];
  weekend: boolean;
  weekday: number;
  /** Days between this day and the day being forecast from. */
  age: number;
  /** Base sampling weight: recency decay, lowered for one-off outliers. */
  weight: number;
  /** A one-off big run: far above the other days. */
  outlier: boolean;
}

/** Tunables of the day pool. */
export interface PoolOptions {
  lookbackDays: number;
  halfLifeDays: number;
  /** A day above this many times the mean of the other days counts as a one-off run. */
  outlierFactor: number;
  /** Extra weight of the days of the cycle being forecast (they show its current level). */
  cycleBoost: number;
  /**
   * Days of "nothing rare happened" assumed before the history: a one-off run seen k times in n
   * days is drawn with chance k / (n + this), so a short history does not make it look common.
   */
  rarePriorDays: number;
}

export const DEFAULT_POOL: PoolOptions = {
  lookbackDays: 112,
  halfLifeDays: 14,
  outlierFactor: 5,
  cycleBoost: 16,
  rarePriorDays: 56,
};

/** ISO weekday, 1 (Monday) to 7 (Sunday), of a calendar date `YYYY-MM-DD` (the same in every zone). */
export function weekdayOfDate(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Sum of bucket spend in [fromMs, toMs) (buckets sorted by start). */
export function sumBuckets(buckets: readonly SpendBucket[], fromMs: number, toMs: number): number {
  let s = 0;
  for (const b of buckets) if (b.startMs >= fromMs && b.startMs < toMs) s += b.cost;
  return s;
}

/**
 * The complete local days before the day containing `nowMs`, back to `lookbackDays` or the start
 * of the data (days before any data are unknown, not zero), with their buckets assigned.
 */
export function buildDayPool(
  buckets: readonly SpendBucket[],
  nowMs: number,
  dataStartMs: number | null,
  tz: string,
  options: PoolOptions = DEFAULT_POOL,
  cycleStartMs = Infinity,
): HistoryDay[] {
  if (dataStartMs === null) return [];
  const today = DateTime.fromMillis(nowMs, { zone: tz }).startOf('day');
  const dataDay = DateTime.fromMillis(dataStartMs, { zone: tz }).startOf('day').toMillis();
  const from = Math.max(dataDay, today.minus({ days: options.lookbackDays }).toMillis());
  const ranges = dayRanges(from, today.toMillis(), tz).filter((r) => r.startMs >= from && r.endMs <= today.toMillis());
  const days: HistoryDay[] = ranges.map((r, i) => {
    const weekday = weekdayOfDate(r.day);
    return {
      day: r.day,
      startMs: r.startMs,
      total: 0,
      hours: new Array<number>(24).fill(0),
      weekend: weekday >= 6,
      weekday,
      age: ranges.length - i,
      weight: 0,
      outlier: false,
    };
  });
  let d = 0;
  for (const b of buckets) {
    while (d < ranges.length && b.startMs >= ranges[d]!.endMs) d++;
    if (d >= ranges.length) break;
    const range = ranges[d]!;
    if (b.startMs < range.startMs) continue;
    const day = days[d]!;
    const hour = Math.min(23, Math.floor((b.startMs - range.startMs) / HOUR_MS));
    day.hours[hour] = (day.hours[hour] ?? 0) + b.cost;
    day.total += b.cost;
  }
  assignWeights(days, options, cycleStartMs);
  return days;
}

function assignWeights(days: HistoryDay[], options: PoolOptions, cycleStartMs: number): void {
  const sum = days.reduce((s, d) => s + d.total, 0);
  const nonZero = days.filter((d) => d.total > 0).length;
  const recencyOf = (day: HistoryDay): number => Math.pow(0.5, day.age / options.halfLifeDays);
  const meanRecency = days.reduce((s, d) => s + recencyOf(d), 0) / Math.max(1, days.length);
  for (const day of days) {
    const othersMean = days.length > 1 ? (sum - day.total) / (days.length - 1) : 0;
    // A one-off big run keeps its plain 1-in-N chance: recency must not make it look habitual.
    const outlier = nonZero >= 4 && day.total > options.outlierFactor * othersMean;
    day.outlier = outlier;
    day.weight = outlier
      ? (meanRecency * days.length) / (days.length + options.rarePriorDays)
      : recencyOf(day) * (day.startMs >= cycleStartMs ? 1 + options.cycleBoost : 1);
  }
}

/** Whole days in ms, for callers sizing windows. */
export const DAY = DAY_MS;
