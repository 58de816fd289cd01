/**
 * Figures Claude Code itself computes and hands to the status-line hook on stdin, which
 * creditmeter cannot derive from the logs: the session's own cost and the subscription's
 * 5-hour and 7-day rate-limit windows. Recorded as they arrive; shown with their age.
 */

/** One official rate-limit window as last reported. */
export interface OfficialWindow {
  /** 0-100, as Claude Code reports it. */
  usedPercentage: number;
  /** When the window resets (epoch ms), when reported. */
  resetsAt: number | null;
}

/** The newest official figures known to the store, and when they were seen (epoch ms). */
export interface OfficialLimits {
  fiveHour: OfficialWindow | null;
  sevenDay: OfficialWindow | null;
  seenAt: number;
}
