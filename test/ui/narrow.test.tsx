/** Narrow panes: columns go and names shorten before anything is cut; the cost always shows. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardStore, type DashboardStore } from '../../src/state/app-store.js';
import { createDbSource } from '../../src/state/data-source.js';
import { buildFixture, fixtureStore, NOW_MS, type Fixture } from './fixture.js';
import { KEYS, renderApp, renderPinned, type Rendered } from './render.js';
import { RowTable } from '../../src/ui/components/RowTable.js';
import type { Level, ViewRow } from '../../src/state/types.js';
import type { StoredRequest } from '../../src/domain/types.js';
import { storedRequest } from './stored-request.js';
import { shortModel } from '../../src/ui/text.js';
import { labelSessions } from '../../src/state/load-view.js';
import { sparkTo } from '../../src/ui/components/Burn.js';
import { plural } from '../../src/ui/components/Breadcrumb.js';
import { RequestTable, requestColumns } from '../../src/ui/components/RequestTable.js';
import { RecentRequests } from '../../src/ui/components/RecentRequests.js';
import { apartText, chargeNote, listTitle } from '../../src/ui/components/ModelBars.js';
import type { StatusReport } from '../../src/domain/status-types.js';

let fx: Fixture;
let store: DashboardStore;
let ui: Rendered | null = null;

beforeEach(async () => {
  fx = await buildFixture();
  store = fixtureStore(fx);
});
afterEach(() => {
  ui?.unmount();
  ui = null;
  store.getState().actions.dispose();
  fx.close();
});

describe('narrow names and lines', () => {
  it('names a model short without claude- and its date', () => {
    expect(shortModel('claude-haiku-4-5-20251001')).toBe('haiku-4-5');
    expect(shortModel('claude-3-5-sonnet-20241022')).toBe('3-5-sonnet');
    expect(shortModel('gpt-x')).toBe('gpt-x');
  });

  it('fits the sparkline by dropping the days ahead first, then the oldest, never with an ellipsis', () => {
    expect(sparkTo('█▆▂·····', 8)).toBe('█▆▂·····');
    expect(sparkTo('█▆▂·····', 5)).toBe('█▆▂··');
    expect(sparkTo('█▆▂·····', 3)).toBe('█▆▂');
    expect(sparkTo('█▆▂▅····', 2)).toBe('▂▅');
  });

  it('says interactive and unknown spend is not charged as long as it fits, and never ends on a colon', () => {
    const status = {
      programmatic: { cost: 16.71, requests: 255 },
      interactive: { cost: 13.73, requests: 100 },
      unknown: { cost: 0.52, requests: 10 },
      credit: { used: 16.71 },
    } as unknown as StatusReport;
    expect(apartText(status, 79)).toBe('Interactive $13.73 · unknown $0.52: API-equivalent, not charged to the credit');
    expect(apartText(status, 50)).toBe('Interactive $13.73 · unknown $0.52: not charged');
    expect(apartText(status, 39)).toBe('int $13.73 · unk $0.52: not charged');
    expect(apartText(status, 34)).toBe('Interactive $13.73 · unknown $0.52');
    expect(apartText(status, 30)).toBe('int $13.73 · unk $0.52');
    // With countUnknown, unknown spend is in the gauge: the line says so, never "not charged" of it.
    const counted = { ...status, credit: { used: 17.23 } } as unknown as StatusReport;
    expect(apartText(counted, 200)).toBe(
      'Interactive $13.73 (100 req): API-equivalent value, not charged to the credit · unknown $0.52: counted (countUnknown)',
    );
    expect(apartText(counted, 79)).toBe('Interactive $13.73: not charged · unknown $0.52: counted');
    expect(apartText(counted, 50)).toBe('int $13.73: not charged · unk $0.52: counted');
    expect(apartText(counted, 30)).toBe('int $13.73 · unk $0.52 counted');
  });

  it('says what each class filter means for the credit, with or without countUnknown', () => {
    expect(listTitle('model', 'programmatic')).toBe('By model · Programmatic spend (counts against the credit)');
    expect(listTitle('model', 'interactive')).toBe(
      'By model · Interactive spend: API-equivalent value, not charged to the credit',
    );
    expect(listTitle('project', 'unknown')).toBe(
      'By project · Unknown-class spend: API-equivalent value, not charged to the credit',
    );
    expect(listTitle('model', 'unknown', true)).toBe(
      'By model · Unknown-class spend (counted against the credit by countUnknown)',
    );
    expect(listTitle('model', 'all')).toBe('By model · All spend (only programmatic counts against the credit)');
    expect(listTitle('model', 'all', true)).toBe(
      'By model · All spend (programmatic and unknown count against the credit)',
    );
    // A drill level's totals line: "all" is never said to be uncharged as a whole.
    expect(chargeNote('all', false)).toBe('only programmatic counts against the credit');
    expect(chargeNote('interactive', true)).toBe('API-equivalent value, not charged to the credit');
    // With countUnknown the programmatic list is not all the gauge holds: its title says so.
    expect(listTitle('model', 'programmatic', true)).toBe(
      'By model · Programmatic spend (counts against the credit, as unknown does)',
    );
    expect(listTitle('model', 'programmatic')).toBe('By model · Programmatic spend (counts against the credit)');
  });

  it('keeps time, model and cost in a request table down to 34 columns', () => {
    for (const width of [34, 40, 47, 48, 80]) {
      const cols = requestColumns(width);
      expect(cols.map((c) => c.head).filter((h) => ['time', 'model', 'cost'].includes(h))).toEqual([
        'time',
        'model',
        'cost',
      ]);
      expect(2 + cols.reduce((s, c) => s + c.width + 1, 0)).toBeLessThanOrEqual(width);
    }
  });
});

describe('the request table', () => {
  const request = (i: number): ViewRow =>
    ({
      key: `r${i}`,
      label: `r${i}`,
      cost: 0.05,
      requests: 1,
      request: {
        ts: NOW_MS - i * 60_000,
        model: 'claude-opus-4-7',
        entrypoint: 'sdk-cli',
        class: 'programmatic',
        usage: { input: 10, output: 20, cacheRead: 30, cacheWrite5m: 3_000, cacheWrite1h: 400 },
        cost: 0.05,
      },
    }) as unknown as ViewRow;

  it('shows both cache writes in one column when only one of theirs would fit, never one alone', () => {
    const heads = (w: number): string[] => requestColumns(w).map((c) => c.head);
    let combined = 0;
    for (let width = 34; width <= 200; width++) {
      const h = heads(width);
      expect(h.includes('c.w5m'), `${width}: ${h.join(' ')}`).toBe(h.includes('c.w1h'));
      if (h.includes('c.write')) combined++;
    }
    expect(combined).toBeGreaterThan(0);
    expect(heads(200)).toEqual(expect.arrayContaining(['c.w5m', 'c.w1h']));
    const width = [...Array(167).keys()].map((i) => i + 34).find((w) => heads(w).includes('c.write'))!;
    const col = requestColumns(width).find((c) => c.head === 'c.write')!;
    expect(col.value(request(0).request!, 'UTC')).toBe('3.4k');
  });

  it('widens the cost column to the widest cost, in a wide pane and a narrow one: none is cut', () => {
    // A request of 1 input and 1 output token of haiku-5-5: $0.00000060, 11 columns.
    const wide = requestColumns(200, 11).find((c) => c.head === 'cost')!;
    const narrow = requestColumns(40, 11).find((c) => c.head === 'cost')!;
    expect([wide.width, narrow.width]).toEqual([11, 11]);
    expect(requestColumns(200, 6).find((c) => c.head === 'cost')!.width).toBe(10);
  });

  it('gives the model the room a short cost leaves in a narrow pane: no name cut beside empty columns', async () => {
    const sonnet = (i: number): ViewRow => {
      const r = request(i);
      return { ...r, request: { ...r.request!, model: 'claude-sonnet-4-6', cost: 0.75 } } as ViewRow;
    };
    for (const width of [34, 35, 36, 40, 47]) {
      ui = await renderPinned(
        <RequestTable rows={[sonnet(0), sonnet(1)]} selected={0} height={10} width={width} tz="UTC" />,
        width,
        12,
      );
      const rows = ui.lines().slice(1, 3);
      ui.unmount();
      for (const row of rows) {
        expect(row, `${width}`).toMatch(/sonnet-4-6\s+\$0\.75$/);
        expect(row.length).toBeLessThanOrEqual(width);
        expect(row).not.toContain('…');
      }
    }
  });

  it('ends a list longer than its room with how many rows are below, and the end when none is', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => request(i));
    const draw = (selected: number) => (
      <RequestTable rows={rows} selected={selected} height={10} width={100} tz="UTC" />
    );
    ui = await renderPinned(draw(0), 100, 20);
    let lines = ui.lines();
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toMatch(/^ {2}\+21 more \(1–9 of 30; ↑↓ scroll, \/ filters\)$/);
    ui.unmount();
    ui = await renderPinned(draw(29), 100, 20);
    lines = ui.lines();
    expect(lines.at(-1)).toMatch(/^ {2}end of list \(22–30 of 30; ↑↓ scroll, \/ filters\)$/);
  });
});

describe('the dashboard in a 40-column pane', () => {
  it('drills to requests with their cost, and every line is whole', async () => {
    ui = await renderApp(store, 40, 24);
    const whole = (): void => {
      for (const line of ui!.lines()) {
        expect(line.length).toBeLessThanOrEqual(40);
        expect(line.trimEnd().endsWith('…'), `cut: ${line}`).toBe(false);
      }
    };
    whole();
    // claude-sonnet-4-6 does not fit 16 columns: every model of the list takes its short name.
    expect(ui.frame()).toMatch(/^▸ opus-4-7 +█+ +\$[\d,.]+ /m);
    expect(ui.frame()).toMatch(/^  sonnet-4-6 +[█▊▌▎▏▍▋▉]* +\$[\d,.]+ /m);
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    await ui.press(KEYS.enter);
    const f = await ui.waitFor((fr) => /time +model +cost/.test(fr));
    expect(f).toMatch(/▸ \w{3} \d+ \d\d:\d\d +opus-4-7 +\$\d/);
    whole();
  });
});

describe('a cycle far past its credit', () => {
  it('shows the percentage whole past 999%, the gauge and the forecast band one length, at 80 and 200 columns', async () => {
    store.getState().actions.dispose();
    // Usage credits on: the cycle goes on, thousands of percent past a credit of one cent.
    const plan = { ...fx.ctx.config.plan, credit: 0.01, usageCredits: true };
    store = createDashboardStore({ source: createDbSource(fx.ctx.db, plan, fx.ctx.prices.version), now: () => NOW_MS });
    for (const columns of [80, 200]) {
      ui = await renderApp(store, columns, 24);
      const f = await ui.waitFor((fr) => /^Forecast +\S/m.test(fr));
      const gauge = f.split('\n').find((l) => l.startsWith('Credit'))!;
      const band = f.split('\n').find((l) => l.startsWith('Forecast'))!;
      const pct = /(\d[\d,]*)%$/.exec(gauge.trimEnd());
      expect(pct, gauge).not.toBeNull();
      expect(Number(pct![1]!.replace(/,/g, ''))).toBeGreaterThan(999);
      expect(gauge.length).toBeLessThanOrEqual(columns);
      expect(gauge).not.toContain('…');
      // The band's cells stand under the gauge's: the bar before the percentage is as long as the band.
      expect(band.trimEnd().length).toBe(gauge.trimEnd().length - pct![0].length - 1);
      ui.unmount();
      ui = null;
    }
  });
});

describe('a list of large figures', () => {
  it("widens the cost and request columns for a team's figures: a space before each, nothing cut", async () => {
    const row = (key: string, cost: number, requests: number, unpriced: number): ViewRow => ({
      key,
      label: key,
      cost,
      share: cost / 13_575.21,
      requests,
      tokens: requests * 60_000,
      unpricedRequests: unpriced,
    });
    const rows = [
      row('claude-opus-5-5', 12_345.67, 1_234_567, 3),
      row('claude-sonnet-5-5', 1_017.54, 23_108, 0),
      row('claude-haiku-4-5', 212, 5_864, 0),
    ];
    for (const width of [80, 200]) {
      const ui = await renderPinned(
        <RowTable rows={rows} level="model" selected={0} height={5} width={width} />,
        width,
        10,
      );
      const lines = ui.lines();
      ui.unmount();
      expect(lines[0]).toMatch(/ cost +share +reqs +tokens$/);
      expect(lines[1]).toMatch(/█ \$12,345\.67\? +91% 1,234,567 +74\.1B$/);
      expect(lines[2]).toMatch(/ \$1,017\.54  +7\.5% +23,108 +1\.4B$/);
      for (const line of lines) {
        expect(line.length).toBeLessThanOrEqual(width);
        expect(line).not.toContain('…');
      }
      // One column for every row: the costs end where the header's "cost" ends.
      const end = lines[0]!.indexOf('cost') + 4;
      expect(lines[1]![end - 1]).toBe('?');
      expect(lines[2]![end - 2]).toBe('4');
    }
  });
});

/** The lines of a row table of `rows` at `width` columns (five rows high). */
async function tableLines(rows: ViewRow[], level: Level, width: number): Promise<string[]> {
  const ui = await renderPinned(
    <RowTable rows={rows} level={level} selected={0} height={5} width={width} />,
    width,
    10,
  );
  const lines = ui.lines();
  ui.unmount();
  return lines;
}

