/**
 * Builds the `status` report: the cycle's spend by class, the credit, burn rates, the forecast,
 * per-model spend and unpriced models, all as of one instant. Reads the store, writes nothing.
 */
import { DateTime } from '../domain/luxon.js';
import type { Db } from '../store/database.js';
import type { PathsMemo } from '../domain/forecast-paths.js';
import type { ClassSpend, PlanSettings, StatusReport } from '../domain/status-types.js';
import type { RequestClass } from '../domain/types.js';
import { countedUntil, cycleAt, type Cycle } from '../domain/cycle.js';
import { countedClasses, countedSpend, creditState, overageFor } from '../domain/credit.js';
import { burnRates, burnWindows } from '../domain/burn.js';
import {
  DEFAULT_FORECAST,
  fixedForecast,
  forecastBasis,
  forecastCycle,
  type ForecastMethod,
} from '../domain/forecast.js';
import { roundUsd } from '../domain/format.js';
import {
  crossingTs,
  userCrossingTs,
  refusals,
  firstRequestTs,
  userFirstTs,
  modelSpend,
  spendBetween,
  spendBuckets,
  unpricedBetween,
  userSpend,
  type ModelSpend,
} from '../store/cycle-queries.js';
import type { SeatStatus } from '../domain/status-types.js';
import type { BucketSource, CrossingSource, ModelSpendSource } from '../store/bucket-cache.js';
import { aggregate, attributionPresent } from '../store/queries.js';

const DAY_MS = 86_400_000;

export { countedClasses };

/**
 * ISO-8601 in the plan's zone with its UTC offset and milliseconds (`Z` when the zone is UTC),
 * the one timestamp format of `status --json`.
 */
export function isoInZone(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toISO() ?? new Date(ms).toISOString();
}

const fraction = (v: number): number => Math.round(v * 1e6) / 1e6;

/** What the forecast rested on, for the human summary (not part of the JSON contract). */
export interface StatusExtras {
  method: ForecastMethod;
  historyDays: number;
  /** Whether the forecast rests on enough history for `--fail-at` to act on its P50. */
  settled: boolean;
  /** The same for each seat's own forecast (seats with their own credit), by user. */
  seatSettled?: ReadonlyMap<string, boolean>;
}

/**
 * The status of `cycle` (default: the cycle containing `nowMs`) as of `nowMs`: requests after
 * `nowMs` are ignored, so the same store and instant always give the same report.
 */
export function buildStatus(
  db: Db,
  plan: PlanSettings,
  pricingVersion: string,
  nowMs: number,
  cycle?: Cycle,
): StatusReport {
  return buildStatusWithExtras(db, plan, pricingVersion, nowMs, cycle).report;
}

/** Cost and requests per class: the spend per model and class added up. */
function classTotalsOf(rows: readonly ModelSpend[]): Record<RequestClass, ClassSpend> {
  const out: Record<RequestClass, ClassSpend> = {
    programmatic: { cost: 0, requests: 0 },
    interactive: { cost: 0, requests: 0 },
    unknown: { cost: 0, requests: 0 },
  };
  for (const r of rows) {
    const t = out[r.class];
    if (t === undefined) continue;
    t.cost += r.cost;
    t.requests += r.requests;
  }
  return out;
}

