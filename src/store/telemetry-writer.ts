/**
 * Received telemetry in the store. Every billable event is kept in `telemetry_events` (the only
 * copy: telemetry cannot be read again), and joins `requests` under one rule, whatever the order
 * of arrival: one request per `request_id`. When a transcript copy of the request exists, the
 * transcript's row stands (its token split, message id, class) and gains telemetry's attribution;
 * otherwise the event is a request of its own (key `otel:<event key>`, cache writes at the
 * 5-minute rate) until a transcript copy arrives and takes its place.
 */
import { writeTransaction, type Db } from './database.js';
import type Database from 'better-sqlite3';
import { classOfEntrypoint } from '../domain/classify.js';
import { plausibleUsd } from '../domain/plausible.js';
import { usageOfRow, type UsageColumns } from './request-row.js';
import type { PriceInput } from '../domain/price-types.js';
import { eventFields, mergeEvents, type TelemetryEvent } from '../domain/telemetry.js';
import type { RequestClass, TokenUsage } from '../domain/types.js';

export interface TelemetryWriterOptions {
  classes: Readonly<Record<string, RequestClass>>;
  price: (input: PriceInput) => number | null;
  priceVersion: string;
}

export interface TelemetryOutcome {
  /** Events seen for the first time. */
  added: number;
  /** Events that attached to a transcript copy of their request. */
  linked: number;
}

/** The key of a telemetry-only request in `requests`. */
export function otelRowKey(eventKey: string): string {
  return `otel:${eventKey}`;
}

/** The columns of `telemetry_events`: an event's fields in eventFields' order, then when it came. */
const EVENT_COLUMNS = [
  'key',
  'request_id',
  'session_id',
  'prompt_id',
  'message_id',
  'model',
  'ts',
  'entrypoint',
  'cc_version',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'split_known',
  'web_search_requests',
  'web_fetch_requests',
  'speed',
  'inference_geo',
  'class_hint',
  'project',
  'git_branch',
  'user_name',
  'repo',
  'workflow',
  'run_id',
  'host',
  'agent_name',
  'skill',
  'cc_cost',
  'received_at',
] as const;

/** Attribution columns shared by `telemetry_events` and `requests`. */
const ATTRIBUTION = ['user_name', 'repo', 'workflow', 'run_id', 'host', 'agent_name', 'skill', 'cc_cost'] as const;

/** What the transcript writer needs: link a new transcript copy to a kept event of its request. */
export class TelemetryLink {
  private readonly eventByKey;
  private readonly otelRow;
  private readonly anyEvent;
  private readonly anyKeyless;
  private readonly keylessOtel;
  private readonly pairedEvents;
  private readonly pairOtel;
  private readonly otelExists;
  private readonly copyAttribution;
  readonly attach;
  readonly dropOtelRow;

  constructor(db: Db) {
    this.attach = db.prepare(`UPDATE requests SET ${ATTRIBUTION.map((c) => `${c} = ?`).join(', ')} WHERE key = ?`);
    this.dropOtelRow = db.prepare("DELETE FROM requests WHERE key = ? AND origin = 'otel'");
    this.eventByKey = db.prepare(`SELECT ${ATTRIBUTION.join(', ')}, output_tokens FROM telemetry_events WHERE key = ?`);
    this.otelRow = db.prepare(
      `SELECT ${ATTRIBUTION.join(', ')}, output_tokens FROM requests WHERE key = ? AND origin = 'otel'`,
    );
    this.anyEvent = db.prepare('SELECT EXISTS (SELECT 1 FROM telemetry_events) AS e').pluck();
    this.anyKeyless = db
      .prepare("SELECT EXISTS (SELECT 1 FROM requests WHERE request_id IS NULL AND origin = 'otel') AS e")
      .pluck();
    this.keylessOtel = nearestCopy(db, "origin = 'otel' AND request_id IS NULL", UNPAIRED_OTEL);
    this.pairedEvents = db.prepare('SELECT key FROM telemetry_events WHERE paired_row = ?').pluck();
    // The event and the twin it was merged with (joined_to holds each one's other, by its key).
    this.pairOtel = db.prepare(
      'UPDATE telemetry_events SET paired_row = ? WHERE key = ? OR key = (SELECT joined_to FROM telemetry_events WHERE key = ?)',
    );
    this.otelExists = db.prepare("SELECT EXISTS (SELECT 1 FROM requests WHERE key = ? AND origin = 'otel')").pluck();
    this.copyAttribution = db.prepare(
      `UPDATE requests SET (${ATTRIBUTION.join(', ')}) = (SELECT ${ATTRIBUTION.join(', ')} FROM requests WHERE key = ?) WHERE key = ?`,
    );
  }