describe('session rows in one list', () => {
  it('drop the same fields down the list, so their names line up', async () => {
    const info = new Map(
      [
        ['44444444-aaaa', '/home/u/proj-gamma-with-a-much-longer-name'],
        ['11111111-bbbb', '/home/u/proj-alpha-also-rather-long-here'],
        ['33333333-cccc', '/home/u/beta'],
      ].map(([id, project]) => [
        id!,
        { sessionId: id!, project: project!, branch: null, firstTs: Date.UTC(2026, 11, 2, 6, 18), entrypoint: null },
      ]),
    );
    const base = (key: string): ViewRow =>
      ({ key, label: key, cost: 1, share: 0.3, requests: 3, tokens: 1000, unpricedRequests: 0 }) as ViewRow;
    const rows = labelSessions([...info.keys()].map(base), info, 'UTC');
    const lines = await tableLines(rows, 'session', 80);
    const names = lines.slice(1, 4);
    // The start time fits beside "beta" but not beside the long names: no row shows it.
    expect(names.join('\n')).not.toContain('Dec 2 06:18');
    expect(names.every((l) => / · \d{8} /.test(l))).toBe(true);
  });
});

describe('a model with a long unknown name', () => {
  it('drops tokens, then requests, then share before its name is cut', async () => {
    const long = 'claude-some-unknown-model-with-a-very-long-name-20991231';
    const rows: ViewRow[] = [
      { key: long, label: long, cost: 0, share: 0, requests: 3, tokens: 9_000, unpricedRequests: 3 },
      { key: 'o', label: 'claude-opus-4-7', cost: 2, share: 1, requests: 40, tokens: 400_000, unpricedRequests: 0 },
    ];
    const shown = async (width: number): Promise<string[]> => {
      const lines = await tableLines(rows, 'model', width);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      return lines;
    };
    // Shown short (no claude- and no date), and whole while the figures can go for it.
    const at80 = await shown(80);
    expect(at80[1]).toContain('some-unknown-model-with-a-very-long-name');
    const at60 = await shown(60);
    expect(at60[1]).toContain('some-unknown-model-with-a-very-long-name');
    expect(at60[0]).not.toMatch(/share|reqs|tokens/);
    expect(at60[0]).toMatch(/cost$/);
    // Only past that is it cut.
    const at50 = await shown(50);
    expect(at50[1]).toMatch(/some-unknown-model-with\S*…/);
    // Wide: everything.
    const at140 = await shown(140);
    expect(at140[1]).toContain('some-unknown-model-with-a-very-long-name');
    expect(at140[0]).toMatch(/ cost +share +reqs +tokens$/);
  });
});

