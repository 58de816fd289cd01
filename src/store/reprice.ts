/**
 * Re-prices stored requests with a price table: the unpriced ones (a table now knows their model)
 * or, with `all`, every request (after a price-file change). Works in batches by rowid so memory
 * stays flat and readers are never blocked for long.
 */
import { writeTransaction, type Db } from './database.js';
import { usageOfRow, type StoredRow, type UsageColumns } from './request-row.js';
import { priceRequest, resolvePriceRow } from '../domain/pricing.js';
import type { PriceTable } from '../domain/price-types.js';

/** The columns pricing reads, and the rowid to page by. */
type PriceRow = Pick<StoredRow, 'model' | 'ts' | 'speed' | 'inference_geo'> & UsageColumns & { rowid: number };

const BATCH = 5000;

/**
 * Prices the unpriced requests (or every request with `all`) with `table`, storing cost and the
 * table version. Returns how many requests got a price, and how many are still unpriced overall.
 */
export function reprice(
  db: Db,
  table: PriceTable,
  options: { all?: boolean } = {},
): { repriced: number; stillUnpriced: number } {
  let scope = '';
  let modelsJson: string | null = null;
  if (!options.all) {
    // Only models the table now knows can change; the partial index lists unpriced models cheaply.
    const models = (
      db.prepare('SELECT DISTINCT model FROM requests WHERE cost IS NULL').all() as Array<{ model: string }>
    )
      .map((r) => r.model)
      .filter((m) => resolvePriceRow(table, m, 0) !== null);
    if (models.length === 0) return { repriced: 0, stillUnpriced: countUnpriced(db) };
    scope = 'AND cost IS NULL AND model IN (SELECT value FROM json_each(?))';
    modelsJson = JSON.stringify(models);
  }
  const select = db.prepare<unknown[], PriceRow>(
    `SELECT rowid, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
      web_search_requests, web_fetch_requests, speed, inference_geo
     FROM requests WHERE rowid > ? ${scope} ORDER BY rowid LIMIT ?`,
  );
  const update = db.prepare<[number | null, string | null, number]>(
    'UPDATE requests SET cost = ?, price_version = ? WHERE rowid = ?',
  );
  let repriced = 0;
  let last = 0;
  for (;;) {
    const rows = modelsJson === null ? select.all(last, BATCH) : select.all(last, modelsJson, BATCH);
    if (rows.length === 0) break;
    writeTransaction(db, () => {
      for (const r of rows) {
        const cost = priceRequest(table, {
          model: r.model,
          ts: r.ts,
          usage: usageOfRow(r),
          speed: r.speed,
          inferenceGeo: r.inference_geo,
        });
        if (cost !== null) repriced++;
        // An unpriced row that stays unpriced needs no write.
        if (cost !== null || options.all) update.run(cost, cost === null ? null : table.version, r.rowid);
      }
    });
    last = rows[rows.length - 1]!.rowid;
  }
  return { repriced, stillUnpriced: countUnpriced(db) };
}

function countUnpriced(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM requests WHERE cost IS NULL').get() as { n: number }).n;
}
