/**
 * Runs the planned reads: small amounts on this thread, a large cold read on a worker thread and
 * this one (big files split into newline-aligned byte ranges, balanced by size). Results are written in
 * batches on this thread through `write`; a split file's ranges are written as they complete, in
 * order, and its row (offset, counts) with the last one.
 */
import type { FileRow } from '../store/file-state.js';
import type { FileBatch } from '../store/request-writer.js';
import { headHash, HEAD_BYTES, sampleHash, type FileStat } from './plan.js';
import { scanRange, ScanBuffer, type ScanResult, type ScanTask } from './scan.js';
import { runHere, ScanPool, WORKER_THRESHOLD_BYTES } from './worker-pool.js';

export interface ReadJob {
  row: FileRow;
  stat: FileStat;
  start: number;
  reset: boolean;
  sessionFromPath: string | null;
}

export interface ReadHooks {
  write(batches: FileBatch[]): void;
  onBytes(n: number): void;
  onError(path: string, message: string): void;
  /** A range of `path` held lines too long to read (`line-too-long`): said with the file's name. */
  onLongLines?(path: string): void;
  onProgress:
    ((p: { bytesDone: number; bytesTotal: number; filesDone: number; filesTotal: number }) => void) | undefined;
}

/**
 * Records per write transaction: large enough to amortise the commit, small enough to show
 * progress, and small enough that the records handed over die young: with 10,000 they outlived
 * young-generation collections and were copied to the old generation (a cold read of 1 GB took
 * 1.92 s against 1.86 s with 2,500, and 10 MB more memory; 1,000 was no faster).
 */
const BATCH_RECORDS = 2_500;
const BATCH_FILES = 500;
/**
 * Once fewer bytes than this are still to come, results are written as they arrive (after the
 * message that brought them): what is left to write when the last worker ends is then small.
 */
const TAIL_BYTES = 64 * 1024 * 1024;

/** What the ranges of one file read so far add up to. */
interface JobTotals {
  offset: number;
  lines: number;
  noId: number;
  hint: string | null;
  head: string | null;
  skips: Record<string, number>;
  signals: { fileHistorySnapshot: boolean; queueOperationFirst: boolean; promptSourceSdk: boolean };
  /** A range could not be read (open or read error): the file is not marked read, and is retried. */
  failed: boolean;
}

/**
 * Reads every job and hands the results to `hooks.write` in batches. A large read runs on `pool`
 * (started here when none is given); a small one on this thread, and `pool` is then ended unused.
 */
export async function readTasks(jobs: ReadJob[], hooks: ReadHooks, pool?: ScanPool | null): Promise<void> {
  if (jobs.length === 0) {
    pool?.close();
    return;
  }
  const bytesTotal = jobs.reduce((s, j) => s + (j.stat.size - j.start), 0);
  const progress = { bytesDone: 0, bytesTotal, filesDone: 0, filesTotal: jobs.length };
  const totals = new Map<ReadJob, JobTotals>();
  let pending: FileBatch[] = [];
  let pendingRecords = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingRecords = 0;
    hooks.write(batch);
  };
  const onWorkers = bytesTotal >= WORKER_THRESHOLD_BYTES;
  let soon = false;
  let failure: unknown = null;
  const flushSoon = (): void => {
    if (soon) return;
    soon = true;
    setImmediate(() => {
      soon = false;
      try {
        flush();
      } catch (err) {
        failure ??= err;
      }
    });
  };
  const onPart = (job: ReadJob, part: ScanResult, last: boolean): void => {
    let t = totals.get(job);
    if (t === undefined) {
      t = {
        offset: job.start,
        lines: 0,
        noId: 0,
        hint: null,
        head: null,
        skips: {},
        signals: { fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false },
        failed: false,
      };
      totals.set(job, t);
    }
    add(t, part, job, hooks);
    pending.push(toBatch(job, part, t, last));
    pendingRecords += part.records.length;
    progress.bytesDone += part.bytes;
    if (last) {
      totals.delete(job);
      progress.filesDone++;
    }
    if (pendingRecords >= BATCH_RECORDS || pending.length >= BATCH_FILES) flush();
    else if (onWorkers && bytesTotal - progress.bytesDone <= TAIL_BYTES) flushSoon();
    hooks.onProgress?.({ ...progress, bytesDone: Math.min(progress.bytesDone, bytesTotal) });
  };
  if (onWorkers) {
    const workers = pool ?? ScanPool.start();
    if (workers === null) runHere(jobs, onPart);
    else await workers.run(jobs, onPart);
  } else {
    pool?.close();
    // A small read searches with indexOf: a WebAssembly memory made for each read (the dashboard
    // reads at every append) costs more than the search saves on a few MB.
    const holder = new ScanBuffer(undefined, { wasm: false });
    for (const job of jobs) {
      const task: ScanTask = {
        path: job.row.path,
        start: job.start,
        end: job.stat.size,
        limit: job.stat.size,
        align: false,
      };
      onPart(job, scanRange(task, holder), true);
    }
  }
  if (failure !== null) throw failure instanceof Error ? failure : new Error('reading the logs failed');
  flush();
}