describe('a row that cost under half a cent', () => {
  it('shows two significant digits, never $0.00', async () => {
    const rows: ViewRow[] = [
      { key: 'a', label: 'claude-opus-4-6', cost: 1.5, share: 0.998, requests: 4, tokens: 40_000, unpricedRequests: 0 },
      { key: 'b', label: 'claude-haiku-4-5', cost: 0.003, share: 0.002, requests: 1, tokens: 900, unpricedRequests: 0 },
      { key: 'c', label: 'claude-sonnet-4-6', cost: 0, share: 0, requests: 1, tokens: 0, unpricedRequests: 0 },
    ];
    const ui = await renderPinned(<RowTable rows={rows} level="model" selected={0} height={5} width={80} />, 80, 10);
    const lines = ui.lines();
    ui.unmount();
    expect(lines[2]).toMatch(/ \$0\.0030 /);
    expect(lines[3]).toMatch(/ \$0\.00 /);
  });
});

describe('a list of long names on a wide terminal', () => {
  it('shows a long workflow name whole where the pane has room for it, and cuts it only where not', async () => {
    const name = 'nightly-review-of-the-entire-monorepo-with-a-very-long-workflow-name-indeed';
    const rows: ViewRow[] = [
      { key: name, label: name, cost: 2, share: 0.8, requests: 40, tokens: 400_000, unpricedRequests: 0 },
      { key: 'ci', label: 'ci', cost: 0.5, share: 0.2, requests: 10, tokens: 100_000, unpricedRequests: 0 },
    ];
    const shown = (width: number): Promise<string[]> => tableLines(rows, 'workflow', width);
    expect((await shown(200))[1]).toContain(name);
    // Where the bar would cut it, the bar gives way, down to 10 cells.
    const middle = await shown(130);
    expect(middle[1]).toContain(name);
    expect(middle[1]).toMatch(/█{10}/);
    // Short names keep the whole bar.
    const short = await renderPinned(
      <RowTable
        rows={rows.map((r) => ({ ...r, label: 'claude-sonnet-4-5' }))}
        level="model"
        selected={0}
        height={5}
        width={100}
      />,
      100,
      10,
    );
    expect(short.lines()[1]).toMatch(/█{20}/);
    short.unmount();
    const narrow = await shown(80);
    expect(narrow[1]).not.toContain(name);
    expect(narrow[1]).toContain('…');
  });
});

