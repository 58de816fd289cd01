/**
 * CSV exports (RFC 4180: header row, CRLF line ends, fields quoted when they hold a comma, quote or
 * line break, formulas defused): one row per request, or one row per group with `--by`.
 */
import { DateTime } from '../domain/luxon.js';
import type { AggregateRow, ReportBy, StoredRequest } from '../domain/types.js';
import type { Snapshot } from './export-types.js';
import { csvCell, csvRecord } from './table.js';

/**
 * A request's cost in full, to the trillionth of a dollar: a cost is whole tokens times prices of a
 * few decimals, so that is its exact decimal, without the binary noise of the arithmetic
 * (`0.1186023`, not `0.11860230000000001`). Rounding to cents would make the column's sum drift
 * from the totals of `status` and `report` as rows add up; this keeps it within 1e-12 a row. Never
 * in exponent notation; empty for unpriced.
 */
export function exactMoney(usd: number | null): string {
  if (usd === null) return '';
  if (Math.abs(usd) < 1e9) {
    // Twelve decimals for a cent-sized cost, fewer as the dollars take digits (a double holds 15-16).
    const digits = Math.max(0, 12 - Math.max(0, Math.floor(Math.log10(Math.abs(usd) || 1)) - 2));
    const fixed = usd.toFixed(digits).replace(/\.?0+$/, '');
    return fixed === '-0' ? '0' : fixed;
  }
  const s = String(usd);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', lead = '', frac = '', exp = '0'] = m;
  const e = Number(exp);
  const digits = lead + frac;
  return e < 0 ? `${sign}0.${'0'.repeat(-e - 1)}${digits}` : `${sign}${digits.padEnd(e + 1, '0')}`;
}

/** Money of an aggregate row without float noise (`0.030775`, 6 decimals like `report`); empty for unpriced. */
function roundedMoney(usd: number | null): string {
  if (usd === null) return '';
  return usd.toFixed(6).replace(/\.?0+$/, '');
}

const REQUEST_COLUMNS = [
  'timestamp',
  'local_time',
  'class',
  'model',
  'cost_usd',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'web_search_requests',
  'web_fetch_requests',
  'project',
  'session_id',
  'entrypoint',
  'git_branch',
  'claude_code_version',
  'agent_id',
  'is_sidechain',
  'speed',
  'inference_geo',
  'service_tier',
  'source',
  'price_version',
  'message_id',
  'request_id',
  'key',
  'origin',
  'user',
  'repo',
  'workflow',
  'run_id',
  'host',
  'agent_name',
  'skill',
  'claude_code_cost_usd',
] as const;

const QUARTER_HOUR = 900_000;

/**
 * `YYYY-MM-DD HH:mm:ss` in `tz`, fast for many rows: the zone's UTC offset is looked up once per
 * quarter hour (every zone changes offset only on quarter-hour boundaries).
 */
export function localTimeFormatter(tz: string): (ms: number) => string {
  const offsets = new Map<number, number>();
  return (ms) => {
    const q = Math.floor(ms / QUARTER_HOUR);
    let offset = offsets.get(q);
    if (offset === undefined) {
      offset = DateTime.fromMillis(q * QUARTER_HOUR, { zone: tz }).offset;
      offsets.set(q, offset);
    }
    return new Date(ms + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  };
}

function requestCells(r: StoredRequest, localTime: (ms: number) => string): string[] {
  const u = r.usage;
  const a = r.attribution;
  const before = [new Date(r.ts).toISOString(), localTime(r.ts), r.class, r.model];
  const after = [
    u.input,
    u.output,
    u.cacheRead,
    u.cacheWrite5m,
    u.cacheWrite1h,
    u.webSearch,
    u.webFetch,
    r.project,
    r.sessionId,
    r.entrypoint,
    r.gitBranch,
    r.ccVersion,
    r.agentId,
    r.isSidechain,
    r.speed,
    r.inferenceGeo,
    r.serviceTier,
    // Which transcript copy (a line, or a subagent's progress): none for a request telemetry alone knows.
    r.origin === 'otel' ? null : r.source,
    r.priceVersion,
    r.messageId,
    r.requestId,
    r.key,
    r.origin ?? 'transcript',
    a?.user ?? null,
    a?.repo ?? null,
    a?.workflow ?? null,
    a?.runId ?? null,
    a?.host ?? null,
    a?.agentName ?? null,
    a?.skill ?? null,
    a?.ccCost ?? null,
  ];
  // The cost is a plain decimal already (never negative, so never mistaken for a formula).
  return [...before.map(csvCell), exactMoney(r.cost), ...after.map(csvCell)];
}

/** One row per request (oldest first) with every stored field; timestamps in UTC and in `tz`. */
export function renderRequestsCsv(requests: Iterable<StoredRequest>, tz: string): string {
  const parts = [csvRecord(REQUEST_COLUMNS.map(csvCell))];
  const localTime = localTimeFormatter(tz);
  for (const r of requests) parts.push(csvRecord(requestCells(r, localTime)));
  return parts.join('');
}

/** One row per group: the group key (named after the grouping), token sums, cost, unpriced count. */
export function renderAggregateCsv(rows: readonly AggregateRow[], by: ReportBy): string {
  const header = [
    by,
    'requests',
    'input_tokens',
    'output_tokens',
    'cache_read_tokens',
    'cache_write_5m_tokens',
    'cache_write_1h_tokens',
    'web_search_requests',
    'cost_usd',
    'unpriced_requests',
  ];
  const parts = [csvRecord(header.map(csvCell))];
  for (const r of rows) {
    const cells = [
      r.key,
      r.requests,
      r.inputTokens,
      r.outputTokens,
      r.cacheReadTokens,
      r.cacheWrite5mTokens,
      r.cacheWrite1hTokens,
      r.webSearchRequests,
    ].map(csvCell);
    parts.push(csvRecord([...cells, roundedMoney(r.cost), csvCell(r.unpricedRequests)]));
  }
  return parts.join('');
}

/** The CSV export of a snapshot: per request, or per group when `by` is given. */
export function renderCsv(s: Snapshot, by: ReportBy | null): string {
  if (by !== null) return renderAggregateCsv(s.groups[by] ?? [], by);
  return renderRequestsCsv(s.requests ?? [], s.status.cycle.timezone);
}