function add(t: JobTotals, p: ScanResult, job: ReadJob, hooks: ReadHooks): void {
  if (p.error !== null) {
    hooks.onError(job.row.path, p.error);
    t.failed = true;
  }
  t.offset = Math.max(t.offset, p.endOffset);
  t.lines += p.lines;
  t.noId += p.noId;
  t.hint ??= p.sessionHint;
  t.head ??= p.headHash;
  t.signals.fileHistorySnapshot ||= p.signals.fileHistorySnapshot;
  t.signals.queueOperationFirst ||= p.signals.queueOperationFirst;
  t.signals.promptSourceSdk ||= p.signals.promptSourceSdk;
  for (const [reason, n] of Object.entries(p.skips)) t.skips[reason] = (t.skips[reason] ?? 0) + n;
  if ((p.skips['line-too-long'] ?? 0) > 0) hooks.onLongLines?.(job.row.path);
  hooks.onBytes(p.bytes);
}

/** The size a file update carries after a failed read (no file has it: the next run reads again). */
export const FAILED_READ_SIZE = -1;

/** One range's batch: its copies; the last range of a file also carries the file row update. */
function toBatch(job: ReadJob, part: ScanResult, t: JobTotals, last: boolean): FileBatch {
  const merged = {
    replaced: part.replaced,
    dropped: part.dropped,
    copies: part.records.length + part.replaced + part.dropped,
  };
  // A file keeps the session its first read found: a later read that starts among another
  // session's lines must not move the file's signals (and with them its requests' class).
  const sessionId = job.sessionFromPath ?? job.row.sessionId ?? t.hint;
  if (!last) return { fileId: job.row.id, sessionId, records: part.records, merged, file: null };
  // The head hash covers HEAD_BYTES once the file is that long; a read from 0 brings it along.
  const stored = job.row.headHash;
  const headComplete = stored !== null && !job.reset && stored.startsWith(`${HEAD_BYTES}:`);
  const head = headComplete
    ? stored
    : t.head !== null && t.head.startsWith(`${Math.min(HEAD_BYTES, job.stat.size)}:`)
      ? t.head
      : headHash(job.row.path);
  // After a failed read only what was read may be marked read: the file stays at its start offset
  // with a size no file has, so every later run reads it again until a read succeeds (its copies
  // written now are de-duplicated then). Its line counts wait for that read too.
  const failed = t.failed;
  return {
    fileId: job.row.id,
    sessionId,
    records: part.records,
    merged,
    file: {
      id: job.row.id,
      fromOffset: job.start,
      ...job.stat,
      ...(failed ? { size: FAILED_READ_SIZE, mtimeMs: -1 } : {}),
      offset: failed ? job.start : t.offset,
      headHash: failed ? job.row.headHash : head,
      tailHash: failed ? job.row.tailHash : tailHashAt(job, part, t.offset),
      sessionId,
      signals: t.signals,
      lines: failed ? 0 : t.lines,
      noIdLines: failed ? 0 : t.noId,
      skips: failed ? {} : t.skips,
    },
  };
}

/** The sample hash before `offset`: the scanner's when it took it there, else read now. */
function tailHashAt(job: ReadJob, part: ScanResult, offset: number): string | null {
  const taken = part.tailHash;
  if (taken !== null && taken.startsWith(`${offset}:`)) return taken;
  return sampleHash(job.row.path, offset);
}
