/**
 * Turns a RequestFilter into a SQL WHERE clause with bound parameters, so every filter runs in
 * SQLite on its indexes (ts, class+ts, session+ts) instead of over rows loaded into memory.
 */
import type Database from 'better-sqlite3';
import type { Db } from './database.js';
import type { RequestClass, StoredRequest } from '../domain/types.js';

/**
 * Which requests a query covers. All fields optional; together they narrow (AND).
 * `classes`: undefined = every class, `[]` = none. `project: "(unknown)"`, `sessionId: "(unknown)"`
 * and `entrypoint: "(none)"` select the requests without that field (the keys `aggregate` gives them).
 * `text` is a case-insensitive substring of the model, project, session id, entrypoint, or who ran
 * it (user, repo, workflow): TEXT_COLUMNS.
 */
export interface RequestFilter {
  /** Inclusive start, epoch ms. */
  fromMs?: number;
  /** Exclusive end, epoch ms. */
  toMs?: number;
  classes?: RequestClass[];
  model?: string;
  project?: string;
  /** Git branch; "(none)" selects the requests without one. */
  branch?: string;
  sessionId?: string;
  entrypoint?: string;
  /** Attribution (telemetry): "(unknown)" / "(none)" select the requests without it. */
  user?: string;
  repo?: string;
  workflow?: string;
  runId?: string;
  host?: string;
  /** `transcript` or `otel`. */
  source?: string;
  text?: string;
}

/**
 * The columns a text filter reads, by the grouping whose row key each is (see textFieldsOf for the
 * same of a loaded request).
 */
const TEXT_COLUMN_OF = {
  model: 'model',
  project: 'project',
  session: 'session_id',
  entrypoint: 'entrypoint',
  user: 'user_name',
  repo: 'repo',
  workflow: 'workflow',
} as const;
const TEXT_COLUMNS = Object.values(TEXT_COLUMN_OF);

/** Whether a grouping's row key is a column the text filter reads (its rows are kept by their names). */
export function isTextGrouping(by: string): boolean {
  return Object.hasOwn(TEXT_COLUMN_OF, by);
}

/** A loaded request's values of TEXT_COLUMNS, in their order. */
export function textFieldsOf(
  r: Pick<StoredRequest, 'model' | 'project' | 'entrypoint' | 'attribution'> & { sessionId?: string | null },
): Array<string | null | undefined> {
  const a = r.attribution;
  return [r.model, r.project, r.sessionId, r.entrypoint, a?.user, a?.repo, a?.workflow];
}

/** Group keys of requests that lack the grouped field. */
export const NO_PROJECT = '(unknown)';
export const NO_SESSION = '(unknown)';
export const NO_BRANCH = '(none)';
export const NO_ENTRYPOINT = '(none)';
/** Group key of requests without the attribution field (no telemetry for them, or not sent). */
export const NO_ATTRIBUTION = '(none)';

/** The stored column of each attribution grouping. */
export const ATTRIBUTION_COLUMNS = {
  user: 'user_name',
  repo: 'repo',
  workflow: 'workflow',
  run: 'run_id',
  host: 'host',
  source: 'origin',
} as const;

/**
 * Where a request came from, as reports group it: `transcript` (read here), `push` (a transcript
 * copy another machine's creditmeter pushed: Claude Code's events carry no message id, pushed
 * copies do) or `otel` (known from Claude Code's telemetry alone).
 */
export const SOURCE_EXPR = "CASE WHEN origin = 'otel' AND message_id IS NOT NULL THEN 'push' ELSE origin END";

export interface WhereClause {
  /** `WHERE ...` or an empty string. */
  sql: string;
  params: Array<string | number>;
}

/** Builds the WHERE clause of `filter` (column names unqualified, table `requests`). */
export function whereClause(filter: RequestFilter, extra: string[] = []): WhereClause {
  const parts: string[] = [...extra];
  const params: Array<string | number> = [];
  if (filter.fromMs !== undefined) {
    parts.push('ts >= ?');
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    parts.push('ts < ?');
    params.push(filter.toMs);
  }
  if (filter.classes !== undefined) {
    if (filter.classes.length === 0) parts.push('0');
    else {
      parts.push(`class IN (${filter.classes.map(() => '?').join(', ')})`);
      params.push(...filter.classes);
    }
  }
  const exact = (column: string, value: string | undefined, none: string | null): void => {
    if (value === undefined) return;
    if (none !== null && value === none) parts.push(`${column} IS NULL`);
    else {
      parts.push(`${column} = ?`);
      params.push(value);
    }
  };
  exact('model', filter.model, null);
  exact('project', filter.project, NO_PROJECT);
  exact('git_branch', filter.branch, NO_BRANCH);
  exact('session_id', filter.sessionId, NO_SESSION);
  exact('entrypoint', filter.entrypoint, NO_ENTRYPOINT);
  exact('user_name', filter.user, NO_ATTRIBUTION);
  exact('repo', filter.repo, NO_ATTRIBUTION);
  exact('workflow', filter.workflow, NO_ATTRIBUTION);
  exact('run_id', filter.runId, NO_ATTRIBUTION);
  exact('host', filter.host, NO_ATTRIBUTION);
  if (filter.source !== undefined) {
    // By the grouping's own expression: a drill into a source row takes that row's requests.
    parts.push(`${SOURCE_EXPR} = ?`);
    params.push(filter.source);
  }
  const text = filter.text?.trim().toLowerCase();
  if (text) {
    parts.push(`(${TEXT_COLUMNS.map((c) => `instr(lower(coalesce(${c}, '')), ?) > 0`).join(' OR ')})`);
    params.push(...TEXT_COLUMNS.map(() => text));
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

type Statement = Database.Statement<unknown[]>;
const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement for `sql`, prepared once per database and reused. */
export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}
