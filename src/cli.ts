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
import { commandOf, ONE_FILE_COMMANDS } from './cli/command-of.js';

// Built beside this file (scripts/bundle.mjs), not bundled into it: names the build does not follow.
const FILES = {
  statusline: './chunks/statusline-main.cjs',
  ingestFast: './chunks/ingest-fast.cjs',
  oneFile: './chunks/command-main.cjs',
  dashboard: './chunks/dashboard-main.cjs',
  program: './chunks/program.js',
};

async function run(argv: string[]): Promise<number | undefined> {
  const help = argv.slice(2).some((a) => a === '-h' || a === '--help');
  const command = commandOf(argv);
  const load = (file: string): unknown => requireWithCodeCache(fileURLToPath(new URL(file, import.meta.url)));
  if (command === 'statusline' && !help) {
    const { statuslineMain } = load(FILES.statusline) as typeof import('./commands/statusline.js');
    return statuslineMain(argv);
  }
  if (command === 'ingest' && !help) {
    const { ingestFast } = load(FILES.ingestFast) as typeof import('./commands/ingest-fast.js');
    if (ingestFast(argv)) return undefined; // printed from the snapshot
  }
  if (command !== null && ONE_FILE_COMMANDS.includes(command) && !help) {
    const { runCommand } = load(FILES.oneFile) as typeof import('./command-main.js');
    return runCommand(command, argv);
  }
  if (command === 'dashboard' && !help) {
    const { runDashboardMain } = load(FILES.dashboard) as typeof import('./dashboard-main.js');
    return runDashboardMain(argv);
  }
  const { main } = (await import(FILES.program)) as typeof import('./program.js');
  return main(argv);
}

void run(process.argv).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  // The program reports its own errors; this is for a file of the build that fails to load.
  (err: unknown) => {
    process.stderr.write(`creditmeter: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.CREDITMETER_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    process.exitCode = 1;
  },
);
