/**
 * A long-lived process (the dashboard) follows its settings while it runs: when the config file,
 * or the price file it names, changes, the plan, the classes and the price table are read again;
 * and the store keeps this process's prices (a one-off `--prices` run elsewhere repriced it: it is
 * priced back, as the next run with the usual table would, once that run has had the store for
 * FOREIGN_PRICES_MS; a dashboard started with a `--prices` of its own is the one-off, and leaves
 * the store to the usual table of the other runs). Without this, a dashboard opened before
 * `config set classes …` wrote the old classes back over the rows `status` had moved, on every read.
 * The roots, the store and `--listen` stay as they were at the start.
 */
import { resolveConfig, type GlobalFlags } from './config.js';
import { applyPriceTable, storePriceVersion, type AppContext } from './context.js';
import { loadPriceTable } from './prices.js';
import { classMappingKey } from '../domain/classify.js';
import { fileStamp } from '../store/side-files.js';

/** What a check found changed. */
export interface SettingsChange {
  /** The entrypoint -> class mapping: stored rows are to be read again under it. */
  classes: boolean;
  /** Anything the figures on screen rest on (plan, prices, classes, the store's prices). */
  figures: boolean;
}

/** How long another process's prices may stand in the store before the dashboard prices it back. */
const FOREIGN_PRICES_MS = 10_000;

/** Follows `ctx`'s settings (resolved from `flags`); `check()` looks once, and changes `ctx` in place. */
export function followSettings(
  ctx: AppContext,
  flags: GlobalFlags,
  now: () => number = Date.now,
): { check(): SettingsChange | null } {
  const stampOf = (): string => `${fileStamp(ctx.config.configPath)} ${fileStamp(ctx.config.pricesPath)}`;
  let stamp = stampOf();
  /** Since when the store has been priced with another table than this process's (null: it is not). */
  let foreignSince: number | null = null;
  return {
    check() {
      let classes = false;
      let figures = false;
      let ownTable = false;
      const current = stampOf();
      if (current !== stamp) {
        stamp = current;
        try {
          // (Quiet: a warning written to the terminal would land on the dashboard's screen.)
          const next = resolveConfig(flags, process.env, { quiet: true });
          const prices = loadPriceTable(next.pricesPath);
          classes = classMappingKey(next.classes) !== classMappingKey(ctx.config.classes);
          figures = classes || JSON.stringify(next.plan) !== JSON.stringify(ctx.config.plan);
          ctx.config.classes = next.classes;
          // The same object the data source holds: its next read gauges with the new plan.
          Object.assign(ctx.config.plan, next.plan);
          ctx.config.pricesPath = next.pricesPath;
          if (prices.version !== ctx.prices.version) {
            ctx.prices = prices;
            ownTable = true;
            figures = true;
          }
        } catch {
          // A file half written, or a mistake in it: the settings in use stay until it reads whole.
          stamp = '';
        }
      }
      try {
        const foreign = storePriceVersion(ctx.db) !== ctx.prices.version;
        foreignSince = foreign ? (foreignSince ?? now()) : null;
        const priceBack =
          flags.prices === undefined && foreignSince !== null && now() - foreignSince >= FOREIGN_PRICES_MS;
        if ((ownTable || priceBack) && applyPriceTable(ctx.db, ctx.prices) > 0) figures = true;
        if (ownTable || priceBack) foreignSince = null;
      } catch {
        // The store is busy (another process writing): looked at again at the next check.
      }
      return classes || figures ? { classes, figures } : null;
    },
  };
}
