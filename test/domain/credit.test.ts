import { describe, expect, it } from 'vitest';
import { countedSpend, creditState, overageFor, type CreditPlan } from '../../src/domain/credit.js';
import { burnRates, modelRates } from '../../src/domain/burn.js';
import { resolveConfig } from '../../src/app/config.js';

const plan = (over: Partial<CreditPlan> = {}): CreditPlan => ({
  credit: 20,
  usageCredits: false,
  overageCap: null,
  countUnknown: false,
  ...over,
});

describe('credit arithmetic', () => {
  it('pools per-seat credit across team seats', () => {
    const env = { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent/cfg' };
    expect(resolveConfig({ plan: 'team', seats: '3' }, env).plan.credit).toBe(60);
    expect(resolveConfig({ plan: 'team-premium', seats: '4' }, env).plan.credit).toBe(400);
    expect(resolveConfig({ plan: 'max5x', seats: '1' }, env).plan.credit).toBe(100);
    expect(() => resolveConfig({ plan: 'max5x', seats: '4' }, env)).toThrow(/--seats applies to the team plans/);
  });

  it('keeps used uncapped and derives remaining and fraction from it', () => {
    const s = creditState(plan(), 12.5, null);
    expect(s).toMatchObject({ used: 12.5, remaining: 7.5, usedFraction: 0.625, overage: 0, exhaustedAt: null });
    const over = creditState(plan(), 26, 1000);
    expect(over.used).toBe(26);
    expect(over.remaining).toBe(0);
    expect(over.usedFraction).toBeCloseTo(1.3);
  });

  it('bills the spend beyond the credit when usage credits are on, up to the cap', () => {
    expect(creditState(plan({ usageCredits: true }), 26, 1000).overage).toBeCloseTo(6);
    expect(creditState(plan({ usageCredits: true, overageCap: 5 }), 26, 1000).overage).toBe(5);
    expect(creditState(plan({ usageCredits: true, overageCap: 5 }), 19, null).overage).toBe(0);
    expect(overageFor(plan({ usageCredits: true, overageCap: 0 }), 100)).toBe(0);
  });

  it('stops access at exhaustion when usage credits are off: no overage, exhaustedAt marks the stop', () => {
    const s = creditState(plan({ usageCredits: false }), 26, 1234);
    expect(s.overage).toBe(0);
    expect(s.exhaustedAt).toBe(1234);
    expect(s.usageCredits).toBe(false);
    expect(creditState(plan(), 19.99, 1234).exhaustedAt).toBeNull();
  });

  it('counts unknown spend only when configured, and keeps a zero credit finite', () => {
    expect(countedSpend({ countUnknown: false }, 3, 2)).toBe(3);
    expect(countedSpend({ countUnknown: true }, 3, 2)).toBe(5);
    expect(creditState(plan({ credit: 0 }), 0, null).usedFraction).toBe(0);
    expect(creditState(plan({ credit: 0 }), 1, 5).usedFraction).toBe(1);
  });
});

describe('burn rates', () => {
  const cycle = { startMs: 0, endMs: 30 * 86_400_000 };
  it('turns window sums into hourly and daily rates', () => {
    const r = burnRates({ lastHour: 0.5, last24h: 12, last7d: 70, cycleToDate: 25 }, cycle, 5 * 86_400_000);
    expect(r).toEqual({ lastHourPerHour: 0.5, last24hPerHour: 0.5, last7dPerDay: 10, cyclePerDay: 5 });
  });
  it('is zero before the cycle starts and uses the full length after it ends', () => {
    expect(burnRates({ lastHour: 0, last24h: 0, last7d: 0, cycleToDate: 0 }, cycle, -5).cyclePerDay).toBe(0);
    expect(burnRates({ lastHour: 0, last24h: 0, last7d: 0, cycleToDate: 60 }, cycle, 90 * 86_400_000).cyclePerDay).toBe(
      2,
    );
    expect(modelRates([{ model: 'a', cost: 10 }], cycle, 86_400_000 * 2)[0]?.perDay).toBe(5);
  });
  it('reads the first day of a cycle as one whole day, not a rate of the minutes since it began', () => {
    // A $2 job five minutes into the cycle: $2 a day so far, not $576.
    const five = 5 * 60_000;
    expect(burnRates({ lastHour: 2, last24h: 2, last7d: 2, cycleToDate: 2 }, cycle, five).cyclePerDay).toBe(2);
    expect(modelRates([{ model: 'a', cost: 2 }], cycle, five)[0]?.perDay).toBe(2);
    expect(burnRates({ lastHour: 0, last24h: 0, last7d: 0, cycleToDate: 3 }, cycle, 1.5 * 86_400_000).cyclePerDay).toBe(
      2,
    );
  });
});
