/**
 * Read queries behind cycle accounting, burn rates and forecasts. Every sum runs in SQL on the
 * (class, ts, cost) index; ranges are [fromMs, toMs) in epoch ms.
 */
import type Database from 'better-sqlite3';
import type { Db } from './database.js';
import type { RequestClass, UnpricedModel } from '../domain/types.js';
import type { ClassSpend } from '../domain/status-types.js';
import type { SpendBucket } from '../domain/forecast-history.js';
import { dayRanges } from '../domain/time.js';
import { MISDIRECTED } from '../domain/telemetry.js';

type Classes = readonly RequestClass[];

const DAY_MS = 86_400_000;

// Statements are prepared once per connection: status runs each many times.
type Statement = Database.Statement<unknown[]>;
const cache = new WeakMap<Db, Map<string, Statement>>();

function stmt(db: Db, sql: string): Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map<string, Statement>()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

function inList(classes: Classes): string {
  // Class names come from the closed RequestClass union, never from input.
  return classes.map((c) => `'${c.replace(/'/g, '')}'`).join(', ');
}

/** Cost (priced requests) and request count of each class in a range. */
export function classTotals(db: Db, fromMs: number, toMs: number): Record<RequestClass, ClassSpend> {
  const out: Record<RequestClass, ClassSpend> = {
    programmatic: { cost: 0, requests: 0 },
    interactive: { cost: 0, requests: 0 },
    unknown: { cost: 0, requests: 0 },
  };
  const q = stmt(
    db,
    'SELECT COALESCE(SUM(cost), 0) AS cost, COUNT(*) AS requests FROM requests WHERE class = ? AND ts >= ? AND ts < ?',
  );
  for (const c of Object.keys(out) as RequestClass[]) {
    const row = q.get(c, fromMs, toMs) as ClassSpend;
    out[c] = { cost: row.cost, requests: row.requests };
  }
  return out;
}

/** Sum of the cost of the given classes in a range. */
export function spendBetween(db: Db, classes: Classes, fromMs: number, toMs: number): number {
  if (classes.length === 0 || toMs <= fromMs) return 0;
  const row = stmt(
    db,
    `SELECT COALESCE(SUM(cost), 0) AS cost FROM requests WHERE class IN (${inList(classes)}) AND ts >= ? AND ts < ?`,
  ).get(fromMs, toMs) as { cost: number };
  return row.cost;
}

export interface ModelSpend {
  model: string;
  class: RequestClass;
  cost: number;
  requests: number;
}

/** Cost and requests per model and class in a range, cost descending then model. */
export function modelSpend(db: Db, fromMs: number, toMs: number): ModelSpend[] {
  return stmt(
    db,
    `SELECT model, class, COALESCE(SUM(cost), 0) AS cost, COUNT(*) AS requests FROM requests
     WHERE ts >= ? AND ts < ? GROUP BY model, class ORDER BY cost DESC, model, class`,
  ).all(fromMs, toMs) as ModelSpend[];
}

/** Spend of the given classes per local calendar day of `tz` overlapping [fromMs, toMs), oldest first, zero days included. */
export function dailySpend(
  db: Db,
  fromMs: number,
  toMs: number,
  tz: string,
  classes: Classes,
  upToMs = toMs,
): Array<{ day: string; cost: number }> {
  return dayRanges(fromMs, toMs, tz).map((r) => {
    const from = Math.max(fromMs, r.startMs);
    const to = Math.min(toMs, r.endMs, upToMs);
    return { day: r.day, cost: to > from ? spendBetween(db, classes, from, to) : 0 };
  });
}

/**
 * Spend of the given classes in fixed buckets (15 minutes by default, aligned to the epoch), only
 * non-empty buckets; with `user`, only that user's requests ("(none)" = requests without one).
 */
