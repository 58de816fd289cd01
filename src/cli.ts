#!/usr/bin/env node
// Claude Code runs `creditmeter statusline` on every prompt: it takes a path of its own that skips
// the command-line parser (one file built from statusline-main.ts). `ingest` with nothing new
// answers from its snapshot, also without the parser or the database (commands/ingest-fast.ts).
// `ingest` on a miss, `report` and `status` load as one file (command-main.ts). Every other command
// loads only its own modules (commands/index.ts); help comes from the program.
const { commandOf, ONE_FILE_COMMANDS } = await import('./commands/index.js');
const help = process.argv.slice(2).some((a) => a === '-h' || a === '--help');
const command = commandOf(process.argv);
if (command === 'statusline' && !help) {
  // Built beside the chunks, not bundled into this file (see scripts/bundle.mjs).
  const statusline = './chunks/statusline-main.js';
  await import(statusline);
} else {
  const fastIngest = './chunks/ingest-fast.js';
  const answered =
    command === 'ingest' &&
    !help &&
    ((await import(fastIngest)) as typeof import('./commands/ingest-fast.js')).ingestFast(process.argv);
  if (answered) {
    // printed from the snapshot
  } else if (command !== null && ONE_FILE_COMMANDS.includes(command) && !help) {
    const oneFile = './chunks/command-main.js';
    const { runCommand } = (await import(oneFile)) as typeof import('./command-main.js');
    process.exitCode = await runCommand(command, process.argv);
  } else {
    const { main } = await import('./program.js');
    process.exitCode = await main(process.argv);
  }
}
