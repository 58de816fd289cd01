/**
 * Deferred index builds for a bulk load into an empty `requests` table: building an index once
 * by sorting beats updating it for every inserted row. The definitions are kept in `meta` first,
 * so a load that is interrupted gets its indexes back on the next open of a writer.
 */
import { getMeta, setMeta, writeTransaction, type Db } from './database.js';

/** Meta key holding the definitions of indexes dropped for a bulk load. */
export const DEFERRED_INDEXES = 'deferred_indexes';

/**
 * Drops the secondary indexes of `requests`, remembering their definitions. A partial index stays
 * (`requests_unpriced`, of the rows without a price): rows outside it cost an insert nothing, and
 * building it afterwards would read the whole table for the few rows it holds.
 */
export function deferRequestIndexes(db: Db): void {
  const indexes = (
    db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests' AND sql IS NOT NULL")
      .all() as { name: string; sql: string }[]
  ).filter((i) => !/\bWHERE\b/i.test(i.sql));
  if (indexes.length === 0) return;
  writeTransaction(db, () => {
    setMeta(db, DEFERRED_INDEXES, JSON.stringify(indexes.map((i) => i.sql)));
    for (const i of indexes) db.exec(`DROP INDEX IF EXISTS "${i.name.replace(/"/g, '""')}"`);
  });
}

/**
 * Indexes a later schema removed (migrations.ts): a load interrupted before the upgrade may still
 * list them as pending, and they must not come back.
 */
const RETIRED = [/^CREATE INDEX requests_ts ON /i];

/**
 * Page cache (KiB) while the indexes are built. SQLite's sorter keeps as much in memory as the cache
 * allows: sorted in one piece within 64 MB, the five indexes of 43k requests took 120-150 ms; in runs
 * of 8 MB, merged, 80 ms. Smaller runs were slower again (1 MB: 92 ms).
 */
const INDEX_BUILD_CACHE_KIB = 8192;

/** Re-creates indexes dropped by `deferRequestIndexes` (no-op when none are pending). */
export function restoreRequestIndexes(db: Db): void {
  const pending = getMeta(db, DEFERRED_INDEXES);
  if (pending === null) return;
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
  try {
    buildPending(db, pending);
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
  }
}

function buildPending(db: Db, pending: string): void {
  writeTransaction(db, () => {
    for (const sql of JSON.parse(pending) as string[]) {
      if (RETIRED.some((r) => r.test(sql))) continue;
      db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX /i, 'CREATE $1INDEX IF NOT EXISTS '));
    }
    db.prepare('DELETE FROM meta WHERE key = ?').run(DEFERRED_INDEXES);
  });
}
