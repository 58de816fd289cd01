/**
 * Which command an argv asks for, without loading any command: the entry point (cli.ts) decides
 * from this alone which file to load. The command table (commands/index.ts) lists the same names.
 */
import { GLOBAL_SWITCHES, VALUE_OPTIONS } from './global-flags.js';

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

/** What after `help` asks for the program's own help. */
const PROGRAM_HELP = new Set(['--help', '-h', 'help']);

/** Whether `name` is a command's name. */
export function isCommand(name: string): boolean {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/**
 * Where the command word of `args` (argv without node and the script) stands: the first word that
 * is no option nor an option's value, before any `--`; -1 when there is none.
 */
function commandWordAt(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return -1;
    if (!a.startsWith('-')) return i;
    if (VALUE_OPTIONS.has(a)) i++;
  }
  return -1;
}

/**
 * The command an argv (as process.argv) asks for; the default command when it names none, and
 * null for a bare `--help` / `--version` or `help` (nothing to load).
 */
export function commandOf(argv: readonly string[]): string | null {
  const args = argv.slice(2);
  const at = commandWordAt(args);
  if (at < 0) return args.some((a) => ['-h', '--help', '-V', '--version'].includes(a)) ? null : DEFAULT_COMMAND;
  const a = args[at]!;
  const name = a === 'help' ? (args[at + 1] ?? '--help') : a;
  // `help` alone, asked for help (`help --help`) or for itself, is the program's help: nothing
  // to load. Another option after it is the program's to refuse.
  if (a === 'help' && PROGRAM_HELP.has(name)) return null;
  return isCommand(name) ? name : DEFAULT_COMMAND;
}

/**
 * Whether an argv asks for help rather than for its command to run: `-h` or `--help` anywhere
 * before `--`, or `help` as its command word (`help statusline` prints the status line's help).
 */
export function asksForHelp(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help')) return true;
  return args[commandWordAt(args)] === 'help';
}

/** `argv` with `help help` (the program's help asked of the help command) as `--help`. */
export function helpOfHelp(argv: readonly string[]): string[] {
  const at = commandWordAt(argv.slice(2)) + 2;
  const out = [...argv];
  if (at >= 2 && argv[at] === 'help' && argv[at + 1] === 'help') out.splice(at, 2, '--help');
  return out;
}

/** Global options without a value, and the value options written as `--opt=value`. */
const FLAG_OPTIONS = new Set<string>([...GLOBAL_SWITCHES, ...VALUE_OPTIONS]);

/** The first word of argv that should name a command but names none, or null. */
export function unknownCommand(argv: readonly string[]): string | null {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return null;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      // An option the program does not know (a command's own, put first): the parser names it.
      else if (!FLAG_OPTIONS.has(a.split('=')[0]!)) return null;
      continue;
    }
    // `help` alone, or followed by an option (`help --help`), asks for the program's help.
    const name = a === 'help' ? args[i + 1] : a;
    return name === undefined || (a === 'help' && PROGRAM_HELP.has(name)) || isCommand(name) ? null : name;
  }
  return null;
}

/** Edit distance of two short words (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The one-sentence error for a word that names no command, with the nearest command when one is close. */
export function unknownCommandMessage(word: string): string {
  const near = COMMAND_NAMES.filter(
    (c) =>
      distance(word.toLowerCase(), c) <= Math.min(2, Math.floor(c.length / 3)) ||
      (word.length >= 3 && c.startsWith(word.toLowerCase())),
  );
  const hint = near.length > 0 ? `; did you mean ${near.join(' or ')}?` : '';
  return `creditmeter: unknown command '${word}'${hint} (see creditmeter --help)\n`;
}
