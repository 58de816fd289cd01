/**
 * The batch pipeline: discover files under the roots, plan what is new per file, read it (worker
 * threads for a large cold read), then write de-duplicated, classified, priced rows in batches.
 */
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { IngestDeps } from './deps.js';
import { priceRequest } from '../domain/pricing.js';
import { countOf } from '../domain/format.js';
import { CLASS_MAPPING_META, classMappingKey } from '../domain/classify.js';
import { getMeta, setMeta, writeTransaction } from '../store/database.js';
import { tightenHeapGrowth } from './heap-growth.js';
import { RequestWriter } from '../store/request-writer.js';
import { unpricedModels } from '../store/coverage.js';
import { filesAggregate, type FileRow } from '../store/file-state.js';
import { catchUpFingerprint } from './fingerprint.js';
import { watchListOf, type WatchList } from './watch-list.js';
import { dirCachePath } from './dir-cache.js';
import { discoverFiles, placeInRoots, sessionFromPath, type Discovery, type FoundFile } from './roots.js';
import { headHash, HEAD_BYTES, planFile, sampleHash, statFile, unchanged, type FileStat } from './plan.js';
import type { PathStat } from '../store/path-stat.js';
import { readHistory } from './history.js';
import { FAILED_READ_SIZE, readTasks, type ReadJob } from './read-jobs.js';
import { ScanPool, WORKER_THRESHOLD_BYTES } from './worker-pool.js';
import { addSkips, emptySummary, type IngestSummary } from './summary.js';
import { MAX_LINE_BYTES } from './scan.js';

export interface IngestProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface CatchUpOptions {
  onProgress?: (p: IngestProgress) => void;
  /**
   * Called when the catch-up found exactly the files and stats of the last complete one (nothing
   * to read) and gave no warning, with what it rested on (ingest/watch-list.ts): `ingest`,
   * `status` and `report` keep their snapshot then.
   */
  onUnchanged?: (watch: WatchList) => void;
  /** Called with what the listing found (a live view looks again at folders it could not read). */
  onDiscovered?: (found: Discovery) => void;
}

/** Reads everything new under `ctx.config.roots` into `ctx.db`, priced with `ctx.prices`. */
export async function catchUp(ctx: IngestDeps, options: CatchUpOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const cachePath = dirCachePath(ctx.config.dbPath);
  // A store that knows no file yet is about to read everything: its scan worker starts now, so
  // its start-up (longer than listing and planning) runs beside the listing. It ends unused when
  // the logs turn out too small for it.
  const early = storeKnowsNoFile(ctx) ? ScanPool.start() : null;
  let found: Discovery;
  let summary: IngestSummary;
  let unchangedStats: (PathStat | null)[] | null = null;
  try {
    found = discoverFiles(ctx.config.roots, cachePath);
    options.onDiscovered?.(found);
    summary = await ingestFound(ctx, found.files, {
      missingUnder: ctx.config.roots.map((r) => resolve(r)),
      closed: found.unreadableDirs,
      pool: early,
      onProgress: options.onProgress,
      onUnchanged: (stats) => {
        unchangedStats = stats;
      },
    });
  } finally {
    // Whatever way the catch-up ended, no thread it started outlives it.
    early?.close();
  }
  const warnings: string[] = [];
  if (ctx.config.roots.length === 0)
    warnings.push('No Claude config folder found (~/.claude, ~/.config/claude): pass --claude-dir DIR.');
  for (const r of found.emptyRoots) warnings.push(noProjectsWarning(r));
  if (found.unreadableDirs.length > 0) {
    warnings.push(
      `${countOf(found.unreadableDirs.length, 'folder')} could not be read (e.g. ${found.unreadableDirs[0]}); their transcripts were skipped.`,
    );
  }
  summary.warnings.unshift(...warnings);
  if (unchangedStats !== null && summary.warnings.length === 0 && options.onUnchanged !== undefined)
    options.onUnchanged(watchListOf(found, unchangedStats));
  summary.durationMs = performance.now() - started;
  return summary;
}

