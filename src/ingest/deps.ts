/**
 * What ingest needs from the app, and nothing more: the store, the price table, the roots to read
 * and the entrypoint -> class mapping. The app context satisfies it; tests can build one directly.
 */
import type { Db } from '../store/database.js';
import type { PriceTable } from '../domain/price-types.js';
import type { RequestClass } from '../domain/types.js';

export interface IngestDeps {
  db: Db;
  prices: PriceTable;
  config: {
    roots: readonly string[];
    classes: Readonly<Record<string, RequestClass>>;
    /** The store's file: its folder listing cache is kept beside it (ingest/dir-cache.ts). */
    dbPath?: string;
  };
}
