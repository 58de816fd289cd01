/**
 * Writes request copies into `requests`, one transaction per batch, de-duplicated across all
 * files by key (the copy with the most output tokens wins; a transcript line's metadata beats a
 * `progress` copy's), classified and priced. Never stores prompt or response text.
 */
import { writeTransaction, type Db } from './database.js';
import { deferRequestIndexes, restoreRequestIndexes } from './bulk-load.js';
import { BulkSessions } from './bulk-sessions.js';
import { flushInBackground } from './background-flush.js';
import { COLUMNS, fillRow, fromRow, rowValues, type Row, type Value } from './request-row.js';
import { FileStateStore, type FileReadUpdate } from './file-state.js';
import { TelemetryLink } from './telemetry-writer.js';
import { countOutcome, mergeCopies } from '../domain/parse-line.js';
import { classOfEntrypoint, classOfSession } from '../domain/classify.js';
import type { RequestClass, RequestRecord } from '../domain/types.js';

/** Prices one request copy (USD, null = unpriced). */
export type Pricer = (record: RequestRecord) => number | null;

export interface WriterOptions {
  classes: Readonly<Record<string, RequestClass>>;
  price: Pricer;
  priceVersion: string;
}

/**
 * One file's read (or one range of it): its request copies (in line order; copies within the read
 * may be pre-merged) and, with the file's last range, the file row update.
 */
export interface FileBatch {
  fileId: number;
  /**
   * The file's session (from its path or its lines): fills copies that lack one and receives the
   * file's signals. Null when the read found none: the writer then takes the session an earlier
   * read of the file stored (an appended snapshot line carries no sessionId, yet is that session's).
   */
  sessionId: string | null;
  records: RequestRecord[];
  /** Copies already merged away while reading (counted as duplicates of this file). */
  merged: { replaced: number; dropped: number; copies: number };
  file: Omit<FileReadUpdate, 'dupReplaced' | 'dupDropped' | 'billableLines'> | null;
}

export interface BatchOutcome {
  added: number;
  replaced: number;
  dropped: number;
  newestTs: number | null;
}

interface Pending {
  record: RequestRecord;
  fileId: number;
}

/**
 * Whether a copy from file `fileId` cannot win against the stored one `known` describes, kept from
 * file `knownFile` (see RequestWriter.written and mergeCopies).
 */
function cannotWin(known: number, knownFile: number | undefined, r: RequestRecord, fileId: number): boolean {
  const storedLine = known >= 0;
  const storedOutput = storedLine ? known : -known - 1;
  const tieWins = r.usage.output === storedOutput && knownFile !== undefined && fileId < knownFile;
  return r.usage.output <= storedOutput && !tieWins && (storedLine || r.source === 'progress');
}

/** Batch writer over prepared statements; also owns reclassification of stored rows. */
export class RequestWriter {
  readonly files: FileStateStore;
  private readonly insert;
  private readonly select;
  private readonly update;
  private readonly reclassSession;
  private readonly entrypoints;
  private readonly reclassEntrypoint;
  private bulk = false;
  private syncBefore = 1;
  private readonly classCache = new Map<string, RequestClass>();
  /**
   * Output tokens and source of each request stored by this writer (one ingest run), as one number
   * (no object per request): a transcript line's copy as its output tokens, a progress copy as -(output + 1).
   */
  private readonly written = new Map<string, number>();
  /** The file of each request in `written` whose metadata is stored (ties go to the file known first). */
  private readonly writtenFile = new Map<string, number>();
  /**
   * Files this run reads again from their start (replaced, or shrunk): a copy there that meets the
   * row an earlier read of the same file stored is that copy again, not a duplicate of it.
   */
  private readonly reread = new Set<number>();
  /** The bind array of the insert, filled again for each row. */
  private readonly row: Value[] = new Array<Value>(COLUMNS.length).fill(null);
  /** During a bulk load, the sessions to look up at its end. */
  private readonly bulkSessions = new BulkSessions();
  private readonly telemetry: TelemetryLink;
  /** Whether this batch must link new transcript copies to kept telemetry events (see applyBatch). */
  private linking = false;
  /** Telemetry-only rows without a request id are kept: new copies are matched to them too. */
  private linkingKeyless = false;

