/**
 * The sessions a bulk load must look up at its end. Only rows without an entrypoint take their
 * session's class, so when a session's signals change during the load only such rows can change
 * class. When the load knows every such row (those it stored, and those there before it began: a
 * rebuild's kept history), a session with none has nothing to change, and its lookup is spared at
 * the end of the load, when only the writing thread works (a cold read of 1,843 sessions had 67
 * with such rows). When another connection committed meanwhile (a serve, another ingest), its rows
 * are not known here, and every changed session is looked up.
 */
import type { Db } from './database.js';

export class BulkSessions {
  /** Sessions whose class changed during the load. */
  private readonly changed = new Set<string>();
  /** Sessions with a row without an entrypoint. */
  private readonly entryless = new Set<string>();
  private knowsAll = false;
  /** SQLite's `data_version` when the load began: it changes when another connection commits. */
  private dataVersion = 0;

  /**
   * A load begins; `knowsAll` when it is to keep track of every row without an entrypoint (few rows
   * were there before it: theirs are read now).
   */
  begin(db: Db, knowsAll: boolean, rowsBefore: number): void {
    this.knowsAll = knowsAll;
    this.dataVersion = db.pragma('data_version', { simple: true }) as number;
    if (!knowsAll || rowsBefore === 0) return;
    const sessions = db
      .prepare('SELECT DISTINCT session_id FROM requests WHERE entrypoint IS NULL AND session_id IS NOT NULL')
      .pluck()
      .all() as string[];
    for (const s of sessions) this.entryless.add(s);
  }

  /** A row of `session` stored without an entrypoint. */
  entrylessRow(session: string): void {
    this.entryless.add(session);
  }

  /** `session`'s class changed during the load. */
  classChanged(session: string): void {
    this.changed.add(session);
  }

  /** The changed sessions to look up at the end of the load; forgets them. */
  take(db: Db): string[] {
    const all = [...this.changed];
    const known = this.knowsAll && db.pragma('data_version', { simple: true }) === this.dataVersion;
    const out = known ? all.filter((s) => this.entryless.has(s)) : all;
    this.changed.clear();
    this.entryless.clear();
    return out;
  }
}
