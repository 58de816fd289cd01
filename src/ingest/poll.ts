/**
 * Checks run again and again, for when watching the logs failed for want of system resources
 * (watcher.ts, watchLimitOf): files left without a watch change unseen, so the watcher catches up
 * every few seconds instead (from the stored offsets, never twice). Nothing runs between checks.
 */

import type { WatchLimit } from './watcher.js';

/** How often the logs are checked, at the least. */
export const POLL_MS = 2_000;
/** A check may take at most this share of the time: a large tree is checked less often. */
const POLL_SHARE = 0.05;

export interface Poller {
  /** Stops the checks; resolves once a check in flight has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `check` `everyMs` after the start, then again `everyMs` (or longer, see POLL_SHARE, in
 * whole seconds) after each one ends; `onInterval` hears each new interval. `check` must not
 * throw (a failure is its own to report).
 */
export function startPolling(
  check: () => Promise<void>,
  everyMs: number,
  onInterval: (ms: number) => void = () => {},
): Poller {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let interval = everyMs;
  const run = async (): Promise<void> => {
    const started = performance.now();
    await check();
    if (stopped) return;
    const next = Math.ceil(Math.max(everyMs, (performance.now() - started) / POLL_SHARE) / 1000) * 1000;
    if (next !== interval) onInterval((interval = next));
    timer = setTimeout(() => {
      running = run();
    }, interval);
  };
  onInterval(interval);
  timer = setTimeout(() => {
    running = run();
  }, interval);
  return {
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}

/** Why the logs are checked every few seconds instead of watched, and how to get watching back. */
export function watchLimitNotice(code: WatchLimit): string {
  const what =
    code === 'ENOSPC'
      ? 'The system limit of file watches is reached (fs.inotify.max_user_watches)'
      : `Too many open files to watch every transcript (${code})`;
  const fix = code === 'ENOSPC' ? 'sudo sysctl fs.inotify.max_user_watches=524288' : 'a higher ulimit -n';
  return `${what}: new lines are read every few seconds instead of at once. To watch again, restart with ${fix}.`;
}
