/**
 * Turns fine-grained spend buckets into the day pool the forecast resamples: one entry per complete
 * local day with its total, its 96 local quarter-hour shares, its weekday class and its sampling weight.
 */
import { dayClock, dayRanges, localDayStart, wallOfDay } from './time.js';
import {
  cycleBoostShare,
  detrendedVariation,
  levelEvidence,
  RECENT_DAYS,
  steadyTrend,
  weekTotals,
} from './forecast-level.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const QUARTER_MS = HOUR_MS / 4;
/** Quarter hours of a day: the resolution at which a day's spend is kept (the buckets' width). */
export const QUARTERS = 96;

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
  /** Spend by local quarter hour of day, 96 (a 25-hour day folds its extra hour into the last one). */
  quarters: number[];
  weekend: boolean;
  weekday: number;
  /** Days between this day and the day being forecast from. */
  age: number;
  /** Base sampling weight: recency decay, lowered for one-off outliers. */
  weight: number;
  /** A one-off big run: far above the other days. */
  outlier: boolean;
  /**
   * A heavy day among several like it (heavy days at random, too common to be one-offs): drawn
   * at its rate over the whole history, not by recency, so one more does not read as a new level.
   */
  burst: boolean;
  /**
   * For a heavy day (outlier or burst), how far it weighs as a one-off: 1 while heavy days are at
   * most half as many as one-offs may be (`outlierShare`), 0 from half as many again, in between
   * by steps. So one heavy day more or fewer in the window moves the forecast a step, not from one
   * weight to the other (a spike leaving the 16 weeks moved a P50 by 45%).
   */
  rarity: number;
  /** A run of a batch that comes on the same days of every month (see monthlyDays). */
  monthly: boolean;
}

/** Tunables of the day pool. */
export interface PoolOptions {
  lookbackDays: number;
  /** Half-life of a day's sampling weight, in days, when the last four weeks show a level of their own. */
  halfLifeDays: number;
  /** A day above this many times the mean of the other days counts as a one-off run. */
  outlierFactor: number;
  /**
   * Extra weight of the days of the cycle being forecast (they show its current level): whole when
   * they spend less than the days before, and when they spend more only as far as that is beyond
   * chance (cycleBoostShare).
   */
  cycleBoost: number;
  /**
   * Half-life of a day's weight when the last four weeks show no level of their own (steady
   * spend, heavy days at random: more days make the steadier estimate); `halfLifeDays` when they
   * clearly do, and between the two as the evidence grows (levelEvidence).
   */
  steadyHalfLifeDays: number;
  /**
   * Days of "nothing rare happened" assumed before the history: a one-off run seen k times in n
   * days is drawn with chance k / (n + this), so a short history does not make it look common.
   */
  rarePriorDays: number;
  /** A stretch of at least this many days without spend cuts off the history before it. */
  quietDays: number;
  /** Big days more common than this share of the history are a pattern, not one-offs. */
  outlierShare: number;
  /** Share of a measured growth that is projected (a damped trend: growth rarely lasts unchanged). */
  trendDamping: number;
  /** Weight left to the days before a long quiet stretch that is still going on. */
  staleWeight: number;
  /**
   * A step up: at least `stepDays` latest days each above `stepFactor` times the 90th percentile
   * of the at least `stepBeforeDays` days before them. The days before keep `staleWeight`.
   */
  stepFactor: number;
  stepDays: number;
  stepBeforeDays: number;
}

export const DEFAULT_POOL: PoolOptions = {
  lookbackDays: 112,
  halfLifeDays: 14,
  steadyHalfLifeDays: 21,
  outlierFactor: 5,
  cycleBoost: 2,
  rarePriorDays: 56,
  quietDays: 14,
  outlierShare: 0.08,
  trendDamping: 0.7,
  staleWeight: 0.05,
  stepFactor: 3,
  stepDays: 3,
  stepBeforeDays: 14,
};