export function spendBuckets(
  db: Db,
  classes: Classes,
  fromMs: number,
  toMs: number,
  bucketMs = 900_000,
  user?: string,
): SpendBucket[] {
  if (classes.length === 0 || toMs <= fromMs) return [];
  // Inlined as an integer literal so SQLite divides as integers (a bound JS number is a REAL).
  const width = Math.max(1, Math.trunc(bucketMs));
  const rows = stmt(
    db,
    `SELECT (ts / ${width}) * ${width} AS startMs, SUM(cost) AS cost FROM requests
     WHERE class IN (${inList(classes)}) AND ts >= ? AND ts < ? AND cost IS NOT NULL
       ${user === undefined ? '' : "AND COALESCE(user_name, '(none)') = ?"}
     GROUP BY ts / ${width} ORDER BY startMs`,
  ).all(fromMs, toMs, ...(user === undefined ? [] : [user])) as SpendBucket[];
  // To a ten-billionth of a dollar: SQLite's sum of one bucket's costs can differ in its last bit
  // with the order it met them in (another range, another plan), and the forecast's paths are kept
  // by their exact input (store/paths-memo.ts), so two runs with nothing new must see the same.
  for (const r of rows) r.cost = Math.round(r.cost * 1e10) / 1e10;
  return rows;
}

/**
 * The timestamp of the request whose cost made the cumulative spend of the given classes since
 * `fromMs` reach `threshold`; null when it never does before `toMs`. Whole days are summed on the
 * index first, so the running sum only walks the requests of the crossing day.
 */
export function crossingTs(db: Db, classes: Classes, fromMs: number, toMs: number, threshold: number): number | null {
  if (classes.length === 0) return null;
  let before = 0;
  for (let from = fromMs; from < toMs; from += DAY_MS) {
    const to = Math.min(toMs, from + DAY_MS);
    const day = spendBetween(db, classes, from, to);
    if (day > 0 && before + day >= threshold) return runningCrossing(db, classes, from, to, threshold - before);
    before += day;
  }
  return null;
}

/**
 * The timestamp of the request at which the running sum of costs in a range reaches `threshold`
 * (with `user`, of that user's requests only, "(none)" = without one); null when it does not.
 */
function runningCrossing(
  db: Db,
  classes: Classes,
  fromMs: number,
  toMs: number,
  threshold: number,
  user?: string,
): number | null {
  const row = stmt(
    db,
    `SELECT ts FROM (
       SELECT ts, SUM(cost) OVER (ORDER BY ts, key ROWS UNBOUNDED PRECEDING) AS running FROM requests
       WHERE class IN (${inList(classes)}) AND ts >= ? AND ts < ? AND cost > 0
         ${user === undefined ? '' : "AND COALESCE(user_name, '(none)') = ?"}
     ) WHERE running >= ? ORDER BY ts LIMIT 1`,
  ).get(fromMs, toMs, ...(user === undefined ? [] : [user]), threshold) as { ts: number } | undefined;
  return row?.ts ?? null;
}

/**
 * What `serve` refused since the store began (empty objects when nothing), in one read:
 * - `records`: telemetry records, by reason (`{ 'bad-usage': 9 }`);
 * - `requests`: whole requests that a sender set up wrong sends (a wrong token, a body that is not
 *   OTLP, one too large, another content type, an OTLP exporter's to a wrong path), by HTTP status
 *   (`{ '401': 3, '404-otlp': 2 }`). Those a sender retries by itself (429, 499), and the wrong
 *   paths and methods that health probes and scanners also send (404, 405), are left to serve's
 *   terminal;
 * - `cut`: kept events whose names (a workflow, a user, …) were over 512 characters and were cut,
 *   by attribute (`{ 'workflow.name': 2 }`).
 */
