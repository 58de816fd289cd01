/**
 * Read-side queries over stored requests: grouped sums for reports and the dashboard, totals,
 * unpriced models and the request list for drill-downs. Filtering and grouping happen in SQL.
 */
import type { Db } from './database.js';
import {
  ATTRIBUTION_COLUMNS,
  NO_ATTRIBUTION,
  SOURCE_EXPR,
  NO_ENTRYPOINT,
  NO_PROJECT,
  NO_SESSION,
  NO_BRANCH,
  prepared,
  whereClause,
  type RequestFilter,
} from './request-filter.js';
import { usageOfRow, type StoredRow } from './request-row.js';
import { dayRanges, periodRanges } from '../domain/time.js';
import { EARLIEST_PLAUSIBLE_MS, rangeCeilingMs } from '../domain/plausible.js';
import type {
  AggregateRow,
  GroupBy,
  ReportBy,
  RequestClass,
  StoredRequest,
  TelemetryCostCheck,
  UnpricedModel,
} from '../domain/types.js';

export { NO_ATTRIBUTION, NO_BRANCH, NO_ENTRYPOINT, NO_PROJECT, NO_SESSION, type RequestFilter };

const SUMS = `COUNT(*) AS requests,
  COALESCE(SUM(input_tokens), 0) AS inputTokens,
  COALESCE(SUM(output_tokens), 0) AS outputTokens,
  COALESCE(SUM(cache_read_tokens), 0) AS cacheReadTokens,
  COALESCE(SUM(cache_write_5m_tokens), 0) AS cacheWrite5mTokens,
  COALESCE(SUM(cache_write_1h_tokens), 0) AS cacheWrite1hTokens,
  COALESCE(SUM(web_search_requests), 0) AS webSearchRequests,
  TOTAL(cost) AS cost,
  COALESCE(SUM(cost IS NULL), 0) AS unpricedRequests`;

const KEY_EXPR: Record<Exclude<GroupBy, 'day'>, string> = {
  model: 'model',
  project: `COALESCE(project, '${NO_PROJECT}')`,
  branch: `COALESCE(git_branch, '${NO_BRANCH}')`,
  session: `COALESCE(session_id, '${NO_SESSION}')`,
  entrypoint: `COALESCE(entrypoint, '${NO_ENTRYPOINT}')`,
  class: 'class',
  user: `COALESCE(${ATTRIBUTION_COLUMNS.user}, '${NO_ATTRIBUTION}')`,
  repo: `COALESCE(${ATTRIBUTION_COLUMNS.repo}, '${NO_ATTRIBUTION}')`,
  workflow: `COALESCE(${ATTRIBUTION_COLUMNS.workflow}, '${NO_ATTRIBUTION}')`,
  run: `COALESCE(${ATTRIBUTION_COLUMNS.run}, '${NO_ATTRIBUTION}')`,
  host: `COALESCE(${ATTRIBUTION_COLUMNS.host}, '${NO_ATTRIBUTION}')`,
  source: SOURCE_EXPR,
};

/**
 * The attribution groupings that have at least one value in the store (Tab offers these).
 * Attribution comes only with telemetry, whose events the store keeps for good: without any, there
 * is none, and the requests are not scanned (each column's check reads the whole table when no
 * row has it: 30-150 ms on a store of 43,000 transcript requests).
 */
export function attributionPresent(db: Db): GroupBy[] {
  const out: GroupBy[] = [];
  if (prepared(db, 'SELECT EXISTS (SELECT 1 FROM telemetry_events)').pluck().get() !== 1) return out;
  for (const [by, column] of Object.entries(ATTRIBUTION_COLUMNS) as [keyof typeof ATTRIBUTION_COLUMNS, string][]) {
    const sql =
      by === 'source'
        ? "SELECT EXISTS (SELECT 1 FROM requests WHERE origin = 'otel') OR EXISTS (SELECT 1 FROM telemetry_events)"
        : `SELECT EXISTS (SELECT 1 FROM requests WHERE ${column} IS NOT NULL)`;
    if (prepared(db, sql).pluck().get() === 1) out.push(by);
  }
  return out;
}

/** SQLite returns big sums as numbers already; this pins the row to the contract's shape. */
function toRow(r: AggregateRow): AggregateRow {
  return {
    key: String(r.key),
    requests: Number(r.requests),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    cacheReadTokens: Number(r.cacheReadTokens),
    cacheWrite5mTokens: Number(r.cacheWrite5mTokens),
    cacheWrite1hTokens: Number(r.cacheWrite1hTokens),
    webSearchRequests: Number(r.webSearchRequests),
    cost: Number(r.cost),
    unpricedRequests: Number(r.unpricedRequests),
  };
}

