/**
 * `ingest`'s snapshot: what a catch-up that finds nothing new prints, kept beside the store with
 * what it depends on (the settings, the price tables, the store's files, the stat of every folder
 * and transcript it rested on). While all of that is unchanged, `ingest` prints it again without opening
 * the database (commands/ingest-fast.ts). It is written only by a run that found nothing new and
 * during which no process wrote to the store, so it never stands for data it did not see. `status`
 * and `report` skip their catch-up on it the same way (app/caught-up.ts).
 */
import { isAscii } from 'node:buffer';
import { readFileSync, rmSync } from 'node:fs';
import bundledJson from '../domain/bundled-prices.json' with { type: 'json' };
import type { ResolvedConfig } from './config.js';
import type { IngestSummary } from '../ingest/summary.js';
import type { Coverage } from '../store/coverage.js';
import { fileStamp, replaceFile, storeStamp } from '../store/side-files.js';
import { appVersion } from './version.js';
import { digest64 } from '../domain/digest.js';
import { isWatchList, recheckWatchList, type WatchList } from '../ingest/watch-list.js';

export interface IngestSnapshot {
  v: 3;
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
  return dbPath === ':memory:' ? null : `${dbPath}-ingest.snapshot`;
}

const MAGIC = 'CMS2';
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * The snapshot as one file: `CMS2`, the length of a JSON header (32 bits), the header (everything
 * but the watch list's paths and numbers), then from the next multiple of 8 the numbers as 64-bit
 * floats (little-endian) and the paths (UTF-8, NUL between them). Read back, the numbers are a view
 * of the file's bytes and the paths one string: parsing 13,000 numbers and 450 KB of escaped text
 * as JSON took ~10 ms of every `status` on a tree of 2,700 files.
 */
export function encodeSnapshot(snapshot: IngestSnapshot): Buffer {
  const { watch, ...rest } = snapshot;
  const header = Buffer.from(
    JSON.stringify({
      ...rest,
      watch: { dirs: watch.dirs, racy: watch.racy, listings: watch.listings, count: watch.nums.length },
    }),
    'utf8',
  );
  const numsAt = Math.ceil((8 + header.length) / 8) * 8;
  const paths = Buffer.from(watch.paths, 'utf8');
  const out = Buffer.alloc(numsAt + watch.nums.length * 8 + paths.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  for (let i = 0; i < watch.nums.length; i++) out.writeDoubleLE(watch.nums[i]!, numsAt + i * 8);
  paths.copy(out, numsAt + watch.nums.length * 8);
  return out;
}

/** A snapshot file's content in the shape encodeSnapshot wrote it; null when it is not one. */
export function decodeSnapshot(buf: Buffer): Partial<IngestSnapshot> | null {
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== MAGIC) return null;
  const headerEnd = 8 + buf.readUInt32LE(4);
  if (headerEnd > buf.length) return null;
  const head = JSON.parse(buf.toString('utf8', 8, headerEnd)) as Partial<IngestSnapshot> & {
    watch?: { dirs?: unknown; racy?: unknown; listings?: unknown; count?: unknown };
  };
  const count = head.watch?.count;
  const numsAt = Math.ceil(headerEnd / 8) * 8;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || numsAt + count * 8 > buf.length)
    return null;
  let nums: Float64Array;
  if (LITTLE_ENDIAN && (buf.byteOffset + numsAt) % 8 === 0)
    nums = new Float64Array(buf.buffer, buf.byteOffset + numsAt, count);
  else {
    nums = new Float64Array(count);
    for (let i = 0; i < count; i++) nums[i] = buf.readDoubleLE(numsAt + i * 8);
  }
  const pathBytes = buf.subarray(numsAt + count * 8);
  const paths = isAscii(pathBytes) ? pathBytes.toString('latin1') : pathBytes.toString('utf8');
  const { dirs, racy, listings } = head.watch as WatchList;
  return { ...head, watch: { paths, dirs, nums, racy, listings } };
}

/** The digest of the bundled price table: a constant of the binary (scripts/bundle.mjs defines it). */
declare const CREDITMETER_BUNDLED_PRICES_DIGEST: string | undefined;

/** The bundled price table's digest; computed here where the sources run unbundled (tests). */
export function bundledPricesDigest(): string {
  return typeof CREDITMETER_BUNDLED_PRICES_DIGEST === 'string'
    ? CREDITMETER_BUNDLED_PRICES_DIGEST
    : digest64(JSON.stringify(bundledJson));
}

/**
 * Everything the printed summary and the catch-up depend on besides the store and the
 * transcripts: the roots, the store, the prices and the classes. Not the plan, its zone or where
 * exports go: `status --tz X` or `--plan Y` between two runs does not make the next one read
 * everything again (each such run rewrote the snapshot for its own settings).
 */
export function ingestSnapshotKey(config: ResolvedConfig): string {
  const bundled = bundledPricesDigest();
  const { roots, dbPath, pricesPath, classes } = config;
  return JSON.stringify([{ roots, dbPath, pricesPath, classes }, fileStamp(pricesPath), bundled, appVersion()]);
}

/** The kept snapshot, when it is there, whole and of this key; else null. */
export function readIngestSnapshot(config: ResolvedConfig): IngestSnapshot | null {
  const path = ingestSnapshotPath(config.dbPath);
  if (path === null) return null;
  try {
    const v = decodeSnapshot(readFileSync(path));
    if (
      v === null ||
      v.v !== 3 ||
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
    v: 3,
    key: ingestSnapshotKey(config),
    stamp: stampBefore,
    watch,
    summary: { ...summary, durationMs: 0 },
    store,
  };
  try {
    replaceFile(path, encodeSnapshot(snapshot));
    // The JSON snapshot of earlier versions, which nothing reads any more.
    rmSync(`${config.dbPath}-ingest.json`, { force: true });
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
      if (path !== null) replaceFile(path, encodeSnapshot({ ...snapshot, watch }));
    } catch {
      // A read-only data folder only costs speed.
    }
  }
  return snapshot;
}
