import type { Command } from 'commander';
import { registerDashboard } from './dashboard.js';
import { registerIngest } from './ingest.js';
import { registerReport } from './report.js';
import { registerPrices } from './prices.js';
import { registerReprice } from './reprice.js';
import { registerStatus } from './status.js';
import { registerBacktest } from './backtest.js';
import { registerConfig } from './config.js';
import { registerExport } from './export.js';
import { registerStatusline } from './statusline.js';

/** Adds every command to the program. The dashboard is the default (no command). */
export function registerCommands(program: Command): void {
  registerDashboard(program);
  registerIngest(program);
  registerReport(program);
  registerPrices(program);
  registerReprice(program);
  registerStatus(program);
  registerBacktest(program);
  registerConfig(program);
  registerExport(program);
  registerStatusline(program);
}
