import type { Command } from 'commander';

/** Placeholder until the prices command lands. */
export function registerPrices(program: Command): void {
  program.command('prices').description('(not available yet)').action(() => {
    throw new Error('The prices command is not available yet.');
  });
}
