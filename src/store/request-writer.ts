/**
 * Writes request copies into `requests`, one transaction per batch, de-duplicated across all
 * files by key (the copy with the most output tokens wins; a transcript line's metadata beats a
 * `progress` copy's), classified and priced. Never stores prompt or response text.
 */
import type { Db } from './database.js';
import { FileStateStore, type FileReadUpdate } from './file-state.js';
import { mergeCopies } from '../domain/parse-line.js';
import { classOfEntrypoint, classOfSession } from '../domain/classify.js';
import type { RequestClass, RequestRecord } from '../domain/types.js';

/** Prices one request copy (USD, null = unpriced). */
export type Pricer = (record: RequestRecord) => number | null;

export interface WriterOptions {
  classes: Readonly<Record<string, RequestClass>>;
  price: Pricer;
  priceVersion: string;
}

/** One file's read: its request copies (in line order) and the file row update. */
export interface FileBatch {
  fileId: number;
  records: RequestRecord[];
  file: Omit<FileReadUpdate, 'dupReplaced' | 'dupDropped' | 'billableLines'>;
}

export interface BatchOutcome {
  added: number;
  replaced: number;
  dropped: number;
  newestTs: number | null;
}

const COLUMNS = [
  'key', 'message_id', 'request_id', 'session_id', 'project', 'git_branch', 'cc_version', 'entrypoint', 'class', 'agent_id',
  'is_sidechain', 'model', 'ts', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_5m_tokens',
  'cache_write_1h_tokens', 'web_search_requests', 'web_fetch_requests', 'speed', 'inference_geo', 'service_tier', 'cost',
  'price_version', 'source', 'file_id',
] as const;

type Row = Record<(typeof COLUMNS)[number], string | number | null>;

interface Pending {
  record: RequestRecord;
  fileId: number;
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

  constructor(private readonly db: Db, private readonly options: WriterOptions) {
    this.files = new FileStateStore(db);
    const cols = COLUMNS.join(', ');
    const params = COLUMNS.map((c) => `@${c}`).join(', ');
    this.insert = db.prepare(`INSERT INTO requests (${cols}) VALUES (${params}) ON CONFLICT(key) DO NOTHING`);
    this.select = db.prepare(`SELECT ${cols} FROM requests WHERE key = ?`);
    const sets = COLUMNS.filter((c) => c !== 'key').map((c) => `${c} = @${c}`).join(', ');
    this.update = db.prepare(`UPDATE requests SET ${sets} WHERE key = @key`);
    this.reclassSession = db.prepare('UPDATE requests SET class = ? WHERE session_id = ? AND entrypoint IS NULL AND class <> ?');
    this.entrypoints = db.prepare('SELECT DISTINCT entrypoint FROM requests WHERE entrypoint IS NOT NULL').pluck();
    this.reclassEntrypoint = db.prepare('UPDATE requests SET class = ? WHERE entrypoint = ? AND class <> ?');
  }

  /**
   * Writes several files' reads in one transaction: file rows first (their signals decide the
   * class of entrypoint-less rows), then the de-duplicated copies, then the touched sessions' classes.
   */
  writeBatch(batches: FileBatch[]): BatchOutcome {
    const out: BatchOutcome = { added: 0, replaced: 0, dropped: 0, newestTs: null };
    this.db.transaction(() => {
      const sessions = new Set<string>();
      const perFile = new Map<number, { replaced: number; dropped: number }>();
      const pending = new Map<string, Pending>();
      for (const b of batches) {
        if (b.file.sessionId) sessions.add(b.file.sessionId);
        const stats = { replaced: 0, dropped: 0 };
        perFile.set(b.fileId, stats);
        for (const record of b.records) {
          if (record.sessionId === null && b.file.sessionId !== null) record.sessionId = b.file.sessionId;
          if (record.sessionId !== null && record.entrypoint === null) sessions.add(record.sessionId);
          if (out.newestTs === null || record.ts > out.newestTs) out.newestTs = record.ts;
          const seen = pending.get(record.key);
          if (seen === undefined) {
            pending.set(record.key, { record, fileId: b.fileId });
            continue;
          }
          const m = mergeCopies(seen.record, record);
          stats[m.outcome]++;
          if (m.changed) pending.set(record.key, { record: m.record, fileId: m.metaFromIncoming ? b.fileId : seen.fileId });
        }
      }
      for (const b of batches) this.files.applyRead({ ...b.file, billableLines: b.records.length, dupReplaced: 0, dupDropped: 0 });
      const sessionClass = new Map<string, RequestClass>();
      for (const s of sessions) sessionClass.set(s, this.sessionClass(s));
      for (const p of pending.values()) {
        const cls = this.classOf(p.record, sessionClass);
        if (this.insert.run(this.toRow(p.record, p.fileId, cls)).changes > 0) {
          out.added++;
          continue;
        }
        const stored = fromRow(this.select.get(p.record.key) as Row);
        const m = mergeCopies(stored.record, p.record);
        const stats = perFile.get(p.fileId);
        if (stats) stats[m.outcome]++;
        if (m.changed) {
          const fileId = m.metaFromIncoming ? p.fileId : stored.fileId;
          this.update.run(this.toRow(m.record, fileId, this.classOf(m.record, sessionClass)));
        }
      }
      for (const [fileId, stats] of perFile) {
        out.replaced += stats.replaced;
        out.dropped += stats.dropped;
        this.files.addDuplicates(fileId, stats.replaced, stats.dropped);
      }
      for (const [s, cls] of sessionClass) this.reclassSession.run(cls, s, cls);
    })();
    return out;
  }

