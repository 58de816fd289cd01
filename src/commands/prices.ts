import { terminalColumns, writeStdout } from '../cli/stdout.js';
import type { Command } from 'commander';
import { resolveConfig, type GlobalFlags } from '../app/config.js';
import { loadPriceTable, priceTableHash } from '../app/prices.js';
import { pricesJson, pricesText } from '../output/report-prices.js';

/** `creditmeter prices [--json]`: the price table in use (bundled + the user's file), its version and hash. */
export function registerPrices(program: Command): void {
  program
    .command('prices')
    .description('show the price table in use (bundled, merged with --prices FILE), with its version and hash')
    .option('--json', 'print the table as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const config = resolveConfig(cmd.optsWithGlobals<GlobalFlags>());
      const table = loadPriceTable(config.pricesPath);
      const hash = priceTableHash(table);
      writeStdout(
        opts.json
          ? `${JSON.stringify(pricesJson(table, hash), null, 2)}\n`
          : pricesText(table, hash, terminalColumns()),
      );
    });
}