describe('the request list', () => {
  it('names a model too long for its column short, every row alike, never cut in a word', async () => {
    const request = (model: string, i: number): ViewRow => ({
      key: `k${i}`,
      label: model,
      cost: 0.1,
      share: 0.5,
      requests: 1,
      tokens: 10,
      unpricedRequests: 0,
      request: {
        ts: NOW_MS - i * 60_000,
        model,
        entrypoint: 'sdk-cli',
        class: 'programmatic',
        project: null,
        cost: 0.1,
        usage: { input: 1, output: 2, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, webSearch: 0, webFetch: 0 },
      },
    });
    const rows = [request('claude-haiku-4-5-20251001', 0), request('claude-opus-4-7', 1)];
    const ui = await renderPinned(<RequestTable rows={rows} selected={0} height={4} width={80} tz="UTC" />, 80, 6);
    const lines = ui.lines();
    ui.unmount();
    expect(lines[1]).toContain(' haiku-4-5 ');
    expect(lines[2]).toContain(' opus-4-7 ');
    for (const line of lines) expect(line).not.toContain('…');
  });
});

describe('an ended cycle in a 40-column pane', () => {
  it('says the forecast and the rates do not apply, and the final spend, in whole clauses', async () => {
    await fx.addSeptember();
    ui = await renderApp(store, 40, 24);
    await ui.press('[');
    // The header has no room to say "past cycle" here: the forecast's line says it.
    const f = await ui.waitFor((fr) => /^Forecast {2}not applicable$/m.test(fr));
    // Which cycle it is stays in the header, before the plan.
    expect(f.split('\n')[0]).toMatch(/^creditmeter · Oct 1 – Oct 31/);
    expect(f).toMatch(/^final spend \$[\d,.]+$/m);
    expect(f).toMatch(/^Burn {6}rates not applicable$/m);
    for (const line of ui.lines()) {
      expect(line.length).toBeLessThanOrEqual(40);
      expect(line.trimEnd().endsWith('…'), `cut: ${line}`).toBe(false);
    }
  });
});

