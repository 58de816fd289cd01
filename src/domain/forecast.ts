/**
 * Cycle-end forecast by seeded Monte Carlo over whole days of recent history.
 *
 * Each simulated path adds to the spend so far one resampled history day per remaining day of the
 * cycle: a weekday from the weekdays, a weekend day from the weekends. Recent days are likelier,
 * the current cycle's own days likelier still when they show a level of their own (see
 * levelEvidence: random heavy days are no new level), and one-off big runs keep
 * a chance of (times seen) / (days known + a prior), so a short history does not make them habitual.
 * Every path re-weighs the pool at random (a Bayesian bootstrap: a short or uneven history gives a
 * wide band) and scales its future by a level shift as large as the everyday week-to-week swings
 * of the history, no day above 1.5 times the largest day seen. A step up in spend starts the
 * history (forecast-history.ts, stepStart), and a batch that runs on the same days of every month
 * is drawn only on those days (markMonthly). The quarter hours of each sampled day place the crossing of
 * the credit within that day (nightly jobs cross at night). The same input always gives the same
 * output (fixed seed).
 *
 * Before any complete day with spend exists, the spend so far is spread over whole days: the time
 * since the start of the first request's local day (or of the cycle, if later), but never less than
 * one day, so one request or a burst of one hour counts as one day's spend, not as an hourly rate
 * held for weeks. That daily level is projected with a wide level band.
 */
import {
  analysePool,
  buildDayPool,
  batchSlot,
  LAST_DAY_SLOT,
  DEFAULT_POOL,
  QUARTERS,
  groupOf,
  stepBar,
  sumBuckets,
  weekdayOfDate,
  type DayStructure,
  type HistoryDay,
  type HistoryShape,
  type PoolOptions,
  type SpendBucket,
} from './forecast-history.js';
import { dayClock, dayRanges, instantOfWall, localDayStart, wallOfDay, type DayClock } from './time.js';
import { mulberry32, quantile, standardNormal } from './random.js';
import { runPathsMemo, type PathsMemo } from './forecast-paths.js';
import type { ForecastBasis, Percentiles } from './status-types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const QUARTER_MS = HOUR_MS / 4;
/** A monthly batch's days are grouped by their day of the month, after the day groups (0-7). */
const MONTHLY_GROUP = 8;

export interface ForecastInput {
  cycle: { startMs: number; endMs: number };
  nowMs: number;
  tz: string;
  /** Counted spend of the cycle up to now. */
  spentSoFar: number;
  /** Counted spend before now in 15-minute (or hourly) buckets, sorted; older than the lookback is ignored. */
  buckets: readonly SpendBucket[];
  /** First request of any class in the store (the start of the history); null when empty. */
  dataStartMs: number | null;
  credit: number;
  /** The instant the credit was already crossed this cycle, if it was. */
  exhaustedAtMs: number | null;
  /** Paths run before, reused for the same input (the same to the bit; domain/forecast-paths.ts). */
  memo?: PathsMemo | undefined;
}

export interface ForecastOptions extends PoolOptions {
  paths: number;
  seed: number;
  /** Log-sd of the per-path level shift, per unit of week-to-week variation seen in the history. */
  levelSigma: number;
  /** Extra log-sd when fewer than `fullHistoryDays` days are known. */
  shortHistorySigma: number;
  fullHistoryDays: number;
  /** Log-sd of the level when no complete day with spend is known yet (the 'rate' method). */
  rateSigma: number;
  /** With at least this many days left, the upper band always leaves room for one everyday day. */
  openDays: number;
  /**
   * A simulated day spends at most this multiple of the largest day the pool holds (grown by the
   * trend to that day): a level shift widens the band, but no simulated day goes past that.
   */
  dayCeiling: number;
  /**
   * Where the paths run: 'js' in JavaScript (tests compare the two); by default in WebAssembly
   * where it is available (domain/forecast-paths.ts), with the same result to the bit.
   */
  engine?: 'wasm' | 'js';
}

export const DEFAULT_FORECAST: ForecastOptions = {
  ...DEFAULT_POOL,
  paths: 2000,
  seed: 0x5eed,
  levelSigma: 0.8,
  shortHistorySigma: 0.6,
  fullHistoryDays: 14,
  rateSigma: 0.9,
  openDays: 4,
  dayCeiling: 1.5,
};

export type ForecastMethod = 'complete' | 'resample' | 'rate' | 'none';