/** `buildStatus`, plus what the forecast rested on. */
export function buildStatusWithExtras(
  db: Db,
  plan: PlanSettings,
  pricingVersion: string,
  nowMs: number,
  cycle?: Cycle,
  options: {
    forecast?: boolean;
    /** Where the forecast's history comes from (default: the store, store/cycle-queries.ts). */
    buckets?: BucketSource;
    /** Where the spend per model comes from (default: the store). */
    modelSpend?: ModelSpendSource;
    /** Where the instant the credit ran out comes from (default: the store). */
    crossing?: CrossingSource;
    /** The forecast's paths run before, reused for the same input (store/paths-memo.ts). */
    memo?: PathsMemo;
  } = {},
): { report: StatusReport; extras: StatusExtras } {
  const buckets: BucketSource =
    options.buckets ?? ((classes, from, to, user) => spendBuckets(db, classes, from, to, undefined, user));
  const c = cycle ?? cycleAt(nowMs, plan.cycleStartDay, plan.tz);
  const counted = countedClasses(plan);
  const upTo = countedUntil(c, nowMs);
  // One pass over the cycle gives the spend per model and class; the classes' totals are its sums.
  const spendByModel = (options.modelSpend ?? ((from, to) => modelSpend(db, from, to)))(c.startMs, upTo);
  const totals = classTotalsOf(spendByModel);
  const used = countedSpend(plan, totals.programmatic.cost, totals.unknown.cost);
  /** When the cycle's counted spend reached `threshold`; null when it has not (or nothing was spent). */
  const reached = (threshold: number): number | null =>
    used > 0 && used >= threshold
      ? (options.crossing ?? ((...a) => crossingTs(db, ...a)))(counted, c.startMs, upTo, threshold)
      : null;
  const credit = creditState(plan, used, reached(plan.credit));
  // With a cap on usage credits, access stops again where spend reaches the credit plus the cap.
  const capReached = plan.usageCredits && plan.overageCap !== null ? reached(plan.credit + plan.overageCap) : null;

  const w = burnWindows(nowMs);
  const burn = burnRates(
    {
      lastHour: spendBetween(db, counted, w.lastHourFrom, nowMs),
      last24h: spendBetween(db, counted, w.last24hFrom, nowMs),
      last7d: spendBetween(db, counted, w.last7dFrom, nowMs),
      cycleToDate: used,
    },
    c,
    nowMs,
  );

  const lookbackFrom = nowMs - (DEFAULT_FORECAST.lookbackDays + 2) * DAY_MS;
  // Without the forecast (a first frame drawn before it): spend so far stands in for every
  // percentile, and the forecast counts as unsettled, so nothing is projected from it.
  const forecast =
    options.forecast === false
      ? fixedForecast(used, credit.exhaustedAt, 'none')
      : forecastCycle({
          cycle: c,
          nowMs,
          tz: plan.tz,
          spentSoFar: used,
          buckets: buckets(counted, lookbackFrom, nowMs),
          dataStartMs: firstRequestTs(db),
          credit: plan.credit,
          exhaustedAtMs: credit.exhaustedAt,
          memo: options.memo,
        });
  const iso = (ms: number | null): string | null => (ms === null ? null : isoInZone(ms, plan.tz));
  const spend = forecast.cycleEndSpend;

  const report: StatusReport = {
    now: isoInZone(nowMs, plan.tz),
    cycle: {
      start: isoInZone(c.startMs, plan.tz),
      end: isoInZone(c.endMs, plan.tz),
      timezone: plan.tz,
      plan: plan.plan,
      seats: plan.seats,
      credit: roundUsd(plan.credit),
      elapsedFraction: fraction(Math.min(1, Math.max(0, (nowMs - c.startMs) / (c.endMs - c.startMs)))),
    },
    programmatic: { cost: roundUsd(totals.programmatic.cost), requests: totals.programmatic.requests },
    interactive: { cost: roundUsd(totals.interactive.cost), requests: totals.interactive.requests },
    unknown: { cost: roundUsd(totals.unknown.cost), requests: totals.unknown.requests },
    credit: {
      used: roundUsd(credit.used),
      remaining: roundUsd(credit.remaining),
      usedFraction: fraction(credit.usedFraction),
      usageCredits: credit.usageCredits,
      overage: roundUsd(credit.overage),
      exhaustedAt: iso(credit.exhaustedAt),
      // Only where it applies: usage credits on, with a cap on what they bill.
      ...(plan.usageCredits && plan.overageCap !== null
        ? { overageCap: roundUsd(plan.overageCap), overageCapReachedAt: iso(capReached) }
        : {}),
    },
    burnRate: {
      lastHourPerHour: roundUsd(burn.lastHourPerHour),
      last24hPerHour: roundUsd(burn.last24hPerHour),
      last7dPerDay: roundUsd(burn.last7dPerDay),
      cyclePerDay: roundUsd(burn.cyclePerDay),
    },
    forecast: {
      cycleEndSpend: { p10: roundUsd(spend.p10), p50: roundUsd(spend.p50), p90: roundUsd(spend.p90) },
      exhaustionAt: {
        p10: iso(forecast.exhaustionAt.p10),
        p50: iso(forecast.exhaustionAt.p50),
        p90: iso(forecast.exhaustionAt.p90),
      },
      projectedOverage: {
        p10: roundUsd(overageFor(plan, spend.p10)),
        p50: roundUsd(overageFor(plan, spend.p50)),
        p90: roundUsd(overageFor(plan, spend.p90)),
      },
      ...(options.forecast === false ? {} : { basis: forecastBasis(forecast) }),
    },
    byModel: spendByModel.map((m) => ({
      model: m.model,
      cost: roundUsd(m.cost),
      requests: m.requests,
      class: m.class,
    })),
    unpriced: unpricedBetween(db, c.startMs, upTo),
    pricing: { version: pricingVersion },
  };
  const extras: StatusExtras = {
    method: forecast.method,
    historyDays: forecast.historyDays,
    settled: forecast.settled,
  };
  if (plan.seatCredit === 'per-seat') {
    const seatSettled = new Map<string, boolean>();
    report.seats = seatStatuses(db, plan, nowMs, c, upTo, buckets, seatSettled, options.memo);
    extras.seatSettled = seatSettled;
  }
  const refused = refusals(db);
  if (Object.keys(refused.records).length > 0) {
    report.telemetryRefused = refused.records;
    if (refused.recordsLastMs !== null) report.telemetryRefusedLast = isoInZone(refused.recordsLastMs, plan.tz);
  }
  if (Object.keys(refused.cut).length > 0) report.telemetryCut = refused.cut;
  if (Object.keys(refused.requests).length > 0) {
    report.requestsRefused = refused.requests;
    if (refused.requestsLastMs !== null) report.requestsRefusedLast = isoInZone(refused.requestsLastMs, plan.tz);
  }
  return { report, extras };
}

