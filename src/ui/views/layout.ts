/** How the dashboard's rows are shared out for a terminal size (pure, so it can be tested). */

export interface LayoutInput {
  columns: number;
  rows: number;
  alertLines: number;
  /** Lines of the demo / no-transcripts notices (dropped before the list at small heights). */
  noticeLines: number;
  /** Lines above the keys that always stay: the busy notice, the export path, the `/` prompt. */
  footerLines: number;
  /** Burn and sparkline need a second line at this width. */
  burnLines: number;
  /** There is daily spend to chart (a tall terminal then gets a bar chart instead of the sparkline). */
  chart?: boolean;
}

/** Which optional sections are drawn (the header and the key line always are). */
export interface Sections {
  gauge: boolean;
  forecast: boolean;
  /** The line under the forecast saying what it rests on. */
  basis: boolean;
  /** The daily bar chart (tall terminals); the burn line then drops its sparkline. */
  chart: boolean;
  burn: boolean;
  alerts: boolean;
  notices: boolean;
  /** The list's title, column header and at least one row. */
  list: boolean;
  /** The "interactive / unknown: not charged" line under the list. */
  apart: boolean;
}

export interface DashboardLayout {
  /** Rows of the per-group list (its title, column header and "apart" line not included). */
  listHeight: number;
  recentCount: number;
  /** Wide terminals put the recent requests beside the list instead of under it. */
  split: boolean;
  /** Bar rows of the daily chart (when shown). */
  chartBars: number;
  show: Sections;
}

/** From this width the recent requests get their own column. */
export const SPLIT_COLUMNS = 150;
/** Most recent requests shown (the store keeps this many). */
export const MAX_RECENT = 20;
/** Header lines: never dropped. */
export const HEADER_LINES = 2;

/**
 * Fits the frame one line under the terminal height (so Ink never scrolls or clears to redraw):
 * the header always, the keys line next, then sections by importance; what does not fit is
 * dropped from the bottom of that order (recent requests first, the gauge last).
 */
export function dashboardLayout(input: LayoutInput): DashboardLayout {
  let budget = input.rows - 1 - HEADER_LINES - 1 - input.footerLines;
  const take = (lines: number): boolean => {
    if (lines > budget) return false;
    budget -= lines;
    return true;
  };
  // Order of importance, most important first; each section is shown only if it fits whole.
  const gauge = take(2);
  const list = take(3);
  const alerts = input.alertLines > 0 && take(input.alertLines);
  const forecast = take(2);
  const burn = take(input.burnLines);
  const notices = input.noticeLines > 0 && take(input.noticeLines);
  const apart = list && take(1);
  const basis = forecast && take(1);
  // From 32 rows a daily bar chart with an amount axis (title, bars, day labels), while the list
  // keeps at least four rows; the sparkline it replaces frees its line.
  const chartBars = input.rows >= 50 ? 8 : 4;
  const chart =
    input.chart === true && burn && input.rows >= 32 && budget - (chartBars + 2) >= 4 && take(chartBars + 2);
  const show: Sections = { gauge, forecast, basis, chart, burn, alerts, notices, list, apart };
  // The list's title and column header are taken; one row of it is in `budget` + 1.
  const rowsLeft = list ? budget + 1 : 0;
  if (input.columns >= SPLIT_COLUMNS) {
    // Beside the list: its title, column header and rows, and the line under them.
    return {
      listHeight: Math.max(list ? 1 : 0, rowsLeft),
      recentCount: list ? Math.min(MAX_RECENT, rowsLeft + 2) : 0,
      split: true,
      chartBars,
      show,
    };
  }
  const recentWanted = input.rows >= 40 ? 6 : input.rows >= 30 ? 4 : 3;
  // The list keeps at least 3 rows; recent requests take the rest, with their title line.
  const recentCount = Math.max(0, Math.min(recentWanted, rowsLeft - 3 - 1));
  const listHeight = Math.max(0, rowsLeft - (recentCount > 0 ? recentCount + 1 : 0));
  return { listHeight, recentCount, split: false, chartBars, show };
}

export interface DrillLayout {
  breadcrumb: boolean;
  totals: boolean;
  /** Rows of the list (its column header not included); 0 hides the list. */
  height: number;
}

/** The drill-down's share of the rows: header, keys, breadcrumb, list, totals (dropped in that order's reverse). */
export function drillLayout(rows: number, footerLines: number): DrillLayout {
  let budget = rows - 1 - HEADER_LINES - 1 - footerLines;
  const take = (lines: number): boolean => {
    if (lines > budget) return false;
    budget -= lines;
    return true;
  };
  const breadcrumb = take(1);
  const list = take(2);
  const totals = take(1);
  return { breadcrumb, totals, height: list ? budget + 1 : 0 };
}