  constructor(
    private readonly db: Db,
    private readonly options: WriterOptions,
  ) {
    this.files = new FileStateStore(db);
    this.telemetry = new TelemetryLink(db);
    const cols = COLUMNS.join(', ');
    const params = COLUMNS.map(() => '?').join(', ');
    this.insert = db.prepare(`INSERT INTO requests (${cols}) VALUES (${params}) ON CONFLICT(key) DO NOTHING`);
    this.select = db.prepare(`SELECT ${cols} FROM requests WHERE key = ?`);
    const sets = COLUMNS.filter((c) => c !== 'key')
      .map((c) => `${c} = ?`)
      .join(', ');
    this.update = db.prepare(`UPDATE requests SET ${sets} WHERE key = ?`);
    this.reclassSession = db.prepare(
      'UPDATE requests SET class = ? WHERE session_id = ? AND entrypoint IS NULL AND class <> ?',
    );
    this.entrypoints = db.prepare('SELECT DISTINCT entrypoint FROM requests WHERE entrypoint IS NOT NULL').pluck();
    this.reclassEntrypoint = db.prepare('UPDATE requests SET class = ? WHERE entrypoint = ? AND class <> ?');
    // The key index's pages stay in memory while rows arrive in random key order (about 8 MB for
    // 115,000 requests). A cold read of 1 GB of logs with 115,000 requests took as long with 16 MB
    // as with 64 MB, and peaked at about 207 MB of RSS instead of 250-300 MB.
    db.pragma('cache_size = -16384');
    restoreRequestIndexes(db);
  }

  /** Zeroes a file's offset and counts before it is read again from its start (FileStateStore.reset). */
  resetFile(fileId: number): void {
    this.files.reset(fileId);
    this.reread.add(fileId);
  }

  /**
   * Writes several files' reads in one transaction: file rows first (their signals decide the
   * class of entrypoint-less rows), then the de-duplicated copies, then the touched sessions' classes.
   */
  writeBatch(batches: FileBatch[]): BatchOutcome {
    const out: BatchOutcome = { added: 0, replaced: 0, dropped: 0, newestTs: null };
    // Small methods rather than one large closure: each is compiled once, not again per batch.
    writeTransaction(this.db, () => this.applyBatch(batches, out));
    return out;
  }

  private applyBatch(batches: FileBatch[], out: BatchOutcome): void {
    for (const b of batches) b.sessionId ??= this.files.sessionOf(b.fileId);
    const perFile = new Map<number, { replaced: number; dropped: number }>();
    const pending = this.collect(batches, perFile, out);
    // One look per batch: with no telemetry kept, new copies have nothing to link to.
    this.linking = this.telemetry.hasEvents();
    this.linkingKeyless = this.linking && this.telemetry.hasKeyless();
    const { stale, changed } = this.applyFiles(batches);
    const sessionClass = this.classCache;
    for (const p of pending.values()) this.store(p, perFile.get(p.fileId), sessionClass, out);
    const copies = new Map<number, number>();
    for (const b of batches) copies.set(b.fileId, (copies.get(b.fileId) ?? 0) + b.merged.copies);
    for (const [fileId, stats] of perFile) {
      out.replaced += stats.replaced;
      out.dropped += stats.dropped;
      if (!stale.has(fileId)) this.files.addCounts(fileId, copies.get(fileId) ?? 0, stats.replaced, stats.dropped);
    }
    // During a bulk load the session index is deferred: reclassify once it is rebuilt.
    if (this.bulk) for (const s of changed) this.bulkSessions.classChanged(s);
    else for (const s of changed) this.reclassSession.run(this.cachedSessionClass(s), s, this.cachedSessionClass(s));
  }

  /** The batch's copies merged by key (several files or ranges can hold one request); counts per file. */
  private collect(
    batches: FileBatch[],
    perFile: Map<number, { replaced: number; dropped: number }>,
    out: BatchOutcome,
  ): Map<string, Pending> {
    const pending = new Map<string, Pending>();
    for (const b of batches) {
      // Several ranges of one file can share a batch: their counts add up.
      const stats = perFile.get(b.fileId) ?? { replaced: 0, dropped: 0 };
      stats.replaced += b.merged.replaced;
      stats.dropped += b.merged.dropped;
      perFile.set(b.fileId, stats);
      for (const record of b.records) {
        if (record.sessionId === null) record.sessionId = b.sessionId;
        if (out.newestTs === null || record.ts > out.newestTs) out.newestTs = record.ts;
        const seen = pending.get(record.key);
        if (seen === undefined) {
          pending.set(record.key, { record, fileId: b.fileId });
          continue;
        }
        const m = mergeCopies(seen.record, record, b.fileId < seen.fileId);
        countOutcome(stats, m.outcome);
        if (m.changed)
          pending.set(record.key, { record: m.record, fileId: m.metaFromIncoming ? b.fileId : seen.fileId });
      }
    }
    return pending;
  }

