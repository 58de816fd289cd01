/** The dashboard uses the whole pane: lists take the rows left over, and the keys stay on the last line. */
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { createDbSource } from '../../src/state/data-source.js';
import { dashboardLayout, MAX_RECENT } from '../../src/ui/views/layout.js';
import { buildFixture, NOW_MS, type Fixture, type FixtureSession } from './fixture.js';
import { KEYS, renderApp, type Rendered } from './render.js';

const opened: { fx: Fixture | null; store: DashboardStore | null; ui: Rendered | null } = {
  fx: null,
  store: null,
  ui: null,
};

afterEach(() => {
  opened.ui?.unmount();
  opened.store?.getState().actions.dispose();
  opened.fx?.close();
  opened.ui = opened.store = opened.fx = null;
});

/** The app store on a fixture of `sessions` (the default one: 2 models, 36 programmatic requests). */
async function openStore(sessions?: FixtureSession[]): Promise<DashboardStore> {
  const fx = (opened.fx = await buildFixture(sessions));
  return (opened.store = createDashboardStore({
    source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
    now: () => NOW_MS,
  }));
}

/** Renders at `columns` x `rows` and checks the frame fills the pane with no line cut or too long. */
async function drawn(store: DashboardStore, columns: number, rows: number): Promise<string[]> {
  opened.ui?.unmount();
  const ui = (opened.ui = await renderApp(store, columns, rows));
  const lines = ui.lines();
  expect(lines, `${columns}x${rows}`).toHaveLength(rows - 1);
  expect(lines.at(-1), `${columns}x${rows}`).toContain('q quit');
  for (const line of lines) {
    expect(line.length).toBeLessThanOrEqual(columns);
    expect(line.trimEnd().endsWith('…'), `cut: ${line}`).toBe(false);
  }
  return lines;
}

const RECENT_ROW = /^(\d\d:\d\d:\d\d|Nov \d+ \d\d:\d\d) .*\$\d/;

describe('the dashboard fills the pane', () => {
  it('gives a short list’s rows to the recent requests, and keeps the keys on the last line', async () => {
    const store = await openStore();
    for (const [columns, rows] of [
      [60, 16],
      [80, 24],
      [80, 31],
      [90, 40],
      [100, 30],
      [120, 40],
    ] as const) {
      const lines = await drawn(store, columns, rows);
      // 36 recent requests are more than any of these panes holds: no line is left blank.
      expect(
        lines.filter((l) => l.trim() === ''),
        `${columns}x${rows}`,
      ).toEqual([]);
    }
    // Past 120 columns the recent requests have a column of their own: all 36 show, the keys at the bottom.
    const wide = await drawn(store, 200, 60);
    expect(wide.filter((l) => / prog \/work\/(alpha|beta) +\$\d/.test(l))).toHaveLength(36);
    const at100 = await drawn(store, 100, 30);
    expect(at100.filter((l) => RECENT_ROW.test(l)).length).toBeGreaterThan(4);
  });

  it('gives a long list the rows, beside a few recent requests', async () => {
    const sessions = Array.from({ length: 40 }, (_, i) => ({
      id: `sess-${String(i).padStart(2, '0')}`,
      project: '/work/many',
      requests: [{ model: 'claude-sonnet-4-6', entrypoint: 'sdk-cli', hoursAgo: 1 + i }],
    }));
    const store = await openStore(sessions);
    const ui = (opened.ui = await renderApp(store, 100, 30));
    while (store.getState().nav.grouping !== 'session') await ui.press(KEYS.tab);
    const lines = ui.lines();
    expect(lines).toHaveLength(29);
    expect(lines.at(-1)).toContain('q quit');
    expect(lines.filter((l) => l.trim() === '')).toEqual([]);
    expect(lines.some((l) => /^ {2}\+\d+ more/.test(l))).toBe(true);
    expect(lines.filter((l) => RECENT_ROW.test(l))).toHaveLength(4);
  });

  it('keeps the keys on the last line under a short drilled-into list', async () => {
    const store = await openStore();
    const ui = (opened.ui = await renderApp(store, 100, 30));
    await ui.press(KEYS.enter);
    const lines = ui.lines();
    expect(store.getState().nav.drill).toHaveLength(1);
    expect(lines).toHaveLength(29);
    expect(lines.at(-1)).toContain('q quit');
  });

  it('shares the rows between a list and the recent requests by what each has to show', () => {
    const layout = (rows: number, listRows: number, recentRows: number) =>
      dashboardLayout({
        columns: 80,
        rows,
        alertLines: 0,
        noticeLines: 0,
        footerLines: 0,
        burnLines: 2,
        listRows,
        recentRows,
      });
    for (let rows = 20; rows <= 60; rows++) {
      const few = layout(rows, 2, MAX_RECENT);
      const full = layout(rows, 200, MAX_RECENT);
      // The list's and the recent requests' lines add up to the same whatever they hold.
      expect(few.listHeight + few.recentCount, `${rows}`).toBe(full.listHeight + full.recentCount);
      expect(few.listHeight).toBe(2);
      expect(full.recentCount).toBeLessThanOrEqual(6);
      // Few recent requests leave their rows to the list.
      const quiet = layout(rows, 200, 1);
      expect([quiet.recentCount, quiet.listHeight]).toEqual([1, full.listHeight + full.recentCount - 1]);
      // A list one row short of whole takes a recent request's row, and shows every row, while
      // two recent requests stay.
      const nearly = layout(rows, full.listHeight + 1, MAX_RECENT);
      const gives = full.recentCount > 2 ? 1 : 0;
      expect([nearly.listHeight, nearly.recentCount], `${rows}`).toEqual([
        full.listHeight + gives,
        full.recentCount - gives,
      ]);
    }
  });
});