  /** Whether a telemetry-only row without a request id is kept (keyless events, see absorbKeyless). */
  hasKeyless(): boolean {
    return this.anyKeyless.get() === 1;
  }

  /**
   * A transcript copy `r` was stored or updated: a telemetry-only row of the same request that came
   * without a request id (the same session, model and token counts, near in time) gives it its
   * attribution and goes, and the pair is kept. A copy already paired takes no other event (one
   * read again, or updated with its final counts); one paired before a rebuild read it takes its
   * event back. Runs inside the caller's transaction.
   */
  absorbKeyless(r: CopyOf & { key: string }): void {
    const paired = this.pairedEvents.all(r.key) as string[];
    if (paired.length > 0) {
      for (const k of paired) {
        const otel = otelRowKey(k);
        if (this.otelExists.get(otel) !== 1) continue;
        this.copyAttribution.run(otel, r.key);
        this.dropOtelRow.run(otel);
      }
      return;
    }
    const otel = this.keylessOtel(r);
    if (otel === undefined) return;
    this.copyAttribution.run(otel, r.key);
    this.dropOtelRow.run(otel);
    const eventKey = otel.slice('otel:'.length);
    this.pairOtel.run(r.key, eventKey, eventKey);
  }

  /** Whether any event is kept (the transcript writer skips linking while there is none). */
  hasEvents(): boolean {
    return this.anyEvent.get() === 1;
  }

  /**
   * A transcript copy of request `requestId` was stored as `key`: it takes the place of the
   * telemetry-only row and gains the event's attribution. Runs inside the caller's transaction.
   * The event's output count when there is an event (the caller keeps the larger: a transcript may
   * hold only a streaming copy of the request), else null.
   */
  absorb(requestId: string, key: string): number | null {
    // The telemetry-only row first: it holds the event merged with its pushed copy or paired
    // event (whose attribution stands, mergeEvents); else the event itself.
    const event = (this.otelRow.get(otelRowKey(requestId)) ?? this.eventByKey.get(requestId)) as
      Record<string, string | number | null> | undefined;
    if (event === undefined) return null;
    this.attach.run([...ATTRIBUTION.map((c) => event[c] ?? null), key]);
    this.dropOtelRow.run(otelRowKey(requestId));
    return Number(event.output_tokens ?? 0);
  }
}

/**
 * How far apart in time a telemetry event without a request id and a transcript copy may be and
 * still be one request (with the same session, model and every token count): the event is sent
 * when the response ends, the transcript line may be stamped when it began.
 */
const KEYLESS_WINDOW_MS = 10 * 60_000;

/** What tells one request's copies apart when no request id joins them. */
interface CopyOf {
  sessionId: string | null;
  model: string;
  ts: number;
  usage: TokenUsage;
}

/**
 * The key of the row in `requests` (of the rows `which` selects) that is the same request as a
 * copy without a request id: the same session, model and token counts (cache writes as their
 * sum), nearest in time within KEYLESS_WINDOW_MS; undefined when there is none.
 */
