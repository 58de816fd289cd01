import type { Command } from 'commander';

/** Placeholder until the reprice command lands. */
export function registerReprice(program: Command): void {
  program.command('reprice').description('(not available yet)').action(() => {
    throw new Error('The reprice command is not available yet.');
  });
}
