/**
 * A session longer than the request list holds (REQUEST_LIST_LIMIT): the list holds its newest
 * requests, and the level's line gives the whole session's requests and cost, as its export does.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_LIST_LIMIT } from '../../src/state/load-view.js';
import { formatUsd } from '../../src/domain/format.js';
import { buildFixture, fixtureStore, type Fixture, type FixtureSession } from './fixture.js';
import { KEYS, renderApp, type Rendered } from './render.js';

const EXTRA = 5;
/** One programmatic session of the list's length plus five requests, the last five the largest. */
function longSession(): FixtureSession {
  const n = REQUEST_LIST_LIMIT + EXTRA;
  return {
    id: 'sess-long',
    project: '/work/long',
    requests: Array.from({ length: n }, (_, i) => ({
      model: 'claude-haiku-4-5',
      entrypoint: 'sdk-cli',
      // Oldest first, a minute apart, ending an hour before now.
      hoursAgo: 1 + (n - 1 - i) / 60,
      output: i >= n - EXTRA ? 100_000 : 100,
      input: 10,
    })),
  };
}

let fx: Fixture;
let ui: Rendered | null = null;

beforeAll(async () => {
  fx = await buildFixture([longSession()]);
  return () => fx.close();
});

afterEach(() => {
  ui?.unmount();
  ui = null;
});

describe('a session longer than the request list', () => {
  it('lists its newest requests and totals the whole session', async () => {
    const store = fixtureStore(fx);
    store.getState().actions.refresh();
    ui = await renderApp(store, 100, 30);
    // Model, project, session, then the long session's requests.
    let f = '';
    for (let i = 0; i < 3; i++) f = await ui.press(KEYS.enter);
    expect(f).toMatch(/› session .*› requests/);
    const whole = fx.ctx.db
      .prepare("SELECT count(*) AS requests, total(cost) AS cost FROM requests WHERE session_id = 'sess-long'")
      .get() as { requests: number; cost: number };
    expect(whole.requests).toBe(REQUEST_LIST_LIMIT + EXTRA);
    expect(f).toContain(`${formatUsd(whole.cost)} in ${whole.requests.toLocaleString('en-US')} requests`);
    expect(f).toContain(`newest ${REQUEST_LIST_LIMIT.toLocaleString('en-US')} listed`);
    const state = store.getState();
    expect(state.rows).toHaveLength(REQUEST_LIST_LIMIT);
    // Oldest first on screen, ending with the newest request (one of the five large ones).
    const ts = state.rows.map((r) => r.request!.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    const newest = ts[ts.length - 1]!;
    expect(state.rows[state.rows.length - 1]!.request!.usage.output).toBe(100_000);
    f = await ui.press('G');
    expect(f).toContain(new Date(newest).toISOString().slice(11, 19));
  });
});
