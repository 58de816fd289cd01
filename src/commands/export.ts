import type { Command } from 'commander';

/** Placeholder until the export command lands. */
export function registerExport(program: Command): void {
  program.command('export').description('(not available yet)').action(() => {
    throw new Error('The export command is not available yet.');
  });
}
