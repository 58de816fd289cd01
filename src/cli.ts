#!/usr/bin/env node
// Claude Code runs `creditmeter statusline` on every prompt: it takes a path of its own that skips
// the command-line parser (one file built from statusline-main.ts). Every other command loads only
// its own modules (commands/index.ts); help for the status line comes from the program.
const { commandOf } = await import('./commands/index.js');
const help = process.argv.slice(2).some((a) => a === '-h' || a === '--help');
if (commandOf(process.argv) === 'statusline' && !help) {
  // Built beside the chunks, not bundled into this file (see scripts/bundle.mjs).
  const statusline = './chunks/statusline-main.js';
  await import(statusline);
} else {
  const { main } = await import('./program.js');
  process.exitCode = await main(process.argv);
}
