/**
 * The dashboard's `e` exports the view on screen: every drill step (entrypoint, user, day, …)
 * narrows the snapshot as it narrows the list, not only model, project and session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotText, snapshotExporter } from '../../src/app/export.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatherSnapshot } from '../../src/app/export-gather.js';
import { cycleAt } from '../../src/domain/cycle.js';
import { aggregate, listRequests } from '../../src/store/queries.js';
import { exportRequestOf, screenOnly } from '../../src/state/export-request.js';
import type { ViewRow } from '../../src/state/types.js';
import { groupRows, requestRows } from '../../src/state/load-view.js';
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

  it("holds a drilled project's branches, the rows the dashboard shows below a project", () => {
    const c = cycleAt(NOW_MS, 15, 'UTC');
    const project = aggregate(f.ctx.db, 'project', { fromMs: c.startMs, toMs: NOW_MS }, 'UTC')[0]!;
    const s = JSON.parse(
      buildSnapshotText(f.ctx, { format: 'json', nowMs: NOW_MS, grouping: 'project', drill: { project: project.key } })
        .text,
    ) as { byBranch?: Array<{ key: string; requests: number }>; totals: { requests: number } };
    expect(s.byBranch?.length).toBeGreaterThan(0);
    expect(s.byBranch!.reduce((n, b) => n + b.requests, 0)).toBe(s.totals.requests);
    // Not drilled into a project, or into one from a model's list (sessions come next there): no
    // byBranch, as the layout says.
    expect('byBranch' in JSON.parse(buildSnapshotText(f.ctx, { format: 'json', nowMs: NOW_MS }).text)).toBe(false);
    const fromModel = buildSnapshotText(f.ctx, {
      format: 'json',
      nowMs: NOW_MS,
      grouping: 'model',
      drill: { project: project.key },
    }).text;
    expect('byBranch' in JSON.parse(fromModel)).toBe(false);
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

  it("exports a request list whole when its text filter is a time or a cost, which no request's fields hold", () => {
    const c = cycleAt(NOW_MS, 15, 'UTC');
    const session = aggregate(f.ctx.db, 'session', { fromMs: c.startMs, toMs: NOW_MS }, 'UTC')[0]!;
    const list = requestRows(
      listRequests(f.ctx.db, { fromMs: c.startMs, toMs: NOW_MS, sessionId: session.key }, { limit: 10_000 }),
      'UTC',
    );
    expect(list.length).toBe(session.requests);
    const cost = list[0]!.request!.cost!.toFixed(2);
    const model = list[0]!.request!.model;
    const stateWith = (textFilter: string): DashboardState =>
      ({
        nowMs: NOW_MS,
        cycle: c,
        nav: {
          classFilter: 'all',
          grouping: 'session',
          textFilter,
          drill: [{ level: 'session', key: session.key, label: session.key }],
        },
      }) as unknown as DashboardState;
    const gather = (textFilter: string) => {
      const request = exportRequestOf(stateWith(textFilter), list);
      return gatherSnapshot(f.ctx, {
        nowMs: NOW_MS,
        cycle: c,
        classFilter: 'all',
        grouping: 'session',
        drill: request.drill,
        textFilter: request.textFilter ?? null,
        withRequests: false,
      }).totals;
    };
    // A cost or a time shown in the list: the export keeps the whole list (the store's text filter found none).
    const time = list[0]!.texts!()[0]!;
    for (const typed of [cost, time, ' 0.0']) {
      expect(exportRequestOf(stateWith(typed), list).textFilter, typed).toBeUndefined();
      expect(gather(typed).requests, typed).toBe(session.requests);
    }
    // A piece of the session's id: the store's filter reads it in every request, the list in none.
    expect(exportRequestOf(stateWith(session.key.slice(9, 18)), list).textFilter).toBeUndefined();
    // A text that keeps nothing on screen keeps nothing in the export either.
    expect(exportRequestOf(stateWith('no-such-text'), list).textFilter).toBe('no-such-text');
    expect(gather('no-such-text').requests).toBe(0);
    // A model narrows the export as it narrows the list.
    expect(exportRequestOf(stateWith(model), list).textFilter).toBe(model);
    expect(gather(model).requests).toBe(list.filter((r) => r.request!.model.includes(model)).length);
    // Above the request level the text goes to the export as typed.
    expect(exportRequestOf(stateWith('0.04'), []).textFilter).toBe('0.04');
  });

  it('exports a request list whole when its text keeps some rows by their time and others by their model', () => {
    const row = (key: string, model: string, time: string): ViewRow => ({
      key,
      label: model,
      cost: 1,
      share: 0.5,
      requests: 1,
      tokens: 10,
      unpricedRequests: 0,
      request: {
        ts: 0,
        model,
        entrypoint: 'sdk-cli',
        class: 'programmatic',
        project: '/p',
        usage: {} as never,
        cost: 1,
      },
      texts: () => [time, model, 'sdk-cli', '/p'],
    });
    const list = [row('a', 'model-x12', '09:00'), row('b', 'model-y', '12:00'), row('c', 'model-z', '15:00')];
    // "12": a's model and b's time: the store would keep a alone, the screen keeps both.
    expect(screenOnly('12', list)).toBe(true);
    // "model-x": a alone, on screen and in the store.
    expect(screenOnly('model-x', list)).toBe(false);
    // A list of groups: the text goes to the export as typed.
    expect(screenOnly('12', [{ ...list[0]!, request: undefined }])).toBe(false);
  });

  it('above the request level, takes the text only when the store keeps the rows the screen keeps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-export-groups-'));
    try {
      const ctx = { ...f.ctx, config: { ...f.ctx.config, exportDir: dir } };
      const exporter = snapshotExporter(ctx);
      const c = cycleAt(NOW_MS, 15, 'UTC');
      const window = { fromMs: c.startMs, toMs: NOW_MS };
      const models = aggregate(f.ctx.db, 'model', window, 'UTC');
      const entrypoints = aggregate(f.ctx.db, 'entrypoint', window, 'UTC').map((r) => r.key);
      const list = groupRows(models);
      const state = (grouping: 'model' | 'day', textFilter: string): DashboardState =>
        ({
          nowMs: NOW_MS,
          cycle: c,
          nav: { classFilter: 'all', grouping, textFilter, drill: [] },
        }) as unknown as DashboardState;
      const exported = (grouping: 'model' | 'day', text: string, rows: ViewRow[]) => {
        const done = exporter(exportRequestOf(state(grouping, text), rows));
        const snap = JSON.parse(readFileSync(done.path, 'utf8')) as {
          view: { textFilter?: string };
          totals: { requests: number };
        };
        return { whole: done.wholeList, text: snap.view.textFilter, requests: snap.totals.requests };
      };
      const all = models.reduce((n, r) => n + r.requests, 0);
      // An entrypoint's text by model: no model is named so (0 rows on screen), while the store's
      // filter keeps every request of that entrypoint: the whole list, said so.
      const sdk = entrypoints.find((e) => e.startsWith('sdk'))!;
      expect(exported('model', sdk, list)).toEqual({ whole: true, text: null, requests: all });
      // A model's own name: the rows agree, the export is narrowed as the screen is.
      const one = models[0]!;
      expect(exported('model', one.key, list)).toEqual({ whole: false, text: one.key, requests: one.requests });
      // A row the screen keeps whole and the store only in part (a session shown by its first
      // request's project, with requests of another): the keys agree, the counts do not.
      const done = exporter({
        ...exportRequestOf(state('model', one.key), list),
        shown: { level: 'model', rows: [{ key: one.key, requests: one.requests + 1 }] },
      });
      expect(done.wholeList).toBe(true);
      // By day, whose names the store's filter does not read: the whole list.
      const days = groupRows(aggregate(f.ctx.db, 'day', window, 'UTC'));
      expect(exported('day', days[0]!.key.slice(0, 7), days).whole).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says what to do when the dashboard's export folder cannot be written, without flags it has not got", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-export-dash-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      const ctx = { ...f.ctx, config: { ...f.ctx.config, exportDir: join(dir, 'file', 'exports') } };
      const exporter = snapshotExporter(ctx);
      const c = cycleAt(NOW_MS, 15, 'UTC');
      expect(() =>
        exporter({ nowMs: NOW_MS, cycle: c, classFilter: 'all', grouping: 'model', drill: {}, textFilter: undefined }),
      ).toThrow(/Set another export folder \(creditmeter config set exportDir DIR\)\.$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