/** ISO weekday, 1 (Monday) to 7 (Sunday), of a calendar date `YYYY-MM-DD` (the same in every zone). */
export function weekdayOfDate(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Day of the month, 1-31, of a calendar date `YYYY-MM-DD`. */
export function dayOfMonth(day: string): number {
  return Number(day.slice(8, 10));
}

/** The slot a monthly batch on the last day of the month has (see monthSlots). */
export const LAST_DAY_SLOT = 32;

/**
 * The days of the month a date stands for in a monthly batch: its day (1-28), and the last day
 * of the month (LAST_DAY_SLOT) when it is one; the 29th to the 31st only as a last day (a month
 * without them would never see a batch on them). A batch a UTC scheduler starts on the 1st falls
 * on the last local day west of UTC: it is a batch on the last day. February 28 is both.
 */
export function monthSlots(day: string): number[] {
  const dom = dayOfMonth(day);
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const last = next.getUTCDate() === 1;
  return dom <= 28 ? (last ? [dom, LAST_DAY_SLOT] : [dom]) : last ? [LAST_DAY_SLOT] : [];
}

/** The slot of `slots` (a batch's days of the month) a date falls on; null when none. */
export function batchSlot(day: string, slots: ReadonlySet<number>): number | null {
  for (const slot of monthSlots(day)) if (slots.has(slot)) return slot;
  return null;
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
): HistoryDay[] {
  if (dataStartMs === null) return [];
  const today = localDayStart(nowMs, tz);
  const dataDay = localDayStart(dataStartMs, tz);
  const from = Math.max(dataDay, localDayStart(nowMs, tz, -options.lookbackDays));
  const ranges = dayRanges(from, today, tz).filter((r) => r.startMs >= from && r.endMs <= today);
  const days: HistoryDay[] = ranges.map((r, i) => {
    const weekday = weekdayOfDate(r.day);
    return {
      day: r.day,
      startMs: r.startMs,
      total: 0,
      quarters: new Array<number>(QUARTERS).fill(0),
      weekend: weekday >= 6,
      weekday,
      age: ranges.length - i,
      weight: 0,
      outlier: false,
      burst: false,
      rarity: 0,
      monthly: false,
    };
  });
  // Quarter hours by the wall clock (12:30 is quarter 50 also on a day of 23 or 25 hours), as the
  // forecast reads the day under way (forecast.ts, remainingSegments).
  const clocks = ranges.map((r) => dayClock(r.startMs, r.endMs, tz));
  let d = 0;
  for (const b of buckets) {
    while (d < ranges.length && b.startMs >= ranges[d]!.endMs) d++;
    if (d >= ranges.length) break;
    const range = ranges[d]!;
    if (b.startMs < range.startMs) continue;
    const day = days[d]!;
    const q = Math.min(QUARTERS - 1, Math.floor(wallOfDay(clocks[d]!, b.startMs) / QUARTER_MS));
    day.quarters[q] = (day.quarters[q] ?? 0) + b.cost;
    day.total += b.cost;
  }
  return days;
}

/** How future days are matched to history days. */
export type DayStructure = 'flat' | 'weekpart' | 'weekday';

/** What the history shows, beyond its days: the shape the forecast follows. */
export interface HistoryShape {
  /** Same weekday (weekly jobs), weekday vs weekend, or any day. */
  structure: DayStructure;
  /** Growth of the daily level per day (0 when no clear trend). */
  trendPerDay: number;
  /** Coefficient of variation of the detrended 7-day totals (0 with fewer than two weeks). */
  weeklyVariation: number;
  /** Index of the first day after a long quiet stretch that ended (0 when there was none). */
  activeFrom: number;
  /**
   * Index of the first day of a step up, or of a step down, in the level that still runs
   * (activeFrom when none).
   */
  stepFrom: number;
  /** The step at stepFrom is a step down (a job that stopped). */
  stepDown: boolean;
  /** Days of the month (1-31) on which a batch runs every month, ascending (empty when none). */
  monthlyDays: number[];
  /** Days without spend up to now when that is a long quiet stretch still going on (else 0). */
  quietNow: number;
}

/** The group a day falls in under a structure (0 for all days under 'flat'). */
export function groupOf(structure: DayStructure, weekday: number): number {
  if (structure === 'weekday') return weekday;
  if (structure === 'weekpart') return weekday >= 6 ? 1 : 0;
  return 0;
}

/**
 * Picks the structure that explains the daily totals best for its number of groups (a BIC on the
 * within-group spread): a weekly job makes its weekday stand out, weekday-only automation splits
 * weekdays from weekends, and sporadic spend has no structure. Needs three weeks for 'weekday'.
 */
export function pickStructure(days: readonly HistoryDay[]): DayStructure {
  const n = days.length;
  if (n < 7) return 'flat';
  const mean = days.reduce((s, d) => s + d.total, 0) / n;
  if (mean <= 0) return 'flat';
  const floor = 1e-4 * mean * mean;
  const score = (structure: DayStructure, groups: number): number => {
    const sum = new Map<number, { s: number; n: number }>();
    for (const d of days) {
      const g = sum.get(groupOf(structure, d.weekday)) ?? { s: 0, n: 0 };
      g.s += d.total;
      g.n++;
      sum.set(groupOf(structure, d.weekday), g);
    }
    let ssw = 0;
    for (const d of days) {
      const g = sum.get(groupOf(structure, d.weekday))!;
      ssw += (d.total - g.s / g.n) ** 2;
    }
    return n * Math.log(ssw / n + floor) + groups * Math.log(n);
  };
  const candidates: Array<[DayStructure, number]> = [['flat', score('flat', 1)]];
  if (days.some((d) => d.weekend) && days.some((d) => !d.weekend)) candidates.push(['weekpart', score('weekpart', 2)]);
  if (n >= 21) candidates.push(['weekday', score('weekday', 7)]);
  candidates.sort((a, b) => a[1] - b[1]);
  return candidates[0]![0];
}

/**
 * The first day after the latest quiet stretch that was followed by spend, when that stretch was at
 * least `quietDays` long and three times longer than any gap between spending days before it: what
 * came before (interactive-only days, an old project) does not describe the automation running now.
 * Sporadic spend with long gaps keeps its whole history: every gap counts, the one that made a new
 * start included, so bursts that come back every few weeks are one pattern from their second gap on,
 * not a new start at each burst. A stretch after which spend comes back at its level (resumes) is a
 * pause, not a new start: its quiet days go into `paused`.
 */
export function activeStart(days: readonly HistoryDay[], quietDays: number, paused: number[] = []): number {
  let run = 0;
  let from = 0;
  let longestGap = 0;
  let seenSpend = false;
  const spent: number[] = [];
  for (let i = 0; i < days.length; i++) {
    const total = days[i]!.total;
    if (total > 0) {
      if (run >= quietDays && run >= 3 * longestGap) {
        if (resumes(spent, total)) for (let k = i - run; k < i; k++) paused.push(k);
        else {
          from = i;
          spent.length = 0;
        }
      }
      if (seenSpend) longestGap = Math.max(longestGap, run);
      seenSpend = true;
      spent.push(total);
      run = 0;
    } else run++;
  }
  return from;
}

/**
 * Whether spend after a quiet stretch is what ran before it, paused (a weekly job back from a
 * holiday): at least four spending days before, and the first day back within a factor of three
 * of their median. Such a stretch starts nothing new; the history before it still describes the job.
 */
function resumes(before: readonly number[], first: number): boolean {
  if (before.length < 4) return false;
  const sorted = [...before].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return first >= median / 3 && first <= median * 3;
}

/** What a day must spend to be far above `before` (a step's bar): `stepFactor` times its 90th percentile. */
export function stepBar(before: readonly HistoryDay[], options: PoolOptions): number {
  const sorted = before.map((d) => d.total).sort((a, b) => a - b);
  return options.stepFactor * sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))]!;
}

