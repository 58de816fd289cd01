/** Alert banners at 80, 90 and 100 % of the credit (used and projected), unpriced models, NO_COLOR. */
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { createDbSource } from '../../src/state/data-source.js';
import { colorEnabled } from '../../src/ui/theme.js';
import { buildFixture, defaultSessions, NOW_MS, type Fixture } from './fixture.js';
import { KEYS, renderApp, type Rendered } from './render.js';
import { alertLines } from '../../src/ui/components/AlertBanner.js';

let fx: Fixture | null = null;
let store: DashboardStore | null = null;
let ui: Rendered | null = null;

afterEach(() => {
  ui?.unmount();
  store?.getState().actions.dispose();
  fx?.close();
  ui = null;
  store = null;
  fx = null;
});

function storeWithCredit(f: Fixture, credit: number): DashboardStore {
  const plan = { ...f.ctx.config.plan, plan: 'custom' as const, credit, usageCredits: true };
  return createDashboardStore({ source: createDbSource(f.ctx.db, plan, f.ctx.prices.version), now: () => NOW_MS });
}

describe('alert banner', () => {
  it('says 80, 90 and 100 % of the credit used, red at 100 %', async () => {
    fx = await buildFixture();
    const used = storeWithCredit(fx, 100).getState().status!.credit.used;
    for (const [fraction, text] of [
      [0.82, '▲ 80% of the credit used'],
      [0.93, '▲ 90% of the credit used'],
      [1.25, '▲ 100% of the credit used'],
    ] as const) {
      store?.getState().actions.dispose();
      ui?.unmount();
      store = storeWithCredit(fx, used / fraction);
      ui = await renderApp(store, 100, 30);
      expect(ui.frame()).toContain(text);
    }
    expect(ui!.frame()).toMatch(/overage \$[1-9]/);
    store!.getState().actions.dispose();
    ui!.unmount();
    store = storeWithCredit(fx, used / 0.1);
    ui = await renderApp(store, 100, 30);
    expect(ui.frame()).not.toContain('▲');
  });

  it('warns when the P50 projection reaches a threshold before spend does', async () => {
    fx = await buildFixture();
    const p50 = storeWithCredit(fx, 100).getState().status!.forecast.cycleEndSpend.p50;
    store = storeWithCredit(fx, p50 / 1.05);
    ui = await renderApp(store, 120, 30);
    expect(ui.frame()).toContain('▲ projected to reach 100% of the credit by cycle end');
  });

  it('with 80% used and 100% projected, says both, in red', async () => {
    fx = await buildFixture();
    const status = storeWithCredit(fx, 100).getState().status!;
    const credit = status.credit.used / 0.85;
    expect(status.forecast.cycleEndSpend.p50).toBeGreaterThan(credit);
    store = storeWithCredit(fx, credit);
    ui = await renderApp(store, 120, 30);
    const line = ui.lines().find((l) => l.includes('▲'))!;
    expect(line).toMatch(
      /^▲ 80% of the credit used: \$[\d.]+ of \$[\d.]+ · projected to reach 100% by cycle end \(P50 \$/,
    );
    expect(alertLines(store.getState().alerts, store.getState().status!)[0]!.severe).toBe(true);
    // At 80 columns the projection keeps its figure, in fewer words.
    ui.unmount();
    ui = await renderApp(store, 80, 24);
    expect(ui.lines().find((l) => l.includes('▲'))).toMatch(/^▲ 80% of the credit used.* · projected (to reach )?100%/);
  });

  it('names unpriced models', async () => {
    const sessions = defaultSessions();
    sessions.push({
      id: 'sess-odd',
      project: '/work/odd',
      requests: [{ model: 'claude-imaginary-9', entrypoint: 'sdk-py', hoursAgo: 4 }],
    });
    fx = await buildFixture(sessions);
    store = storeWithCredit(fx, 1000);
    ui = await renderApp(store, 120, 30);
    expect(ui.frame()).toContain('? unpriced models, not counted in any total: claude-imaginary-9 (1 req)');
    // Too narrow for the names: how many, in words.
    const narrow = alertLines(store.getState().alerts, store.getState().status!, 60).at(-1)!.text;
    expect(narrow).toBe('? unpriced models, not counted in any total: 1 model');
    // A drilled list's totals carry the `?` its rows do: by project, into /work/odd, then its session.
    await ui.press(KEYS.tab);
    let f = ui.frame();
    for (let i = 0; i < 10 && !/▸ \S*odd/.test(f); i++) f = await ui.press(KEYS.down);
    expect(f).toMatch(/▸ \S*odd.*\$\S+\?/);
    f = await ui.press(KEYS.enter);
    expect(f).toMatch(/\$[\d.]+\? in 1 request/);
    f = await ui.press(KEYS.enter);
    expect(f).toMatch(/\$[\d.]+\? in 1 request/);
  });

  it("names an ended cycle's unpriced models (the ? beside its costs), without credit alerts", async () => {
    const sessions = defaultSessions();
    sessions.push({
      id: 'sess-odd-past',
      project: '/work/odd',
      // 25 days before the fixture's now: the cycle before.
      requests: [{ model: 'claude-imaginary-9', entrypoint: 'sdk-py', hoursAgo: 25 * 24 }],
    });
    fx = await buildFixture(sessions);
    store = storeWithCredit(fx, 0.01);
    ui = await renderApp(store, 120, 30);
    expect(ui.frame()).toContain('▲ 100% of the credit used');
    expect(ui.frame()).not.toContain('claude-imaginary-9');
    await ui.press('[');
    const f = await ui.waitFor((fr) => /past cycle/.test(fr));
    expect(f).toContain('? unpriced models, not counted in any total: claude-imaginary-9 (1 req)');
    expect(f).not.toContain('▲');
  });

  it('draws colour only when NO_COLOR is unset or empty', async () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
  });
});
