/** Sentences the dashboard shows as text (also printed when stdout is not a terminal). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { homeShort } from './text.js';

/** The default places Claude Code writes transcripts, for "where it looked". */
export function defaultRoots(): string[] {
  const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return [join(homedir(), '.claude'), join(xdg, 'claude')];
}

/** What to say when no transcripts were found: where it looked and how to point elsewhere. */
export function noTranscriptsLines(roots: string[]): string[] {
  const looked = roots.length > 0 ? roots : defaultRoots();
  const where = roots.length > 0 ? 'Looked in' : 'Looked in the default places (none exists)';
  return [
    'No Claude Code transcripts found.',
    `${where}: ${looked.map((r) => join(r, 'projects')).join(', ')}`,
    // Clauses after ' · ' go whole from the end when a pane is narrow, never cut mid-word.
    'Point elsewhere: --claude-dir DIR (repeatable) · CLAUDE_CONFIG_DIR=DIR1,DIR2 · "claudeDirs" in the config file',
    'Or see the dashboard on the bundled demo history: creditmeter --demo',
  ];
}

/**
 * What to say while the dashboard's receiver (`--listen`) waits for its first request and no
 * transcript is here. The footer says where it receives ("Receiving OpenTelemetry on …") until
 * another notice takes its place; the Senders line keeps the address either way.
 */
export function receivingLines(url: string, roots: string[]): string[] {
  const base = url.replace(/\/v1\/logs$/, '');
  const looked = roots.length > 0 ? roots : defaultRoots();
  return [
    'No request received yet.',
    // Clauses go from the end in a narrow pane: the address stays.
    `Senders: OTEL_EXPORTER_OTLP_ENDPOINT=${base} · OTEL_LOGS_EXPORTER=otlp · CLAUDE_CODE_ENABLE_TELEMETRY=1`,
    `No transcripts here either (looked in ${looked.map((r) => join(r, 'projects')).join(', ')}).`,
  ];
}

/** The notice shown when `npm start` finds no transcripts anywhere and opens the demo instead. */
export function autoDemoNotice(): string {
  return 'Demo history: no Claude Code transcripts found in ~/.claude or ~/.config/claude (use --claude-dir DIR for yours).';
}

/** The auto-opened demo's notice once the user's own first transcript has appeared in `root`. */
export function transcriptsAppearedNotice(root: string, home: string = homedir()): string {
  const shown = homeShort(root, home);
  // In a narrow pane the last clauses go first (ui/bars.ts, fitSentence): what to do stays.
  return `Quit and start again to see yours: your transcripts appeared in ${shown}; this is the demo.`;
}

/** The notice of `creditmeter --demo`. */
export function demoNotice(): string {
  return 'Demo history (generated, in a temporary database): your own store is untouched.';
}
