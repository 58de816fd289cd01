import { describe, expect, it } from 'vitest';
import { formatPercent, formatTokens } from '../../src/domain/format.js';
import { countOf, formatUsdShort, formatUsdWhole, groupThousands } from '../../src/output/export-format.js';

/** Amounts around every boundary: zero, sub-cent, rounding at .005 and .5, thousands, millions, negatives. */
const AMOUNTS = [
  0, 0.004, 0.005, 0.0051, 0.01, 0.1, 0.499, 0.5, 0.995, 1, 9.999, 37.12, 99.995, 100, 999.5, 1000, 1234.5, 12_345.678,
  999_999.995, 1_000_000, 123_456_789.01, -0.004, -0.5, -0.51, -37.12, -1234.5,
];

describe('number text without Intl (the status line path)', () => {
  it('groups thousands as en-US does', () => {
    for (const n of [0, 1, 12, 123, 1234, 12_345, 123_456, 1_234_567, 1e12, 0.4, 0.5, 1234.5, -1, -1234, -0.4]) {
      const whole = Math.round(Math.abs(n));
      expect(groupThousands(n), String(n)).toBe(`${n < 0 && whole > 0 ? '-' : ''}${whole.toLocaleString('en-US')}`);
    }
  });

  it('writes short money like the Intl formatting it replaces', () => {
    for (const usd of AMOUNTS) {
      const cents = Math.round(Math.abs(usd) * 100);
      const sign = usd < 0 && cents > 0 ? '-' : '';
      const expected =
        cents % 100 === 0
          ? `${sign}$${(cents / 100).toLocaleString('en-US')}`
          : `${sign}$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      expect(formatUsdShort(usd), String(usd)).toBe(expected);
    }
    expect(formatUsdShort(37.12)).toBe('$37.12');
    expect(formatUsdShort(1234.5)).toBe('$1,234.50');
    expect(formatUsdShort(100)).toBe('$100');
  });

  it('writes whole dollars like the Intl formatting it replaces', () => {
    for (const usd of AMOUNTS) {
      expect(formatUsdWhole(usd), String(usd)).toBe(
        `${usd < -0.5 ? '-' : ''}$${Math.round(Math.abs(usd)).toLocaleString('en-US')}`,
      );
    }
  });

  it('groups the digits of large percentages and token counts', () => {
    expect(formatPercent(14.21)).toBe('1,421%');
    expect(formatPercent(30_000_000)).toBe('3,000,000,000%');
    expect(formatTokens(2.5e10)).toBe('25.0B');
    expect(formatTokens(3.2e12)).toBe('3.2T');
    expect(formatTokens(1e18)).toBe('1,000,000T');
  });

  it('counts with a plural', () => {
    expect(countOf(1, 'request')).toBe('1 request');
    expect(countOf(1234, 'request')).toBe('1,234 requests');
  });
});
