/**
 * Small amounts never read as nothing: a cost under a cent keeps two significant digits wherever a
 * class total or a model's cost is shown.
 */
import { describe, expect, it } from 'vitest';
import { formatUsd, formatUsdNonZero, formatUsdPrecise } from '../../src/domain/format.js';

describe('money under a cent', () => {
  it('keeps two significant digits in totals and per-model costs, and $0.00 only for nothing', () => {
    expect(formatUsdNonZero(0.00196)).toBe('$0.0020');
    expect(formatUsdNonZero(0)).toBe('$0.00');
    expect(formatUsdNonZero(12.345)).toBe(formatUsd(12.345));
    expect(formatUsdPrecise(0.0000459)).toBe('$0.000046');
    expect(formatUsdPrecise(0.00012)).toBe('$0.0001');
    expect(formatUsdPrecise(0.0042)).toBe('$0.0042');
    expect(formatUsdPrecise(0)).toBe('$0.00');
    expect(formatUsdPrecise(-0.00000123)).toBe('-$0.0000012');
  });
});
