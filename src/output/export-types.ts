/**
 * The gathered snapshot every export writer renders: the status object, the cycle's aggregate rows,
 * chart series and provenance. Writers are pure functions of this object.
 */
import type { AggregateRow, ReportBy, RequestClass, StoredRequest } from '../domain/types.js';
import type { StatusReport } from '../domain/status-types.js';
import type { RequestFilter } from '../store/request-filter.js';

export type ExportFormat = 'json' | 'csv' | 'md' | 'html';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'md', 'html'];

/**
 * A drill-down (the dashboard's current level): every set field narrows the rows, as the request
 * filter's field of that name does.
 */
export type DrillDown = Pick<
  RequestFilter,
  | 'model'
  | 'project'
  | 'sessionId'
  | 'branch'
  | 'entrypoint'
  | 'user'
  | 'repo'
  | 'workflow'
  | 'runId'
  | 'host'
  | 'source'
> & {
  /** A local day, YYYY-MM-DD in the plan's zone: the window narrows to it. */
  day?: string;
};

/** The drill-down's fields in the order outputs name them, with the word each is named by. */
export const DRILL_FIELDS: ReadonlyArray<readonly [keyof DrillDown, string]> = [
  ['day', 'day'],
  ['model', 'model'],
  ['project', 'project'],
  ['branch', 'branch'],
  ['sessionId', 'session'],
  ['entrypoint', 'entrypoint'],
  ['user', 'user'],
  ['repo', 'repository'],
  ['workflow', 'workflow'],
  ['runId', 'run'],
  ['host', 'host'],
  ['source', 'source'],
];

/** What view the snapshot shows; the md, html and json outputs state it. */
export interface SnapshotView {
  classFilter: RequestClass | 'all';
  grouping: ReportBy;
  drill: DrillDown;
  textFilter: string | null;
  /** The requests' window: the cycle, clipped at `now`. ISO. */
  from: string;
  to: string;
}

export interface UnpricedCoverage {
  model: string;
  requests: number;
  tokens: number;
}

/** How complete the store is: what was read, dropped, skipped, and left unpriced. */
export interface SnapshotCoverage {
  files: number;
  missingFiles: number;
  lines: number;
  requests: number;
  duplicatesReplaced: number;
  duplicatesDropped: number;
  noIdLines: number;
  skippedLines: Record<string, number>;
  unpriced: UnpricedCoverage[];
  oldestRequest: string | null;
  newestRequest: string | null;
  /** Modification time of the oldest transcript still on disk. ISO. */
  oldestTranscriptOnDisk: string | null;
  warnings: string[];
}

export interface Provenance {
  creditmeterVersion: string;
  generatedAt: string;
  timezone: string;
  roots: string[];
  priceTable: { version: string; hash: string };
  coverage: SnapshotCoverage;
  /** What the telemetry receiver took in, and Claude Code's own cost beside creditmeter's for those requests. */
  telemetry: SnapshotTelemetry;
}

export interface SnapshotTelemetry {
  /** Receiver counters: received, ignored, rejected:<reason>, http:<status>. */
  counts: Record<string, number>;
  /** Requests of the view known from Claude Code's telemetry alone (no transcript copy read here or pushed). */
  telemetryOnlyRequests: number;
  ownCost: { requests: number; creditmeterCost: number; claudeCodeCost: number; difference: number };
}

/** Spend of one local day, per class (the daily bars). */
export interface DailyClassSpend {
  day: string;
  programmatic: number;
  interactive: number;
  unknown: number;
}

/** The groupings every snapshot carries, plus the view's own when it is another one. */
export type SnapshotGroups = Record<'model' | 'day' | 'project' | 'entrypoint' | 'session', AggregateRow[]> &
  Partial<Record<ReportBy, AggregateRow[]>>;

export interface Snapshot {
  provenance: Provenance;
  view: SnapshotView;
  status: StatusReport;
  /** Totals of the view's rows (class filter, drill-down and text filter applied). */
  totals: AggregateRow;
  groups: SnapshotGroups;
  /** Credit-counted spend per local day of the whole cycle (the cumulative chart), zero days included. */
  creditDaily: Array<{ day: string; cost: number }>;
  /** The view's spend per local day and class (the daily bars), zero days included. */
  daily: DailyClassSpend[];
  /** Every request of the view, oldest first (read lazily, once); only for the per-request CSV. */
  requests: Iterable<StoredRequest> | null;
}
