/**
 * Rows read from an old store written into a new one (what `--rebuild` carries over): in the
 * columns the new table has, one prepared statement for them all; a row already there is kept.
 */
import type { Db } from './database.js';

/** Inserts `rows` (as `SELECT *` read them) into `table`, in the columns it has. */
export function copyRows(db: Db, table: string, rows: readonly Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const columns = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]);
  const cols = Object.keys(rows[0]!).filter((c) => columns.has(c));
  if (cols.length === 0) return;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  for (const row of rows) insert.run(...cols.map((c) => row[c] as string | number | bigint | Buffer | null));
}
