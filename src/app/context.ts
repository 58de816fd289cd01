import { existsSync, rmSync } from 'node:fs';
import { resolveConfig, type GlobalFlags, type ResolvedConfig } from './config.js';
import { openDatabase, type Db } from '../store/database.js';
import { loadPriceTable } from './prices.js';
import type { PriceTable } from '../domain/price-types.js';

/** Everything a command needs: resolved config, the open store, the price table in use. */
export interface AppContext {
  config: ResolvedConfig;
  db: Db;
  prices: PriceTable;
  close(): void;
}

export interface OpenAppOptions {
  /** Delete the database file first and re-read every log. */
  rebuild?: boolean;
  readonly?: boolean;
}

/** Composition root: config, then the store (migrated), then prices. Throws UsageError / StoreError. */
export function openApp(flags: GlobalFlags & { rebuild?: boolean }, options: OpenAppOptions = {}): AppContext {
  const config = resolveConfig(flags);
  if ((options.rebuild || flags.rebuild) && config.dbPath !== ':memory:') {
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(config.dbPath + suffix)) rmSync(config.dbPath + suffix);
    }
  }
  const prices = loadPriceTable(config.pricesPath);
  const db = openDatabase(config.dbPath, { readonly: options.readonly ?? false });
  return { config, db, prices, close: () => db.close() };
}
