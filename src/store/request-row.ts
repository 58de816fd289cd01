/**
 * The `requests` row as stored: its columns, a request copy's values in column order, and back.
 */
import type { RequestClass, RequestRecord, RequestSource, TokenUsage } from '../domain/types.js';

/** Columns written for each request, in bind order. */
export const COLUMNS = [
  'key',
  'message_id',
  'request_id',
  'session_id',
  'project',
  'git_branch',
  'cc_version',
  'entrypoint',
  'class',
  'agent_id',
  'is_sidechain',
  'model',
  'ts',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'web_search_requests',
  'web_fetch_requests',
  'speed',
  'inference_geo',
  'service_tier',
  'cost',
  'price_version',
  'source',
  'file_id',
] as const;

export type Row = Record<(typeof COLUMNS)[number], string | number | null>;

/** A `requests` row as read back (`SELECT *`), column by column with its stored type. */
export interface StoredRow {
  key: string;
  message_id: string | null;
  request_id: string | null;
  session_id: string | null;
  project: string | null;
  git_branch: string | null;
  cc_version: string | null;
  entrypoint: string | null;
  class: RequestClass;
  agent_id: string | null;
  is_sidechain: number;
  model: string;
  ts: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  web_search_requests: number;
  web_fetch_requests: number;
  speed: string | null;
  inference_geo: string | null;
  service_tier: string | null;
  cost: number | null;
  price_version: string | null;
  source: RequestSource;
  origin?: string;
  user_name?: string | null;
  repo?: string | null;
  workflow?: string | null;
  run_id?: string | null;
  host?: string | null;
  agent_name?: string | null;
  skill?: string | null;
  cc_cost?: number | null;
}
export type Value = string | number | null;

/** Column values of one request in COLUMNS order (no prompt or response text exists to store). */
export function rowValues(
  r: RequestRecord,
  fileId: number,
  cls: RequestClass,
  cost: number | null,
  priceVersion: string,
): Value[] {
  return fillRow(new Array<Value>(COLUMNS.length), r, fileId, cls, cost, priceVersion);
}

/** Writes the column values of one request into `row` (reused across rows: one array, not one per row). */
export function fillRow(
  row: Value[],
  r: RequestRecord,
  fileId: number,
  cls: RequestClass,
  cost: number | null,
  priceVersion: string,
): Value[] {
  const u = r.usage;
  row[0] = r.key;
  row[1] = r.messageId;
  row[2] = r.requestId;
  row[3] = r.sessionId;
  row[4] = r.project;
  row[5] = r.gitBranch;
  row[6] = r.ccVersion;
  row[7] = r.entrypoint;
  row[8] = cls;
  row[9] = r.agentId;
  row[10] = r.isSidechain ? 1 : 0;
  row[11] = r.model;
  row[12] = r.ts;
  row[13] = u.input;
  row[14] = u.output;
  row[15] = u.cacheRead;
  row[16] = u.cacheWrite5m;
  row[17] = u.cacheWrite1h;
  row[18] = u.webSearch;
  row[19] = u.webFetch;
  row[20] = r.speed;
  row[21] = r.inferenceGeo;
  row[22] = r.serviceTier;
  row[23] = cost;
  row[24] = priceVersion;
  row[25] = r.source;
  row[26] = fileId;
  return row;
}

/** The count columns of a stored request row: tokens by kind and tool calls. */
export const USAGE_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'web_search_requests',
  'web_fetch_requests',
] as const;

/** The token columns of a stored request row (any row type that selected them fits). */
export type UsageColumns = Pick<Row, (typeof USAGE_COLUMNS)[number]>;

/** The token counts of a stored row, column by column (NULL reads as 0): the one mapping every reader uses. */
export function usageOfRow(row: UsageColumns): TokenUsage {
  return {
    input: Number(row.input_tokens ?? 0),
    output: Number(row.output_tokens ?? 0),
    cacheRead: Number(row.cache_read_tokens ?? 0),
    cacheWrite5m: Number(row.cache_write_5m_tokens ?? 0),
    cacheWrite1h: Number(row.cache_write_1h_tokens ?? 0),
    webSearch: Number(row.web_search_requests ?? 0),
    webFetch: Number(row.web_fetch_requests ?? 0),
  };
}

/** A stored row back as a request copy (to merge a later copy into it) and its file. */
export function fromRow(row: Row): { record: RequestRecord; fileId: number } {
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
    usage: usageOfRow(row),
    speed: s('speed'),
    inferenceGeo: s('inference_geo'),
    serviceTier: s('service_tier'),
    source: row.source === 'progress' ? 'progress' : 'line',
  };
  return { record, fileId: n('file_id') };
}