export interface Forecast {
  cycleEndSpend: Percentiles<number>;
  /** Epoch ms; p10 is the early case. null = the credit lasts the cycle in that case. */
  exhaustionAt: Percentiles<number | null>;
  method: ForecastMethod;
  /** Complete days of history the forecast drew on (after any long quiet stretch). */
  historyDays: number;
  /** How future days were matched to history days. */
  structure: DayStructure;
  /** Growth of the daily level per day that was followed (0 = none). */
  trendPerDay: number;
  /** Too little history to be sure: the band was widened on purpose. */
  littleHistory: boolean;
  /** Days without spend up to now, when spend stopped a long while ago or not at all in the days looked back at (else 0). */
  quietDays: number;
  /** The history drawn on starts where spend stepped up to the level that runs now. */
  steppedUp: boolean;
  /** The history drawn on starts where spend dropped to the level that runs now (a job that stopped). */
  steppedDown: boolean;
  /**
   * The latest complete days (1 or 2) far above every day before them, too few yet to count as a
   * step up: part of the paths read them as one (see pendingStep). 0 when none.
   */
  jumpDays: number;
  /** Days of the month on which a monthly batch runs, drawn from its own past runs (32: the last day; empty: none). */
  monthlyDays: number[];
  /**
   * True when the forecast rests on enough history to act on: the cycle is over, or it resamples
   * complete days with spend and the data reaches back at least 24 hours.
   */
  settled: boolean;
}

interface Segment {
  day: string;
  startMs: number;
  endMs: number;
  /**
   * Local quarter hours of the day already past when the segment starts (fractional), by the wall
   * clock, as the history's days are kept (forecast-history.ts, buildDayPool): on the day the clocks
   * go forward, 12:30 is quarter 50, where the history's days spent at 12:30.
   */
  fromQuarter: number;
  /** The segment's first instant: a crossing is never placed before it (see quarterInstant). */
  fromMs: number;
  clock: DayClock;
}

function remainingSegments(fromMs: number, endMs: number, tz: string): Segment[] {
  return dayRanges(fromMs, endMs, tz).map((r) => {
    const clock = dayClock(r.startMs, r.endMs, tz);
    return {
      day: r.day,
      startMs: r.startMs,
      endMs: r.endMs,
      fromQuarter: fromMs <= r.startMs ? 0 : Math.min(QUARTERS, wallOfDay(clock, fromMs) / QUARTER_MS),
      fromMs: Math.max(fromMs, r.startMs),
      clock,
    };
  });
}

/**
 * The instant of local quarter hour `quarter` (fractional) of a segment's day, by the wall clock;
 * not before the segment starts (in the hour the clocks went back over, read a second time, a
 * wall time's first instant is already past).
 */
const quarterInstant = (seg: Segment, quarter: number): number =>
  Math.max(seg.fromMs, instantOfWall(seg.clock, quarter * QUARTER_MS));

/**
 * What `day` spent in the quarter hour under way that is still to come: beyond what today has
 * spent in it so far (`spentQuarter`), when known; else the share of the quarter hour not yet past.
 * A run that ended a minute ago is not drawn again for the rest of its quarter hour.
 */
function restOfQuarter(day: HistoryDay, fromQuarter: number, spentQuarter: number | null): number {
  const q0 = Math.floor(fromQuarter);
  const spent = day.quarters[q0] ?? 0;
  return spentQuarter === null ? spent * (1 - (fromQuarter - q0)) : Math.max(0, spent - spentQuarter);
}

/** Spend of `day` from local quarter hour `fromQuarter` (fractional) to its end (see restOfQuarter). */
function restOfDay(day: HistoryDay, fromQuarter: number, spentQuarter: number | null): number {
  if (fromQuarter <= 0) return day.total;
  let s = restOfQuarter(day, fromQuarter, spentQuarter);
  for (let q = Math.floor(fromQuarter) + 1; q < QUARTERS; q++) s += day.quarters[q] ?? 0;
  return s;
}

/**
 * Instant within `seg` where spend `before` plus the scaled quarter hours of `day` reaches
 * `credit` (spread evenly within the quarter hour it falls in). `owed` is spend of the day not yet
 * made that its quarter hours after `seg`'s start do not hold (a run under way today, at an hour
 * of its own): it comes first, from the segment's start on, at the pace the day spent at (its
 * share of the quarter hours the day spent in).
 */
