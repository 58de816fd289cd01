/**
 * The status line's figures, fast on a large store: the full status (forecast included) is
 * computed at most every few minutes and cached beside the database; in between, only the credit
 * used so far is read fresh (one indexed sum) and the cached forecast is moved by what was spent since.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../store/database.js';
import type { PlanSettings } from '../domain/status-types.js';
import { cycleAt, type Cycle } from '../domain/cycle.js';
import { creditState } from '../domain/credit.js';
import { roundUsd } from '../domain/format.js';
import { crossingTs, spendBetween } from '../store/cycle-queries.js';
import { buildStatus, countedClasses, isoInZone } from './status.js';
import { figuresOfStatus, type StatusLineFigures } from '../output/export-statusline.js';
import { writeFileAtomic } from '../output/export-file.js';

/** How long a computed forecast serves the status line before a full recomputation. */
export const FORECAST_REUSE_MS = 5 * 60_000;

interface CacheFile {
  v: 1;
  key: string;
  computedAt: number;
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
    return v.v === 1 && typeof v.key === 'string' && typeof v.computedAt === 'number' && typeof v.figures === 'object' && v.figures !== null
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

/** Moves cached figures to `nowMs`: fresh credit used, forecast shifted by the spend since it was made. */
function refreshed(db: Db, plan: PlanSettings, cycle: Cycle, cached: StatusLineFigures, nowMs: number): StatusLineFigures {
  const counted = countedClasses(plan);
  const used = spendBetween(db, counted, cycle.startMs, nowMs);
  const cachedOut = cached.exhaustedAt === null ? null : Date.parse(cached.exhaustedAt);
  const crossed = used > 0 && used >= plan.credit ? (cachedOut ?? crossingTs(db, counted, cycle.startMs, nowMs, plan.credit)) : null;
  const credit = creditState(plan, used, crossed);
  const exhaustedAt = credit.exhaustedAt === null ? null : isoInZone(credit.exhaustedAt, plan.tz);
  return {
    ...cached,
    now: isoInZone(nowMs, plan.tz),
    used: roundUsd(credit.used),
    usedFraction: credit.usedFraction,
    overage: roundUsd(credit.overage),
    exhaustedAt,
    p50End: roundUsd(Math.max(cached.p50End + (used - cached.used), used)),
    p50ExhaustionAt: exhaustedAt ?? cached.p50ExhaustionAt,
  };
}

/**
 * The status line's figures as of `nowMs`. Reuses the forecast cached at `cachePath` when it is
 * younger than FORECAST_REUSE_MS and was made for the same plan, prices and cycle.
 */
export function statusLineFigures(db: Db, plan: PlanSettings, pricingVersion: string, nowMs: number, cachePath: string | null): StatusLineFigures {
  const cycle = cycleAt(nowMs, plan.cycleStartDay, plan.tz);
  const key = JSON.stringify([plan, pricingVersion, cycle.startMs]);
  const cache = readCache(cachePath);
  if (cache !== null && cache.key === key && nowMs >= cache.computedAt && nowMs - cache.computedAt < FORECAST_REUSE_MS) {
    return refreshed(db, plan, cycle, cache.figures, nowMs);
  }
  const figures = figuresOfStatus(buildStatus(db, plan, pricingVersion, nowMs, cycle));
  writeCache(cachePath, { v: 1, key, computedAt: nowMs, figures });
  return figures;
}
