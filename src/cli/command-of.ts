/**
 * Which command an argv asks for, without loading any command: the entry point (cli.ts) decides
 * from this alone which file to load. The command table (commands/index.ts) lists the same names.
 */
import { VALUE_OPTIONS } from './global-flags.js';

/** Every command's name, in the order of the help's list; the first is the default. */
export const COMMAND_NAMES = [
  'dashboard',
  'ingest',
  'report',
  'status',
  'export',
  'statusline',
  'serve',
  'push',
  'backtest',
  'prices',
  'reprice',
  'config',
] as const;

/** The command a run without a command word runs. */
export const DEFAULT_COMMAND = 'dashboard';

/** Commands the entry point runs from one file of their own (command-main.ts), not the chunks. */
export const ONE_FILE_COMMANDS: readonly string[] = ['ingest', 'report', 'status'];

/** Whether `name` is a command's name. */
export function isCommand(name: string): boolean {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/**
 * The command an argv (as process.argv) asks for; the default command when it names none, and
 * null for a bare `--help` / `--version` (nothing to load).
 */
export function commandOf(argv: readonly string[]): string | null {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    const name = a === 'help' ? (args[i + 1] ?? a) : a;
    return isCommand(name) ? name : DEFAULT_COMMAND;
  }
  return args.some((a) => ['-h', '--help', '-V', '--version'].includes(a)) ? null : DEFAULT_COMMAND;
}
