#!/usr/bin/env node
// Claude Code runs `creditmeter statusline` on every prompt: that command takes a short path that
// loads only what it needs instead of every command (and the dashboard's UI).
if (process.argv[2] === 'statusline') {
  const { statuslineMain } = await import('./commands/statusline.js');
  process.exitCode = await statuslineMain(process.argv);
} else if (process.argv[2] === 'ingest') {
  // `creditmeter ingest` (scripts, cron) registers only itself: no UI modules to load.
  const [{ main }, { registerIngest }] = await Promise.all([import('./program.js'), import('./commands/ingest.js')]);
  process.exitCode = await main(process.argv, registerIngest);
} else {
  const { main } = await import('./program.js');
  process.exitCode = await main(process.argv);
}