export function refusals(db: Db): Refusals {
  const rows = stmt(
    db,
    `SELECT reason, count, last_ms FROM telemetry_counts WHERE count > 0 AND (reason LIKE 'rejected:%' OR reason LIKE 'cut:%' OR reason IN ('http:400', 'http:401', 'http:403', 'http:404${MISDIRECTED}', 'http:408', 'http:413', 'http:415', 'http:503')) ORDER BY reason`,
  ).all() as { reason: string; count: number; last_ms: number | null }[];
  const out: Refusals = { records: {}, requests: {}, recordsLastMs: null, requestsLastMs: null, cut: {} };
  for (const { reason, count, last_ms } of rows) {
    const at = reason.indexOf(':');
    if (reason.startsWith('cut:')) {
      out.cut[reason.slice(at + 1)] = count;
      continue;
    }
    const kind = reason.startsWith('http:') ? 'requests' : 'records';
    out[kind][reason.slice(at + 1)] = count;
    const last = kind === 'requests' ? 'requestsLastMs' : 'recordsLastMs';
    if (last_ms !== null) out[last] = Math.max(out[last] ?? 0, last_ms);
  }
  return out;
}

/** Refused records and requests by reason, and when the last of each kind was refused (null: not known). */
export interface Refusals {
  records: Record<string, number>;
  requests: Record<string, number>;
  recordsLastMs: number | null;
  requestsLastMs: number | null;
  cut: Record<string, number>;
}

/** When one user's spend in a range first reached `threshold` (crossingTs for one seat); null if it did not. */
export function userCrossingTs(
  db: Db,
  classes: Classes,
  fromMs: number,
  toMs: number,
  threshold: number,
  user: string,
): number | null {
  return classes.length === 0 ? null : runningCrossing(db, classes, fromMs, toMs, threshold, user);
}

/**
 * Models without a price in a range, with their request counts, most requests first. `+ts` steers
 * SQLite to the small partial index of unpriced rows instead of scanning the whole range.
 */
export function unpricedBetween(db: Db, fromMs: number, toMs: number): UnpricedModel[] {
  return stmt(
    db,
    `SELECT model, COUNT(*) AS requests FROM requests
     WHERE cost IS NULL AND +ts >= ? AND +ts < ? GROUP BY model ORDER BY requests DESC, model`,
  ).all(fromMs, toMs) as UnpricedModel[];
}

/** Timestamp of the oldest request of any class, or null for an empty store. */
export function firstRequestTs(db: Db): number | null {
  const row = stmt(db, 'SELECT MIN(ts) AS ts FROM requests').get() as { ts: number | null };
  return row.ts;
}

/** Spend and requests of the given classes per user (NULL as "(none)") in a range, most spent first. */
export function userSpend(
  db: Db,
  classes: Classes,
  fromMs: number,
  toMs: number,
): Array<{ user: string; cost: number; requests: number }> {
  if (classes.length === 0) return [];
  return stmt(
    db,
    `SELECT COALESCE(user_name, '(none)') AS user, TOTAL(cost) AS cost, COUNT(*) AS requests FROM requests
     WHERE class IN (${inList(classes)}) AND ts >= ? AND ts < ? GROUP BY 1 ORDER BY cost DESC, user`,
  ).all(fromMs, toMs) as Array<{ user: string; cost: number; requests: number }>;
}

/**
 * Each user's first request (any class), as userSpend names users: when the store began to see
 * that seat, the start of its own history (a newcomer's seat has none before its first request).
 */
export function userFirstTs(db: Db): Map<string, number> {
  const rows = stmt(
    db,
    `SELECT COALESCE(user_name, '(none)') AS user, MIN(ts) AS first FROM requests GROUP BY 1`,
  ).all() as Array<{
    user: string;
    first: number;
  }>;
  return new Map(rows.map((r) => [r.user, r.first]));
}

/** Cost and request count of one session (every class), or null when the store has none of it. */
export function sessionSpend(db: Db, sessionId: string): { cost: number; requests: number } | null {
  const row = stmt(db, 'SELECT COALESCE(SUM(cost), 0) AS cost, COUNT(*) AS n FROM requests WHERE session_id = ?').get(
    sessionId,
  ) as { cost: number; n: number };
  return row.n > 0 ? { cost: row.cost, requests: row.n } : null;
}
