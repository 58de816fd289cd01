/** Whether a store file holds anything to show, asked before a run decides what to open. */
import { existsSync } from 'node:fs';
import { newSqlite } from './sqlite.js';
import type { Db } from './database.js';

/**
 * Whether the store at `file` holds a request or a received event. No file, or a store with none,
 * holds nothing. A file that cannot be read as a store counts as holding something: the run that
 * opens it next says what is wrong with it.
 */
export function storeHoldsData(file: string): boolean {
  if (file === ':memory:' || !existsSync(file)) return false;
  let db: Db | null = null;
  try {
    db = newSqlite(file, { readonly: true, fileMustExist: true });
    const held = db
      .prepare('SELECT EXISTS(SELECT 1 FROM requests) OR EXISTS(SELECT 1 FROM telemetry_events)')
      .pluck()
      .get();
    return held !== 0;
  } catch {
    return true;
  } finally {
    db?.close();
  }
}