/** The running sum and the total add the same costs in another order: they may differ in the last bits. */
const CROSSING_SLACK = 1e-9;

/**
 * Each user's programmatic spend gauged against one seat's credit (seats not pooled), with its
 * own forecast on its own history (from the user's first request: a newcomer's seat is not read as
 * days of no spend before it); nearest exhaustion first. Whether each seat's forecast is settled
 * goes into `settled`.
 */
function seatStatuses(
  db: Db,
  plan: PlanSettings,
  nowMs: number,
  c: Cycle,
  upTo: number,
  buckets: BucketSource,
  settled: Map<string, boolean>,
  memo: PathsMemo | undefined,
): SeatStatus[] {
  const counted = countedClasses(plan);
  const seatCredit = plan.seats > 0 ? plan.credit / plan.seats : plan.credit;
  const lookbackFrom = nowMs - (DEFAULT_FORECAST.lookbackDays + 2) * DAY_MS;
  const firsts = userFirstTs(db);
  const storeStartMs = firstRequestTs(db);
  // When each seat runs out (ran out, or its P50 says it will), for the order: the nearest first.
  const runsOut = new Map<string, number>();
  const seats = userSpend(db, counted, c.startMs, upTo).map((u): SeatStatus => {
    const seatPlan = { ...plan, credit: seatCredit };
    // A seat past its credit ran out when its spend crossed it, not now.
    const crossed =
      u.cost > 0 && u.cost >= seatCredit
        ? userCrossingTs(db, counted, c.startMs, upTo, seatCredit - CROSSING_SLACK, u.user)
        : null;
    const state = creditState(seatPlan, u.cost, crossed);
    const f = forecastCycle({
      cycle: c,
      nowMs,
      tz: plan.tz,
      spentSoFar: u.cost,
      buckets: buckets(counted, lookbackFrom, nowMs, u.user),
      dataStartMs: firsts.get(u.user) ?? storeStartMs,
      credit: seatCredit,
      exhaustedAtMs: state.exhaustedAt,
      memo,
    });
    settled.set(u.user, f.settled);
    runsOut.set(u.user, state.exhaustedAt ?? f.exhaustionAt.p50 ?? Infinity);
    return {
      user: u.user,
      credit: roundUsd(seatCredit),
      used: roundUsd(u.cost),
      remaining: roundUsd(Math.max(0, seatCredit - u.cost)),
      usedFraction: fraction(state.usedFraction),
      forecast: {
        cycleEndSpend: {
          p10: roundUsd(f.cycleEndSpend.p10),
          p50: roundUsd(f.cycleEndSpend.p50),
          p90: roundUsd(f.cycleEndSpend.p90),
        },
        exhaustionAt: f.exhaustionAt.p50 === null ? null : isoInZone(f.exhaustionAt.p50, plan.tz),
      },
    };
  });
  // Seats that last the cycle after those that do not, the most used first.
  const at = (s: SeatStatus): number => runsOut.get(s.user) ?? Infinity;
  return seats.sort(
    (a, b) =>
      (at(a) === at(b) ? 0 : at(a) < at(b) ? -1 : 1) ||
      b.usedFraction - a.usedFraction ||
      b.forecast.cycleEndSpend.p50 - a.forecast.cycleEndSpend.p50,
  );
}

/** The attribution groupings `status` names, in its order. */
const WHO = ['workflow', 'user', 'repo'] as const;

/**
 * The cycle's spend that counts against the credit, up to `nowMs`, by workflow, user and
 * repository: one entry per grouping the store has from telemetry (none without telemetry).
 */
export function spendByWho(
  db: Db,
  plan: PlanSettings,
  cycle: Cycle,
  nowMs: number,
): Array<{ by: (typeof WHO)[number]; rows: Array<{ key: string; cost: number }> }> {
  const present = new Set(attributionPresent(db));
  const filter = {
    fromMs: cycle.startMs,
    toMs: countedUntil(cycle, nowMs),
    classes: countedClasses(plan),
  };
  return WHO.filter((by) => present.has(by)).map((by) => ({
    by,
    rows: aggregate(db, by, filter, plan.tz).map((r) => ({ key: r.key, cost: r.cost })),
  }));
}
