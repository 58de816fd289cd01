/**
 * The dashboard's read side: every number it shows comes from these queries over the store.
 * One object so the app store stays free of SQL and can be built over any open database.
 */
import { getMeta, setMeta, withoutWaiting, writeTransaction, type Db } from '../store/database.js';
import {
  aggregate,
  attributionPresent,
  classSplit,
  listRequests,
  requestByKey,
  sessionInfo,
  type ClassSplit,
  type RequestFilter,
  type SessionInfo,
} from '../store/queries.js';
import { dailySpend, firstRequestTs, spendBetween } from '../store/cycle-queries.js';
import { localDayStart } from '../domain/time.js';
import type { OfficialLimits } from '../domain/official-limits.js';
import { buildStatusWithExtras } from '../services/status.js';
import { cycleAt, shiftCycle } from '../domain/cycle.js';
import type { PlanSettings, StatusReport } from '../domain/status-types.js';
import type { AggregateRow, GroupBy, RequestClass, StoredRequest } from '../domain/types.js';
import type { RequestDetailView } from './types.js';
import type { Cycle } from '../domain/cycle.js';
import type { PriceBreakdown } from '../domain/pricing.js';

export type { RequestFilter, SessionInfo };

export interface DashboardSource {
  readonly plan: PlanSettings;
  /** The cycle `offset` cycles from the one containing `nowMs` (0 = current). */
  cycle(nowMs: number, offset: number): Cycle;
  /** With `forecast: false` the forecast is left out (spend so far stands in), to draw sooner. */
  status(nowMs: number, cycle: Cycle, options?: { forecast?: boolean }): StatusReport;
  /** Whether the last status's forecast rests on enough history (absent: assume it does). */
  forecastSettled?(): boolean;
  /** The same for each seat of the last status, when seats have their own credit. */
  seatSettled?(): ReadonlyMap<string, boolean> | null;
  groups(by: GroupBy, filter: RequestFilter): AggregateRow[];
  requests(filter: RequestFilter, limit: number, newestFirst: boolean): StoredRequest[];
  /** Spend per day of the cycle, every day listed; requests from `upToMs` on are not counted yet. */
  daily(cycle: Cycle, classes: RequestClass[], upToMs?: number): Array<{ day: string; cost: number }>;
  /**
   * Time of the newest stored request, any cycle, before `beforeMs` when given (a runner whose
   * clock runs ahead is not "live"); null for an empty store.
   */
  newestRequestMs(beforeMs?: number): number | null;
  /** Time of the oldest stored request (how far back `[` goes); null for an empty store. */
  oldestRequestMs?(): number | null;
  /** Attribution groupings the stored data has (user, repo, workflow, run, host, source). */
  groupings?(): GroupBy[];
  /** Cost of each group by class (for lists that mix classes). */
  classSplit?(by: GroupBy, filter: RequestFilter): Map<string, ClassSplit>;
  /** One request with its price breakdown, for the detail view. */
  requestDetail?(key: string): RequestDetailView | null;
  /** Project, branch, start and entrypoint of the sessions of the filtered requests. */
  sessions?(filter: RequestFilter): Map<string, SessionInfo>;
  /** Counted spend of today and of yesterday (local days), whatever cycle they fall in. */
  dayTotals?(nowMs: number, classes: RequestClass[]): { today: number; yesterday: number };
  /** What Claude Code itself last reported (5-hour and 7-day windows, sessions' own cost). */
  official?(): OfficialLimits | null;
  /**
   * The alert crossings of the cycle starting at `cycleStartMs` that a dashboard on this store
   * already rang the bell for (or met while catching up), kept in the store: a restart does not
   * ring them again. Empty for another cycle's.
   */
  rungCrossings?(cycleStartMs: number): string[];
  /** Keeps `crossings` as the cycle's rung ones (a store that cannot be written keeps nothing). */
  rememberCrossings?(cycleStartMs: number, crossings: readonly string[]): void;
}

/** Meta key of the crossings rung this cycle: `{"cycleStartMs":…,"crossed":["used:80",…]}`. */
const RUNG_KEY = 'bell_rung';