describe('a mixed list (class "all") in a 40-column pane', () => {
  it('keeps each model name whole beside its class tag, giving up the figures and then the bar', async () => {
    ui = await renderApp(store, 40, 24);
    let f = ui.frame();
    for (let i = 0; i < 4 && !/All spend/.test(f); i++) {
      await ui.press('c');
      f = ui.frame();
    }
    f = await ui.waitFor((fr) => /All spend/.test(fr));
    const rows = f.split('\n').filter((l) => /^[▸ ] \S+ +(prog|int|unk)(\+(int|unk))* /.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const line of rows) {
      expect(line.length).toBeLessThanOrEqual(40);
      expect(line).not.toContain('…');
      expect(line).toMatch(/^[▸ ] (claude-)?(opus-4-7|sonnet-4-6|haiku-4-5) +(prog|int|unk)/);
    }
    // One form down the list: all whole or all short.
    expect(new Set(rows.map((l) => l.includes('claude-'))).size).toBe(1);
    expect(rows.some((l) => l.includes('prog+int'))).toBe(true);
  });
});

describe('breadcrumb', () => {
  it('names the list of every level in plain English', () => {
    expect(['branch', 'class', 'repository', 'session', 'request', 'entrypoint', 'day'].map(plural)).toEqual([
      'branches',
      'classes',
      'repositories',
      'sessions',
      'requests',
      'entrypoints',
      'days',
    ]);
  });
});