/**
 * The first day of the longest run of latest days that spent more than `stepFactor` times the 90th
 * percentile of the days before them, from `from` on (a new job, a new teammate's automation):
 * the days before show a level that no longer runs. The run starts with a high day and holds at
 * least `stepDays` of them; weekend days in it may stay low (a new job that runs on workdays), and
 * so may one workday in seven (a run that failed). Days before it that already ran that high for
 * `stepDays` days in a row (a batch that repeats) make it a pattern, not a step. `from` when there
 * is no such run after at least `stepBeforeDays` days.
 */
export function stepStart(days: readonly HistoryDay[], from: number, options: PoolOptions): number {
  const n = days.length;
  for (let start = from + options.stepBeforeDays; start <= n - options.stepDays; start++) {
    const before = days.slice(from, start);
    const bar = stepBar(before, options);
    const run = days.slice(start);
    if (!(run[0]!.total > bar)) continue;
    const high = run.filter((d) => d.total > bar).length;
    const workdays = run.filter((d) => !d.weekend).length;
    const lowWorkdays = run.filter((d) => !d.weekend && d.total <= bar).length;
    if (high < options.stepDays || lowWorkdays > Math.floor(workdays / 7)) continue;
    if (!holdsRun(before, (d) => d.total > bar, options.stepDays)) return start;
  }
  return from;
}