/**
 * What is said of a root without a projects folder (not made yet, or removed with it or with the
 * root): by a catch-up, and by the live view and `serve` when it goes while they watch.
 */
export function noProjectsWarning(root: string): string {
  // The projects folder itself given as the root: its parent is the Claude config folder.
  return basename(resolve(root)) === 'projects'
    ? `${root} has no projects folder: nothing to read there. It is one itself: pass the folder that holds it, --claude-dir ${dirname(resolve(root))}.`
    : `${root} has no projects folder: nothing to read there.`;
}

/** What the live view and `serve` say when a root's projects folder is there (again, or for the first time). */
export function projectsBackNotice(root: string): string {
  return `${join(resolve(root), 'projects')} is there now: its transcripts are read and watched.`;
}

/** Tails only these files (watcher, statusline); a path that no longer exists is marked missing. */
export async function ingestPaths(ctx: IngestDeps, paths: string[]): Promise<IngestSummary> {
  const started = performance.now();
  const files: FoundFile[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const placed = placeInRoots(given, ctx.config.roots);
    if (placed === null || !placed.path.endsWith('.jsonl') || seen.has(placed.path)) continue;
    const { path: p, root } = placed;
    seen.add(p);
    const kind = basename(p) === 'history.jsonl' && dirname(p) === root ? 'history' : 'transcript';
    files.push({ path: p, root, kind });
  }
  const summary = await ingestFound(ctx, files, {
    missingUnder: null,
    pool: null,
    onProgress: undefined,
    onUnchanged: undefined,
  });
  summary.durationMs = performance.now() - started;
  return summary;
}

/** New bytes from which a read counts as a bulk load (deferred index builds, no fsync meanwhile). */
const BULK_BYTES = 64 * 1024 * 1024;
/**
 * Transcript bytes per request, on the generous side (the dense generated tree has 8.7 KB, the
 * other 23 KB): a large read's requests are guessed from its bytes (RequestWriter.beginBulk).
 */
const BYTES_PER_REQUEST = 8 * 1024;

interface RunOptions {
  /** Known files under these roots that were not found are marked missing (catch-up only). */
  missingUnder: string[] | null;
  /** Folders that could not be read: the known files under them are not marked missing. */
  closed?: readonly string[];
  /** The scan worker the caller started already (it ends it too, whatever way the run ends). */
  pool: ScanPool | null;
  onProgress: ((p: IngestProgress) => void) | undefined;
  /** With the stats of `found` when the run found nothing to read (a catch-up's short way). */
  onUnchanged: ((stats: (PathStat | null)[]) => void) | undefined;
}