/** The crossings kept for the cycle starting at `cycleStartMs` (DashboardSource.rungCrossings). */
function rungCrossings(db: Db, cycleStartMs: number): string[] {
  try {
    const kept = JSON.parse(getMeta(db, RUNG_KEY) ?? 'null') as { cycleStartMs?: unknown; crossed?: unknown } | null;
    return kept?.cycleStartMs === cycleStartMs && Array.isArray(kept.crossed)
      ? kept.crossed.filter((c): c is string => typeof c === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Extra reads the composition root can plug in (files beside the store). */
export interface SourceExtras {
  official?: () => OfficialLimits | null;
  /** Prices a stored request by token kind (the app's price table). */
  breakdown?: (request: StoredRequest) => PriceBreakdown | null;
}

/** Reads through the real store queries, in the plan's time zone, with the given price table version. */
export function createDbSource(
  db: Db,
  plan: PlanSettings,
  pricingVersion: string | (() => string),
  extras: SourceExtras = {},
): DashboardSource {
  // (A getter where the table in use may change while the dashboard runs: app/follow-settings.ts.)
  const version = typeof pricingVersion === 'string' ? () => pricingVersion : pricingVersion;
  let settled = true;
  let seatSettled: ReadonlyMap<string, boolean> | null = null;
  return {
    plan,
    cycle(nowMs, offset) {
      const current = cycleAt(nowMs, plan.cycleStartDay, plan.tz);
      return offset === 0 ? current : shiftCycle(current, offset, plan.cycleStartDay, plan.tz);
    },
    status(nowMs, cycle, options) {
      const { report, extras } = buildStatusWithExtras(db, plan, version(), nowMs, cycle, options);
      settled = extras.settled;
      seatSettled = extras.seatSettled ?? null;
      return report;
    },
    forecastSettled() {
      return settled;
    },
    seatSettled() {
      return seatSettled;
    },
    groups(by, filter) {
      return aggregate(db, by, filter, plan.tz);
    },
    requests(filter, limit, newestFirst) {
      return listRequests(db, filter, { limit, newestFirst });
    },
    daily(cycle, classes, upToMs) {
      return dailySpend(db, cycle.startMs, cycle.endMs, plan.tz, classes, upToMs);
    },
    newestRequestMs(beforeMs) {
      const filter = beforeMs === undefined ? {} : { toMs: beforeMs };
      return listRequests(db, filter, { limit: 1, newestFirst: true })[0]?.ts ?? null;
    },
    oldestRequestMs() {
      return firstRequestTs(db);
    },
    groupings() {
      return attributionPresent(db);
    },
    classSplit(by, filter) {
      return classSplit(db, by, filter);
    },
    requestDetail(key) {
      const request = requestByKey(db, key);
      return request === null ? null : { request, breakdown: extras.breakdown?.(request) ?? null };
    },
    sessions(filter) {
      return sessionInfo(db, filter);
    },
    dayTotals(nowMs, classes) {
      const today = localDayStart(nowMs, plan.tz);
      const yesterday = localDayStart(nowMs, plan.tz, -1);
      return {
        today: spendBetween(db, classes, today, nowMs + 1),
        yesterday: spendBetween(db, classes, yesterday, today),
      };
    },
    official() {
      return extras.official?.() ?? null;
    },
    rungCrossings: (cycleStartMs) => rungCrossings(db, cycleStartMs),
    rememberCrossings(cycleStartMs, crossings) {
      // Never waits for another process's write (the dashboard would freeze for the busy timeout):
      // a store held, or one this process cannot write, keeps nothing, and the bell may ring again
      // at the next start. Read and written in one transaction: two dashboards add to each other's.
      try {
        withoutWaiting(db, () =>
          writeTransaction(db, () => {
            const kept = rungCrossings(db, cycleStartMs);
            setMeta(db, RUNG_KEY, JSON.stringify({ cycleStartMs, crossed: [...new Set([...kept, ...crossings])] }));
          }),
        );
      } catch {
        // kept nothing
      }
    },
  };
}
