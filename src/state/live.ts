/**
 * Keeps the app store live: the initial catch-up (with progress), then the watcher, whose
 * ingests ask for a throttled refresh. Nothing runs between file changes.
 */
import type { IngestDeps } from '../ingest/deps.js';
import {
  catchUp,
  isTooLongWarning,
  noProjectsWarning,
  projectsBackNotice,
  type CatchUpOptions,
} from '../ingest/pipeline.js';
import { watchRoots } from '../ingest/watcher.js';
import { countOf } from '../domain/format.js';
import { watchLimitNotice } from '../ingest/poll.js';
import { watchStore } from '../ingest/store-watch.js';
import { emptySummary, type IngestSummary } from '../ingest/summary.js';
import type { Discovery } from '../ingest/roots.js';
import type { DashboardStore } from './app-store.js';
import { BUSY_FIRST_DELAY_MS, busyNotice, describeFailure, isBusyError, retryWhileBusy } from './busy.js';
import type { CatchUpProgress } from './types.js';

/** What the live view needs from the app: ingest's dependencies and where the store file is. */
export type LiveDeps = IngestDeps & { config: IngestDeps['config'] & { dbPath: string } };

export interface LiveHandle {
  /** The catch-up's summary (files found, requests added...). */
  summary: IngestSummary;
  /** Reads the logs again now (after the classes changed: the stored rows are reclassified). */
  readAgain(): void;
  close(): Promise<void>;
}

/** Progress updates reach the store at most this often. */
const PROGRESS_EVERY_MS = 100;

/**
 * While a folder under the roots cannot be read, a catch-up looks at it again this often: the
 * watcher could not watch it, so nothing else would tell when it opens (a `chmod`, a remount).
 */
export const CLOSED_FOLDER_RETRY_MS = 10_000;

export interface LiveOptions {
  /** The watcher (tests give one that watches elsewhere). */
  watch?: typeof watchRoots;
  pollMs?: number;
  /** Files beside the store whose replacement changes the view (the status line's Claude Code figures). */
  sideFiles?: readonly string[];
  /** How often folders that could not be read are looked at again (default CLOSED_FOLDER_RETRY_MS). */
  closedRetryMs?: number;
}

/** The lead of a failed live read's notice, which stays until a read succeeds again. */
const INGEST_FAILED = 'Live ingest failed: ';
/** Said when a read succeeds after a failed one. */
const INGEST_BACK = 'Live ingest reads the logs again.';

/** Said once the folders that could not be read can be. */
export const FOLDERS_OPEN_AGAIN =
  'The folders that could not be read can be read again: their transcripts are read and watched.';

/** An ingest's warnings as one notice: the first, and how many more there are (null: none). */
function warningNotice(warned: readonly string[]): string | null {
  if (warned.length === 0) return null;
  return warned.length === 1
    ? warned[0]!
    : `${warned[0]!} (+${countOf(warned.length - 1, 'more warning')}: creditmeter ingest lists them)`;
}

/** True when an ingest changed what the dashboard shows. */
export function changedData(s: IngestSummary): boolean {
  return s.requestsAdded > 0 || s.duplicatesReplaced > 0;
}

/**
 * Catches up on everything new under the roots, then watches them. Resolves once watching;
 * `close()` stops the watcher and the clock. A busy database (another process writing) shows a
 * notice and is retried with growing delays; errors of a live ingest become a notice, never a crash.
 */
