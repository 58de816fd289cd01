import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/database.js';
import { aggregate, listRequests, ownCostComparison, totals, unpricedModels } from '../../src/store/queries.js';
import { whereClause, type RequestFilter } from '../../src/store/request-filter.js';
import { insertRows, type RowSpec } from './queries-rows.js';

const ROWS: RowSpec[] = [
  {
    key: 'a',
    ts: '2026-03-01T10:00:00Z',
    model: 'claude-opus-4-7',
    input: 10,
    output: 100,
    cacheRead: 1000,
    cacheWrite5m: 50,
    cacheWrite1h: 5,
    webSearch: 1,
    cost: 0.5,
  },
  {
    key: 'b',
    ts: '2026-03-01T11:00:00Z',
    model: 'claude-opus-4-7',
    input: 20,
    output: 200,
    cost: 0.25,
    project: '/home/u/web',
    session: 's2',
  },
  {
    key: 'c',
    ts: '2026-03-02T09:00:00Z',
    model: 'claude-sonnet-4-6',
    input: 30,
    output: 300,
    cost: 1.5,
    cls: 'interactive',
    entrypoint: 'cli',
  },
  {
    key: 'd',
    ts: '2026-03-03T09:00:00Z',
    model: 'mystery-model',
    input: 40,
    output: 400,
    cost: null,
    project: null,
    session: null,
  },
  {
    key: 'e',
    ts: '2026-03-04T09:00:00Z',
    model: 'claude-haiku-4-5',
    input: 50,
    output: 500,
    cost: 0.125,
    cls: 'unknown',
    entrypoint: null,
  },
  {
    key: 'f',
    ts: '2026-03-04T10:00:00Z',
    model: 'mystery-model',
    input: 1,
    output: 2,
    cost: null,
    cls: 'unknown',
    entrypoint: null,
  },
];

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  insertRows(db, ROWS);
});
afterEach(() => db.close());

describe('aggregate', () => {
  it('groups by model, most costly first, unpriced requests counted apart and worth nothing', () => {
    const rows = aggregate(db, 'model', {}, 'UTC');
    expect(rows.map((r) => r.key)).toEqual([
      'claude-sonnet-4-6',
      'claude-opus-4-7',
      'claude-haiku-4-5',
      'mystery-model',
    ]);
    expect(rows[1]).toEqual({
      key: 'claude-opus-4-7',
      requests: 2,
      inputTokens: 30,
      outputTokens: 300,
      cacheReadTokens: 1000,
      cacheWrite5mTokens: 50,
      cacheWrite1hTokens: 5,
      webSearchRequests: 1,
      cost: 0.75,
      unpricedRequests: 0,
    });
    expect(rows[3]).toMatchObject({ requests: 2, inputTokens: 41, cost: 0, unpricedRequests: 2 });
  });

  it('names missing projects, sessions and entrypoints', () => {
    expect(aggregate(db, 'project', {}, 'UTC').map((r) => [r.key, r.requests])).toEqual([
      ['/home/u/app', 4],
      ['/home/u/web', 1],
      ['(unknown)', 1],
    ]);
    expect(aggregate(db, 'session', {}, 'UTC').find((r) => r.key === '(unknown)')?.requests).toBe(1);
    expect(aggregate(db, 'entrypoint', {}, 'UTC').map((r) => [r.key, r.requests])).toEqual([
      ['cli', 1],
      ['sdk-cli', 3],
      ['(none)', 2],
    ]);
    expect(aggregate(db, 'class', {}, 'UTC').map((r) => r.key)).toEqual(['interactive', 'programmatic', 'unknown']);
  });

  it('filters by classes, time range, fields and text in SQL', () => {
    const by = (f: Parameters<typeof totals>[1]): number => totals(db, f).requests;
    expect(by({ classes: ['programmatic'] })).toBe(3);
    expect(by({ classes: ['interactive', 'unknown'] })).toBe(3);
    expect(by({ classes: [] })).toBe(0);
    expect(by({ fromMs: Date.parse('2026-03-01T11:00:00Z') })).toBe(5);
    expect(by({ toMs: Date.parse('2026-03-01T11:00:00Z') })).toBe(1);
    expect(by({ model: 'mystery-model' })).toBe(2);
    expect(by({ project: '(unknown)' })).toBe(1);
    expect(by({ project: '/home/u/web' })).toBe(1);
    expect(by({ sessionId: 's2' })).toBe(1);
    expect(by({ sessionId: '(unknown)' })).toBe(1);
    expect(by({ entrypoint: '(none)' })).toBe(2);
    expect(by({ text: 'OPUS' })).toBe(2);
    expect(by({ text: 'WEB' })).toBe(1);
    expect(by({ text: 'sdk' })).toBe(3);
    expect(by({ text: 'nothing-like-this' })).toBe(0);
  });
});

