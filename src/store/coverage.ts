/**
 * How complete the store is: files and lines read, duplicates, skipped lines by reason, unpriced
 * models, and the span of requests. Exports and `ingest` print it so a reader can judge totals.
 */
import type { Db } from './database.js';
import type { UnpricedModel } from '../domain/types.js';

export interface UnpricedCoverage extends UnpricedModel {
  /** Every token of those requests (input + output + cache reads + cache writes). */
  tokens: number;
}

export interface Coverage {
  /** Transcript files known (on disk or gone). */
  files: number;
  /** Known transcript files no longer on disk (their requests are kept). */
  missingFiles: number;
  lines: number;
  requests: number;
  duplicatesReplaced: number;
  duplicatesDropped: number;
  noIdLines: number;
  skipped: Record<string, number>;
  unpriced: UnpricedCoverage[];
  oldestRequestTs: number | null;
  newestRequestTs: number | null;
  /** Modification time of the oldest transcript still on disk (Claude Code deletes old ones). */
  oldestFileMtimeMs: number | null;
}

interface FileTotals {
  files: number;
  missing: number | null;
  lines: number | null;
  replaced: number | null;
  dropped: number | null;
  noId: number | null;
  oldest: number | null;
}

/** The store's coverage figures, from the `files`, `file_skips` and `requests` tables. */
export function coverage(db: Db): Coverage {
  const f = db
    .prepare(
      `SELECT COUNT(*) AS files, SUM(missing) AS missing, SUM(lines) AS lines, SUM(dup_replaced) AS replaced,
       SUM(dup_dropped) AS dropped, SUM(no_id_lines) AS noId,
       MIN(CASE WHEN missing = 0 AND mtime_ms > 0 THEN mtime_ms END) AS oldest
       FROM files WHERE kind = 'transcript'`,
    )
    .get() as FileTotals;
  const r = db.prepare('SELECT COUNT(*) AS n, MIN(ts) AS oldest, MAX(ts) AS newest FROM requests').get() as {
    n: number;
    oldest: number | null;
    newest: number | null;
  };
  const skipped: Record<string, number> = {};
  const skips = db.prepare('SELECT reason, SUM(count) AS n FROM file_skips GROUP BY reason ORDER BY reason').all() as {
    reason: string;
    n: number;
  }[];
  for (const s of skips) skipped[s.reason] = s.n;
  return {
    files: f.files,
    missingFiles: f.missing ?? 0,
    lines: f.lines ?? 0,
    requests: r.n,
    duplicatesReplaced: f.replaced ?? 0,
    duplicatesDropped: f.dropped ?? 0,
    noIdLines: f.noId ?? 0,
    skipped,
    unpriced: unpricedWithTokens(db),
    oldestRequestTs: r.oldest,
    newestRequestTs: r.newest,
    oldestFileMtimeMs: f.oldest === null ? null : Math.round(f.oldest),
  };
}

/** Models with unpriced requests in the whole store, most requests first. */
export function unpricedModels(db: Db): UnpricedModel[] {
  return unpricedWithTokens(db).map(({ model, requests }) => ({ model, requests }));
}

function unpricedWithTokens(db: Db): UnpricedCoverage[] {
  return db
    .prepare(
      `SELECT model, COUNT(*) AS requests,
       SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS tokens
       FROM requests WHERE cost IS NULL GROUP BY model ORDER BY requests DESC, model`,
    )
    .all() as UnpricedCoverage[];
}
