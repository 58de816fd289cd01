/**
 * Runs the planned reads: small amounts on this thread, a large cold read on two worker threads
 * (big files split into newline-aligned byte ranges, balanced by size). Results are written in
 * batches on this thread through `write`, in file order per file.
 */
import type { FileRow } from '../store/file-state.js';
import type { FileBatch } from '../store/request-writer.js';
import { headHash, HEAD_BYTES, type FileStat } from './plan.js';
import { scanRange, ScanBuffer, type ScanResult, type ScanTask } from './scan.js';
import { runOnWorkers, WORKER_THRESHOLD_BYTES } from './worker-pool.js';

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
  onProgress: ((p: { bytesDone: number; bytesTotal: number; filesDone: number; filesTotal: number }) => void) | undefined;
}

/** Records per write transaction: large enough to amortise the commit, small enough to show progress. */
const BATCH_RECORDS = 20_000;
const BATCH_FILES = 500;

/** Reads every job and hands the results to `hooks.write` in batches. */
export async function readTasks(jobs: ReadJob[], hooks: ReadHooks): Promise<void> {
  if (jobs.length === 0) return;
  const bytesTotal = jobs.reduce((s, j) => s + (j.stat.size - j.start), 0);
  const progress = { bytesDone: 0, bytesTotal, filesDone: 0, filesTotal: jobs.length };
  let pending: FileBatch[] = [];
  let pendingRecords = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    hooks.write(pending);
    pending = [];
    pendingRecords = 0;
  };
  const finish = (job: ReadJob, parts: ScanResult[]): void => {
    const batch = toBatch(job, parts, hooks);
    pending.push(batch);
    pendingRecords += batch.records.length;
    progress.filesDone++;
    progress.bytesDone += job.stat.size - job.start;
    if (pendingRecords >= BATCH_RECORDS || pending.length >= BATCH_FILES) flush();
    hooks.onProgress?.({ ...progress });
  };
  if (bytesTotal >= WORKER_THRESHOLD_BYTES) {
    await runOnWorkers(jobs, finish);
  } else {
    const holder = new ScanBuffer();
    for (const job of jobs) {
      const task: ScanTask = { path: job.row.path, start: job.start, end: job.stat.size, limit: job.stat.size, align: false };
      finish(job, [scanRange(task, holder)]);
    }
  }
  flush();
}

/** Combines the ranges of one file (in order) into its batch: records, counts, signals, new offset. */
function toBatch(job: ReadJob, parts: ScanResult[], hooks: ReadHooks): FileBatch {
  const skips: Record<string, number> = {};
  const signals = { fileHistorySnapshot: false, queueOperationFirst: false, promptSourceSdk: false };
  let offset = job.start;
  let lines = 0;
  let noId = 0;
  let hint: string | null = null;
  const merged = { replaced: 0, dropped: 0, copies: 0 };
  const records = parts.length === 1 ? parts[0]!.records : parts.flatMap((p) => p.records);
  for (const p of parts) {
    if (p.error !== null) hooks.onError(job.row.path, p.error);
    offset = Math.max(offset, p.endOffset);
    lines += p.lines;
    noId += p.noId;
    merged.replaced += p.replaced;
    merged.dropped += p.dropped;
    merged.copies += p.records.length + p.replaced + p.dropped;
    hint ??= p.sessionHint;
    signals.fileHistorySnapshot ||= p.signals.fileHistorySnapshot;
    signals.queueOperationFirst ||= p.signals.queueOperationFirst;
    signals.promptSourceSdk ||= p.signals.promptSourceSdk;
    for (const [reason, n] of Object.entries(p.skips)) skips[reason] = (skips[reason] ?? 0) + n;
    hooks.onBytes(p.bytes);
  }
  const stored = job.row.headHash;
  const headComplete = stored !== null && !job.reset && stored.startsWith(`${HEAD_BYTES}:`);
  return {
    fileId: job.row.id,
    records,
    merged,
    file: {
      id: job.row.id,
      reset: job.reset,
      ...job.stat,
      offset,
      headHash: headComplete ? stored : headHash(job.row.path),
      sessionId: job.sessionFromPath ?? hint,
      signals,
      lines,
      noIdLines: noId,
      skips,
    },
  };
}