/** The 10th percentile of the days' totals (0 for none). */
function p10(days: readonly HistoryDay[]): number {
  const sorted = days.map((d) => d.total).sort((a, b) => a - b);
  return sorted[Math.floor(0.1 * sorted.length)] ?? 0;
}

/** Whether `length` days in a row of `days` are `such` (a run seen before makes a pattern, not a step). */
function holdsRun(days: readonly HistoryDay[], such: (d: HistoryDay) => boolean, length: number): boolean {
  let streak = 0;
  for (const d of days) {
    streak = such(d) ? streak + 1 : 0;
    if (streak >= length) return true;
  }
  return false;
}

/**
 * The first day of the longest run of latest days that each spent less than a third of the 10th
 * percentile of the days before them, from `from` on (a job that stopped): the days before show a
 * level that no longer runs. Compared among every day when the days before spent something every
 * day, else among workdays only (weekends of a weekday job are low anyway, and stay out); never
 * when neither spent something on nine days in ten (sporadic spend has no level to drop from). At
 * least `stepDays` such days of the kind compared, every one of them low; a run as low before (a
 * holiday that came back) makes it a pattern, not a step. `from` when there is none.
 */
export function stepDownStart(days: readonly HistoryDay[], from: number, options: PoolOptions): number {
  const n = days.length;
  for (let start = from + options.stepBeforeDays; start <= n - options.stepDays; start++) {
    const before = days.slice(from, start);
    const lowest = p10(before);
    const everyDay = lowest > 0;
    const kind = (d: HistoryDay): boolean => everyDay || !d.weekend;
    const bar = (everyDay ? lowest : p10(before.filter((d) => !d.weekend))) / options.stepFactor;
    if (!(bar > 0)) continue;
    const run = days.slice(start).filter(kind);
    if (!kind(days[start]!) || run.length < options.stepDays || run.some((d) => d.total >= bar)) continue;
    if (!holdsRun(before.filter(kind), (d) => d.total < bar, options.stepDays)) return start;
  }
  return from;
}

/**
 * Reads the shape of the pool and sets each day's sampling weight: recency decay, the current
 * cycle's days boosted, days before a long quiet stretch left out, and one-off big runs (far above
 * the other days of their group, and rare) kept at their plain 1-in-N chance. `spentToday`: what
 * today has spent so far; back after a long quiet stretch at the level the days before it had, the
 * stretch is a pause (see activeStart) from that first hour on, not spend that stopped.
 */
