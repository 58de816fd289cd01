/**
 * The catch-up's warnings on stderr, apart from stdout.ts: the status line's and `ingest`'s short
 * paths load that module, and this one brings the terminal-width code along.
 */
import { escapeControls } from '../domain/escape-controls.js';

/**
 * The catch-up's warnings on stderr, one line each: a path or a name in them (a transcript's folder,
 * a model) has its control characters escaped, so no stored text can move the cursor or retitle the
 * terminal.
 */
export function sayWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`creditmeter: ${escapeControls(w)}\n`);
}
