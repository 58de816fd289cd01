/**
 * The coverage block of a snapshot's provenance, from the store's coverage figures, with warnings
 * a reader of the snapshot should see (transcripts close to Claude Code's cleanup, unpriced models).
 */
import type { Coverage } from '../store/coverage.js';
import { countOf } from '../domain/format.js';
import type { SkipReason } from '../domain/types.js';
import type { SnapshotCoverage } from '../output/export-types.js';

const DAY_MS = 86_400_000;
/** Claude Code deletes transcripts older than `cleanupPeriodDays`, 30 by default. */
export const CLEANUP_DAYS = 30;
/** Warn this many days before the oldest transcript on disk reaches the cleanup age. */
export const CLEANUP_WARN_DAYS = 25;

/**
 * Every reason a line can be skipped for (the README lists them), in that order. Typed as a record
 * so that a new SkipReason fails to compile until it is listed here.
 */
const SKIP_REASONS: Record<SkipReason | 'blank-line', 0> = {
  'malformed-json': 0,
  'not-an-object': 0,
  'bad-usage': 0,
  'missing-model': 0,
  'missing-timestamp': 0,
  'bad-timestamp': 0,
  'implausible-timestamp': 0,
  'line-too-long': 0,
  'blank-line': 0,
};

/** Skipped lines by reason with every known reason present (0 when none), then any other reason seen. */
export function skippedByReason(skipped: Readonly<Record<string, number>>): Record<string, number> {
  return { ...SKIP_REASONS, ...skipped };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Maps the store's coverage to the snapshot's, adding the warnings; `nowMs` dates the cleanup warning. */
export function toSnapshotCoverage(c: Coverage, nowMs: number, rootCount: number): SnapshotCoverage {
  const warnings: string[] = [];
  if (rootCount === 0) warnings.push('No Claude config folder was found: pass --claude-dir or set CLAUDE_CONFIG_DIR.');
  if (c.oldestFileMtimeMs !== null) {
    const age = Math.floor((nowMs - c.oldestFileMtimeMs) / DAY_MS);
    if (age >= CLEANUP_WARN_DAYS) {
      warnings.push(
        `The oldest transcript on disk is ${age} days old: Claude Code deletes transcripts after ${CLEANUP_DAYS} days by default ` +
          '(cleanupPeriodDays), so older history lives only in this store; keep it and run creditmeter at least weekly.',
      );
    }
  }
  const unpricedRequests = c.unpriced.reduce((s, u) => s + u.requests, 0);
  if (unpricedRequests > 0) {
    warnings.push(
      `The store holds ${countOf(unpricedRequests, 'request')} (in any cycle) of ${c.unpriced.length === 1 ? 'a model' : countOf(c.unpriced.length, 'model')} ` +
        `without a price (${c.unpriced.map((u) => u.model).join(', ')}), left out of every cost: ` +
        'add the model to a price file (--prices), and the next run prices them.',
    );
  }
  return {
    files: c.files,
    missingFiles: c.missingFiles,
    lines: c.lines,
    requests: c.requests,
    duplicatesReplaced: c.duplicatesReplaced,
    duplicatesDropped: c.duplicatesDropped,
    noIdLines: c.noIdLines,
    skippedLines: skippedByReason(c.skipped),
    unpriced: c.unpriced.map((u) => ({ model: u.model, requests: u.requests, tokens: u.tokens })),
    oldestRequest: iso(c.oldestRequestTs),
    newestRequest: iso(c.newestRequestTs),
    oldestTranscriptOnDisk: iso(c.oldestFileMtimeMs),
    warnings,
  };
}
