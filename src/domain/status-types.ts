/**
 * The `status --json` object (a stable contract, documented in the README) and the plan settings
 * it is computed from. Timestamps are ISO-8601 strings, money is USD numbers.
 */
import type { RequestClass, UnpricedModel } from './types.js';

export type PlanName = 'pro' | 'max5x' | 'max20x' | 'team' | 'team-premium' | 'custom';

export const PLAN_NAMES: readonly PlanName[] = ['pro', 'max5x', 'max20x', 'team', 'team-premium', 'custom'];

/** How each plan is named on screen. */
export const PLAN_LABELS: Readonly<Record<PlanName, string>> = {
  pro: 'Pro',
  max5x: 'Max 5x',
  max20x: 'Max 20x',
  team: 'Team',
  'team-premium': 'Team Premium',
  custom: 'Custom',
};

/** Everything that decides the credit and the cycle. */
export interface PlanSettings {
  plan: PlanName;
  seats: number;
  /** Credit in USD for the whole cycle (per-seat credit times seats for team plans). */
  credit: number;
  /** 1-31: a cycle starts at 00:00 of that day of the month in `tz` (last day of shorter months). */
  cycleStartDay: number;
  tz: string;
  usageCredits: boolean;
  overageCap: number | null;
  /** Count unknown-class spend against the credit too (off by default). */
  countUnknown: boolean;
  /** Team plans: `pooled` (one credit for the account) or `per-seat` (each user gauged against one seat's credit). */
  seatCredit?: SeatCredit;
  /** True when no config said which plan: the output says what was assumed. */
  assumed: boolean;
}

export type SeatCredit = 'pooled' | 'per-seat';

/** One seat's credit when seats are not pooled (`status --json` `seats`, nearest exhaustion first). */
/** The seat of the spend without a user (transcripts, telemetry that names none). */
export const NO_USER = '(none)';

export interface SeatStatus {
  /** The user (telemetry's `user.email`, else account id); NO_USER for requests without one. */
  user: string;
  credit: number;
  used: number;
  remaining: number;
  usedFraction: number;
  forecast: { cycleEndSpend: Percentiles<number>; exhaustionAt: string | null };
}

export interface ClassSpend {
  cost: number;
  requests: number;
}

export interface Percentiles<T> {
  p10: T;
  p50: T;
  p90: T;
}

export interface StatusReport {
  now: string;
  cycle: {
    start: string;
    end: string;
    timezone: string;
    plan: PlanName;
    seats: number;
    credit: number;
    elapsedFraction: number;
  };
  programmatic: ClassSpend;
  interactive: ClassSpend;
  unknown: ClassSpend;
  credit: {
    used: number;
    remaining: number;
    usedFraction: number;
    usageCredits: boolean;
    overage: number;
    exhaustedAt: string | null;
    /** The most usage credits bill this cycle; present only with usage credits on and a cap set. */
    overageCap?: number;
    /**
     * When counted spend reached the credit plus that cap, where programmatic access stopped again;
     * null while it has not. Present with `overageCap`.
     */
    overageCapReachedAt?: string | null;
  };
  burnRate: {
    lastHourPerHour: number;
    last24hPerHour: number;
    last7dPerDay: number;
    cyclePerDay: number;
  };
  forecast: {
    cycleEndSpend: Percentiles<number>;
    exhaustionAt: Percentiles<string | null>;
    projectedOverage: Percentiles<number>;
    /** What the forecast rests on, in figures and in words. */
    basis?: ForecastBasis;
  };
  byModel: Array<{ model: string; cost: number; requests: number; class: RequestClass }>;
  unpriced: UnpricedModel[];
  pricing: { version: string };
  /** Present when seats are not pooled: every seat with programmatic spend in the cycle. */
  seats?: SeatStatus[];
  /**
   * Present when received telemetry had billable records refused (since the store began), by
   * reason (`bad-usage`, `missing-key`, …): their spend is in no total.
   */
  telemetryRefused?: Record<string, number>;
  /**
   * Present when `serve` refused whole requests that a sender set up wrong sends (a wrong token
   * 401, a body that is not OTLP 400, too large 413, another content type 415), by HTTP status.
   */
  requestsRefused?: Record<string, number>;
  /**
   * Present when received events named a workflow, user, repository, host, project, branch, agent
   * or skill in over 512 characters: kept, in every total, with the name cut; by attribute.
   */
  telemetryCut?: Record<string, number>;
  /** When the last of `telemetryRefused` was refused (ISO, the plan's zone), where known. */
  telemetryRefusedLast?: string;
  /** When the last of `requestsRefused` was refused (ISO, the plan's zone), where known. */
  requestsRefusedLast?: string;
}

/** What a forecast rested on: the pattern it followed and how much history it had. */
export interface ForecastBasis {
  method: 'complete' | 'resample' | 'rate' | 'none';
  /** 'weekday': same weekday (weekly jobs); 'weekpart': weekdays vs weekends; 'flat': any day. */
  structure: 'flat' | 'weekpart' | 'weekday';
  historyDays: number;
  /** Growth of the daily level per day that was followed (0 = none). */
  trendPerDay: number;
  /** Too little history to be sure: the band is wide on purpose. */
  littleHistory: boolean;
  /** The history drawn on starts where spend stepped up to the level that runs now. */
  steppedUp: boolean;
  /** The history drawn on starts where spend dropped to the level that runs now (a job that stopped). */
  steppedDown: boolean;
  /** Days of the month on which a monthly batch runs (drawn from its own runs; 32 = the last day); empty when none. */
  monthlyDays: number[];
  /** The same in words, e.g. "weekly pattern, 9 weeks of history". */
  text: string;
}

/**
 * Whether unknown-class spend counts against the credit (config `countUnknown`), as the report
 * shows it: the credit used is more than the programmatic spend. Unknown spend of $0 reads as not
 * counted, which changes nothing it would be said of.
 */
export function unknownCounted(r: Pick<StatusReport, 'credit' | 'programmatic' | 'unknown'>): boolean {
  return r.unknown.cost > 0 && Math.abs(r.credit.used - r.programmatic.cost) > 1e-9;
}

/** Whether the report's cycle ended before its `now` (a past cycle: no rates, no forecast). */
export function cycleHasEnded(r: Pick<StatusReport, 'now' | 'cycle'>): boolean {
  return Date.parse(r.now) >= Date.parse(r.cycle.end);
}

/** "Credit ran out" for a report: when, "not yet" in a running cycle, "no" once it ended. */
export function ranOutText(r: Pick<StatusReport, 'now' | 'cycle' | 'credit'>, when: (iso: string) => string): string {
  if (r.credit.exhaustedAt !== null) return when(r.credit.exhaustedAt);
  return cycleHasEnded(r) ? 'no: the credit lasted the cycle' : 'not yet';
}