async function ingestFound(ctx: IngestDeps, found: FoundFile[], run: RunOptions): Promise<IngestSummary> {
  const summary = emptySummary();
  const writer = new RequestWriter(ctx.db, {
    classes: ctx.config.classes,
    priceVersion: ctx.prices.version,
    price: (r) =>
      priceRequest(ctx.prices, {
        model: r.model,
        ts: r.ts,
        usage: r.usage,
        speed: r.speed,
        inferenceGeo: r.inferenceGeo,
      }),
  });
  // Rows reclassified for a new mapping are a change to the store, though no file changed.
  const remapped = applyClassMapping(ctx, writer);
  // One stat per file per run, taken before anything is planned.
  const stats = found.map((f) => statFile(f.path));
  // A catch-up that finds exactly the files, and stats, of the last complete one on a store whose
  // file bookkeeping has not changed since has nothing to read: it skips loading every file row.
  const fingerprint = run.missingUnder !== null ? catchUpFingerprint(run.missingUnder, found, stats) : null;
  const remembered = fingerprint === null ? null : getMeta(ctx.db, FINGERPRINT_KEY);
  // The table's aggregate is read only when the files and stats match.
  if (
    fingerprint !== null &&
    remembered?.startsWith(`${fingerprint} `) === true &&
    remembered === `${fingerprint} ${filesAggregate(ctx.db)}`
  ) {
    summary.files = stats.reduce((n, st) => (st === null ? n : n + 1), 0);
    summary.unpriced = unpricedModels(ctx.db);
    if (!remapped) run.onUnchanged?.(stats);
    return summary;
  }
  // A catch-up needs every known row (to mark files gone); a tail of a few paths looks up only those,
  // so its cost does not grow with the number of files the store knows.
  const known = run.missingUnder !== null ? writer.files.all() : knownRows(writer, found);
  // A read large enough for the scan worker starts it before it is planned (its start-up takes
  // longer than the planning), or as soon as planning finds it that large.
  let pool: ScanPool | null =
    run.pool ?? (newBytesAtLeast(known, found, stats) >= WORKER_THRESHOLD_BYTES ? ScanPool.start() : null);
  let planned = 0;
  const onPlanned = (bytes: number): void => {
    planned += bytes;
    if (pool === null && planned >= WORKER_THRESHOLD_BYTES) pool = ScanPool.start();
  };
  let touchedSessions: Set<string>;
  // Files with lines too long to read, named in the warning (the first few).
  const longLines = new Set<string>();
  try {
    // One transaction for the bookkeeping of every file (new rows, touched stats, missing marks).
    const plan = writeTransaction(ctx.db, () => planAll(writer, known, found, stats, run, summary, onPlanned));
    touchedSessions = plan.touchedSessions;
    const newBytes = plan.jobs.reduce((n, j) => n + j.stat.size - j.start, 0);
    const bulk = newBytes >= BULK_BYTES;
    const untighten = bulk ? tightenHeapGrowth() : null;
    if (bulk) writer.beginBulk(newBytes / BYTES_PER_REQUEST);
    try {
      await readJobs(writer, plan.jobs, run, summary, pool, longLines);
    } finally {
      if (bulk) writer.endBulk();
      untighten?.();
    }
  } finally {
    // Normally ended by the read already; a failure before it must not leave threads running.
    pool?.close();
  }
  if (touchedSessions.size > 0) writer.reclassifySessions(touchedSessions);
  // Said by every command, not only in ingest's counts: a request on such a line is not counted.
  const tooLong = summary.skipped['line-too-long'] ?? 0;
  if (tooLong > 0) {
    const files = [...longLines];
    const named = files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ');
    summary.warnings.push(
      `${countOf(tooLong, 'line')} over ${MAX_LINE_BYTES / 1024 / 1024} MiB ${tooLong === 1 ? 'was' : 'were'} skipped${named === '' ? '' : ` (in ${named})`}${TOO_LONG_END}`,
    );
  }
  summary.unpriced = unpricedModels(ctx.db);
  // Remembered only when every file was read as planned (nothing unreadable, no read failed) and
  // every folder was listed: files under a closed one are not in the fingerprint, and a run that
  // took its short way would not mark them gone once the folder is deleted.
  if (fingerprint !== null) {
    const whole = summary.warnings.length === 0 && (run.closed?.length ?? 0) === 0;
    const value = whole ? `${fingerprint} ${filesAggregate(ctx.db)}` : '';
    if (remembered !== value) setMeta(ctx.db, FINGERPRINT_KEY, value);
  }
  return summary;
}

const FINGERPRINT_KEY = 'catch_up_fingerprint';

const TOO_LONG_END = '; a request on such a line, if it held one, is not counted.';

/**
 * Whether a warning is the one of lines a read skipped as too long: news at every read that has it
 * (each may be a request not counted), where other warnings stand for a lasting condition.
 */
export function isTooLongWarning(warning: string): boolean {
  return warning.endsWith(TOO_LONG_END);
}

