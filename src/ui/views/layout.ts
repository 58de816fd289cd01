/** How the dashboard's rows are shared out for a terminal size (pure, so it can be tested). */

import { RECENT_LIMIT } from '../../state/load-view.js';

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
  /** Rows the list has (wide terminals give the chart the room a short list leaves). */
  listRows?: number;
  /** Recent requests there are to show (a short list gives them the rows it leaves). */
  recentRows?: number;
  /** The forecast has a line saying what it rests on (an ended cycle's has none); true unless said. */
  basisLine?: boolean;
  /** The sparkline has a line of its own (counted in `burnLines`): the chart replacing it frees it. */
  sparkLine?: boolean;
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
  /** Wide terminals draw the daily chart under the list, beside the recent requests. */
  chartBeside: boolean;
  show: Sections;
}

/** Past 120 columns the recent requests (and the daily chart) get their own column. */
export const SPLIT_COLUMNS = 121;
/** Most recent requests shown: as many as a read of the store brings. */
export const MAX_RECENT = RECENT_LIMIT;
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
  // A list of more rows than one keeps a second line (a second row, or "+N more" under the first)
  // before the lower sections: a short pane never shows one row of several without a word.
  const second = list && (input.listRows ?? 2) > 1 && take(1);
  const notices = input.noticeLines > 0 && take(input.noticeLines);
  const apart = list && take(1);
  const basis = forecast && input.basisLine !== false && take(1);
  // From 32 rows a daily bar chart with an amount axis (title, bars, day labels); the sparkline it
  // replaces frees its line. Narrow terminals stack it above the list, which keeps at least four
  // rows; wide ones put it beside the list, above the recent requests.
  const chartBars = input.rows >= 50 ? 8 : 4;
  const wantChart = input.chart === true && burn && input.rows >= 32;
  // The line of a sparkline the chart replaces goes to the lists.
  const freed = input.sparkLine === true ? 1 : 0;
  if (input.columns >= SPLIT_COLUMNS) {
    const rowsLeft = list ? budget + 1 + (second ? 1 : 0) : 0;
    const wide = besideLayout(rowsLeft, apart, list && wantChart, input);
    const layout = wide.chartBeside && freed > 0 ? besideLayout(rowsLeft + freed, apart, true, input) : wide;
    return {
      ...layout,
      show: { gauge, forecast, basis, chart: layout.chartBeside, burn, alerts, notices, list, apart },
    };
  }
  const chart = wantChart && budget + (second ? 1 : 0) - (chartBars + 2 - freed) >= 4 && take(chartBars + 2 - freed);
  const show: Sections = { gauge, forecast, basis, chart, burn, alerts, notices, list, apart };
  // The list's title and column header are taken; one row of it (two with `second`) is in `budget` + 1.
  const rowsLeft = list ? budget + 1 + (second ? 1 : 0) : 0;
  const recentCount = list ? shareRows(rowsLeft, input) : 0;
  const listHeight = Math.max(0, rowsLeft - (recentCount > 0 ? recentCount + 1 : 0));
  return { listHeight, recentCount, split: false, chartBars, chartBeside: false, show };
}

/**
 * Past 120 columns: the list (and the chart under a short one) on the left, the recent requests in
 * a column of their own beside both. `rowsLeft` is the list's rows when it has the column alone.
 */
function besideLayout(
  rowsLeft: number,
  apart: boolean,
  wantChart: boolean,
  input: LayoutInput,
): Omit<DashboardLayout, 'show'> {
  // Lines of the body: the list's title, column header and rows, and the line under them.
  const pane = rowsLeft + 2 + (apart ? 1 : 0);
  const listLines = (rows: number): number => 2 + rows + (apart ? 1 : 0);
  // The chart (a blank line, its title, bars and day labels) goes under the list, taking the room
  // a short list leaves (4 to 8 bars, 8 to 16 from 50 rows) while the list keeps at least four
  // rows; the recent requests get the whole height of their column.
  const room = pane - listLines(Math.max(4, input.listRows ?? 0)) - 3;
  const wideBars = Math.min(input.rows >= 50 ? 16 : 8, Math.max(input.rows >= 50 ? 8 : 4, room));
  const chartBeside = wantChart && pane - listLines(4) - (wideBars + 3) >= 0;
  return {
    listHeight: Math.max(rowsLeft > 0 ? 1 : 0, rowsLeft - (chartBeside ? wideBars + 3 : 0)),
    recentCount: rowsLeft > 0 ? Math.max(0, Math.min(MAX_RECENT, pane - 1)) : 0,
    split: true,
    chartBars: wideBars,
    chartBeside,
  };
}

/**
 * The recent requests' rows when they share `rowsLeft` lines with the list above them (their
 * title line comes on top): a few (more on taller panes) while the list keeps at least 3 rows,
 * then every line a short list leaves, so the pane has no blank rows while either has more to show.
 */
function shareRows(rowsLeft: number, input: LayoutInput): number {
  // An empty list or panel still draws one line, saying it is empty; unknown lengths fill the room.
  const listNeed = Math.max(1, input.listRows ?? rowsLeft);
  const recentNeed = Math.min(MAX_RECENT, Math.max(1, input.recentRows ?? MAX_RECENT));
  const wanted = input.rows >= 40 ? 6 : input.rows >= 30 ? 4 : 3;
  let share = Math.max(0, Math.min(wanted, recentNeed, rowsLeft - 3 - 1));
  // A list one row short of whole shows one row less and a "+N more" line: one recent request's
  // row shows it whole instead (4 models in 4 rows, not 2 and "+2 more"), while 2 recent stay.
  if (share > 2 && listNeed - (rowsLeft - share - 1) === 1) share--;
  // What the list leaves, less the title line when the panel was not drawn yet.
  const left = rowsLeft - listNeed - (share > 0 ? share + 1 : 1);
  return Math.max(share, Math.min(recentNeed, share + left));
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
