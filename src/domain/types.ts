/**
 * Core types shared by every layer. Pure data: no I/O, no React.
 */

/** Who was driving the request: a script/SDK (charged to the credit), a person, or no signal. */
export type RequestClass = 'programmatic' | 'interactive' | 'unknown';

export const REQUEST_CLASSES: readonly RequestClass[] = ['programmatic', 'interactive', 'unknown'];

/** Token counts of one API response, already validated (non-negative safe integers). */
export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  /** 5-minute cache writes (all writes when the log has no `cache_creation` breakdown). */
  cacheWrite5m: number;
  cacheWrite1h: number;
  webSearch: number;
  webFetch: number;
}

/** Where a request copy was read from: its own transcript line, or a subagent copy in a `progress` line. */
export type RequestSource = 'line' | 'progress';

/**
 * One billable API response as read from a log line, before pricing.
 * `key` is the de-duplication key: `message.id` + `requestId` when present, else a stable
 * key derived from the line (its `uuid`, or a hash of the line) so re-reading never double counts.
 */
export interface RequestRecord {
  key: string;
  messageId: string | null;
  requestId: string | null;
  sessionId: string | null;
  /** The session's working directory (`cwd`), the project. */
  project: string | null;
  gitBranch: string | null;
  ccVersion: string | null;
  /** Top-level `entrypoint` of the line, when present. */
  entrypoint: string | null;
  agentId: string | null;
  isSidechain: boolean;
  model: string;
  /** Epoch milliseconds (UTC). */
  ts: number;
  usage: TokenUsage;
  speed: string | null;
  inferenceGeo: string | null;
  serviceTier: string | null;
  source: RequestSource;
}

/** Who and what ran a request, from telemetry (all null for a request known only from a transcript). */
export interface Attribution {
  user: string | null;
  repo: string | null;
  workflow: string | null;
  runId: string | null;
  host: string | null;
  agentName: string | null;
  skill: string | null;
  /** Claude Code's own cost estimate (`cost_usd`). */
  ccCost: number | null;
}

/** A request as stored: classified and priced (cost null = no price table knows the model). */
export interface StoredRequest extends Omit<RequestRecord, 'usage'> {
  usage: TokenUsage;
  class: RequestClass;
  cost: number | null;
  priceVersion: string | null;
  /** Where its tokens came from: a transcript read here, one another machine pushed, or telemetry alone. */
  origin?: 'transcript' | 'push' | 'otel';
  attribution?: Attribution;
}

/** Why a line was skipped; counted per reason and reported. */
export type SkipReason =
  | 'malformed-json'
  | 'not-an-object'
  | 'bad-usage'
  | 'missing-model'
  | 'missing-timestamp'
  | 'bad-timestamp'
  | 'implausible-timestamp'
  | 'line-too-long';

/** Per-session fallback signals for lines without `entrypoint` (see log-format.md). */
export interface FileSignals {
  fileHistorySnapshot: boolean;
  queueOperationFirst: boolean;
  promptSourceSdk: boolean;
}

/** Report/aggregation groupings (the `report --by` contract). */
export type GroupBy = 'model' | 'day' | 'project' | 'branch' | 'session' | 'entrypoint' | 'class' | AttributionGroupBy;

/** Groupings by who and what ran a request (from telemetry, or `transcript`/`otel` for source). */
export type AttributionGroupBy = 'user' | 'repo' | 'workflow' | 'run' | 'host' | 'source';

export const ATTRIBUTION_GROUP_BYS: readonly AttributionGroupBy[] = [
  'user',
  'repo',
  'workflow',
  'run',
  'host',
  'source',
];

export const GROUP_BYS: readonly GroupBy[] = [
  'model',
  'day',
  'project',
  'branch',
  'session',
  'entrypoint',
  'class',
  ...ATTRIBUTION_GROUP_BYS,
];

/** `report --by`: the groupings, and calendar weeks (from Monday) and months of the zone. */
export type ReportBy = GroupBy | 'week' | 'month';

export const REPORT_BYS: readonly ReportBy[] = ['model', 'day', 'week', 'month', ...GROUP_BYS.slice(2)];

/** One aggregated row, the `report --json` row shape. */
export interface AggregateRow {
  key: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  webSearchRequests: number;
  /** USD of the priced requests; unpriced requests add nothing here and are counted apart. */
  cost: number;
  unpricedRequests: number;
}

/** creditmeter's price beside Claude Code's own `cost_usd` for the requests telemetry reported. */
export interface TelemetryCostCheck {
  requests: number;
  creditmeterCost: number;
  claudeCodeCost: number;
}

export interface UnpricedModel {
  model: string;
  requests: number;
}
