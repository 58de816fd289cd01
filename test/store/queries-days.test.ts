import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/database.js';
import { aggregate } from '../../src/store/queries.js';
import { localDayKey } from '../../src/domain/time.js';
import { DateTime } from '../../src/domain/luxon.js';
import { insertRows, type RowSpec } from './queries-rows.js';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

const days = (tz: string, filter = {}): Array<[string, number]> =>
  aggregate(db, 'day', filter, tz).map((r) => [r.key, r.requests]);

describe('day buckets are calendar days of the given zone', () => {
  it('Pacific/Kiritimati (UTC+14): a UTC morning is already the next local day', () => {
    insertRows(db, [
      { key: 'a', ts: '2026-03-01T09:59:59.999Z' },
      { key: 'b', ts: '2026-03-01T10:00:00.000Z' },
      { key: 'c', ts: '2026-03-02T09:00:00.000Z' },
    ]);
    expect(days('Pacific/Kiritimati')).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 2],
    ]);
    expect(days('UTC')).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 1],
    ]);
    expect(days('Pacific/Pago_Pago')).toEqual([
      ['2026-02-28', 2],
      ['2026-03-01', 1],
    ]);
  });

  it('America/Los_Angeles across both DST changes (23- and 25-hour days)', () => {
    insertRows(db, [
      // 2026-03-08 is 23 hours long: 08:00Z to 07:00Z next day.
      { key: 'm1', ts: '2026-03-08T08:00:00Z' },
      { key: 'm2', ts: '2026-03-09T06:59:59Z' },
      { key: 'm3', ts: '2026-03-09T07:00:00Z' },
      // 2026-11-01 is 25 hours long: 07:00Z to 08:00Z next day.
      { key: 'n1', ts: '2026-11-01T06:59:59Z' },
      { key: 'n2', ts: '2026-11-02T07:30:00Z' },
      { key: 'n3', ts: '2026-11-02T08:00:00Z' },
    ]);
    expect(days('America/Los_Angeles')).toEqual([
      ['2026-03-08', 2],
      ['2026-03-09', 1],
      ['2026-10-31', 1],
      ['2026-11-01', 1],
      ['2026-11-02', 1],
    ]);
  });

  it('sums the right rows per day, oldest first, and honours the filter', () => {
    insertRows(db, [
      { key: 'x', ts: '2026-05-02T01:00:00Z', cost: 2, output: 7 },
      { key: 'y', ts: '2026-05-01T23:00:00Z', cost: 1, output: 3, cls: 'interactive' },
      { key: 'z', ts: '2026-05-02T02:00:00Z', cost: null, output: 1 },
    ]);
    const rows = aggregate(db, 'day', {}, 'Europe/Berlin');
    expect(rows.map((r) => [r.key, r.requests, r.cost, r.outputTokens, r.unpricedRequests])).toEqual([
      ['2026-05-02', 3, 3, 11, 1],
    ]);
    expect(days('America/New_York')).toEqual([['2026-05-01', 3]]);
    expect(days('UTC')).toEqual([
      ['2026-05-01', 1],
      ['2026-05-02', 2],
    ]);
    expect(days('UTC', { classes: ['interactive'] })).toEqual([['2026-05-01', 1]]);
    expect(days('UTC', { fromMs: Date.parse('2026-05-02T00:00:00Z') })).toEqual([['2026-05-02', 2]]);
    expect(days('UTC', { classes: [] })).toEqual([]);
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata', 'UTC'])(
    'agrees with per-request day keys over a year in %s',
    (tz) => {
      // A deterministic spread of timestamps every 7h13m over 400 days, crossing every DST change.
      const start = Date.parse('2026-01-01T00:00:00Z');
      const step = (7 * 60 + 13) * 60_000;
      const rows: RowSpec[] = [];
      for (let i = 0; start + i * step < start + 400 * 86_400_000; i++)
        rows.push({ key: `k${i}`, ts: start + i * step });
      insertRows(db, rows);
      const expected = new Map<string, number>();
      for (const r of rows)
        expected.set(localDayKey(r.ts as number, tz), (expected.get(localDayKey(r.ts as number, tz)) ?? 0) + 1);
      expect(days(tz)).toEqual([...expected.entries()].sort(([a], [b]) => a.localeCompare(b)));
    },
  );
});

describe('week and month buckets', () => {
  const periods = (by: 'week' | 'month', tz: string): Array<[string, number]> =>
    aggregate(db, by, {}, tz).map((r) => [r.key, r.requests]);

  it('are calendar weeks from Monday and calendar months of the zone, oldest first', () => {
    insertRows(db, [
      // Sunday 2026-03-01 23:30 in New York is Monday 04:30 UTC: the week of Feb 23 there.
      { key: 'a', ts: '2026-03-02T04:30:00Z' },
      { key: 'b', ts: '2026-03-02T05:30:00Z' },
      // Across the DST change (2026-03-08) and a month end.
      { key: 'c', ts: '2026-03-31T23:00:00Z' },
      { key: 'd', ts: '2026-04-01T03:30:00Z' },
    ]);
    expect(periods('week', 'America/New_York')).toEqual([
      ['2026-02-23', 1],
      ['2026-03-02', 1],
      ['2026-03-30', 2],
    ]);
    expect(periods('week', 'UTC')).toEqual([
      ['2026-03-02', 2],
      ['2026-03-30', 2],
    ]);
    expect(periods('month', 'America/New_York')).toEqual([['2026-03', 4]]);
    expect(periods('month', 'UTC')).toEqual([
      ['2026-03', 3],
      ['2026-04', 1],
    ]);
  });

  it.each(['America/Los_Angeles', 'Asia/Kathmandu', 'Australia/Lord_Howe'])(
    'add up to the day buckets over a year in %s',
    (tz) => {
      const start = Date.parse('2026-01-01T00:00:00Z');
      const step = (5 * 60 + 41) * 60_000;
      const rows: RowSpec[] = [];
      for (let i = 0; start + i * step < start + 380 * 86_400_000; i++)
        rows.push({ key: `k${i}`, ts: start + i * step, cost: (i % 7) + 0.25 });
      insertRows(db, rows);
      const byDay = aggregate(db, 'day', {}, tz);
      for (const unit of ['week', 'month'] as const) {
        const expected = new Map<string, number>();
        for (const d of byDay) {
          const dt = DateTime.fromISO(d.key, { zone: tz });
          const key = unit === 'week' ? dt.startOf('week').toISODate()! : dt.toFormat('yyyy-LL');
          expected.set(key, (expected.get(key) ?? 0) + d.requests);
        }
        expect(periods(unit, tz)).toEqual([...expected.entries()]);
        const rowsOf = aggregate(db, unit, {}, tz);
        expect(rowsOf.reduce((n, r) => n + r.cost, 0)).toBeCloseTo(
          byDay.reduce((n, r) => n + r.cost, 0),
          6,
        );
      }
    },
  );
});