/** Whether the store has no file row at all (its first catch-up). */
function storeKnowsNoFile(ctx: IngestDeps): boolean {
  return ctx.db.prepare('SELECT NOT EXISTS (SELECT 1 FROM files) AS e').pluck().get() === 1;
}

/**
 * The bytes past each changed file's stored offset, from the stats alone: a lower bound of what
 * the plan reads, give or take an unterminated last line (a replaced file is read from 0).
 */
function newBytesAtLeast(known: Map<string, FileRow>, found: FoundFile[], stats: (FileStat | null)[]): number {
  let bytes = 0;
  for (let i = 0; i < found.length; i++) {
    const stat = stats[i];
    if (stat === null || stat === undefined) continue;
    const row = known.get(found[i]!.path);
    if (row === undefined) bytes += stat.size;
    else if (!unchanged(row, stat)) bytes += Math.max(0, stat.size - row.offset);
  }
  return bytes;
}

function readJobs(
  writer: RequestWriter,
  jobs: ReadJob[],
  run: RunOptions,
  summary: IngestSummary,
  pool: ScanPool | null,
  longLines: Set<string>,
): Promise<void> {
  return readTasks(
    jobs,
    {
      onProgress: run.onProgress,
      write: (batches) => {
        const out = writer.writeBatch(batches);
        summary.requestsAdded += out.added;
        summary.duplicatesReplaced += out.replaced;
        summary.duplicatesDropped += out.dropped;
        if (out.newestTs !== null && (summary.newestRequestTs === null || out.newestTs > summary.newestRequestTs)) {
          summary.newestRequestTs = out.newestTs;
        }
        for (const b of batches) {
          if (b.file === null) continue;
          // A file whose read failed is named in a warning, not counted as read.
          if (b.file.size !== FAILED_READ_SIZE) summary.filesRead++;
          summary.lines += b.file.lines;
          summary.noIdLines += b.file.noIdLines;
          addSkips(summary.skipped, b.file.skips);
        }
      },
      onBytes: (n) => {
        summary.bytesRead += n;
      },
      onError: (path, message) => summary.warnings.push(`Could not read ${path}: ${message}.`),
      onLongLines: (path) => longLines.add(path),
    },
    pool,
  );
}

function planAll(
  writer: RequestWriter,
  known: Map<string, FileRow>,
  found: FoundFile[],
  stats: (FileStat | null)[],
  run: RunOptions,
  summary: IngestSummary,
  onPlanned: (bytes: number) => void,
): { jobs: ReadJob[]; touchedSessions: Set<string> } {
  const jobs: ReadJob[] = [];
  const touchedSessions = new Set<string>();
  const present = new Set<string>();
  let unreadable = 0;
  /** The first of them, named in the warning. */
  let firstUnreadable = '';
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    const stat = stats[i] ?? null;
    let row = known.get(f.path) ?? writer.files.ensure(f.path, f.root, f.kind);
    if (stat === null) {
      // A file deleted meanwhile is simply gone (its rows stay); one still there, or one this user
      // may not look at (a folder on its path without search permission), could not be read: the
      // latter is not gone, only unseen.
      const why = whyNoStat(f.path);
      if (why !== 'gone' && unreadable++ === 0) firstUnreadable = f.path;
      if (why === 'closed') present.add(f.path);
      else if (!row.missing && known.has(f.path)) writer.files.markMissing(row.id, true);
      continue;
    }
    summary.files++;
    present.add(f.path);
    if (unchanged(row, stat)) continue;
    if (row.brief) row = writer.files.find(f.path) ?? row;
    const plan = planFile(f.path, row, stat);
    if (plan.action === 'skip') continue;
    if (plan.action === 'read' && plan.reset) writer.resetFile(row.id);
    if (plan.action === 'touch') touch(writer, row, stat);
    else if (f.kind === 'history') {
      for (const s of readHistoryFile(writer, row, plan.stat, plan.start, summary)) touchedSessions.add(s);
    } else {
      jobs.push({
        row,
        stat: plan.stat,
        start: plan.start,
        reset: plan.reset,
        sessionFromPath: sessionFromPath(f.path),
      });
      onPlanned(plan.stat.size - plan.start);
    }
  }
  if (run.missingUnder) markMissing(writer, known, present, run.missingUnder, run.closed ?? []);
  if (unreadable > 0)
    summary.warnings.push(
      `${countOf(unreadable, 'file')} could not be read (e.g. ${firstUnreadable}); their stored requests are kept.`,
    );
  return { jobs, touchedSessions };
}

