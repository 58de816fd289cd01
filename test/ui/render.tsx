/**
 * The one way UI tests render: ink-testing-library with the terminal pinned to `columns` x `rows`,
 * and helpers that wait for the frame after each key or change.
 */
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { App } from '../../src/ui/App.js';
import type { DashboardStore } from '../../src/state/app-store.js';

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  enter: '\r',
  escape: '\u001b',
  backspace: '\u007f',
  tab: '\t',
  ctrlC: '\u0003',
} as const;

export interface Rendered {
  /** The newest frame, ANSI codes stripped. */
  frame(): string;
  /** Frame lines (no trailing empty line). */
  lines(): string[];
  /** Writes `input` to stdin and waits for the frame it causes (or a short quiet period). */
  press(input: string): Promise<string>;
  /** Waits until the frame satisfies `test` (throws after `timeoutMs`). */
  waitFor(test: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): Promise<string>;
  unmount(): void;
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Renders `tree` at exactly `columns` x `rows` and returns once the first pinned frame is drawn. */
export async function renderPinned(tree: ReactElement, columns: number, rows: number): Promise<Rendered> {
  const inst = render(tree);
  let size = { columns, rows };
  // ink-testing-library's stdout is 100 columns and has no rows: pin both, then announce a resize.
  Object.defineProperty(inst.stdout, 'columns', { get: () => size.columns, configurable: true });
  Object.defineProperty(inst.stdout, 'rows', { get: () => size.rows, configurable: true });
  const frame = (): string => (inst.lastFrame() ?? '').replace(ANSI, '');
  const nextFrame = async (before: number, quietMs = 150): Promise<string> => {
    const start = Date.now();
    while (inst.frames.length === before && Date.now() - start < quietMs) await sleep(5);
    // Ink may draw twice for one change (store update, then layout): let it settle, until no new
    // frame came for 10 ms (a loaded machine spaces the second one further out).
    for (let seen = -1; seen !== inst.frames.length && Date.now() - start < quietMs + 1000;) {
      seen = inst.frames.length;
      await sleep(10);
    }
    return frame();
  };
  const waitFor = async (test: (f: string) => boolean, timeoutMs = 3000): Promise<string> => {
    const start = Date.now();
    while (!test(frame())) {
      if (Date.now() - start > timeoutMs) throw new Error(`frame never matched; last frame:\n${frame()}`);
      await sleep(10);
    }
    return frame();
  };
  const resize = async (c: number, r: number): Promise<string> => {
    size = { columns: c, rows: r };
    const before = inst.frames.length;
    inst.stdout.emit('resize');
    return nextFrame(before, 1000);
  };
  await resize(columns, rows);
  return {
    frame,
    lines: () =>
      frame()
        .split('\n')
        .filter((l, i, all) => i < all.length - 1 || l !== ''),
    async press(input) {
      const before = inst.frames.length;
      inst.stdin.write(input);
      return nextFrame(before);
    },
    waitFor,
    resize,
    unmount: () => inst.unmount(),
  };
}

/** Renders the dashboard app for `store` (colour off unless asked) at the pinned size. */
export function renderApp(store: DashboardStore, columns: number, rows: number, color = false): Promise<Rendered> {
  return renderPinned(<App store={store} color={color} planAssumed={false} />, columns, rows);
}
