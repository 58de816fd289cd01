/**
 * Credit arithmetic for one cycle. The credit is pooled across seats; only the counted classes
 * (programmatic, plus unknown when the config says so) draw on it. There is no rollover.
 */
import type { PlanSettings } from './status-types.js';
import type { RequestClass } from './types.js';

/** Where a cycle's credit stands. `exhaustedAt` is epoch ms or null when the credit still lasts. */
export interface CreditState {
  used: number;
  remaining: number;
  usedFraction: number;
  usageCredits: boolean;
  overage: number;
  exhaustedAt: number | null;
}

/** The subset of the plan the credit arithmetic needs. */
export type CreditPlan = Pick<PlanSettings, 'credit' | 'usageCredits' | 'overageCap' | 'countUnknown'>;

/** The spend that counts against the credit: programmatic, plus unknown when `countUnknown` is on. */
export function countedSpend(plan: Pick<PlanSettings, 'countUnknown'>, programmatic: number, unknown: number): number {
  return programmatic + (plan.countUnknown ? unknown : 0);
}

/**
 * What usage credits bill for a cycle whose counted spend is `spend`: the part beyond the credit,
 * capped by `overageCap`. Zero when usage credits are off, because access stops at exhaustion.
 */
export function overageFor(plan: CreditPlan, spend: number): number {
  if (!plan.usageCredits) return 0;
  const beyond = Math.max(0, spend - plan.credit);
  return plan.overageCap === null ? beyond : Math.min(beyond, plan.overageCap);
}

/**
 * The credit state for counted spend `used` (not capped). `crossedAt` is the instant the cumulative
 * spend reached the credit (from the store); it is reported only when the credit is really used up.
 */
export function creditState(plan: CreditPlan, used: number, crossedAt: number | null): CreditState {
  const exhausted = used > 0 && used >= plan.credit;
  return {
    used,
    remaining: Math.max(0, plan.credit - used),
    // A zero credit is fully used by any spend; the fraction stays finite for JSON.
    usedFraction: plan.credit > 0 ? used / plan.credit : used > 0 ? 1 : 0,
    usageCredits: plan.usageCredits,
    overage: overageFor(plan, used),
    exhaustedAt: exhausted ? crossedAt : null,
  };
}

/** The classes whose spend counts against the credit: programmatic, and unknown when configured. */
export function countedClasses(plan: Pick<PlanSettings, 'countUnknown'>): RequestClass[] {
  return plan.countUnknown ? ['programmatic', 'unknown'] : ['programmatic'];
}
