/**
 * Per-file tailing state (byte offset, identity, per-file counts and fallback signals) and the
 * session ids listed in history.jsonl. Prepared statements are created once per instance.
 */
import type { Db } from './database.js';
import type { FileSignals } from '../domain/types.js';

export type FileKind = 'transcript' | 'history';

export interface FileRow {
  id: number;
  path: string;
  root: string;
  kind: FileKind;
  dev: number | null;
  ino: number | null;
  size: number;
  mtimeMs: number;
  offset: number;
  headHash: string | null;
  /** Hash of sampled bytes before `offset` (see ingest/plan.ts sampleHash); null when none was taken. */
  tailHash: string | null;
  sessionId: string | null;
  missing: boolean;
  /** A row from `all()`: its hashes were not loaded (null here); `find` gives the whole row. */
  brief?: true;
}

/** What one read of a file changes in its row; counts are added. */
export interface FileReadUpdate {
  id: number;
  /** The offset the read started from: another process that got there first makes this update a no-op. */
  fromOffset: number;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  headHash: string | null;
  tailHash: string | null;
  sessionId: string | null;
  signals: FileSignals;
  lines: number;
  billableLines: number;
  dupReplaced: number;
  dupDropped: number;
  noIdLines: number;
  skips: Record<string, number>;
}

interface RawFileRow {
  id: number;
  path: string;
  root: string;
  kind: string;
  dev: number | null;
  ino: number | null;
  size: number;
  mtime_ms: number;
  offset: number;
  head_hash: string | null;
  tail_hash: string | null;
  session_id: string | null;
  missing: number;
}

/** Repository of the `files`, `file_skips` and `history_sessions` tables. */
export class FileStateStore {
  private readonly selectAll;
  private readonly insert;
  private readonly byPath;
  private readonly resetRow;
  private readonly clearSkips;
  private readonly update;
  private readonly addSkip;
  private readonly setMissing;
  private readonly signals;
  private readonly addHistory;
  private readonly addCountsStmt;
  private readonly inHistoryStmt;
  private readonly sessionOfStmt;

  constructor(private readonly db: Db) {
    // Without the hash columns and as arrays: a catch-up reads every row, and most are unchanged.
    this.selectAll = db
      .prepare('SELECT id, path, root, kind, dev, ino, size, mtime_ms, offset, session_id, missing FROM files')
      .raw(true);
    const cols = 'id, path, root, kind, dev, ino, size, mtime_ms, offset, head_hash, tail_hash, session_id, missing';
    // A new row comes back from the insert itself: one statement per new file, not two.
    this.insert = db.prepare(
      `INSERT INTO files (path, root, kind, first_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO NOTHING RETURNING ${cols}`,
    );
    this.byPath = db.prepare(`SELECT ${cols} FROM files WHERE path = ?`);
    this.resetRow = db.prepare(
      `UPDATE files SET offset = 0, lines = 0, billable_lines = 0, dup_replaced = 0,
       dup_dropped = 0, no_id_lines = 0, resets = resets + 1 WHERE id = ?`,
    );
    this.clearSkips = db.prepare('DELETE FROM file_skips WHERE file_id = ?');
    this.update = db.prepare(
      `UPDATE files SET dev = @dev, ino = @ino, size = @size, mtime_ms = @mtimeMs, offset = @offset, head_hash = @headHash,
       tail_hash = @tailHash, session_id = COALESCE(session_id, @sessionId), fhs = MAX(fhs, @fhs), queue_first = MAX(queue_first, @queueFirst),
       prompt_sdk = MAX(prompt_sdk, @promptSdk), lines = lines + @lines, billable_lines = billable_lines + @billableLines,
       dup_replaced = dup_replaced + @dupReplaced, dup_dropped = dup_dropped + @dupDropped, no_id_lines = no_id_lines + @noIdLines,
       missing = 0, last_read_at = @now WHERE id = @id AND offset = @fromOffset`,
    );
    this.addSkip = db.prepare(
      'INSERT INTO file_skips (file_id, reason, count) VALUES (?, ?, ?) ON CONFLICT(file_id, reason) DO UPDATE SET count = count + excluded.count',
    );
    this.setMissing = db.prepare('UPDATE files SET missing = ? WHERE id = ?');
    this.signals = db.prepare(
      'SELECT MAX(fhs) AS fhs, MAX(queue_first) AS q, MAX(prompt_sdk) AS p FROM files WHERE session_id = ?',
    );
    this.addCountsStmt = db.prepare(
      'UPDATE files SET billable_lines = billable_lines + ?, dup_replaced = dup_replaced + ?, dup_dropped = dup_dropped + ? WHERE id = ?',
    );
    this.addHistory = db.prepare('INSERT INTO history_sessions (session_id) VALUES (?) ON CONFLICT DO NOTHING');
    this.inHistoryStmt = db.prepare('SELECT 1 FROM history_sessions WHERE session_id = ?').pluck();
    this.sessionOfStmt = db.prepare('SELECT session_id FROM files WHERE id = ?').pluck();
  }

