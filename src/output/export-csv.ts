/**
 * CSV exports (RFC 4180: header row, CRLF line ends, fields quoted when they hold a comma, quote or
 * line break): one row per request, or one row per group with `--by`.
 */
import { DateTime } from 'luxon';
import type { AggregateRow, GroupBy, StoredRequest } from '../domain/types.js';
import type { Snapshot } from './export-types.js';

type Cell = string | number | boolean | null;

/** Money without float noise or exponent notation (`0.030775`); empty for unpriced. */
function money(usd: number | null): string {
  if (usd === null) return '';
  return usd.toFixed(6).replace(/\.?0+$/, '');
}

/**
 * One CSV field. Text that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or
 * CR) gets a leading apostrophe, so a crafted project path or branch name stays inert text.
 */
export function csvField(value: Cell, text = true): string {
  if (value === null) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (text && typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function line(cells: string[]): string {
  return `${cells.join(',')}\r\n`;
}

const REQUEST_COLUMNS = [
  'timestamp', 'local_time', 'class', 'model', 'cost_usd', 'input_tokens', 'output_tokens',
  'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'web_search_requests',
  'web_fetch_requests', 'project', 'session_id', 'entrypoint', 'git_branch', 'claude_code_version',
  'agent_id', 'is_sidechain', 'speed', 'inference_geo', 'service_tier', 'source', 'price_version',
  'message_id', 'request_id', 'key',
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
  const local = localTime(r.ts);
  const numbers = [u.input, u.output, u.cacheRead, u.cacheWrite5m, u.cacheWrite1h, u.webSearch, u.webFetch].map((n) => csvField(n, false));
  const text = [r.project, r.sessionId, r.entrypoint, r.gitBranch, r.ccVersion, r.agentId].map((t) => csvField(t));
  return [
    new Date(r.ts).toISOString(), local, r.class, csvField(r.model), money(r.cost), ...numbers, ...text,
    r.isSidechain ? 'true' : 'false', csvField(r.speed), csvField(r.inferenceGeo), csvField(r.serviceTier),
    r.source, csvField(r.priceVersion), csvField(r.messageId), csvField(r.requestId), csvField(r.key),
  ];
}

/** One row per request (oldest first) with every stored field; timestamps in UTC and in `tz`. */
export function renderRequestsCsv(requests: Iterable<StoredRequest>, tz: string): string {
  const parts = [line([...REQUEST_COLUMNS])];
  const localTime = localTimeFormatter(tz);
  for (const r of requests) parts.push(line(requestCells(r, localTime)));
  return parts.join('');
}

/** One row per group: the group key (named after the grouping), token sums, cost, unpriced count. */
export function renderAggregateCsv(rows: readonly AggregateRow[], by: GroupBy): string {
  const header = [by, 'requests', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_5m_tokens',
    'cache_write_1h_tokens', 'web_search_requests', 'cost_usd', 'unpriced_requests'];
  const parts = [line(header)];
  for (const r of rows) {
    const numbers = [r.requests, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWrite5mTokens,
      r.cacheWrite1hTokens, r.webSearchRequests].map((n) => csvField(n, false));
    parts.push(line([csvField(r.key), ...numbers, money(r.cost), csvField(r.unpricedRequests, false)]));
  }
  return parts.join('');
}

/** The CSV export of a snapshot: per request, or per group when `by` is given. */
export function renderCsv(s: Snapshot, by: GroupBy | null): string {
  if (by !== null) return renderAggregateCsv(s.groups[by] ?? [], by);
  return renderRequestsCsv(s.requests ?? [], s.status.cycle.timezone);
}
