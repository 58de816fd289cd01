/**
 * `ingest`'s snapshot: what a catch-up that finds nothing new prints, kept beside the store with
 * what it depends on (the settings, the price tables, the store's files, the fingerprint of every
 * transcript's stat). While all of that is unchanged, `ingest` prints it again without opening
 * the database (commands/ingest-fast.ts). It is written only by a run that found nothing new and
 * during which no process wrote to the store, so it never stands for data it did not see. `status`
 * and `report` skip their catch-up on it the same way (app/caught-up.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import bundledJson from '../domain/bundled-prices.json' with { type: 'json' };
import type { ResolvedConfig } from './config.js';
import type { IngestSummary } from '../ingest/summary.js';
import type { Coverage } from '../store/coverage.js';
import { fileStamp, replaceFile, storeStamp } from '../store/side-files.js';
import { appVersion } from './version.js';
import { digest64 } from '../domain/digest.js';
import { dirCachePath } from '../ingest/dir-cache.js';
import { catchUpFingerprint } from '../ingest/fingerprint.js';
import { handDiscovery } from '../ingest/handoff.js';
import { statFile } from '../ingest/plan.js';
import { discoverFiles } from '../ingest/roots.js';

export interface IngestSnapshot {
  v: 1;
  key: string;
  /** The store's files (size and mtime of the database and its WAL) when it was taken. */
  stamp: string;
  /** The catch-up fingerprint of the transcripts (ingest/fingerprint.ts). */
  fingerprint: string;
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
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<IngestSnapshot>;
    if (
      v.v !== 1 ||
      typeof v.stamp !== 'string' ||
      typeof v.fingerprint !== 'string' ||
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
  fingerprint: string,
  summary: IngestSummary,
  store: Coverage,
): void {
  const path = ingestSnapshotPath(config.dbPath);
  if (path === null || storeStamp(config.dbPath) !== stampBefore) return;
  const snapshot: IngestSnapshot = {
    v: 1,
    key: ingestSnapshotKey(config),
    stamp: stampBefore,
    fingerprint,
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
 * transcript's stat is as it was (nothing new to read); else null. When it listed and stat'ed the
 * transcripts and found a change, it leaves that listing and those stats to the catch-up that
 * follows in this process (ingest/handoff.ts), so the run still stats each file once.
 */
export function unchangedSnapshot(config: ResolvedConfig, stamp: string): IngestSnapshot | null {
  if (config.roots.length === 0) return null;
  const snapshot = readIngestSnapshot(config);
  if (snapshot === null || snapshot.stamp !== stamp) return null;
  const cachePath = dirCachePath(config.dbPath);
  const found = discoverFiles(config.roots, cachePath);
  // A warning to give: the catch-up gives it.
  if (found.emptyRoots.length > 0 || found.unreadable > 0) return null;
  const stats = found.files.map((f) => statFile(f.path));
  const roots = config.roots.map((r) => resolve(r));
  if (catchUpFingerprint(roots, found.files, stats) === snapshot.fingerprint) return snapshot;
  handDiscovery(config.roots, cachePath, found, stats);
  return null;
}
