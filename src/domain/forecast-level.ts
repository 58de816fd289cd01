/**
 * The level of a day pool over time: its weekly totals and whether they follow a steady growth
 * (a damped trend), and whether its latest days show a level of their own (which sets how much
 * recent days and the cycle's own days weigh, forecast-history.ts analysePool).
 */

/** What the level rules read of a history day (forecast-history.ts HistoryDay). */
export interface LevelDay {
  startMs: number;
  total: number;
  /** A one-off run (left out of every level). */
  outlier: boolean;
  /** A day of a monthly batch (left out of every level). */
  monthly: boolean;
}

/** 7-day totals ending at the newest day, oldest first. */
export function weekTotals(days: readonly LevelDay[]): number[] {
  const weeks: number[] = [];
  for (let end = days.length; end - 7 >= 0; end -= 7)
    weeks.unshift(days.slice(end - 7, end).reduce((s, d) => s + (d.outlier || d.monthly ? 0 : d.total), 0));
  return weeks;
}

/**
 * Growth per day of the level, from a least-squares line through the log of the last weeks'
 * totals, as far as the line is a good account of them: 0 unless at least six weeks all had spend.
 * The gates are slopes, not steps (`lineShare`): on a history near a gate, a step would switch the
 * growth on and off from one day to the next, and the forecast and a `--fail-at` guard with it.
 */
export function weeklyTrend(weeks: readonly number[], maxWeeks = 8): number {
  const ys = weeks.slice(-maxWeeks).map((w) => Math.log(w));
  const n = ys.length;
  if (n < 6 || ys.some((y) => !Number.isFinite(y))) return 0;
  const xm = (n - 1) / 2;
  const ym = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (i - xm) ** 2;
    sxy += (i - xm) * (ys[i]! - ym);
  }
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - ym - slope * (i - xm)) ** 2;
  const sst = ys.reduce((s, y) => s + (y - ym) ** 2, 0);
  if (sst <= 0) return 0;
  const share = lineShare(1 - sse / sst, sse / Math.max(1e-12, bestStepError(ys)));
  return share === 0 ? 0 : Math.max(-0.05, Math.min(0.05, (share * slope) / 7));
}

/**
 * How much of a fitted line's growth is followed, from 0 to 1:
 * - by how much of the weeks' spread the line explains (`r2`): a steady climb explains nearly all
 *   of it, noise does not; none below 0.6, all from 0.8;
 * - by how its error compares with the best account of the weeks as one change of level
 *   (`stepRatio`): a job that doubled halfway also fits a line well (R² about 0.76), and is left to
 *   the step rules and the recency weighting; all when the line's error is under the step's,
 *   none from 1.75 times it.
 */
export function lineShare(r2: number, stepRatio: number): number {
  const clamp = (x: number): number => Math.max(0, Math.min(1, x));
  return clamp((r2 - 0.6) / 0.2) * clamp((1.75 - stepRatio) / 0.75);
}

/**
 * weeklyTrend, averaged over the seven ways of cutting the days into weeks (ending at the newest
 * day, the one before, ...): which days make a week changes every day, and with it, by chance,
 * how well a line fits; the average follows the history, not the calendar.
 */
export function steadyTrend(days: readonly LevelDay[], maxWeeks = 8): number {
  let sum = 0;
  for (let k = 0; k < 7; k++) sum += weeklyTrend(weekTotals(days.slice(0, days.length - k)), maxWeeks);
  return sum / 7;
}

/** The least squared error of `ys` as two levels, before and after one change (at any point). */
function bestStepError(ys: readonly number[]): number {
  const errorOf = (part: readonly number[]): number => {
    const mean = part.reduce((s, y) => s + y, 0) / part.length;
    return part.reduce((s, y) => s + (y - mean) ** 2, 0);
  };
  let best = Infinity;
  for (let k = 1; k < ys.length; k++) best = Math.min(best, errorOf(ys.slice(0, k)) + errorOf(ys.slice(k)));
  return best;
}

/** Coefficient of variation of week totals after removing a growth of `trendPerDay`. */
export function detrendedVariation(weeks: readonly number[], trendPerDay: number): number {
  if (weeks.length < 2) return 0;
  const adj = weeks.map((w, i) => w * Math.exp(-trendPerDay * 7 * (i - (weeks.length - 1))));
  const mean = adj.reduce((s, w) => s + w, 0) / adj.length;
  if (mean <= 0) return 0;
  const variance = adj.reduce((s, w) => s + (w - mean) ** 2, 0) / (adj.length - 1);
  return Math.sqrt(variance) / mean;
}

/** The latest days whose level is compared with the days before them (see levelEvidence). */
export const RECENT_DAYS = 28;

/**
 * How far the days from `fromMs` on show a level of their own, from 0 to 1: the difference between
 * their mean and the mean of the days before, in standard errors of the everyday days' spread
 * (0 at two standard errors or less, what chance gives 95% of the time; 1 at three or more).
 * One-off runs and a monthly batch's days are left out. Heavy days at random make one more heavy day no evidence of a new level; a steady
 * climb or a quieter month is. 1 when either side has no day (nothing to compare).
 */
export function levelEvidence(days: readonly LevelDay[], fromMs: number): number {
  const everyday = days.filter((d) => !d.outlier && !d.monthly);
  const after = everyday.filter((d) => d.startMs >= fromMs);
  const before = everyday.filter((d) => d.startMs < fromMs);
  if (after.length === 0 || before.length === 0) return 1;
  const meanOf = (list: readonly LevelDay[]): number => list.reduce((s, d) => s + d.total, 0) / list.length;
  const mean = meanOf(everyday);
  const variance = everyday.reduce((s, d) => s + (d.total - mean) ** 2, 0) / Math.max(1, everyday.length - 1);
  const se = Math.sqrt(variance * (1 / after.length + 1 / before.length));
  if (se <= 0) return meanOf(after) === meanOf(before) ? 0 : 1;
  const t = Math.abs(meanOf(after) - meanOf(before)) / se;
  return Math.min(1, Math.max(0, t - 2));
}

/**
 * How much of the cycle boost the cycle's own days get, 0 to 1. A cycle that spends less than the
 * days before gets it whole: a job that stopped shows there first. One that spends more gets it
 * only as far as that is beyond chance (levelEvidence): one heavy day among random ones is no new
 * level, and would raise the P50 by several times its own spend (and trip a guard) if it counted
 * three times. The two mistakes are not alike: a projection too low is corrected by the spend
 * itself, which counts whole as it comes; one too high stops jobs.
 */
export function cycleBoostShare(days: readonly LevelDay[], cycleStartMs: number): number {
  const everyday = days.filter((d) => !d.outlier && !d.monthly);
  const meanOf = (list: readonly LevelDay[]): number => list.reduce((s, d) => s + d.total, 0) / list.length;
  const inCycle = everyday.filter((d) => d.startMs >= cycleStartMs);
  const before = everyday.filter((d) => d.startMs < cycleStartMs);
  if (inCycle.length === 0 || before.length === 0 || meanOf(inCycle) <= meanOf(before)) return 1;
  return levelEvidence(days, cycleStartMs);
}
