/**
 * Names the dashboard shows come from transcripts (a `cwd`) and from other machines' telemetry:
 * a control sequence in one must not reach the terminal, and wide or combining characters must
 * not push a column out of line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardStore } from '../../src/state/app-store.js';
import { textWidth } from '../../src/domain/terminal-text.js';
import { buildFixture, fixtureStore, type Fixture, type FixtureSession } from './fixture.js';
import { KEYS, renderApp, type Rendered } from './render.js';

const EVIL = '/work/evil\u001b]0;PWNED\u0007\u001b[2J\u001b[31mRED';
const WIDE = '/home/用户/项目/日本語のプロジェクト名前';
const COMBINING = '/work/e\u0301ve\u0301nements';

function sessions(): FixtureSession[] {
  const req = (hoursAgo: number) => ({ model: 'claude-sonnet-4-6', entrypoint: 'sdk-cli', hoursAgo, output: 20_000 });
  return [
    { id: 'sess-evil', project: EVIL, requests: [req(1), req(2)] },
    { id: 'sess-wide', project: WIDE, requests: [req(3), req(4), req(5)] },
    { id: 'sess-comb', project: COMBINING, requests: [req(6)] },
    { id: 'sess-plain', project: '/work/plain', requests: [req(7), req(8), req(9), req(10)] },
  ];
}

let fx: Fixture;
let store: DashboardStore;
let ui: Rendered | null = null;

beforeEach(async () => {
  fx = await buildFixture(sessions());
  store = fixtureStore(fx);
});
afterEach(() => {
  ui?.unmount();
  ui = null;
  store.getState().actions.dispose();
  fx.close();
});

describe('hostile and wide names on the dashboard', () => {
  for (const [columns, rows] of [
    [80, 24],
    [200, 60],
  ] as const) {
    it(`at ${columns}x${rows}: escapes reach the screen as text, and columns stay in line`, async () => {
      ui = await renderApp(store, columns, rows);
      // The project list (Tab: model, then project).
      const frame = await ui.press(KEYS.tab);
      expect(frame).toMatch(/^ {2}Project/m);
      // No escape of the name's own: the test's frame has Ink's style sequences taken out, so an
      // ESC left in it is one the name carried (the title sequence, OSC, is not a style).
      expect(frame).not.toContain('\u001b');
      expect(frame).not.toContain('\u0007');
      expect(frame).toContain('\\u{1b}');
      for (const line of ui.lines()) expect(textWidth(line), line).toBeLessThanOrEqual(columns);
      // Every project row has its cost, in the same column, whatever its name is made of.
      const projectRows = ui.lines().filter((l) => /^[ ▸] +(…|\/)/.test(l) && /\$\d/.test(l));
      expect(projectRows.length).toBeGreaterThanOrEqual(4);
      const costColumn = (l: string): number => textWidth(l.slice(0, l.search(/\$\d/)));
      expect(new Set(projectRows.map(costColumn)).size, projectRows.join('\n')).toBe(1);
      // Recent requests keep their cost too.
      const recent = ui.lines().slice(ui.lines().findIndex((l) => l.startsWith('Recent requests')) + 1);
      for (const l of recent.filter((x) => /^\d\d:\d\d/.test(x))) expect(l, l).toMatch(/\$\d+\.\d+\s*$/);
    });
  }
});