function nearestCopy(db: Db, which: string, free: string): (r: CopyOf, ...freeArgs: string[]) => string | undefined {
  const stmt = db
    .prepare(
      `SELECT key FROM requests WHERE session_id = ? AND ts BETWEEN ? AND ? AND ${which}
       AND model = ? AND input_tokens = ? AND output_tokens = ? AND cache_read_tokens = ?
       AND cache_write_5m_tokens + cache_write_1h_tokens = ? AND ${free} ORDER BY abs(ts - ?), key LIMIT 1`,
    )
    .pluck();
  return (r, ...freeArgs) => {
    if (r.sessionId === null) return undefined;
    const u = r.usage;
    const window = [r.ts - KEYLESS_WINDOW_MS, r.ts + KEYLESS_WINDOW_MS];
    return stmt.get(
      r.sessionId,
      ...window,
      r.model,
      u.input,
      u.output,
      u.cacheRead,
      u.cacheWrite5m + u.cacheWrite1h,
      ...freeArgs,
      r.ts,
    ) as string | undefined;
  };
}

/**
 * A transcript row no event without a request id is paired with (but those named: the event being
 * joined and its twin), so look-alike requests pair one to one.
 */
const UNPAIRED_ROW =
  'NOT EXISTS (SELECT 1 FROM telemetry_events t WHERE t.paired_row = requests.key AND t.key <> ? AND t.key <> ?)';

/** A telemetry-only row whose events are paired with no transcript row (one whose row a rebuild has yet to read). */
const UNPAIRED_OTEL =
  'NOT EXISTS (SELECT 1 FROM telemetry_events t WHERE t.key = substr(requests.key, 6) AND t.paired_row IS NOT NULL)';

/** Adds to one counter (reason, n, when), keeping when it last grew. */
const ADD_COUNT = `INSERT INTO telemetry_counts (reason, count, last_ms) VALUES (?, ?, ?) ON CONFLICT(reason) DO UPDATE SET count = count + excluded.count, last_ms = max(coalesce(last_ms, 0), excluded.last_ms)`;

/** Writes received events and links them to transcript copies of their requests. */
export class TelemetryWriter {
  private readonly upsertEvent;
  private readonly storedEvent;
  private readonly transcriptKeys;
  private readonly keylessTranscript;
  private readonly pairedRowOf;
  private readonly setPairedRow;
  private readonly transcriptRow;
  /** The kept event of the other kind (pushed or sent by Claude Code) that is the same request (twinOf). */
  private readonly twins: Readonly<Record<'keyless' | 'any', Database.Statement>>;
  private readonly pair;
  private readonly joinedTo;
  private readonly insertOtelRow;
  private readonly link: TelemetryLink;
  private readonly addCount;
  private readonly rowCounts;
  private readonly setOutput;

