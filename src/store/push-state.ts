/**
 * What `push` has delivered to each target: the transcript-read requests not yet acknowledged by
 * a target, and the marks written once it acknowledged them.
 */
import { writeTransaction, type Db } from './database.js';
import type { StoredRow } from './request-row.js';

/** A transcript-read request with the attribution telemetry may have added. */
export type PushRow = StoredRow & {
  user_name: string | null;
  repo: string | null;
  workflow: string | null;
  run_id: string | null;
  host: string | null;
  agent_name: string | null;
  skill: string | null;
};

/**
 * What push sends of a request, as one text: a stored copy that changed since (more output tokens
 * from a later copy, a class from new config) no longer matches its mark and is sent again.
 */
const SENT_AS = `r.model || '/' || r.class || '/' || r.ts || '/' || r.input_tokens || '/' || r.output_tokens || '/' ||
  r.cache_read_tokens || '/' || r.cache_write_5m_tokens || '/' || r.cache_write_1h_tokens || '/' ||
  r.web_search_requests || '/' || r.web_fetch_requests`;

/**
 * Requests read from transcripts that `target` has not acknowledged as they are now (never sent,
 * or changed since), ordered by key after `afterKey`, at most `limit`; `sentAs` is what to mark.
 */
export function unsentRequests(
  db: Db,
  target: string,
  limit: number,
  afterKey: string | null,
): (PushRow & { sentAs: string })[] {
  return db
    .prepare(
      `SELECT r.*, ${SENT_AS} AS sentAs FROM requests r
       LEFT JOIN push_sent p ON p.target = ? AND p.key = r.key
       WHERE r.origin = 'transcript' AND r.key > ? AND (p.sent IS NULL OR p.sent <> ${SENT_AS})
       ORDER BY r.key LIMIT ?`,
    )
    .all(target, afterKey ?? '', limit) as (PushRow & { sentAs: string })[];
}

/** How many transcript-read requests `target` acknowledged as they are now. */
export function sentCount(db: Db, target: string): number {
  return db
    .prepare(
      `SELECT COUNT(*) FROM push_sent p JOIN requests r ON r.key = p.key
       WHERE p.target = ? AND r.origin = 'transcript' AND p.sent = ${SENT_AS}`,
    )
    .pluck()
    .get(target) as number;
}

/** Marks requests as acknowledged by `target` as they were sent. */
export function markSent(db: Db, target: string, rows: readonly { key: string; sentAs: string }[]): void {
  const upsert = db.prepare(
    'INSERT INTO push_sent (target, key, sent) VALUES (?, ?, ?) ON CONFLICT(target, key) DO UPDATE SET sent = excluded.sent',
  );
  writeTransaction(db, () => {
    for (const r of rows) upsert.run(target, r.key, r.sentAs);
  });
}

/**
 * Forgets what `target` acknowledged, so the next push sends every request again (a receiving
 * store made anew at the same address); the target keeps each request once however often it
 * comes. Returns how many were forgotten.
 */
export function forgetSent(db: Db, target: string): number {
  return db.prepare('DELETE FROM push_sent WHERE target = ?').run(target).changes;
}
