/** How the dashboard's rows are shared out for a terminal size (pure, so it can be tested). */

export interface LayoutInput {
  columns: number;
  rows: number;
  alertLines: number;
  noticeLines: number;
  /** Burn and sparkline need a second line at this width. */
  burnLines: number;
}

export interface DashboardLayout {
  /** Rows of the per-group list (its title, column header and "apart" line not included). */
  listHeight: number;
  recentCount: number;
  /** Wide terminals put the recent requests beside the list instead of under it. */
  split: boolean;
}

/** From this width the recent requests get their own column. */
export const SPLIT_COLUMNS = 150;
/** Most recent requests shown (the store keeps this many). */
export const MAX_RECENT = 20;

/** Fixed lines: header 2, gauge 2, forecast 2, list title + column header + apart line 3, footer 1. */
const FIXED = 2 + 2 + 2 + 3 + 1;

/**
 * Splits what is left of the screen between the list and the recent requests; the whole frame
 * stays one line shorter than the terminal so Ink never has to clear the screen to redraw it.
 */
export function dashboardLayout(input: LayoutInput): DashboardLayout {
  const budget = input.rows - 1 - FIXED - input.alertLines - input.noticeLines - input.burnLines;
  if (input.columns >= SPLIT_COLUMNS) {
    const listHeight = Math.max(1, budget);
    // Beside the list: its title, column header and rows, and the line under them.
    return { listHeight, recentCount: Math.min(MAX_RECENT, listHeight + 2), split: true };
  }
  const recentWanted = input.rows >= 40 ? 6 : input.rows >= 30 ? 4 : 3;
  // The list keeps at least 3 rows; recent requests take the rest, with their title line.
  const recentCount = Math.max(0, Math.min(recentWanted, budget - 3 - 1));
  const listHeight = Math.max(1, budget - (recentCount > 0 ? recentCount + 1 : 0));
  return { listHeight, recentCount, split: false };
}
