/**
 * Received telemetry survives `--rebuild`: it cannot be read again from any log, so the rows of
 * the telemetry tables are read from the old file before it is deleted and written into the new one.
 */
import { newSqlite } from './sqlite.js';
import { writeTransaction, type Db } from './database.js';
import { copyRows } from './copy-rows.js';

const TABLES = ['telemetry_events', 'telemetry_counts', 'push_sent'] as const;

/**
 * Whether another process has the store open (a dashboard, `serve`, a command still running):
 * deleting the file under it would let it go on writing into a file no one can read again, and
 * telemetry it acknowledged would be lost. SQLite leaves a WAL database only when no other
 * connection is open, so the test is to leave it: the file is deleted next anyway. A file that is
 * no database (the usual reason for a rebuild) is not in use by creditmeter.
 */
export function storeInUse(file: string): boolean {
  let db: Db | null = null;
  try {
    db = newSqlite(file, { fileMustExist: true, timeout: 0 });
    db.pragma('journal_mode = DELETE');
    return false;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
  } finally {
    db?.close();
  }
}

export type KeptTelemetry = Record<(typeof TABLES)[number], Record<string, unknown>[]>;

/** The telemetry rows of a store about to be rebuilt (`tables`: the tables it has); throws when they cannot be read. */
export function keptTelemetryOf(db: Db, tables: ReadonlySet<string>): KeptTelemetry {
  const kept = {} as KeptTelemetry;
  for (const t of TABLES)
    kept[t] = tables.has(t) ? (db.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]) : [];
  return kept;
}

/** Writes kept rows into a new (migrated) store; returns how many events came back. */
export function restoreKeptTelemetry(db: Db, kept: KeptTelemetry): number {
  writeTransaction(db, () => {
    for (const t of TABLES) copyRows(db, t, kept[t]);
  });
  return kept.telemetry_events.length;
}
