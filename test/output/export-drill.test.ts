/**
 * The dashboard's `e` exports the view on screen: every drill step (entrypoint, user, day, …)
 * narrows the snapshot as it narrows the list, not only model, project and session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotText } from '../../src/app/export.js';
import { gatherSnapshot } from '../../src/app/export-gather.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { aggregate } from '../../src/store/queries.js';
import { exportRequestOf } from '../../src/state/export-request.js';
import type { DashboardState } from '../../src/state/types.js';
import { NOW_MS, openFixtureStore, type FixtureStore } from './fixture-store.js';

let f: FixtureStore;
beforeAll(async () => {
  f = await openFixtureStore('UTC');
});
afterAll(() => f.cleanup());

const snapshot = (drill: Record<string, string>) =>
  JSON.parse(buildSnapshotText(f.ctx, { format: 'json', nowMs: NOW_MS, drill }).text) as {
    view: { drill: Record<string, string | null> };
    totals: { requests: number; cost: number };
  };

describe('a drill-down beyond model, project and session', () => {
  it('narrows the snapshot to an entrypoint, as the list of that entrypoint counts it', () => {
    const c = cycleAt(NOW_MS, 15, 'UTC');
    const rows = aggregate(f.ctx.db, 'entrypoint', { fromMs: c.startMs, toMs: NOW_MS }, 'UTC');
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      const s = snapshot({ entrypoint: row.key });
      expect(s.view.drill.entrypoint).toBe(row.key);
      expect(s.totals.requests).toBe(row.requests);
      expect(s.totals.cost).toBeCloseTo(row.cost, 6);
    }
  });

  it('narrows the snapshot to a day of the cycle', () => {
    const c = cycleAt(NOW_MS, 15, 'UTC');
    const days = aggregate(f.ctx.db, 'day', { fromMs: c.startMs, toMs: NOW_MS }, 'UTC');
    const day = days.find((d) => d.requests > 0)!;
    const s = snapshot({ day: day.key });
    expect(s.view.drill).toMatchObject({ day: day.key, model: null, user: null });
    // The window it states is that day's.
    expect((s.view as unknown as { from: string }).from.slice(0, 10)).toBe(day.key);
    // The credit's own line still covers the cycle up to now, not the drilled day alone.
    const gather = (drill: Record<string, string>) =>
      gatherSnapshot(f.ctx, {
        nowMs: NOW_MS,
        cycle: c,
        classFilter: 'all',
        grouping: 'model',
        drill,
        textFilter: null,
        withRequests: false,
      }).creditDaily;
    const whole = gather({});
    expect(whole.filter((d) => d.cost > 0).length).toBeGreaterThan(1);
    expect(gather({ day: day.key })).toEqual(whole);
    expect(s.totals.requests).toBe(day.requests);
  });

  it('takes every drill step of the dashboard into the export request', () => {
    const state = {
      nowMs: NOW_MS,
      cycle: cycleAt(NOW_MS, 15, 'UTC'),
      nav: {
        classFilter: 'all',
        grouping: 'model',
        textFilter: '',
        drill: [
          { level: 'user', key: 'dev@example.com', label: 'dev@example.com' },
          { level: 'day', key: '2026-08-20', label: 'Aug 20' },
          { level: 'model', key: 'claude-opus-4-6', label: 'claude-opus-4-6' },
        ],
      },
    } as unknown as DashboardState;
    expect(exportRequestOf(state).drill).toEqual({
      user: 'dev@example.com',
      day: '2026-08-20',
      model: 'claude-opus-4-6',
    });
  });
});
