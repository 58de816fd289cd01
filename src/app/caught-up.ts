/**
 * The store opened and caught up with the transcripts, as `ingest`, `status` and `report` need it.
 * When the store's files and every transcript are as the last nothing-new catch-up saw them (its
 * snapshot, app/ingest-snapshot.ts), there is nothing to read: the catch-up is skipped, and the run
 * spends only the `stat` of each folder and file it rests on (ingest/watch-list.ts). A catch-up that finds
 * nothing new keeps that snapshot for the next run, whichever of the commands ran it.
 */
import { resolveConfig, type GlobalFlags } from './config.js';
import { openApp, type AppContext } from './context.js';
import { keepIngestSnapshot, unchangedSnapshot } from './ingest-snapshot.js';
import { catchUp, type IngestProgress } from '../ingest/pipeline.js';
import type { WatchList } from '../ingest/watch-list.js';
import type { IngestSummary } from '../ingest/summary.js';
import { coverage } from '../store/coverage.js';
import { storeStamp } from '../store/side-files.js';

export interface CaughtUp {
  ctx: AppContext;
  summary: IngestSummary;
  /**
   * The store's stamp from before it was opened when this run wrote nothing to it (nothing new,
   * nothing repriced): what it reads is what that stamp stands for, unless another process writes.
   * Null when the run wrote.
   */
  untouchedStamp: string | null;
  /** Closes the store, then keeps the snapshot when the catch-up found nothing new. */
  close(): void;
}

export interface CaughtUpOptions {
  onProgress?: (p: IngestProgress) => void;
  /** Catch up without asking the snapshot first (`ingest`, whose short way already asked it). */
  alwaysCatchUp?: boolean;
}

/** A monotonic clock in ms (the first use of `performance` loads a module: 1.5 ms here). */
const clockMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Opens the store of `flags` and catches it up (or skips that when nothing is new). */
export async function openCaughtUp(
  flags: GlobalFlags & { rebuild?: boolean },
  options: CaughtUpOptions = {},
): Promise<CaughtUp> {
  const started = clockMs();
  const config = resolveConfig(flags);
  // The store's files before it is opened: a snapshot is kept only if nobody wrote meanwhile.
  const stampBefore = storeStamp(config.dbPath);
  const unchanged = flags.rebuild || options.alwaysCatchUp ? null : unchangedSnapshot(config, stampBefore);
  const ctx = openApp(flags, { config });
  let kept: Parameters<typeof keepIngestSnapshot> | null = null;
  let summary: IngestSummary;
  let untouched = unchanged !== null;
  try {
    if (unchanged !== null) summary = { ...unchanged.summary, durationMs: clockMs() - started };
    else {
      let watch: WatchList | null = null;
      summary = await catchUp(ctx, {
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        onUnchanged: (w) => {
          watch = w;
        },
      });
      if (watch !== null) {
        kept = [ctx.config, stampBefore, watch, summary, coverage(ctx.db)];
        untouched = true;
      }
    }
  } catch (err) {
    ctx.close();
    throw err;
  }
  return {
    ctx,
    summary,
    untouchedStamp: untouched && ctx.repricedOnOpen === 0 ? stampBefore : null,
    close: () => {
      ctx.close();
      // Nothing new: the next run may skip its catch-up (and `ingest` need not open the store).
      if (kept !== null) keepIngestSnapshot(...kept);
    },
  };
}
