/**
 * Keeps the app store live: the initial catch-up (with progress), then the watcher, whose
 * ingests ask for a throttled refresh. Nothing runs between file changes.
 */
import type { AppContext } from '../app/context.js';
import { catchUp } from '../ingest/pipeline.js';
import { watchRoots } from '../ingest/watcher.js';
import type { IngestSummary } from '../ingest/summary.js';
import type { DashboardStore } from './app-store.js';
import type { CatchUpProgress } from './types.js';

export interface LiveHandle {
  /** The catch-up's summary (files found, requests added...). */
  summary: IngestSummary;
  close(): Promise<void>;
}

/** Progress updates reach the store at most this often. */
const PROGRESS_EVERY_MS = 100;

/** True when an ingest changed what the dashboard shows. */
export function changedData(s: IngestSummary): boolean {
  return s.requestsAdded > 0 || s.duplicatesReplaced > 0;
}

/**
 * Catches up on everything new under the roots, then watches them. Resolves once watching;
 * `close()` stops the watcher and the clock. Errors of a live ingest become a notice, never a crash.
 */
export async function startLive(ctx: AppContext, store: DashboardStore): Promise<LiveHandle> {
  const actions = store.getState().actions;
  let lastProgress = 0;
  const start: CatchUpProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 };
  actions.setCatchUp(start);
  let summary: IngestSummary;
  try {
    summary = await catchUp(ctx, {
      onProgress(p) {
        const t = performance.now();
        if (t - lastProgress < PROGRESS_EVERY_MS && p.filesDone < p.filesTotal) return;
        lastProgress = t;
        actions.setCatchUp({ ...p });
        actions.requestRefresh();
      },
    });
  } finally {
    actions.setCatchUp(null);
  }
  actions.refresh();
  if (summary.files === 0) actions.setNoTranscripts(ctx.config.roots);

  const watcher = await watchRoots(ctx, (s) => {
    if (changedData(s)) actions.requestRefresh();
    if (s.filesRead > 0 && store.getState().noTranscripts) actions.setNoTranscripts(null);
    const failed = s.warnings.find((w) => w.startsWith('Live ingest failed'));
    if (failed) store.setState({ notice: failed });
  });
  // Lines appended between the catch-up and the watcher's start are read here.
  const gap = await catchUp(ctx);
  if (changedData(gap)) actions.requestRefresh();
  if (gap.files > 0) actions.setNoTranscripts(null);
  actions.setWatching(true);
  const stopClock = actions.startClock();
  return {
    summary,
    async close() {
      stopClock();
      actions.setWatching(false);
      await watcher.close();
    },
  };
}
