/** Pure pieces of the dashboard: navigation rules, throttle, layout, keymap, text drawings. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Key } from 'ink';
import * as nav from '../../src/state/navigation.js';
import { throttle } from '../../src/state/throttle.js';
import { emptyAlerts, updateAlerts } from '../../src/state/alerts.js';
import { alertLines } from '../../src/ui/components/AlertBanner.js';
import { seatsLine } from '../../src/ui/views/Dashboard.js';
import { whereFrom } from '../../src/ui/components/RecentRequests.js';
import { bandSegments, basisLine, forecastText, runsOutText } from '../../src/ui/components/ForecastBand.js';
import type { StatusReport } from '../../src/domain/status-types.js';
import { storedRequest } from './stored-request.js';
import type { ViewRow } from '../../src/state/types.js';
import { MAX_RECENT, dashboardLayout, drillLayout } from '../../src/ui/views/layout.js';
import { actionFor, footerText, KEYMAP } from '../../src/ui/keymap.js';
import { bar, fitFields, sparkline, tailPath } from '../../src/ui/bars.js';
import { labelSessions } from '../../src/state/load-view.js';
import { gaugeSegments, gaugeText } from '../../src/ui/components/CreditGauge.js';
import { windowStart } from '../../src/ui/components/RowTable.js';
import { noticeTextLines } from '../../src/ui/components/Footer.js';
import { cycleDays } from '../../src/domain/cycle.js';
import { planLabel } from '../../src/ui/components/Header.js';
import {
  apportion,
  detailDecimals,
  detailMoney,
  detailRows,
  wrapAtSeparators,
  wrapNames,
} from '../../src/ui/views/RequestDetail.js';
import { breadcrumbFit } from '../../src/ui/components/Breadcrumb.js';
import type { StoredRequest } from '../../src/domain/types.js';

const row = (key: string): ViewRow => ({
  key,
  label: key,
  cost: 1,
  share: 0.5,
  requests: 1,
  tokens: 1,
  unpricedRequests: 0,
});
const key = (over: Partial<Key> = {}): Key => ({
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
  ...over,
});

describe('navigation', () => {
  it('follows the drill chain of each grouping down to requests', () => {
    let n = nav.initialNav();
    const rows = [row('a'), row('b')];
    expect(nav.currentLevel(n)).toBe('model');
    n = nav.drillInto(n, rows);
    expect(nav.currentLevel(n)).toBe('project');
    n = nav.drillInto(n, rows);
    n = nav.drillInto(n, rows);
    expect(nav.currentLevel(n)).toBe('request');
    expect(nav.drillInto(n, rows)).toBe(n);
    const byDay = nav.drillInto({ ...nav.initialNav(), grouping: 'day' }, [row('2026-03-08')]);
    expect(nav.currentLevel(byDay)).toBe('model');
    // A day step narrows to that local day: 23 hours long across New York's spring change.
    const f = nav.drillFilter(byDay.drill, 'America/New_York');
    expect(f.toMs! - f.fromMs!).toBe(23 * 3_600_000);
  });

  it('keeps the selection by key, falls back to the first row, and clamps moves', () => {
    let n = nav.moveSelection(nav.initialNav(), [row('a'), row('b'), row('c')], { delta: 5 });
    expect(n.cursor[0]).toBe('c');
    expect(nav.selectedIndex(n, [row('c'), row('a')])).toBe(0);
    expect(nav.selectedIndex(n, [row('x'), row('a'), row('c')])).toBe(2);
    expect(nav.selectedIndex(n, [row('x')])).toBe(0);
    n = nav.moveSelection(n, [row('a'), row('b'), row('c')], { to: 'first' });
    expect(n.cursor[0]).toBe('a');
  });

  it('changes grouping only at the top, never goes past the current cycle, clears the filter on back', () => {
    const drilled = nav.drillInto(nav.initialNav(), [row('a')]);
    expect(nav.nextGrouping(drilled)).toBe(drilled);
    expect(nav.shiftCycleOffset(nav.initialNav(), 1).cycleOffset).toBe(0);
    expect(nav.shiftCycleOffset(nav.initialNav(), -2).cycleOffset).toBe(-2);
    expect(nav.drillBack({ ...nav.initialNav(), textFilter: 'x' }).textFilter).toBe('');
    // A level's filter is its own: the level below starts without one, and back restores it.
    const filtered = nav.drillInto({ ...nav.initialNav(), textFilter: 'fum' }, [row('fumble')]);
    expect(filtered.textFilter).toBe('');
    // Back clears a kept filter first, at every level, then goes up.
    const cleared = nav.drillBack({ ...filtered, textFilter: 'deeper' });
    expect([cleared.drill.length, cleared.textFilter]).toEqual([1, '']);
    const back = nav.drillBack(cleared);
    expect([back.drill.length, back.textFilter, back.cursor[0]]).toEqual([0, 'fum', 'fumble']);
    expect(nav.applyTextFilter([row('Opus'), row('sonnet')], 'opu').map((r) => r.key)).toEqual(['Opus']);
  });

  it('cycles the class filter through unknown only when there is some, and from unknown to all', () => {
    const walk = (withUnknown: boolean): string[] => {
      const seen: string[] = [];
      let n = nav.initialNav();
      for (let i = 0; i < 4; i++) seen.push((n = nav.nextClassFilter(n, withUnknown)).classFilter);
      return seen;
    };
    expect(walk(false)).toEqual(['interactive', 'all', 'programmatic', 'interactive']);
    expect(walk(true)).toEqual(['interactive', 'unknown', 'all', 'programmatic']);
    // On unknown in a cycle that has none (after [ or ]): the next is all, as in one that has some.
    expect(nav.nextClassFilter({ ...nav.initialNav(), classFilter: 'unknown' }, false).classFilter).toBe('all');
  });
});

describe('plan label', () => {
  it("names one seat's credit when seats have their own, the account's when pooled", () => {
    const cycle = { plan: 'team', seats: 3, credit: 60 } as StatusReport['cycle'];
    expect(planLabel(cycle)).toBe('Team x3 seats $60.00');
    expect(planLabel(cycle, true)).toBe('Team x3 seats $20.00/seat');
    expect(planLabel({ ...cycle, plan: 'pro', seats: 1, credit: 20 }, true)).toBe('Pro $20.00');
  });
});

describe('what the forecast rests on, in one line', () => {
  const basis = (text: string, littleHistory: boolean, steppedUp = false) => ({
    method: 'resample' as const,
    structure: 'flat' as const,
    historyDays: 6,
    trendPerDay: 0,
    littleHistory,
    steppedUp,
    steppedDown: text.includes('spend dropped'),
    monthlyDays: [],
    text,
  });
  const pad = ' '.repeat(10);
  it('keeps a step up longest, and says a wide band at every width', () => {
    const step = basis('day-by-day spend, 6 days since spend stepped up (a new level: wide band)', true, true);
    expect(basisLine(step, 100)).toBe(`${pad}based on ${step.text}`);
    expect(basisLine(step, 80)).toBe(`${pad}based on day-by-day spend, 6 days since spend stepped up (wide band)`);
    expect(basisLine(step, 60)).toBe(`${pad}based on 6 days since spend stepped up (wide band)`);
    expect(basisLine(step, 50)).toBe('based on 6 days since spend stepped up (wide band)');
    const drop = basis('weekday/weekend pattern, 4 days since spend dropped (a new level: wide band)', true);
    expect(basisLine(drop, 60)).toBe(`${pad}based on 4 days since spend dropped (wide band)`);
    const short = basis('day-by-day spend, 9 days of history (little history: wide band)', true);
    expect(basisLine(short, 70)).toBe(`${pad}based on day-by-day spend, 9 days of history (wide band)`);
    const long = basis('weekly pattern, 9 weeks of history, growing 1.2%/day', false);
    expect(basisLine(long, 60)).toBe(`${pad}based on weekly pattern, 9 weeks of history`);
    expect(basisLine(long, 50)).toBe(`${pad}based on weekly pattern`);
    const batch = basis('day-by-day spend, 16 weeks of history, a batch on days 1–3 of each month', false);
    expect(basisLine(batch, 80)).toBe(`${pad}based on day-by-day spend, a batch on days 1–3 of each month`);
    const settledStep = basis('weekday/weekend pattern, 20 days since spend stepped up', false, true);
    expect(basisLine(settledStep, 60)).toBe(`${pad}based on 20 days since spend stepped up`);
    expect(basisLine(settledStep, 38)).toBe(`${pad}based on a step up`);
    expect(basisLine(step, 34)).toBe('based on a step up (wide band)');
    expect(basisLine(batch, 40)).toBe(`${pad}based on a monthly batch`);
    expect(basisLine(batch, 30)).toBe('based on a monthly batch');
    for (const w of [12, 20, 30]) expect(basisLine(batch, w).length).toBeLessThanOrEqual(w);
    // A long history gone quiet: its own words, shortened the same way.
    const quiet = basis(
      'weekday/weekend pattern, 9 weeks of history, nothing spent for 35 days (quiet lately: wide band)',
      true,
    );
    expect(basisLine(quiet, 200)).toBe(`${pad}based on ${quiet.text}`);
    expect(basisLine(quiet, 80)).toBe(`${pad}based on weekday/weekend pattern, 9 weeks of history (wide band)`);
    expect(basisLine(quiet, 26)).toBe('quiet lately: wide band');
    const jump = basis(
      'day-by-day spend, 16 weeks of history, spend jumped 2 days ago (a one-off or a new job)',
      false,
    );
    expect(basisLine(jump, 90)).toBe(
      `${pad}based on day-by-day spend, spend jumped 2 days ago (a one-off or a new job)`,
    );
    expect(basisLine(jump, 80)).toBe(`${pad}based on spend jumped 2 days ago (a one-off or a new job)`);
    expect(basisLine(jump, 50)).toBe(`${pad}based on spend jumped 2 days ago`);
    const calm = basis('weekday/weekend pattern, 9 weeks of history, nothing spent for 35 days (quiet lately)', true);
    expect(basisLine(calm, 80)).toBe(`${pad}based on weekday/weekend pattern, 9 weeks of history`);
  });
});

describe('throttle', () => {
  afterEach(() => vi.useRealTimers());
  it('runs at once, folds a burst into one trailing run, and stays idle without calls', () => {
    vi.useFakeTimers();
    let now = 0;
    let runs = 0;
    const t = throttle(
      () => (runs += 1),
      100,
      () => now,
    );
    t.request();
    expect(runs).toBe(1);
    for (let i = 0; i < 10; i++) t.request();
    expect(runs).toBe(1);
    now = 100;
    vi.advanceTimersByTime(100);
    expect(runs).toBe(2);
    now = 10_000;
    vi.advanceTimersByTime(10_000);
    expect(runs).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('layout and keys', () => {
  it('keeps the frame one line under the terminal height', () => {
    for (const rows of [24, 30, 48]) {
      const l = dashboardLayout({ columns: 80, rows, alertLines: 1, noticeLines: 1, footerLines: 1, burnLines: 2 });
      // header 2, gauge 2, forecast 2 + its basis 1, list title + column header 2, apart 1, keys 1, + alerts, notices, footer, burn.
      const used =
        2 + 2 + 2 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 2 + l.listHeight + (l.recentCount > 0 ? l.recentCount + 1 : 0);
      expect(used).toBe(rows - 1);
      expect(l.listHeight).toBeGreaterThanOrEqual(3);
      expect(l.split).toBe(false);
      expect(Object.entries(l.show).every(([k, v]) => k === 'chart' || v)).toBe(true);
    }
    const wide = dashboardLayout({
      columns: 160,
      rows: 48,
      alertLines: 0,
      noticeLines: 0,
      footerLines: 0,
      burnLines: 1,
    });
    // Beside the list: the recent requests take the whole height (title, 37 rows = title, header,
    // 35 list rows and the line under them).
    expect(wide).toMatchObject({ listHeight: 35, recentCount: 37, split: true, chartBeside: false });
  });

  it('gives a list of several rows a second line in a short pane, before the lower sections', () => {
    for (const [columns, rows] of [
      [60, 16],
      [40, 15],
      [34, 12],
      [200, 14],
    ] as const) {
      const l = dashboardLayout({
        columns,
        rows,
        alertLines: 0,
        noticeLines: 0,
        footerLines: 0,
        burnLines: 2,
        listRows: 5,
      });
      expect(l.show.list).toBe(true);
      expect(l.listHeight, `${columns}x${rows}`).toBeGreaterThanOrEqual(2);
    }
    // One row needs no second line.
    const one = dashboardLayout({
      columns: 60,
      rows: 16,
      alertLines: 0,
      noticeLines: 0,
      footerLines: 0,
      burnLines: 2,
      listRows: 1,
    });
    expect(one.listHeight).toBeGreaterThanOrEqual(1);
  });

  it('past 120 columns puts the chart under a short list and the recent requests beside both', () => {
    const at = (columns: number, rows: number, listRows: number): ReturnType<typeof dashboardLayout> =>
      dashboardLayout({
        columns,
        rows,
        alertLines: 0,
        noticeLines: 0,
        footerLines: 0,
        burnLines: 1,
        chart: true,
        listRows,
      });
    expect(at(120, 40, 3).split).toBe(false);
    const big = at(200, 60, 3);
    expect(big.split).toBe(true);
    expect(big.chartBeside).toBe(true);
    // A short list leaves the chart its full 16 bars; the list still holds its 3 rows.
    expect(big.chartBars).toBe(16);
    expect(big.listHeight).toBeGreaterThanOrEqual(3);
    // Left column: list title, header, rows, apart line, blank, chart title, bars, labels.
    const left = 2 + big.listHeight + 1 + 1 + 1 + big.chartBars + 1;
    const right = 1 + big.recentCount;
    const body = 60 - 1 - 2 - 1 - 2 - 3 - 1;
    expect(left).toBe(body);
    expect(right).toBeLessThanOrEqual(body);
    expect(big.recentCount).toBe(Math.min(MAX_RECENT, body - 1));
    // A long list keeps the chart at 8 bars and scrolls.
    const long = at(200, 60, 200);
    expect(long.chartBars).toBe(8);
    expect(long.listHeight).toBe(body - 3 - 11);
    // Under 50 rows the chart has 4 to 8 bars.
    expect(at(130, 45, 3)).toMatchObject({ split: true, chartBeside: true, chartBars: 8 });
    expect(at(130, 34, 3)).toMatchObject({ split: true, chartBeside: true, chartBars: 8 });
    expect(at(130, 32, 20)).toMatchObject({ split: true, chartBeside: true, chartBars: 4 });
    // Under 32 rows there is no chart; the list gets the column.
    expect(at(130, 30, 3)).toMatchObject({ split: true, chartBeside: false });
  });

  it('drops the lower sections first on short terminals, never the header, and never overflows', () => {
    const lines = (l: ReturnType<typeof dashboardLayout>, alerts: number, burn: number): number =>
      2 +
      1 +
      (l.show.gauge ? 2 : 0) +
      (l.show.forecast ? 2 : 0) +
      (l.show.basis ? 1 : 0) +
      (l.show.burn ? burn : 0) +
      (l.show.alerts ? alerts : 0) +
      (l.show.list ? 2 + l.listHeight : 0) +
      (l.show.apart ? 1 : 0) +
      (l.recentCount > 0 ? l.recentCount + 1 : 0);
    for (let rows = 4; rows <= 30; rows++) {
      const l = dashboardLayout({ columns: 80, rows, alertLines: 1, noticeLines: 0, footerLines: 0, burnLines: 2 });
      expect(lines(l, 1, 2)).toBeLessThanOrEqual(rows - 1);
    }
    const at12 = dashboardLayout({
      columns: 80,
      rows: 12,
      alertLines: 0,
      noticeLines: 0,
      footerLines: 0,
      burnLines: 1,
    });
    expect(at12.show).toMatchObject({ gauge: true, list: true, forecast: true });
    expect(at12.recentCount).toBe(0);
    const at9 = dashboardLayout({ columns: 80, rows: 9, alertLines: 0, noticeLines: 0, footerLines: 0, burnLines: 1 });
    expect(at9.show).toMatchObject({ gauge: true, list: true, forecast: false, burn: false, apart: false });
    expect(at9.listHeight).toBe(1);
    const at5 = dashboardLayout({ columns: 80, rows: 5, alertLines: 0, noticeLines: 0, footerLines: 0, burnLines: 1 });
    expect(at5.show).toMatchObject({ gauge: false, list: false, forecast: false });
    const drill = drillLayout(8, 0);
    expect(drill).toEqual({ breadcrumb: true, totals: true, height: 1 });
    expect(drillLayout(5, 0)).toEqual({ breadcrumb: true, totals: false, height: 0 });
    expect(drillLayout(24, 1).height).toBe(24 - 1 - 2 - 1 - 1 - 1 - 1 - 1);
  });

  it('maps keys to actions from the keymap, and the footer fits 80 columns', () => {
    expect(actionFor('j', key())).toBe('down');
    expect(actionFor('', key({ downArrow: true }))).toBe('down');
    expect(actionFor('G', key({ shift: true }))).toBe('last');
    expect(actionFor('', key({ escape: true }))).toBe('back');
    expect(actionFor('', key({ delete: true }))).toBe('back');
    expect(actionFor('c', key({ ctrl: true }))).toBe('quit');
    expect(actionFor('c', key())).toBe('classFilter');
    expect(actionFor('', key({ tab: true }))).toBe('grouping');
    expect(actionFor('z', key())).toBeNull();
    expect(new Set(KEYMAP.map((b) => b.action)).size).toBe(KEYMAP.length);
    expect(footerText(80).length).toBeLessThanOrEqual(80);
    expect(footerText(80)).toContain('q quit');
    expect(footerText(200)).toContain('Esc back');
    // Below the top list Esc is the way back and Tab does nothing: Esc stays, Tab goes first.
    expect(footerText(80, true)).toContain('Esc back');
    expect(footerText(80, true)).not.toContain('Tab group');
    expect(footerText(80, true).length).toBeLessThanOrEqual(80);
  });

  it('draws bars, sparklines, windows and path tails', () => {
    expect(bar(0.5, 10)).toBe('█████     ');
    expect(bar(1.5, 4)).toBe('████');
    expect(bar(0.0625, 2)).toBe('▏ ');
    expect(sparkline([0, 1, 2, 4])).toBe('·▃▅█');
    expect(windowStart(0, 100, 10)).toBe(0);
    expect(windowStart(50, 100, 10)).toBe(45);
    expect(windowStart(99, 100, 10)).toBe(90);
    expect(tailPath('/home/user/projects/app', 10)).toBe('…jects/app');
    // A folder's name is not cut where a whole one still leaves most of the room.
    expect(tailPath('/home/runner/work/billing-api/billing-api', 34)).toBe('…/work/billing-api/billing-api');
    expect(tailPath('C:\\Users\\dev\\work\\api', 14)).toBe('…\\dev\\work\\api');
  });
});

describe('projected-use alerts wait for a settled forecast', () => {
  it('raise no projected alert from an unsettled forecast, and raise it once settled', () => {
    const status = {
      cycle: { credit: 100 },
      credit: { used: 5 },
      forecast: { cycleEndSpend: { p10: 60, p50: 120, p90: 300 } },
      unpriced: [],
    } as unknown as StatusReport;
    const early = updateAlerts(emptyAlerts(), status, 0, false);
    expect(early.alerts.projected).toBeNull();
    expect(early.newCrossings).toEqual([]);
    const settled = updateAlerts(early.alerts, status, 0, true);
    expect(settled.alerts.projected).toBe(100);
    expect(settled.newCrossings).toEqual(['projected:80', 'projected:90', 'projected:100']);
  });
});

describe('seats with their own credit', () => {
  const seat = (user: string, used: number, p50: number) => ({
    user,
    credit: 20,
    used,
    remaining: 20 - used,
    usedFraction: used / 20,
    forecast: { cycleEndSpend: { p10: p50, p50, p90: p50 }, exhaustionAt: null },
  });
  const status = {
    cycle: { credit: 240 },
    credit: { used: 60 },
    forecast: { cycleEndSpend: { p10: 100, p50: 120, p90: 150 } },
    unpriced: [],
    seats: [seat('u1@x.com', 19, 40), seat('u2@x.com', 18.5, 30), seat('new@x.com', 2, 25), seat('u4@x.com', 1, 2)],
  } as unknown as StatusReport;

  it('alert on the seat nearest its limit, and count the others past 80%, though the pool is far from it', () => {
    const settled = new Map([['new@x.com', false]]);
    const { alerts, newCrossings } = updateAlerts(emptyAlerts(), status, 0, true, settled);
    expect(alerts.used).toBeNull();
    expect(alerts.seat).toEqual({ user: 'u1@x.com', credit: 20, used: 90, projected: 100, others: 1 });
    expect(newCrossings).toContain('seat-used:90');
    expect(newCrossings).toContain('seat-projected:100');
    const lines = alertLines(alerts, status, 100);
    expect(lines).toEqual([
      { text: '▲ seat u1@x.com: 90% of its $20.00 used · projected 100% · +1 more seat past 80%', severe: true },
    ]);
    // Narrow: the name stays before the counts go.
    expect(alertLines(alerts, status, 40)[0]!.text).toBe('▲ seat u1@x.com: 90% of its $20.00 used');
    // The newcomer's projection (unsettled) raises nothing; once settled, it counts.
    const all = updateAlerts(emptyAlerts(), status, 0, true, new Map());
    expect(all.alerts.seat?.others).toBe(2);
  });

  it('keep the seat alert on one line when the name holds a line break', () => {
    const odd = { ...status, seats: [seat('new\nline@x.io', 19, 40)] } as unknown as StatusReport;
    const { alerts } = updateAlerts(emptyAlerts(), odd, 0, true, null);
    expect(alertLines(alerts, odd, 100)[0]!.text).toBe(
      '▲ seat new\\nline@x.io: 90% of its $20.00 used · projected 100%',
    );
  });

  it('list as many seats as the line holds, then +N more; a long name is shortened, never the figures', () => {
    const seats = (status as unknown as { seats: Parameters<typeof seatsLine>[0] }).seats;
    expect(seatsLine(seats)).toBe(
      'Seats: u1@x.com 95% of $20.00 · u2@x.com 93% of $20.00 · new@x.com 10% of $20.00 · u4@x.com 5.0% of $20.00',
    );
    expect(seatsLine(seats, 80)).toBe('Seats: u1@x.com 95% of $20.00 · u2@x.com 93% of $20.00 · +2 more');
    const long = [{ ...seats[0]!, user: 'christopher.alexander.longname@engineering.example-company.com' }, ...seats];
    const line = seatsLine(long, 60);
    expect(line).toMatch(/^Seats: christopher\.alex.*… 95% of \$20\.00 · \+4 more$/);
    expect(line.length).toBeLessThanOrEqual(60);
  });

  it('say nothing of seats when no seat reached 80%, or the seats are pooled', () => {
    const calm = { ...status, seats: [seat('u4@x.com', 1, 2)] } as unknown as StatusReport;
    expect(updateAlerts(emptyAlerts(), calm, 0, true, null).alerts.seat).toBeNull();
    const pooled = { ...status, seats: undefined } as unknown as StatusReport;
    expect(updateAlerts(emptyAlerts(), pooled, 0, true, null).alerts.seat).toBeNull();
  });
});

describe('the forecast band', () => {
  const band = (p10: number, p50: number, p90: number, credit: number, width: number): string =>
    bandSegments(
      { cycle: { credit }, forecast: { cycleEndSpend: { p10, p50, p90 } } } as unknown as StatusReport,
      credit,
      width,
    )
      .map((s) => s.text)
      .join('');

  it('always shows the P50 dot: past the edge it is the ► itself, in the last cell it stays a dot', () => {
    // P50 just under the credit, in the last cell, P90 past it (the credit is the scale): the dot
    // in the cell before, the ► at the edge.
    expect(band(15, 20.33, 30, 20.6, 40)).toMatch(/━●►$/);
    expect(band(15, 19.58, 30, 20, 40)).toMatch(/━●►$/);
    // P90 within the credit too: the dot in the last cell, nothing past it.
    expect(band(15, 19.9, 19.95, 20, 40)).toMatch(/━●$/);
    // P50 inside, P90 past the edge: the dot in its cell and ► at the edge.
    expect(band(10, 16, 30, 20, 40)).toMatch(/^·+━+●━+►$/);
    // P50 past the edge too: the ► says so (red in colour).
    expect(band(15, 25, 30, 20, 40)).toMatch(/^·+━+►$/);
    for (let p50 = 0; p50 <= 20.6; p50 += 0.01) {
      expect(band(0, p50, 30, 20.6, 40), String(p50)).toContain('●');
      expect(band(0, p50, 30, 20.6, 40), String(p50)).toMatch(/►$/);
    }
  });
});

describe('when the credit runs out', () => {
  it('reads P10 as the early moment and P90 as the late one (null: lasts the cycle)', () => {
    const status = (p10: string | null, p50: string | null, p90: string | null): StatusReport =>
      ({
        cycle: { timezone: 'UTC' },
        credit: { exhaustedAt: null },
        forecast: { exhaustionAt: { p10, p50, p90 } },
      }) as unknown as StatusReport;
    expect(runsOutText(status('2026-11-26T00:30:00Z', '2026-11-28T14:00:00Z', '2026-11-30T09:00:00Z'))).toBe(
      'runs out Nov 28 14:00 (Nov 26 00:30 – Nov 30 09:00)',
    );
    expect(runsOutText(status('2026-11-26T00:30:00Z', '2026-11-28T14:00:00Z', null))).toBe(
      'runs out Nov 28 14:00 (Nov 26 00:30 – lasts the cycle)',
    );
    expect(runsOutText(status('2026-11-26T00:30:00Z', null, null))).toBe(
      'lasts the cycle (the busiest 10% run out Nov 26 00:30)',
    );
  });

  it('keeps when it runs out before the band on a narrow line', () => {
    const status = (p50: string | null): StatusReport =>
      ({
        cycle: { timezone: 'UTC' },
        credit: { exhaustedAt: null },
        forecast: {
          cycleEndSpend: { p10: 0, p50: 48.26, p90: 97.38 },
          exhaustionAt: { p10: p50, p50, p90: null },
        },
      }) as unknown as StatusReport;
    const out = status('2026-12-30T14:00:00Z');
    expect(forecastText(out, 'overage $0.00', 120)).toBe(
      'cycle end P50 $48.26 (P10 $0.00 – P90 $97.38) · runs out Dec 30 14:00 (Dec 30 14:00 – lasts the cycle) · overage $0.00',
    );
    expect(forecastText(out, 'overage $0.00', 60)).toBe('cycle end P50 $48.26 · runs out Dec 30 14:00');
    expect(forecastText(out, 'overage $0.00', 40)).toBe('P50 $48.26 · runs out Dec 30 14:00');
    // Overage billed as usage credits outranks when the credit runs out, and then the band.
    const billed = {
      ...out,
      credit: { exhaustedAt: null, usageCredits: true },
      forecast: { ...out.forecast, projectedOverage: { p10: 24.8, p50: 50, p90: 50 } },
    } as unknown as StatusReport;
    expect(forecastText(billed, 'overage P50 $50.00', 80)).toBe(
      'cycle end P50 $48.26 (P10 $0.00 – P90 $97.38) · overage P50 $50.00',
    );
    expect(forecastText(billed, 'overage P50 $50.00', 50)).toBe('cycle end P50 $48.26 · overage P50 $50.00');
    // Lasting the cycle, the band stays and the rest goes.
    expect(forecastText(status(null), 'overage $0.00', 60)).toBe('cycle end P50 $48.26 (P10 $0.00 – P90 $97.38)');
  });
});

describe('today line', () => {
  it("shows today and yesterday, and Claude Code's own limits with their age only when they fit whole", async () => {
    const { todayLine } = await import('../../src/ui/components/Burn.js');
    const official = {
      fiveHour: { usedPercentage: 42.4, resetsAt: null, seenAt: 1_000_000 },
      sevenDay: { usedPercentage: 18.5, resetsAt: null, seenAt: 1_000_000 },
      sessions: {},
    };
    const days = { today: 4.1, yesterday: 12 };
    const now = 1_000_000 + 3 * 60_000;
    expect(todayLine(days, official, now, 120)).toBe(
      'Today     $4.10 today · $12.00 yesterday · Claude Code limits 5h 42% · 7d 19% (3 min ago)',
    );
    expect(todayLine(days, official, now, 80)).toBe(
      'Today     $4.10 today · $12.00 yesterday · limits 5h 42% · 7d 19%',
    );
    expect(todayLine(days, official, now, 50)).toBe('Today     $4.10 today · $12.00 yesterday');
    expect(todayLine(days, null, now, 200)).toBe('Today     $4.10 today · $12.00 yesterday');
  });

  it('names when each window resets, and leaves out one whose reset has passed', async () => {
    const { todayLine } = await import('../../src/ui/components/Burn.js');
    const now = Date.parse('2026-12-07T12:00:00Z');
    const official = {
      fiveHour: { usedPercentage: 97, resetsAt: Date.parse('2026-12-07T14:05:00Z'), seenAt: now - 60_000 },
      sevenDay: { usedPercentage: 18, resetsAt: Date.parse('2026-12-09T09:00:00Z'), seenAt: now - 60_000 },
      sessions: {},
    };
    const days = { today: 4.1, yesterday: 12 };
    expect(todayLine(days, official, now, 120, 'Europe/Berlin')).toBe(
      'Today     $4.10 today · $12.00 yesterday · Claude Code limits 5h 97% to 15:05 · 7d 18% to Dec 9 (1 min ago)',
    );
    expect(todayLine(days, official, now, 100, 'Europe/Berlin')).toBe(
      'Today     $4.10 today · $12.00 yesterday · Claude Code limits 5h 97% · 7d 18% (1 min ago)',
    );
    // Three hours later the 5-hour window has reset: its 97% no longer holds.
    expect(todayLine(days, official, now + 3 * 3_600_000, 120, 'Europe/Berlin')).toBe(
      'Today     $4.10 today · $12.00 yesterday · Claude Code limits 7d 18% to Dec 9 (3 h ago)',
    );
  });
});

describe('daily chart', () => {
  it('draws bars on an amount axis with day labels, growing with the width, and fits the width', async () => {
    const { dailyChartLines } = await import('../../src/ui/components/DailyChart.js');
    const daily = Array.from({ length: 30 }, (_, i) => ({
      day: `2026-11-${String(i + 1).padStart(2, '0')}`,
      cost: i % 7 === 0 ? 12 : i < 10 ? 3 : 0,
    }));
    const narrow = dailyChartLines(daily, 80, 4, 'Daily programmatic spend');
    expect(narrow).toHaveLength(1 + 4 + 1);
    expect(narrow[0]).toBe('Daily programmatic spend');
    expect(narrow[1]).toMatch(/^ +\$12\.00 ┤/);
    expect(narrow[4]).toMatch(/^ +\$0 ┤/);
    expect(narrow[5]).toMatch(/^ +1 +/);
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(80);
    const wide = dailyChartLines(daily, 200, 8, 'Daily programmatic spend');
    expect(wide).toHaveLength(1 + 8 + 1);
    expect(Math.max(...wide.map((l) => l.length))).toBeGreaterThan(Math.max(...narrow.map((l) => l.length)));
    // The Monday-like peaks reach the top row; empty days stay blank.
    expect(wide[1]).toContain('█');
  });
});

describe('mixed-class rows', () => {
  it('say which classes their cost comes from, and split the bar by class in class order', async () => {
    const { classTag, classBar } = await import('../../src/ui/components/RowTable.js');
    expect(classTag({ programmatic: 3, interactive: 1, unknown: 0 })).toBe('prog+int');
    expect(classTag({ programmatic: 0, interactive: 0, unknown: 2 })).toBe('unk');
    // Unpriced requests have no cost: their classes come from the requests.
    expect(
      classTag({ programmatic: 0, interactive: 0, unknown: 0 }, { programmatic: 2, interactive: 1, unknown: 0 }),
    ).toBe('prog+int');
    const parts = classBar({ programmatic: 6, interactive: 2, unknown: 0 }, 8, 20);
    expect(parts.map((p) => [p.text.length, p.tone])).toEqual([
      [15, 'cyan'],
      [5, 'magenta'],
      [0, undefined],
    ]);
    expect(parts.reduce((n, p) => n + p.text.length, 0)).toBe(20);
  });
});

describe('footer notices', () => {
  const refusals =
    '3 HTTP requests refused so far: 2 with a missing or wrong token (401), 1 with a path other than /v1/logs (404, first /); set OTEL_EXPORTER_OTLP_ENDPOINT to the address alone, the exporter adds /v1/logs';
  it('fit three lines by losing asides and the last clauses, never a word', () => {
    for (const width of [40, 60, 80, 100]) {
      const lines = noticeTextLines(refusals, width);
      expect(lines.length).toBeLessThanOrEqual(3);
      for (const l of lines) {
        expect(l.length).toBeLessThanOrEqual(width);
        expect(l.endsWith('…'), `${width}: ${l}`).toBe(false);
      }
      expect(lines.join(' ')).toContain('refused so far: 2 with a missing or wrong token');
      expect(lines.join(' ')).toMatch(/^3 HTTP requests refused/);
    }
    // A plural's (s) is part of its word, not an aside (an aside follows a space).
    expect(
      noticeTextLines('2 file(s) could not be read (e.g. /tmp/a/b/c.jsonl); their requests are kept', 40)[0],
    ).toMatch(/^2 file\(s\) could not be read/);
    // Room for all of it: nothing goes.
    const whole = noticeTextLines(refusals, 200);
    expect(whole.join('').replace(/\s/g, '')).toBe(refusals.replace(/\s/g, ''));
  });
});

describe('session rows on a narrow list', () => {
  it('keep their short ids, the project going first (every row of a project has the same)', () => {
    const row = (key: string): ViewRow => ({ key, label: key, cost: 1, requests: 3 }) as unknown as ViewRow;
    const info = new Map(
      ['183a2090-aaaa', '751a7aaf-bbbb'].map((id) => [
        id,
        {
          sessionId: id,
          project: '/work/pr-reviewer',
          branch: 'HEAD',
          firstTs: Date.UTC(2026, 11, 2, 14, 11),
          entrypoint: 'sdk-cli',
        },
      ]),
    );
    const rows = labelSessions([row('183a2090-aaaa'), row('751a7aaf-bbbb')], info, 'UTC');
    expect(rows.map((r) => fitFields(r.labelFields!, 14))).toEqual(['183a2090', '751a7aaf']);
    expect(rows.map((r) => fitFields(r.labelFields!, 24))).toEqual([
      'pr-reviewer · 183a2090',
      'pr-reviewer · 751a7aaf',
    ]);
    expect(rows[0]!.label).toBe('pr-reviewer · HEAD · Dec 2 14:11 · sdk-cli · 3 req · 183a2090');
    // Drilled into, the breadcrumb keeps no request count: it would go stale as requests arrive.
    const drilled = nav.drillInto({ ...nav.initialNav(), grouping: 'session' }, rows);
    expect(drilled.drill[0]!.label).toBe('pr-reviewer · HEAD · Dec 2 14:11 · sdk-cli · 183a2090');
    // A long project name is shortened before it goes.
    const long = '/srv/a-very-long-project-name-for-the-customer-analytics-pipeline-service';
    const longInfo = new Map([...info].map(([id, x]) => [id, { ...x, project: long }]));
    const longRows = labelSessions([row('183a2090-aaaa')], longInfo, 'UTC');
    expect(fitFields(longRows[0]!.labelFields!, 50)).toBe('a-very-long-project-name-for-th… · 183a2090');
    expect(fitFields(longRows[0]!.labelFields!, 30)).toBe('a-very-long-pro… · 183a2090');
  });
});

describe('the credit gauge past 100%', () => {
  it('marks 100% with ┃ inside the bar, and its legend says so', () => {
    const status = {
      cycle: { credit: 20, elapsedFraction: 0.5 },
      credit: { used: 25, remaining: 0, overage: 5, usedFraction: 1.25 },
    } as unknown as StatusReport;
    const text = gaugeSegments(status, 25, 50)
      .map((s) => s.text)
      .join('');
    expect(text).toHaveLength(50);
    expect(text.indexOf('┃')).toBe(40);
    expect(text.slice(41)).toMatch(/^▓+$/);
    expect(gaugeText(status, false)).toContain('┃ 100% of the credit');
    expect(gaugeText({ ...status, credit: { ...status.credit, used: 10 } } as StatusReport, false)).toContain(
      'right edge = 100% of the credit',
    );
  });
});

describe("a cycle's days in the header", () => {
  const at = (iso: string): number => Date.parse(iso);
  it('names the year only when the cycle is not in the year of now', () => {
    const now = at('2026-12-06T12:00:00Z');
    expect(cycleDays(at('2026-11-01T00:00:00Z'), at('2026-11-30T23:59:59Z'), now, 'UTC')).toBe('Nov 1 – Nov 30');
    expect(cycleDays(at('2023-07-01T00:00:00Z'), at('2023-07-31T23:59:59Z'), now, 'UTC')).toBe('Jul 1 – Jul 31 2023');
    expect(cycleDays(at('2026-12-15T00:00:00Z'), at('2027-01-14T23:59:59Z'), now, 'UTC')).toBe(
      'Dec 15 2026 – Jan 14 2027',
    );
    // The zone decides the day and so the year.
    expect(cycleDays(at('2027-01-01T03:00:00Z'), at('2027-01-31T03:00:00Z'), now, 'America/New_York')).toBe(
      'Dec 31 2026 – Jan 30 2027',
    );
  });
});

describe('the request detail', () => {
  const request = (attribution?: StoredRequest['attribution']): StoredRequest =>
    storedRequest({ origin: 'otel', ...(attribution === undefined ? {} : { attribution }) });

  it('shows in the recent requests the repository of a request that came without a project', () => {
    const attribution = {
      user: null,
      repo: 'acme/api',
      workflow: null,
      runId: null,
      host: null,
      agentName: null,
      skill: null,
      ccCost: null,
    };
    expect(whereFrom(request(attribution))).toBe('acme/api');
    expect(whereFrom({ ...request(attribution), project: '/srv/agents/triage' })).toBe('/srv/agents/triage');
    expect(whereFrom(request())).toBe('-');
  });

  it('writes the parts of a request and its cost to one precision, so they add up as shown', () => {
    // 374 input, 364 output, 190,775 cache read, 4,000 5-minute and 1,000 1-hour writes of Sonnet.
    const parts = [0.001122, 0.00546, 0.0572325, 0.015, 0.006, 0];
    const total = parts.reduce((a, b) => a + b, 0);
    const money = detailMoney(total);
    expect(apportion(parts, total, detailDecimals(total)).map(money)).toEqual([
      '$0.0011',
      '$0.0055',
      '$0.0572',
      '$0.0150',
      '$0.0060',
      '$0.0000',
    ]);
    expect(money(total)).toBe('$0.0848');
    // A tie (0.75015) rounds alike in the total and in the parts that add up to it.
    const tie = apportion([0.75, 0.00015], 0.75015, detailDecimals(0.75015)).map(detailMoney(0.75015));
    const tieTotal = detailMoney(0.75015)(0.75015);
    expect(tie.reduce((a, p) => a + Number(p.slice(1)), 0).toFixed(4)).toBe(tieTotal.slice(1));
    // Cents from a dollar; two significant digits of a request under a hundredth of a cent.
    expect([1.94, 0.7434705, 0.000028, 0].map((t) => detailMoney(t)(t))).toEqual([
      '$1.94',
      '$0.7435',
      '$0.000028',
      '$0.00',
    ]);
    // Whatever the parts, those shown add up to the total shown.
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) ** 3;
    for (let i = 0; i < 2000; i++) {
      const ps = Array.from({ length: 6 }, () => (rand() < 0.3 ? 0 : rand() * (i % 3 === 0 ? 5 : 0.2)));
      const t = ps.reduce((a, b) => a + b, 0);
      const d = detailDecimals(t);
      const unit = 10 ** d;
      const shown = apportion(ps, t, d);
      expect(Math.round(shown.reduce((a, b) => a + b, 0) * unit)).toBe(Math.round(t * unit));
      shown.forEach((v, k) => expect(Math.abs(v - ps[k]!), String(ps)).toBeLessThan(1 / unit + 1e-12));
    }
  });

  it("names who and what ran a request from telemetry, and Claude Code's own estimate", () => {
    const rows = new Map(
      detailRows(
        {
          request: request({
            user: 'dev@example.com',
            repo: 'acme/api',
            workflow: 'nightly',
            runId: '42',
            host: 'runner-1',
            agentName: null,
            skill: null,
            ccCost: 0.49,
          }),
          breakdown: null,
        },
        'UTC',
      ).map(([label, value]) => [label, value]),
    );
    expect([rows.get('User'), rows.get('Repository'), rows.get('Workflow'), rows.get('Run'), rows.get('Host')]).toEqual(
      ['dev@example.com', 'acme/api', 'nightly', '42', 'runner-1'],
    );
    expect(rows.has('Agent')).toBe(false);
    expect(rows.get('CC estimate')).toBe("$0.4900 (Claude Code's own)");
    // A transcript's request names none of them.
    const plain = new Map(detailRows({ request: request(), breakdown: null }, 'UTC').map(([k, v]) => [k, v]));
    expect(['User', 'Repository', 'Workflow', 'CC estimate'].some((k) => plain.has(k))).toBe(false);
  });
});

describe('the breadcrumb and the request list in a narrow pane', () => {
  it('drops whole steps from the left, never cuts one in a word, and shows control characters as text', () => {
    const drill = [
      { level: 'project' as const, key: '/srv/agents/release-notes', label: '/srv/agents/release-notes' },
      { level: 'branch' as const, key: 'HEAD', label: 'HEAD' },
      { level: 'session' as const, key: 's', label: 'release-notes · HEAD · Dec 4 14:16 · sdk-cli · 5dcee21e' },
    ];
    expect(breadcrumbFit(drill, 'request', 200)).toBe(
      'all › project /srv/agents/release-notes › branch HEAD › session release-notes · HEAD · Dec 4 14:16 · sdk-cli · 5dcee21e › requests',
    );
    expect(breadcrumbFit(drill, 'request', 95)).toBe(
      '… › branch HEAD › session release-notes · HEAD · Dec 4 14:16 · sdk-cli · 5dcee21e › requests',
    );
    expect(breadcrumbFit(drill, 'request', 80)).toBe(
      '… › session release-notes · HEAD · Dec 4 14:16 · sdk-cli · 5dcee21e › requests',
    );
    expect(breadcrumbFit(drill, 'request', 60).length).toBeLessThanOrEqual(60);
    // A session step too long alone: its fields go whole (entrypoint, time, ...), its id stays.
    expect(breadcrumbFit(drill, 'request', 60)).toBe('… › session release-notes · HEAD · 5dcee21e › requests');
    expect(breadcrumbFit(drill, 'request', 50)).toBe('… › session release-notes · 5dcee21e › requests');
    const deep = [
      { level: 'project' as const, key: 'p', label: '/home/sam/src/spotter-worktrees/bd785' },
      {
        level: 'session' as const,
        key: 's',
        label: '/home/sam/src/spotter-worktrees/bd785 · Dec 1 06:48 · claude-code-github-action · 4340a5a3',
      },
    ];
    expect(breadcrumbFit(deep, 'request', 80)).toBe(
      '… › session /home/sam/src/spotter-worktrees/bd785 · 4340a5a3 › requests',
    );
    expect(breadcrumbFit(deep, 'request', 45)).toBe('… › session …/bd785 · 4340a5a3 › requests');
    expect(breadcrumbFit(deep, 'request', 34)).toBe('… › session 4340a5a3 › requests');
    // A step of one field: whole words go from the left, not letters.
    const model = [{ level: 'model' as const, key: 'm', label: 'claude-sonnet-5-5' }];
    expect(breadcrumbFit(model, 'project', 34)).toBe('… claude-sonnet-5-5 › projects');
    // Too narrow for the name's last word: cut where it must be, the name's end kept.
    expect(breadcrumbFit(model, 'project', 20)).toBe('…nnet-5-5 › projects');
    const evil = [{ level: 'project' as const, key: 'x', label: '/work/\u001b[2Jx' }];
    expect(breadcrumbFit(evil, 'session', 80)).not.toContain('\u001b');
  });
});

describe("a request detail's long names on a narrow pane", () => {
  it('break after a separator where one falls on the line, else where the line is full', () => {
    expect(wrapAtSeparators('/home/kim/src/ingest-worker', 18)).toEqual(['/home/kim/src/', 'ingest-worker']);
    // A separator early in the line is no place to break: the line is filled.
    expect(wrapAtSeparators('req_011CLmLE4pVU27fu3JCRBnaH', 18)).toEqual(['req_011CLmLE4pVU27', 'fu3JCRBnaH']);
    // At its separators when that takes no more lines than filling them.
    expect(wrapAtSeparators('48ac578e-ff97-4915-a3c7-75da2aacfb00', 18)).toEqual([
      '48ac578e-ff97-4915',
      '-a3c7-75da2aacfb00',
    ]);
    expect(wrapAtSeparators('48ac578e-ff97-4915-a3c7-75da2aacfb00', 24)).toEqual([
      '48ac578e-ff97-4915-a3c7-',
      '75da2aacfb00',
    ]);
    expect(wrapAtSeparators('a👍🏽b👍🏽c', 5)).toEqual(['a👍🏽', 'b👍🏽', 'c']);
    expect(wrapAtSeparators('short', 18)).toEqual(['short']);
    const rows = wrapNames([['Project', '/home/kim/src/ingest-worker']], 18);
    expect(rows).toEqual([
      ['Project', '/home/kim/src/'],
      ['', 'ingest-worker'],
    ]);
  });
});