export async function startLive(ctx: LiveDeps, store: DashboardStore, options: LiveOptions = {}): Promise<LiveHandle> {
  const actions = store.getState().actions;
  let closed = false;
  /** Folders the last catch-up could not read. */
  let closedFolders = 0;
  /** Roots without a projects folder, as the first catch-up and then the watcher saw them. */
  let emptyRoots: readonly string[] | null = null;
  const knownEmpty = (): readonly string[] => emptyRoots ?? [];
  /** A catch-up of the live view: it notes the folders it could not read. */
  const catchUpNoting = (more: CatchUpOptions = {}): Promise<IngestSummary> =>
    catchUp(ctx, {
      ...more,
      onDiscovered: (found: Discovery) => {
        closedFolders = found.unreadableDirs.length;
        emptyRoots ??= found.emptyRoots;
      },
    });
  // A failed live ingest stays said until a read succeeds again (a damaged store fails every read:
  // a notice that went away would leave "● live" over figures that no longer change). The store's
  // readsFailing is whether it is said now.
  const sayFailure = (err: unknown): void => {
    actions.setReadsFailing(true);
    actions.showNotice(`${INGEST_FAILED}${describeFailure(err)}`, true);
  };
  const sayRecovered = (): void => {
    if (!store.getState().readsFailing) return;
    actions.setReadsFailing(false);
    if (store.getState().notice?.startsWith(INGEST_FAILED)) actions.showNotice(INGEST_BACK);
  };
  /** Runs an ingest until the database lets it through; null once the dashboard closed meanwhile. */
  const ingest = async (what: string, task: () => Promise<IngestSummary>): Promise<IngestSummary | null> => {
    const out = await retryWhileBusy(task, {
      what,
      onBusy: (text) => actions.setBusy('ingest', text),
      stopped: () => closed,
    });
    actions.setBusy('ingest', null);
    if (out !== null) sayRecovered();
    return out;
  };
  let lastProgress = 0;
  const start: CatchUpProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 };
  actions.setCatchUp(start);
  let first: IngestSummary | null;
  try {
    first = await ingest('reading the logs', () =>
      catchUpNoting({
        onProgress(p) {
          // Progress means the database let this attempt through: the busy notice is stale.
          actions.setBusy('ingest', null);
          const t = performance.now();
          if (t - lastProgress < PROGRESS_EVERY_MS && p.filesDone < p.filesTotal) return;
          lastProgress = t;
          actions.setCatchUp({ ...p });
          actions.requestRefresh();
        },
      }),
    );
  } finally {
    actions.setCatchUp(null);
  }
  const summary = first ?? emptySummary();
  actions.refresh();
  // What the catch-up could not read (a closed folder, a file without permission), as the
  // commands warn: one sticky notice, the first warning and how many more there are.
  const warning = warningNotice(summary.warnings);
  if (warning !== null) actions.showNotice(warning, true);
  /** Warnings said already: a folder that stays closed is not said again at every later read. */
  const said = new Set(summary.warnings);
  if (summary.files === 0) actions.setNoTranscripts([...ctx.config.roots]);

  /** The sticky notice that names the roots without a projects folder, while it is shown. */
  let emptyNotice = knownEmpty().length > 0 ? warning : null;
  actions.setMissingRoots(knownEmpty().length);
  /**
   * A root or its projects folder went (or came back) while watched: said as the catch-up says it
   * of one missing at the start, and kept on screen until it is back; then said that it is.
   */
  const onEmptyRoots = (empty: string[]): void => {
    const back = knownEmpty().filter((r) => !empty.includes(r));
    emptyRoots = empty;
    actions.setMissingRoots(empty.length);
    // The catch-up after the change warns of the same roots: not said again as a passing notice.
    for (const r of empty) said.add(noProjectsWarning(r));
    for (const r of back) said.delete(noProjectsWarning(r));
    const shown = store.getState().notice;
    if (empty.length > 0) {
      emptyNotice = warningNotice(empty.map(noProjectsWarning));
      actions.showNotice(emptyNotice!, true);
    } else {
      if (emptyNotice !== null && shown === emptyNotice && back[0] !== undefined)
        actions.showNotice(projectsBackNotice(back[0]));
      emptyNotice = null;
    }
  };

  // A failed live ingest dropped its changed paths: a catch-up reads them from the stored offsets.
  let recovering = false;
  /** A look at closed folders under way (one catch-up at a time: it or a recovery). */
  let retrying = false;
  let looking: Promise<void> | null = null;
  /** Reads asked for after the settings changed (readAgain), still under way. */
  let rereading: Promise<void> = Promise.resolve();
  const recover = (): void => {
    if (recovering || retrying || closed) return;
    recovering = true;
    ingest('reading the logs', () => catchUpNoting())
      .then(
        (s) => {
          if (s && changedData(s)) actions.requestRefresh();
        },
        (err: unknown) => sayFailure(err),
      )
      .finally(() => {
        recovering = false;
      });
  };
  const startWatcher = (): ReturnType<typeof watchRoots> =>
    (options.watch ?? watchRoots)(
      ctx,
      (s, failure) => {
        if (changedData(s)) actions.requestRefresh();
        if (s.filesRead > 0 && store.getState().noTranscripts) actions.setNoTranscripts(null);
        // What a live read skipped (a line over the size limit) is said as the catch-up's is, each
        // time (such a line may be a request not counted), and stays on screen until another
        // notice; a condition that lasts (a closed folder) is said once.
        const fresh = s.warnings.filter((w) => isTooLongWarning(w) || !said.has(w));
        for (const w of fresh) said.add(w);
        const skipped = warningNotice(fresh);
        if (skipped !== null) actions.showNotice(skipped, fresh.some(isTooLongWarning));
        if (failure === null) return sayRecovered();
        if (isBusyError(failure)) actions.setBusy('ingest', busyNotice('reading the logs', BUSY_FIRST_DELAY_MS));
        else sayFailure(failure);
        // A pause first: the notice gets drawn before the next attempt may wait on the lock again.
        setTimeout(recover, BUSY_FIRST_DELAY_MS);
      },
      {
        ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
        onEmptyRoots,
        // Out of watches or descriptors: said once, and the interval the logs are read at instead.
        onPolling: (code, ms) => {
          if (store.getState().pollEveryMs === null) actions.showNotice(watchLimitNotice(code), true);
          actions.setPolling(ms);
        },
      },
    );
  let watcher = await startWatcher();
  // Lines appended between the catch-up and the watcher's start are read here.
  const gap = await ingest('reading the logs', () => catchUpNoting());
  if (gap && changedData(gap)) actions.requestRefresh();
  if (gap && gap.files > 0) actions.setNoTranscripts(null);
  // Commits of other processes (a `serve` receiving telemetry, an ingest) refresh the view too.
  const storeWatch =
    ctx.config.dbPath === ':memory:'
      ? null
      : watchStore(ctx.db, ctx.config.dbPath, () => actions.requestRefresh(), options.sideFiles ?? []);
  actions.setWatching(true);
  const stopClock = actions.startClock();
  // A folder that could not be read is not watched: look at it again until it can be, then read
  // it, say so, and watch it from then on.
  const lookAgain = (): void => {
    if (retrying || recovering || closed) return;
    retrying = true;
    looking = ingest('reading the logs', () => catchUpNoting())
      .then(async (s) => {
        if (s && changedData(s)) actions.requestRefresh();
        if (closedFolders > 0 || closed) return;
        clearInterval(retry);
        if (warning !== null && store.getState().notice === warning) actions.showNotice(FOLDERS_OPEN_AGAIN);
        await watcher.close();
        if (closed) return;
        watcher = await startWatcher();
        if (closed) return void (await watcher.close());
        // Lines appended while the watcher was replaced.
        const after = await ingest('reading the logs', () => catchUpNoting());
        if (after && changedData(after)) actions.requestRefresh();
      })
      .catch((err: unknown) => sayFailure(err))
      .finally(() => {
        retrying = false;
        looking = null;
      });
  };
  const retry = closedFolders > 0 ? setInterval(lookAgain, options.closedRetryMs ?? CLOSED_FOLDER_RETRY_MS) : undefined;
  retry?.unref();
  return {
    summary,
    readAgain() {
      if (closed) return;
      const run = ingest('reading the logs', () => catchUpNoting()).then(
        () => actions.requestRefresh(),
        (err: unknown) => sayFailure(err),
      );
      // Ended before the store it writes to is closed (close() waits for it).
      rereading = Promise.all([rereading, run]).then(() => undefined);
    },
    async close() {
      closed = true;
      clearInterval(retry);
      // A look under way ends before the store it writes to is closed.
      await looking;
      await rereading;
      storeWatch?.close();
      stopClock();
      actions.setWatching(false);
      await watcher.close();
    },
  };
}
