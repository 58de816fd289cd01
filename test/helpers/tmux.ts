/** A tmux server of a test file's own (its own socket) for driving the built CLI in real terminals. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface TmuxServer {
  /** Runs a tmux command on this server; its output. */
  tmux(...args: string[]): string;
  /** What a session's pane shows now. */
  screen(session: string): string;
  /** The pane once `test` holds, polled every 100 ms; throws with the last screen after `timeoutMs`. */
  waitScreen(session: string, test: (s: string) => boolean, timeoutMs: number): Promise<string>;
  kill(): void;
}

export function tmuxServer(name: string): TmuxServer {
  const socket = `creditmeter-${name}-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (session: string): string => tmux('capture-pane', '-p', '-t', session);
  return {
    tmux,
    screen,
    async waitScreen(session, test, timeoutMs) {
      const start = Date.now();
      for (;;) {
        const s = screen(session);
        if (test(s)) return s;
        if (Date.now() - start > timeoutMs) throw new Error(`screen never matched:\n${s}`);
        await sleep(100);
      }
    },
    kill: () => void spawnSync('tmux', ['-L', socket, 'kill-server']),
  };
}

/** The text a command in a pane wrote to `file` when it ended (waiting up to `timeoutMs` for it); '' if never. */
export async function endedWith(file: string, timeoutMs = 30_000): Promise<string> {
  const start = Date.now();
  while (!existsSync(file) && Date.now() - start < timeoutMs) await sleep(100);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}
