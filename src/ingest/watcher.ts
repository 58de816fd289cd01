/**
 * Live tailing: chokidar (native fs events, no polling) on each root's `projects` tree and its
 * history.jsonl. Every change tails only the changed files through `ingestPaths`; bursts are
 * coalesced (~50 ms) and runs never overlap.
 */
import { watch } from 'chokidar';
import { readdirSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import type { IngestDeps } from './deps.js';
import { ingestPaths } from './pipeline.js';
import { emptySummary, type IngestSummary } from './summary.js';

/** Quiet time after the last event before ingesting: Claude Code appends a response's lines in a burst. */
export const COALESCE_MS = 50;

/** When a new folder is listed again after it appeared. */
export const RECONCILE_DELAYS_MS = [250, 1500];

/** The .jsonl files under `dir` (subfolders included); an unreadable folder gives none. */
function jsonlUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

export interface RootWatcher {
  close(): Promise<void>;
}

/** A system resource file watching can run out of, by its error code. */
export type WatchLimit = 'ENOSPC' | 'EMFILE' | 'ENFILE';

/**
 * The system resource a failed watch ran out of, by its error code: inotify watches (ENOSPC, the
 * limit fs.inotify.max_user_watches sets) or file descriptors (EMFILE, ENFILE); null for other
 * errors (a folder that vanished or cannot be read, which the next catch-up reports).
 */
export function watchLimitOf(err: unknown): WatchLimit | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EMFILE' || code === 'ENFILE' ? code : null;
}

/**
 * Watches the roots (new projects, new files, appends, removals) and calls `onIngested` after each
 * ingest of changed files, with the error itself when the ingest failed. Resolves once ready.
 * When a watch cannot be set up for want of system resources, the files it would have covered
 * change unseen: `onWatchLimit` is called (once) with the resource's error code.
 */
export async function watchRoots(
  ctx: IngestDeps,
  onIngested: (s: IngestSummary, failure: unknown) => void,
  onWatchLimit?: (code: WatchLimit) => void,
): Promise<RootWatcher> {
  const roots = ctx.config.roots.map((r) => resolve(r));
  const wanted = (path: string): boolean => {
    const p = resolve(path);
    for (const root of roots) {
      if (p === root || p === `${root}${sep}projects` || p === `${root}${sep}history.jsonl`) return true;
      if (p.startsWith(`${root}${sep}projects${sep}`)) return true;
    }
    return false;
  };
  const watcher = watch(roots, {
    ignoreInitial: true,
    persistent: true,
    awaitWriteFinish: false,
    usePolling: false,
    ignored: (path, stats) => !wanted(path) || (stats?.isFile() === true && !basename(path).endsWith('.jsonl')),
  });

  const queue = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const run = async (): Promise<void> => {
    while (queue.size > 0 && !closed) {
      const paths = [...queue];
      queue.clear();
      let summary: IngestSummary;
      let failure: unknown = null;
      try {
        summary = await ingestPaths(ctx, paths);
      } catch (err) {
        // Handed over as the error itself: the caller classifies it (busy, damaged...), not its text.
        summary = emptySummary();
        failure = err;
      }
      if (!closed) onIngested(summary, failure);
    }
  };
  const schedule = (path: string): void => {
    if (!path.endsWith('.jsonl')) return;
    queue.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (running) return; // the loop in flight picks the queue up
      running = run().finally(() => {
        running = null;
        if (queue.size > 0 && !closed) schedule([...queue][0]!);
      });
    }, COALESCE_MS);
  };
  // A file written right after its new folder can land before the folder's own watch is set up
  // (it happens on a busy machine): each new folder is listed again a moment later, and once more
  // after that, and whatever .jsonl it holds is tailed (from the stored offset: never twice).
  const reconcileTimers = new Set<NodeJS.Timeout>();
  const reconcile = (dir: string): void => {
    for (const delay of RECONCILE_DELAYS_MS) {
      const t = setTimeout(() => {
        reconcileTimers.delete(t);
        if (!closed) for (const file of jsonlUnder(dir)) schedule(file);
      }, delay);
      reconcileTimers.add(t);
    }
  };
  watcher.on('add', schedule).on('change', schedule).on('unlink', schedule);
  watcher.on('addDir', (dir) => {
    if (wanted(dir)) reconcile(dir);
  });
  let limitSaid = false;
  watcher.on('error', (err) => {
    // A folder that vanished or cannot be read: the next catch-up reads or reports it. Out of
    // watches or descriptors: whatever was left unwatched must be looked at some other way.
    const limit = watchLimitOf(err);
    if (limit === null || limitSaid || closed) return;
    limitSaid = true;
    onWatchLimit?.(limit);
  });
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const t of reconcileTimers) clearTimeout(t);
      await watcher.close();
      if (running) await running;
    },
  };
}
