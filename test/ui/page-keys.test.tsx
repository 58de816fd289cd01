/** PgDn and PgUp move by the rows a list shows: paging through a long list shows every row. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, fixtureStore, type Fixture, type FixtureSession } from './fixture.js';
import { KEYS, renderApp, type Rendered } from './render.js';

const PROJECTS = 46;
/** 46 projects of one session each, their costs falling down the list. */
function manyProjects(): FixtureSession[] {
  return Array.from({ length: PROJECTS }, (_, i) => ({
    id: `sess-${String(i).padStart(2, '0')}`,
    project: `/work/p${String(i).padStart(2, '0')}`,
    requests: [
      { model: 'claude-haiku-4-5', entrypoint: 'sdk-cli', hoursAgo: 2, output: 10_000 * (PROJECTS - i), input: 10 },
    ],
  }));
}

let fx: Fixture;
let ui: Rendered | null = null;

beforeAll(async () => {
  fx = await buildFixture(manyProjects());
  return () => fx.close();
});

afterEach(() => {
  ui?.unmount();
  ui = null;
});

/** The list's window as its "+N more" line says it: first and last row shown, and the total. */
function window(frame: string): [number, number] {
  const m = /\((\d+)–(\d+) of (\d+)/.exec(frame);
  expect(m, frame).not.toBeNull();
  expect(Number(m![3])).toBe(PROJECTS);
  return [Number(m![1]), Number(m![2])];
}

/** Pages down to the end and back up, checking that no row is passed over; the list starts at row 1. */
async function pageThrough(ui: Rendered, start: string): Promise<void> {
  let [first, last] = window(start);
  expect(first).toBe(1);
  expect(last).toBeLessThan(PROJECTS);
  const page = last - first + 1;
  while (last < PROJECTS) {
    const [a, b] = window(await ui.press(KEYS.pageDown));
    // No row is passed over: the next window starts at most one past the last one shown.
    expect(a, `after ${first}–${last}`).toBeLessThanOrEqual(last + 1);
    expect(b).toBeGreaterThan(last);
    [first, last] = [a, b];
  }
  while (first > 1) {
    const [a, b] = window(await ui.press(KEYS.pageUp));
    expect(b, `before ${first}–${last}`).toBeGreaterThanOrEqual(first - 1);
    expect(a).toBeLessThan(first);
    expect(b - a + 1).toBe(page);
    [first, last] = [a, b];
  }
}

describe('page keys on a long list', () => {
  it('in a drill-down level too (the projects of one model)', async () => {
    const store = fixtureStore(fx);
    store.getState().actions.refresh();
    ui = await renderApp(store, 80, 18);
    await ui.press('g');
    const f = await ui.press(KEYS.enter);
    expect(store.getState().rows).toHaveLength(PROJECTS);
    await pageThrough(ui, f);
  });

  for (const [columns, rows] of [
    [80, 40],
    [80, 30],
    [100, 34],
  ] as const) {
    it(`at ${columns}x${rows}, PgDn then PgUp show every row, a page at a time`, async () => {
      const store = fixtureStore(fx);
      store.getState().actions.refresh();
      ui = await renderApp(store, columns, rows);
      let f = '';
      for (let i = 0; i < 5 && !/\(\d+–\d+ of 46/.test(f); i++) f = await ui.press(KEYS.tab);
      expect(store.getState().rows).toHaveLength(PROJECTS);
      f = await ui.press('g');
      await pageThrough(ui, f);
    });
  }
});