function crossingInDay(
  seg: Segment,
  day: HistoryDay,
  scale: number,
  before: number,
  credit: number,
  owed = 0,
  spentQuarter: number | null = null,
): number {
  let c = before;
  if (owed > 0 && day.total > 0) {
    const owedCost = owed * scale;
    if (c + owedCost >= credit) {
      const spending = day.quarters.reduce((n, q) => (q > 0 ? n + 1 : n), 0);
      const span = (owed / day.total) * Math.max(1, spending) * QUARTER_MS;
      return Math.round(quarterInstant(seg, seg.fromQuarter) + ((credit - c) / owedCost) * span);
    }
    c += owedCost;
  }
  const q0 = Math.floor(seg.fromQuarter);
  for (let q = q0; q < QUARTERS; q++) {
    const from = Math.max(q, seg.fromQuarter);
    const cost = (q === q0 ? restOfQuarter(day, seg.fromQuarter, spentQuarter) : (day.quarters[q] ?? 0)) * scale;
    if (cost > 0 && c + cost >= credit)
      return Math.round(quarterInstant(seg, from + ((credit - c) / cost) * (q + 1 - from)));
    c += cost;
  }
  return seg.endMs - 1;
}

/** Weighted choice among a subset of the pool; its cumulative weights are rebuilt per path. */
class Sampler {
  private readonly cum: Float64Array;
  private total = 0;
  constructor(readonly members: Int32Array) {
    this.cum = new Float64Array(members.length);
  }
  /** Re-weighs with this path's draws; false when nothing can be picked. */
  reweigh(draw: Float64Array): boolean {
    let s = 0;
    for (let i = 0; i < this.members.length; i++) this.cum[i] = s += draw[this.members[i]!]!;
    this.total = s;
    return s > 0;
  }
  /** The pool index picked by uniform `u`. */
  pick(u: number): number {
    const target = u * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.members[lo]!;
  }
}

/**
 * The daily spend level when no complete day with spend is known: the spend since the start of
 * the first request's local day (or the cycle start, if later) divided by the whole days elapsed,
 * at least one.
 */
export function partialDayLevel(
  input: Pick<ForecastInput, 'buckets' | 'nowMs' | 'dataStartMs' | 'tz' | 'cycle'>,
  lookbackDays: number,
  notBeforeMs = -Infinity,
): number {
  const { nowMs, dataStartMs } = input;
  if (dataStartMs === null || dataStartMs > nowMs) return 0;
  const dataDay = localDayStart(dataStartMs, input.tz);
  const cycleStart = input.cycle.startMs <= nowMs ? input.cycle.startMs : -Infinity;
  const since = Math.max(dataDay, cycleStart, nowMs - lookbackDays * DAY_MS, notBeforeMs);
  const spend = sumBuckets(input.buckets, since, nowMs);
  return spend / Math.max(1, (nowMs - since) / DAY_MS);
}

/** A short history that spent less in all than this share of today's spend so far is outweighed by it. */
const OUTWEIGHED_SHARE = 0.1;

function sumDays(days: readonly HistoryDay[]): number {
  let sum = 0;
  for (const d of days) sum += d.total;
  return sum;
}

function flatDay(perHour: number): HistoryDay {
  return {
    day: '',
    startMs: 0,
    total: perHour * 24,
    quarters: new Array<number>(QUARTERS).fill(perHour / 4),
    weekend: false,
    weekday: 1,
    age: 0,
    weight: 1,
    outlier: false,
    burst: false,
    rarity: 0,
    monthly: false,
  };
}

/** Weighted mean of the pool's days, one-off runs left out. */
function everydayLevel(pool: readonly HistoryDay[]): number {
  let s = 0;
  let w = 0;
  for (const d of pool) {
    if (d.outlier || d.monthly || d.weight <= 0) continue;
    s += d.total * d.weight;
    w += d.weight;
  }
  return w > 0 ? s / w : 0;
}

/** Scale of a history day `age` days old used `ahead` days from today under a daily growth. */
function trendFactor(trendPerDay: number, age: number, ahead: number): number {
  if (trendPerDay === 0) return 1;
  return Math.min(8, Math.max(1 / 8, Math.exp(trendPerDay * (age + ahead))));
}

/**
 * trendFactor of every pool day (by index) on every remaining day, at [segment * days + day];
 * empty without a trend. Each path looks them up instead of computing its own: a few thousand
 * `Math.exp` instead of one per path and day (2,000 paths of 25 days each called back from the
 * WebAssembly into JavaScript 50,000 times), the same numbers.
 */
