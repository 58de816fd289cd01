#!/usr/bin/env node
// Claude Code runs `creditmeter statusline` on every prompt: it takes a path of its own that skips
// the command-line parser. Every other command loads only its own modules (commands/index.ts).
const { commandOf } = await import('./commands/index.js');
if (commandOf(process.argv) === 'statusline') {
  const { statuslineMain } = await import('./commands/statusline.js');
  process.exitCode = await statuslineMain(process.argv);
} else {
  const { main } = await import('./program.js');
  process.exitCode = await main(process.argv);
}