describe('recent requests on a pane too narrow for every project whole', () => {
  it('shortens the model names before it cuts a project', async () => {
    const at = (i: number, model: string, project: string): StoredRequest =>
      storedRequest({ key: `k${i}`, requestId: `req_${i}`, project, model, ts: NOW_MS - i * 60_000 });
    const requests = [
      at(1, 'claude-haiku-5-5', '/srv/agents/nightly-release-notes-writer'),
      at(2, 'claude-sonnet-5-5', '/srv/agents/triage'),
    ];
    const lines = async (width: number): Promise<string[]> => {
      const ui = await renderPinned(
        <RecentRequests requests={requests} count={5} width={width} tz="UTC" nowMs={NOW_MS} />,
        width,
        5,
      );
      const out = ui.lines();
      ui.unmount();
      return out;
    };
    // Room for both whole: whole model names.
    expect((await lines(100))[1]).toMatch(/claude-haiku-5-5 .*\/srv\/agents\/nightly-release-notes-writer/);
    // Room for the project whole only with short model names: short names, the project whole.
    const narrow = await lines(78);
    expect(narrow[1]).toMatch(/ haiku-5-5 .*\/srv\/agents\/nightly-release-notes-writer/);
    expect(narrow[2]).toMatch(/ sonnet-5-5 /);
  });
});

describe('recent requests with none to show', () => {
  it('says none of the class in view, not none at all', async () => {
    const said = async (props: Partial<Parameters<typeof RecentRequests>[0]>): Promise<string> => {
      const ui = await renderPinned(
        <RecentRequests requests={[]} count={5} width={80} tz="UTC" nowMs={NOW_MS} {...props} />,
        80,
        6,
      );
      const line = ui.lines()[1] ?? '';
      ui.unmount();
      return line.trim();
    };
    expect(await said({})).toBe('none in this cycle yet');
    expect(await said({ classFilter: 'interactive' })).toBe('no interactive requests in this cycle yet');
    expect(await said({ classFilter: 'programmatic', past: true })).toBe('no programmatic requests in this cycle');
    expect(await said({ classFilter: 'all', past: true })).toBe('none in this cycle');
  });
});