  /** Every known file, by path. */
  all(): Map<string, FileRow> {
    const out = new Map<string, FileRow>();
    type Brief = [
      number,
      string,
      string,
      string,
      number | null,
      number | null,
      number,
      number,
      number,
      string | null,
      number,
    ];
    for (const [
      id,
      path,
      root,
      kind,
      dev,
      ino,
      size,
      mtimeMs,
      offset,
      sessionId,
      missing,
    ] of this.selectAll.all() as Brief[]) {
      out.set(path, {
        id,
        path,
        root,
        kind: kind === 'history' ? 'history' : 'transcript',
        dev,
        ino,
        size,
        mtimeMs,
        offset,
        headHash: null,
        tailHash: null,
        sessionId,
        missing: missing === 1,
        brief: true,
      });
    }
    return out;
  }

  /** The row of `path`, or undefined when the store does not know it (nothing is created). */
  find(path: string): FileRow | undefined {
    const raw = this.byPath.get(path) as RawFileRow | undefined;
    return raw === undefined ? undefined : toRow(raw);
  }

  /** The row of `path`, created (offset 0) when new. */
  ensure(path: string, root: string, kind: FileKind): FileRow {
    const created = this.insert.get(path, root, kind, Date.now()) as RawFileRow | undefined;
    return toRow(created ?? (this.byPath.get(path) as RawFileRow));
  }

  /**
   * Zeroes a file's offset and counts: it shrank or was replaced and is read again from 0. Its
   * fallback signals stay: they describe the session as the file ever was, like its kept requests.
   */
  reset(id: number): void {
    this.resetRow.run(id);
    this.clearSkips.run(id);
  }

  /**
   * Records one read: new stat, offset and head; counts and skips are added, signals OR-ed.
   * Returns false (and changes nothing) when the row no longer starts where the read did.
   */
  applyRead(u: FileReadUpdate): boolean {
    const applied =
      this.update.run({
        id: u.id,
        fromOffset: u.fromOffset,
        dev: u.dev,
        ino: u.ino,
        size: u.size,
        mtimeMs: u.mtimeMs,
        offset: u.offset,
        headHash: u.headHash,
        tailHash: u.tailHash,
        sessionId: u.sessionId,
        fhs: u.signals.fileHistorySnapshot ? 1 : 0,
        queueFirst: u.signals.queueOperationFirst ? 1 : 0,
        promptSdk: u.signals.promptSourceSdk ? 1 : 0,
        lines: u.lines,
        billableLines: u.billableLines,
        dupReplaced: u.dupReplaced,
        dupDropped: u.dupDropped,
        noIdLines: u.noIdLines,
        now: Date.now(),
      }).changes > 0;
    if (applied) for (const [reason, n] of Object.entries(u.skips)) this.addSkip.run(u.id, reason, n);
    return applied;
  }

  /** Adds the billable copies a read met and its duplicates (replaced: carried more output tokens; dropped: changed nothing). */
  addCounts(id: number, copies: number, replaced: number, dropped: number): void {
    if (copies > 0 || replaced > 0 || dropped > 0) this.addCountsStmt.run(copies, replaced, dropped, id);
  }

  /** Marks a file gone from disk (its requests stay) or back. */
  markMissing(id: number, missing: boolean): void {
    this.setMissing.run(missing ? 1 : 0, id);
  }

  /** The session a file's earlier reads found (from its path or a `sessionId` in its lines); null when none did. */
  sessionOf(id: number): string | null {
    const s = this.sessionOfStmt.get(id) as string | null | undefined;
    return s ?? null;
  }

  /** The fallback signals of a session, across all its files. */
  sessionSignals(sessionId: string): FileSignals {
    const r = this.signals.get(sessionId) as { fhs: number | null; q: number | null; p: number | null };
    return { fileHistorySnapshot: r.fhs === 1, queueOperationFirst: r.q === 1, promptSourceSdk: r.p === 1 };
  }

  /** Adds session ids read from history.jsonl; returns those not known before. */
  addHistorySessions(ids: Iterable<string>): string[] {
    const added: string[] = [];
    for (const id of ids) if (this.addHistory.run(id).changes > 0) added.push(id);
    return added;
  }

  /** Whether history.jsonl lists the session (an interactive one). */
  inHistory(sessionId: string): boolean {
    return this.inHistoryStmt.get(sessionId) !== undefined;
  }
}

function toRow(raw: RawFileRow): FileRow {
  return {
    id: raw.id,
    path: raw.path,
    root: raw.root,
    kind: raw.kind === 'history' ? 'history' : 'transcript',
    dev: raw.dev,
    ino: raw.ino,
    size: raw.size,
    mtimeMs: raw.mtime_ms,
    offset: raw.offset,
    headHash: raw.head_hash,
    tailHash: raw.tail_hash,
    sessionId: raw.session_id,
    missing: raw.missing === 1,
  };
}

/**
 * A summary of the whole `files` table that changes with any write to it (a row added, read
 * further, touched, reset or marked missing), without loading the rows.
 */
export function filesAggregate(db: Db): string {
  const r = db
    .prepare(
      `SELECT COUNT(*), MAX(id), TOTAL("offset"), TOTAL(size), TOTAL(mtime_ms), TOTAL(missing), TOTAL(ino), TOTAL(lines)
       FROM files`,
    )
    .raw()
    .get() as unknown[];
  return r.map((v) => String(v)).join(':');
}
