/**
 * `ingest`'s snapshot: what a catch-up that finds nothing new prints, kept beside the store with
 * what it depends on (the settings, the price tables, the store's files, the stat of every folder
 * and transcript it rested on). While all of that is unchanged, `ingest` prints it again without opening
 * the database (commands/ingest-fast.ts). It is written only by a run that found nothing new and
 * during which no process wrote to the store, so it never stands for data it did not see. `status`
 * and `report` skip their catch-up on it the same way (app/caught-up.ts).
 */
import bundledJson from '../domain/bundled-prices.json' with { type: 'json' };
import type { ResolvedConfig } from './config.js';
import type { IngestSummary } from '../ingest/summary.js';
import type { Coverage } from '../store/coverage.js';
import { fileStamp, readSideFile, replaceFile, storeStamp } from '../store/side-files.js';
import { appVersion } from './version.js';
import { digest64 } from '../domain/digest.js';
import { isWatchList, recheckWatchList, type WatchList } from '../ingest/watch-list.js';

export interface IngestSnapshot {
  v: 2;
  key: string;
  /** The store's files (size and mtime of the database and its WAL) when it was taken. */
  stamp: string;
  /** The folders and files the run rested on, with their stats (ingest/watch-list.ts). */
  watch: WatchList;
  summary: IngestSummary;
  store: Coverage;
}

/** The snapshot file of a store; null for an in-memory store. */
export function ingestSnapshotPath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}-ingest.json`;
}

/** The digest of the bundled price table: a constant of the binary (scripts/bundle.mjs defines it). */
declare const CREDITMETER_BUNDLED_PRICES_DIGEST: string | undefined;

/** The bundled price table's digest; computed here where the sources run unbundled (tests). */
export function bundledPricesDigest(): string {
  return typeof CREDITMETER_BUNDLED_PRICES_DIGEST === 'string'
    ? CREDITMETER_BUNDLED_PRICES_DIGEST
    : digest64(JSON.stringify(bundledJson));
}

/** Everything the printed summary depends on besides the store and the transcripts. */
export function ingestSnapshotKey(config: ResolvedConfig): string {
  const bundled = bundledPricesDigest();
  return JSON.stringify([config, fileStamp(config.pricesPath), bundled, appVersion()]);
}

/** The kept snapshot, when it is there, whole and of this key; else null. */
export function readIngestSnapshot(config: ResolvedConfig): IngestSnapshot | null {
  const path = ingestSnapshotPath(config.dbPath);
  if (path === null) return null;
  try {
    const v = JSON.parse(readSideFile(path)) as Partial<IngestSnapshot>;
    if (
      v.v !== 2 ||
      typeof v.stamp !== 'string' ||
      !isWatchList(v.watch) ||
      typeof v.summary !== 'object' ||
      v.summary === null ||
      typeof v.store !== 'object' ||
      v.store === null ||
      v.key !== ingestSnapshotKey(config)
    )
      return null;
    return v as IngestSnapshot;
  } catch {
    return null;
  }
}

/**
 * Keeps the summary of a run that found nothing new, when the store's files are as they were
 * before the run opened it (`stampBefore`): then no other process wrote while it ran.
 */
export function keepIngestSnapshot(
  config: ResolvedConfig,
  stampBefore: string,
  watch: WatchList,
  summary: IngestSummary,
  store: Coverage,
): void {
  const path = ingestSnapshotPath(config.dbPath);
  if (path === null || storeStamp(config.dbPath) !== stampBefore) return;
  const snapshot: IngestSnapshot = {
    v: 2,
    key: ingestSnapshotKey(config),
    stamp: stampBefore,
    watch,
    summary: { ...summary, durationMs: 0 },
    store,
  };
  try {
    replaceFile(path, JSON.stringify(snapshot));
  } catch {
    // A read-only data folder only costs speed.
  }
}

/**
 * The kept snapshot when the store's files are still `stamp` (as the snapshot saw them) and every
 * folder and file it rested on stats as it did (nothing new to read); else null, and the catch-up
 * that follows lists and stats anew.
 */
export function unchangedSnapshot(config: ResolvedConfig, stamp: string): IngestSnapshot | null {
  if (config.roots.length === 0) return null;
  const snapshot = readIngestSnapshot(config);
  if (snapshot === null || snapshot.stamp !== stamp) return null;
  const watch = recheckWatchList(snapshot.watch);
  if (watch === null) return null;
  if (watch !== snapshot.watch) {
    // Folders listed again each time have been quiet long enough: from now on their stat will do.
    const path = ingestSnapshotPath(config.dbPath);
    try {
      if (path !== null) replaceFile(path, JSON.stringify({ ...snapshot, watch }));
    } catch {
      // A read-only data folder only costs speed.
    }
  }
  return snapshot;
}