export function analysePool(
  days: HistoryDay[],
  options: PoolOptions,
  cycleStartMs = Infinity,
  spentToday = 0,
): HistoryShape {
  // The quiet days of a pause (spend came back at its level): kept, at the weight stale days have.
  const paused: number[] = [];
  const activeFrom = activeStart(days, options.quietDays, paused);
  let quietNow = ongoingQuiet(days, options.quietDays);
  const resumedToday =
    quietNow > 0 &&
    spentToday > 0 &&
    resumes(
      days.filter((d) => d.total > 0).map((d) => d.total),
      spentToday,
    );
  if (resumedToday) {
    for (let k = days.length - quietNow; k < days.length; k++) paused.push(k);
    quietNow = 0;
  }
  const upFrom = quietNow > 0 ? activeFrom : stepStart(days, activeFrom, options);
  const downFrom = quietNow > 0 || upFrom > activeFrom ? activeFrom : stepDownStart(days, activeFrom, options);
  const stepDown = downFrom > activeFrom;
  const stepFrom = stepDown ? downFrom : upFrom;
  const active = days.slice(stepFrom);
  const monthlyDays = markMonthly(active, options);
  const everyday = active.filter((d) => !d.monthly);
  // One-off runs among all the days do not pick the structure: one heavy Sunday in the first
  // week would make every weekend spend like it. They are told again within the structure.
  markOutliers(everyday, 'flat', options);
  const structure = pickStructure(everyday.filter((d) => !d.outlier));
  markOutliers(everyday, structure, options);
  const weeks = weekTotals(active);
  const trendPerDay = steadyTrend(active) * options.trendDamping;
  // Recent days weigh more when the last weeks show a level of their own; when they do not
  // (steady spend, or heavy days at random), more days make the steadier estimate.
  const recentFrom = everyday.at(-RECENT_DAYS)?.startMs ?? -Infinity;
  const shift = levelEvidence(everyday, recentFrom);
  const halfLife = options.steadyHalfLifeDays - (options.steadyHalfLifeDays - options.halfLifeDays) * shift;
  // A monthly batch's days keep the short half-life (the everyday days say nothing of whether
  // the batch still runs, and a month it skipped counts most), and so do the days before a step.
  const recencyOf = (day: HistoryDay): number =>
    Math.pow(0.5, day.age / (day.monthly ? options.halfLifeDays : halfLife));
  const staleRecency = (day: HistoryDay): number => Math.pow(0.5, day.age / options.halfLifeDays);
  const boost = options.cycleBoost * cycleBoostShare(everyday, cycleStartMs);
  const weightOf = (day: HistoryDay): number => recencyOf(day) * (day.startMs >= cycleStartMs ? 1 + boost : 1);
  // A one-off run weighs as an average day times its plain chance, so boosting the cycle's own
  // days does not make it rarer than it has shown itself to be.
  const meanWeight = active.reduce((s, d) => s + weightOf(d), 0) / Math.max(1, active.length);
  const oneOffWeight = (meanWeight * active.length) / (active.length + options.rarePriorDays);
  for (let i = 0; i < days.length; i++) {
    const day = days[i]!;
    if (i < activeFrom) day.weight = 0;
    else if (i < stepFrom) day.weight = staleRecency(day) * options.staleWeight;
    // A heavy day: a one-off weighs as an average day times its plain chance; a heavy day among
    // random ones at its rate over the whole history, whatever its age (by recency, a heavy day
    // yesterday would weigh three times an average one, and raise the P50 again at midnight after
    // the spend itself had); between the two by its rarity.
    else if (day.outlier || day.burst) day.weight = day.rarity * oneOffWeight + (1 - day.rarity) * meanWeight;
    else day.weight = weightOf(day);
    // Spend stopped a long while ago: what ran before may come back, but is no longer the habit.
    if (quietNow > 0 && i < days.length - quietNow) day.weight *= options.staleWeight;
  }
  // A pause says nothing of the job's days: its quiet days keep only a stale day's chance.
  for (const k of paused) if (k >= activeFrom) days[k]!.weight *= options.staleWeight;
  return {
    structure,
    trendPerDay: quietNow > 0 ? 0 : trendPerDay,
    weeklyVariation: detrendedVariation(weeks, trendPerDay),
    activeFrom,
    stepFrom,
    stepDown,
    monthlyDays,
    quietNow,
  };
}

/**
 * The days without spend up to now, when that stretch is at least `quietDays` long and three
 * times longer than any gap between spending days before it; 0 otherwise (or with no spend at all).
 */
export function ongoingQuiet(days: readonly HistoryDay[], quietDays: number): number {
  let trailing = 0;
  while (trailing < days.length && days[days.length - 1 - trailing]!.total === 0) trailing++;
  if (trailing === days.length || trailing < quietDays) return 0;
  let longestGap = 0;
  let run = 0;
  let seenSpend = false;
  for (let i = 0; i < days.length - trailing; i++) {
    if (days[i]!.total > 0) {
      if (seenSpend) longestGap = Math.max(longestGap, run);
      seenSpend = true;
      run = 0;
    } else run++;
  }
  return trailing >= 3 * longestGap ? trailing : 0;
}

/**
 * A batch that runs on the same days of every month (a monthly report, a monthly audit): days far
 * above the everyday level (`outlierFactor` times the median day) that were big on the same day of
 * the month in at least two months. They are marked `monthly`, and their days of the month are
 * returned: the forecast draws those days of the month from them, and the other days from the
 * rest. A day of the month (1-28) qualifies when it was big in two of three of the months the
 * history holds it in, and every day on it is marked (a month the batch skipped counts against
 * it). Nothing is marked when big days are common (more than one day in five: they are the level
 * or bursts), when the batch's days all fall on one weekday (a weekly batch), when the days of the
 * month found leave a third of the big days or more unexplained (bursts that met by chance), when
 * the median day spent nothing, or when more than 7 days of the month qualify.
 */