function growthTable(trend: number, ages: Float64Array, segments: number): Float64Array {
  if (trend === 0) return new Float64Array(0);
  const n = ages.length;
  const table = new Float64Array(segments * n);
  for (let s = 0; s < segments; s++) for (let i = 0; i < n; i++) table[s * n + i] = trendFactor(trend, ages[i]!, s);
  return table;
}

/** A pool day's growth on a remaining day, from growthTable (1 without a trend). */
function grown(growth: Float64Array, n: number, i: number, s: number): number {
  return growth.length === 0 ? 1 : growth[s * n + i]!;
}

interface Simulation {
  paths: number;
  seed: number;
  pool: HistoryDay[];
  all: Sampler;
  /** Samplers by group number (sparse). */
  groups: Sampler[];
  segments: Segment[];
  segGroups: Int32Array;
  sigma: number;
  trend: number;
  dayCeiling: number;
  spentSoFar: number;
  /** Spend of today so far when the pool's days are sampled for today's rest; null otherwise. */
  spentToday: number | null;
  /** Of it, the spend in the quarter hour under way (see restOfQuarter); null with spentToday. */
  spentQuarter: number | null;
  already: number | null;
  credit: number;
  engine: 'wasm' | 'js';
  memo: PathsMemo | undefined;
}

/**
 * The most each remaining day may spend: `ceiling` times the largest day among `members`, each
 * grown by the trend as it would be on that day (the first day counts only the rest of each day).
 */
function dayCaps(
  members: Int32Array,
  totals: Float64Array,
  firstCost: Float64Array,
  growth: Float64Array,
  segments: number,
  ceiling: number,
): Float64Array {
  const caps = new Float64Array(segments);
  const n = totals.length;
  for (let s = 0; s < segments; s++) {
    let max = 0;
    for (const i of members) max = Math.max(max, (s === 0 ? firstCost[i]! : totals[i]!) * grown(growth, n, i, s));
    caps[s] = max * ceiling;
  }
  return caps;
}

/**
 * The Monte Carlo paths: each re-weighs the pool (Bayesian bootstrap), draws a level shift, then
 * draws each remaining day from its group. Kept apart, over typed arrays, so the hot loop is one
 * small function that V8 optimises early (it runs once per command).
 */