/** The [min, max] timestamp of the filtered requests, via the ts index; null when there are none. */
function tsBounds(db: Db, filter: RequestFilter): { min: number; max: number } | null {
  const where = whereClause(filter);
  const r = prepared(db, `SELECT MIN(ts) AS min, MAX(ts) AS max FROM requests ${where.sql}`).get(...where.params) as
    { min: number | null; max: number | null } | undefined;
  return r && r.min !== null && r.max !== null ? { min: r.min, max: r.max } : null;
}

/**
 * Calendar-day buckets of `tz`: the day bounds (exact across DST) are computed in TypeScript and
 * handed to SQLite as one JSON parameter; each day is a range scan of the ts index.
 */
function aggregateByDay(
  db: Db,
  filter: RequestFilter,
  tz: string,
  unit: 'day' | 'week' | 'month' = 'day',
): AggregateRow[] {
  const bounds = tsBounds(db, filter);
  if (bounds === null) return [];
  // Stored times bound the days listed, but never past what is plausible (a store from before
  // implausible times were skipped may hold one): no range is built from an untrusted bound.
  const min = Math.max(bounds.min, EARLIEST_PLAUSIBLE_MS);
  const max = Math.min(bounds.max, rangeCeilingMs());
  if (max < min) return [];
  const ranges = unit === 'day' ? dayRanges(min, max + 1, tz) : periodRanges(min, max + 1, tz, unit);
  const days = ranges.map((d) => [d.day, d.startMs, d.endMs]);
  const where = whereClause(filter, ['ts >= d.s', 'ts < d.e']);
  const sql = `WITH d(day, s, e) AS (
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?))
    SELECT d.day AS key, ${SUMS} FROM d CROSS JOIN requests ${where.sql} GROUP BY d.day ORDER BY d.day`;
  const rows = prepared(db, sql).all(JSON.stringify(days), ...where.params) as AggregateRow[];
  return rows.map(toRow);
}

/**
 * Sums of the filtered requests grouped by `by`: most costly first (ties by key), except `day`,
 * `week` and `month`, which list the calendar periods of `tz` that have requests, oldest first. Requests without a
 * project or session group as "(unknown)", without an entrypoint as "(none)".
 */
export function aggregate(db: Db, by: ReportBy, filter: RequestFilter, tz: string): AggregateRow[] {
  if (by === 'day' || by === 'week' || by === 'month') return aggregateByDay(db, filter, tz, by);
  const key = KEY_EXPR[by];
  const where = whereClause(filter);
  const sql = `SELECT ${key} AS key, ${SUMS} FROM requests ${where.sql} GROUP BY 1 ORDER BY cost DESC, requests DESC, key ASC`;
  return (prepared(db, sql).all(...where.params) as AggregateRow[]).map(toRow);
}

/** Sums of every filtered request as one row with key "total" (zeros when there are none). */
export function totals(db: Db, filter: RequestFilter): AggregateRow {
  const where = whereClause(filter);
  const row = prepared(db, `SELECT 'total' AS key, ${SUMS} FROM requests ${where.sql}`).get(
    ...where.params,
  ) as AggregateRow;
  return toRow(row);
}

/** Models of the filtered requests that no price table knew, with their request counts (most first). */
export function unpricedModels(db: Db, filter: RequestFilter): UnpricedModel[] {
  const where = whereClause(filter, ['cost IS NULL']);
  const sql = `SELECT model, COUNT(*) AS requests FROM requests ${where.sql} GROUP BY model ORDER BY requests DESC, model ASC`;
  return prepared(db, sql).all(...where.params) as UnpricedModel[];
}

function toStoredRequest(r: StoredRow): StoredRequest {
  return {
    key: r.key,
    messageId: r.message_id,
    requestId: r.request_id,
    sessionId: r.session_id,
    project: r.project,
    gitBranch: r.git_branch,
    ccVersion: r.cc_version,
    entrypoint: r.entrypoint,
    agentId: r.agent_id,
    isSidechain: r.is_sidechain !== 0,
    model: r.model,
    ts: r.ts,
    usage: usageOfRow(r),
    speed: r.speed,
    inferenceGeo: r.inference_geo,
    serviceTier: r.service_tier,
    source: r.source,
    class: r.class,
    cost: r.cost,
    priceVersion: r.price_version,
    // As the source grouping tells them (SOURCE_EXPR): a pushed copy carries its message id.
    origin: r.origin === 'otel' ? (r.message_id !== null ? 'push' : 'otel') : 'transcript',
    attribution: {
      user: r.user_name ?? null,
      repo: r.repo ?? null,
      workflow: r.workflow ?? null,
      runId: r.run_id ?? null,
      host: r.host ?? null,
      agentName: r.agent_name ?? null,
      skill: r.skill ?? null,
      ccCost: r.cc_cost ?? null,
    },
  };
}