describe('totals and unpriced models', () => {
  it('sums every filtered request under key "total"', () => {
    const t = totals(db, {});
    expect(t).toMatchObject({ key: 'total', requests: 6, inputTokens: 151, outputTokens: 1502, unpricedRequests: 2 });
    expect(t.cost).toBeCloseTo(2.375, 12);
    expect(totals(db, { model: 'none' })).toEqual({
      key: 'total',
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      webSearchRequests: 0,
      cost: 0,
      unpricedRequests: 0,
    });
  });
  it("compares Claude Code's own cost on priced requests only (an unpriced one is no $0 of ours)", () => {
    const set = db.prepare('UPDATE requests SET cc_cost = ? WHERE key = ?');
    const rows = db.prepare('SELECT key, cost FROM requests ORDER BY key').all() as {
      key: string;
      cost: number | null;
    }[];
    const priced = rows.find((r) => r.cost !== null)!;
    const unpriced = rows.find((r) => r.cost === null)!;
    set.run(3, priced.key);
    set.run(5, unpriced.key);
    expect(ownCostComparison(db, {})).toEqual({ requests: 1, creditmeterCost: priced.cost, claudeCodeCost: 3 });
  });
  it('lists unpriced models with their requests, filtered', () => {
    expect(unpricedModels(db, {})).toEqual([{ model: 'mystery-model', requests: 2 }]);
    expect(unpricedModels(db, { classes: ['unknown'] })).toEqual([{ model: 'mystery-model', requests: 1 }]);
    expect(unpricedModels(db, { classes: ['interactive'] })).toEqual([]);
  });
});

describe('listRequests', () => {
  it('pages newest first, or oldest first, mapped to stored requests', () => {
    expect(listRequests(db, {}, { limit: 2 }).map((r) => r.key)).toEqual(['f', 'e']);
    expect(listRequests(db, {}, { limit: 2, offset: 2 }).map((r) => r.key)).toEqual(['d', 'c']);
    expect(listRequests(db, {}, { limit: 10, newestFirst: false }).map((r) => r.key)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
    const [a] = listRequests(db, { model: 'claude-opus-4-7' }, { limit: 1, newestFirst: false });
    expect(a).toMatchObject({
      key: 'a',
      sessionId: 's1',
      project: '/home/u/app',
      entrypoint: 'sdk-cli',
      class: 'programmatic',
      isSidechain: false,
      ts: Date.parse('2026-03-01T10:00:00Z'),
      cost: 0.5,
      priceVersion: 'test',
      source: 'line',
      usage: { input: 10, output: 100, cacheRead: 1000, cacheWrite5m: 50, cacheWrite1h: 5, webSearch: 1, webFetch: 0 },
    });
    expect(listRequests(db, { project: '(unknown)' }, { limit: 5 })[0]).toMatchObject({
      key: 'd',
      cost: null,
      project: null,
    });
  });
});

describe('query plans', () => {
  it('uses an index for the generated time, class and session filters', () => {
    const plan = (filter: RequestFilter): string => {
      const where = whereClause(filter);
      const rows = db
        .prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*), TOTAL(cost) FROM requests ${where.sql}`)
        .all(...where.params);
      return (rows as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    };
    expect(plan({ fromMs: 0, toMs: 1 })).toMatch(/INDEX requests_ts_model/);
    expect(plan({ fromMs: 0, toMs: 1, classes: ['programmatic', 'unknown'] })).toMatch(/INDEX requests_class_ts/);
    expect(plan({ sessionId: 's1' })).toMatch(/INDEX requests_session/);
  });
});