  /** File rows of the batch; files another process applied first (stale) and sessions whose fallback class changed. */
  private applyFiles(batches: FileBatch[]): { stale: Set<number>; changed: string[] } {
    // Only files with a signal can change their session's fallback class (signals only add up).
    const signalled = new Set<string>();
    for (const b of batches) {
      const sig = b.file?.signals;
      if (b.sessionId && sig && (sig.fileHistorySnapshot || sig.queueOperationFirst || sig.promptSourceSdk))
        signalled.add(b.sessionId);
    }
    const before = new Map<string, RequestClass>();
    for (const s of signalled) before.set(s, this.cachedSessionClass(s));
    // A file another process read first keeps its counts (its copies still merge, harmlessly).
    const stale = new Set<number>();
    for (const b of batches) {
      if (b.file && !this.files.applyRead({ ...b.file, billableLines: 0, dupReplaced: 0, dupDropped: 0 }))
        stale.add(b.fileId);
    }
    const changed: string[] = [];
    for (const s of signalled) {
      this.classCache.delete(s);
      if (this.cachedSessionClass(s) !== before.get(s)) changed.push(s);
    }
    return { stale, changed };
  }

  /** Stores one merged copy: inserted when new, else merged into the stored row by the dedup rule. */
  private store(
    p: Pending,
    stats: { replaced: number; dropped: number } | undefined,
    sessionClass: Map<string, RequestClass>,
    out: BatchOutcome,
  ): void {
    const r = p.record;
    // A copy that cannot win against one this writer stored needs no database round trip.
    const known = this.written.get(r.key);
    if (known !== undefined && cannotWin(known, this.writtenFile.get(r.key), r, p.fileId)) {
      if (stats) stats.dropped++;
      return;
    }
    // A key this writer stored is merged at once: an insert would only meet the conflict.
    let row = known === undefined ? undefined : (this.select.get(r.key) as Row | undefined);
    if (row === undefined) {
      const cls = this.classOf(r, sessionClass);
      if (
        this.insert.run(fillRow(this.row, r, p.fileId, cls, this.options.price(r), this.options.priceVersion)).changes >
        0
      ) {
        this.remember(r, p.fileId);
        out.added++;
        if (this.linking && r.requestId !== null) {
          // Telemetry counted the request when it ended: more output than a streaming copy has.
          const output = this.telemetry.absorb(r.requestId, r.key);
          if (output !== null && output > r.usage.output) this.raiseOutput(r, p.fileId, output, sessionClass);
        }
        if (this.linkingKeyless) this.telemetry.absorbKeyless(r);
        return;
      }
      row = this.select.get(r.key) as Row;
    }
    const stored = fromRow(row);
    const m = mergeCopies(stored.record, r, stored.fileId !== null && p.fileId < stored.fileId);
    // Counted as a read of the file anew would count it: a copy of its own earlier read is no duplicate.
    if (stats && !(known === undefined && stored.fileId === p.fileId && this.reread.has(p.fileId)))
      countOutcome(stats, m.outcome);
    const fileId = m.metaFromIncoming ? p.fileId : stored.fileId;
    this.remember(m.record, fileId);
    if (m.changed) {
      const v = this.values(m.record, fileId, this.classOf(m.record, sessionClass));
      this.update.run([...v.slice(1), v[0]!]);
      // A later copy may carry the final counts a keyless event is known by.
      if (this.linkingKeyless) this.telemetry.absorbKeyless(m.record);
    }
  }

