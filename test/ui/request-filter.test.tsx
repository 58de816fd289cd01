/** The `/` filter of a session's request list matches what its rows show, and not the hidden request ids. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardStore } from '../../src/state/app-store.js';
import { applyTextFilter } from '../../src/state/navigation.js';
import { requestTexts } from '../../src/state/request-text.js';
import type { RequestDetail, ViewRow } from '../../src/state/types.js';
import { requestColumns } from '../../src/ui/components/RequestTable.js';
import { shortModel } from '../../src/ui/text.js';
import { buildFixture, fixtureStore, NOW_MS, type Fixture } from './fixture.js';
import { KEYS, renderApp, type Rendered } from './render.js';

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

/** Opens sess-alpha's requests (12 opus at $1.01, 6 sonnet at $0.30, Nov 17 05:00 to Nov 20 10:00). */
async function openAlpha(): Promise<Rendered> {
  const r = await renderApp(store, 100, 30);
  while (store.getState().nav.grouping !== 'session') await r.press(KEYS.tab);
  const rows = store.getState().rows;
  for (let i = rows.findIndex((row) => row.key === 'sess-alpha'); i > 0; i--) await r.press(KEYS.down);
  const f = await r.press(KEYS.enter);
  expect(f).toContain('$13.88 in 18 requests');
  return r;
}

/** Clears the filter (`/` Esc), types `/text` and Enter; returns the frame and the request rows it shows. */
async function filter(r: Rendered, text: string): Promise<{ frame: string; rows: string[] }> {
  await r.press('/');
  await r.press(KEYS.escape);
  await r.press('/');
  for (const ch of text) await r.press(ch);
  const frame = await r.press(KEYS.enter);
  return { frame, rows: frame.split('\n').filter((l) => /^[ ▸] [A-Z][a-z]{2} \d+ \d\d:\d\d:\d\d /.test(l)) };
}

describe('the text filter of a request list', () => {
  it('matches the time as the rows show it, and their cost', async () => {
    ui = await openAlpha();
    // Nov 20 07:00:00, 03:00:00 and 00:00:00 (10:00:00 has no "Nov 20 0").
    let got = await filter(ui, 'Nov 20 0');
    expect(got.frame).toContain('filter "Nov 20 0" (3 of 18)');
    expect(got.rows).toHaveLength(3);
    for (const row of got.rows) expect(row).toContain('Nov 20 0');
    got = await filter(ui, '10:00');
    expect(got.frame).toContain('filter "10:00" (2 of 18)');
    for (const row of got.rows) expect(row).toMatch(/ 10:00:00 /);
    got = await filter(ui, '$1.01');
    expect(got.frame).toContain('filter "$1.01" (12 of 18)');
    for (const row of got.rows) expect(row).toMatch(/opus-4-7 .*\$1\.01/);
  });

  it('does not match the request ids the rows do not show', async () => {
    ui = await openAlpha();
    const got = await filter(ui, 'msg_fx');
    expect(got.frame).toContain('filter "msg_fx" (0 of 18)');
    expect(got.rows).toHaveLength(0);
  });

  it('matches every column the request table can draw, at any width', () => {
    const d: RequestDetail = {
      ts: NOW_MS - 3_723_000,
      model: 'claude-haiku-4-5-20251001',
      entrypoint: 'sdk-cli',
      class: 'programmatic',
      project: '/work/alpha',
      usage: {
        input: 12,
        output: 2_345,
        cacheRead: 67_890,
        cacheWrite5m: 1_200,
        cacheWrite1h: 3_400,
        webSearch: 0,
        webFetch: 0,
      },
      cost: 0.0042,
    };
    const row: ViewRow = {
      key: 'msg_hidden:req_hidden',
      label: d.model,
      cost: 0.0042,
      share: 1,
      requests: 1,
      tokens: 0,
      unpricedRequests: 0,
      request: d,
      texts: () => requestTexts(d, 'Asia/Tokyo'),
    };
    const seen = new Set<string>();
    for (const width of [34, 48, 60, 80, 100, 120, 160, 200])
      for (const c of requestColumns(width)) {
        const shown = c.value(d, 'Asia/Tokyo').trim();
        seen.add(c.head);
        expect(applyTextFilter([row], shown), `${c.head} "${shown}" at ${width}`).toHaveLength(1);
      }
    expect([...seen]).toEqual(expect.arrayContaining(['time', 'model', 'entrypoint', 'c.write', 'cost', 'class']));
    expect(applyTextFilter([row], shortModel(d.model))).toHaveLength(1);
    expect(applyTextFilter([row], 'Nov 20 19:57')).toHaveLength(1);
    expect(applyTextFilter([row], 'msg_hidden')).toHaveLength(0);
  });
});