  /** Re-derives the fallback class of sessions (after history.jsonl or signals changed). */
  reclassifySessions(sessionIds: Iterable<string>): void {
    this.db.transaction(() => {
      for (const s of sessionIds) {
        const cls = this.sessionClass(s);
        this.reclassSession.run(cls, s, cls);
      }
    })();
  }

  /** Applies the entrypoint -> class mapping to every stored row that has an entrypoint. */
  reclassifyEntrypoints(): number {
    let changed = 0;
    this.db.transaction(() => {
      for (const ep of this.entrypoints.all() as string[]) {
        const cls = classOfEntrypoint(ep, this.options.classes) ?? 'unknown';
        changed += this.reclassEntrypoint.run(cls, ep, cls).changes;
      }
    })();
    return changed;
  }

  private sessionClass(sessionId: string): RequestClass {
    return classOfSession(this.files.sessionSignals(sessionId), this.files.inHistory(sessionId));
  }

  private classOf(r: RequestRecord, sessions: Map<string, RequestClass>): RequestClass {
    const byEntry = classOfEntrypoint(r.entrypoint, this.options.classes);
    if (byEntry !== null) return byEntry;
    if (r.sessionId === null) return 'unknown';
    let cls = sessions.get(r.sessionId);
    if (cls === undefined) {
      cls = this.sessionClass(r.sessionId);
      sessions.set(r.sessionId, cls);
    }
    return cls;
  }

  private toRow(r: RequestRecord, fileId: number, cls: RequestClass): Row {
    return {
      key: r.key,
      message_id: r.messageId,
      request_id: r.requestId,
      session_id: r.sessionId,
      project: r.project,
      git_branch: r.gitBranch,
      cc_version: r.ccVersion,
      entrypoint: r.entrypoint,
      class: cls,
      agent_id: r.agentId,
      is_sidechain: r.isSidechain ? 1 : 0,
      model: r.model,
      ts: r.ts,
      input_tokens: r.usage.input,
      output_tokens: r.usage.output,
      cache_read_tokens: r.usage.cacheRead,
      cache_write_5m_tokens: r.usage.cacheWrite5m,
      cache_write_1h_tokens: r.usage.cacheWrite1h,
      web_search_requests: r.usage.webSearch,
      web_fetch_requests: r.usage.webFetch,
      speed: r.speed,
      inference_geo: r.inferenceGeo,
      service_tier: r.serviceTier,
      cost: this.options.price(r),
      price_version: this.options.priceVersion,
      source: r.source,
      file_id: fileId,
    };
  }
}

function fromRow(row: Row): { record: RequestRecord; fileId: number } {
  const s = (k: keyof Row): string | null => (row[k] === null ? null : String(row[k]));
  const n = (k: keyof Row): number => Number(row[k] ?? 0);
  const record: RequestRecord = {
    key: String(row.key),
    messageId: s('message_id'),
    requestId: s('request_id'),
    sessionId: s('session_id'),
    project: s('project'),
    gitBranch: s('git_branch'),
    ccVersion: s('cc_version'),
    entrypoint: s('entrypoint'),
    agentId: s('agent_id'),
    isSidechain: n('is_sidechain') === 1,
    model: String(row.model),
    ts: n('ts'),
    usage: {
      input: n('input_tokens'),
      output: n('output_tokens'),
      cacheRead: n('cache_read_tokens'),
      cacheWrite5m: n('cache_write_5m_tokens'),
      cacheWrite1h: n('cache_write_1h_tokens'),
      webSearch: n('web_search_requests'),
      webFetch: n('web_fetch_requests'),
    },
    speed: s('speed'),
    inferenceGeo: s('inference_geo'),
    serviceTier: s('service_tier'),
    source: row.source === 'progress' ? 'progress' : 'line',
  };
  return { record, fileId: n('file_id') };
}
