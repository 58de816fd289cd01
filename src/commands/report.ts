import type { Command } from 'commander';

/** Placeholder until the report command lands. */
export function registerReport(program: Command): void {
  program.command('report').description('(not available yet)').action(() => {
    throw new Error('The report command is not available yet.');
  });
}
