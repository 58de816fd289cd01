import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { openDatabase, type Db } from '../../src/store/database.js';
import {
  classTotals,
  crossingTs,
  dailySpend,
  firstRequestTs,
  modelSpend,
  spendBetween,
  spendBuckets,
  unpricedBetween,
} from '../../src/store/cycle-queries.js';
import type { RequestClass } from '../../src/domain/types.js';

let db: Db;
let n = 0;

/** Inserts one stored request row with the real schema (only what the queries read varies). */
function add(ts: number, cost: number | null, cls: RequestClass = 'programmatic', model = 'claude-sonnet-4-5'): void {
  db.prepare(
    `INSERT INTO requests (key, class, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,
      cache_write_1h_tokens, web_search_requests, web_fetch_requests, cost, source) VALUES (?, ?, ?, ?, 1, 1, 0, 0, 0, 0, 0, ?, 'line')`,
  ).run(`k${n++}`, cls, model, ts, cost);
}

const utc = (iso: string): number => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('cycle queries', () => {
  it('sums each class in [from, to), counting unpriced requests but not pricing them', () => {
    add(utc('2026-08-15T00:00'), 1);
    add(utc('2026-08-20T00:00'), 2);
    add(utc('2026-08-20T01:00'), null, 'programmatic', 'mystery-model');
    add(utc('2026-08-21T00:00'), 5, 'interactive');
    add(utc('2026-08-22T00:00'), 7, 'unknown');
    add(utc('2026-09-15T00:00'), 100);
    const t = classTotals(db, utc('2026-08-15T00:00'), utc('2026-09-15T00:00'));
    expect(t.programmatic).toEqual({ cost: 3, requests: 3 });
    expect(t.interactive).toEqual({ cost: 5, requests: 1 });
    expect(t.unknown).toEqual({ cost: 7, requests: 1 });
    expect(spendBetween(db, ['programmatic', 'unknown'], utc('2026-08-15T00:00'), utc('2026-09-15T00:00'))).toBe(10);
    expect(spendBetween(db, [], 0, Number.MAX_SAFE_INTEGER)).toBe(0);
    expect(unpricedBetween(db, 0, utc('2026-09-01T00:00'))).toEqual([{ model: 'mystery-model', requests: 1 }]);
    expect(unpricedBetween(db, utc('2026-08-21T00:00'), utc('2026-09-01T00:00'))).toEqual([]);
    expect(firstRequestTs(db)).toBe(utc('2026-08-15T00:00'));
  });

  it('groups per model and class, most expensive first', () => {
    add(1000, 1, 'programmatic', 'a');
    add(2000, 3, 'programmatic', 'b');
    add(3000, 2, 'interactive', 'a');
    add(4000, 1, 'programmatic', 'a');
    expect(modelSpend(db, 0, 10_000)).toEqual([
      { model: 'b', class: 'programmatic', cost: 3, requests: 1 },
      { model: 'a', class: 'interactive', cost: 2, requests: 1 },
      { model: 'a', class: 'programmatic', cost: 2, requests: 2 },
    ]);
  });

  it('buckets days by the local calendar, exact across a DST change (America/New_York)', () => {
    const tz = 'America/New_York';
    const local = (iso: string): number => DateTime.fromISO(iso, { zone: tz }).toMillis();
    add(local('2026-11-01T00:30'), 1);
    add(local('2026-11-01T23:30'), 2); // the 25-hour day
    add(local('2026-11-02T00:10'), 4);
    add(local('2026-11-02T12:00'), 8, 'interactive');
    const days = dailySpend(db, local('2026-10-31T00:00'), local('2026-11-03T00:00'), tz, ['programmatic']);
    expect(days).toEqual([
      { day: '2026-10-31', cost: 0 },
      { day: '2026-11-01', cost: 3 },
      { day: '2026-11-02', cost: 4 },
    ]);
    expect(
      dailySpend(db, local('2026-11-02T00:00'), local('2026-11-03T00:00'), tz, ['programmatic', 'interactive']),
    ).toEqual([{ day: '2026-11-02', cost: 12 }]);
  });

  it('returns 15-minute spend buckets, skipping unpriced rows', () => {
    add(utc('2026-08-20T10:01'), 1);
    add(utc('2026-08-20T10:14'), 2);
    add(utc('2026-08-20T10:15'), 4);
    add(utc('2026-08-20T10:16'), null);
    expect(spendBuckets(db, ['programmatic'], utc('2026-08-20T00:00'), utc('2026-08-21T00:00'))).toEqual([
      { startMs: utc('2026-08-20T10:00'), cost: 3 },
      { startMs: utc('2026-08-20T10:15'), cost: 4 },
    ]);
  });

  it('finds the request at which cumulative spend reaches the credit, across days', () => {
    add(utc('2026-08-15T10:00'), 8);
    add(utc('2026-08-16T10:00'), 8, 'interactive');
    add(utc('2026-08-17T09:00'), 8);
    add(utc('2026-08-17T11:00'), 4);
    add(utc('2026-08-17T12:00'), 4);
    const from = utc('2026-08-15T00:00');
    const to = utc('2026-09-15T00:00');
    expect(crossingTs(db, ['programmatic'], from, to, 20)).toBe(utc('2026-08-17T11:00'));
    expect(crossingTs(db, ['programmatic'], from, to, 16.5)).toBe(utc('2026-08-17T11:00'));
    expect(crossingTs(db, ['programmatic', 'interactive'], from, to, 16)).toBe(utc('2026-08-16T10:00'));
    expect(crossingTs(db, ['programmatic'], from, to, 24.01)).toBeNull();
    expect(crossingTs(db, ['programmatic'], from, utc('2026-08-17T10:00'), 20)).toBeNull();
  });
});
