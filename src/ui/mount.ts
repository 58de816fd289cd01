/**
 * Mounts the dashboard on the terminal: alternate screen, Ink with a frame cap (10 per second),
 * clean redraws after a resize, and a restored terminal however it ends.
 */
import { render } from 'ink';
import { createElement } from 'react';
import type { DashboardStore } from '../state/app-store.js';
import { App } from './App.js';
import { createFrameGate, filteredStream } from './frame-gate.js';
import type { PlanAssumed } from './components/Header.js';

const ENTER_ALT = '\u001b[?1049h\u001b[H';
const LEAVE_ALT = '\u001b[?1049l';

export interface MountOptions {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  color: boolean;
  planAssumed: PlanAssumed;
  /** Draw on the alternate screen (the shell's screen comes back on exit). */
  alternateScreen: boolean;
}

export interface Mounted {
  /** Resolves when the user quits (q, Ctrl-C) or the app is unmounted. */
  waitUntilExit(): Promise<void>;
}

/** Renders the app for `store`; the returned promise settles on quit with the terminal restored. */
export function mountDashboard(store: DashboardStore, options: MountOptions): Mounted {
  let restored = !options.alternateScreen;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    options.stdout.write(LEAVE_ALT);
  };
  if (options.alternateScreen) {
    options.stdout.write(ENTER_ALT);
    // A crash or a signal still gives the shell its screen back.
    process.once('exit', restore);
  }
  // On the alternate screen a resize redraws from a cleared screen (see frame-gate.ts).
  const size = (): { columns: number; rows: number } => ({
    columns: options.stdout.columns || 80,
    rows: options.stdout.rows || 24,
  });
  const stdout = options.alternateScreen ? filteredStream(options.stdout, createFrameGate(size)) : options.stdout;
  const ink = render(createElement(App, { store, color: options.color, planAssumed: options.planAssumed }), {
    stdout,
    stdin: options.stdin,
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: 10,
    // Incremental line updates left stale lines on the alternate screen; whole frames at 10 fps are cheap.
    incrementalRendering: false,
  });
  return {
    async waitUntilExit() {
      try {
        await ink.waitUntilExit();
      } finally {
        ink.cleanup();
        restore();
      }
    },
  };
}
