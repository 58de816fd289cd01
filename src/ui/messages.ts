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
