/**
 * The status line's figures, fast on a large store: the full status (forecast included) is
 * computed at most every few minutes and cached beside the database; in between, only the credit
 * used so far and the unpriced requests are read fresh (indexed queries) and the cached forecast is
 * moved by what was spent since. The forecast modules load only when a recomputation is due.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getMeta, type Db } from '../store/database.js';
import { CLASS_MAPPING_META } from '../domain/classify.js';
import type { PlanSettings } from '../domain/status-types.js';
import type { RequestClass } from '../domain/types.js';
import { cycleAt, type Cycle } from '../domain/cycle.js';
import { creditState } from '../domain/credit.js';
import { crossingTs, sessionSpend, spendBetween, unpricedBetween } from '../store/cycle-queries.js';
import { localDayStart } from '../domain/time.js';
import { FileStateStore } from '../store/file-state.js';
import { planFile, statFile } from '../ingest/plan.js';
import { figuresOfStatus, type StatusLineFigures } from '../output/export-statusline.js';
import { writeFileAtomic } from '../output/export-file.js';

/** How long a computed forecast serves the status line before a full recomputation. */
export const FORECAST_REUSE_MS = 5 * 60_000;

interface CacheFile {
  v: 3;
  key: string;
  computedAt: number;
  /** The classes counted against the credit when the figures were made (the key pins the plan). */
  counted: RequestClass[];
  figures: StatusLineFigures;
}

/** The cache file of a store: beside it, owner-only like the store. Null for an in-memory store. */
export function statuslineCachePath(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}-statusline.json`;
}

function readCache(path: string | null): CacheFile | null {
  if (path === null) return null;
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheFile>;
    return v.v === 3 &&
      typeof v.key === 'string' &&
      typeof v.computedAt === 'number' &&
      Array.isArray(v.counted) &&
      typeof v.figures === 'object' &&
      v.figures !== null
      ? (v as CacheFile)
      : null;
  } catch {
    return null;
  }
}

function writeCache(path: string | null, cache: CacheFile): void {
  if (path === null) return;
  try {
    writeFileAtomic(path, JSON.stringify(cache), true, 0o600);
  } catch {
    // A read-only data folder only costs speed.
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Requests of the cycle so far that no price table knows (left out of every cost). */
function unpricedCount(db: Db, cycle: Cycle, nowMs: number): number {
  return unpricedBetween(db, cycle.startMs, nowMs).reduce((n, u) => n + u.requests, 0);
}

/** The session the status line is drawn for: its id and Claude Code's own cost of it, when given. */
export interface SessionOfLine {
  id: string | null;
  ccCostUsd: number | null;
}

/** Today's counted spend and the session's cost (creditmeter's price when the store has it, else Claude Code's). */
function freshExtras(
  db: Db,
  plan: PlanSettings,
  counted: RequestClass[],
  nowMs: number,
  session: SessionOfLine,
): { today: number; session: number | null } {
  const midnight = localDayStart(nowMs, plan.tz);
  const own = session.id === null ? null : sessionSpend(db, session.id);
  return { today: spendBetween(db, counted, midnight, nowMs), session: own?.cost ?? session.ccCostUsd };
}

/**
 * Moves cached figures to `nowMs`: fresh credit used and unpriced count, forecast shifted by the
 * spend since it was made. Instants are UTC ISO strings: the line shows them in `timezone`.
 */
function refreshed(
  db: Db,
  plan: PlanSettings,
  cycle: Cycle,
  cache: CacheFile,
  nowMs: number,
  session: SessionOfLine,
): StatusLineFigures {
  const cached = cache.figures;
  const used = spendBetween(db, cache.counted, cycle.startMs, nowMs);
  const cachedOut = cached.exhaustedAt === null ? null : Date.parse(cached.exhaustedAt);
  const crossed =
    used > 0 && used >= plan.credit
      ? (cachedOut ?? crossingTs(db, cache.counted, cycle.startMs, nowMs, plan.credit))
      : null;
  const credit = creditState(plan, used, crossed);
  const exhaustedAt = credit.exhaustedAt === null ? null : iso(credit.exhaustedAt);
  return {
    ...cached,
    now: iso(nowMs),
    used: credit.used,
    usedFraction: credit.usedFraction,
    overage: credit.overage,
    exhaustedAt,
    p50End: Math.max(cached.p50End + (used - cached.used), used),
    p50ExhaustionAt: exhaustedAt ?? cached.p50ExhaustionAt,
    unpricedRequests: unpricedCount(db, cycle, nowMs),
    ...freshExtras(db, plan, cache.counted, nowMs, session),
  };
}

/**
 * The status line's figures as of `nowMs`. Reuses the forecast cached at `cachePath` when it is
 * younger than FORECAST_REUSE_MS and was made for the same plan, prices and cycle, over rows
 * classified by the same mapping (the store's own record of it: whoever reclassified them).
 */
export async function statusLineFigures(
  db: Db,
  plan: PlanSettings,
  pricingVersion: string,
  nowMs: number,
  cachePath: string | null,
  session: SessionOfLine = { id: null, ccCostUsd: null },
): Promise<StatusLineFigures> {
  const cycle = cycleAt(nowMs, plan.cycleStartDay, plan.tz);
  const key = JSON.stringify([plan, pricingVersion, cycle.startMs, getMeta(db, CLASS_MAPPING_META)]);
  const cache = readCache(cachePath);
  if (
    cache !== null &&
    cache.key === key &&
    nowMs >= cache.computedAt &&
    nowMs - cache.computedAt < FORECAST_REUSE_MS
  ) {
    return refreshed(db, plan, cycle, cache, nowMs, session);
  }
  const { buildStatus, countedClasses } = await import('../services/status.js');
  const counted = countedClasses(plan);
  const figures = figuresOfStatus(
    buildStatus(db, plan, pricingVersion, nowMs, cycle),
    freshExtras(db, plan, counted, nowMs, session),
  );
  writeCache(cachePath, { v: 3, key, computedAt: nowMs, counted, figures });
  return figures;
}

/**
 * Bytes a tail of `path` would read now: what follows the stored offset, or the whole file when
 * the store does not know it yet or it was replaced or shrank (read again from 0); 0 when nothing
 * changed or the file is gone.
 */
export function pendingBytes(db: Db, path: string): number {
  const full = resolve(path);
  const stat = statFile(full);
  if (stat === null) return 0;
  const row = new FileStateStore(db).find(full);
  if (row === undefined) return stat.size;
  const plan = planFile(full, row, stat);
  return plan.action === 'read' ? stat.size - plan.start : 0;
}

/**
 * True when tailing `path` now reads something and at most `maxBytes`: a file that small is read
 * as it is (the tail itself skips an unchanged one); a longer one only when little follows the
 * stored offset, so a long session stays live without a prompt ever waiting for a big first read.
 */
export function worthTailing(db: Db, path: string, maxBytes: number): boolean {
  const stat = statFile(resolve(path));
  if (stat === null) return false;
  if (stat.size <= maxBytes) return true;
  const pending = pendingBytes(db, path);
  return pending > 0 && pending <= maxBytes;
}

/**
 * Until when a line drawn at `nowMs` holds if nothing is written: the forecast's reuse window, the
 * next local midnight ("today" starts again) and the end of the cycle, whichever comes first.
 */
export function lineValidUntil(plan: PlanSettings, nowMs: number): number {
  const midnight = localDayStart(nowMs, plan.tz, 1);
  const cycle = cycleAt(nowMs, plan.cycleStartDay, plan.tz);
  return Math.min(nowMs + FORECAST_REUSE_MS, midnight, cycle.endMs);
}
