/**
 * A busy database (another creditmeter process writing, a long report) is a pause, not a failure:
 * the live view recognises SQLite's BUSY / LOCKED errors, says so in one line and tries again
 * with a growing delay, never giving up while the dashboard is open.
 */

/** First retry delay; each next one doubles up to `BUSY_MAX_DELAY_MS`. */
export const BUSY_FIRST_DELAY_MS = 250;
export const BUSY_MAX_DELAY_MS = 4000;

import { describeSqliteError, isBusyError } from '../store/database.js';

export { isBusyError };

/** One sentence for a failed ingest or read: the store's own wording for SQLite errors, else the message. */
export function describeFailure(err: unknown): string {
  return describeSqliteError(err) ?? (err instanceof Error ? err.message : String(err));
}

/** The delay before retry number `attempt` (0-based): 250 ms, 500 ms, 1 s, 2 s, 4 s, 4 s... */
export function busyDelayMs(attempt: number): number {
  return Math.min(BUSY_MAX_DELAY_MS, BUSY_FIRST_DELAY_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
}

/** The one-line notice shown while the database is busy. */
export function busyNotice(what: string, delayMs: number): string {
  return `Database busy (another creditmeter process is writing): ${what} again in ${formatDelay(delayMs)}.`;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

export interface BusyRetryOptions {
  /** What is being retried, for the notice ("reading the logs", "refreshing"). */
  what: string;
  /** Called before each wait with the notice to show. */
  onBusy(notice: string): void;
  /** Stops retrying (resolves with null) once true, e.g. after the dashboard closed. */
  stopped?: () => boolean;
  wait?: (ms: number) => Promise<void>;
}

const defaultWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `task` until it settles without a busy error; other errors pass through. Resolves with
 * the task's result, or null when `stopped()` turned true while waiting.
 */
export async function retryWhileBusy<T>(task: () => Promise<T> | T, options: BusyRetryOptions): Promise<T | null> {
  const wait = options.wait ?? defaultWait;
  for (let attempt = 0; ; attempt++) {
    if (options.stopped?.()) return null;
    try {
      return await task();
    } catch (err) {
      if (!isBusyError(err)) throw err;
      const delay = busyDelayMs(attempt);
      options.onBusy(busyNotice(options.what, delay));
      await wait(delay);
    }
  }
}
