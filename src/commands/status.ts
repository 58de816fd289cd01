import type { Command } from 'commander';

/** Placeholder until the status command lands. */
export function registerStatus(program: Command): void {
  program.command('status').description('(not available yet)').action(() => {
    throw new Error('The status command is not available yet.');
  });
}
