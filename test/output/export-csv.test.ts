import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { buildSnapshotText } from '../../src/app/export.js';
import { buildStatus } from '../../src/services/status.js';
import { aggregate, listRequests } from '../../src/store/queries.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { AWKWARD_PROJECT, NOW_MS, openFixtureStore, type FixtureStore } from './fixture-store.js';

type Row = Record<string, string>;
const parseCsv = (text: string): Row[] => parse(text, { columns: true, record_delimiter: '\r\n' }) as Row[];

describe.each(['UTC', 'America/Los_Angeles'])('CSV export on a fixture store (%s)', (tz) => {
  let f: FixtureStore;
  beforeAll(async () => {
    f = await openFixtureStore(tz);
  });
  afterAll(() => f.cleanup());

  it('has one row per request of the cycle with every stored field, round-tripping through a CSV parser', () => {
    const text = buildSnapshotText(f.ctx, { format: 'csv', nowMs: NOW_MS }).text;
    expect(text.split('\r\n')[0]).toMatch(/^timestamp,local_time,class,model,cost_usd,/);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/(?<!")\n/);
    const rows = parseCsv(text);
    const cycle = cycleAt(NOW_MS, 15, tz);
    const stored = listRequests(
      f.ctx.db,
      { fromMs: cycle.startMs, toMs: NOW_MS },
      { limit: 10_000, newestFirst: false },
    );
    expect(rows).toHaveLength(stored.length);
    rows.forEach((row, i) => {
      const r = stored[i]!;
      expect(row.key).toBe(r.key);
      expect(Date.parse(row.timestamp!)).toBe(r.ts);
      expect(row.project).toBe(r.project);
      expect(row.session_id).toBe(r.sessionId);
      expect(row.model).toBe(r.model);
      expect(Number(row.output_tokens)).toBe(r.usage.output);
      expect(Number(row.cache_write_1h_tokens)).toBe(r.usage.cacheWrite1h);
      // Full precision: the cell is the stored cost to the trillionth of a dollar, without float noise.
      if (r.cost === null) expect(row.cost_usd).toBe('');
      else expect(Math.abs(Number(row.cost_usd) - r.cost)).toBeLessThanOrEqual(5e-13);
      expect(row.cost_usd).not.toMatch(/\d{13}$/);
      expect(row.cost_usd).not.toMatch(/e/i);
    });
    expect(rows.some((r) => r.project === AWKWARD_PROJECT)).toBe(true);
    expect(rows.find((r) => r.model === 'claude-future-9')?.cost_usd).toBe('');
  });

  it('sums to the status figures per class', () => {
    const status = buildStatus(f.ctx.db, f.ctx.config.plan, f.ctx.prices.version, NOW_MS);
    const rows = parseCsv(buildSnapshotText(f.ctx, { format: 'csv', nowMs: NOW_MS }).text);
    for (const cls of ['programmatic', 'interactive', 'unknown'] as const) {
      const mine = rows.filter((r) => r.class === cls);
      expect(mine).toHaveLength(status[cls].requests);
      expect(Math.abs(mine.reduce((s, r) => s + Number(r.cost_usd || 0), 0) - status[cls].cost)).toBeLessThan(5e-7);
    }
  });

  it.each(['day', 'model', 'project', 'session'] as const)('--by %s gives the report rows', (by) => {
    const rows = parseCsv(buildSnapshotText(f.ctx, { format: 'csv', nowMs: NOW_MS, by }).text);
    const cycle = cycleAt(NOW_MS, 15, tz);
    const expected = aggregate(f.ctx.db, by, { fromMs: cycle.startMs, toMs: NOW_MS }, tz);
    expect(rows.map((r) => r[by])).toEqual(expected.map((r) => r.key));
    expect(rows.map((r) => Number(r.requests))).toEqual(expected.map((r) => r.requests));
    rows.forEach((r, i) => expect(Number(r.cost_usd)).toBeCloseTo(expected[i]!.cost, 6));
  });

  it('keeps only the chosen class with --class', () => {
    const rows = parseCsv(buildSnapshotText(f.ctx, { format: 'csv', nowMs: NOW_MS, classFilter: 'interactive' }).text);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.class))).toEqual(new Set(['interactive']));
  });
});

describe('reading the requests page by page', () => {
  it('returns every request once, oldest first, across pages that split a run of equal timestamps', async () => {
    const { requestsOldestFirst } = await import('../../src/app/export-gather.js');
    const f = await openFixtureStore('UTC');
    try {
      const all = listRequests(f.ctx.db, {}, { limit: 100_000, newestFirst: false });
      expect(all.filter((r) => r.ts === all.find((x) => x.key.includes('burst'))?.ts).length).toBeGreaterThanOrEqual(7);
      for (const size of [1, 2, 3, 5, 8, 1000]) {
        expect(
          [...requestsOldestFirst(f.ctx.db, {}, size)].map((r) => r.key),
          `page size ${size}`,
        ).toEqual(all.map((r) => r.key));
      }
    } finally {
      f.cleanup();
    }
  });
});