/** One page of the filtered requests, newest first unless `newestFirst` is false (ties by key). */
export function listRequests(
  db: Db,
  filter: RequestFilter,
  opts: { limit: number; offset?: number; newestFirst?: boolean },
): StoredRequest[] {
  const where = whereClause(filter);
  const dir = opts.newestFirst === false ? 'ASC' : 'DESC';
  const sql = `SELECT * FROM requests ${where.sql} ORDER BY ts ${dir}, key ${dir} LIMIT ? OFFSET ?`;
  const limit = Math.max(0, Math.floor(opts.limit));
  const offset = Math.max(0, Math.floor(opts.offset ?? 0));
  return (prepared(db, sql).all(...where.params, limit, offset) as StoredRow[]).map(toStoredRequest);
}

/** Requests that carry Claude Code's own cost estimate (telemetry), with both sums: the comparison shown in provenance. */
export function ownCostComparison(db: Db, filter: RequestFilter): TelemetryCostCheck {
  // Unpriced requests (cost NULL) have no price of ours to compare: they would count as $0.
  const where = whereClause(filter, ['cc_cost IS NOT NULL', 'cost IS NOT NULL']);
  const r = prepared(
    db,
    `SELECT COUNT(*) AS requests, TOTAL(cost) AS creditmeterCost, TOTAL(cc_cost) AS claudeCodeCost FROM requests ${where.sql}`,
  ).get(...where.params) as { requests: number; creditmeterCost: number; claudeCodeCost: number };
  return {
    requests: Number(r.requests),
    creditmeterCost: Number(r.creditmeterCost),
    claudeCodeCost: Number(r.claudeCodeCost),
  };
}

/** What names a session on screen: its project, git branch, first request and entrypoint. */
export interface SessionInfo {
  sessionId: string;
  project: string | null;
  branch: string | null;
  firstTs: number;
  entrypoint: string | null;
}

/** Facts of the filtered requests' sessions, by session id (the first request's project, branch and entrypoint). */
export function sessionInfo(db: Db, filter: RequestFilter): Map<string, SessionInfo> {
  const where = whereClause(filter);
  // SQLite takes the bare columns of a MIN() aggregate from the row holding the minimum: the
  // session's first request, in one pass.
  const sql = `SELECT session_id AS s, MIN(ts) AS t, project, git_branch AS branch, entrypoint FROM requests ${where.sql} GROUP BY session_id`;
  const rows = prepared(db, sql).all(...where.params) as Array<{
    s: string | null;
    t: number;
    project: string | null;
    branch: string | null;
    entrypoint: string | null;
  }>;
  const out = new Map<string, SessionInfo>();
  for (const r of rows) {
    if (r.s === null) continue;
    out.set(r.s, { sessionId: r.s, project: r.project, branch: r.branch, firstTs: r.t, entrypoint: r.entrypoint });
  }
  return out;
}

/** One stored request by its key, or null. */
export function requestByKey(db: Db, key: string): StoredRequest | null {
  const row = prepared(db, 'SELECT * FROM requests WHERE key = ?').get(key) as StoredRow | undefined;
  return row === undefined ? null : toStoredRequest(row);
}

/** A group's cost and requests per class. */
export interface ClassSplit {
  cost: Record<RequestClass, number>;
  requests: Record<RequestClass, number>;
}

/** Cost and requests of each group split by class (for lists that mix classes), by group key. */
export function classSplit(db: Db, by: GroupBy, filter: RequestFilter): Map<string, ClassSplit> {
  const out = new Map<string, ClassSplit>();
  if (by === 'day' || by === 'class') return out;
  const where = whereClause(filter);
  const sql = `SELECT ${KEY_EXPR[by]} AS key, class, TOTAL(cost) AS cost, COUNT(*) AS n FROM requests ${where.sql} GROUP BY 1, 2`;
  type Row = { key: string; class: RequestClass; cost: number; n: number };
  for (const r of prepared(db, sql).all(...where.params) as Row[]) {
    const split = out.get(r.key) ?? {
      cost: { programmatic: 0, interactive: 0, unknown: 0 },
      requests: { programmatic: 0, interactive: 0, unknown: 0 },
    };
    split.cost[r.class] = (split.cost[r.class] ?? 0) + r.cost;
    split.requests[r.class] = (split.requests[r.class] ?? 0) + r.n;
    out.set(r.key, split);
  }
  return out;
}
