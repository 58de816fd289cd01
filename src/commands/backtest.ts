import type { Command } from 'commander';

/** Placeholder until the backtest command lands. */
export function registerBacktest(program: Command): void {
  program.command('backtest').description('(not available yet)').action(() => {
    throw new Error('The backtest command is not available yet.');
  });
}
