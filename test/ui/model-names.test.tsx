/** Short model names stay told apart: a model stored undated and dated is two rows that read differently. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { distinctShortModels } from '../../src/ui/text.js';
import { buildFixture, fixtureStore, type Fixture, type FixtureRequest } from './fixture.js';
import { KEYS, renderApp, type Rendered } from './render.js';

const requests = (model: string, n: number, output: number): FixtureRequest[] =>
  Array.from({ length: n }, (_, i) => ({ model, entrypoint: 'sdk-cli', hoursAgo: 2 + i, output }));

let fx: Fixture;
let ui: Rendered | null = null;

beforeAll(async () => {
  fx = await buildFixture([
    {
      id: 'sess-one',
      project: '/work/one',
      requests: [
        ...requests('claude-sonnet-4-5', 3, 30_000),
        ...requests('claude-sonnet-4-5-20250929', 3, 20_000),
        ...requests('claude-sonnet-4-5-20251101', 2, 15_000),
        ...requests('claude-haiku-4-5-20251001', 3, 10_000),
      ],
    },
    {
      id: 'sess-two',
      project: '/work/two',
      requests: [{ model: 'claude-sonnet-4-5-20251101', entrypoint: 'cli', hoursAgo: 3, output: 5_000 }],
    },
  ]);
  return () => fx.close();
});

afterEach(() => {
  ui?.unmount();
  ui = null;
});

describe('short model names', () => {
  it('keep the date of two models that would read alike, and the whole name when that is not enough', () => {
    const short = distinctShortModels([
      'claude-sonnet-4-5',
      'claude-sonnet-4-5-20250929',
      'claude-haiku-4-5-20251001',
      'claude-opus-4-7',
      'opus-4-7',
      'claude-opus-4-7',
    ]);
    expect(Object.fromEntries(short)).toEqual({
      'claude-sonnet-4-5': 'sonnet-4-5',
      'claude-sonnet-4-5-20250929': 'sonnet-4-5-20250929',
      'claude-haiku-4-5-20251001': 'haiku-4-5',
      // Alike even with their dates kept (they have none): their whole names.
      'claude-opus-4-7': 'claude-opus-4-7',
      'opus-4-7': 'opus-4-7',
    });
  });

  it("keep a dated model's date in a view without the model it would read as (another class)", async () => {
    const store = fixtureStore(fx);
    store.getState().actions.refresh();
    ui = await renderApp(store, 50, 24);
    let frame = '';
    for (let i = 0; i < 4 && store.getState().nav.classFilter !== 'interactive'; i++) frame = await ui.press('c');
    expect(store.getState().nav.classFilter).toBe('interactive');
    const rows = frame.split('\n').filter((l) => /^[▸ ] \S/.test(l) && /\$/.test(l));
    expect(rows[0]).toMatch(/^▸ sonnet-4-5-20251101 /);
  });

  it("in a session's request list: a name that keeps its date shows whole, the model column widening", async () => {
    const store = fixtureStore(fx);
    store.getState().actions.refresh();
    ui = await renderApp(store, 60, 30);
    for (let i = 0; i < 6 && !store.getState().rows.some((r) => r.key === 'sess-one'); i++) await ui.press(KEYS.tab);
    const at = store.getState().rows.findIndex((r) => r.key === 'sess-one');
    expect(at).toBeGreaterThanOrEqual(0);
    await ui.press('g');
    for (let i = 0; i < at; i++) await ui.press('j');
    await ui.press(KEYS.enter);
    for (const width of [60, 50]) {
      const frame = await ui.resize(width, 30);
      expect(frame, frame).toContain(' sonnet-4-5-20250929 ');
      expect(frame).toContain(' sonnet-4-5-20251101 ');
      expect(frame).not.toMatch(/sonnet-4-5-2025\S*…/);
    }
  });

  it('in a narrow list: each row reads as its own model, whole, the figures dropped first', async () => {
    const store = fixtureStore(fx);
    store.getState().actions.refresh();
    ui = await renderApp(store, 60, 24);
    for (const width of [60, 58, 56, 52, 50, 48, 46, 44, 40]) {
      const frame = await ui.resize(width, 24);
      const rows = frame
        .split('\n')
        .filter((l) => /^[▸ ] \S/.test(l) && /\$/.test(l))
        .map((l) =>
          l
            .slice(2)
            .split(/\s{2,}|\s[█▏▎▍▌▋▊▉]/)[0]!
            .trim(),
        );
      expect(rows, `${width}\n${frame}`).toEqual([
        'sonnet-4-5',
        'sonnet-4-5-20250929',
        'sonnet-4-5-20251101',
        'haiku-4-5',
      ]);
    }
  });
});
