import { describe, expect, it } from 'vitest';
import { parseNow } from '../../src/cli/parse-now.js';

describe('parseNow', () => {
  it('reads an instant with or without an offset, and without one in the zone given', () => {
    expect(parseNow('2026-12-06T10:00:00Z', 'UTC')).toBe(Date.UTC(2026, 11, 6, 10));
    expect(parseNow('2026-12-06T10:00+05:30', 'UTC')).toBe(Date.UTC(2026, 11, 6, 4, 30));
    expect(parseNow('2026-12-06T10:00-0800', 'UTC')).toBe(Date.UTC(2026, 11, 6, 18));
    expect(parseNow('2026-12-06T10:00+14:00', 'UTC')).toBe(Date.UTC(2026, 11, 5, 20));
    expect(parseNow('2026-12-06T10:00', 'Asia/Tokyo')).toBe(Date.UTC(2026, 11, 6, 1));
  });

  it('refuses what names no instant: an offset past 18 hours, minutes past 59, an hour 25, February 30', () => {
    for (const bad of [
      '2026-12-06T10:00+25:00',
      '2026-12-06T10:00-19:00',
      '2026-12-06T10:00+05:75',
      '2026-12-06T25:00',
      '2026-02-30',
      'yesterday',
    ])
      expect(() => parseNow(bad, 'UTC'), bad).toThrow(/--now must be an ISO date-time/);
  });
});
