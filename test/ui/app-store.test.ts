/** The app store over a real store filled by the real ingest: navigation, selection by key, alerts. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { createDbSource } from '../../src/state/data-source.js';
import { catchUp } from '../../src/ingest/pipeline.js';
import { buildFixture, defaultSessions, NOW_MS, type Fixture } from './fixture.js';

let fx: Fixture;
let store: DashboardStore;
let rings = 0;

function open(credit?: number, bell = true): DashboardStore {
  const plan = credit === undefined ? fx.ctx.config.plan : { ...fx.ctx.config.plan, plan: 'custom' as const, credit };
  rings = 0;
  return createDashboardStore({
    source: createDbSource(fx.ctx.db, plan, fx.ctx.prices.version),
    now: () => NOW_MS,
    bell,
    ring: () => (rings += 1),
  });
}

beforeEach(async () => {
  fx = await buildFixture();
  store = open();
});
afterEach(() => {
  store.getState().actions.dispose();
  fx.close();
});

const s = () => store.getState();
const a = () => store.getState().actions;

describe('dashboard app store', () => {
  it('lists programmatic spend by model, most expensive first, with shares summing to 1', () => {
    expect(s().rows.map((r) => r.key)).toEqual(['claude-opus-4-7', 'claude-sonnet-4-6']);
    expect(s().rows[0]!.requests).toBe(20);
    expect(s().rows[1]!.requests).toBe(16);
    expect(s().rows.reduce((t, r) => t + r.share, 0)).toBeCloseTo(1, 9);
    expect(s().status!.programmatic.requests).toBe(36);
    expect(s().status!.interactive.requests).toBe(5);
  });

  it('drills model -> projects -> sessions -> requests and back to the same row', () => {
    a().move(1);
    expect(s().nav.cursor[0]).toBe('claude-sonnet-4-6');
    a().drill();
    expect(
      s()
        .rows.map((r) => r.key)
        .sort(),
    ).toEqual(['/work/alpha', '/work/beta']);
    a().jump('last');
    const project = s().nav.cursor[1]!;
    a().drill();
    expect(s().nav.drill.map((d) => d.level)).toEqual(['model', 'project']);
    const sessions = s().rows.map((r) => r.key);
    expect(sessions.length).toBeGreaterThan(0);
    a().drill();
    expect(s().rows.every((r) => r.request?.model === 'claude-sonnet-4-6' && r.request.project === project)).toBe(true);
    const first = s().rows[0]!.request!;
    expect(first.entrypoint).toBe('sdk-cli');
    expect(first.ts).toBeLessThan(s().rows[s().rows.length - 1]!.request!.ts);
    a().drill(); // the last level: Enter opens the request's detail
    expect(s().nav.drill).toHaveLength(3);
    expect(s().nav.detailKey).toBe(s().rows[0]!.key);
    expect(s().detail?.request.key).toBe(s().rows[0]!.key);
    a().back(); // closes the detail
    expect(s().nav.detailKey).toBeNull();
    a().back();
    a().back();
    a().back();
    expect(s().nav.drill).toHaveLength(0);
    expect(s().nav.cursor[0]).toBe('claude-sonnet-4-6');
  });

  it('keeps the selection on the same row key when new data reorders the rows', async () => {
    a().move(1); // sonnet, the cheaper model
    const session = { id: 'sess-alpha', project: '/work/alpha', requests: [] };
    for (let i = 0; i < 30; i++)
      fx.append(session, { model: 'claude-sonnet-4-6', entrypoint: 'sdk-cli', hoursAgo: 1, output: 60_000 });
    await catchUp(fx.ctx);
    a().refresh();
    expect(s().rows[0]!.key).toBe('claude-sonnet-4-6');
    expect(s().nav.cursor[0]).toBe('claude-sonnet-4-6');
  });

  it('cycles groupings and class filters', () => {
    a().nextGrouping();
    expect(s().nav.grouping).toBe('project');
    expect(
      s()
        .rows.map((r) => r.key)
        .sort(),
    ).toEqual(['/work/alpha', '/work/beta']);
    a().nextGrouping();
    expect(s().nav.grouping).toBe('day');
    a().nextGrouping();
    expect(s().rows.map((r) => r.key)).toEqual(['sdk-cli']);
    a().nextGrouping();
    expect(s().rows).toHaveLength(3);
    a().nextGrouping();
    expect(s().nav.grouping).toBe('branch');
    a().nextGrouping();
    expect(s().nav.grouping).toBe('model');
    a().nextClassFilter();
    expect(s().rows.map((r) => [r.key, r.requests])).toEqual([['claude-opus-4-7', 5]]);
    a().nextClassFilter();
    expect(s().rows.find((r) => r.key === 'claude-opus-4-7')!.requests).toBe(25);
    a().nextClassFilter();
    expect(s().nav.classFilter).toBe('programmatic');
  });

  it('offers an unknown-class list between interactive and all when the cycle has unknown requests', async () => {
    store.getState().actions.dispose();
    fx.close();
    // A session whose lines name no entrypoint and carry no other signal is of unknown class.
    const mystery = {
      id: 'sess-mystery',
      project: '/work/gamma',
      requests: [] as { model: string; entrypoint: string; hoursAgo: number }[],
    };
    mystery.requests = [1, 2, 3].map((h) => ({ model: 'claude-haiku-4-5', entrypoint: '', hoursAgo: h }));
    // And a model without a price, used in that session and in a programmatic one.
    mystery.requests.push({ model: 'claude-unpriced-9', entrypoint: '', hoursAgo: 4 });
    const unpricedProg = {
      id: 'sess-unpriced',
      project: '/work/gamma',
      requests: [{ model: 'claude-unpriced-9', entrypoint: 'sdk-cli', hoursAgo: 5 }],
    };
    fx = await buildFixture([...defaultSessions(), mystery, unpricedProg]);
    store = open();
    expect(s().status!.unknown.requests).toBe(4);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      a().nextClassFilter();
      seen.push(s().nav.classFilter);
      if (s().nav.classFilter === 'unknown')
        expect(s().rows.map((r) => [r.key, r.requests])).toEqual([
          ['claude-haiku-4-5', 3],
          ['claude-unpriced-9', 1],
        ]);
      if (s().nav.classFilter === 'all') {
        const unpriced = s().rows.find((r) => r.key === 'claude-unpriced-9')!;
        expect(unpriced.cost).toBe(0);
        expect(unpriced.classRequests).toEqual({ programmatic: 1, interactive: 0, unknown: 1 });
      }
    }
    expect(seen).toEqual(['interactive', 'unknown', 'all', 'programmatic']);
  });

  it('moves to the previous cycle and not past the current one, nor past the oldest request', async () => {
    a().shiftCycle(-1);
    // Nothing stored before this cycle: it stays, and says why.
    expect(s().nav.cycleOffset).toBe(0);
    expect(s().notice).toBe('No earlier cycle holds requests.');
    await fx.addSeptember();
    // The cycle moves now: the notice that it could not goes at once.
    a().shiftCycle(-1);
    expect(s().notice).toBeNull();
    a().shiftCycle(1);
    // A drilled list's cycle changes back to the top level, with the top level's own filter.
    a().openFilter();
    a().setFilterText('son');
    a().closeFilter(true);
    a().drill();
    expect(s().nav.textFilter).toBe('');
    a().shiftCycle(-1);
    expect([s().nav.drill.length, s().nav.textFilter]).toEqual([0, 'son']);
    a().shiftCycle(1);
    a().closeFilter(false);
    a().shiftCycle(1);
    expect(s().nav.cycleOffset).toBe(0);
    a().shiftCycle(-1);
    expect(s().cycle.startMs).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(s().rows).toHaveLength(0);
    a().shiftCycle(1);
    expect(s().cycle.startMs).toBe(Date.parse('2026-11-01T00:00:00Z'));
  });

  it('filters the current list by text', () => {
    a().openFilter();
    a().setFilterText('SONN');
    expect(s().rows.map((r) => r.key)).toEqual(['claude-sonnet-4-6']);
    expect(s().rowsTotal).toBe(2);
    a().closeFilter(false);
    expect(s().rows).toHaveLength(2);
  });

  it('raises 80, 90 and 100 % alerts of spend used and rings once per crossing', () => {
    const used = s().status!.credit.used;
    expect(used).toBeGreaterThan(0);
    for (const [fraction, level] of [
      [0.85, 80],
      [0.95, 90],
      [1.2, 100],
    ] as const) {
      store.getState().actions.dispose();
      store = open(used / fraction);
      expect(s().alerts.used).toBe(level);
      expect(rings).toBe(1);
      a().refresh();
      expect(rings).toBe(1);
    }
    store.getState().actions.dispose();
    store = open(used / 0.5);
    expect(s().alerts.used).toBeNull();
  });

  it('clears a kept filter below the top list with Esc before it goes back, keeping the row shown', () => {
    a().drill();
    const rows = s().rows.map((r) => r.key);
    expect(rows.length).toBeGreaterThan(1);
    const last = rows.at(-1)!;
    a().openFilter();
    a().setFilterText(last);
    a().closeFilter(true);
    expect(s().rows.map((r) => r.key)).toEqual([last]);
    a().back();
    expect([s().nav.drill.length, s().nav.textFilter, s().rows.length]).toEqual([1, '', rows.length]);
    expect(s().nav.cursor[1]).toBe(last);
    a().back();
    expect(s().nav.drill.length).toBe(0);
  });

  it('says what Tab does below the top list, where it changes nothing', () => {
    a().drill();
    const before = s().nav;
    a().nextGrouping();
    expect(s().nav).toBe(before);
    expect(s().notice).toBe('Tab changes the grouping of the top list: Esc goes back to it.');
    a().back();
    a().nextGrouping();
    expect(s().nav.grouping).toBe('project');
    // Tab did something this time: what it said below the top list is gone.
    expect(s().notice).toBeNull();
  });

  it('does not ring again for a crossing rung before, when the dashboard starts again on the store', () => {
    const used = s().status!.credit.used;
    store.getState().actions.dispose();
    store = open(used / 0.85);
    expect([s().alerts.used, rings]).toEqual([80, 1]);
    store.getState().actions.dispose();
    store = open(used / 0.85);
    expect([s().alerts.used, rings]).toEqual([80, 0]);
    // A new crossing still rings, once.
    store.getState().actions.dispose();
    store = open(used / 0.95);
    expect([s().alerts.used, rings]).toEqual([90, 1]);
  });

  it('keeps crossings without waiting for a store another process holds, and without losing what it had', () => {
    const source = createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version);
    source.rememberCrossings!(1, ['used:80']);
    const other = new Database(fx.ctx.db.name);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    source.rememberCrossings!(1, ['used:90']);
    // Not the busy timeout's 5 s: the write is given up at once.
    expect(Date.now() - started).toBeLessThan(2500);
    other.exec('ROLLBACK');
    other.close();
    expect(source.rungCrossings!(1)).toEqual(['used:80']);
    source.rememberCrossings!(1, ['used:90']);
    expect(source.rungCrossings!(1)).toEqual(['used:80', 'used:90']);
    expect(source.rungCrossings!(2)).toEqual([]);
  });

  it('raises the projected alert when only the P50 cycle end crosses, and stays quiet with bell off', () => {
    const p50 = s().status!.forecast.cycleEndSpend.p50;
    const used = s().status!.credit.used;
    expect(p50).toBeGreaterThan(used / 0.7);
    store.getState().actions.dispose();
    store = open(p50 / 0.95, false);
    expect(s().alerts.used).toBeNull();
    expect(s().alerts.projected).toBe(90);
    expect(rings).toBe(0);
  });

  it('exports the current view through the exporter and reports the path', async () => {
    store.getState().actions.dispose();
    let seen: unknown = null;
    store = createDashboardStore({
      source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
      now: () => NOW_MS,
      exporter: (req) => {
        seen = req;
        return '/exports/view.json';
      },
    });
    a().drill();
    await a().exportView();
    expect(s().notice).toBe('Exported to /exports/view.json');
    expect(seen).toMatchObject({ grouping: 'model', classFilter: 'programmatic', drill: { model: 'claude-opus-4-7' } });
  });

  it('the export message goes away by itself after a few seconds', async () => {
    store.getState().actions.dispose();
    store = createDashboardStore({
      source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
      now: () => NOW_MS,
      noticeMs: 60,
      exporter: () => '/exports/view.json',
    });
    await a().exportView();
    expect(s().notice).toBe('Exported to /exports/view.json');
    await new Promise((r) => setTimeout(r, 150));
    expect(s().notice).toBeNull();
  });
});

describe('export of the view', () => {
  it('writes a JSON snapshot of the drilled view through the real snapshot writer', async () => {
    const { snapshotExporter } = await import('../../src/app/export.js');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    fx.ctx.config.exportDir = join(fx.dir, 'exports');
    store.getState().actions.dispose();
    store = createDashboardStore({
      source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
      now: () => NOW_MS,
      exporter: snapshotExporter(fx.ctx),
    });
    a().move(1);
    a().drill();
    await a().exportView();
    const notice = s().notice!;
    expect(notice.startsWith(`Exported to ${join(fx.dir, 'exports')}`)).toBe(true);
    const snap = JSON.parse(readFileSync(notice.slice('Exported to '.length), 'utf8')) as {
      view: { drill: { model?: string }; classFilter: string };
    };
    expect(snap.view.drill.model).toBe('claude-sonnet-4-6');
    expect(snap.view.classFilter).toBe('programmatic');
  });
});

describe('far from UTC', () => {
  it('cuts cycles and days in the plan zone (UTC+14 and UTC-10)', async () => {
    // Programmatic requests run from Nov 15 19:00 UTC to Nov 20 10:00 UTC.
    for (const [tz, start, firstDay, lastDay] of [
      ['Pacific/Kiritimati', '2026-11-14T10:00:00Z', '2026-11-16', '2026-11-21'],
      ['Pacific/Honolulu', '2026-11-15T10:00:00Z', '2026-11-15', '2026-11-20'],
    ] as const) {
      const far = await buildFixture(undefined, { tz, cycleStartDay: '15' });
      const st = createDashboardStore({
        source: createDbSource(far.ctx.db, far.ctx.config.plan, far.ctx.prices.version),
        now: () => NOW_MS,
      });
      expect(st.getState().cycle.startMs).toBe(Date.parse(start));
      st.getState().actions.nextGrouping();
      st.getState().actions.nextGrouping();
      const days = st
        .getState()
        .rows.map((r) => r.key)
        .sort();
      expect(days[0]).toBe(firstDay);
      expect(days[days.length - 1]).toBe(lastDay);
      st.getState().actions.dispose();
      far.close();
    }
  });
});

describe('first frame before the forecast', () => {
  it('reads without the forecast first, projects nothing from it, then fills it in on the next tick', async () => {
    const plan = { ...fx.ctx.config.plan, plan: 'custom' as const, credit: 20 };
    rings = 0;
    const deferred = createDashboardStore({
      source: createDbSource(fx.ctx.db, plan, fx.ctx.prices.version),
      now: () => NOW_MS,
      ring: () => (rings += 1),
      deferFirstForecast: true,
    });
    try {
      const first = deferred.getState();
      expect(first.forecastPending).toBe(true);
      expect(first.forecastSettled).toBe(false);
      // Spend so far stands in for the percentiles; nothing is projected from it.
      const used = first.status!.credit.used;
      expect(first.status!.forecast.cycleEndSpend).toEqual({ p10: used, p50: used, p90: used });
      expect(first.status!.forecast.basis).toBeUndefined();
      expect(first.alerts.projected).toBeNull();
      // The list and the rest of the view are there already.
      expect(first.rows.map((r) => r.key)).toEqual(['claude-opus-4-7', 'claude-sonnet-4-6']);
      await new Promise((r) => setTimeout(r, 5));
      const full = deferred.getState();
      expect(full.forecastPending).toBe(false);
      expect(full.status!.forecast).toEqual(open(20).getState().status!.forecast);
      expect(full.status!.forecast.basis?.text).toMatch(/history/);
      // On a $20 credit the projection crosses 80% or more: its alert comes with the forecast.
      expect(full.alerts.projected).not.toBeNull();
    } finally {
      deferred.getState().actions.dispose();
    }
  });
});
