import type { Command } from 'commander';

/** Placeholder until the config command lands. */
export function registerConfig(program: Command): void {
  program.command('config').description('(not available yet)').action(() => {
    throw new Error('The config command is not available yet.');
  });
}
