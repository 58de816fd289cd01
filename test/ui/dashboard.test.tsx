/** The dashboard drawn from a real store at 80x24 and 160x48, and every key of the keymap. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { noticeLines } from '../../src/ui/views/Dashboard.js';
import { createDbSource } from '../../src/state/data-source.js';
import { formatUsd } from '../../src/domain/format.js';
import { buildFixture, NOW_MS, type Fixture } from './fixture.js';
import { KEYS, renderApp, renderPinned, type Rendered } from './render.js';
import { App } from '../../src/ui/App.js';
import { splitKeys } from '../../src/ui/hooks/use-list-keys.js';
import { actionFor } from '../../src/ui/keymap.js';
import { priceBreakdown } from '../../src/domain/pricing.js';

let fx: Fixture;
let store: DashboardStore;
let ui: Rendered | null = null;
let exported: unknown[] = [];

beforeEach(async () => {
  fx = await buildFixture();
  exported = [];
  store = createDashboardStore({
    source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version, {
      breakdown: (r) =>
        priceBreakdown(fx.ctx.prices, {
          model: r.model,
          ts: r.ts,
          usage: r.usage,
          speed: r.speed,
          inferenceGeo: r.inferenceGeo,
        }),
    }),
    now: () => NOW_MS,
    exporter: (req) => {
      exported.push(req);
      return '/tmp/exports/creditmeter-view.json';
    },
  });
});
afterEach(() => {
  ui?.unmount();
  ui = null;
  store.getState().actions.dispose();
  fx.close();
});

describe('dashboard screen', () => {
  for (const [columns, rows] of [
    [30, 10],
    [34, 24],
    [40, 12],
    [40, 24],
    [50, 30],
    [60, 20],
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`at ${columns}x${rows} no line is cut and the frame fits`, async () => {
      ui = await renderApp(store, columns, rows);
      const lines = ui.lines();
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      for (const line of lines) {
        expect(line.length).toBeLessThanOrEqual(columns);
        // fit() marks a cut with an ellipsis at the end of the line: none may be cut.
        expect(line.trimEnd().endsWith('…'), `cut: ${line}`).toBe(false);
      }
      const frame = ui.frame();
      expect(frame).toContain('creditmeter');
      expect(frame).toMatch(/\$[\d,]+\.\d{2} (of \$100\.00 )?used/);
      expect(frame).toContain('q quit');
    });
  }

  it('draws a first frame before the forecast that keeps the layout and cuts no line', async () => {
    store.getState().actions.dispose();
    store = createDashboardStore({
      source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
      now: () => NOW_MS,
      deferFirstForecast: true,
    });
    // Held at the first frame: the forecast's read is cancelled with the store's timers.
    store.getState().actions.dispose();
    for (const [columns, rows] of [
      [60, 20],
      [80, 24],
      [200, 60],
    ] as const) {
      ui?.unmount();
      ui = await renderApp(store, columns, rows);
      const frame = ui.frame();
      expect(frame).toContain('Forecast  being computed');
      expect(frame).not.toContain('cycle end P50');
      expect(frame).toMatch(/\$[\d,]+\.\d{2} (of \$100\.00 )?used/);
      for (const line of ui.lines()) {
        expect(line.length).toBeLessThanOrEqual(columns);
        expect(line.trimEnd().endsWith('…'), `cut: ${line}`).toBe(false);
      }
    }
  });

  it('asks at each draw whether the plan is assumed: the hint goes once a config names the plan', async () => {
    let assumed = true;
    ui = await renderPinned(<App store={store} color={false} planAssumed={() => assumed} />, 160, 48);
    await ui.waitFor((f) => f.includes('Max 5x $100.00 (assumed; set it: creditmeter config set plan max5x)'));
    // `config set plan max5x` while the view runs (app/follow-settings.ts), then a refresh.
    assumed = false;
    store.getState().actions.refresh();
    const frame = await ui.waitFor((f) => f.includes('Max 5x $100.00') && !f.includes('(assumed'));
    expect(frame).not.toContain('config set plan');
  });

  it('fits 80x24 with every panel and the spend as $1,234.56', async () => {
    ui = await renderApp(store, 80, 24);
    const lines = ui.lines();
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    const st = store.getState().status!;
    const frame = ui.frame();
    expect(frame).toContain('Max 5x $100.00');
    expect(frame).toContain('Nov 1 – Nov 30');
    expect(frame).toContain(`${formatUsd(st.credit.used)} of $100.00 used`);
    expect(frame).toMatch(/\$\d{1,3}(,\d{3})*\.\d{2} of \$100\.00 used/);
    expect(frame).toContain('Forecast');
    expect(frame).toContain(`P50 ${formatUsd(st.forecast.cycleEndSpend.p50)}`);
    expect(frame).toContain('/day 7 d');
    expect(frame).toContain('claude-opus-4-7');
    expect(frame).toContain('claude-sonnet-4-6');
    expect(frame).toContain('API-equivalent, not charged to the credit');
    expect(frame).toMatch(/overage \$0\.00/);
    expect(frame).toContain('Recent requests');
    expect(frame).toContain('q quit');
  });

  it('shows more rows and columns at 160x48 and re-lays out on resize', async () => {
    ui = await renderApp(store, 160, 48);
    const wide = ui.frame();
    expect(wide).toContain(`Interactive ${formatUsd(store.getState().status!.interactive.cost)} · unknown $0.00`);
    expect(wide).toMatch(/By model .* Recent requests/);
    expect(ui.lines().length).toBeLessThanOrEqual(47);
    // Wide: recent requests in their own column beside the list, as many as its height holds.
    // Today's requests show the time, older ones the date too.
    const time = String.raw`(?:\d\d:\d\d:\d\d|[A-Z][a-z]{2} \d{1,2} \d\d:\d\d) +claude-`;
    const recentWide = wide.split('\n').filter((l) => new RegExp(String.raw`^ ?[▸ ] \S.*${time}`).test(l)).length;
    expect(recentWide).toBeGreaterThanOrEqual(2);
    expect((wide.match(new RegExp(time, 'g')) ?? []).length).toBe(36);
    expect(wide).toMatch(/ 10:00:00 +claude-opus-4-7 /);
    expect(wide).toMatch(/ Nov 19 \d\d:\d\d +claude-/);
    expect(wide).not.toMatch(/Nov 20 \d\d:\d\d +claude-/);
    // Narrow: the recent requests under the list, in the rows its two models leave.
    const narrow = await ui.resize(80, 24);
    expect(narrow.split('\n').filter((l) => new RegExp(`^${time}`).test(l)).length).toBe(6);
    expect(Math.max(...ui.lines().map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('moves with arrows, j/k, PgUp/PgDn, g/G and keeps the marker on the chosen row', async () => {
    ui = await renderApp(store, 80, 24);
    const selected = (): string => ui!.lines().find((l) => l.startsWith('▸'))!;
    expect(selected()).toContain('claude-opus-4-7');
    expect(await ui.press('j')).toMatch(/▸ claude-sonnet-4-6/);
    expect(await ui.press('k')).toMatch(/▸ claude-opus-4-7/);
    await ui.press(KEYS.down);
    expect(selected()).toContain('claude-sonnet-4-6');
    await ui.press(KEYS.up);
    expect(selected()).toContain('claude-opus-4-7');
    await ui.press(KEYS.pageDown);
    expect(selected()).toContain('claude-sonnet-4-6');
    await ui.press(KEYS.pageUp);
    expect(selected()).toContain('claude-opus-4-7');
    await ui.press('G');
    expect(selected()).toContain('claude-sonnet-4-6');
    await ui.press('g');
    expect(selected()).toContain('claude-opus-4-7');
  });

  it('applies every key of a burst, in order: jj, j then k, Tab Tab, Enter after j, j then q', async () => {
    ui = await renderApp(store, 80, 24);
    const selected = (): string => ui!.lines().find((l) => l.startsWith('▸'))!;
    await ui.press('jk');
    expect(selected()).toContain('claude-opus-4-7');
    await ui.press('jj');
    expect(selected()).toContain('claude-sonnet-4-6');
    await ui.press('gj\r');
    expect(store.getState().nav.drill.map((d) => d.key)).toEqual(['claude-sonnet-4-6']);
    await ui.press(KEYS.escape);
    await ui.press('\t\t');
    expect(store.getState().nav.grouping).toBe('day');
    await ui.press(`${KEYS.down}jk`);
    expect(store.getState().nav.grouping).toBe('day');
  });

  it('reads Escape typed at once before [, ], j or another Escape as the keys typed, not as a sequence no key sends', async () => {
    await fx.addSeptember();
    ui = await renderApp(store, 80, 24);
    const nav = () => store.getState().nav;
    await ui.press('\r');
    expect(nav().drill).toHaveLength(1);
    // Esc Esc [ ] ? in one write: back, back, previous cycle, next cycle, help.
    await ui.press('\u001b\u001b[]?');
    expect([nav().drill.length, nav().cycleOffset, nav().helpOpen]).toEqual([0, 0, true]);
    await ui.press('x');
    // Enter, Esc, [, j.
    await ui.press('\r\u001b[j');
    expect([nav().drill.length, nav().cycleOffset, nav().helpOpen]).toEqual([0, -1, false]);
    // ], then Esc and [ at the end of a write (read once the terminal is quiet).
    await ui.press(']\u001b[');
    expect([nav().drill.length, nav().cycleOffset]).toEqual([0, -1]);
    // Keys a terminal sends stay keys: an arrow, and F5 (bound to nothing).
    await ui.press(']');
    await ui.press(`${KEYS.down}\u001b[15~`);
    expect([nav().drill.length, nav().cycleOffset]).toEqual([0, 0]);
    expect(ui.lines().find((l) => l.startsWith('▸'))).toContain('claude-sonnet-4-6');
    // Esc [ and c, d or e: rxvt's Shift+Right, Shift+Left, Shift+5 (bound to nothing) read as the
    // keys typed, each a key of its own.
    const classBefore = nav().classFilter;
    await ui.press('\r');
    await ui.press('\u001b[c');
    expect([nav().drill.length, nav().cycleOffset]).toEqual([0, -1]);
    expect(nav().classFilter).not.toBe(classBefore);
    await ui.press(']');
    await ui.press('\r');
    await ui.press('\u001b[d');
    expect([nav().drill.length, nav().cycleOffset]).toEqual([0, -1]);
    // Its Shift+Up and Shift+Down stay the arrows: they move the list (of every class: more than one row).
    await ui.press(']');
    for (let i = 0; i < 4 && nav().classFilter !== 'all'; i++) await ui.press('c');
    const shown = ui;
    const selected = (): string | undefined => shown.lines().find((l) => l.startsWith('▸'));
    const top = selected();
    const second = store.getState().rows[1]!.key;
    await ui.press('\u001b[b');
    // One row down: not Esc, then [ and b read as two more downs.
    expect([nav().drill.length, nav().cycleOffset]).toEqual([0, 0]);
    expect(selected()).toContain(second);
    await ui.press('\u001b[a');
    expect(selected()).toBe(top);
  });

  it('reads Escape typed at once before a character that is not a letter or digit as both keys', async () => {
    ui = await renderApp(store, 80, 24);
    const nav = () => store.getState().nav;
    const seen = () => [nav().editingFilter, nav().textFilter, nav().helpOpen, nav().drill.length];
    // In the prompt: Esc clears the filter, then ? opens the help (? was typed into the filter).
    await ui.press('/');
    await ui.press('ab');
    await ui.press('\u001b?');
    expect(seen()).toEqual([false, '', true, 0]);
    await ui.press('x');
    // All in one write: / opens the prompt, a b typed, Esc clears it, / opens it again.
    await ui.press('/ab\u001b/');
    expect(seen()).toEqual([true, '', false, 0]);
    await ui.press('\u001b');
    // In the list: Enter drills, Esc goes back, ? opens the help; Esc then space is Esc then a space.
    await ui.press('\r\u001b?');
    expect(seen()).toEqual([false, '', true, 0]);
    await ui.press('x');
    await ui.press('\r\u001b ');
    expect(seen()).toEqual([false, '', false, 0]);
    // Alt+letter stays Esc then the letter, and an arrow stays one key.
    await ui.press('\u001bj');
    await ui.press(KEYS.down);
    expect(ui.lines().find((l) => l.startsWith('▸'))).toContain('claude-sonnet-4-6');
  });

  it('reads Escape typed at once before Tab, Enter or an arrow as both keys', async () => {
    ui = await renderApp(store, 80, 24);
    const nav = () => store.getState().nav;
    await ui.press('\r');
    expect(nav().drill).toHaveLength(1);
    // Esc Tab in one write (read as Alt+Tab): back to the top, then the next grouping.
    await ui.press('\u001b\t');
    expect([nav().drill.length, nav().grouping]).toEqual([0, 'project']);
    // Esc Enter in one write (read as Alt+Enter): back to the top, then into the selected row.
    await ui.press('\r');
    const into = nav().drill;
    expect(into).toHaveLength(1);
    await ui.press('\u001b\r');
    expect(nav().drill).toEqual(into);
    await ui.press('\u001b');
    // Esc Esc Enter (Alt+Enter after an Escape): back twice, then drill into the selected row.
    await ui.press('\r');
    await ui.press('\u001b\u001b\r');
    expect(nav().drill).toHaveLength(1);
    // Esc then Down (ESC ESC [ B): back, then down one row.
    await ui.press(`\u001b${KEYS.down}`);
    expect(nav().drill).toHaveLength(0);
    expect(ui.lines().find((l) => l.startsWith('▸'))).not.toBe(undefined);
  });

  it('splits a run of plain characters into keys, a quit included', () => {
    const none = splitKeys('x', {} as never)[0]![1];
    const keys = splitKeys('j\tq', none);
    expect(keys.map(([input, k]) => [input, k.tab])).toEqual([
      ['j', false],
      ['', true],
      ['q', false],
    ]);
    expect(keys.map(([input, k]) => actionFor(input, k))).toEqual(['down', 'grouping', 'quit']);
    // Ctrl-C among other keys, or twice, is still Ctrl-C (not a stray control character).
    expect(splitKeys('j\u0003', none).map(([i, k]) => actionFor(i, k))).toEqual(['down', 'quit']);
    expect(splitKeys('\u0003\u0003', none).map(([i, k]) => actionFor(i, k))).toEqual(['quit', 'quit']);
    // Ink reads two Escapes in one write as Meta+Escape, and Escape then j as Meta+j.
    const meta = { ...none, meta: true };
    expect(splitKeys('\u001b', { ...meta, escape: true }).map(([i, k]) => actionFor(i, k))).toEqual(['back', 'back']);
    expect(splitKeys('', { ...meta, escape: true }).map(([i, k]) => actionFor(i, k))).toEqual(['back']);
    expect(splitKeys('j', meta).map(([i, k]) => actionFor(i, k))).toEqual(['back', 'down']);
    // rxvt's Shift+arrows as useInput names them (the event's text is the raw sequence): Shift+Down
    // and Shift+Up stay one key that moves; ESC [ c (Shift+Right, bound to nothing) is Esc, [ and c,
    // keys of their own, with none of the arrow's name left on them.
    const shifted = { ...none, shift: true };
    const act = (raw: string, k: typeof none): unknown[] => splitKeys('', k, raw).map(([i, key]) => actionFor(i, key));
    expect(act('\u001b[b', { ...shifted, downArrow: true })).toEqual(['down']);
    expect(act('\u001b[a', { ...shifted, upArrow: true })).toEqual(['up']);
    expect(act('\u001b[c', { ...shifted, rightArrow: true })).toEqual(['back', 'prevCycle', 'classFilter']);
  });

  it('drills model -> projects -> sessions -> requests with a breadcrumb, and goes back with Esc and Backspace', async () => {
    ui = await renderApp(store, 80, 24);
    let f = await ui.press(KEYS.enter);
    expect(f).toContain('all › model claude-opus-4-7 › projects');
    expect(f).toContain('/work/alpha');
    expect(f).toContain('/work/beta');
    f = await ui.press(KEYS.enter);
    expect(f).toMatch(/› sessions/);
    f = await ui.press(KEYS.enter);
    expect(f).toMatch(/› requests/);
    // At 80 columns: time, model and cost stay; the least useful columns go.
    expect(f).toMatch(/time +model +input +output +c\.read +c\.write +cost/);
    expect(f).toMatch(/Nov \d+ \d\d:\d\d:\d\d claude-opus-4-7/);
    f = await ui.press(KEYS.enter);
    // Enter on a request: everything about it.
    expect(f).toMatch(/^Request · claude-opus-4-7 · Nov \d+ \d\d:\d\d · \$/);
    for (const label of [
      'Request id',
      'Message id',
      'Entrypoint',
      'Class',
      'Session',
      'Project',
      'Branch',
      'Claude Code',
    ])
      expect(f).toContain(label);
    expect(f).toMatch(/Output +[\d,]+ tokens +\$/);
    // Money as the lists show a request's cost: the parts and the total alike, never $0.0000.
    expect(f).not.toContain('$0.0000');
    const cost = /^Cost +(\S+)/m.exec(f)![1]!;
    expect(f.split('\n')[0]!.endsWith(cost)).toBe(true);
    expect(f).toMatch(/Price rules +/);
    expect(f).toMatch(/Price table +\S+/);
    f = await ui.press(KEYS.escape);
    expect(f).toMatch(/› requests/);
    f = await ui.press(KEYS.escape);
    expect(f).toMatch(/› sessions/);
    f = await ui.press(KEYS.backspace);
    expect(f).toMatch(/› projects/);
    f = await ui.press(KEYS.escape);
    expect(f).toContain('Credit');
    expect(ui.lines().find((l) => l.startsWith('▸'))).toContain('claude-opus-4-7');
  });

  it('switches grouping with Tab and class filter with c', async () => {
    ui = await renderApp(store, 80, 24);
    let f = await ui.press(KEYS.tab);
    expect(f).toContain('By project');
    f = await ui.press(KEYS.tab);
    expect(f).toContain('By day');
    expect(f).toMatch(/2026-11-\d\d/);
    f = await ui.press(KEYS.tab);
    expect(f).toContain('By entrypoint');
    f = await ui.press(KEYS.tab);
    expect(f).toContain('By session');
    // Named by project and start, the short id last: never a bare id.
    expect(f).toMatch(/alpha( · Nov \d+ \d\d:\d\d)? · sess-alp/);
    f = await ui.press(KEYS.tab);
    expect(f).toContain('By branch');
    f = await ui.press(KEYS.tab);
    expect(f).toContain('By model');
    f = await ui.press('c');
    expect(f).toContain('Interactive spend: API-equivalent value, not charged to the credit');
    expect(f).not.toContain('claude-sonnet-4-6  ');
    f = await ui.press('c');
    expect(f).toContain('All spend');
    f = await ui.press('c');
    expect(f).toContain('Programmatic spend');
  });

  it('lists recent requests of the class in view only', async () => {
    ui = await renderApp(store, 160, 48);
    const recentClasses = (frame: string): Set<string> =>
      new Set(
        frame
          .split('\n')
          .map((l) => / (?:claude-)?[\w.-]+ +(prog|int|unk) /.exec(l)?.[1])
          .filter((c): c is string => c !== undefined),
      );
    expect(recentClasses(ui.frame())).toEqual(new Set(['prog']));
    expect(recentClasses(await ui.press('c'))).toEqual(new Set(['int']));
    expect(recentClasses(await ui.press('c'))).toEqual(new Set(['prog', 'int']));
  });

  it('goes to the previous cycle with [ and back with ], no further back than the oldest request', async () => {
    await fx.addSeptember();
    ui = await renderApp(store, 80, 24);
    let f = await ui.press('[');
    expect(f).toContain('Oct 1 – Oct 31');
    expect(f).toContain('past cycle');
    expect(f).toContain('(nothing in this view)');
    // An ended cycle shows its final result: no pace, no forecast, no current burn rates.
    expect(f).toContain('cycle ended: $0.00 of $100.00 used (0%) · overage $0.00');
    expect(f).toContain('Forecast  not applicable: the cycle has ended');
    expect(f).toContain('Burn      rates not applicable');
    expect(f).not.toMatch(/pace|behind|ahead|\/h last hour/);
    expect(f).toContain('no programmatic requests in this cycle');
    f = await ui.press('[');
    expect(f).toContain('Sep 1 – Sep 30');
    expect(f).toMatch(/claude-sonnet-4-6/);
    // Before September nothing is stored: the cycle stays, and the footer says why.
    f = await ui.press('[');
    expect(f).toContain('Sep 1 – Sep 30');
    expect(f).toContain('No earlier cycle holds requests.');
    f = await ui.press(']');
    expect(f).toContain('Oct 1 – Oct 31');
    f = await ui.press(']');
    expect(f).toContain('Nov 1 – Nov 30');
    expect(f).toMatch(/pace \d+% of the cycle|(behind|ahead of|on) pace/);
    expect(f).toContain('/h last hour');
  });

  it('keeps the header and fits the rows on short terminals, dropping lower sections first', async () => {
    ui = await renderApp(store, 100, 30);
    for (const [c, r] of [
      [80, 12],
      [60, 8],
      [60, 4],
      [80, 24],
    ] as const) {
      const f = await ui.resize(c, r);
      const lines = ui.lines();
      expect(lines.length).toBeLessThanOrEqual(r - 1);
      expect(lines[0]).toMatch(/^creditmeter · Max 5x/);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(c);
      if (r >= 12) expect(f).toMatch(/▸ claude-opus-4-7/);
      if (r === 12) expect(f).not.toContain('Recent requests');
      if (r >= 8) expect(f).toContain('⏎ drill');
    }
    expect(ui.frame()).toContain('Recent requests');
    // The drill-down fits as well.
    await ui.resize(80, 8);
    const drilled = await ui.press(KEYS.enter);
    expect(ui.lines().length).toBeLessThanOrEqual(7);
    expect(drilled).toMatch(/^creditmeter · Max 5x/);
    expect(drilled).toMatch(/▸ \/work\/(alpha|beta)/);
  });

  it('says in its first line that the demo is shown, drilled in or not, at any width', async () => {
    store.getState().actions.setDemoNotice('Demo history (generated, in a temporary database).');
    ui = await renderApp(store, 120, 30);
    expect(ui.lines()[0]).toMatch(/^creditmeter demo · Max 5x/);
    for (const [c, r] of [
      [40, 20],
      [80, 24],
    ] as const) {
      await ui.resize(c, r);
      expect(ui.lines()[0]).toMatch(/^creditmeter demo · /);
    }
    const drilled = await ui.press(KEYS.enter);
    expect(drilled.split('\n')[0]).toMatch(/^creditmeter demo · /);
    store.getState().actions.setDemoNotice(null);
    await ui.press(KEYS.escape);
    expect(ui.lines()[0]).toMatch(/^creditmeter · Max 5x/);
  });

  it('filters by text with /, and exports the view with e showing the path', async () => {
    ui = await renderApp(store, 80, 24);
    let f = await ui.press('/');
    expect(f).toContain('(Enter keeps, Esc clears)');
    for (const ch of 'sonnet') f = await ui.press(ch);
    expect(f).toContain('filter "sonnet"');
    expect(f).toMatch(/▸ claude-sonnet-4-6/);
    f = await ui.press(KEYS.enter);
    expect(f).not.toContain('Enter keeps');
    expect(f).not.toMatch(/▸ claude-opus/);
    f = await ui.press('e');
    expect(f).toContain('Exported to /tmp/exports/creditmeter-view.json');
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ textFilter: 'sonnet', grouping: 'model' });
    f = await ui.press(KEYS.escape);
    expect(f).toContain('claude-opus-4-7');
    // The filter gone, the row it showed selected stays selected (not the one chosen before it).
    expect(f).toMatch(/▸ claude-sonnet-4-6/);
    f = await ui.press(KEYS.down);
    const chosen = /▸ (\S+)/.exec(f)![1]!;
    for (const ch of '/opus') f = await ui.press(ch);
    expect(f).toMatch(/▸ claude-opus/);
    f = await ui.press(KEYS.escape); // while typing: clears the filter
    expect(f).toMatch(/▸ claude-opus/);
    expect(chosen).not.toMatch(/opus/);
    // While typing, the remembered row stays: a letter that hides it, then Backspace, bring it back.
    f = await ui.press(KEYS.down);
    const kept = /▸ (\S+)/.exec(f)![1]!;
    expect(kept).not.toMatch(/opus/);
    for (const ch of '/pus') f = await ui.press(ch);
    expect(f).not.toContain(`▸ ${kept}`);
    for (let i = 0; i < 3; i++) f = await ui.press(KEYS.backspace);
    expect(f).toContain(`▸ ${kept}`);
  });

  it('keeps a filter that empties the list in its title at 60 and 80 columns, whatever the class', async () => {
    for (const columns of [60, 80]) {
      ui?.unmount();
      ui = await renderApp(store, columns, 24);
      await ui.press('c');
      for (const ch of '/zzz') await ui.press(ch);
      const f = await ui.press(KEYS.enter);
      expect(f).toContain('(nothing in this view)');
      expect(f).toMatch(/By model.* · filter "zzz"/);
      await ui.press(KEYS.escape);
      await ui.press('c');
      await ui.press('c');
    }
  });

  it('shows the end of a filter being typed that is too long for its line, with the cursor', async () => {
    ui = await renderApp(store, 60, 24);
    await ui.press('/');
    const f = await ui.press(`${'abcdefghij'.repeat(7)}XYZ`);
    const prompt = f.split('\n').find((l) => l.startsWith('/'))!;
    expect(prompt).toMatch(/^\/….*XYZ▏$/);
    expect(prompt.length).toBeLessThanOrEqual(60);
    await ui.press(KEYS.escape);
    // Every length up to the line's: the cursor stays at the end of the text.
    for (const length of [40, 57, 58, 59]) {
      await ui.press('/');
      const g = await ui.press('x'.repeat(length));
      const line = g.split('\n').find((l) => l.startsWith('/'))!;
      expect(line, `${length}`).toMatch(/x▏/);
      expect(line.length, `${length}`).toBeLessThanOrEqual(60);
      await ui.press(KEYS.escape);
    }
  });

  it('shortens a long kept filter before it lets the class or the filter itself go from a title', async () => {
    const long = 'sonabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const columns of [80, 60, 40]) {
      ui?.unmount();
      ui = await renderApp(store, columns, 24);
      await ui.press('/');
      await ui.press(long);
      let f = await ui.press(KEYS.enter);
      const title = ui.lines().find((l) => l.startsWith('By model'))!;
      expect(title, `${columns}`).toMatch(/ · filter "son\w*…"/);
      if (columns >= 60) expect(title).toContain('Programmatic spend');
      // A drilled list's totals line keeps its class and the filter, shortened.
      f = await ui.press(KEYS.escape);
      await ui.press(KEYS.enter);
      await ui.press('/');
      await ui.press(long);
      f = await ui.press(KEYS.enter);
      const totals = f.split('\n').find((l) => / in \d+ requests? · /.test(l) || l.includes('filter "'))!;
      expect(totals, `${columns}`).toMatch(columns >= 60 ? /programmatic.* · filter "son\w*…"/ : / · filter "so\w*…"/);
      await ui.press(KEYS.escape);
      await ui.press(KEYS.escape);
    }
  });

  it('opens help generated from the keymap with ? and closes it with any key', async () => {
    ui = await renderApp(store, 80, 24);
    let f = await ui.press('?');
    expect(f).toContain('creditmeter keys');
    expect(f).toContain('Esc / Backspace');
    expect(f).toContain('previous billing cycle');
    // What the keys do below the top list and on a request's detail, as the README's table says.
    const text = f.replace(/\s+/g, ' ');
    expect(text).toContain('grouping of the top list');
    expect(text).toContain("(on a request's detail, of its list)");
    expect(text).toContain("a request's detail (Enter there goes back)");
    f = await ui.press('x');
    expect(f).toContain('Credit');
  });

  it("names the help's scrolling keys where there is room, G among them", async () => {
    ui = await renderApp(store, 80, 12);
    const f = await ui.press('?');
    expect(f.split('\n').at(-1)).toMatch(/ · ↑↓ PgUp PgDn g G scroll · other keys close/);
    const total = Number(/of (\d+) ·/.exec(f)![1]);
    expect((await ui.press('G')).split('\n').at(-1)).toMatch(new RegExp(`^lines \\d+–${total} of ${total} ·`));
    expect(await ui.press('x')).toContain('Credit');
  });

  it('wraps the help on a narrow terminal and scrolls it on a short one; other keys close it', async () => {
    ui = await renderApp(store, 40, 12);
    let f = await ui.press('?');
    const lines = (): string[] => ui!.lines();
    for (const line of lines()) {
      expect(line.length).toBeLessThanOrEqual(40);
      expect(line.trimEnd().endsWith('…'), `cut: ${line}`).toBe(false);
    }
    expect(f).toMatch(/\n1–9\/\d+ · ↑↓ scroll · other keys close$/);
    const total = Number(/\/(\d+) ·/.exec(f)![1]);
    // The whole help, read by scrolling: every key of the keymap, and the words of each text.
    const seen = new Set<string>(lines().slice(1, -1));
    for (let i = 0; i < total; i++) for (const l of (await ui.press('j')).split('\n').slice(1, -1)) seen.add(l);
    const text = [...seen].join(' ');
    for (const key of ['Esc / Backspace', 'PgUp', 'q / Ctrl-C']) expect(text).toContain(key);
    for (const word of ['drill', 'sessions', 'requests', 'billing', 'snapshot', 'API-equivalent', 'credit.'])
      expect(text).toContain(word);
    f = ui.frame();
    expect(f).toMatch(new RegExp(`\\d+–${total}/${total} ·`));
    // Up scrolls back; a key that is not a list key closes it.
    f = await ui.press('g');
    expect(f).toMatch(/\n1–9\//);
    f = await ui.press('x');
    expect(f).toContain('Credit');
    expect(store.getState().nav.helpOpen).toBe(false);
    // Reopened, it starts at its top; q still quits from it.
    f = await ui.press('?');
    expect(f).toMatch(/\n1–9\//);
    await ui.press('q');
  });

  it('quits on q and on Ctrl-C', async () => {
    ui = await renderApp(store, 80, 24);
    const before = ui.frame();
    await ui.press('q');
    // An exited app draws nothing more: keys after q change nothing.
    await ui.press('j');
    expect(ui.frame()).toBe(before);
    ui.unmount();
    ui = await renderApp(store, 80, 24);
    const again = ui.frame();
    await ui.press(KEYS.ctrlC);
    await ui.press(KEYS.tab);
    expect(ui.frame()).toBe(again);
    ui.unmount();
    // Ctrl-C in a burst of keys (typed ahead of the screen) quits after the keys before it.
    ui = await renderApp(store, 80, 24);
    const cursor = (): string | null | undefined => store.getState().nav.cursor[0];
    const top = cursor();
    await ui.press(`j${KEYS.ctrlC}`);
    const moved = cursor();
    expect(moved).not.toBe(top);
    await ui.press('j');
    expect(cursor()).toBe(moved);
    ui.unmount();
    // Ctrl-C also quits from the text filter prompt, where letters are text.
    ui = await renderApp(store, 80, 24);
    const prompt = await ui.press('/');
    expect(prompt).toContain('Enter keeps');
    await ui.press(KEYS.ctrlC);
    await ui.press('x');
    expect(ui.frame()).toBe(prompt);
  });

  it('shows the catch-up notice with its progress bar, then the live indicator', async () => {
    ui = await renderApp(store, 80, 24);
    store.getState().actions.setCatchUp({ bytesDone: 500, bytesTotal: 1000, filesDone: 3, filesTotal: 8 });
    let f = await ui.waitFor((fr) => fr.includes('Catching up'));
    expect(f).toMatch(/Catching up on the logs 50% \(3\/8 files\) █+░+/);
    store.getState().actions.setCatchUp(null);
    store.getState().actions.setWatching(true);
    f = await ui.waitFor((fr) => fr.includes('● live'));
    expect(f).toContain('last request 10:00:00');
    expect(f).not.toContain('Catching up');
  });
});

describe('dashboard details', () => {
  it('shows the whole export path, with the home folder as ~', async () => {
    const long = join(
      homedir(),
      '.local',
      'share',
      'creditmeter',
      'exports',
      'creditmeter-2026-11-01-20261120-120000-view.json',
    );
    const s2 = createDashboardStore({
      source: createDbSource(fx.ctx.db, fx.ctx.config.plan, fx.ctx.prices.version),
      now: () => NOW_MS,
      exporter: () => long,
    });
    const r = await renderApp(s2, 60, 24);
    await r.press('e');
    const f = await r.waitFor((fr) => fr.includes('Exported to'));
    r.unmount();
    s2.getState().actions.dispose();
    expect(f).not.toMatch(/Exported to.*…/);
    const text = f
      .split('\n')
      .filter((l, i, all) => i > 0 && all.slice(0, i).some((x) => x.includes('Exported to')) && !l.includes('quit'));
    const start = f.split('\n').find((l) => l.includes('Exported to'))!;
    expect([start, ...text].join('')).toContain(
      'Exported to ~/.local/share/creditmeter/exports/creditmeter-2026-11-01-20261120-120000-view.json',
    );
    expect(Math.max(...f.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
  });

  it('says "1 request" in a drill-down and shows a tiny cost precisely, not as $0.0000', async () => {
    const solo = await buildFixture([
      {
        id: 'sess-solo',
        project: '/work/solo',
        requests: [{ model: 'claude-haiku-4-5-20251001', entrypoint: 'sdk-cli', hoursAgo: 1, input: 3, output: 1 }],
      },
    ]);
    const s2 = createDashboardStore({
      source: createDbSource(solo.ctx.db, solo.ctx.config.plan, solo.ctx.prices.version),
      now: () => NOW_MS,
    });
    const r = await renderApp(s2, 100, 30);
    const top = r.frame();
    const drilled = await r.press(KEYS.enter);
    const requests = await r.press(KEYS.enter).then(() => r.press(KEYS.enter));
    r.unmount();
    s2.getState().actions.dispose();
    solo.close();
    expect(top).toMatch(/11:00:00 haiku-4-5 +prog +\/work\/solo +\$0\.0000\d\d/);
    expect(top).not.toMatch(/\$0\.0000(\s|$)/m);
    expect(drilled).toMatch(/ in 1 request · /);
    expect(requests).toMatch(/\$0\.0000\d\d/);
  });
});

describe('dashboard without transcripts', () => {
  it('says where it looked and how to point elsewhere', async () => {
    const empty = await buildFixture([]);
    const s2 = createDashboardStore({
      source: createDbSource(empty.ctx.db, empty.ctx.config.plan, empty.ctx.prices.version),
      now: () => NOW_MS,
    });
    s2.getState().actions.setNoTranscripts(['/nowhere/claude']);
    const r = await renderApp(s2, 120, 30);
    const f = r.frame();
    expect(f).toContain('No Claude Code transcripts found.');
    expect(f).toContain('Looked in: /nowhere/claude/projects');
    expect(f).toContain(
      'Point elsewhere: --claude-dir DIR (repeatable) · CLAUDE_CONFIG_DIR=DIR1,DIR2 · "claudeDirs" in the config file',
    );
    expect(f).toContain('Or see the dashboard on the bundled demo history: creditmeter --demo');
    expect(f).toContain('$0.00 of $100.00 used');
    // Narrower, whole clauses go from the end: no line is cut.
    for (const [columns, line] of [
      [100, 'Point elsewhere: --claude-dir DIR · CLAUDE_CONFIG_DIR=DIR1,DIR2 · "claudeDirs" in the config file'],
      [80, 'Point elsewhere: --claude-dir DIR · CLAUDE_CONFIG_DIR=DIR1,DIR2'],
    ] as const) {
      const narrow = await r.resize(columns, 30);
      expect(narrow.split('\n')).toContain(line);
      expect(narrow).toContain('Or see the dashboard on the bundled demo history: creditmeter --demo');
      for (const l of narrow.split('\n')) expect(l.trimEnd().endsWith('…'), l).toBe(false);
    }
    r.unmount();
    s2.getState().actions.dispose();
    empty.close();
  });

  it('says nothing of transcripts when the store holds requests (received telemetry), though this view has none', () => {
    const state = {
      status: null,
      nav: { cycleOffset: 0 },
      demoNotice: null,
      noTranscripts: { roots: ['/nowhere/claude'] },
      rowsTotal: 0,
    } as unknown as Parameters<typeof noticeLines>[0];
    expect(noticeLines({ ...state, lastRequestMs: null }).join('\n')).toContain('No Claude Code transcripts found.');
    expect(noticeLines({ ...state, lastRequestMs: NOW_MS - 60_000 })).toEqual([]);
    // Receiving telemetry (--listen): where to send it, not only where transcripts were looked for.
    const receiving = noticeLines({ ...state, lastRequestMs: null, receivingOn: 'http://127.0.0.1:4318/v1/logs' });
    // The footer says where it receives: the notice does not say it again.
    expect(receiving[0]).toBe('No request received yet.');
    expect(receiving.join('\n')).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318');
    expect(receiving.join('\n')).not.toContain('creditmeter --demo');
    expect(noticeLines({ ...state, lastRequestMs: NOW_MS, receivingOn: 'http://x:1/v1/logs' })).toEqual([]);
  });
});

describe('request detail on a short terminal', () => {
  it('scrolls rows that do not fit with the list keys and says where it is', async () => {
    ui = await renderApp(store, 60, 12);
    for (let i = 0; i < 4; i++) await ui.press(KEYS.enter);
    let f = ui.frame();
    expect(f).toMatch(/^Request · /);
    expect(f).toContain('Request id');
    expect(f).not.toContain('Price table');
    expect(f).toMatch(/rows 1–\d+ of \d+ · ↑↓ PgUp PgDn scroll · Esc back/);
    const total = Number(/of (\d+)/.exec(f)![1]);
    // To the end: the cost and the price table come into view, the first rows leave it.
    f = await ui.press('G');
    expect(f).toMatch(/Cost +\$/);
    expect(f).toMatch(/Price table +\S+/);
    expect(f).not.toContain('Request id');
    expect(f).toMatch(new RegExp(`rows \\d+–${total} of ${total}`));
    // Further down changes nothing; one up shows one row more at the top.
    await ui.press('jjj');
    f = await ui.press('k');
    expect(f).not.toMatch(new RegExp(`–${total} of`));
    f = await ui.press('g');
    expect(f).toContain('Request id');
    // Back to the list and into a request again: it opens at its top.
    await ui.press('G');
    await ui.press(KEYS.escape);
    f = await ui.press(KEYS.enter);
    expect(f).toContain('Request id');
    for (const line of ui.lines()) expect(line.length).toBeLessThanOrEqual(60);
  });
});

describe('export from a request detail', () => {
  it('e exports the list the request is in, and says so on the detail screen', async () => {
    ui = await renderApp(store, 80, 24);
    for (let i = 0; i < 3; i++) await ui.press(KEYS.enter);
    let f = await ui.press(KEYS.enter);
    expect(f).toMatch(/^Request · /);
    expect(f).toMatch(/Esc back · e export · q quit$/m);
    f = await ui.press('e');
    await new Promise((r) => setTimeout(r, 20));
    f = ui.frame();
    expect(exported).toHaveLength(1);
    expect(f).toContain('Exported to /tmp/exports/creditmeter-view.json (the list this request is in)');
    expect(f).toMatch(/^Request · /);
    for (const line of ui.lines()) expect(line.length).toBeLessThanOrEqual(80);
    // What `e` on that list exports.
    await ui.press(KEYS.escape);
    await ui.press('e');
    await new Promise((r) => setTimeout(r, 20));
    expect(exported).toHaveLength(2);
    expect(exported[0]).toEqual(exported[1]);
  });
});

describe('keys across views in one burst', () => {
  it('four Escapes from a request detail reach the top; "/son⏎" in one write filters', async () => {
    ui = await renderApp(store, 80, 24);
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    let f = await ui.press(KEYS.enter);
    expect(f).toMatch(/^Request · /);
    f = await ui.press(KEYS.escape.repeat(4));
    expect(store.getState().nav.detailKey).toBeNull();
    expect(store.getState().nav.drill).toHaveLength(0);
    f = await ui.press(`/son${KEYS.enter}`);
    expect(store.getState().nav.textFilter).toBe('son');
    expect(store.getState().nav.editingFilter).toBe(false);
    expect(f).toContain('claude-sonnet-4-6');
  });
});