function simulate(sim: Simulation): { ends: Float64Array; times: Float64Array } {
  const { pool, all, groups, segments, segGroups, sigma, trend, credit } = sim;
  const n = pool.length;
  const rng = mulberry32(sim.seed);
  const ends = new Float64Array(sim.paths);
  const times = new Float64Array(sim.paths);
  const weights = Float64Array.from(pool, (d) => d.weight);
  const totals = Float64Array.from(pool, (d) => d.total);
  const ages = Float64Array.from(pool, (d) => d.age);
  // The first segment may start mid-day: only the rest of each sampled day counts there, and at
  // least what that day spent in all beyond what today has spent so far (a daily run that starts at
  // another hour each day, under way or not yet run today, still comes today).
  const fromQuarter = segments[0]?.fromQuarter ?? 0;
  // Each day's rest and what it owes, once per day of the pool (not again for each path that crosses).
  const rest = Float64Array.from(pool, (d) => restOfDay(d, fromQuarter, sim.spentQuarter));
  const owedOf = Float64Array.from(pool, (d, i) =>
    sim.spentToday === null || fromQuarter <= 0 ? 0 : Math.max(0, d.total - sim.spentToday - rest[i]!),
  );
  // rest + owed, written as the larger of the two sums it is: rest + (total - spent - rest) came out
  // a bit apart as the rest moved within the quarter hour, and the kept paths, keyed by these
  // bits, were missed by every later `status` of the quarter hour (store/paths-memo.ts).
  const firstCost = Float64Array.from(pool, (d, i) => (owedOf[i]! > 0 ? d.total - sim.spentToday! : rest[i]!));
  // No day of the pool spent anything (no counted use in the lookback): every path would add
  // nothing and end where it starts, so the draws are skipped (the same result, without the
  // hundreds of thousands of draws that cost 20-40 ms on a cold start).
  if (totals.every((t) => t === 0) && firstCost.every((c) => c === 0)) {
    ends.fill(sim.spentSoFar);
    times.fill(sim.already ?? Infinity);
    return { ends, times };
  }
  // The largest day of the whole pool, a monthly batch's included (the `all` sampler leaves those out).
  const drawn = Int32Array.from(pool.flatMap((d, i) => (d.weight > 0 ? [i] : [])));
  const growth = growthTable(trend, ages, segments.length);
  const caps = dayCaps(drawn, totals, firstCost, growth, segments.length, sim.dayCeiling);
  if (sim.engine === 'wasm') {
    // Samplers as the module takes them: every day first, then each group's, in group order.
    const samplers = [all.members];
    const samplerOf: number[] = [];
    groups.forEach((g, i) => (samplerOf[i] = samplers.push(g.members) - 1));
    const out = runPathsMemo(
      {
        paths: sim.paths,
        seed: sim.seed,
        weights,
        totals,
        ages,
        firstCost,
        samplers,
        segSampler: Int32Array.from(segGroups, (g) => samplerOf[g] ?? 0),
        sigma,
        growth,
        caps,
        spentSoFar: sim.spentSoFar,
        credit,
      },
      sim.memo,
    );
    if (out !== null) {
      for (let p = 0; p < sim.paths; p++) {
        const s = out.crossSegment[p]!;
        times[p] =
          sim.already ??
          (s < 0
            ? Infinity
            : crossingInDay(
                segments[s]!,
                pool[out.crossDay[p]!]!,
                out.crossScale[p]!,
                out.crossBefore[p]!,
                credit,
                s === 0 ? owedOf[out.crossDay[p]!]! : 0,
                s === 0 ? sim.spentQuarter : null,
              ));
      }
      return { ends: out.ends, times };
    }
  }
  const draw = new Float64Array(n);
  const chosen: Sampler[] = new Array<Sampler>(segments.length);
  for (let p = 0; p < sim.paths; p++) {
    for (let i = 0; i < n; i++) draw[i] = weights[i]! * -Math.log(1 - rng());
    const anyAll = all.reweigh(draw);
    for (let s = 0; s < segments.length; s++) chosen[s] = all;
    for (let g = 0; g < groups.length; g++) {
      const sampler = groups[g];
      if (sampler === undefined || !sampler.reweigh(draw)) continue;
      for (let s = 0; s < segments.length; s++) if (segGroups[s] === g) chosen[s] = sampler;
    }
    const scale = Math.exp(sigma * standardNormal(rng));
    let c = sim.spentSoFar;
    let crossed = sim.already;
    for (let s = 0; s < segments.length && anyAll; s++) {
      const i = chosen[s]!.pick(rng());
      const base = s === 0 ? firstCost[i]! : totals[i]!;
      let k = scale * grown(growth, n, i, s);
      let cost = base * k;
      if (cost > caps[s]!) {
        cost = caps[s]!;
        k = cost / base;
      }
      if (crossed === null && cost > 0 && c + cost >= credit)
        crossed = crossingInDay(
          segments[s]!,
          pool[i]!,
          k,
          c,
          credit,
          s === 0 ? owedOf[i]! : 0,
          s === 0 ? sim.spentQuarter : null,
        );
      c += cost;
    }
    ends[p] = c;
    times[p] = crossed ?? Infinity;
  }
  return { ends, times };
}

/**
 * A forecast with nothing left to draw: the spend so far at every percentile. `complete` for an
 * ended cycle (settled); `none` for a forecast not computed yet (never settled, nothing to act on).
 */
export function fixedForecast(spent: number, exhaustedAt: number | null, method: 'complete' | 'none'): Forecast {
  return {
    cycleEndSpend: { p10: spent, p50: spent, p90: spent },
    exhaustionAt: { p10: exhaustedAt, p50: exhaustedAt, p90: exhaustedAt },
    method,
    historyDays: 0,
    structure: 'flat',
    trendPerDay: 0,
    littleHistory: method === 'none',
    quietDays: 0,
    steppedUp: false,
    steppedDown: false,
    jumpDays: 0,
    monthlyDays: [],
    settled: method === 'complete',
  };
}

