import type { Command } from 'commander';
import { COMMAND_NAMES, commandOf, DEFAULT_COMMAND } from '../cli/command-of.js';

type Register = (program: Command) => void;

/** One command: its name and summary (for help without loading it) and how to load its module. */
interface CommandEntry {
  name: (typeof COMMAND_NAMES)[number];
  summary: string;
  load(): Promise<Register>;
}

/**
 * Every command. Modules load lazily: a run imports only the command it executes, so `status`,
 * `report` or `ingest` never pay for the dashboard's UI modules (Ink alone takes ~0.4 s to load).
 */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'dashboard',
    summary: 'live dashboard of the credit (the default)',
    load: async () => (await import('./dashboard.js')).registerDashboard,
  },
  {
    name: 'ingest',
    summary: 'read everything new in the transcripts into the store',
    load: async () => (await import('./ingest.js')).registerIngest,
  },
  {
    name: 'report',
    summary:
      'usage and cost grouped by model, day, week, month, project, workflow, user, repo, session, class and more (--by)',
    load: async () => (await import('./report.js')).registerReport,
  },
  {
    name: 'status',
    summary: "this cycle's programmatic credit, burn rates, forecast and overage",
    load: async () => (await import('./status.js')).registerStatus,
  },
  {
    name: 'export',
    summary: 'write a snapshot of a cycle (json, csv, md or html)',
    load: async () => (await import('./export.js')).registerExport,
  },
  {
    name: 'statusline',
    summary: "one short credit line for Claude Code's status-line hook",
    load: async () => (await import('./statusline.js')).registerStatusline,
  },
  {
    name: 'serve',
    summary: "receive Claude Code's OpenTelemetry events from every machine into the store",
    load: async () => (await import('./serve.js')).registerServe,
  },
  {
    name: 'push',
    summary: 'send requests read from local transcripts to a creditmeter serve, once each',
    load: async () => (await import('./push.js')).registerPush,
  },
  {
    name: 'backtest',
    summary: 'score the forecast on past cycles against the naive line',
    load: async () => (await import('./backtest.js')).registerBacktest,
  },
  {
    name: 'prices',
    summary: 'the price table in use, with its version and hash',
    load: async () => (await import('./prices.js')).registerPrices,
  },
  {
    name: 'reprice',
    summary: 'price stored requests again with the current table',
    load: async () => (await import('./reprice.js')).registerReprice,
  },
  {
    name: 'config',
    summary: 'read and write the config file',
    load: async () => (await import('./config.js')).registerConfig,
  },
];

export { commandOf, ONE_FILE_COMMANDS, unknownCommand } from '../cli/command-of.js';

/**
 * A register function for the given argv: the requested command is loaded for real, every other
 * one is listed by name and summary only (for `--help`); `all` loads every command.
 */
export async function registerFor(argv: readonly string[] | 'all'): Promise<Register> {
  const wanted = argv === 'all' ? 'all' : commandOf(argv);
  const loaded = await Promise.all(
    COMMANDS.map((c) => (wanted === 'all' || c.name === wanted ? c.load() : Promise.resolve(null))),
  );
  return (program) => {
    COMMANDS.forEach((c, i) => {
      const register = loaded[i];
      // The one-line summary in the command list comes from this table whether the command is
      // loaded or not; its own file holds the longer description of its own help.
      if (register) {
        register(program);
        program.commands.find((cmd) => cmd.name() === c.name)?.summary(c.summary);
      } else program.command(c.name, { isDefault: c.name === DEFAULT_COMMAND }).summary(c.summary);
    });
  };
}

/** The table's command names, in order (the entry point's list, cli/command-of.ts, must match). */
export function tableNames(): string[] {
  return COMMANDS.map((c) => c.name);
}

/** Adds every command, loaded (tests and tools that want the whole program). */
export async function registerCommands(program: Command): Promise<void> {
  (await registerFor('all'))(program);
}
