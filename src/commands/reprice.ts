import { resolve } from 'node:path';
import type { Command } from 'commander';
import { terminalColumns, writeStdout } from '../cli/stdout.js';
import { wrapText } from '../output/wrap.js';
import { readConfigFile, type GlobalFlags } from '../app/config.js';
import { openApp } from '../app/context.js';
import { reprice } from '../store/reprice.js';
import { unpricedModels } from '../store/queries.js';
import { formatInt } from '../domain/format.js';
import { escapeControls } from '../domain/escape-controls.js';

/** `creditmeter reprice [--all]`: prices stored requests with the current table and says how many. */
export function registerReprice(program: Command): void {
  program
    .command('reprice')
    .description(
      'price the stored requests that are still unpriced (or every request with --all) with the current table',
    )
    .option('--all', 'recompute the cost of every stored request (after changing the price file)')
    .action((opts: { all?: boolean }, cmd: Command) => {
      const ctx = openApp(cmd.optsWithGlobals<GlobalFlags>());
      try {
        const result = reprice(ctx.db, ctx.prices, { all: opts.all ?? false });
        // Opening the store already prices every request again when the table in use changed.
        const repriced = ctx.repricedOnOpen > 0 ? Math.max(ctx.repricedOnOpen, result.repriced) : result.repriced;
        const scope = opts.all || ctx.repricedOnOpen > 0 ? 'requests' : 'unpriced requests';
        // A changed table (a price file added or edited) prices every request again, not only the unpriced.
        const why = !opts.all && ctx.repricedOnOpen > 0 ? ' (the price table changed, so every stored request)' : '';
        const say = (line: string): void => writeStdout(`${wrapText(line, terminalColumns())}\n`);
        say(`Repriced ${formatInt(repriced)} ${scope}${why} with price table ${ctx.prices.version}.`);
        // The store is priced by the table each command runs with: a file given to this run alone
        // is undone by the next command without it.
        const flags = cmd.optsWithGlobals<GlobalFlags>();
        const kept = readConfigFile(ctx.config.configPath).config.prices;
        const same = kept !== undefined && flags.prices !== undefined && resolve(kept) === resolve(flags.prices);
        if (flags.prices !== undefined && ctx.config.pricesPath !== null && !same)
          say(
            `Every command prices the store with its own table: give --prices to each, or keep the file for all with: creditmeter config set prices ${ctx.config.pricesPath}`,
          );
        if (result.stillUnpriced > 0) {
          const models = unpricedModels(ctx.db, {})
            .map((m) => `${escapeControls(m.model)} (${formatInt(m.requests)})`)
            .join(', ');
          say(
            `Warning: ${formatInt(result.stillUnpriced)} requests are still unpriced, no price for: ${models}. Add them with --prices FILE.`,
          );
        }
      } finally {
        ctx.close();
      }
    });
}