/** `a` then `b` in one array. */
function joined(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The spread of a path's level: the week-to-week swing, widened for a history shorter than two weeks. */
function levelSigma(activeDays: number, weeklyVariation: number, options: ForecastOptions): number {
  const shortness = Math.max(0, options.fullHistoryDays - activeDays) / options.fullHistoryDays;
  return options.levelSigma * weeklyVariation + options.shortHistorySigma * shortness;
}

/**
 * The latest `k` complete days (fewer than `stepDays`) far above every day before them, as a step
 * up would be once it held `stepDays` days: the pool read as that step (its own copy, weighed as
 * analysePool weighs a step), and the share of the paths that read it so, k in `stepDays` (a third
 * after one such day, two thirds after two). The rest read the pool as it is, so the band holds
 * both a one-off and a new job, and the forecast moves to the new level over those days rather
 * than at one midnight. Null when there is no such run (or it already counts as a step, or spend
 * has gone quiet).
 */
function pendingStep(
  pool: readonly HistoryDay[],
  shape: HistoryShape,
  options: ForecastOptions,
  cycleStartMs: number,
): { pool: HistoryDay[]; shape: HistoryShape; share: number } | null {
  if (shape.stepFrom > shape.activeFrom || shape.quietNow > 0) return null;
  // A run of the latest k days starts with a day far above every day before it (stepStart): most
  // days none does, and the pool needs no second reading.
  const opens = (k: number): boolean => {
    const start = pool.length - k;
    return (
      start - shape.activeFrom >= options.stepBeforeDays &&
      pool[start]!.total > stepBar(pool.slice(shape.activeFrom, start), options)
    );
  };
  for (let k = options.stepDays - 1; k >= 1; k--) {
    if (!opens(k)) continue;
    const copy = pool.map((d) => ({ ...d }));
    const read = analysePool(copy, { ...options, stepDays: k }, cycleStartMs);
    if (read.stepFrom > read.activeFrom && read.stepFrom >= copy.length - k)
      return { pool: copy, shape: read, share: k / options.stepDays };
  }
  return null;
}

/** Forecasts the cycle's counted spend at its end and the moment the credit runs out. */
export function forecastCycle(input: ForecastInput, options: ForecastOptions = DEFAULT_FORECAST): Forecast {
  const { cycle, nowMs, credit, spentSoFar } = input;
  const already = input.exhaustedAtMs ?? (spentSoFar > 0 && spentSoFar >= credit ? nowMs : null);
  if (nowMs >= cycle.endMs) return fixedForecast(spentSoFar, already, 'complete');
  let pool = buildDayPool(input.buckets, nowMs, input.dataStartMs, input.tz, options);
  const today = localDayStart(nowMs, input.tz);
  const spentToday = sumBuckets(input.buckets, today, nowMs);
  const shape = analysePool(pool, options, cycle.startMs, spentToday);
  const activeDays = pool.length - shape.stepFrom;
  let method: ForecastMethod = 'resample';
  let structure = shape.structure;
  let trend = shape.trendPerDay;
  let sigma = levelSigma(activeDays, shape.weeklyVariation, options);
  // Spend came back today after a long quiet stretch, at another level: the days before the stretch
  // no longer say what runs now (as when spend starts again after one, see activeStart), and the
  // quiet days would say nothing more comes. Only today shows the level, as before any complete day.
  const restartedToday = shape.quietNow > 0 && spentToday > 0;
  // A short history whose complete days spent less in all than a tenth of what today has so far (a
  // cent two days ago, $18 in the last hour) says less about what runs now than today does: drawn
  // from, its days would add nothing to today's and nothing after it. It is read as no complete day
  // with spend. (Far from that, a heavy day in a short history is drawn as the history's days are:
  // a rule that fired at the history's own sum flipped the method, and the band, within a day.)
  const history = sumDays(pool);
  const outweighed = pool.length < options.fullHistoryDays && history > 0 && history < OUTWEIGHED_SHARE * spentToday;
  if (restartedToday || outweighed || history === 0) {
    // No complete day with spend yet: project the spend so far as a daily level, humbly. After a
    // long quiet stretch only today counts.
    const sinceToday = restartedToday || pool.length >= options.quietDays;
    const level = partialDayLevel(input, options.lookbackDays, sinceToday ? today : -Infinity);
    if (level > 0) {
      pool = [flatDay(level / 24)];
      method = 'rate';
      sigma = options.rateSigma;
      structure = 'flat';
      trend = 0;
    } else if (pool.length === 0) {
      method = 'none';
    }
  }
  const segments = remainingSegments(Math.max(nowMs, cycle.startMs), cycle.endMs, input.tz);
  // Today's spend in the quarter hour under way, which the sampled days' spend in it is set against.
  const seg0 = segments[0];
  const spentQuarter =
    method === 'resample' && seg0 !== undefined && seg0.fromQuarter > 0
      ? sumBuckets(
          input.buckets,
          Math.max(seg0.startMs, instantOfWall(seg0.clock, Math.floor(seg0.fromQuarter) * QUARTER_MS)),
          nowMs,
        )
      : null;
  /** The paths of one reading of the pool (its shape, groups and level), `paths` of them. */
  const pathsOf = (
    pool: HistoryDay[],
    monthly: ReadonlySet<number>,
    reading: { structure: DayStructure; trend: number; sigma: number },
    paths: number,
    seed: number,
  ): { ends: Float64Array; times: Float64Array } => {
    const indices = (keep: (d: HistoryDay) => boolean): Int32Array =>
      Int32Array.from(pool.flatMap((d, i) => (keep(d) && d.weight > 0 ? [i] : [])));
    // Samplers by group number (at most 7 groups of days, and one per day of a monthly batch), and
    // the group of each remaining day: a batch's day of the month draws from the past days on it
    // (the 14th from the 14ths), the other days never do.
    const groupOfDay = (d: HistoryDay): number =>
      d.monthly ? MONTHLY_GROUP + (batchSlot(d.day, monthly) ?? 0) : groupOf(reading.structure, d.weekday);
    const groups: Sampler[] = [];
    for (const d of pool) {
      const g = groupOfDay(d);
      groups[g] ??= new Sampler(indices((x) => groupOfDay(x) === g));
    }
    const everyday = indices((d) => !d.monthly);
    return simulate({
      paths,
      seed,
      pool,
      all: new Sampler(everyday.length > 0 ? everyday : indices(() => true)),
      groups,
      segments,
      segGroups: Int32Array.from(segments, (seg) => {
        const slot = batchSlot(seg.day, monthly);
        return slot !== null ? MONTHLY_GROUP + slot : groupOf(reading.structure, weekdayOfDate(seg.day));
      }),
      sigma: reading.sigma,
      trend: reading.trend,
      // The rate method's one day is a guess at the level, not a day seen: its band stays wide.
      dayCeiling: method === 'rate' ? Infinity : options.dayCeiling,
      spentSoFar,
      // (The rate method's one day is today's own level: nothing is owed beyond its rest.)
      spentToday: method === 'resample' ? spentToday : null,
      spentQuarter,
      already,
      credit,
      engine: options.engine ?? 'wasm',
      memo: input.memo,
    });
  };
  const monthly = new Set(method === 'resample' ? shape.monthlyDays : []);
  // The latest day or two far above all before them may be a one-off or the first days of a new
  // job: that share of the paths reads the pool as a step up already (see pendingStep).
  const pending = method === 'resample' ? pendingStep(pool, shape, options, cycle.startMs) : null;
  const stepPaths = pending === null ? 0 : Math.round(options.paths * pending.share);
  let { ends, times } = pathsOf(pool, monthly, { structure, trend, sigma }, options.paths - stepPaths, options.seed);
  if (pending !== null && stepPaths > 0) {
    const stepped = pathsOf(
      pending.pool,
      new Set(pending.shape.monthlyDays),
      {
        structure: pending.shape.structure,
        trend: pending.shape.trendPerDay,
        sigma: levelSigma(pending.pool.length - pending.shape.stepFrom, pending.shape.weeklyVariation, options),
      },
      stepPaths,
      options.seed + 1,
    );
    ends = joined(ends, stepped.ends);
    times = joined(times, stepped.times);
  }
  ends.sort();
  times.sort();
  const t = (q: number): number | null => {
    const v = quantile(times, q);
    return Number.isFinite(v) ? Math.round(v) : null;
  };
  const used = method === 'rate' ? 0 : activeDays;
  // Nothing spent on any day looked back at: quiet all along the window, however long it has been.
  const quiet = method === 'resample' ? (shape.quietNow > 0 ? shape.quietNow : silent(pool) ? used : 0) : 0;
  const spend = { p10: quantile(ends, 0.1), p50: quantile(ends, 0.5), p90: quantile(ends, 0.9) };
  // A pattern can say "nothing more this cycle" (the weekly batch already ran), but with days left
  // a re-run or an extra job stays possible: the upper band keeps room for one everyday day.
  // That room is a chance the paths do not show: where fewer than one path in ten runs out, it
  // takes the band up to the credit, not past it (an overage and a credit that lasts, side by side).
  const exhaustionAt = { p10: t(0.1), p50: t(0.5), p90: t(0.9) };
  if (segments.length >= options.openDays) {
    const room = spend.p50 + everydayLevel(pool);
    spend.p90 = Math.max(spend.p90, exhaustionAt.p10 === null ? Math.min(room, credit) : room);
  }
  return {
    cycleEndSpend: spend,
    exhaustionAt,
    method,
    historyDays: used,
    structure,
    trendPerDay: trend,
    littleHistory: method === 'rate' || (method === 'resample' && (used < options.fullHistoryDays || quiet > 0)),
    quietDays: quiet,
    steppedUp: method === 'resample' && shape.stepFrom > shape.activeFrom && !shape.stepDown,
    steppedDown: method === 'resample' && shape.stepDown,
    jumpDays: pending === null ? 0 : Math.round(pending.share * options.stepDays),
    monthlyDays: [...monthly],
    // As the README puts it: 24 hours of data and a complete day with spend (an outweighed history
    // has one, however small).
    settled:
      (method === 'resample' || (method === 'rate' && outweighed)) &&
      input.dataStartMs !== null &&
      nowMs - input.dataStartMs >= DAY_MS,
  };
}

/** Whether no day of the pool spent anything. */
function silent(pool: readonly HistoryDay[]): boolean {
  return pool.length > 0 && pool.every((d) => d.total === 0);
}

const STRUCTURE_WORDS: Record<DayStructure, string> = {
  weekday: 'weekly pattern',
  weekpart: 'weekday/weekend pattern',
  flat: 'day-by-day spend',
};

/** "day 5", "days 1–3", "days 1–3 and 15", "the last day": days of the month, runs joined. */
function daysOfMonth(slots: readonly number[]): string {
  const days = slots.filter((d) => d !== LAST_DAY_SLOT);
  const runs: string[] = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    runs.push(j > i ? `${days[i]}–${days[j]}` : String(days[i]));
    i = j + 1;
  }
  // The last day of the month (LAST_DAY_SLOT), whichever date it is.
  const last = slots.includes(LAST_DAY_SLOT) ? ['the last day'] : [];
  if (days.length === 0) return last.join('');
  return `${days.length === 1 ? 'day' : 'days'} ${[...runs, ...last].join(' and ')}`;
}

