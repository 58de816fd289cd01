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

/** Requests read from transcripts that `target` has not acknowledged, oldest first, at most `limit`. */
export function unsentRequests(db: Db, target: string, limit: number, afterKey: string | null): PushRow[] {
  return db
    .prepare(
      `SELECT r.* FROM requests r
       WHERE r.origin = 'transcript' AND r.key > ?
         AND NOT EXISTS (SELECT 1 FROM push_sent p WHERE p.target = ? AND p.key = r.key)
       ORDER BY r.key LIMIT ?`,
    )
    .all(afterKey ?? '', target, limit) as PushRow[];
}

/** How many transcript-read requests `target` already acknowledged. */
export function sentCount(db: Db, target: string): number {
  return db.prepare('SELECT COUNT(*) FROM push_sent WHERE target = ?').pluck().get(target) as number;
}

/** Marks requests as acknowledged by `target`. */
export function markSent(db: Db, target: string, keys: readonly string[]): void {
  const insert = db.prepare('INSERT OR IGNORE INTO push_sent (target, key) VALUES (?, ?)');
  writeTransaction(db, () => {
    for (const k of keys) insert.run(target, k);
  });
}
