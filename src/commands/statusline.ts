import type { Command } from 'commander';

/** Placeholder until the statusline command lands. */
export function registerStatusline(program: Command): void {
  program.command('statusline').description('(not available yet)').action(() => {
    throw new Error('The statusline command is not available yet.');
  });
}