/** What a forecast rests on, in figures and in words ("weekly pattern, 9 weeks of history"). */
export function forecastBasis(f: Forecast): ForecastBasis {
  const figures = {
    method: f.method,
    structure: f.structure,
    historyDays: f.historyDays,
    trendPerDay: Math.round(f.trendPerDay * 1e4) / 1e4,
    littleHistory: f.littleHistory,
    steppedUp: f.steppedUp,
    steppedDown: f.steppedDown,
    monthlyDays: f.monthlyDays,
  };
  let text: string;
  if (f.method === 'complete') text = 'the cycle has ended';
  else if (f.method === 'none') text = 'no spend yet';
  else if (f.method === 'rate') text = 'the spend so far as a daily level (little history: wide band)';
  else {
    const days = f.historyDays;
    const span =
      days >= 14 ? `${Math.floor(days / 7)} weeks of history` : `${days} day${days === 1 ? '' : 's'} of history`;
    // After a step up the days since it are the history: "9 days since spend stepped up".
    const since = `${days} day${days === 1 ? '' : 's'} since spend ${f.steppedDown ? 'dropped' : 'stepped up'}`;
    const parts = [STRUCTURE_WORDS[f.structure], f.steppedUp || f.steppedDown ? since : span];
    if (f.quietDays > 0)
      parts.push(f.quietDays >= days ? 'nothing spent in them' : `nothing spent for ${f.quietDays} days`);
    // Said so the wider band has its reason: a one-off, or the first days of a new job.
    if (f.jumpDays > 0)
      parts.push(`spend jumped ${f.jumpDays === 1 ? 'yesterday' : `${f.jumpDays} days ago`} (a one-off or a new job)`);
    if (f.monthlyDays.length > 0) parts.push(`a batch on ${daysOfMonth(f.monthlyDays)} of each month`);
    // Said from 0.1% a day (rounded): a trend followed only in part can be smaller.
    if (Math.abs(f.trendPerDay) >= 0.0005)
      parts.push(`${f.trendPerDay > 0 ? 'growing' : 'shrinking'} ${(Math.abs(f.trendPerDay) * 100).toFixed(1)}%/day`);
    // A long history that has gone quiet widens the band too, for another reason than a short one.
    // After a step the days since it are few however long the store's history: a new level.
    const why =
      f.historyDays >= DEFAULT_FORECAST.fullHistoryDays && f.quietDays > 0
        ? 'quiet lately'
        : f.steppedUp || f.steppedDown
          ? 'a new level'
          : 'little history';
    // Said to be wide only when it is: a job that stopped long ago can leave a band of cents.
    const { p10, p50, p90 } = f.cycleEndSpend;
    const wide = p90 - p10 > 0.05 * Math.max(1, p50);
    text = `${parts.join(', ')}${f.littleHistory ? ` (${why}${wide ? ': wide band' : ''})` : ''}`;
  }
  return { ...figures, text };
}
