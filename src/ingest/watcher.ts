/**
 * Live tailing: chokidar (native fs events, no polling) on each root's `projects` tree and its
 * history.jsonl, one watcher per root. Every change tails only the changed files through
 * `ingestPaths`; bursts are coalesced (~50 ms) and runs never overlap. A root folder that is
 * removed, made again or replaced is seen from the folder above it (root-watch.ts): its watcher is
 * set up anew and the roots are caught up. Out of watches or descriptors, files left without a
 * watch would change unseen: the roots are then caught up every few seconds as well (poll.ts).
 */
import { watch, type FSWatcher } from 'chokidar';
import { readdirSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import type { IngestDeps } from './deps.js';
import { catchUp, ingestPaths } from './pipeline.js';
import { POLL_MS, startPolling, type Poller } from './poll.js';
import { watchRootFolder, type RootFolderWatch } from './root-watch.js';
import { isFolder } from '../store/folders.js';
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

export interface WatchOptions {
  /**
   * Called when a watch could not be set up for want of system resources and the roots are caught
   * up every `everyMs` instead (again whenever that interval changes).
   */
  onPolling?: (code: WatchLimit, everyMs: number) => void;
  /** The shortest interval of those catch-ups (default POLL_MS). */
  pollMs?: number;
  /** chokidar's `watch` (tests give one whose watcher reports an error). */
  chokidarWatch?: typeof watch;
  /**
   * Called when the roots without a `projects` folder (removed with it or with the root, or not
   * made yet) are no longer those of the last call (at the start: those there were then), with
   * the roots that have none now.
   */
  onEmptyRoots?: (roots: string[]) => void;
}

/**
 * Watches the roots (new projects, new files, appends, removals) and calls `onIngested` after each
 * ingest of changed files (or each catch-up, when watching ran out of resources), with the error
 * itself when it failed. Resolves once ready.
 */
export async function watchRoots(
  ctx: IngestDeps,
  onIngested: (s: IngestSummary, failure: unknown) => void,
  options: WatchOptions = {},
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
  const watchOptions = {
    ignoreInitial: true,
    persistent: true,
    awaitWriteFinish: false,
    usePolling: false,
    ignored: (path: string, stats?: { isFile(): boolean }) =>
      !wanted(path) || (stats?.isFile() === true && !basename(path).endsWith('.jsonl')),
  };
  const queue = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const report = async (task: () => Promise<IngestSummary>): Promise<void> => {
    let summary: IngestSummary;
    let failure: unknown = null;
    try {
      summary = await task();
    } catch (err) {
      // Handed over as the error itself: the caller classifies it (busy, damaged...), not its text.
      summary = emptySummary();
      failure = err;
    }
    if (!closed) onIngested(summary, failure);
  };
  const run = async (): Promise<void> => {
    while (queue.size > 0 && !closed) {
      const paths = [...queue];
      queue.clear();
      await report(() => ingestPaths(ctx, paths));
    }
  };
  /** Runs `task` as the one run in flight; changes queued meanwhile are read after it. */
  const runAlone = (task: () => Promise<void>): Promise<void> =>
    (running = task().finally(() => {
      running = null;
      if (queue.size > 0 && !closed) schedule([...queue][0]!);
    }));
  const schedule = (path: string): void => {
    if (!path.endsWith('.jsonl')) return;
    queue.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (running) return; // the run in flight picks the queue up
      void runAlone(run);
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
  // Out of watches or descriptors: whatever was left unwatched is read by a catch-up every few
  // seconds, one run at a time with the watcher's own.
  let poller: Poller | null = null;
  const check = async (): Promise<void> => {
    while (running) await running;
    if (!closed) await runAlone(() => report(() => catchUp(ctx)));
  };
  const onError = (err: unknown): void => {
    // A folder that vanished or cannot be read: the next catch-up reads or reports it.
    const limit = watchLimitOf(err);
    if (limit === null || poller !== null || closed) return;
    poller = startPolling(check, options.pollMs ?? POLL_MS, (ms) => options.onPolling?.(limit, ms));
  };
  const emptyNow = (): string[] => roots.filter((r) => !isFolder(join(r, 'projects')));
  let empty = emptyNow().join('\0');
  /** Tells `onEmptyRoots` when the roots without a projects folder changed. */
  const noteEmpty = (): void => {
    if (closed) return;
    const now = emptyNow();
    if (now.join('\0') === empty) return;
    empty = now.join('\0');
    options.onEmptyRoots?.(now);
  };
  /** Watches one root; resolves once its watcher is ready. */
  const watchRoot = async (root: string): Promise<FSWatcher> => {
    const w = (options.chokidarWatch ?? watch)(root, watchOptions);
    w.on('add', schedule).on('change', schedule).on('unlink', schedule);
    w.on('addDir', (dir) => {
      if (!wanted(dir)) return;
      reconcile(dir);
      if (resolve(dir) === join(root, 'projects')) noteEmpty();
    });
    w.on('unlinkDir', (dir) => {
      if (resolve(dir) === join(root, 'projects')) noteEmpty();
    });
    w.on('error', onError);
    await new Promise<void>((ready) => w.once('ready', () => ready()));
    return w;
  };
  const watchers = new Map<string, FSWatcher>();
  /** Changes of a root's own watcher, one at a time per root (the first watch included). */
  const placing = new Map<string, Promise<void>>();
  const inTurn = (root: string, task: () => Promise<void>): Promise<void> => {
    const next = (placing.get(root) ?? Promise.resolve()).then(task).catch(onError);
    placing.set(root, next);
    void next.finally(() => {
      if (placing.get(root) === next) placing.delete(root);
    });
    return next;
  };
  /**
   * The root's folder came, went or was replaced: its old watcher (if any) watched a folder that
   * is gone, so it is closed and, while the root is there, a new one watches it. A catch-up then
   * reads what the new folder holds and marks what went with the old one as gone.
   */
  const replant = async (root: string): Promise<void> => {
    const there = isFolder(root);
    const old = watchers.get(root);
    watchers.delete(root);
    await old?.close();
    if (closed) return;
    if (there) {
      const w = await watchRoot(root);
      if (closed) return void (await w.close());
      watchers.set(root, w);
    }
    noteEmpty();
    await check();
  };
  const folderWatches: RootFolderWatch[] = roots.map((root) =>
    watchRootFolder(root, () => void inTurn(root, () => replant(root)), onError),
  );
  await Promise.all(
    roots.map((root) =>
      inTurn(root, async () => {
        if (isFolder(root)) watchers.set(root, await watchRoot(root));
      }),
    ),
  );
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const t of reconcileTimers) clearTimeout(t);
      for (const f of folderWatches) f.close();
      await poller?.stop();
      await Promise.all([...placing.values()]);
      await Promise.all([...watchers.values()].map((w) => w.close()));
      if (running) await running;
    },
  };
}
