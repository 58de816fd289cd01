import type { UnpricedModel } from '../domain/types.js';

/** What one catch-up (or one watcher batch) read and wrote. */
export interface IngestSummary {
  /** Transcript files known under the roots (on disk now). */
  files: number;
  /** Files that had new bytes and were read. */
  filesRead: number;
  bytesRead: number;
  /** Complete lines read (newline-terminated). */
  lines: number;
  requestsAdded: number;
  /** Copies that carried more output tokens than the stored copy and replaced its counts. */
  duplicatesReplaced: number;
  /** Copies that changed nothing (fewer or equal output tokens). */
  duplicatesDropped: number;
  /**
   * Billable lines without `message.id` read this run. Each line is a request keyed by its uuid
   * (its text when it has none), so copies of one line, in one file or several, are stored once.
   */
  noIdLines: number;
  /** Skipped lines by reason (malformed-json, bad-usage, line-too-long, ...). */
  skipped: Record<string, number>;
  /** Unpriced models in the whole store after this run, with their request counts. */
  unpriced: UnpricedModel[];
  warnings: string[];
  durationMs: number;
  /** Newest timestamp (epoch ms) among the request copies read this run. */
  newestRequestTs: number | null;
}

/** An empty summary to add into. */
export function emptySummary(): IngestSummary {
  return {
    files: 0,
    filesRead: 0,
    bytesRead: 0,
    lines: 0,
    requestsAdded: 0,
    duplicatesReplaced: 0,
    duplicatesDropped: 0,
    noIdLines: 0,
    skipped: {},
    unpriced: [],
    warnings: [],
    durationMs: 0,
    newestRequestTs: null,
  };
}

/** Adds per-reason skip counts into `into`. */
export function addSkips(into: Record<string, number>, from: Record<string, number>): void {
  for (const [reason, n] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + n;
}
