import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  cycleAt,
  cycleOfDay,
  cyclesBetween,
  parseCycleSelector,
  selectCycle,
  shiftCycle,
} from '../../src/domain/cycle.js';

const HOUR = 3_600_000;
const at = (iso: string, tz: string): number => DateTime.fromISO(iso, { zone: tz }).toMillis();
const local = (ms: number, tz: string): string => DateTime.fromMillis(ms, { zone: tz }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('cycleAt', () => {
  it('starts at 00:00 local on the anchor day and ends at the next one', () => {
    const c = cycleAt(at('2026-08-25T12:00', 'UTC'), 15, 'UTC');
    expect(local(c.startMs, 'UTC')).toBe('2026-08-15T00:00');
    expect(local(c.endMs, 'UTC')).toBe('2026-09-15T00:00');
  });

  it('puts an instant before the anchor in the previous month', () => {
    const c = cycleAt(at('2026-08-14T23:59', 'UTC'), 15, 'UTC');
    expect(local(c.startMs, 'UTC')).toBe('2026-07-15T00:00');
  });

  it('includes the start instant and excludes the end instant', () => {
    const c = cycleAt(at('2026-08-15T00:00', 'Europe/Berlin'), 15, 'Europe/Berlin');
    expect(c.startMs).toBe(at('2026-08-15T00:00', 'Europe/Berlin'));
    expect(cycleAt(c.endMs, 15, 'Europe/Berlin').startMs).toBe(c.endMs);
    expect(cycleAt(c.endMs - 1, 15, 'Europe/Berlin').startMs).toBe(c.startMs);
  });

  it('clamps anchor 31 to the last day of February, in a leap year and not', () => {
    const plain = cycleAt(at('2027-03-10T00:00', 'UTC'), 31, 'UTC');
    expect(local(plain.startMs, 'UTC')).toBe('2027-02-28T00:00');
    expect(local(plain.endMs, 'UTC')).toBe('2027-03-31T00:00');
    const leap = cycleAt(at('2028-03-10T00:00', 'UTC'), 31, 'UTC');
    expect(local(leap.startMs, 'UTC')).toBe('2028-02-29T00:00');
    expect((leap.endMs - leap.startMs) / HOUR).toBe(31 * 24);
  });

  it('clamps anchor 31 to April 30 and returns to the 31st in May', () => {
    const c = cycleAt(at('2026-05-05T00:00', 'Asia/Kolkata'), 31, 'Asia/Kolkata');
    expect(local(c.startMs, 'Asia/Kolkata')).toBe('2026-04-30T00:00');
    expect(local(c.endMs, 'Asia/Kolkata')).toBe('2026-05-31T00:00');
  });

  it('handles anchor 29 and 30 around a leap day', () => {
    const c = cycleAt(at('2028-02-29T12:00', 'UTC'), 29, 'UTC');
    expect(local(c.startMs, 'UTC')).toBe('2028-02-29T00:00');
    expect(local(c.endMs, 'UTC')).toBe('2028-03-29T00:00');
    const c30 = cycleAt(at('2028-02-29T12:00', 'UTC'), 30, 'UTC');
    expect(local(c30.startMs, 'UTC')).toBe('2028-02-29T00:00');
    expect(local(c30.endMs, 'UTC')).toBe('2028-03-30T00:00');
  });

  it('is 743 hours across the spring change and 745 across the autumn one (America/New_York)', () => {
    const tz = 'America/New_York';
    const spring = cycleAt(at('2026-03-01T00:00', tz), 1, tz);
    expect((spring.endMs - spring.startMs) / HOUR).toBe(31 * 24 - 1);
    const autumn = cycleAt(at('2026-10-20T00:00', tz), 15, tz);
    expect(local(autumn.startMs, tz)).toBe('2026-10-15T00:00');
    expect((autumn.endMs - autumn.startMs) / HOUR).toBe(31 * 24 + 1);
  });

  it('follows Europe/Berlin daylight saving (last Sunday of March and October)', () => {
    const tz = 'Europe/Berlin';
    const march = cycleAt(at('2026-03-20T00:00', tz), 10, tz);
    expect((march.endMs - march.startMs) / HOUR).toBe(31 * 24 - 1);
    expect(new Date(march.startMs).toISOString()).toBe('2026-03-09T23:00:00.000Z');
    expect(new Date(march.endMs).toISOString()).toBe('2026-04-09T22:00:00.000Z');
  });

  it('works east of UTC in Pacific/Auckland (southern-hemisphere DST) and Asia/Kolkata (+5:30)', () => {
    const nz = 'Pacific/Auckland';
    // NZ leaves DST on the first Sunday of April 2026: the cycle gains an hour.
    const c = cycleAt(at('2026-04-02T08:00', nz), 1, nz);
    expect(new Date(c.startMs).toISOString()).toBe('2026-03-31T11:00:00.000Z');
    expect((c.endMs - c.startMs) / HOUR).toBe(30 * 24 + 1);
    // An instant that is still the previous day in UTC belongs to the local day's cycle.
    const utcEvening = Date.UTC(2026, 3, 30, 13, 0);
    expect(local(cycleAt(utcEvening, 1, nz).startMs, nz)).toBe('2026-05-01T00:00');
    const kol = cycleAt(Date.UTC(2026, 6, 14, 18, 45), 15, 'Asia/Kolkata');
    expect(new Date(kol.startMs).toISOString()).toBe('2026-07-14T18:30:00.000Z');
  });

  it('works west of UTC in Pacific/Honolulu', () => {
    const c = cycleAt(Date.UTC(2026, 0, 1, 5, 0), 1, 'Pacific/Honolulu');
    expect(new Date(c.startMs).toISOString()).toBe('2025-12-01T10:00:00.000Z');
  });
});

describe('shiftCycle and selectors', () => {
  it('moves by whole cycles, keeping the anchor after a clamped month', () => {
    const feb = cycleAt(at('2027-03-01T00:00', 'UTC'), 31, 'UTC');
    const next = shiftCycle(feb, 1, 31, 'UTC');
    expect(local(next.startMs, 'UTC')).toBe('2027-03-31T00:00');
    const prev = shiftCycle(feb, -1, 31, 'UTC');
    expect(local(prev.startMs, 'UTC')).toBe('2027-01-31T00:00');
    expect(prev.endMs).toBe(feb.startMs);
    expect(shiftCycle(feb, -12, 31, 'UTC').startMs).toBe(at('2026-02-28T00:00', 'UTC'));
  });

  it('chains cycles without gaps or overlaps over years', () => {
    const cycles = cyclesBetween(
      at('2027-11-01T00:00', 'Europe/Berlin'),
      at('2029-03-01T00:00', 'Europe/Berlin'),
      31,
      'Europe/Berlin',
    );
    for (let i = 1; i < cycles.length; i++) expect(cycles[i]!.startMs).toBe(cycles[i - 1]!.endMs);
    expect(cycles.length).toBe(17);
  });

  it('parses --cycle values and finds the cycle of a day', () => {
    expect(parseCycleSelector('previous')).toBe('previous');
    expect(parseCycleSelector('2026-10-15')).toEqual({ day: '2026-10-15' });
    expect(parseCycleSelector('2026-02-30')).toBeNull();
    expect(parseCycleSelector('last')).toBeNull();
    const now = at('2026-11-20T00:00', 'UTC');
    expect(local(selectCycle({ day: '2026-10-15' }, now, 15, 'UTC').startMs, 'UTC')).toBe('2026-10-15T00:00');
    expect(local(selectCycle({ day: '2026-10-14' }, now, 15, 'UTC').startMs, 'UTC')).toBe('2026-09-15T00:00');
    expect(local(selectCycle('previous', now, 15, 'UTC').startMs, 'UTC')).toBe('2026-10-15T00:00');
    expect(local(selectCycle('next', now, 15, 'UTC').startMs, 'UTC')).toBe('2026-12-15T00:00');
    expect(cycleOfDay('nope', 1, 'UTC')).toBeNull();
  });
});
