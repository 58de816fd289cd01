#!/usr/bin/env node
// The binary's entry, built as a CommonJS file (dist/cli.js): Node starts a CommonJS main module
// sooner than an ES module one, and the paths that run most often are CommonJS files of their own,
// loaded as require() would, with V8's code cache (cli/code-cache.ts). Claude Code runs
// `creditmeter statusline` on every prompt: it skips the command-line parser (one file built from
// statusline-main.ts). `ingest` with nothing new answers from its snapshot, also without the parser
// or the database (commands/ingest-fast.ts). `ingest` on a miss, `report` and `status` load as one
// CommonJS file too (command-main.ts), and so does the dashboard (dashboard-main.ts), Ink and all.
// Every other command loads only its own ES module chunks
// (commands/index.ts); help comes from the program.
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from './cli/code-cache.js';
import { asksForHelp, commandOf, ONE_FILE_COMMANDS, unknownCommand } from './cli/command-of.js';

// Built beside this file (scripts/bundle.mjs), not bundled into it: names the build does not follow.
const FILES = {
  statusline: './chunks/statusline-main.cjs',
  ingestFast: './chunks/ingest-fast.cjs',
  oneFile: './chunks/command-main.cjs',
  dashboard: './chunks/dashboard-main.cjs',
  program: './chunks/program.js',
};

/**
 * Whether `process.stdout` and `process.stderr` hold nothing unwritten: a stream Node never made
 * (their getters are watched from the start) has nothing, one it made is asked. Node makes them on
 * first use only, and making one just to ask would cost more than it saves.
 */
function watchStdio(): () => boolean {
  const made = new Set<string>();
  for (const name of ['stdout', 'stderr'] as const) {
    const d = Object.getOwnPropertyDescriptor(process, name);
    const get = d?.get?.bind(process) as (() => unknown) | undefined;
    if (d === undefined || get === undefined || d.configurable !== true) {
      made.add(name); // not the lazy getter expected: always ask
      continue;
    }
    Object.defineProperty(process, name, {
      ...d,
      get() {
        made.add(name);
        return get();
      },
    });
  }
  return () => [...made].every((name) => process[name as 'stdout' | 'stderr'].writableLength === 0);
}

/** Commands that have printed everything and left nothing running when `run` settles. */
const ENDS_WHEN_DONE = new Set(['statusline', ...ONE_FILE_COMMANDS]);

async function run(argv: string[], command: string | null, help: boolean): Promise<number | undefined> {
  const load = (file: string, variant?: string): unknown =>
    requireWithCodeCache(fileURLToPath(new URL(file, import.meta.url)), variant);
  if (command === 'statusline' && !help) {
    const { statuslineMain } = load(FILES.statusline) as typeof import('./commands/statusline.js');
    return statuslineMain(argv);
  }
  if (command === 'ingest' && !help) {
    const { ingestFast } = load(FILES.ingestFast) as typeof import('./commands/ingest-fast.js');
    if (ingestFast(argv)) return undefined; // printed from the snapshot
  }
  if (command !== null && ONE_FILE_COMMANDS.includes(command) && !help) {
    const { runCommand } = load(FILES.oneFile, command) as typeof import('./command-main.js');
    return runCommand(command, argv);
  }
  // A word that names no command comes here as the default command: the program names it instead.
  if (command === 'dashboard' && !help && unknownCommand(argv) === null) {
    const { runDashboardMain } = load(FILES.dashboard) as typeof import('./dashboard-main.js');
    return runDashboardMain(argv);
  }
  const { main } = (await import(FILES.program)) as typeof import('./program.js');
  return main(argv);
}

const stdioFlushed = watchStdio();
const command = commandOf(process.argv);
const help = asksForHelp(process.argv);
void run(process.argv, command, help).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
    // A command that answered and left nothing running ends now: Node's own teardown of the heap
    // at a natural exit (page by page) is not needed. 'exit' listeners still run (the code cache).
    if (command !== null && ENDS_WHEN_DONE.has(command) && !help && stdioFlushed()) process.exit();
  },
  // The program reports its own errors; this is for a file of the build that fails to load.
  (err: unknown) => {
    process.stderr.write(`creditmeter: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.CREDITMETER_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    process.exitCode = 1;
  },
);
