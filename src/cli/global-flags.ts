/**
 * The global flags, defined once: the program's parser and help (program.ts), the command-word
 * finder (commands/index.ts) and the status line's own small parser all read this table. Typed
 * against GlobalFlags, so a flag added there fails to compile until it is described here.
 */
import { parseArgs } from 'node:util';
import type { GlobalFlags } from '../app/config.js';

export interface GlobalFlagSpec {
  /** The long option, without dashes. */
  name: string;
  /** Commander's value placeholder (`<dir>`); absent for a switch. */
  value?: string;
  description: string;
  /** May be given more than once (values collected in order). */
  repeatable?: boolean;
  choices?: readonly string[];
}

export const GLOBAL_FLAGS: Readonly<Record<keyof GlobalFlags, GlobalFlagSpec>> = {
  claudeDir: {
    name: 'claude-dir',
    value: '<dir>',
    description:
      'a Claude config root to read (repeatable; default $CLAUDE_CONFIG_DIR, else ~/.claude and ~/.config/claude)',
    repeatable: true,
  },
  db: {
    name: 'db',
    value: '<file>',
    description: 'SQLite store (default $CREDITMETER_DB, else ~/.local/share/creditmeter/usage.db)',
  },
  tz: { name: 'tz', value: '<zone>', description: 'IANA time zone for days and cycles (default: the system zone)' },
  prices: { name: 'prices', value: '<file>', description: 'a JSON price file merged over the bundled table' },
  config: { name: 'config', value: '<file>', description: 'config file (default ~/.config/creditmeter/config.json)' },
  plan: {
    name: 'plan',
    value: '<plan>',
    description: 'subscription plan',
    choices: ['pro', 'max5x', 'max20x', 'team', 'team-premium', 'custom'],
  },
  seats: { name: 'seats', value: '<n>', description: 'seats of a team plan (credit is pooled)' },
  credit: { name: 'credit', value: '<usd>', description: 'monthly credit in USD (custom plan, or to override)' },
  cycleStartDay: {
    name: 'cycle-start-day',
    value: '<day>',
    description: 'day of the month the billing cycle starts (1-31)',
  },
  usageCredits: {
    name: 'usage-credits',
    value: '<on|off>',
    description: 'whether overage is billed pay-as-you-go (on) or access stops (off)',
  },
  overageCap: { name: 'overage-cap', value: '<usd>', description: 'the most usage credits may bill in a cycle' },
};

/** Global switches of the program that are not part of GlobalFlags' settings. */
export const GLOBAL_SWITCHES = ['--rebuild', '-h', '--help', '-V', '--version'] as const;

/** Long options that take a value (`--db`, ...): the word after them is a value, never a command. */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(
  Object.values(GLOBAL_FLAGS)
    .filter((f) => f.value !== undefined)
    .map((f) => `--${f.name}`),
);

export type ParseOptions = Record<string, { type: 'string' | 'boolean'; multiple: boolean }>;

/** The global flags as `node:util` parseArgs options (for the paths that start before commander). */
export function globalParseOptions(): ParseOptions {
  return Object.fromEntries(
    Object.values(GLOBAL_FLAGS).map((f) => [
      f.name,
      { type: f.value === undefined ? ('boolean' as const) : ('string' as const), multiple: f.repeatable ?? false },
    ]),
  );
}

/**
 * The global flags among `args` (unknown ones ignored), as commander would give them: for the
 * paths that start before the command-line parser loads (the status line's).
 */
export function parseGlobalFlags(args: string[]): GlobalFlags {
  const { values } = parseArgs({ args, options: globalParseOptions(), strict: false, allowPositionals: true });
  const flags: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(GLOBAL_FLAGS)) {
    const v = values[spec.name];
    if (v !== undefined && v !== null) flags[key] = v;
  }
  return flags;
}

/** An option that takes a value (`--db`), with how help writes it (`--db <file>`). */
export interface ValueOption {
  long: string;
  flags: string;
  /** Its values are a closed list (none starts with `--`). */
  choices: boolean;
}

/**
 * The one-sentence error for an option given as the word before another known option (`--db
 * --json`): a parser would take that option as the value, so a forgotten path became a store
 * named `--json`. Null when there is none. A value that does start with `--` is given as `--db=--x`.
 */
export function optionAsValue(
  args: readonly string[],
  withValue: ReadonlyMap<string, ValueOption>,
  known: ReadonlySet<string>,
): string | null {
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === '--') return null;
    const o = withValue.get(args[i]!);
    const next = args[i + 1]!;
    if (o === undefined || !known.has(next.split('=')[0]!)) continue;
    const hint = o.choices ? '' : ` (a value that starts with "--" is given as ${o.long}=${next})`;
    return `option '${o.flags}' has no value: '${next}' is an option${hint}`;
  }
  return null;
}

/** optionAsValue over the global flags alone (the status line's, which has no options of its own). */
export function globalOptionAsValue(args: readonly string[]): string | null {
  const specs = Object.values(GLOBAL_FLAGS);
  const withValue = new Map<string, ValueOption>();
  for (const f of specs) {
    if (f.value !== undefined)
      withValue.set(`--${f.name}`, { long: `--${f.name}`, flags: `--${f.name} ${f.value}`, choices: !!f.choices });
  }
  const known = new Set<string>([...GLOBAL_SWITCHES, ...specs.map((f) => `--${f.name}`)]);
  // The last word an option that takes a value (`statusline --db`), as the program says it.
  const endless = args.includes('--') ? undefined : withValue.get(args[args.length - 1] ?? '');
  return optionAsValue(args, withValue, known) ?? (endless ? `option '${endless.flags}' argument missing` : null);
}