  constructor(
    private readonly db: Db,
    private readonly options: TelemetryWriterOptions,
  ) {
    this.link = new TelemetryLink(db);
    this.addCount = db.prepare(ADD_COUNT);
    this.storedEvent = db.prepare(`SELECT ${EVENT_COLUMNS.join(', ')} FROM telemetry_events WHERE key = ?`);
    const cols = EVENT_COLUMNS.join(', ');
    const params = EVENT_COLUMNS.map(() => '?').join(', ');
    this.upsertEvent = db.prepare(
      `INSERT INTO telemetry_events (${cols}) VALUES (${params}) ON CONFLICT(key) DO UPDATE SET ${EVENT_COLUMNS.filter(
        (c) => c !== 'key' && c !== 'received_at',
      )
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`,
    );
    this.transcriptKeys = db.prepare("SELECT key FROM requests WHERE request_id = ? AND origin = 'transcript'").pluck();
    this.rowCounts = db.prepare(
      `SELECT model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
         web_search_requests, web_fetch_requests, speed, inference_geo FROM requests WHERE key = ?`,
    );
    this.setOutput = db.prepare('UPDATE requests SET output_tokens = ?, cost = ?, price_version = ? WHERE key = ?');
    this.keylessTranscript = nearestCopy(db, "origin = 'transcript'", UNPAIRED_ROW);
    this.pairedRowOf = db.prepare('SELECT paired_row FROM telemetry_events WHERE key = ?').pluck();
    this.setPairedRow = db.prepare('UPDATE telemetry_events SET paired_row = ? WHERE key = ?');
    this.transcriptRow = db
      .prepare("SELECT EXISTS (SELECT 1 FROM requests WHERE key = ? AND origin = 'transcript')")
      .pluck();
    // The other kind's events that may be the same request: without a request id (for an event
    // with one; a small partial index), or any (for an event without one); never one paired with
    // another event already (`joined_to`), so look-alike requests pair one to one.
    const twin = (which: string): Database.Statement =>
      db.prepare(
        `SELECT ${EVENT_COLUMNS.join(', ')} FROM telemetry_events WHERE session_id = ? AND cache_read_tokens = ?
         AND output_tokens = ? AND ts BETWEEN ? AND ? AND ${which} AND split_known = ? AND key <> ?
         AND (joined_to IS NULL OR joined_to = ?) AND model = ? AND input_tokens = ?
         AND cache_write_5m_tokens + cache_write_1h_tokens = ? ORDER BY abs(ts - ?), key LIMIT 1`,
      );
    this.twins = { keyless: twin('request_id IS NULL'), any: twin('1 = 1') };
    this.pair = db.prepare('UPDATE telemetry_events SET joined_to = ? WHERE key = ?');
    this.joinedTo = db.prepare('SELECT joined_to FROM telemetry_events WHERE key = ?').pluck();
    this.insertOtelRow = db.prepare(
      `INSERT INTO requests (key, message_id, request_id, session_id, project, git_branch, cc_version, entrypoint,
         class, is_sidechain, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
         cache_write_1h_tokens, web_search_requests, web_fetch_requests, speed, inference_geo, cost, price_version,
         source, origin, ${ATTRIBUTION.join(', ')})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'line', 'otel', ${ATTRIBUTION.map(
         () => '?',
       ).join(', ')})
       ON CONFLICT(key) DO UPDATE SET ${['message_id', 'session_id', 'project', 'git_branch', 'cc_version']
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}, entrypoint = excluded.entrypoint, class = excluded.class, model = excluded.model,
         ts = excluded.ts, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
         cache_read_tokens = excluded.cache_read_tokens, cache_write_5m_tokens = excluded.cache_write_5m_tokens,
         cache_write_1h_tokens = excluded.cache_write_1h_tokens, web_search_requests = excluded.web_search_requests,
         web_fetch_requests = excluded.web_fetch_requests, speed = excluded.speed,
         inference_geo = excluded.inference_geo, cost = excluded.cost, price_version = excluded.price_version,
         ${ATTRIBUTION.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
  }

  /**
   * Keeps a batch of events in one transaction and joins each to `requests`; `counts` (what the
   * receiver ignored or refused in the batch) are added in the same transaction.
   */
  write(
    events: readonly TelemetryEvent[],
    receivedAt: number,
    counts: Readonly<Record<string, number>> = {},
  ): TelemetryOutcome {
    const out: TelemetryOutcome = { added: 0, linked: 0 };
    writeTransaction(this.db, () => {
      for (const [reason, n] of Object.entries(counts)) if (n > 0) this.addCount.run(reason, n, receivedAt);
      for (const received of events) {
        // A second copy of an event (sent again, or pushed and sent by Claude Code) is merged into
        // the first, so the order they come in does not change what is kept (mergeEvents).
        const stored = this.storedEvent.get(received.key) as EventRow | undefined;
        if (stored === undefined) out.added++;
        const e = stored === undefined ? received : mergeEvents(eventOfRow(stored), received);
        this.upsertEvent.run(eventValues(e, receivedAt));
        if (this.join(e)) out.linked++;
      }
    });
    return out;
  }

  /**
   * A transcript row whose copy of the request is a streaming one (fewer output tokens than the
   * event counts, sent when the response ended) takes the event's count, priced again.
   */
  private raiseOutput(key: string, output: number): void {
    const r = this.rowCounts.get(key) as
      (UsageColumns & { model: string; ts: number; speed: string | null; inference_geo: string | null }) | undefined;
    if (r === undefined || output <= Number(r.output_tokens)) return;
    const cost = this.options.price({
      model: r.model,
      ts: r.ts,
      usage: { ...usageOfRow(r), output },
      speed: r.speed,
      inferenceGeo: r.inference_geo,
    });
    this.setOutput.run(output, cost, this.options.priceVersion, key);
  }

  /** Re-joins every kept event to `requests` (after a rebuild or a repricing). */
  rejoinAll(): number {
    const rows = this.db.prepare(`SELECT ${EVENT_COLUMNS.join(', ')} FROM telemetry_events`).all() as EventRow[];
    writeTransaction(this.db, () => {
      for (const r of rows) this.join(eventOfRow(r));
    });
    return rows.length;
  }

  /**
   * The event of the other kind (a pushed copy for Claude Code's event, and the reverse) that is
   * the same request as `e` when no request id can say so (one of the two has none): the one it
   * was paired with before, else the one that says the same (session, model, every token count,
   * cache writes as their sum) nearest in time within KEYLESS_WINDOW_MS, not paired with another.
   */
  private twinOf(e: TelemetryEvent): TelemetryEvent | undefined {
    if (e.sessionId === null) return undefined;
    const pairedWith = this.joinedTo.get(e.key) as string | null | undefined;
    if (pairedWith != null) {
      const row = this.storedEvent.get(pairedWith) as EventRow | undefined;
      if (row !== undefined) return eventOfRow(row);
    }
    const u = e.usage;
    const row = this.twins[e.requestId === null ? 'any' : 'keyless'].get(
      e.sessionId,
      u.cacheRead,
      u.output,
      e.ts - KEYLESS_WINDOW_MS,
      e.ts + KEYLESS_WINDOW_MS,
      e.splitKnown ? 0 : 1,
      e.key,
      e.key,
      e.model,
      u.input,
      u.cacheWrite5m + u.cacheWrite1h,
      e.ts,
    ) as EventRow | undefined;
    return row === undefined ? undefined : eventOfRow(row);
  }

  /**
   * Joins one event: attribution onto the transcript copies, else its own row. True when linked.
   * Without a request id, a pushed copy and Claude Code's event of one request have different keys:
   * each is told by what it says (as a transcript copy is), and the two make one row.
   */
  private join(received: TelemetryEvent): boolean {
    let e = received;
    let linked = false;
    const twin = this.twinOf(e);
    const pairKeys = [received.key, twin?.key ?? received.key];
    if (twin !== undefined) {
      // One row for the two, under the key of the one with a request id (else the lesser key),
      // merged by kind (mergeEvents): the same row and the same figures whichever event is
      // joined, in whatever order, as often as it comes. The pair is kept, so a rebuild pairs them
      // again as they were, whatever other look-alike requests came since.
      this.pair.run(twin.key, e.key);
      this.pair.run(e.key, twin.key);
      const [first, second] = e.splitKnown ? [e, twin] : [twin, e];
      const key =
        first.requestId !== null
          ? first.key
          : second.requestId !== null
            ? second.key
            : twin.key < e.key
              ? twin.key
              : e.key;
      this.link.dropOtelRow.run(otelRowKey(key === e.key ? twin.key : e.key));
      e = { ...mergeEvents(first, second), key };
      linked = true;
    }
    const attribution = [e.user, e.repo, e.workflow, e.runId, e.host, e.agentName, e.skill, e.ccCost];
    if (e.requestId !== null) {
      const keys = this.transcriptKeys.all(e.requestId) as string[];
      if (keys.length > 0) {
        for (const k of keys) {
          this.link.attach.run([...attribution, k]);
          this.raiseOutput(k, e.usage.output);
        }
        this.link.dropOtelRow.run(otelRowKey(e.key));
        return true;
      }
    } else {
      // No request id to join by: the transcript copy it was paired with, else the one that says
      // the same and is paired with no other event. A pair whose copy a rebuild has yet to read
      // stays: the copy takes its event back when it comes (TelemetryLink.absorbKeyless).
      const paired = pairKeys.map((k) => this.pairedRowOf.get(k) as string | null | undefined).find((k) => k != null);
      const key =
        paired != null
          ? this.transcriptRow.get(paired) === 1
            ? paired
            : null
          : this.keylessTranscript(e, ...pairKeys);
      if (key != null) {
        this.link.attach.run([...attribution, key]);
        this.link.dropOtelRow.run(otelRowKey(e.key));
        for (const k of pairKeys) this.setPairedRow.run(key, k);
        return true;
      }
    }
    const cls = classOfEntrypoint(e.entrypoint, this.options.classes) ?? e.classHint ?? 'unknown';
    const cost = this.options.price({
      model: e.model,
      ts: e.ts,
      usage: e.usage,
      speed: e.speed,
      inferenceGeo: e.inferenceGeo,
    });
    const u = e.usage;
    this.insertOtelRow.run([
      otelRowKey(e.key),
      e.messageId,
      e.requestId,
      e.sessionId,
      e.project,
      e.gitBranch,
      e.ccVersion,
      e.entrypoint,
      cls,
      e.model,
      e.ts,
      u.input,
      u.output,
      u.cacheRead,
      u.cacheWrite5m,
      u.cacheWrite1h,
      u.webSearch,
      u.webFetch,
      e.speed,
      e.inferenceGeo,
      cost,
      this.options.priceVersion,
      ...attribution,
    ]);
    return linked;
  }
}

type EventRow = Record<(typeof EVENT_COLUMNS)[number], string | number | null>;

/** A row of `telemetry_events` (EVENT_COLUMNS): the event's fields, then when it came. */
function eventValues(e: TelemetryEvent, receivedAt: number): (string | number | null)[] {
  return [...eventFields(e), receivedAt];
}

/** A kept event back as an event (to join it again). */
export function eventOfRow(r: EventRow): TelemetryEvent {
  const s = (k: keyof EventRow): string | null => (r[k] === null ? null : String(r[k]));
  const n = (k: keyof EventRow): number => Number(r[k] ?? 0);
  const hint = s('class_hint');
  return {
    key: String(r.key),
    requestId: s('request_id'),
    sessionId: s('session_id'),
    promptId: s('prompt_id'),
    messageId: s('message_id'),
    model: String(r.model),
    ts: n('ts'),
    entrypoint: s('entrypoint'),
    ccVersion: s('cc_version'),
    usage: {
      input: n('input_tokens'),
      output: n('output_tokens'),
      cacheRead: n('cache_read_tokens'),
      cacheWrite5m: n('cache_write_5m_tokens'),
      cacheWrite1h: n('cache_write_1h_tokens'),
      webSearch: n('web_search_requests'),
      webFetch: n('web_fetch_requests'),
    },
    splitKnown: n('split_known') === 1,
    speed: s('speed'),
    inferenceGeo: s('inference_geo'),
    classHint: hint === 'programmatic' || hint === 'interactive' || hint === 'unknown' ? hint : null,
    project: s('project'),
    gitBranch: s('git_branch'),
    user: s('user_name'),
    repo: s('repo'),
    workflow: s('workflow'),
    runId: s('run_id'),
    host: s('host'),
    agentName: s('agent_name'),
    skill: s('skill'),
    // (A kept event from an older store may hold a figure past plausible: it is left out.)
    ccCost: r.cc_cost === null || !plausibleUsd(Number(r.cc_cost)) ? null : Number(r.cc_cost),
  };
}

/** The receiver's counters (events received, ignored, refused by reason, HTTP refusals). */
export function telemetryCounts(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT reason, count FROM telemetry_counts ORDER BY reason').all() as {
    reason: string;
    count: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.reason, r.count]));
}

/** Adds to one counter (HTTP-level refusals, outside any batch), last grown at `atMs`. */
export function addTelemetryCount(db: Db, reason: string, n = 1, atMs = Date.now()): void {
  db.prepare(ADD_COUNT).run(reason, n, atMs);
}