  /**
   * Prepares a large load of about `expectedRows` requests: no fsync, and when the table holds at
   * most half as many (none, on a first read) its secondary indexes are dropped and rebuilt once at
   * the end (see bulk-load.ts). The WAL keeps its usual checkpoints: a WAL let
   * grow to the whole store (about 28 MB for 1 GB of logs) made every page read search a large WAL
   * index and left the whole copy into the database for the end, when only this thread works
   * (a cold read of 1 GB took 3-8% longer).
   */
  beginBulk(expectedRows = 0): void {
    this.bulk = true;
    // No fsync per commit or checkpoint while loading: the logs can always be read again (--rebuild).
    this.syncBefore = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = OFF');
    // Rows there before: none on a first read; a rebuild's kept history (gone-transcripts.ts) is few
    // beside what it reads. Few rows: the indexes are built once at the end, and the sessions whose
    // rows lack an entrypoint are known. Many (a large append to a large store): as for any write.
    const before = this.db.prepare('SELECT COUNT(*) FROM requests').pluck().get() as number;
    const few = before <= expectedRows / 2;
    this.bulkSessions.begin(this.db, few, before);
    if (few) deferRequestIndexes(this.db);
  }

  /**
   * Ends a large load: rebuilds deferred indexes, applies deferred reclassification, checkpoints the
   * WAL; what the load wrote goes to the disk in the background meanwhile (background-flush.ts).
   */
  endBulk(): void {
    // The rows are in: their pages start for the disk while the indexes are built.
    this.db.pragma('wal_checkpoint(PASSIVE)');
    flushInBackground(this.db.name);
    restoreRequestIndexes(this.db);
    this.bulk = false;
    this.reclassifySessions(this.bulkSessions.take(this.db));
    this.db.pragma('wal_checkpoint(PASSIVE)');
    // And the indexes' pages, while the run sums up.
    flushInBackground(this.db.name);
    this.db.pragma(`synchronous = ${this.syncBefore}`);
  }

  /** Re-derives the fallback class of sessions (after history.jsonl or signals changed). */
  reclassifySessions(sessionIds: Iterable<string>): void {
    writeTransaction(this.db, () => {
      for (const s of sessionIds) {
        const cls = this.sessionClass(s);
        this.classCache.set(s, cls);
        this.reclassSession.run(cls, s, cls);
      }
    });
  }

  /** Applies the entrypoint -> class mapping to every stored row that has an entrypoint. */
  reclassifyEntrypoints(): number {
    let changed = 0;
    writeTransaction(this.db, () => {
      for (const ep of this.entrypoints.all() as string[]) {
        const cls = classOfEntrypoint(ep, this.options.classes) ?? 'unknown';
        changed += this.reclassEntrypoint.run(cls, ep, cls).changes;
      }
    });
    return changed;
  }

  /** The fallback class of a session, cached for this writer (its signals only change through writeBatch). */
  private cachedSessionClass(sessionId: string): RequestClass {
    let cls = this.classCache.get(sessionId);
    if (cls === undefined) {
      cls = this.sessionClass(sessionId);
      this.classCache.set(sessionId, cls);
    }
    return cls;
  }

  /** Stores `r` again with telemetry's larger output count (the transcript had a streaming copy only). */
  private raiseOutput(r: RequestRecord, fileId: number, output: number, sessionClass: Map<string, RequestClass>): void {
    const raised: RequestRecord = { ...r, usage: { ...r.usage, output } };
    const v = this.values(raised, fileId, this.classOf(raised, sessionClass));
    this.update.run([...v.slice(1), v[0]!]);
    this.remember(raised, fileId);
  }

  private remember(r: RequestRecord, fileId: number | null): void {
    this.written.set(r.key, r.source === 'line' ? r.usage.output : -(r.usage.output + 1));
    if (fileId === null) this.writtenFile.delete(r.key);
    else this.writtenFile.set(r.key, fileId);
  }

  private sessionClass(sessionId: string): RequestClass {
    return classOfSession(this.files.sessionSignals(sessionId), this.files.inHistory(sessionId));
  }

  private classOf(r: RequestRecord, sessions: Map<string, RequestClass>): RequestClass {
    const byEntry = classOfEntrypoint(r.entrypoint, this.options.classes);
    if (byEntry !== null) return byEntry;
    if (r.sessionId === null) return 'unknown';
    if (r.entrypoint === null && this.bulk) this.bulkSessions.entrylessRow(r.sessionId);
    let cls = sessions.get(r.sessionId);
    if (cls === undefined) {
      cls = this.sessionClass(r.sessionId);
      sessions.set(r.sessionId, cls);
    }
    return cls;
  }

  private values(r: RequestRecord, fileId: number, cls: RequestClass): Value[] {
    return rowValues(r, fileId, cls, this.options.price(r), this.options.priceVersion);
  }
}
