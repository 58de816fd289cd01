import type { Command } from 'commander';

/** Placeholder until the dashboard command lands. */
export function registerDashboard(program: Command): void {
  program.command('dashboard', { isDefault: true }).description('(not available yet)').action(() => {
    throw new Error('The dashboard command is not available yet.');
  });
}