/**
 * Reclassifies stored rows when the entrypoint -> class mapping changed since the last run; whether
 * it wrote (the mapping, and any rows).
 */
function applyClassMapping(ctx: IngestDeps, writer: RequestWriter): boolean {
  const fingerprint = classMappingKey(ctx.config.classes);
  const stored = getMeta(ctx.db, CLASS_MAPPING_META);
  if (stored === fingerprint) return false;
  if (stored !== null) writer.reclassifyEntrypoints();
  setMeta(ctx.db, CLASS_MAPPING_META, fingerprint);
  return true;
}

function touch(writer: RequestWriter, row: FileRow, stat: FileStat): void {
  writer.files.applyRead({
    id: row.id,
    fromOffset: row.offset,
    ...stat,
    offset: row.offset,
    headHash: row.headHash,
    tailHash: row.tailHash,
    sessionId: null,
    signals: { fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false },
    lines: 0,
    billableLines: 0,
    dupReplaced: 0,
    dupDropped: 0,
    noIdLines: 0,
    skips: {},
  });
}

function readHistoryFile(
  writer: RequestWriter,
  row: FileRow,
  stat: FileStat,
  start: number,
  summary: IngestSummary,
): string[] {
  let read;
  try {
    read = readHistory(row.path, start, stat.size);
  } catch (err) {
    summary.warnings.push(`Could not read ${row.path}: ${(err as Error).message}.`);
    return [];
  }
  summary.bytesRead += read.bytes;
  summary.filesRead++;
  const added = writer.files.addHistorySessions(read.sessionIds);
  writer.files.applyRead({
    id: row.id,
    fromOffset: start,
    ...stat,
    offset: read.endOffset,
    headHash: headHash(row.path, HEAD_BYTES),
    tailHash: sampleHash(row.path, read.endOffset),
    sessionId: null,
    signals: { fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false },
    lines: read.lines,
    billableLines: 0,
    dupReplaced: 0,
    dupDropped: 0,
    noIdLines: 0,
    skips: {},
  });
  return added;
}

/** Why a found file has no stat: gone, there but no file (a folder by its name), or closed to this user. */
function whyNoStat(path: string): 'gone' | 'not-a-file' | 'closed' {
  try {
    statSync(path);
    return 'not-a-file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'gone' : 'closed';
  }
}

/**
 * Marks the known files under `roots` that were not found as missing (and found ones as not), except
 * under a folder that could not be read: its files were not seen, not seen gone, and keep their mark.
 */
function markMissing(
  writer: RequestWriter,
  known: Map<string, FileRow>,
  present: Set<string>,
  roots: string[],
  closed: readonly string[],
): void {
  const rootSet = new Set(roots);
  const inClosed = (path: string): boolean => closed.some((dir) => path.startsWith(dir + sep));
  for (const row of known.values()) {
    if (!rootSet.has(row.root)) continue;
    const gone = !present.has(row.path);
    if (gone !== row.missing && !(gone && inClosed(row.path))) writer.files.markMissing(row.id, gone);
  }
}

function knownRows(writer: RequestWriter, found: FoundFile[]): Map<string, FileRow> {
  const out = new Map<string, FileRow>();
  for (const f of found) {
    const row = writer.files.find(f.path);
    if (row !== undefined) out.set(f.path, row);
  }
  return out;
}
