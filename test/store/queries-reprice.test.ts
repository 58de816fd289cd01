import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledPriceTable, mergePriceTables } from '../../src/app/prices.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { reprice } from '../../src/store/reprice.js';
import { totals } from '../../src/store/queries.js';
import { insertRows, type RowSpec } from './queries-rows.js';

const rates = { input: 2, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 };
const base = bundledPriceTable();
const withMine = mergePriceTables(base, {
  models: [{ id: 'mine', aliases: [], from: null, until: null, rates, origin: 'user' }],
});

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

const cost = (key: string): { cost: number | null; v: string | null } =>
  db.prepare('SELECT cost, price_version AS v FROM requests WHERE key = ?').get(key) as {
    cost: number | null;
    v: string | null;
  };

describe('reprice', () => {
  it('prices unpriced requests whose model a table now knows, leaving priced rows alone', () => {
    insertRows(db, [
      { key: 'a', ts: '2026-06-01T00:00:00Z', model: 'mine', input: 1_000_000, cost: null },
      { key: 'b', ts: '2026-06-01T00:00:00Z', model: 'unknown-x', input: 1, cost: null },
      { key: 'c', ts: '2026-06-01T00:00:00Z', model: 'claude-opus-4-7', input: 1_000_000, cost: 42 },
    ]);
    expect(reprice(db, base)).toEqual({ repriced: 0, stillUnpriced: 2 });
    expect(reprice(db, withMine)).toEqual({ repriced: 1, stillUnpriced: 1 });
    expect(cost('a')).toEqual({ cost: 2, v: withMine.version });
    expect(cost('b')).toEqual({ cost: null, v: null });
    expect(cost('c').cost).toBe(42);
  });

  it('--all recomputes every request, including fast and US multipliers, across many batches', () => {
    const rows: RowSpec[] = [];
    for (let i = 0; i < 12_345; i++) {
      rows.push({
        key: `k${i}`,
        ts: '2026-06-01T00:00:00Z',
        model: 'claude-opus-4-7',
        output: 1000,
        cost: 0,
        speed: i % 2 ? 'fast' : null,
        geo: i % 3 ? null : 'us',
      });
    }
    insertRows(db, rows);
    expect(reprice(db, base, { all: true })).toEqual({ repriced: 12_345, stillUnpriced: 0 });
    // output 1000 at $25/M = 0.025; fast x6; US x1.1.
    let expected = 0;
    for (let i = 0; i < 12_345; i++) expected += 0.025 * (i % 2 ? 6 : 1) * (i % 3 ? 1 : 1.1);
    expect(totals(db, {}).cost).toBeCloseTo(expected, 6);
    expect(cost('k1')).toEqual({ cost: expect.closeTo(0.15, 12), v: base.version });
  });
});