export function markMonthly(days: readonly HistoryDay[], options: PoolOptions): number[] {
  const totals = days.map((d) => d.total).sort((a, b) => a - b);
  const median = totals[Math.floor(totals.length / 2)] ?? 0;
  if (median <= 0) return [];
  const big = days.filter((d) => d.total > options.outlierFactor * median);
  if (big.length === 0 || big.length > days.length / 5) return [];
  const monthsOf = (list: readonly HistoryDay[]): Map<number, Set<string>> => {
    const out = new Map<number, Set<string>>();
    for (const d of list) {
      for (const slot of monthSlots(d.day)) {
        const months = out.get(slot) ?? new Set<string>();
        months.add(d.day.slice(0, 7));
        out.set(slot, months);
      }
    }
    return out;
  };
  // Big in at least two months, and in two of three of the months the history has that day in.
  // Days 29-31 count only as the last day of their month (monthSlots).
  const seen = monthsOf(days);
  const doms = [...monthsOf(big)]
    .filter(([dom, months]) => months.size >= 2 && months.size >= (2 / 3) * seen.get(dom)!.size)
    .map(([dom]) => dom);
  if (doms.length === 0 || doms.length > 7) return [];
  const slots = new Set(doms);
  const batch = big.filter((d) => batchSlot(d.day, slots) !== null);
  // The batch must explain most big days: in bursty spend a few bursts meet on a day by chance.
  // A batch all on one weekday is a weekly one, whose days of the month meet by chance (a Monday
  // in February is a Monday in March).
  if (batch.length < (2 / 3) * big.length || batch.every((d) => d.weekday === batch[0]!.weekday)) return [];
  // Every day on those days of the month, a month the batch skipped too: it counts against it.
  for (const d of days) if (batchSlot(d.day, slots) !== null) d.monthly = true;
  return doms.sort((a, b) => a - b);
}

/** Days around a day (either side) that a one-off run is compared with. */
const OUTLIER_WINDOW_DAYS = 28;

function markOutliers(days: HistoryDay[], structure: DayStructure, options: PoolOptions): void {
  const n = days.length;
  const nonZero = days.filter((d) => d.total > 0).length;
  const group = Int8Array.from(days, (d) => groupOf(structure, d.weekday));
  // The pool lists its days oldest first, so the days within the window of one are a run around it:
  // looked at alone (it runs once per command, before V8 optimises it, over some 100 days).
  let oldestFirst = true;
  for (let i = 1; i < n && oldestFirst; i++) oldestFirst = days[i]!.age < days[i - 1]!.age;
  const high = new Set<HistoryDay>();
  let from = 0;
  for (let i = 0; i < n; i++) {
    const d = days[i]!;
    // Compared with the nearby days of its group, so a growing level is not taken for one-offs.
    let sum = 0;
    let count = 0;
    if (oldestFirst) while (days[from]!.age - d.age > OUTLIER_WINDOW_DAYS) from++;
    for (let j = oldestFirst ? from : 0; j < n; j++) {
      const o = days[j]!;
      if (oldestFirst && d.age - o.age > OUTLIER_WINDOW_DAYS) break;
      if (j === i || Math.abs(o.age - d.age) > OUTLIER_WINDOW_DAYS || group[j] !== group[i]) continue;
      sum += o.total;
      count++;
    }
    if (nonZero >= 4 && count >= 3 && d.total > (options.outlierFactor * sum) / count) high.add(d);
  }
  // Big days seen often are the pattern (sporadic bursts), not one-offs: drawn at their rate.
  const most = Math.max(1, options.outlierShare * n);
  const rare = high.size <= most;
  // How far they weigh as one-offs: wholly up to half that many, not at all from half as many
  // again, by steps between (a history too short for two one-offs keeps the plain rule).
  const rarity = most >= 2 ? Math.max(0, Math.min(1, 1.5 - high.size / most)) : rare ? 1 : 0;
  for (const d of days) {
    const isHigh = high.has(d);
    d.outlier = rare && isHigh;
    d.burst = !rare && isHigh;
    d.rarity = isHigh ? rarity : 0;
  }
}

/** Whole days in ms, for callers sizing windows. */
export const DAY = DAY_MS;
